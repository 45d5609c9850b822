import { extname } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Run from TypeScript sources (the tests), a worker compiles its modules with the same SWC the
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

const FROM_SOURCES = extname(__filename) === '.ts';

/**
 * A worker thread running the module `entry` (a path without its extension, beside its caller),
 * from sources or built alike. `workerData` reaches the worker as given, with `entry` added.
 */
export function startWorker<Data extends object>(
  entry: string,
  workerData: Data,
  options: Omit<WorkerOptions, 'eval' | 'workerData'> = {},
): Worker {
  const file = `${entry}${FROM_SOURCES ? '.ts' : '.js'}`;
  return FROM_SOURCES
    ? new Worker(TYPESCRIPT_BOOTSTRAP, {
        ...options,
        eval: true,
        workerData: { ...workerData, entry: file },
      })
    : new Worker(file, { ...options, workerData });
}
