/**
 * The worker thread's side of `workerTreeCheck`: opens the store read-only, runs the tree's own
 * full check on that connection, posts the result and closes. A mismatch is only reported: the
 * main thread latches it on the store it writes through.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteAuditTree } from '../eventStore/sqlite/sqliteAuditTree';
import type { TreeCheckWorkerData, TreeCheckWorkerMessage } from './treeCheckRunner';

/** As long as the store's own connection waits for a lock (a WAL reader waits only on recovery). */
const BUSY_TIMEOUT_MS = 5000;

async function run(data: TreeCheckWorkerData): Promise<TreeCheckWorkerMessage> {
  const db = new Database(data.file, {
    readonly: true,
    fileMustExist: true,
    timeout: BUSY_TIMEOUT_MS,
  });
  try {
    const tree = new SqliteAuditTree(
      db,
      (_operation, work) => Promise.resolve().then(work),
      () => undefined,
    );
    // Each batch is its own short read, as on the main thread: one snapshot held for the whole
    // check would keep the writer's checkpoints from reclaiming the WAL for as long as it runs.
    return { check: await tree.check() };
  } finally {
    db.close();
  }
}

run(workerData as TreeCheckWorkerData).then(
  (message) => parentPort?.postMessage(message),
  (error: unknown) =>
    parentPort?.postMessage({
      error: error instanceof Error ? error.message : String(error),
    } satisfies TreeCheckWorkerMessage),
);
