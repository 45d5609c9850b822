import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Run from TypeScript sources (the tests), a worker runs its modules as the tests' SWC compiles
 * them. The caller's thread compiles them (its SWC is loaded already, where loading it in every
 * new thread costs more than the thread itself) and hands the code over; a module it did not
 * find is compiled in the worker. The built server runs the compiled worker directly.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const compiled = workerData.compiledSources;
let swc;
require.extensions['.ts'] = (module, filename) => {
  let code = compiled[filename];
  if (code === undefined) {
    swc ??= require('@swc/core');
    code = swc.transformSync(readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }).code;
  }
  module._compile(code, filename);
};
require(workerData.entry);
`;

const FROM_SOURCES = extname(__filename) === '.ts';

/** Compiled once per module registry: every worker started from it shares them. */
const compiledCache = new Map<string, string>();

interface Swc {
  transformSync(
    source: string,
    options: {
      filename: string;
      jsc: { parser: { syntax: 'typescript' }; target: 'es2022' };
      module: { type: 'commonjs' };
    },
  ): { code: string };
}

/** `entry` and every project module it requires by a relative path, compiled. */
function compileGraph(entry: string): Record<string, string> {
  // Required here, not imported: SWC is a development tool, absent where the built server runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const swc = require('@swc/core') as Swc;
  const compiled: Record<string, string> = {};
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (compiled[file] !== undefined) continue;
    let code = compiledCache.get(file);
    if (code === undefined) {
      code = swc.transformSync(readFileSync(file, 'utf8'), {
        filename: file,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      }).code;
      compiledCache.set(file, code);
    }
    compiled[file] = code;
    for (const [, specifier] of code.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const required = `${resolve(dirname(file), specifier ?? '')}.ts`;
      if (existsSync(required)) pending.push(required);
    }
  }
  return compiled;
}

/**
 * A worker thread running the module `entry` (a path without its extension, beside its caller),
 * from sources or built alike. `workerData` reaches the worker as given, with more fields added
 * when it runs from sources.
 */
export function startWorker<Data extends object>(
  entry: string,
  workerData: Data,
  options: Omit<WorkerOptions, 'eval' | 'workerData'> = {},
): Worker {
  if (!FROM_SOURCES) return new Worker(`${entry}.js`, { ...options, workerData });
  const file = `${entry}.ts`;
  return new Worker(TYPESCRIPT_BOOTSTRAP, {
    ...options,
    eval: true,
    workerData: { ...workerData, entry: file, compiledSources: compileGraph(file) },
  });
}
