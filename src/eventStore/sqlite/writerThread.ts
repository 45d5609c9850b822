/**
 * The stores' side of the writer thread (`writerWorker.ts`). One thread per process serves every
 * file store open in it, each on a connection of its own: a server opens one store, but tests and
 * tools open many in turn, and a thread costs more to start than a store to open. The thread
 * starts at the first append (a store opened only to read, by the replay worker, a CLI tool or a
 * check, never starts one) and stops a moment after the last store using it closed.
 */
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../workers/typescriptWorker';
import { StoreUnavailableError, type TreeMismatch } from '../port';
import {
  fromWireOutcome,
  type AppendOutcome,
  type QueuedAppend,
  type WireOutcome,
} from './appendBatch';

/** What the writer needs to open a store's connection as the store opened its own. */
export interface WriterData {
  readonly location: string;
  readonly busyTimeoutMs: number;
  readonly maxSizeBytes?: number;
  readonly maintainTree: boolean;
}

export type ToWriter =
  | {
      readonly kind: 'appends';
      readonly store: number;
      readonly data: WriterData;
      readonly appends: readonly QueuedAppend[];
      /** The store's latched mismatch, so a check on its reading connection stops the writer too. */
      readonly mismatch: TreeMismatch | undefined;
      /**
       * False while the store is still making appends in this turn of its event loop: the writer
       * then runs these and waits for the rest before it commits, rather than commit them apart.
       */
      readonly turnOver: boolean;
    }
  /** Closes the store's connection, after its appends posted before. */
  | { readonly kind: 'close'; readonly store: number }
  | { readonly kind: 'stop' };

export type FromWriter =
  | {
      readonly kind: 'done';
      readonly store: number;
      readonly outcomes: readonly WireOutcome[];
      /** A mismatch the batch's tail check found. */
      readonly mismatch: TreeMismatch | undefined;
    }
  | { readonly kind: 'closed'; readonly store: number };

/** How long the thread outlives the last store that used it, for the next one to reuse it. */
const LINGER_MS = 1000;

interface Client {
  answered(message: FromWriter): void;
  lost(error: Error): void;
}

/** The process's writer thread, shared by its stores. */
class WriterHost {
  private worker: Worker | undefined;
  private readonly clients = new Map<number, Client>();
  private nextStore = 1;
  /** Appends posted and not yet answered, over all stores. */
  private inFlight = 0;
  private linger: NodeJS.Timeout | undefined;

  register(client: Client): number {
    const store = this.nextStore++;
    this.clients.set(store, client);
    return store;
  }

  post(message: ToWriter, appends: number): void {
    if (this.linger !== undefined) clearTimeout(this.linger);
    this.linger = undefined;
    const worker = this.worker ?? this.start();
    // Held by the process only while it has appends (or a close) to answer, so an idle store does
    // not keep a process alive that has nothing else to do.
    if (this.inFlight === 0 && (appends > 0 || message.kind !== 'appends')) worker.ref();
    this.inFlight += appends;
    worker.postMessage(message);
  }

  /** Called once a store's connection is closed (or the store never wrote). */
  release(store: number): void {
    this.clients.delete(store);
    if (this.clients.size > 0 || this.worker === undefined) return;
    this.linger = setTimeout(() => this.stop(), LINGER_MS);
    this.linger.unref();
  }

  get started(): boolean {
    return this.worker !== undefined;
  }

  private stop(): void {
    this.linger = undefined;
    const worker = this.worker;
    if (worker === undefined || this.clients.size > 0) return;
    this.worker = undefined;
    const message: ToWriter = { kind: 'stop' };
    worker.postMessage(message);
  }

  private start(): Worker {
    const worker = startWorker(join(__dirname, 'writerWorker'), {});
    this.worker = worker;
    worker.on('message', (message: FromWriter) => {
      if (message.kind === 'done') this.inFlight -= message.outcomes.length;
      // Idle again (a close answered counts too): a process with nothing else to do may exit.
      if (this.inFlight === 0) worker.unref();
      this.clients.get(message.store)?.answered(message);
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`exited with code ${code}`)));
    return worker;
  }

  /**
   * The thread died (it should not: every error is an append's outcome). Its appends fail as a
   * store failure (whether the last batch committed is unknown, as after a crash), and the next
   * append starts a new thread.
   */
  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.inFlight = 0;
    for (const client of this.clients.values()) client.lost(error);
  }
}

const host = new WriterHost();

/** One store's writer: its appends go to the shared thread, its answers come back in order. */
export class WriterThread<T> {
  private readonly store: number;
  /** Posted and not yet answered, oldest first: the writer answers in the order it was posted. */
  private readonly inFlight: T[] = [];
  private posted = false;
  private closing: (() => void) | undefined;

  constructor(
    private readonly data: WriterData,
    private readonly onBatchDone: (
      answered: readonly { readonly item: T; readonly outcome: AppendOutcome }[],
      mismatch: TreeMismatch | undefined,
    ) => void,
  ) {
    this.store = host.register({
      answered: (message) => this.answered(message),
      lost: (error) => this.lost(error),
    });
  }

  post(
    appends: readonly QueuedAppend[],
    items: readonly T[],
    mismatch: TreeMismatch | undefined,
    turnOver: boolean,
  ) {
    this.inFlight.push(...items);
    this.posted = true;
    host.post(
      { kind: 'appends', store: this.store, data: this.data, appends, mismatch, turnOver },
      appends.length,
    );
  }

  /** Waits for every posted append to be answered and the connection closed. */
  async close(): Promise<void> {
    if (!this.posted || !host.started) {
      host.release(this.store);
      return;
    }
    const closed = new Promise<void>((resolve) => (this.closing = resolve));
    host.post({ kind: 'close', store: this.store }, 0);
    await closed;
    host.release(this.store);
  }

  private answered(message: FromWriter): void {
    if (message.kind === 'closed') {
      this.closing?.();
      return;
    }
    const items = this.inFlight.splice(0, message.outcomes.length);
    this.onBatchDone(
      items.map((item, index) => ({
        item,
        outcome: fromWireOutcome(message.outcomes[index] as WireOutcome),
      })),
      message.mismatch,
    );
  }

  private lost(error: Error): void {
    const items = this.inFlight.splice(0);
    if (items.length > 0) {
      const failure = new StoreUnavailableError(
        'unavailable',
        'WRITER_THREAD_LOST',
        `SQLite store ${this.data.location}: the writer thread stopped: ${error.message}`,
        { cause: error },
      );
      this.onBatchDone(
        items.map((item) => ({ item, outcome: { ok: false, error: failure } })),
        undefined,
      );
    }
    this.closing?.();
  }
}
