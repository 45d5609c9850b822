/**
 * The writer thread: it owns the only writing connection of each file store of the process, so
 * the fsync of each commit waits here and not on the event loop that serves requests. It takes
 * every batch of appends posted, runs each store's as one group commit, and answers with one
 * outcome per append. Appends posted while a commit is in flight wait in the port and form the
 * next batch.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { TreeMismatch } from '../port';
import {
  BatchWriter,
  failAllAppends,
  toWireOutcome,
  type AppendOutcome,
  type QueuedAppend,
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

interface Batch {
  readonly data: WriterData;
  readonly appends: QueuedAppend[];
  mismatch: TreeMismatch | undefined;
}

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

function runBatch(store: number, batch: Batch): void {
  let outcomes: AppendOutcome[];
  let found: TreeMismatch | undefined;
  try {
    const opened = openStore(store, batch.data);
    if (batch.mismatch !== undefined) opened.writer.noteMismatch(batch.mismatch);
    opened.found = undefined;
    outcomes = opened.writer.run(batch.appends);
    found = opened.found;
  } catch (error) {
    outcomes = failAllAppends(batch.appends, error, batch.data.location);
  }
  answer({ kind: 'done', store, outcomes: outcomes.map(toWireOutcome), mismatch: found });
}

function closeStore(store: number): void {
  const opened = stores.get(store);
  stores.delete(store);
  opened?.db.close();
  answer({ kind: 'closed', store });
}

/** Runs `message` and whatever else is already queued (up to the batch limit) as one batch a store. */
function onMessage(message: ToWriter): void {
  let next: ToWriter | undefined = message;
  while (next !== undefined) {
    const batches = new Map<number, Batch>();
    let taken = 0;
    // A close or stop ends the gathering: it must come after the appends posted before it.
    while (next?.kind === 'appends' && taken < MAX_BATCH_APPENDS) {
      const batch = batches.get(next.store);
      if (batch === undefined) {
        batches.set(next.store, {
          data: next.data,
          appends: [...next.appends],
          mismatch: next.mismatch,
        });
      } else {
        batch.appends.push(...next.appends);
        batch.mismatch ??= next.mismatch;
      }
      taken += next.appends.length;
      next = receive();
    }
    for (const [store, batch] of batches) runBatch(store, batch);
    if (next?.kind === 'close') {
      closeStore(next.store);
      next = receive();
    } else if (next?.kind === 'stop') {
      for (const store of [...stores.keys()]) closeStore(store);
      port?.close();
      return;
    } else if (next === undefined) {
      next = receive();
    }
  }
}

function receive(): ToWriter | undefined {
  if (port === null) return undefined;
  return receiveMessageOnPort(port)?.message as ToWriter | undefined;
}

port?.on('message', onMessage);
