import { pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type { EventStore, ReadAllOptions, RecordedEvent } from '../../src/eventStore/port';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import {
  decodeRecordedEvent,
  storedSchemaVersion,
  UndecodableEventError,
} from '../../src/events/trackerRecordedEvent';
import {
  ALL_PARTICIPANTS,
  ALL_PROJECTIONS,
  getCompliance,
  getPlan,
  getPledge,
  getTotals,
  planReadModel,
  pledgeHistoryPage,
  Projector,
  queryAuditFeed,
  stateDigest,
  type AuditFeedPage,
  type PlanReadModelState,
  type Projection,
  type ProjectorSource,
} from '../../src/projections';
import {
  appendAll,
  COMMISSION_ACTOR,
  contribution,
  createEventLog,
  humanitarian,
  memberStateActor,
  PLAN_ID,
  resettlement,
  type EventLog,
} from './builders';

const ALL = ALL_PARTICIPANTS;

interface Seen {
  positions: number[];
}

/** Does not skip anything itself, so it shows whether the projector ever applies an event twice. */
const seenEvents: Projection<Seen> = {
  name: 'seenEvents',
  initialState: () => ({ positions: [] }),
  apply(state, event) {
    state.positions.push(event.globalPosition);
    return state;
  },
};

function planLog(): EventLog {
  const log = createEventLog();
  log.planCreated({ priorityCountries: ['TR'] });
  log.pledgingOpened('2025-10-31');
  log.pledgeSubmitted('DE', [resettlement('TR', 1000), humanitarian('LB', 200)]);
  log.pledgeSubmitted('FR', [resettlement('TR', 400)]);
  log.pledgeRevised('DE', [resettlement('TR', 900), humanitarian('LB', 200)], 'Reception capacity');
  log.pledgingClosed();
  log.planProposed([
    contribution('DE', resettlement('TR', 900), humanitarian('LB', 200)),
    contribution('FR', resettlement('TR', 400)),
  ]);
  log.planAdopted([
    contribution('DE', resettlement('TR', 800)),
    contribution('FR', resettlement('TR', 400)),
  ]);
  return log;
}

/** The audit feed as the API serves it: read from the projector's store, up to its checkpoint. */
function feedOf(projector: Projector): Promise<AuditFeedPage> {
  return queryAuditFeed(projector.source, {
    checkpoint: projector.checkpoint,
    positionAt: (instant) => projector.positionOf({ timestamp: instant }),
    plans: projector.state(planReadModel),
  });
}

async function storeWith(events: readonly RecordedEvent[]): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  await appendAll(store, events);
  return store;
}

describe('Projector.catchUp', () => {
  it('folds the whole log into every projection and moves the checkpoint', async () => {
    const store = await storeWith(planLog().events);
    const projector = new Projector(store, ALL_PROJECTIONS, { batchSize: 3 });

    expect(await projector.catchUp()).toBe(8);
    expect(projector.checkpoint).toBe(8);
    expect(getPlan(projector.state(planReadModel), PLAN_ID, ALL)?.status).toBe('adopted');
    expect(getTotals(projector.state(planReadModel), PLAN_ID, 'pledges', ALL)?.total).toBe(1500);
    expect(projector.eventsFolded).toBe(8);
    expect((await feedOf(projector)).entries).toHaveLength(8);
  });

  it('is idempotent: a second call applies nothing again', async () => {
    const store = await storeWith(planLog().events);
    const projector = new Projector(store, [...ALL_PROJECTIONS, seenEvents]);

    await projector.catchUp();
    await projector.catchUp();

    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(getTotals(projector.state(planReadModel), PLAN_ID, 'adopted', ALL)?.total).toBe(1200);
  });

  it('picks up only what was appended since the checkpoint', async () => {
    const log = planLog();
    const store = await storeWith(log.events);
    const projector = new Projector(store, [planReadModel, seenEvents], { batchSize: 2 });
    await projector.catchUp();

    const revision = log.pledgeRevised('FR', [resettlement('TR', 500)], 'More');
    await appendAll(store, [revision]);
    expect(await projector.catchUp()).toBe(9);

    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(getTotals(projector.state(planReadModel), PLAN_ID, 'pledges', ALL)?.total).toBe(1600);
  });

  it('shares one run between concurrent callers', async () => {
    const store = await storeWith(planLog().events);
    const projector = new Projector(store, [seenEvents], { batchSize: 1 });
    const readAll = jest.spyOn(store, 'readAll');

    const positions = await Promise.all([
      projector.catchUp(),
      projector.catchUp(),
      projector.catchUp(),
    ]);

    expect(positions).toEqual([8, 8, 8]);
    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // one run over eight single-event batches, one follow-up that finds nothing new
    expect(readAll.mock.calls.length).toBeLessThanOrEqual(9);
  });

  it('lets a caller arriving mid-run see its own write', async () => {
    const log = planLog();
    const store = await storeWith(log.events);
    const projector = new Projector(store, [seenEvents], { batchSize: 2 });
    // The run in flight is held in its first read of the log, after it has read the head.
    const readAll = store.readAll.bind(store);
    let enterRead = () => {};
    let releaseRead = () => {};
    const entered = new Promise<void>((resolve) => (enterRead = resolve));
    const released = new Promise<void>((resolve) => (releaseRead = resolve));
    jest.spyOn(store, 'readAll').mockImplementationOnce(async (options) => {
      enterRead();
      await released;
      return readAll(options);
    });

    const first = projector.catchUp();
    await entered;
    await appendAll(store, [log.pledgeWithdrawn('FR', 'Budget')]);
    const second = projector.catchUp();
    releaseRead();

    expect(await first).toBe(8);
    expect(await second).toBe(9);
    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('never re-applies events at or below the checkpoint, even if the store returns them', async () => {
    const events = planLog().events;
    const sloppyStore: ProjectorSource = {
      headPosition: () => Promise.resolve(events.length),
      readStream: () => Promise.reject(new Error('the projector reads only the global log')),
      // returns one event before the requested position, as an overlapping reader might
      readAll: ({ fromPosition = 0, maxCount = 1000 }: ReadAllOptions = {}) =>
        Promise.resolve(events.slice(Math.max(0, fromPosition - 1), fromPosition + maxCount)),
    };
    const projector = new Projector(sloppyStore, [seenEvents], { batchSize: 3 });

    await projector.catchUp();
    await projector.catchUp();

    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects an unregistered projection, duplicate names and a bad batch size', async () => {
    const store = await storeWith([]);
    const projector = new Projector(store, [planReadModel]);

    expect(await projector.catchUp()).toBe(0);
    expect(() => projector.state(seenEvents)).toThrow(/not registered/);
    expect(() => new Projector(store, [planReadModel, { ...planReadModel }])).toThrow(/named/);
    expect(() => new Projector(store, [planReadModel], { batchSize: 0 })).toThrow(RangeError);
  });
});

describe('Projector.stateAsOf', () => {
  it('rebuilds one projection up to a position', async () => {
    const store = await storeWith(planLog().events);
    const projector = new Projector(store, ALL_PROJECTIONS, { batchSize: 2 });

    const asProposed = await projector.stateAsOf(planReadModel, { position: 7 });
    expect(asProposed).toMatchObject({ position: 7, eventCount: 7 });
    expect(getPlan(asProposed.state, PLAN_ID, ALL)?.status).toBe('proposed');

    const beyond = await projector.stateAsOf(planReadModel, { position: 100 });
    expect(beyond).toMatchObject({ position: 8, eventCount: 8 });
    expect(projector.checkpoint).toBe(0);
  });

  it('rebuilds up to an instant: the longest prefix of the log with nothing recorded after it', async () => {
    const log = createEventLog();
    log.planCreated({}, { recordedAt: '2025-09-01T08:00:00.000Z' });
    log.pledgingOpened(undefined, { recordedAt: '2025-09-01T08:01:00.000Z' });
    // DE's writer's clock ran ahead of FR's, which recorded its pledge just after
    log.pledgeSubmitted('DE', [resettlement('TR', 100)], {
      meta: { recordedAt: '2025-09-01T08:03:00.000Z' },
    });
    log.pledgeSubmitted('FR', [resettlement('TR', 50)], {
      meta: { recordedAt: '2025-09-01T08:02:59.900Z' },
    });
    log.pledgeSubmitted('NL', [resettlement('TR', 20)], {
      meta: { recordedAt: '2025-09-01T08:05:00.000Z' },
    });
    const projector = new Projector(await storeWith(log.events), ALL_PROJECTIONS);
    // An instant names a prefix of the log the projector has seen.
    await projector.catchUp();
    const pledgedBy = (state: PlanReadModelState) =>
      getTotals(state, PLAN_ID, 'pledges', ALL)?.byMemberState.map((row) => row.memberState);

    // FR's pledge was recorded before the instant, but after DE's in the log, which was not:
    // a state that really existed holds neither.
    const asOf = await projector.stateAsOf(planReadModel, {
      timestamp: '2025-09-01T10:02:59.950+02:00',
    });
    expect(asOf).toMatchObject({ position: 2, eventCount: 2 });
    expect(pledgedBy(asOf.state)).toEqual([]);

    const once = await projector.stateAsOf(planReadModel, {
      timestamp: '2025-09-01T10:03:00.000+02:00',
    });
    expect(once).toMatchObject({ position: 4, eventCount: 4 });
    expect(pledgedBy(once.state)).toEqual(['DE', 'FR']);

    await expect(projector.stateAsOf(planReadModel, { timestamp: 'soon' })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('Projector.rebuildAll and replayCheck', () => {
  async function caughtUp(): Promise<Projector> {
    const log = planLog();
    log.pledgeRevised('DE', [resettlement('TR', 800)], 'Align with the adopted plan');
    const projector = new Projector(await storeWith(log.events), ALL_PROJECTIONS, { batchSize: 4 });
    await projector.catchUp();
    return projector;
  }

  it('rebuilds every projection from empty to the checkpoint', async () => {
    const projector = await caughtUp();
    const rebuilt = await projector.rebuildAll();

    expect(rebuilt).toMatchObject({ position: 9, eventCount: 9 });
    expect(rebuilt.durationMs).toBeGreaterThanOrEqual(0);
    expect([...rebuilt.states.keys()]).toEqual(['planReadModel', 'storageUsage']);
    expect(stateDigest(rebuilt.states.get('planReadModel'))).toBe(
      stateDigest(projector.state(planReadModel)),
    );
    expect(rebuilt.states.get('planReadModel')).not.toBe(projector.state(planReadModel));
  });

  it('finds the live state equal to a replay from the log', async () => {
    const projector = await caughtUp();
    const check = await projector.replayCheck();

    expect(check).toMatchObject({ ok: true, position: 9, eventCount: 9, snapshots: [] });
    expect(check.projections.map((p) => [p.name, p.equal])).toEqual([
      ['planReadModel', true],
      ['storageUsage', true],
    ]);
    expect(check.projections[0]?.liveDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('detects a live state that no longer follows from the log', async () => {
    const projector = await caughtUp();
    const pledge = projector.state(planReadModel).plans.get(PLAN_ID)?.pledges.get('FR');
    if (pledge === undefined) throw new Error('missing pledge');
    pledge.state = { status: 'active', lines: [resettlement('TR', 4000)] };

    const check = await projector.replayCheck();

    expect(check.ok).toBe(false);
    expect(check.projections.map((p) => [p.name, p.equal])).toEqual([
      ['planReadModel', false],
      ['storageUsage', true],
    ]);
    expect(check.projections[0]?.liveDigest).not.toBe(check.projections[0]?.rebuiltDigest);
    // the log itself is untouched: the feed read from it still has every event
    expect((await feedOf(projector)).entries).toHaveLength(9);
  });
});

const STORES: [string, () => EventStore][] = [
  ['in-memory', () => new InMemoryEventStore()],
  ['SQLite', () => openSqliteEventStore(':memory:')],
];

describe('Projector: a stored event it cannot decode', () => {
  /** The plan log with one more event stored after its first four: `type` and `data` as given. */
  async function storeWithStrayAt5(
    open: () => EventStore,
    stray: { type: string; data: Record<string, unknown>; metadata?: Record<string, unknown> },
  ): Promise<EventStore> {
    const log = planLog();
    const events = [...log.events];
    const raw = log.recordedEvent(stray.type, stray.data, {
      streamId: pledgeStreamId(PLAN_ID, 'NL'),
      streamVersion: 1,
    });
    const strayEvent: RecordedEvent = {
      ...raw,
      metadata: stray.metadata ?? raw.metadata,
    };
    const store = open();
    await appendAll(store, [...events.slice(0, 4), strayEvent, ...events.slice(4)]);
    return store;
  }

  it.each(STORES)(
    'stops catch-up on it in the %s store, naming its position; the checkpoint stays before it',
    async (_kind, open) => {
      const store = await storeWithStrayAt5(open, {
        type: 'PledgeSubmitted',
        data: { bogus: 1 },
      });
      const projector = new Projector(store, [...ALL_PROJECTIONS, seenEvents], { batchSize: 3 });

      const failure: unknown = await projector.catchUp().then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(failure).toBeInstanceOf(UndecodableEventError);
      expect(failure).toMatchObject({
        globalPosition: 5,
        streamId: pledgeStreamId(PLAN_ID, 'NL'),
        streamVersion: 1,
        type: 'PledgeSubmitted',
      });
      expect((failure as Error).message).toMatch(/log position 5 \(stream pledge-2026-2027-NL/);
      expect(projector.checkpoint).toBe(4);
      expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4]);
      expect(projector.eventsFolded).toBe(4);
      await store.close();
    },
  );

  it('never skips it: a second catch-up and any rebuild past it stop on it too', async () => {
    const store = await storeWithStrayAt5(() => new InMemoryEventStore(), {
      type: 'PledgeSubmitted',
      data: { bogus: 1 },
    });
    const projector = new Projector(store, [...ALL_PROJECTIONS, seenEvents]);
    await expect(projector.catchUp()).rejects.toThrow(UndecodableEventError);

    await expect(projector.catchUp()).rejects.toThrow(/log position 5/);
    expect(projector.checkpoint).toBe(4);
    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4]);
    await expect(projector.stateAsOf(planReadModel, { position: 9 })).rejects.toThrow(
      UndecodableEventError,
    );
    // up to the checkpoint the log still replays to the live state
    expect(await projector.replayCheck()).toMatchObject({ ok: true, position: 4, eventCount: 4 });
  });

  const valid = {
    planId: PLAN_ID,
    memberState: 'NL',
    lines: [resettlement('TR', 10)],
    planStatus: 'pledging_open',
  };
  const metadata = (extra: Record<string, unknown>) => ({
    actor: memberStateActor('NL'),
    recordedAt: '2025-09-01T08:04:30.000Z',
    correlationId: 'corr-stray',
    causationId: 'corr-stray',
    ...extra,
  });

  it.each([
    ['a type no release knows', /not an event type/, { type: 'PledgeDoubled', data: valid }],
    [
      'data that fails its schema',
      /lines\.0\.admissionType/,
      { type: 'PledgeSubmitted', data: { ...valid, lines: [{ persons: 10 }] } },
    ],
    [
      'a release-1 shape labelled schema version 2',
      /Unrecognized key: "afterAdoption"/,
      {
        type: 'PledgeSubmitted',
        data: { planId: PLAN_ID, memberState: 'NL', lines: valid.lines, afterAdoption: false },
        metadata: metadata({ schemaVersion: 2 }),
      },
    ],
    [
      'a schema version newer than this release reads',
      /reads schema versions 1 to 2/,
      { type: 'PledgeSubmitted', data: valid, metadata: metadata({ schemaVersion: 3 }) },
    ],
    [
      'metadata without an actor',
      /metadata: actor/,
      {
        type: 'PledgeSubmitted',
        data: valid,
        metadata: { ...metadata({ schemaVersion: 2 }), actor: undefined },
      },
    ],
  ])('stops on %s', async (_what, problem, stray) => {
    const store = await storeWithStrayAt5(() => new InMemoryEventStore(), stray);
    const projector = new Projector(store, ALL_PROJECTIONS);

    await expect(projector.catchUp()).rejects.toThrow(UndecodableEventError);
    await expect(projector.catchUp()).rejects.toThrow(problem);
    expect(projector.checkpoint).toBe(4);
  });
});

describe('Projector over events release 1 wrote (schema version 1)', () => {
  /** Release 1 kept Norway inside the plan's contributions and marked changes `afterAdoption`. */
  function releaseOneLog(): EventLog {
    const log = createEventLog({ release: 1 });
    log.planCreated({ priorityCountries: ['LB', 'TR'], resettlementFloorPercent: 60 });
    log.pledgingOpened('2025-10-31');
    log.pledgeSubmitted('DE', [resettlement('TR', 1000), humanitarian('LB', 200)]);
    log.pledgeSubmitted('NO', [resettlement('TR', 120)]);
    log.pledgingClosed();
    log.planProposed([
      contribution('DE', resettlement('TR', 1000), humanitarian('LB', 200)),
      contribution('NO', resettlement('TR', 120)),
    ]);
    log.planAdopted([
      contribution('DE', resettlement('TR', 800), humanitarian('LB', 200)),
      contribution('NO', resettlement('TR', 120)),
    ]);
    log.pledgeRevised('DE', [resettlement('TR', 900), humanitarian('LB', 200)], 'More capacity');
    log.planAmended({
      addPriorityCountries: ['SD'],
      contributions: [contribution('DE', resettlement('TR', 900), humanitarian('LB', 200))],
    });
    return log;
  }

  it('stores them as release 1 wrote them: no schema version, release-1 data', () => {
    const [created, , submitted] = releaseOneLog().events;

    expect(created?.metadata).not.toHaveProperty('schemaVersion');
    expect(created?.data).toMatchObject({ resettlementFloorPercent: 60 });
    expect(created?.data).not.toHaveProperty('regions');
    expect(submitted?.data).toMatchObject({ afterAdoption: false });
    expect(submitted?.data).not.toHaveProperty('planStatus');
    const decoded = decodeRecordedEvent(submitted as RecordedEvent);
    expect(storedSchemaVersion(decoded)).toBe(1);
    expect(decoded).toMatchObject({
      type: 'PledgeSubmitted',
      data: { planStatus: 'pledging_open' },
    });
  });

  it.each(STORES)(
    'replays them through their upcasters from the %s store and passes the replay check',
    async (_kind, open) => {
      const store = open();
      await appendAll(store, releaseOneLog().events);
      const projector = new Projector(store, ALL_PROJECTIONS, { batchSize: 3 });

      expect(await projector.catchUp()).toBe(9);
      const check = await projector.replayCheck();
      expect(check).toMatchObject({ ok: true, position: 9, eventCount: 9 });

      const model = projector.state(planReadModel);
      // Art. 12: Norway now stands beside the plan, outside its figures
      expect(getTotals(model, PLAN_ID, 'adopted', ALL)).toMatchObject({
        total: 1100,
        byMemberState: [{ memberState: 'DE', total: 1100 }],
        associatedStates: { total: 120 },
      });
      expect(getPlan(model, PLAN_ID, ALL)).toMatchObject({
        resettlementFloorPercent: 60,
        regions: [],
        priorityCountries: ['LB', 'SD', 'TR'],
        adoption: { total: 1000, associatedStates: [{ memberState: 'NO', total: 120 }] },
      });
      expect(getPledge(model, PLAN_ID, 'DE')).toMatchObject({
        planStatusAtLastChange: 'adopted',
        afterAdoption: true,
        pendingAmendment: false,
      });
      expect(check.projections.map((p) => [p.name, p.equal])).toEqual([
        ['planReadModel', true],
        ['storageUsage', true],
      ]);
      const history = await pledgeHistoryPage(store, PLAN_ID, 'DE');
      expect(history?.versions.map((entry) => [entry.version, entry.type])).toEqual([
        [1, 'PledgeSubmitted'],
        [2, 'PledgeRevised'],
      ]);
      await store.close();
    },
  );

  it('goes on with the events this release writes after them', async () => {
    const log = releaseOneLog();
    log.writeAsRelease(2);
    log.pledgeRevised('DE', [resettlement('TR', 950), humanitarian('LB', 200)], 'Still more');
    log.planAmended({
      actReference: 'Council Implementing Decision (EU) 2026/200',
      adoptedOn: '2026-05-04',
      contributions: [contribution('DE', resettlement('TR', 950), humanitarian('LB', 200))],
    });
    const store = new InMemoryEventStore();
    await appendAll(store, log.events);
    const projector = new Projector(store, ALL_PROJECTIONS);

    expect(await projector.catchUp()).toBe(11);
    expect(
      (await store.readAll()).map((event) => storedSchemaVersion(decodeRecordedEvent(event))),
    ).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
    expect((await projector.replayCheck()).ok).toBe(true);
    const compliance = getCompliance(projector.state(planReadModel), PLAN_ID, 'adopted', ALL);
    expect(compliance?.total).toBe(1150);
    expect(compliance?.checks.find((c) => c.id === 'indications_respected')?.status).toBe('pass');
    const entries = (await feedOf(projector)).entries;
    expect(entries.map((entry) => entry.schemaVersion)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
    expect(entries.at(-1)).toMatchObject({
      position: 11,
      type: 'PlanAmended',
      actorId: COMMISSION_ACTOR.id,
    });
  });
});

describe('stateDigest', () => {
  it('ignores key and insertion order and undefined properties', () => {
    const a = {
      b: 1,
      a: new Map([
        ['x', 1],
        ['y', 2],
      ]),
      c: undefined,
      s: new Set(['q', 'p']),
    };
    const b = {
      s: new Set(['p', 'q']),
      a: new Map([
        ['y', 2],
        ['x', 1],
      ]),
      b: 1,
    };
    expect(stateDigest(a)).toBe(stateDigest(b));
  });

  it('tells different values apart', () => {
    expect(stateDigest({ a: [1, 2] })).not.toBe(stateDigest({ a: [2, 1] }));
    expect(stateDigest({ a: '1' })).not.toBe(stateDigest({ a: 1 }));
    expect(stateDigest(new Map([['a', 1]]))).not.toBe(stateDigest({ a: 1 }));
  });
});
