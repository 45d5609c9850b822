import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
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
 * Run from TypeScript sources (the tests), the worker compiles its modules with the same SWC the
 * tests use; the built server runs the compiled worker directly.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(require('node:worker_threads').workerData.entry);
`;

/**
 * The replay check's rebuild in a worker thread with its own store connection: folding the whole
 * log never blocks the event loop that serves requests.
 */
export function workerWholeLogRunner(spec: WholeLogStoreSpec): WholeLogRunner {
  return { rebuild: (request) => runInWorker({ spec, request }) };
}

function runInWorker(data: WholeLogWorkerData): Promise<WholeLogRebuild> {
  const fromSources = extname(__filename) === '.ts';
  const entry = join(__dirname, `wholeLogWorker${fromSources ? '.ts' : '.js'}`);
  const worker = fromSources
    ? new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, workerData: { ...data, entry } })
    : new Worker(entry, { workerData: data });
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
