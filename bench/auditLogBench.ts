/**
 * Benchmark 7: the verifiable log at scale. Over a generated log of a million events (bulk
 * loaded, every event given its leaf as the store would): how long an inclusion proof and a
 * consistency proof take from the store (the goal: under 5 ms each, p99), with a primary-key read
 * of one event row by raw better-sqlite3 beside it as the floor any lookup pays; and how fast the
 * store's full check of log against tree runs, against raw better-sqlite3 reading and parsing
 * every row (the least any recomputation must do).
 */
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore';
import { generateEventLog } from './generateEvents';
import { BulkEventLoader, scanAndParse } from './rawSqlite';
import { formatMs, formatNumber, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface AuditLogBenchOptions {
  readonly events: number;
  readonly plans: number;
  readonly eventsPerAppend: number;
  readonly seed: number;
  /** Timed proofs of each kind (and raw reads). */
  readonly proofs: number;
}

export interface AuditLogBenchLog {
  /** The SQLite file holding the log and its tree (removed by the caller's temp dir). */
  readonly file: string;
  readonly events: number;
}

/** A seeded generator, so every run asks for the same proofs. */
function randomBelow(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export async function writeAuditLogBenchLog(
  temp: TempDir,
  options: AuditLogBenchOptions,
): Promise<AuditLogBenchLog> {
  const file = temp.file('audit-log.db');
  // The adapter creates and migrates the file, so the schema (tree tables included) is its own.
  await openSqliteEventStore(file).close();
  progress(`7: writing ${formatNumber(options.events)} events and their leaves`);
  const loader = new BulkEventLoader(file);
  try {
    await generateEventLog(loader, {
      totalEvents: options.events,
      plans: options.plans,
      eventsPerAppend: options.eventsPerAppend,
      seed: options.seed,
      reports: true,
    });
  } finally {
    loader.close();
  }
  return { file, events: options.events };
}

export async function runAuditLogBench(
  log: AuditLogBenchLog,
  options: AuditLogBenchOptions,
): Promise<ResultRow[]> {
  const label = formatNumber(log.events);
  const store = openSqliteEventStore(log.file);
  const raw = new Database(log.file, { readonly: true });
  try {
    const size = await store.auditTree.size();
    if (size !== log.events) throw new Error(`The tree has ${size} leaves, not ${log.events}`);
    const positions = raw
      .prepare<[], number>('SELECT global_position FROM events ORDER BY global_position')
      .pluck()
      .all();
    const readRow = raw.prepare<[number], unknown>(
      'SELECT * FROM events WHERE global_position = ?',
    );
    const random = randomBelow(options.proofs);

    const time = async (step: () => unknown): Promise<number[]> => {
      const samples: number[] = [];
      for (let index = 0; index < options.proofs; index++) {
        const started = performance.now();
        await step();
        samples.push(performance.now() - started);
      }
      return samples.sort((a, b) => a - b);
    };

    progress(`7: ${options.proofs} inclusion proofs, consistency proofs and raw row reads`);
    // Warm both sides' code and the page cache the same way.
    for (let index = 0; index < 200; index++) {
      const position = positions[random(size)]!;
      readRow.get(position);
      await store.auditTree.inclusionProof((await store.auditTree.leafIndexOf(position))!, size);
    }
    const rawReads = await time(() => readRow.get(positions[random(size)]!));
    const inclusion = await time(async () => {
      const position = positions[random(size)]!;
      const leafIndex = await store.auditTree.leafIndexOf(position);
      if (leafIndex === undefined) throw new Error(`No leaf for position ${position}`);
      return store.auditTree.inclusionProof(leafIndex, size);
    });
    const consistency = await time(() =>
      store.auditTree.consistencyProof(1 + random(size - 1), size),
    );

    progress(`7: full check of ${label} events against their leaves, and the raw scan`);
    const checkStarted = performance.now();
    const check = await store.auditTree.check();
    const checkMs = performance.now() - checkStarted;
    if (!check.ok) throw new Error(`The tree check failed: ${check.mismatch?.message ?? ''}`);
    const scanStarted = performance.now();
    const scanned = scanAndParse(log.file);
    const scanMs = performance.now() - scanStarted;

    const rawP99 = percentile(rawReads, 0.99);
    return [
      {
        id: '7',
        what: `inclusion proof at ${label} events, p99`,
        unit: 'ms',
        tracker: percentile(inclusion, 0.99),
        baseline: rawP99,
        digits: 3,
        notes:
          `p50 ${formatMs(percentile(inclusion, 0.5))}, max ${formatMs(inclusion.at(-1) ?? 0)} over ${options.proofs} leaves; ` +
          `baseline: one event row by position, raw; goal: under 5 ms`,
      },
      {
        id: '7',
        what: `  consistency proof at ${label} events, p99`,
        unit: 'ms',
        tracker: percentile(consistency, 0.99),
        baseline: rawP99,
        digits: 3,
        notes: `p50 ${formatMs(percentile(consistency, 0.5))} from random sizes to ${label}; goal: under 5 ms`,
      },
      {
        id: '7',
        what: `  full check of log against tree (${label} events)`,
        unit: 'events/s',
        tracker: (check.checkedLeaves * 1000) / checkMs,
        baseline: (scanned.rows * 1000) / scanMs,
        notes:
          `${formatNumber(checkMs / 1000, 1)} s, every leaf recomputed and every node rehashed; ` +
          `baseline: raw scan and parse (${formatNumber(scanMs / 1000, 1)} s)`,
      },
    ];
  } finally {
    raw.close();
    await store.close();
  }
}
