/**
 * The writer thread of a file store: it owns the store's only writing connection, so the fsync of
 * each commit waits here and not on the event loop that serves requests. It takes every batch of
 * appends the store has posted, runs them as one group commit, and answers with one outcome per
 * append. Appends posted while a commit is in flight wait in the port and form the next batch.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
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
import type { ToWriter, WriterData } from './writerThread';

/** Enough for any burst of concurrent requests, while keeping one transaction's work bounded. */
const MAX_BATCH_APPENDS = 1024;

const data = workerData as WriterData;
const port = parentPort;
let writer: BatchWriter | undefined;
let db: Database.Database | undefined;
/** Found by this batch's tail check, for the store's health. */
let found: TreeMismatch | undefined;

/** Opened at the first batch, so that a failure to open fails that batch's appends, as a store error. */
function openWriter(): BatchWriter {
  if (writer !== undefined) return writer;
  const connection = new Database(data.location, { timeout: data.busyTimeoutMs });
  try {
    configure(connection, false, data.busyTimeoutMs);
    if (data.maxSizeBytes !== undefined) capSize(connection, data.maxSizeBytes);
    writer = new BatchWriter(connection, {
      location: data.location,
      maintainTree: data.maintainTree,
      onMismatch: (mismatch) => {
        found = mismatch;
      },
    });
  } catch (error) {
    connection.close();
    throw error;
  }
  db = connection;
  return writer;
}

function runBatch(appends: readonly QueuedAppend[], mismatch: TreeMismatch | undefined): void {
  found = undefined;
  let outcomes: AppendOutcome[];
  try {
    const batchWriter = openWriter();
    if (mismatch !== undefined) batchWriter.noteMismatch(mismatch);
    outcomes = batchWriter.run(appends);
  } catch (error) {
    outcomes = failAllAppends(appends, error, data.location);
  }
  port?.postMessage({ kind: 'done', outcomes: outcomes.map(toWireOutcome), mismatch: found });
}

function close(): void {
  db?.close();
  port?.close();
}

/** Takes `first` and whatever else is already queued, up to the batch limit, as one batch. */
function onMessage(first: ToWriter): void {
  let next: ToWriter | undefined = first;
  while (next !== undefined) {
    if (next.kind === 'close') return close();
    const appends: QueuedAppend[] = [...next.appends];
    let mismatch = next.mismatch;
    let closing = false;
    next = undefined;
    while (port !== null && appends.length < MAX_BATCH_APPENDS) {
      const queued = receiveMessageOnPort(port);
      if (queued === undefined) break;
      const message = queued.message as ToWriter;
      if (message.kind === 'close') {
        closing = true;
        break;
      }
      appends.push(...message.appends);
      mismatch ??= message.mismatch;
    }
    runBatch(appends, mismatch);
    if (closing) return close();
    const queued = port === null ? undefined : receiveMessageOnPort(port);
    next = queued?.message as ToWriter | undefined;
  }
}

port?.on('message', onMessage);
