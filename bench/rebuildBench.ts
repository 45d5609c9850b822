/**
 * Benchmark 3: events per second for a full rebuild of every projection (a new Projector over
 * ALL_PROJECTIONS, catchUp() from empty, reading the log ahead in a worker thread as the server
 * does) over a generated log, against raw better-sqlite3 reading every row in order and parsing
 * data and metadata. Also measured: the same rebuild on one thread (the store's pages read between
 * folds), the projector's read path alone (no projections), which splits the rebuild's cost
 * between reading and folding, and writing the log (the adapter's batched append). Where the OS
 * tells it (Linux), the notes give the CPU time of the measuring thread too: with two threads at
 * work, and other load on the machine, wall time alone hides how much each side asked of a core.
 */
import { readFileSync, statSync } from 'node:fs';
import type { EventStore } from '../src/eventStore/port';
import { openSqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore';
import {
  ALL_PROJECTIONS,
  planReadModel,
  Projector,
  type ProjectorOptions,
} from '../src/projections';
import { sqliteLogReadAhead } from '../src/workers/logReadAhead';
import { runPointInTimeBench } from './pointInTimeBench';
import { generateEventLog, storeSink, type GeneratedLog } from './generateEvents';
import { BulkEventLoader, scanAndParse } from './rawSqlite';
import { formatMegabytes, formatNumber, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface RebuildBenchOptions {
  readonly events: number;
  /** Row id prefix, e.g. `3a`. */
  readonly id: string;
  readonly plans: number;
  readonly eventsPerAppend: number;
  readonly seed: number;
  /** `store`: the adapter's append, `eventsPerAppend` per call; `bulk`: BulkEventLoader. */
  readonly writer: 'store' | 'bulk';
  /** Each figure is the best of this many interleaved runs. */
  readonly rounds: number;
  /** One unmeasured raw scan and read path first, so the first figures are not cold-code ones. */
  readonly warmUp: boolean;
  /** Also report the heap held by the rebuilt projections. */
  readonly measureHeap: boolean;
  /** Also run benchmark 4 (restart, asOf, /health during a replay) on this log, with this many asOf reads. */
  readonly pointInTimeReads?: number;
}

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('Run node with --expose-gc (npm run bench does)');
  gc();
  gc();
}

export async function runRebuildBench(
  temp: TempDir,
  options: RebuildBenchOptions,
): Promise<ResultRow[]> {
  const label = shortCount(options.events);
  const file = temp.file(`rebuild-${label}.db`);
  try {
    progress(`${options.id}: writing ${formatNumber(options.events)} events`);
    const generated = await generate(file, options);
    const fileBytes = statSync(file).size;
    // The open's quick check done before measuring, not in the background during the first round.
    const store = openSqliteEventStore(file, { quickCheck: 'at_open' });
    // As the server reads a long stretch of the log.
    const readAhead: ProjectorOptions = { readAhead: sqliteLogReadAhead(file) };
    try {
      if (options.warmUp) {
        progress(`${options.id}: warm-up (unmeasured raw scan and read path)`);
        rawScan(file, options.events);
        await new Projector(store, [], readAhead).catchUp();
        await new Projector(store, []).catchUp();
      }
      // Best of `rounds`, the three measurements interleaved, so noise from other load on the
      // machine is less likely to favour one side.
      let raw = NOT_YET;
      let read = NOT_YET;
      let rebuild = NOT_YET;
      let oneThread = NOT_YET;
      // Measured on the last round, with that round's projector alive.
      let heap = { before: 0, after: 0 };
      for (let round = 1; round <= options.rounds; round++) {
        const of = `round ${round}/${options.rounds}`;
        progress(`${options.id}: raw scan and parse, ${of}`);
        raw = best(raw, await timed(() => rawScan(file, options.events)));

        progress(`${options.id}: projector read path only, ${of}`);
        read = best(read, await timed(() => new Projector(store, [], readAhead).catchUp()));

        progress(`${options.id}: full rebuild of ${ALL_PROJECTIONS.length} projections, ${of}`);
        const rebuilt = await fullRebuild(store, options, readAhead);
        rebuild = best(rebuild, rebuilt);
        heap = rebuilt.heap;

        progress(`${options.id}: full rebuild on one thread, ${of}`);
        oneThread = best(oneThread, await fullRebuild(store, options, {}));
      }

      const rawPerSecond = perSecond(options.events, raw.ms);
      const rows: ResultRow[] = [
        {
          id: options.id,
          what: `rebuild ALL_PROJECTIONS from empty, ${label} events`,
          unit: 'events/s',
          tracker: perSecond(options.events, rebuild.ms),
          baseline: rawPerSecond,
          notes:
            `${formatNumber(rebuild.ms / 1000, 2)} s vs ${formatNumber(raw.ms / 1000, 2)} s${cpuNote(rebuild, raw)}; ` +
            `log read ahead in a worker thread; baseline: raw SELECT of every row in order + JSON.parse`,
        },
        {
          id: options.id,
          what: `  the same on one thread (store's pages between folds)`,
          unit: 'events/s',
          tracker: perSecond(options.events, oneThread.ms),
          baseline: rawPerSecond,
          notes: `${formatNumber(oneThread.ms / 1000, 2)} s${cpuNote(oneThread, raw)}; readAll pages of 500`,
        },
        {
          id: options.id,
          what: `  read path only (Projector, no projections)`,
          unit: 'events/s',
          tracker: perSecond(options.events, read.ms),
          baseline: rawPerSecond,
          notes: `${formatNumber(read.ms / 1000, 2)} s${cpuNote(read, raw)}; read ahead in a worker thread`,
        },
        {
          id: options.id,
          what:
            options.writer === 'store'
              ? `  writing the log: adapter append, pledges ${options.eventsPerAppend}/call`
              : `  writing the log: bulk loader (setup only)`,
          unit: 'events/s',
          tracker: perSecond(generated.events, generated.elapsedMs),
          baseline: undefined,
          notes:
            `${formatNumber(generated.appends)} ${options.writer === 'store' ? 'appends' : 'chunks'}, ${generated.plans} plans, ` +
            `${formatNumber(generated.pledgeStreams)} pledge streams; file ${formatMegabytes(fileBytes)}; ` +
            typeMix(generated),
        },
      ];
      if (options.measureHeap) {
        rows.push({
          id: options.id,
          what: `  heap used after rebuild (after gc)`,
          unit: 'MiB',
          tracker: heap.after / (1024 * 1024),
          baseline: undefined,
          notes:
            `goal < 150 MiB; projections hold ${formatMegabytes(heap.after - heap.before)} ` +
            `(${formatNumber((heap.after - heap.before) / options.events)} bytes/event); ` +
            `heap before ${formatMegabytes(heap.before)}`,
          digits: 1,
        });
      }
      await store.close();
      if (options.pointInTimeReads !== undefined) {
        rows.push(
          ...(await runPointInTimeBench(temp, {
            id: '4',
            file,
            events: options.events,
            asOfReads: options.pointInTimeReads,
          })),
        );
      }
      return rows;
    } finally {
      await store.close();
    }
  } finally {
    temp.removeDatabase(file);
  }
}

/** Wall time, and the CPU time of this thread where the OS tells it (undefined elsewhere). */
interface Timing {
  readonly ms: number;
  readonly cpuMs: number | undefined;
}

const NOT_YET: Timing = { ms: Infinity, cpuMs: undefined };

/** The faster of two timings (its CPU time with it). */
function best(current: Timing, next: Timing): Timing {
  return next.ms < current.ms ? next : current;
}

async function timed(work: () => unknown): Promise<Timing> {
  collectGarbage();
  const cpuBefore = threadCpuMs();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  const cpuAfter = threadCpuMs();
  return {
    ms,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

/** CPU time (user + system) of this process's main thread, from Linux's /proc; 10 ms steps. */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

function cpuNote(tracker: Timing, raw: Timing): string {
  if (tracker.cpuMs === undefined || raw.cpuMs === undefined || tracker.cpuMs === 0) return '';
  return (
    ` (this thread's CPU ${formatNumber(tracker.cpuMs / 1000, 2)} s vs ${formatNumber(raw.cpuMs / 1000, 2)} s, ` +
    `ratio ${formatNumber(raw.cpuMs / tracker.cpuMs, 2)})`
  );
}

function rawScan(file: string, expectedRows: number): void {
  const scan = scanAndParse(file);
  if (scan.rows !== expectedRows) {
    throw new Error(`The raw scan read ${scan.rows} rows, expected ${expectedRows}`);
  }
}

/** A new Projector over ALL_PROJECTIONS caught up from empty; heap measured while it is alive. */
async function fullRebuild(
  store: EventStore,
  options: RebuildBenchOptions,
  projectorOptions: ProjectorOptions,
): Promise<Timing & { heap: { before: number; after: number } }> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const projector = new Projector(store, ALL_PROJECTIONS, projectorOptions);
  let position = 0;
  const timing = await timed(async () => {
    position = await projector.catchUp();
  });
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  checkRebuilt(projector, options, position, await store.headPosition());
  return { ...timing, heap: { before, after } };
}

/** Writes the log through the store's append, or (for large logs) with the bulk loader. */
async function generate(file: string, options: RebuildBenchOptions): Promise<GeneratedLog> {
  const generateOptions = {
    totalEvents: options.events,
    plans: options.plans,
    eventsPerAppend: options.eventsPerAppend,
    seed: options.seed,
    // Through the adapter a report costs a durable commit of its own: only the bulk log has them.
    reports: options.writer === 'bulk',
  };
  // The adapter creates and migrates the file either way, so the schema is its own.
  const store = openSqliteEventStore(file);
  if (options.writer === 'store') {
    try {
      return await generateEventLog(storeSink(store), generateOptions);
    } finally {
      await store.close();
    }
  }
  await store.close();
  const loader = new BulkEventLoader(file);
  try {
    return await generateEventLog(loader, generateOptions);
  } finally {
    loader.close();
  }
}

/** The rebuild saw every event, and the projections folded them into what the log describes. */
function checkRebuilt(
  projector: Projector,
  options: RebuildBenchOptions,
  position: number,
  head: number,
): void {
  if (position !== head) throw new Error(`Rebuild stopped at ${position}, head is ${head}`);
  const plans = projector.state(planReadModel).plans;
  const adopted = [...plans.values()].filter(
    (entry) => entry.plan?.state.status === 'adopted',
  ).length;
  if (plans.size !== options.plans || adopted !== options.plans) {
    throw new Error(`Expected ${options.plans} adopted plans, found ${adopted} of ${plans.size}`);
  }
  if (projector.eventsFolded !== options.events) {
    throw new Error(
      `The rebuild folded ${projector.eventsFolded} events, expected ${options.events}`,
    );
  }
}

function perSecond(count: number, ms: number): number {
  return (count * 1000) / ms;
}

function shortCount(count: number): string {
  if (count >= 1_000_000 && count % 1_000_000 === 0) return `${count / 1_000_000}M`;
  if (count >= 1_000 && count % 1_000 === 0) return `${count / 1_000}k`;
  return String(count);
}

function typeMix(generated: GeneratedLog): string {
  const count = (type: string) => generated.countsByType.get(type) ?? 0;
  const share = (events: number) => `${formatNumber((100 * events) / generated.events, 1)}%`;
  return (
    `${share(count('PledgeRevised'))} revisions, ${share(count('PledgeWithdrawn'))} withdrawals, ` +
    `${share(count('ImplementationReportSubmitted'))} monthly reports, ` +
    `${share(count('ImplementationReportCorrected'))} report corrections`
  );
}
