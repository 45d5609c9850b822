/**
 * The writer thread: it owns the only writing connection of each file store of the process, so
 * the fsync of each commit waits here and not on the event loop that serves requests. It takes
 * every batch of appends posted, runs each store's as one group commit, and answers with one
 * outcome per append. Appends posted while a batch runs join it; those posted while its commit is
 * in flight wait in the port and form the next batch.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { TreeMismatch } from '../port';
import {
  BatchWriter,
  OpenBatch,
  failAllAppends,
  toWireOutcome,
  type AppendOutcome,
} from './appendBatch';
import { capSize, configure } from './sqliteConnection';
import type { FromWriter, ToWriter, WriterData } from './writerThread';

/** Enough for any burst of concurrent requests, while keeping one transaction's work bounded. */
const MAX_BATCH_APPENDS = 1024;

interface OpenStore {
  readonly db: Database.Database;
  readonly writer: BatchWriter;
  /** Found by the running batch's tail check, for the store's health. */
  found: TreeMismatch | undefined;
}

type AppendsMessage = Extract<ToWriter, { readonly kind: 'appends' }>;

const port = parentPort;
const stores = new Map<number, OpenStore>();

function answer(message: FromWriter): void {
  port?.postMessage(message);
}

/** Opened at the store's first batch, so that a failure to open fails that batch, as a store error. */
function openStore(store: number, data: WriterData): OpenStore {
  const existing = stores.get(store);
  if (existing !== undefined) return existing;
  const db = new Database(data.location, { timeout: data.busyTimeoutMs });
  try {
    configure(db, false, data.busyTimeoutMs);
    if (data.maxSizeBytes !== undefined) capSize(db, data.maxSizeBytes);
    const opened: OpenStore = {
      db,
      found: undefined,
      writer: new BatchWriter(db, {
        location: data.location,
        maintainTree: data.maintainTree,
        onMismatch: (mismatch) => {
          opened.found = mismatch;
        },
      }),
    };
    stores.set(store, opened);
    return opened;
  } catch (error) {
    db.close();
    throw error;
  }
}

function closeStore(store: number): void {
  const opened = stores.get(store);
  stores.delete(store);
  opened?.db.close();
  answer({ kind: 'closed', store });
}

/** The batch being gathered: it stays open across messages while its store's turn is not over. */
interface CurrentBatch {
  readonly store: number;
  readonly data: WriterData;
  readonly opened: OpenStore;
  readonly batch: OpenBatch;
}

let current: CurrentBatch | undefined;
/** Stores whose last message said their turn was not over: the rest of its appends are coming. */
const turnsOpen = new Set<number>();

/**
 * Takes `message` and whatever else is queued. Appends run as they are taken, and the port is
 * read again after each message, so the appends posted while the first ones ran join the same
 * commit (up to the batch limit): one fsync for all of them. With the port empty, the batch
 * commits, unless its store's turn is not over: the rest of it is then on its way, and the next
 * message carries on with the batch rather than pay a commit of its own.
 */
function onMessage(message: ToWriter): void {
  let next: ToWriter | undefined = message;
  while (next !== undefined) {
    if (next.kind === 'appends') {
      take(next);
    } else if (next.kind === 'close') {
      finishCurrent();
      turnsOpen.delete(next.store);
      closeStore(next.store);
    } else {
      finishCurrent();
      for (const store of [...stores.keys()]) closeStore(store);
      port?.close();
      return;
    }
    next = receive();
  }
  if (current !== undefined && !turnsOpen.has(current.store)) finishCurrent();
}

/**
 * Adds a message's appends to the current batch. Another store's message ends that batch first,
 * so that no two transactions are open at once (two stores of the process may share a file, and
 * the second would wait for the first's lock); so does a close or stop, which must come after
 * the appends posted before it.
 */
function take(message: AppendsMessage): void {
  const { store, data } = message;
  if (
    current !== undefined &&
    (current.store !== store || current.batch.size >= MAX_BATCH_APPENDS)
  ) {
    finishCurrent();
  }
  if (message.turnOver) turnsOpen.delete(store);
  else turnsOpen.add(store);
  if (message.appends.length === 0) return;
  if (current === undefined) {
    let opened: OpenStore;
    try {
      opened = openStore(store, data);
    } catch (error) {
      answer({
        kind: 'done',
        store,
        outcomes: failAllAppends(message.appends, error, data.location).map(toWireOutcome),
        mismatch: undefined,
      });
      return;
    }
    opened.found = undefined;
    current = { store, data, opened, batch: new OpenBatch(opened.writer) };
  }
  if (message.mismatch !== undefined) current.opened.writer.noteMismatch(message.mismatch);
  current.batch.add(message.appends);
}

/** Commits the current batch and answers with one outcome per append. */
function finishCurrent(): void {
  if (current === undefined) return;
  const { store, data, opened, batch } = current;
  current = undefined;
  let outcomes: AppendOutcome[];
  try {
    outcomes = batch.finish();
  } catch (error) {
    outcomes = failAllAppends(batch.taken, error, data.location);
  }
  answer({ kind: 'done', store, outcomes: outcomes.map(toWireOutcome), mismatch: opened.found });
}

function receive(): ToWriter | undefined {
  if (port === null) return undefined;
  return receiveMessageOnPort(port)?.message as ToWriter | undefined;
}

port?.on('message', onMessage);
