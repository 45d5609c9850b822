/**
 * The replay check's rebuild in a worker thread, with its own connections to a real SQLite store
 * and snapshot file: the same answer as the check run in process, and the same findings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import {
  ALL_PROJECTIONS,
  planReadModel,
  Projector,
  type ReplayCheckResult,
} from '../../src/projections';
import { SqliteSnapshotStore } from '../../src/snapshots/sqliteSnapshotStore';
import { workerWholeLogRunner } from '../../src/workers/wholeLogRunner';
import {
  appendAll,
  contribution,
  createEventLog,
  humanitarian,
  resettlement,
} from '../projections/builders';

/** A worker compiles the TypeScript sources it runs: a ceiling for that, not a measure. */
const WORKER_TIMEOUT = 60_000;

function aPlanLog() {
  const log = createEventLog();
  log.planCreated({ priorityCountries: ['TR'] });
  log.pledgingOpened('2025-10-31');
  log.pledgeSubmitted('DE', [resettlement('TR', 1000), humanitarian('LB', 200)]);
  log.pledgeSubmitted('FR', [resettlement('TR', 400)]);
  for (let round = 1; round <= 10; round++) {
    log.pledgeRevised('DE', [resettlement('TR', 1000 + round)], `Round ${round}`);
  }
  log.pledgingClosed();
  log.planProposed([
    contribution('DE', resettlement('TR', 1010)),
    contribution('FR', resettlement('TR', 400)),
  ]);
  log.planAdopted([
    contribution('DE', resettlement('TR', 900)),
    contribution('FR', resettlement('TR', 400)),
  ]);
  return log;
}

/** What two checks of the same log and snapshots must agree on (timings aside). */
const findings = (check: ReplayCheckResult) => ({
  ok: check.ok,
  position: check.position,
  eventCount: check.eventCount,
  projections: check.projections,
  snapshots: check.snapshots,
});

describe('workerWholeLogRunner over SQLite files', () => {
  let directory: string;
  let file: string;
  let snapshotFile: string;
  let store: SqliteEventStore;
  let snapshots: SqliteSnapshotStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'whole-log-'));
    file = join(directory, 'pledges.db');
    snapshotFile = join(directory, 'pledges.snapshots.db');
    store = openSqliteEventStore(file);
    snapshots = SqliteSnapshotStore.open(snapshotFile);
    await appendAll(store, aPlanLog().events);
  });

  afterEach(async () => {
    snapshots.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const inWorker = () =>
    new Projector(store, ALL_PROJECTIONS, {
      snapshots,
      snapshotEvery: 5,
      wholeLog: workerWholeLogRunner({ kind: 'sqlite', file, snapshotFile }),
    });
  const inProcess = () => new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: 5 });

  it(
    'passes the replay check, with the same digests and snapshot findings as in process',
    async () => {
      const projector = inWorker();
      await projector.catchUp();
      const local = inProcess();
      await local.catchUp();

      const check = await projector.replayCheck();
      const localCheck = await local.replayCheck();

      expect(check).toMatchObject({ ok: true, position: 17, eventCount: 17 });
      expect(check.projections).toEqual([
        expect.objectContaining({ name: 'planReadModel', equal: true }),
        expect.objectContaining({ name: 'storageUsage', equal: true }),
      ]);
      expect(check.projections[0]?.rebuiltDigest).toBe(check.projections[0]?.liveDigest);
      expect(check.snapshots.map((snapshot) => snapshot.position)).toEqual([5, 10, 15]);
      expect(
        check.snapshots.every((snapshot) => snapshot.payloadIntact && snapshot.matchesLog),
      ).toBe(true);
      expect(findings(check)).toEqual(findings(localCheck));
    },
    WORKER_TIMEOUT,
  );

  it(
    'reads the snapshots written after it started, up to the checkpoint, and finds a damaged one',
    async () => {
      const projector = inWorker();
      await projector.catchUp();
      const log = createEventLog();
      // more events, written by this process after the first check
      await appendAll(
        store,
        Array.from({ length: 6 }, (_, round) =>
          log.recordedEvent('PledgeRevised', {
            planId: '2026-2027',
            memberState: 'FR',
            lines: [resettlement('TR', 390 - round)],
            reason: `Late ${round}`,
            planStatus: 'adopted',
          }),
        ),
      );
      await projector.catchUp();
      const db = new Database(snapshotFile);
      db.prepare('UPDATE read_model_snapshots SET payload = ? WHERE position = 10').run(
        Buffer.from('damaged'),
      );
      db.close();

      const check = await projector.replayCheck();

      expect(check).toMatchObject({ ok: false, position: 23, eventCount: 23 });
      expect(check.projections.map((projection) => projection.equal)).toEqual([true, true]);
      expect(check.snapshots.map((snapshot) => snapshot.position)).toEqual([5, 10, 15, 20]);
      expect(check.snapshots.find((snapshot) => snapshot.position === 10)).toMatchObject({
        payloadIntact: false,
      });
      expect(
        check.snapshots
          .filter((snapshot) => snapshot.position !== 10)
          .every((snapshot) => snapshot.payloadIntact && snapshot.matchesLog),
      ).toBe(true);
    },
    WORKER_TIMEOUT,
  );

  it(
    'reports a live state that no longer follows from the log',
    async () => {
      const projector = inWorker();
      await projector.catchUp();
      const pledge = projector.state(planReadModel).plans.get('2026-2027')?.pledges.get('FR');
      if (pledge === undefined) throw new Error('missing pledge');
      pledge.state = { status: 'active', lines: [resettlement('TR', 4000)] };

      const check = await projector.replayCheck();

      expect(check.ok).toBe(false);
      // The plan read model was changed behind the log's back; the storage usage was not.
      expect(check.projections.map((projection) => projection.equal)).toEqual([false, true]);
    },
    WORKER_TIMEOUT,
  );
});
