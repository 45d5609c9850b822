/**
 * Benchmark 2: the API against a bare express 5 server doing only what any server must for the
 * same requests (`bareServer.ts`), both in child processes of their own, driven in the same run by
 * the same load generator (`httpLoad.ts`, kept-alive sockets).
 *   2a  durable pledge revisions: each client is a different bound Member State that submits its
 *       pledge, then revises it with If-Match, on its own stream; the tracker runs with a temp
 *       SQLite file and a token file of SHA-256 hashes. A third figure compares the tracker's
 *       writes with as many raw better-sqlite3 inserts from as many concurrent in-process loops.
 *   2b  `GET totals` of the plan the writes filled, from more clients, with the tokens of the
 *       Commission and of the Member States in turn.
 * The bare server answers with bodies of the sizes the tracker's own answers had in this run. For
 * 2a, a third server is the same bare one made durable: each write is also one raw row, committed
 * in groups by a writer thread, before its answer (the least a durable server does beyond the bare
 * one). The sides take turns phase by phase (tracker writes, bare writes, durable bare writes,
 * over several rounds, then tracker reads and bare reads the same way), each phase bounded by
 * time and by a request budget, so a passing load elsewhere on the machine touches every side
 * alike.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { generateTreeHeadKeyPair } from '../src/auditLog/treeHead';
import { pledgeStreamId } from '../src/domain/pledge/pledgeEvents';
import type { PledgeLine } from '../src/domain/shared/pledgeLine';
import type { ServerCpu, ServerReady } from './serverProcess';
import {
  BARE_DURABLE_FILE_VARIABLE,
  BARE_SIZES_VARIABLE,
  type BareAnswerSizes,
} from './bareServer';
import {
  BENCH_PERIOD,
  BENCH_PLAN_ID,
  BOUND_MEMBER_STATES,
  pledgeRevisedEvent,
  REVISION_REASONS,
  sixLinePledge,
} from './fixtures';
import { LoadClient, type HttpAnswer } from './httpLoad';
import { RawEventWriter } from './rawSqlite';
import { formatMs, formatNumber, percentile, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface ApiBenchOptions {
  /** Concurrent writers (2a), one Member State each. */
  readonly clients: number;
  /** Concurrent readers of the totals (2b). */
  readonly readClients: number;
  /** Requests in all per side and measure, across the clients and the rounds. */
  readonly maxRequests: number;
  /**
   * Measured time per side and measure, split over the rounds: a round's phase stops at its share
   * even if its request budget is not used up.
   */
  readonly phaseMs: number;
  /** The sides take turns this many times per measure, so a slow spell hits each alike. */
  readonly rounds: number;
  /** Unmeasured revisions per client after its submission. */
  readonly warmupWritesPerClient: number;
  /** Unmeasured totals reads per client before the measured ones. */
  readonly warmupReadsPerClient: number;
  /** Raw inserts at most for the raw better-sqlite3 row of 2a. */
  readonly maxRawInserts: number;
}

export interface Principal {
  readonly name: string;
  readonly role: 'member_state' | 'commission' | 'auditor' | 'operator';
  readonly memberState?: string;
  readonly token: string;
}

const SERVER_START_TIMEOUT_MS = 30_000;
const SERVER_STOP_TIMEOUT_MS = 10_000;

/** One server under load: its client sockets and its writers. */
interface Side {
  readonly name: 'tracker' | 'bare express' | 'durable bare express';
  readonly child: ChildProcess;
  readonly load: LoadClient;
  readonly writers: PledgeClient[];
}

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
  const readers = [commission, ...ministries];
  const tokensFile = temp.file('tokens.json');
  writeTokenFile(tokensFile, readers);

  const dbFile = temp.file('api.db');
  progress(`2: starting the server and the bare express baseline`);
  const tracker = await startServer({
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
  let bare: RunningServer | undefined;
  let durableBare: RunningServer | undefined;
  const durableBareFile = temp.file('api-bare-durable.db');
  const sockets = Math.max(options.clients, options.readClients);
  const trackerLoad = new LoadClient(tracker.port, sockets);
  let bareLoad: LoadClient | undefined;
  let durableBareLoad: LoadClient | undefined;
  let writes: { tracker: MeasuredPhase; bare: MeasuredPhase };
  let durableBareWrites: MeasuredPhase;
  let reads: { tracker: MeasuredPhase; bare: MeasuredPhase };
  let sizes: BareAnswerSizes;
  try {
    await expectStatus(
      trackerLoad,
      commission,
      'POST',
      '/plans',
      { planId: BENCH_PLAN_ID, ...BENCH_PERIOD },
      201,
      'create the plan',
    );
    await expectStatus(
      trackerLoad,
      commission,
      'POST',
      `/plans/${BENCH_PLAN_ID}/pledging/open`,
      {},
      200,
      'open pledging',
    );
    const trackerSide: Side = {
      name: 'tracker',
      child: tracker.child,
      load: trackerLoad,
      writers: ministries.map((ministry) => new PledgeClient(trackerLoad, ministry)),
    };
    const writeAnswerBytes = await warmUpWriters(trackerSide, options);
    const totalsAnswerBytes = await warmUpReaders(trackerLoad, readers, options);
    sizes = { writeAnswerBytes, totalsAnswerBytes };

    bare = await startServer(
      { [BARE_SIZES_VARIABLE]: JSON.stringify(sizes) },
      SERVER_START_TIMEOUT_MS,
      'bareServer.js',
    );
    bareLoad = new LoadClient(bare.port, sockets);
    const bareSide: Side = {
      name: 'bare express',
      child: bare.child,
      load: bareLoad,
      writers: ministries.map((ministry) => new PledgeClient(bareLoad as LoadClient, ministry)),
    };
    await warmUpWriters(bareSide, options);
    await warmUpReaders(bareLoad, readers, options);

    durableBare = await startServer(
      {
        [BARE_SIZES_VARIABLE]: JSON.stringify(sizes),
        [BARE_DURABLE_FILE_VARIABLE]: durableBareFile,
      },
      SERVER_START_TIMEOUT_MS,
      'bareServer.js',
    );
    durableBareLoad = new LoadClient(durableBare.port, options.clients);
    const durableBareSide: Side = {
      name: 'durable bare express',
      child: durableBare.child,
      load: durableBareLoad,
      writers: ministries.map(
        (ministry) => new PledgeClient(durableBareLoad as LoadClient, ministry),
      ),
    };
    await warmUpWriters(durableBareSide, options);

    const round = {
      ...options,
      phaseMs: options.phaseMs / options.rounds,
      maxRequests: Math.ceil(options.maxRequests / options.rounds),
    };
    const writePhases = await inTurns(options.rounds, [
      () => measureWrites(trackerSide, round),
      () => measureWrites(bareSide, round),
      () => measureWrites(durableBareSide, round),
    ]);
    writes = { tracker: writePhases[0], bare: writePhases[1] };
    durableBareWrites = writePhases[2];
    const readPhases = await inTurns(options.rounds, [
      () => measureReads(trackerSide, readers, round),
      () => measureReads(bareSide, readers, round),
    ]);
    reads = { tracker: readPhases[0], bare: readPhases[1] };
  } finally {
    trackerLoad.close();
    bareLoad?.close();
    durableBareLoad?.close();
    await stopServer(tracker.child);
    if (bare !== undefined) await stopServer(bare.child);
    if (durableBare !== undefined) await stopServer(durableBare.child);
    temp.removeDatabase(dbFile);
    temp.removeDatabase(durableBareFile);
  }

  const rawInserts = Math.min(
    options.maxRawInserts,
    Math.max(writes.tracker.succeeded, options.clients),
  );
  progress(`2: raw better-sqlite3 baseline, ${formatNumber(rawInserts)} inserts`);
  const rawPerSecond = await rawConcurrentInserts(temp, memberStates, rawInserts);

  const writeFigures = figures(writes);
  const durableBareFigures = phaseFigures(durableBareWrites);
  const readFigures = figures(reads);
  return [
    {
      id: '2a',
      what: `API writes, ${options.clients} clients on ${options.clients} streams (PUT pledge, If-Match)`,
      unit: 'writes/s',
      tracker: writeFigures.tracker.perSecond,
      baseline: writeFigures.bare.perSecond,
      notes: `baseline: bare express 5 (auth header, JSON body, ${sizes.writeAnswerBytes} B answer); goal >= 0.70; ${writeFigures.counts}`,
    },
    {
      id: '2a',
      what: '  latency p99 per write (p50 in notes)',
      unit: 'ms',
      tracker: writeFigures.tracker.p99,
      baseline: writeFigures.bare.p99,
      notes: `goal: tracker <= 20 ms; p50 ${formatMs(writeFigures.tracker.p50)} vs ${formatMs(writeFigures.bare.p50)}; max ${formatMs(writeFigures.tracker.max)}`,
      digits: 2,
    },
    {
      id: '2a',
      what: '  server CPU per write (every thread)',
      unit: 'µs',
      tracker: writeFigures.tracker.cpuMicrosPerRequest,
      baseline: writeFigures.bare.cpuMicrosPerRequest,
      notes: 'process.cpuUsage() of each server over its measured phase, per answered request',
    },
    {
      id: '2a',
      what: '  durable bare express vs bare express',
      unit: 'writes/s',
      tracker: durableBareFigures.perSecond,
      baseline: writeFigures.bare.perSecond,
      notes:
        `the bare server, each write also one raw row committed in groups by a writer thread ` +
        `before its answer: the ceiling of 2a's ratio on this machine; ` +
        `p99 ${formatMs(durableBareFigures.p99)}, CPU ${formatNumber(durableBareFigures.cpuMicrosPerRequest)} µs a write; ` +
        `${formatNumber(durableBareWrites.succeeded)} ok, ${formatNumber(durableBareWrites.failed)} failed`,
    },
    {
      id: '2a',
      what: '  tracker vs durable bare express',
      unit: 'writes/s',
      tracker: writeFigures.tracker.perSecond,
      baseline: durableBareFigures.perSecond,
      notes:
        'what the tracker does beyond storing a row: auth, checks, the decision, the Merkle tree, ' +
        'projections, the request log',
    },
    {
      id: '2a',
      what: '  the same writes against raw better-sqlite3 inserts',
      unit: 'writes/s',
      tracker: writeFigures.tracker.perSecond,
      baseline: rawPerSecond,
      notes: `baseline: ${formatNumber(rawInserts)} raw INSERTs (one transaction each) from ${options.clients} async loops in process`,
    },
    {
      id: '2b',
      what: `GET totals, ${options.readClients} clients`,
      unit: 'reads/s',
      tracker: readFigures.tracker.perSecond,
      baseline: readFigures.bare.perSecond,
      notes: `baseline: bare express 5 (auth header, ${sizes.totalsAnswerBytes} B answer); goal >= 0.70; ${readFigures.counts}`,
    },
    {
      id: '2b',
      what: '  latency p99 per read (p50 in notes)',
      unit: 'ms',
      tracker: readFigures.tracker.p99,
      baseline: readFigures.bare.p99,
      notes: `goal: ratio <= 1.50; p50 ${formatMs(readFigures.tracker.p50)} vs ${formatMs(readFigures.bare.p50)}; max ${formatMs(readFigures.tracker.max)}`,
      digits: 2,
    },
    {
      id: '2b',
      what: '  server CPU per read (every thread)',
      unit: 'µs',
      tracker: readFigures.tracker.cpuMicrosPerRequest,
      baseline: readFigures.bare.cpuMicrosPerRequest,
      notes: 'process.cpuUsage() of each server over its measured phase, per answered request',
    },
  ];
}

interface PhaseFigures {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly cpuMicrosPerRequest: number;
}

function phaseFigures(phase: MeasuredPhase): PhaseFigures {
  return {
    perSecond: (phase.succeeded * 1000) / phase.elapsedMs,
    p50: percentile(phase.latenciesMs, 50),
    p99: percentile(phase.latenciesMs, 99),
    max: phase.latenciesMs.reduce((most, latency) => Math.max(most, latency), 0),
    cpuMicrosPerRequest: phase.cpuMicros / (phase.succeeded + phase.failed),
  };
}

function figures(phases: { tracker: MeasuredPhase; bare: MeasuredPhase }): {
  tracker: PhaseFigures;
  bare: PhaseFigures;
  counts: string;
} {
  const count = (phase: MeasuredPhase): string =>
    `${formatNumber(phase.succeeded)} ok, ${formatNumber(phase.failed)} failed in ${formatNumber(phase.elapsedMs / 1000, 1)} s`;
  return {
    tracker: phaseFigures(phases.tracker),
    bare: phaseFigures(phases.bare),
    counts: `tracker ${count(phases.tracker)}; bare ${count(phases.bare)}`,
  };
}

// ---- the clients ----

/** One Member State ministry: submits once, then revises with If-Match, alternating persons. */
class PledgeClient {
  private etag: string | null = null;
  private revision = 0;

  constructor(
    private readonly load: LoadClient,
    private readonly ministry: Principal,
  ) {}

  /** The submission, then unmeasured revisions; the size of the last answer. */
  async warmUp(revisions: number): Promise<number> {
    const submitted = await this.write();
    if (submitted.status !== 201) {
      throw new Error(`${this.ministry.name}: submitting the pledge answered ${submitted.status}`);
    }
    let answerBytes = submitted.body.length;
    for (let index = 0; index < revisions; index++) {
      const revised = await this.write();
      if (revised.status !== 200) {
        throw new Error(`${this.ministry.name}: warm-up revision answered ${revised.status}`);
      }
      answerBytes = revised.body.length;
    }
    return answerBytes;
  }

  /** The next write: a submission first, then revisions; each alternates the persons. */
  async write(): Promise<HttpAnswer> {
    const memberState = this.ministry.memberState ?? '';
    const lines: PledgeLine[] = sixLinePledge(this.revision);
    const submit = this.etag === null;
    const body = submit
      ? { lines }
      : { lines, reason: REVISION_REASONS[this.revision % REVISION_REASONS.length] ?? 'Revised' };
    const answer = await this.load.send(
      'PUT',
      `/api/v1/plans/${BENCH_PLAN_ID}/pledges/${memberState}`,
      {
        authorization: `Bearer ${this.ministry.token}`,
        'content-type': 'application/json',
        ...(submit ? { 'if-none-match': '*' } : { 'if-match': this.etag ?? '' }),
      },
      JSON.stringify(body),
    );
    if (answer.status >= 200 && answer.status < 300 && answer.etag !== undefined) {
      this.etag = answer.etag;
      this.revision++;
    }
    return answer;
  }
}

async function warmUpWriters(side: Side, options: ApiBenchOptions): Promise<number> {
  const sizes = await Promise.all(
    side.writers.map((writer) => writer.warmUp(options.warmupWritesPerClient)),
  );
  return Math.max(...sizes);
}

function readTotals(load: LoadClient, reader: Principal): Promise<HttpAnswer> {
  return load.send('GET', `/api/v1/plans/${BENCH_PLAN_ID}/totals`, {
    authorization: `Bearer ${reader.token}`,
  });
}

/** Unmeasured reads by every reader; the size of the Commission's answer (the first reader's). */
async function warmUpReaders(
  load: LoadClient,
  readers: readonly Principal[],
  options: ApiBenchOptions,
): Promise<number> {
  const first = await readTotals(load, readers[0] as Principal);
  if (first.status !== 200) throw new Error(`GET totals answered ${first.status}`);
  await Promise.all(
    Array.from({ length: options.readClients }, async (_, client) => {
      const reader = readers[client % readers.length] as Principal;
      for (let index = 0; index < options.warmupReadsPerClient; index++) {
        const answer = await readTotals(load, reader);
        if (answer.status !== 200) {
          throw new Error(`${reader.name}: GET totals answered ${answer.status}`);
        }
      }
    }),
  );
  return first.body.length;
}

interface MeasuredPhase {
  readonly succeeded: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly latenciesMs: number[];
  /** CPU time the server used over the phase. */
  readonly cpuMicros: number;
}

/** `clients` loops sending `next(client)` until the budget or the time is used up. */
async function measure(
  side: Side,
  clients: number,
  options: ApiBenchOptions,
  next: (client: number) => Promise<HttpAnswer>,
): Promise<MeasuredPhase> {
  const cpuBefore = await serverCpuMicros(side.child);
  const latenciesMs: number[] = [];
  let issued = 0;
  let succeeded = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + options.phaseMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (issued < options.maxRequests && performance.now() < deadline) {
        issued++;
        const answer = await next(client);
        latenciesMs.push(answer.latencyMs);
        if (answer.status >= 200 && answer.status < 300) succeeded++;
        else failed++;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const cpuMicros = (await serverCpuMicros(side.child)) - cpuBefore;
  return { succeeded, failed, elapsedMs, latenciesMs, cpuMicros };
}

/** Runs the sides' phases in turn, `rounds` times, and sums each side's rounds. */
async function inTurns<const Sides extends readonly (() => Promise<MeasuredPhase>)[]>(
  rounds: number,
  sides: Sides,
): Promise<{ [Index in keyof Sides]: MeasuredPhase }> {
  const sums: MeasuredPhase[] = sides.map(() => ({
    succeeded: 0,
    failed: 0,
    elapsedMs: 0,
    latenciesMs: [],
    cpuMicros: 0,
  }));
  for (let round = 0; round < rounds; round++) {
    for (const [index, side] of sides.entries()) {
      const phase = await side();
      const sum = sums[index] as MeasuredPhase;
      sums[index] = {
        succeeded: sum.succeeded + phase.succeeded,
        failed: sum.failed + phase.failed,
        elapsedMs: sum.elapsedMs + phase.elapsedMs,
        latenciesMs: sum.latenciesMs.concat(phase.latenciesMs),
        cpuMicros: sum.cpuMicros + phase.cpuMicros,
      };
    }
  }
  return sums as { [Index in keyof Sides]: MeasuredPhase };
}

function isServerCpu(message: unknown): message is ServerCpu {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { cpuMicros?: unknown }).cpuMicros === 'number'
  );
}

/** The server process's CPU time so far, asked over IPC. */
function serverCpuMicros(child: ChildProcess): Promise<number> {
  return new Promise<number>((resolve) => {
    const listen = (message: unknown) => {
      if (!isServerCpu(message)) return;
      child.off('message', listen);
      resolve(message.cpuMicros);
    };
    child.on('message', listen);
    child.send('cpu');
  });
}

function measureWrites(side: Side, options: ApiBenchOptions): Promise<MeasuredPhase> {
  progress(
    `2a: ${side.name}, ${options.clients} clients writing (up to ${formatNumber(options.maxRequests)} writes or ${options.phaseMs / 1000} s)`,
  );
  return measure(side, side.writers.length, options, (client) =>
    (side.writers[client] as PledgeClient).write(),
  );
}

function measureReads(
  side: Side,
  readers: readonly Principal[],
  options: ApiBenchOptions,
): Promise<MeasuredPhase> {
  progress(
    `2b: ${side.name}, ${options.readClients} clients reading the totals (up to ${formatNumber(options.maxRequests)} reads or ${options.phaseMs / 1000} s)`,
  );
  return measure(side, options.readClients, options, (client) =>
    readTotals(side.load, readers[client % readers.length] as Principal),
  );
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

/** A fresh Ed25519 key for a production start, which refuses to run without the key that signs the log's tree heads. */
export function writeAuditSigningKey(file: string): void {
  writeFileSync(
    file,
    generateTreeHeadKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }),
    { mode: 0o600 },
  );
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
  script: 'apiServer.js' | 'bareServer.js' = 'apiServer.js',
): Promise<RunningServer> {
  // Request logs go to the child's stdout, which is discarded; its stderr stays visible.
  const child = fork(join(__dirname, script), [], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles the servers.
    execArgv: [...process.execArgv, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ') ?? [])],
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

async function expectStatus(
  load: LoadClient,
  who: Principal,
  method: string,
  path: string,
  body: unknown,
  status: number,
  what: string,
): Promise<void> {
  const answer = await load.send(
    method,
    `/api/v1${path}`,
    { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
    JSON.stringify(body),
  );
  if (answer.status !== status) {
    throw new Error(`Could not ${what}: ${answer.status} ${answer.body.toString('utf8')}`);
  }
}
