/**
 * Benchmark 2: durable writes per second through the HTTP API with many concurrent clients. The
 * real server runs in a child process (startTracker, temp SQLite file, token file of SHA-256
 * hashes, loopback only); each client is a different bound Member State that submits its pledge,
 * then revises it with If-Match until the write budget or the time limit is used up. The baseline
 * is the same number of raw better-sqlite3 inserts from as many concurrent in-process loops.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pledgeStreamId } from '../src/domain/pledge/pledgeEvents';
import type { PledgeLine } from '../src/domain/shared/pledgeLine';
import type { ServerReady } from './apiServer';
import {
  BENCH_PERIOD,
  BENCH_PLAN_ID,
  BOUND_MEMBER_STATES,
  pledgeRevisedEvent,
  REVISION_REASONS,
  sixLinePledge,
} from './fixtures';
import { RawEventWriter } from './rawSqlite';
import { formatMs, formatNumber, percentile, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface ApiBenchOptions {
  readonly clients: number;
  /** Measured writes in all, across the clients. */
  readonly maxWrites: number;
  /** The measured phase stops here even if the write budget is not used up. */
  readonly maxDurationMs: number;
  /** Unmeasured revisions per client after its submission. */
  readonly warmupWritesPerClient: number;
}

export interface Principal {
  readonly name: string;
  readonly role: 'member_state' | 'commission' | 'auditor' | 'operator';
  readonly memberState?: string;
  readonly token: string;
}

interface WriteOutcome {
  readonly status: number;
  readonly etag: string | null;
  readonly latencyMs: number;
}

const SERVER_START_TIMEOUT_MS = 30_000;
const SERVER_STOP_TIMEOUT_MS = 10_000;

export async function runApiBench(temp: TempDir, options: ApiBenchOptions): Promise<ResultRow[]> {
  const memberStates = BOUND_MEMBER_STATES.slice(0, options.clients);
  if (memberStates.length < options.clients) {
    throw new Error(
      `Only ${memberStates.length} bound Member States for ${options.clients} clients`,
    );
  }
  const commission = principal('dg-home', 'commission');
  const ministries = memberStates.map((memberState) =>
    principal(`${memberState.toLowerCase()}-ministry`, 'member_state', memberState),
  );
  const tokensFile = temp.file('tokens.json');
  writeTokenFile(tokensFile, [commission, ...ministries]);

  const dbFile = temp.file('api.db');
  progress(`2: starting the server (${options.clients} clients to follow)`);
  const server = await startServer({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    PLEDGES_DB_FILE: dbFile,
    PLEDGES_TOKENS_FILE: tokensFile,
    PLEDGES_DEMO_DATA: 'false',
    // The benchmark measures throughput: no client may be slowed by the per-token quotas.
    PLEDGES_WRITES_PER_MINUTE: '1000000',
    PLEDGES_COMMISSION_WRITES_PER_MINUTE: '1000000',
    PLEDGES_READS_PER_MINUTE: '1000000',
    PLEDGES_STORED_BYTES_PER_MEMBER_STATE: String(Number.MAX_SAFE_INTEGER),
  });
  let measured: MeasuredPhase;
  try {
    const base = `http://127.0.0.1:${server.port}/api/v1`;
    await expectStatus(
      request(base, commission, 'POST', '/plans', { planId: BENCH_PLAN_ID, ...BENCH_PERIOD }),
      201,
      'create the plan',
    );
    await expectStatus(
      request(base, commission, 'POST', `/plans/${BENCH_PLAN_ID}/pledging/open`, {}),
      200,
      'open pledging',
    );
    const clients = ministries.map((ministry) => new PledgeClient(base, ministry));
    await Promise.all(clients.map((client) => client.warmUp(options.warmupWritesPerClient)));
    progress(
      `2: ${options.clients} clients writing (up to ${formatNumber(options.maxWrites)} writes or ${options.maxDurationMs / 1000} s)`,
    );
    measured = await runMeasuredPhase(clients, options);
  } finally {
    await stopServer(server.child);
    temp.removeDatabase(dbFile);
  }

  progress(`2: raw better-sqlite3 baseline, ${formatNumber(measured.succeeded)} inserts`);
  const rawPerSecond = await rawConcurrentInserts(
    temp,
    memberStates,
    Math.max(measured.succeeded, options.clients),
  );

  const p50 = percentile(measured.latenciesMs, 50);
  const p99 = percentile(measured.latenciesMs, 99);
  const writesPerSecond = (measured.succeeded * 1000) / measured.elapsedMs;
  return [
    {
      id: '2',
      what: `API writes, ${options.clients} concurrent clients (PUT pledge, If-Match)`,
      unit: 'writes/s',
      tracker: writesPerSecond,
      baseline: rawPerSecond,
      notes:
        `${formatNumber(measured.succeeded)} ok, ${formatNumber(measured.failed)} failed in ` +
        `${formatNumber(measured.elapsedMs / 1000, 1)} s; p50 ${formatMs(p50)}, p99 ${formatMs(p99)}; ` +
        `baseline: raw INSERTs from ${options.clients} async loops`,
    },
    {
      id: '2',
      what: '  latency p50 per write (p99 and max in notes)',
      unit: 'ms',
      tracker: p50,
      baseline: undefined,
      notes: `p99 ${formatMs(p99)}; max ${formatMs(Math.max(...measured.latenciesMs))}`,
      digits: 2,
    },
  ];
}

// ---- the clients ----

/** One Member State ministry: submits once, then revises with If-Match, alternating persons. */
class PledgeClient {
  private etag: string | null = null;
  private revision = 0;

  constructor(
    private readonly base: string,
    private readonly ministry: Principal,
  ) {}

  async warmUp(revisions: number): Promise<void> {
    const submitted = await this.write();
    if (submitted.status !== 201) {
      throw new Error(`${this.ministry.name}: submitting the pledge answered ${submitted.status}`);
    }
    for (let index = 0; index < revisions; index++) {
      const revised = await this.write();
      if (revised.status !== 200) {
        throw new Error(`${this.ministry.name}: warm-up revision answered ${revised.status}`);
      }
    }
  }

  /** The next write: a submission first, then revisions; each alternates the persons. */
  async write(): Promise<WriteOutcome> {
    const memberState = this.ministry.memberState ?? '';
    const lines: PledgeLine[] = sixLinePledge(this.revision);
    const submit = this.etag === null;
    const body = submit
      ? { lines }
      : { lines, reason: REVISION_REASONS[this.revision % REVISION_REASONS.length] ?? 'Revised' };
    const started = performance.now();
    const response = await fetch(`${this.base}/plans/${BENCH_PLAN_ID}/pledges/${memberState}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${this.ministry.token}`,
        'content-type': 'application/json',
        ...(submit ? { 'if-none-match': '*' } : { 'if-match': this.etag ?? '' }),
      },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    const latencyMs = performance.now() - started;
    const etag = response.headers.get('etag');
    if (response.ok && etag !== null) {
      this.etag = etag;
      this.revision++;
    }
    return { status: response.status, etag, latencyMs };
  }
}

interface MeasuredPhase {
  readonly succeeded: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly latenciesMs: number[];
}

async function runMeasuredPhase(
  clients: readonly PledgeClient[],
  options: ApiBenchOptions,
): Promise<MeasuredPhase> {
  const latenciesMs: number[] = [];
  let issued = 0;
  let succeeded = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + options.maxDurationMs;
  await Promise.all(
    clients.map(async (client) => {
      while (issued < options.maxWrites && performance.now() < deadline) {
        issued++;
        const outcome = await client.write();
        latenciesMs.push(outcome.latencyMs);
        if (outcome.status >= 200 && outcome.status < 300) succeeded++;
        else failed++;
      }
    }),
  );
  return { succeeded, failed, elapsedMs: performance.now() - started, latenciesMs };
}

// ---- the baseline ----

async function rawConcurrentInserts(
  temp: TempDir,
  memberStates: readonly string[],
  total: number,
): Promise<number> {
  const file = temp.file('api-raw.db');
  const writer = new RawEventWriter(file);
  let done = 0;
  const started = performance.now();
  await Promise.all(
    memberStates.map(async (memberState) => {
      const streamId = pledgeStreamId(BENCH_PLAN_ID, memberState);
      for (let version = 1; done < total; version++) {
        writer.insert(streamId, version, pledgeRevisedEvent(memberState, version));
        done++;
        await nextTurn();
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  writer.close();
  temp.removeDatabase(file);
  return (done * 1000) / elapsedMs;
}

// ---- server process and plumbing ----

export function principal(name: string, role: Principal['role'], memberState?: string): Principal {
  return {
    name,
    role,
    ...(memberState !== undefined && { memberState }),
    token: randomBytes(24).toString('base64url'),
  };
}

/** The token file format of README.md: names, roles and SHA-256 hashes, never the tokens. */
export function writeTokenFile(file: string, principals: readonly Principal[]): void {
  const tokens = principals.map(({ name, role, memberState, token }) => ({
    name,
    role,
    ...(memberState !== undefined && { memberState }),
    sha256: createHash('sha256').update(token, 'utf8').digest('hex'),
  }));
  writeFileSync(file, JSON.stringify({ tokens }, null, 2));
}

interface RunningServer {
  readonly child: ChildProcess;
  readonly port: number;
}

function isServerReady(message: unknown): message is ServerReady {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { port?: unknown }).port === 'number'
  );
}

export function startServer(
  environment: Record<string, string>,
  startTimeoutMs = SERVER_START_TIMEOUT_MS,
): Promise<RunningServer> {
  // Request logs go to the child's stdout, which is discarded; its stderr stays visible.
  const child = fork(join(__dirname, 'apiServer.js'), [], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise<RunningServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('The bench server did not start in time'));
    }, startTimeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      if (isServerReady(message)) resolve({ child, port: message.port });
      else reject(new Error('Unexpected message from the bench server'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The bench server exited with code ${String(code)}`));
    });
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send('stop');
  const timer = setTimeout(() => child.kill(), SERVER_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function request(
  base: string,
  who: Principal,
  method: string,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function expectStatus(
  pending: Promise<Response>,
  status: number,
  what: string,
): Promise<void> {
  const response = await pending;
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`Could not ${what}: ${response.status} ${text}`);
  }
}
