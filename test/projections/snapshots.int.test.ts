/**
 * Read-model snapshots: a restart starts from the latest one and ends where a fold from empty
 * ends; an `asOf` read folds from the one before the cut; a snapshot of another log, or one whose
 * payload cannot be read, is never used; the replay check finds a payload that was tampered with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type { RecordedEvent } from '../../src/eventStore/port';
import {
  ALL_PARTICIPANTS,
  ALL_PROJECTIONS,
  getTotals,
  planReadModel,
  Projector,
  type PlanReadModelState,
} from '../../src/projections';
import { InMemorySnapshotStore, type SnapshotStore } from '../../src/snapshots/snapshotStore';
import { SqliteSnapshotStore } from '../../src/snapshots/sqliteSnapshotStore';
import {
  appendAll,
  contribution,
  createEventLog,
  fold,
  humanitarian,
  PLAN_ID,
  resettlement,
  type EventLog,
} from './builders';

const EVERY = 5;

/**
 * A plan's whole cycle in 23 events: DE and FR pledge and revise seven times each, the round
 * closes, the plan is proposed and adopted, DE revises and FR withdraws. `frStart` changes FR's
 * figures from its first pledge (position 4) on.
 */
function planLog(options: { frStart?: number } = {}): EventLog {
  const fr = options.frStart ?? 400;
  const log = createEventLog();
  log.planCreated({ priorityCountries: ['TR'] });
  log.pledgingOpened('2025-10-31');
  log.pledgeSubmitted('DE', [resettlement('TR', 1000), humanitarian('LB', 200)]);
  log.pledgeSubmitted('FR', [resettlement('TR', fr)]);
  for (let round = 1; round <= 7; round++) {
    log.pledgeRevised('DE', [resettlement('TR', 1000 + round * 10)], `DE round ${round}`);
    log.pledgeRevised('FR', [resettlement('TR', fr - round)], `FR round ${round}`);
  }
  log.pledgingClosed();
  log.planProposed([
    contribution('DE', resettlement('TR', 1070)),
    contribution('FR', resettlement('TR', fr - 7)),
  ]);
  log.planAdopted([
    contribution('DE', resettlement('TR', 1000)),
    contribution('FR', resettlement('TR', fr - 7)),
  ]);
  log.pledgeRevised('DE', [resettlement('TR', 900)], 'After adoption');
  log.pledgeWithdrawn('FR', 'Budget');
  return log;
}

async function storeWith(events: readonly RecordedEvent[]): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  await appendAll(store, events);
  return store;
}

/** The read model folded from empty over the first `count` events of the log. */
const foldedFrom = (events: readonly RecordedEvent[], count = events.length): PlanReadModelState =>
  fold(planReadModel, events.slice(0, count));

/**
 * Compared by value, not by `stateDigest`: under jest a decoded snapshot's Maps and objects come
 * from Node's own realm, not the test sandbox's, and `instanceof` tells them apart.
 */
function expectSameState(actual: unknown, expected: PlanReadModelState): void {
  expect(actual).toEqual(expected);
}

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'snapshots-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

let fileCount = 0;
const nextSnapshotFile = () => join(directory, `snapshots-${++fileCount}.db`);

/** Runs one statement on the snapshot file behind the store's back, as a tampering hand would. */
function tamper(file: string, sql: string, ...parameters: unknown[]): number {
  const db = new Database(file);
  try {
    return db.prepare(sql).run(...parameters).changes;
  } finally {
    db.close();
  }
}

describe.each([
  ['in memory', () => (shared: InMemorySnapshotStore) => shared],
  [
    'in SQLite',
    () => (_shared: InMemorySnapshotStore, file: string) => SqliteSnapshotStore.open(file),
  ],
] as const)('snapshots %s', (_label, makeOpener) => {
  let openSnapshots: () => SnapshotStore;
  const opened: SnapshotStore[] = [];

  beforeEach(() => {
    const opener = makeOpener();
    const shared = new InMemorySnapshotStore();
    const file = nextSnapshotFile();
    openSnapshots = () => {
      const snapshots = opener(shared, file);
      opened.push(snapshots);
      return snapshots;
    };
  });
  afterEach(() => {
    for (const snapshots of opened.splice(0)) snapshots.close();
  });

  async function caughtUpWithSnapshots(events: readonly RecordedEvent[]) {
    const store = await storeWith(events);
    const snapshots = openSnapshots();
    const projector = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: EVERY });
    await projector.catchUp();
    return { store, snapshots, projector };
  }

  it(`persists the read models every ${EVERY} events`, async () => {
    const { snapshots, projector } = await caughtUpWithSnapshots(planLog().events);

    expect(
      snapshots
        .list(projector.snapshotFormat)
        .map((snapshot) => [snapshot.position, snapshot.eventCount]),
    ).toEqual([
      [5, 5],
      [10, 10],
      [15, 15],
      [20, 20],
    ]);
  });

  it('passes the replay check, every snapshot intact and matching the log', async () => {
    const { projector } = await caughtUpWithSnapshots(planLog().events);

    const check = await projector.replayCheck();

    expect(check.snapshots).toEqual(
      [5, 10, 15, 20].map((position) => ({
        position,
        eventCount: position,
        payloadIntact: true,
        matchesLog: true,
      })),
    );
    expect(check).toMatchObject({ ok: true, position: 23, eventCount: 23 });
  });

  it('restarts from the latest snapshot and catches up to the state a fold from empty gives', async () => {
    const log = planLog();
    const { store, projector: first } = await caughtUpWithSnapshots(log.events);
    // written after the first process stopped
    await appendAll(store, [
      log.pledgeRevised('DE', [resettlement('TR', 950)], 'Later'),
      log.pledgeSubmitted('FR', [resettlement('TR', 100)]),
    ]);

    const restarted = new Projector(store, ALL_PROJECTIONS, {
      snapshots: openSnapshots(),
      snapshotEvery: EVERY,
    });
    expect(await restarted.restoreFromSnapshot()).toBe(20);
    expect(restarted.checkpoint).toBe(20);
    expect(restarted.eventsFolded).toBe(20);
    expectSameState(restarted.state(planReadModel), foldedFrom(log.events, 20));

    const readAll = jest.spyOn(store, 'readAll');
    expect(await restarted.catchUp()).toBe(25);
    // it read the log only after the snapshot
    expect(readAll).toHaveBeenCalled();
    expect(readAll.mock.calls.every(([options]) => (options?.fromPosition ?? 0) >= 20)).toBe(true);
    readAll.mockRestore();

    const fromEmpty = new Projector(store, ALL_PROJECTIONS);
    await fromEmpty.catchUp();
    expectSameState(restarted.state(planReadModel), fromEmpty.state(planReadModel));
    expectSameState(restarted.state(planReadModel), foldedFrom(log.events));
    expect(restarted.eventsFolded).toBe(25);
    // a snapshot holds the time index too: instants name the same positions as before the restart
    for (const event of log.events.slice(0, 23)) {
      const timestamp = String(event.metadata['recordedAt']);
      expect(await restarted.positionOf({ timestamp })).toBe(await first.positionOf({ timestamp }));
    }
    // and the restarted projector goes on writing snapshots the replay check accepts
    expect((await restarted.replayCheck()).snapshots.at(-1)).toEqual({
      position: 25,
      eventCount: 25,
      payloadIntact: true,
      matchesLog: true,
    });
  });

  it('restores once: a projector that has folded events keeps them', async () => {
    const events = planLog().events;
    const { store } = await caughtUpWithSnapshots(events);
    const projector = new Projector(store, ALL_PROJECTIONS, { snapshots: openSnapshots() });

    await projector.catchUp();

    expect(projector.checkpoint).toBe(23);
    expect(await projector.restoreFromSnapshot()).toBe(23);
    expectSameState(projector.state(planReadModel), foldedFrom(events));
  });

  it('answers stateAsOf at every position as a fold from empty, folding fewer events than the interval', async () => {
    const events = planLog().events;
    const { projector } = await caughtUpWithSnapshots(events);
    const apply = jest.spyOn(planReadModel, 'apply');
    try {
      for (let position = 0; position <= events.length; position++) {
        apply.mockClear();
        const asOf = await projector.stateAsOf(planReadModel, { position });
        const folded = apply.mock.calls.length;
        expect(asOf).toMatchObject({ position, eventCount: position });
        expectSameState(asOf.state, foldedFrom(events, position));
        // from the snapshot at or before the cut: what lies between them, never more
        expect([position, folded]).toEqual([position, position % EVERY]);
      }
    } finally {
      apply.mockRestore();
    }
    // the adopted figures as they stood between the adoption and the late revisions
    const adopted = await projector.stateAsOf(planReadModel, { position: 21 });
    expect(getTotals(adopted.state, PLAN_ID, 'adopted', ALL_PARTICIPANTS)?.total).toBe(1393);
  });

  it('ignores a snapshot of another log', async () => {
    const { snapshots } = await caughtUpWithSnapshots(planLog().events);
    // Another log of the same shape: other event ids, and other figures for FR from position 4 on.
    const other = planLog({ frStart: 300 }).events;
    const store = await storeWith(other);
    const projector = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: 1000 });

    for (const position of [5, 12, 20, 23]) {
      const asOf = await projector.stateAsOf(planReadModel, { position });
      expectSameState(asOf.state, foldedFrom(other, position));
    }
    expect(await projector.restoreFromSnapshot()).toBe(0);
    await projector.catchUp();
    expectSameState(projector.state(planReadModel), foldedFrom(other));
    const check = await projector.replayCheck();
    expect(check.projections.map((projection) => projection.equal)).toEqual([true, true]);
    // a snapshot of the other log never passes for one of this log
    expect(check.snapshots.filter((snapshot) => snapshot.matchesLog)).toEqual([]);
  });

  it('ignores a snapshot taken under another read-model version', async () => {
    const events = planLog().events;
    const { store, snapshots } = await caughtUpWithSnapshots(events);
    const newerCode = new Projector(store, ALL_PROJECTIONS, { snapshots, readModelVersion: 99 });

    expect(await newerCode.restoreFromSnapshot()).toBe(0);
    expect((await newerCode.replayCheck()).snapshots).toEqual([]);
  });
});

describe('a snapshot payload in SQLite that was tampered with or damaged', () => {
  let file: string;
  let snapshots: SnapshotStore;
  let events: RecordedEvent[];
  let store: InMemoryEventStore;
  let original: Projector;

  beforeEach(async () => {
    file = nextSnapshotFile();
    snapshots = SqliteSnapshotStore.open(file);
    events = planLog().events;
    store = await storeWith(events);
    original = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: EVERY });
    await original.catchUp();
  });
  afterEach(() => {
    snapshots.close();
  });

  const overwritePayload = (position: number, payload: Buffer) =>
    expect(
      tamper(
        file,
        'UPDATE read_model_snapshots SET payload = ? WHERE position = ?',
        payload,
        position,
      ),
    ).toBe(1);

  it('fails the replay check when a payload is replaced by another snapshot’s, naming it', async () => {
    expect(
      tamper(
        file,
        `UPDATE read_model_snapshots
         SET payload = (SELECT payload FROM read_model_snapshots WHERE position = 15)
         WHERE position = 10`,
      ),
    ).toBe(1);

    const check = await original.replayCheck();

    expect(check.ok).toBe(false);
    expect(check.projections.map((projection) => projection.equal)).toEqual([true, true]);
    const byPosition = new Map(check.snapshots.map((snapshot) => [snapshot.position, snapshot]));
    const tampered = byPosition.get(10);
    expect(tampered !== undefined && tampered.payloadIntact && tampered.matchesLog).toBe(false);
    for (const position of [5, 15, 20]) {
      expect(byPosition.get(position)).toMatchObject({ payloadIntact: true, matchesLog: true });
    }
    // nor is it used: the event at position 10 is not the one it names
    const reader = new Projector(store, ALL_PROJECTIONS, { snapshots });
    expectSameState(
      (await reader.stateAsOf(planReadModel, { position: 12 })).state,
      foldedFrom(events, 12),
    );
  });

  it('fails the replay check on a payload that cannot be read, naming it', async () => {
    overwritePayload(10, Buffer.from('not a snapshot at all'));

    const check = await original.replayCheck();

    expect(check.ok).toBe(false);
    expect(check.snapshots.find((snapshot) => snapshot.position === 10)).toMatchObject({
      payloadIntact: false,
    });
  });

  it.each([
    ['bytes that are no snapshot', Buffer.from('not a snapshot at all')],
    ['an empty payload', Buffer.alloc(0)],
  ])('ignores %s on restore and in stateAsOf', async (_label, junk) => {
    overwritePayload(20, junk);
    const projector = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: EVERY });

    for (const position of [20, 21, 23]) {
      const asOf = await projector.stateAsOf(planReadModel, { position });
      expectSameState(asOf.state, foldedFrom(events, position));
    }
    expect(await projector.restoreFromSnapshot()).not.toBe(20);
    await projector.catchUp();
    expect(projector.checkpoint).toBe(23);
    expectSameState(projector.state(planReadModel), foldedFrom(events));
    for (const position of [12, 20, 23]) {
      const asOf = await projector.stateAsOf(planReadModel, { position });
      expectSameState(asOf.state, foldedFrom(events, position));
    }
  });
});
