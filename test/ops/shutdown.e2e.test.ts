import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { rawConnection, closed } from './rawSocket';
import { sha256Hex } from '../../src/api/auth';
import { loadConfig } from '../../src/config/config';
import { startTracker } from '../../src/main';
import { aPlanBody, PLAN_ID, urls } from '../api/testApp';

/**
 * The server as operators run it: its own process (src/main.ts compiled on the fly by swc, as
 * jest compiles it), a real SQLite file, a token file and signals.
 */
const ROOT = resolve(__dirname, '..', '..');
const COMMISSION_TOKEN = 'shutdown-commission-token-0123456789';

interface RunningProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly logs: Record<string, unknown>[];
  /** Resolves with the first log line whose message is `msg`. */
  logged(msg: string): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A `-r` hook that compiles TypeScript with the same swc jest uses. */
function writeTypeScriptHook(directory: string): string {
  const path = join(directory, 'register-typescript.js');
  writeFileSync(
    path,
    `const { readFileSync } = require('node:fs');
const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
`,
  );
  return path;
}

async function startProcess(
  directory: string,
  environment: Record<string, string>,
): Promise<RunningProcess> {
  const child = spawn(
    process.execPath,
    ['-r', writeTypeScriptHook(directory), join(ROOT, 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        PLEDGES_DB_FILE: join(directory, 'pledges.db'),
        PLEDGES_TOKENS_FILE: join(directory, 'tokens.json'),
        PLEDGES_LOG_LEVEL: 'info',
        ...environment,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const logs: Record<string, unknown>[] = [];
  const waiting: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as Record<string, unknown>;
    logs.push(line);
    for (const waiter of waiting.filter((candidate) => candidate.msg === line['msg'])) {
      waiter.resolve(line);
    }
  });
  const logged = (msg: string) =>
    new Promise<Record<string, unknown>>((found) => {
      const already = logs.find((line) => line['msg'] === msg);
      if (already) found(already);
      else waiting.push({ msg, resolve: found });
    });
  const listening = await Promise.race([
    logged('listening'),
    exited.then(({ code }) => {
      throw new Error(`the server exited with ${String(code)} before listening`);
    }),
  ]);
  return { child, port: Number(listening['port']), logs, logged, exited };
}

/** Request headers one byte at a time, never finished: a slow client's connection, kept busy. */
async function slowClient(port: number): Promise<{ socket: Socket; stop: () => void }> {
  const socket = await rawConnection(port);
  socket.on('error', () => undefined);
  socket.write('GET /api/v1/plans HTTP/1.1\r\nHost: tracker\r\nX-Slow: ');
  const drip = setInterval(() => {
    if (!socket.destroyed) socket.write('x');
  }, 20);
  return { socket, stop: () => clearInterval(drip) };
}

/** An idle keep-alive connection: one request answered, the connection left open. */
async function idleKeepAlive(port: number): Promise<Socket & { received: () => string }> {
  const socket = await rawConnection(port);
  socket.write('GET /health HTTP/1.1\r\nHost: tracker\r\n\r\n');
  while (!socket.received().includes('{"status":"ok"}')) {
    await new Promise((next) => socket.once('data', next));
  }
  return socket;
}

const health = async (port: number) =>
  (await fetch(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } })).status;

describe('shutdown on a signal', () => {
  jest.setTimeout(60_000);
  let directory: string;
  let running: RunningProcess | undefined;
  const stops: (() => void)[] = [];

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-shutdown-'));
    writeFileSync(
      join(directory, 'tokens.json'),
      JSON.stringify({
        tokens: [{ name: 'dg-home', role: 'commission', sha256: sha256Hex(COMMISSION_TOKEN) }],
      }),
    );
  });

  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    if (running?.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  it('on SIGTERM cuts slow and idle clients after the grace period, exits 0 and keeps the acknowledged write', async () => {
    running = await startProcess(directory, { PLEDGES_SHUTDOWN_GRACE_MS: '500' });
    const { port } = running;
    const idle = await idleKeepAlive(port);
    const slow = await slowClient(port);
    stops.push(slow.stop);
    const created = await fetch(`http://127.0.0.1:${port}${urls.plans}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${COMMISSION_TOKEN}`,
        'content-type': 'application/json',
        connection: 'close',
      },
      body: JSON.stringify(aPlanBody()),
    });
    expect(created.status).toBe(201);

    running.child.kill('SIGTERM');
    const exit = await running.exited;
    await Promise.all([closed(idle), closed(slow.socket)]);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(running.logs.map((line) => line['msg'])).toEqual(
      expect.arrayContaining(['shutting down', 'stopped']),
    );

    const restarted = await startTracker(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        PLEDGES_DB_FILE: join(directory, 'pledges.db'),
        PLEDGES_TOKENS_FILE: join(directory, 'tokens.json'),
      }),
      () => undefined,
    );
    try {
      const plan = await fetch(`http://127.0.0.1:${restarted.port}${urls.plan()}`, {
        headers: { authorization: `Bearer ${COMMISSION_TOKEN}` },
      });
      expect(plan.status).toBe(200);
      expect(await plan.json()).toMatchObject({ planId: PLAN_ID, version: 1 });
    } finally {
      await restarted.close();
    }
  });

  it('exits at once on a second signal, without waiting out the grace period', async () => {
    running = await startProcess(directory, { PLEDGES_SHUTDOWN_GRACE_MS: '600000' });
    const slow = await slowClient(running.port);
    stops.push(slow.stop);
    // A full round trip after the slow client's first bytes: the server has read them by now,
    // so its connection is busy and holds the shutdown for the whole grace period.
    expect(await health(running.port)).toBe(200);

    running.child.kill('SIGTERM');
    await running.logged('shutting down');
    running.child.kill('SIGTERM');

    expect(await running.exited).toEqual({ code: 1, signal: null });
    expect(running.logs.map((line) => line['msg'])).toContain('second signal: exiting at once');
    expect(running.logs.map((line) => line['msg'])).not.toContain('stopped');
  });
});
