/**
 * The store's side of its writer thread (`writerWorker.ts`): it starts the thread at the first
 * append (a store opened only to read, by the replay worker, a CLI tool or a check, never starts
 * one), posts appends to it and matches its answers to them, in order.
 */
import { once } from 'node:events';
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

/** What the writer needs to open its own connection as the store opened its own. */
export interface WriterData {
  readonly location: string;
  readonly busyTimeoutMs: number;
  readonly maxSizeBytes?: number;
  readonly maintainTree: boolean;
}

export type ToWriter =
  | {
      readonly kind: 'appends';
      readonly appends: readonly QueuedAppend[];
      /** The store's latched mismatch, so a check on its reading connection stops the writer too. */
      readonly mismatch: TreeMismatch | undefined;
    }
  | { readonly kind: 'close' };

interface FromWriter {
  readonly kind: 'done';
  readonly outcomes: readonly WireOutcome[];
  /** A mismatch the batch's tail check found. */
  readonly mismatch: TreeMismatch | undefined;
}

/** One batch answered: each posted append with its outcome, in the order they were posted. */
export type OnBatchDone<T> = (
  answered: readonly { readonly item: T; readonly outcome: AppendOutcome }[],
  mismatch: TreeMismatch | undefined,
) => void;

export class WriterThread<T> {
  private worker: Worker | undefined;
  /** Posted and not yet answered, oldest first: the writer answers in the order it was posted. */
  private readonly inFlight: T[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly data: WriterData,
    private readonly onBatchDone: OnBatchDone<T>,
  ) {}

  post(appends: readonly QueuedAppend[], items: readonly T[], mismatch: TreeMismatch | undefined) {
    const worker = this.worker ?? this.start();
    // Held by the process only while it has appends to answer, so an idle store does not keep
    // a process alive that has nothing else to do.
    if (this.inFlight.length === 0) worker.ref();
    this.inFlight.push(...items);
    const message: ToWriter = { kind: 'appends', appends, mismatch };
    worker.postMessage(message);
  }

  /** Waits for every posted append to be answered, then stops the thread. */
  async close(): Promise<void> {
    if (this.inFlight.length > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    const exited = once(worker, 'exit');
    const message: ToWriter = { kind: 'close' };
    worker.ref();
    worker.postMessage(message);
    await exited;
  }

  private start(): Worker {
    const worker = startWorker(join(__dirname, 'writerWorker'), this.data);
    this.worker = worker;
    worker.on('message', (message: FromWriter) => this.answered(message));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`exited with code ${code}`)));
    return worker;
  }

  private answered(message: FromWriter): void {
    const items = this.inFlight.splice(0, message.outcomes.length);
    const answered = items.map((item, index) => ({
      item,
      outcome: fromWireOutcome(message.outcomes[index] as WireOutcome),
    }));
    if (this.inFlight.length === 0) this.worker?.unref();
    this.onBatchDone(answered, message.mismatch);
    if (this.inFlight.length === 0) this.wakeIdleWaiters();
  }

  /**
   * The thread died (it should not: every error is an append's outcome). Its appends fail as a
   * store failure (whether the last batch committed is unknown, as after a crash), and the next
   * append starts a new thread.
   */
  private lost(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = undefined;
    if (this.inFlight.length === 0) return;
    const failure = new StoreUnavailableError(
      'unavailable',
      'WRITER_THREAD_LOST',
      `SQLite store ${this.data.location}: the writer thread stopped: ${error.message}`,
      { cause: error },
    );
    const items = this.inFlight.splice(0);
    this.onBatchDone(
      items.map((item) => ({ item, outcome: { ok: false, error: failure } })),
      undefined,
    );
    this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
