import { join } from 'node:path';
import { startWorker } from './typescriptWorker';
import type { WholeLogRebuild, WholeLogRequest, WholeLogRunner } from '../projections/wholeLog';

/** What a worker needs to open its own connection to the store and to the snapshots. */
export type WholeLogStoreSpec =
  | { readonly kind: 'sqlite'; readonly file: string; readonly snapshotFile?: string }
  | {
      readonly kind: 'eventstoredb';
      readonly connectionString: string;
      readonly snapshotFile?: string;
    };

export interface WholeLogWorkerData {
  readonly spec: WholeLogStoreSpec;
  readonly request: WholeLogRequest;
}

/**
 * The replay check's rebuild in a worker thread with its own store connection: folding the whole
 * log never blocks the event loop that serves requests.
 */
export function workerWholeLogRunner(spec: WholeLogStoreSpec): WholeLogRunner {
  return { rebuild: (request) => runInWorker({ spec, request }) };
}

function runInWorker(data: WholeLogWorkerData): Promise<WholeLogRebuild> {
  const worker = startWorker(join(__dirname, 'wholeLogWorker'), data);
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (message: { result?: WholeLogRebuild; error?: string }) => {
      settled = true;
      if (message.result !== undefined) resolve(message.result);
      else reject(new Error(message.error ?? 'The replay worker failed'));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The replay worker exited with code ${code}`));
    });
  });
}
