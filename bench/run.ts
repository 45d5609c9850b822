/**
 * `npm run bench`: speed and memory of the tracker against raw better-sqlite3, measured in the same
 * run on the same machine. Targets live here as figures and ratios, never as timed test assertions.
 *
 * Output (stdout; progress lines go to stderr with a `[bench]` prefix):
 *   1. An environment block: node, better-sqlite3 and SQLite versions, OS, CPU model, cores, RAM
 *      and the load average (other work on the machine makes every figure noisier).
 *   2. One table, a row per figure, with the columns
 *        #         benchmark id (1 appends, 2a API writes and 2b GET totals against a bare
 *                  express server (2a also against raw inserts), 3a/3b rebuilds of 100k and 1M events,
 *                  4a/4b/4c restart from a snapshot, asOf reads and /health during a replay at 1M,
 *                  5 the web app's first load and first-screen JavaScript in Chromium,
 *                  6 the fulfilment view over a two-year implemented plan, 6a in process and
 *                  6b over HTTP; 7 the verifiable log: proofs at 1M events, the full check of
 *                  log against tree, the offline verifier);
 *                  indented rows under an id are details of that benchmark
 *        measure   what was measured
 *        unit      appends/s, writes/s, events/s (higher is better), ms or MiB (lower is better)
 *        tracker   the figure for the tracker's own code (adapter, server, projector)
 *        baseline  the same work done by raw better-sqlite3 in this run ('-' when none applies);
 *                  for 2a/2b, a bare express 5 server answering the same requests;
 *                  for 6, the totals view of the adopted plan over the same data
 *        ratio     tracker / baseline: 1.00 means as fast as the raw driver
 *        notes     counts, durations, latencies and what the baseline did
 *   3. The total wall time and the load average at the end.
 * Figures 1 and 3 are best-of or alternating runs of both sides (see each file); the heap figure is
 * process.memoryUsage().heapUsed after global.gc() with the rebuilt projections alive.
 * `--quick` runs every benchmark at a small scale, for checking the harness itself. `--only <names>`
 * (comma-separated: append, api, rebuild, web, fulfilment, audit) runs just those, e.g. `--only web`.
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import Database from 'better-sqlite3';
import { runAppendBench } from './appendBench';
import { runApiBench } from './apiBench';
import { runRebuildBench } from './rebuildBench';
import { formatMegabytes, formatNumber, progress, renderTable, type ResultRow } from './report';
import { createTempDir, type TempDir } from './tempFiles';
import { runWebBench } from './webBench';
import { runFulfilmentBench } from './fulfilmentBench';
import { runAuditLogBench, writeAuditLogBenchLog } from './auditLogBench';

const BENCHMARKS = ['append', 'api', 'rebuild', 'web', 'fulfilment', 'audit'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

interface BenchSettings {
  readonly appendDurationMs: number;
  readonly appendRounds: number;
  readonly appendWarmup: number;
  readonly appendStreams: number;
  readonly apiClients: number;
  readonly apiReadClients: number;
  /** Requests per side and measure of benchmark 2, over all its rounds, at most. */
  readonly apiMaxRequests: number;
  /** Measured time per side and measure of benchmark 2, over all its rounds, at most. */
  readonly apiPhaseMs: number;
  /** Turns the sides of benchmark 2 take per measure. */
  readonly apiRounds: number;
  readonly apiWarmupPerClient: number;
  readonly apiWarmupReadsPerClient: number;
  readonly apiMaxRawInserts: number;
  readonly rebuildSizes: readonly number[];
  readonly rebuildRounds: number;
  readonly plans: number;
  readonly eventsPerAppend: number;
  readonly pointInTimeReads: number;
  /** Cold loads of each web app screen (and of the baseline page). */
  readonly webRuns: number;
  /** Participants reporting every month of the two-year plan in benchmark 6. */
  readonly fulfilmentParticipants: number;
  /** Timed calls of the fulfilment view and of its baseline, each. */
  readonly fulfilmentReads: number;
  /** Timed HTTP requests of the fulfilment route and of its baseline, each. */
  readonly fulfilmentHttpReads: number;
  /** Events in the log of benchmark 7 (the verifiable log). */
  readonly auditEvents: number;
  /** Timed proofs of each kind in benchmark 7. */
  readonly auditProofs: number;
}

const FULL: BenchSettings = {
  appendDurationMs: 5_000,
  appendRounds: 5,
  appendWarmup: 500,
  appendStreams: 16,
  apiClients: 16,
  apiReadClients: 32,
  apiMaxRequests: 100_000,
  apiPhaseMs: 6_000,
  apiRounds: 4,
  apiWarmupPerClient: 20,
  apiWarmupReadsPerClient: 20,
  apiMaxRawInserts: 5_000,
  rebuildSizes: [100_000, 1_000_000],
  rebuildRounds: 2,
  plans: 40,
  eventsPerAppend: 50,
  pointInTimeReads: 200,
  webRuns: 5,
  fulfilmentParticipants: 30,
  fulfilmentReads: 200,
  fulfilmentHttpReads: 100,
  auditEvents: 1_000_000,
  auditProofs: 2_000,
};

const QUICK: BenchSettings = {
  ...FULL,
  appendDurationMs: 500,
  appendWarmup: 50,
  apiPhaseMs: 1_000,
  apiRounds: 2,
  apiWarmupPerClient: 2,
  apiWarmupReadsPerClient: 2,
  apiMaxRawInserts: 500,
  rebuildSizes: [5_000, 20_000],
  plans: 4,
  webRuns: 2,
  fulfilmentParticipants: 6,
  fulfilmentReads: 20,
  fulfilmentHttpReads: 10,
  auditEvents: 20_000,
  auditProofs: 200,
};

const SEED = 20_241_350;

function environment(): string {
  const cores = cpus();
  const driver = JSON.parse(
    readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8'),
  ) as { version?: string };
  const db = new Database(':memory:');
  const sqlite = db.prepare<[], string>('SELECT sqlite_version()').pluck().get() ?? '?';
  db.close();
  return [
    `node ${process.version}, better-sqlite3 ${driver.version ?? '?'}, SQLite ${sqlite}`,
    `${platform()} ${release()} ${arch()}, ${cores[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${cores.length} cores, ${formatMegabytes(totalmem())} RAM; load average ${loadAverage()}`,
  ].join('\n');
}

/** 1-minute load average: other work on the machine makes every figure noisier. */
function loadAverage(): string {
  return formatNumber(loadavg()[0] ?? 0, 2);
}

interface BenchResults {
  readonly rows: ResultRow[];
  /** Lines printed under the table: benchmarks that could not run here, and why. */
  readonly skipped: string[];
}

async function runAll(
  temp: TempDir,
  settings: BenchSettings,
  selected: ReadonlySet<Benchmark>,
): Promise<BenchResults> {
  const rows: ResultRow[] = [];
  const skipped: string[] = [];
  if (selected.has('append')) {
    rows.push(
      ...(await runAppendBench(temp, {
        durationMs: settings.appendDurationMs,
        rounds: settings.appendRounds,
        warmupAppends: settings.appendWarmup,
        streams: settings.appendStreams,
      })),
    );
  }
  if (selected.has('api')) {
    rows.push(
      ...(await runApiBench(temp, {
        clients: settings.apiClients,
        readClients: settings.apiReadClients,
        maxRequests: settings.apiMaxRequests,
        phaseMs: settings.apiPhaseMs,
        rounds: settings.apiRounds,
        warmupWritesPerClient: settings.apiWarmupPerClient,
        warmupReadsPerClient: settings.apiWarmupReadsPerClient,
        maxRawInserts: settings.apiMaxRawInserts,
      })),
    );
  }
  for (const [index, events] of selected.has('rebuild') ? settings.rebuildSizes.entries() : []) {
    rows.push(
      ...(await runRebuildBench(temp, {
        events,
        id: `3${String.fromCharCode(97 + index)}`,
        plans: settings.plans,
        eventsPerAppend: settings.eventsPerAppend,
        seed: SEED,
        // The first log goes through the adapter's append; larger ones would spend minutes there.
        writer: index === 0 ? 'store' : 'bulk',
        rounds: settings.rebuildRounds,
        warmUp: index === 0,
        measureHeap: index === settings.rebuildSizes.length - 1,
        ...(index === settings.rebuildSizes.length - 1 && {
          pointInTimeReads: settings.pointInTimeReads,
        }),
      })),
    );
  }
  if (selected.has('fulfilment')) {
    const fulfilment = await runFulfilmentBench(temp, {
      participants: settings.fulfilmentParticipants,
      reads: settings.fulfilmentReads,
      httpReads: settings.fulfilmentHttpReads,
    });
    rows.push(...fulfilment.rows);
    skipped.push(...fulfilment.skipped);
  }
  if (selected.has('audit')) {
    const auditOptions = {
      events: settings.auditEvents,
      plans: settings.plans,
      eventsPerAppend: settings.eventsPerAppend,
      seed: SEED,
      proofs: settings.auditProofs,
      verifierRounds: 2,
    };
    const log = await writeAuditLogBenchLog(temp, auditOptions);
    try {
      rows.push(...(await runAuditLogBench(log, auditOptions, temp)));
    } finally {
      temp.removeDatabase(log.file);
    }
  }
  if (selected.has('web')) {
    const web = await runWebBench(temp, { runs: settings.webRuns });
    rows.push(...web.rows);
    if (web.skipped !== undefined) skipped.push(web.skipped);
  }
  return { rows, skipped };
}

/** The benchmarks `--only a,b` names (all without it); an unknown name is an error. */
function selectedBenchmarks(argv: readonly string[]): Set<Benchmark> {
  const at = argv.indexOf('--only');
  if (at === -1) return new Set(BENCHMARKS);
  const names = (argv[at + 1] ?? '').split(',').filter((name) => name !== '');
  const known = new Set<string>(BENCHMARKS);
  const unknown = names.filter((name) => !known.has(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(
      `--only takes a comma-separated list of ${BENCHMARKS.join(', ')}; got ${JSON.stringify(argv[at + 1] ?? '')}`,
    );
  }
  return new Set(BENCHMARKS.filter((name) => names.includes(name)));
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const settings = quick ? QUICK : FULL;
  const selected = selectedBenchmarks(process.argv);
  const started = performance.now();
  const temp = createTempDir();
  const removeAndExit = () => {
    temp.remove();
    process.exit(130);
  };
  process.once('SIGINT', removeAndExit);
  process.once('SIGTERM', removeAndExit);
  process.stdout.write(`Pledge tracker benchmarks${quick ? ' (--quick: small scale)' : ''}\n`);
  process.stdout.write(`${environment()}\n`);
  progress(`temp files in ${temp.path}`);
  try {
    const { rows, skipped } = await runAll(temp, settings, selected);
    process.stdout.write(`\n${renderTable(rows)}\n\n`);
    for (const line of skipped) process.stdout.write(`${line}\n`);
    process.stdout.write(
      `ratio = tracker / baseline, same run, same machine; total ${formatNumber((performance.now() - started) / 1000, 1)} s; ` +
        `load average at the end ${loadAverage()}\n`,
    );
  } finally {
    temp.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
