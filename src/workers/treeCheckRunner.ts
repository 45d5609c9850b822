import { join } from 'node:path';
import type { RunningTreeCheck, TreeCheckRunner } from '../auditLog/auditLogService';
import type { TreeCheck } from '../eventStore/port';
import { startWorker } from './typescriptWorker';

export interface TreeCheckWorkerData {
  /** The SQLite store, opened read-only by the worker. */
  readonly file: string;
}

/** What the worker posts once, when its check has ended. */
export type TreeCheckWorkerMessage = { readonly check: TreeCheck } | { readonly error: string };

/**
 * The full check of an SQLite store's log against its Merkle tree, in a worker thread with its
 * own read-only connection: recomputing every leaf and node of a large log takes about a minute
 * of CPU, which on the event loop every request would wait behind.
 */
export function workerTreeCheck(file: string): TreeCheckRunner {
  return () => {
    const data: TreeCheckWorkerData = { file };
    const worker = startWorker(join(__dirname, 'treeCheckWorker'), data);
    // A check nobody waits for any more (the process exits without closing) keeps nothing alive.
    worker.unref();
    let stopped = false;
    const result = new Promise<TreeCheck | undefined>((resolve, reject) => {
      worker.once('message', (message: TreeCheckWorkerMessage) => {
        if (stopped) resolve(undefined);
        else if ('check' in message) resolve(message.check);
        else reject(new Error(message.error));
      });
      worker.once('error', (error) => (stopped ? resolve(undefined) : reject(error)));
      // After a message this settles nothing; before one, the worker died or was ended.
      worker.once('exit', (code) =>
        stopped
          ? resolve(undefined)
          : reject(new Error(`The worker checking the log exited with code ${code}`)),
      );
    });
    const running: RunningTreeCheck = {
      result,
      stop: async () => {
        stopped = true;
        await worker.terminate();
      },
    };
    return running;
  };
}
