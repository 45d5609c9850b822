/**
 * Benchmark 1: durable appends per second. Every call appends one PledgeRevised to an existing
 * pledge stream with the right expected version; the baseline inserts the same event with raw
 * better-sqlite3, one transaction per row, into a table of the same shape: the single-commit
 * ceiling of the disk. The store runs once with one client, and once with as many concurrent
 * clients as streams, each on its own stream (what group commit is for); beside it, raw inserts of
 * one row per stream in one transaction, the most such a commit can carry. Every side runs on its
 * own file, in alternating rounds, so a slow spell of the disk hits all sides alike.
 */
import {
  openSqliteEventStore,
  type GroupCommitStats,
} from '../src/eventStore/sqlite/sqliteEventStore';
import { pledgeStreamId } from '../src/domain/pledge/pledgeEvents';
import {
  BENCH_PLAN_ID,
  BOUND_MEMBER_STATES,
  pledgeRevisedEvent,
  pledgeSubmittedEvent,
} from './fixtures';
import { rawEventRow, RawEventWriter } from './rawSqlite';
import { formatNumber, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface AppendBenchOptions {
  /** Measured time per side, split over the rounds. */
  readonly durationMs: number;
  readonly rounds: number;
  /** Unmeasured appends per side first, so both run warm code. */
  readonly warmupAppends: number;
  /** Streams written round-robin. */
  readonly streams: number;
}

/** Operations done and time spent, summed over measured spells. */
class Tally {
  operations = 0;
  elapsedMs = 0;

  get perSecond(): number {
    return (this.operations * 1000) / this.elapsedMs;
  }

  /** Runs `step` for `durationMs` and adds what it did: `operationsPerStep` operations a call. */
  async measure(
    durationMs: number,
    step: () => void | Promise<void>,
    operationsPerStep = 1,
  ): Promise<void> {
    const started = performance.now();
    let elapsedMs = 0;
    while (elapsedMs < durationMs) {
      await step();
      this.operations += operationsPerStep;
      elapsedMs = performance.now() - started;
    }
    this.elapsedMs += elapsedMs;
  }

  /** Runs `clients` loops of `step` side by side for `durationMs` and adds what they did. */
  async measureConcurrent(
    durationMs: number,
    clients: number,
    step: (client: number) => Promise<void>,
  ): Promise<void> {
    const started = performance.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        while (performance.now() < deadline) {
          await step(client);
          this.operations++;
        }
      }),
    );
    this.elapsedMs += performance.now() - started;
  }
}

export async function runAppendBench(
  temp: TempDir,
  options: AppendBenchOptions,
): Promise<ResultRow[]> {
  const memberStates = BOUND_MEMBER_STATES.slice(0, options.streams);
  const streamIds = memberStates.map((memberState) => pledgeStreamId(BENCH_PLAN_ID, memberState));

  const rawFile = temp.file('append-raw.db');
  const raw = new RawEventWriter(rawFile);
  let rawCount = 0;
  const rawVersions = streamIds.map(() => 0);
  const rawStep = (): void => {
    const slot = rawCount++ % streamIds.length;
    const version = (rawVersions[slot] ?? 0) + 1;
    raw.insert(
      streamIds[slot] ?? '',
      version,
      pledgeRevisedEvent(memberStates[slot] ?? '', rawCount),
    );
    rawVersions[slot] = version;
  };

  // The physical ceiling of group commit for these clients: each waits for its own acknowledgement,
  // so a commit can carry at most one append per client. Raw rows, one per stream, one fsync.
  const rawBatchFile = temp.file('append-raw-batch.db');
  const rawBatch = new RawEventWriter(rawBatchFile);
  const rawBatchVersions = streamIds.map(() => 0);
  let rawBatchCount = 0;
  const rawBatchStep = (): void => {
    rawBatch.insertBatch(
      streamIds.map((streamId, slot) => {
        const version = (rawBatchVersions[slot] ?? 0) + 1;
        rawBatchVersions[slot] = version;
        return rawEventRow(
          streamId,
          version,
          pledgeRevisedEvent(memberStates[slot] ?? '', rawBatchCount++),
        );
      }),
    );
  };

  const storeFile = temp.file('append-store.db');
  const store = await storeSide(storeFile, 'maintain', memberStates, streamIds);
  const untreedFile = temp.file('append-store-without-tree.db');
  const untreed = await storeSide(untreedFile, 'off_for_benchmark', memberStates, streamIds);
  const storeStep = store.step;
  const concurrentFile = temp.file('append-store-concurrent.db');
  const concurrent = await storeSide(concurrentFile, 'maintain', memberStates, streamIds);

  try {
    for (let index = 0; index < options.warmupAppends; index++) {
      rawStep();
      if (index % streamIds.length === 0) rawBatchStep();
      await storeStep();
      await untreed.step();
    }
    // One append per stream at a time: each client keeps to its own stream.
    for (let done = 0; done < options.warmupAppends; done += streamIds.length) {
      await Promise.all(streamIds.map((_, slot) => concurrent.stepOn(slot)));
    }
    const rawTally = new Tally();
    const storeTally = new Tally();
    const untreedTally = new Tally();
    const concurrentTally = new Tally();
    const rawBatchTally = new Tally();
    const spellMs = options.durationMs / options.rounds;
    // Commits of the concurrent side while measured: how many appends each fsync carried.
    let concurrentBatches = 0;
    let concurrentAnswered = 0;
    progress(
      `1: appends, raw, SqliteEventStore, SqliteEventStore without its Merkle tree, SqliteEventStore with ${streamIds.length} concurrent clients and raw ${streamIds.length} rows a commit alternating, ${options.rounds} rounds of ${spellMs / 1000} s each`,
    );
    for (let round = 0; round < options.rounds; round++) {
      await rawTally.measure(spellMs, rawStep);
      await storeTally.measure(spellMs, storeStep);
      await untreedTally.measure(spellMs, untreed.step);
      const before = concurrent.stats();
      await concurrentTally.measureConcurrent(spellMs, streamIds.length, concurrent.stepOn);
      const after = concurrent.stats();
      concurrentBatches += after.batches - before.batches;
      concurrentAnswered += after.appends - before.appends;
      await rawBatchTally.measure(spellMs, rawBatchStep, streamIds.length);
    }
    return [
      {
        id: '1',
        what: 'durable append, 1 client (PledgeRevised, 6 lines)',
        unit: 'appends/s',
        tracker: storeTally.perSecond,
        baseline: rawTally.perSecond,
        notes:
          `${formatNumber(storeTally.operations)} vs ${formatNumber(rawTally.operations)} appends ` +
          `over ${streamIds.length} streams; baseline: raw INSERT, own txn`,
      },
      {
        id: '1',
        what: '  with the Merkle tree vs without it',
        unit: 'appends/s',
        tracker: storeTally.perSecond,
        baseline: untreedTally.perSecond,
        notes:
          `baseline: the same store not writing leaves (${formatNumber(untreedTally.operations)} appends); ` +
          `goal: ratio >= 0.90`,
      },
      {
        id: '1',
        what: `durable append, ${streamIds.length} concurrent clients, own streams`,
        unit: 'appends/s',
        tracker: concurrentTally.perSecond,
        baseline: rawTally.perSecond,
        notes:
          `${formatNumber(concurrentTally.operations)} appends in ${formatNumber(concurrentBatches)} ` +
          `commits (${formatNumber(concurrentAnswered / Math.max(1, concurrentBatches), 1)} a commit); ` +
          `baseline: raw single-commit ceiling (synchronous=FULL, one row a txn, as above); ` +
          `goal: ratio >= 10`,
      },
      {
        id: '1',
        what: `  raw: ${streamIds.length} rows a commit vs one row a commit`,
        unit: 'rows/s',
        tracker: rawBatchTally.perSecond,
        baseline: rawTally.perSecond,
        notes:
          `the most a commit of ${streamIds.length} waiting clients can carry, with nothing around ` +
          `the INSERTs: the ceiling of the ratio above on this disk`,
      },
      {
        id: '1',
        what: `  ${streamIds.length} concurrent clients vs raw ${streamIds.length} rows a commit`,
        unit: 'appends/s',
        tracker: concurrentTally.perSecond,
        baseline: rawBatchTally.perSecond,
        notes: 'what the checks, the Merkle tree and the round trip to the writer thread cost',
      },
    ];
  } finally {
    raw.close();
    rawBatch.close();
    await store.close();
    await untreed.close();
    await concurrent.close();
    temp.removeDatabase(rawFile);
    temp.removeDatabase(rawBatchFile);
    temp.removeDatabase(concurrentFile);
    temp.removeDatabase(storeFile);
    temp.removeDatabase(untreedFile);
  }
}

/** A store with one submitted pledge per stream, and a step that revises them round-robin. */
async function storeSide(
  file: string,
  auditTree: 'maintain' | 'off_for_benchmark',
  memberStates: readonly string[],
  streamIds: readonly string[],
): Promise<{
  step: () => Promise<void>;
  stepOn: (slot: number) => Promise<void>;
  stats: () => GroupCommitStats;
  close: () => Promise<void>;
}> {
  const store = openSqliteEventStore(file, { auditTree });
  let count = 0;
  const versions: number[] = [];
  for (const [slot, streamId] of streamIds.entries()) {
    const result = await store.append(
      streamId,
      [pledgeSubmittedEvent(memberStates[slot] ?? '', 0)],
      { expectedVersion: 'no_stream' },
    );
    versions.push(result.nextExpectedVersion);
  }
  /** Revises the pledge of stream `slot`; one client at a time per stream. */
  const stepOn = async (slot: number): Promise<void> => {
    count++;
    const result = await store.append(
      streamIds[slot] ?? '',
      [pledgeRevisedEvent(memberStates[slot] ?? '', count)],
      { expectedVersion: versions[slot] ?? 0 },
    );
    versions[slot] = result.nextExpectedVersion;
  };
  return {
    step: () => stepOn(count % streamIds.length),
    stepOn,
    stats: () => store.groupCommitStats(),
    close: () => store.close(),
  };
}
