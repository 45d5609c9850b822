/**
 * Benchmark 3: events per second for a full rebuild of every projection (a new Projector over
 * ALL_PROJECTIONS, catchUp() from empty) over a generated log, against raw better-sqlite3 reading
 * every row in order and parsing data and metadata. Also measured, without a baseline of their
 * own: writing the log (the adapter's batched append) and the projector's read path alone (no
 * projections), which splits the rebuild's cost between reading and folding.
 */
import { statSync } from 'node:fs';
import type { EventStore } from '../src/eventStore/port';
import { openSqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore';
import { ALL_PROJECTIONS, planReadModel, Projector } from '../src/projections';
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
    const store = openSqliteEventStore(file);
    try {
      if (options.warmUp) {
        progress(`${options.id}: warm-up (unmeasured raw scan and read path)`);
        rawScan(file, options.events);
        await new Projector(store, []).catchUp();
      }
      // Best of `rounds`, the three measurements interleaved, so noise from other load on the
      // machine is less likely to favour one side.
      let rawMs = Infinity;
      let readMs = Infinity;
      let rebuildMs = Infinity;
      // Measured on the last round, with that round's projector alive.
      let heap = { before: 0, after: 0 };
      for (let round = 1; round <= options.rounds; round++) {
        const of = `round ${round}/${options.rounds}`;
        progress(`${options.id}: raw scan and parse, ${of}`);
        rawMs = Math.min(rawMs, await timed(() => rawScan(file, options.events)));

        progress(`${options.id}: projector read path only, ${of}`);
        readMs = Math.min(readMs, await timed(() => new Projector(store, []).catchUp()));

        progress(`${options.id}: full rebuild of ${ALL_PROJECTIONS.length} projections, ${of}`);
        const rebuild = await fullRebuild(store, options);
        rebuildMs = Math.min(rebuildMs, rebuild.ms);
        heap = rebuild.heap;
      }

      const rawPerSecond = perSecond(options.events, rawMs);
      const rows: ResultRow[] = [
        {
          id: options.id,
          what: `rebuild ALL_PROJECTIONS from empty, ${label} events`,
          unit: 'events/s',
          tracker: perSecond(options.events, rebuildMs),
          baseline: rawPerSecond,
          notes:
            `${formatNumber(rebuildMs / 1000, 2)} s vs ${formatNumber(rawMs / 1000, 2)} s; ` +
            `baseline: raw SELECT of every row in order + JSON.parse`,
        },
        {
          id: options.id,
          what: `  read path only (Projector, no projections)`,
          unit: 'events/s',
          tracker: perSecond(options.events, readMs),
          baseline: rawPerSecond,
          notes: `${formatNumber(readMs / 1000, 2)} s; readAll pages of 500`,
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

async function timed(work: () => unknown): Promise<number> {
  collectGarbage();
  const started = performance.now();
  await work();
  return performance.now() - started;
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
): Promise<{ ms: number; heap: { before: number; after: number } }> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const projector = new Projector(store, ALL_PROJECTIONS);
  const started = performance.now();
  const position = await projector.catchUp();
  const ms = performance.now() - started;
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  checkRebuilt(projector, options, position, await store.headPosition());
  return { ms, heap: { before, after } };
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
