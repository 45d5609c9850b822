/**
 * Runs one of the project's TypeScript entry points in a child process, as `node` would run the
 * built file: a require hook hands each `.ts` module to swc (as jest does), so no build is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

let hookFile: string | undefined;

function requireHook(): string {
  if (hookFile !== undefined) return hookFile;
  const swc = require.resolve('@swc/core');
  const source = `
const swc = require(${JSON.stringify(swc)});
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformFileSync(filename, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
`;
  const directory = mkdtempSync(join(tmpdir(), 'pledge-ts-hook-'));
  process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  hookFile = join(directory, 'register.js');
  writeFileSync(hookFile, source);
  return hookFile;
}

/**
 * Starts `<entry>.ts` (a path from the project's root) with the arguments and only the given
 * environment; `ipc` opens a message channel to it.
 */
export function spawnTypeScript(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  ipc = false,
): ChildProcess {
  const script = resolve(__dirname, '../..', `${entry}.ts`);
  return spawn(process.execPath, ['--require', requireHook(), script, ...args], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs it to the end. */
export function runTypeScript(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Finished> {
  const child = spawnTypeScript(entry, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
