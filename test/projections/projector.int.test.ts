import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type { ReadAllOptions, RecordedEvent } from '../../src/eventStore/port';
import {
  ALL_PROJECTIONS,
  auditHistory,
  getPlan,
  getTotals,
  planReadModel,
  Projector,
  queryAuditFeed,
  stateDigest,
  type Projection,
  type ProjectorSource,
} from '../../src/projections';
import {
  appendAll,
  contribution,
  createEventLog,
  humanitarian,
  PLAN_ID,
  resettlement,
  type EventLog,
} from './builders';

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
    expect(getPlan(projector.state(planReadModel), PLAN_ID)?.status).toBe('adopted');
    expect(getTotals(projector.state(planReadModel), PLAN_ID, 'pledges')?.total).toBe(1500);
    expect(projector.state(auditHistory).feed).toHaveLength(8);
  });

  it('is idempotent: a second call applies nothing again', async () => {
    const store = await storeWith(planLog().events);
    const projector = new Projector(store, [...ALL_PROJECTIONS, seenEvents]);

    await projector.catchUp();
    await projector.catchUp();

    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(getTotals(projector.state(planReadModel), PLAN_ID, 'adopted')?.total).toBe(1200);
  });

  it('picks up only what was appended since the checkpoint', async () => {
    const log = planLog();
    const store = await storeWith(log.events);
    const projector = new Projector(store, [planReadModel, seenEvents], { batchSize: 2 });
    await projector.catchUp();

    const revision = log.pledgeRevised('FR', [resettlement('TR', 500)], 'More', {
      afterAdoption: true,
    });
    await appendAll(store, [revision]);
    expect(await projector.catchUp()).toBe(9);

    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(getTotals(projector.state(planReadModel), PLAN_ID, 'pledges')?.total).toBe(1600);
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

    const first = projector.catchUp();
    await appendAll(store, [log.pledgeWithdrawn('FR', 'Budget', { afterAdoption: true })]);
    const second = projector.catchUp();

    expect(await first).toBe(8);
    expect(await second).toBe(9);
    expect(projector.state(seenEvents).positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('never re-applies events at or below the checkpoint, even if the store returns them', async () => {
    const events = planLog().events;
    const sloppyStore: ProjectorSource = {
      headPosition: () => Promise.resolve(events.length),
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
    expect(() => projector.state(auditHistory)).toThrow(/not registered/);
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
    expect(getPlan(asProposed.state, PLAN_ID)?.status).toBe('proposed');

    const beyond = await projector.stateAsOf(planReadModel, { position: 100 });
    expect(beyond).toMatchObject({ position: 8, eventCount: 8 });
    expect(projector.checkpoint).toBe(0);
  });

  it('rebuilds up to an instant, scanning past events whose writer’s clock ran ahead', async () => {
    const log = createEventLog();
    log.planCreated({}, { recordedAt: '2025-09-01T08:00:00.000Z' });
    log.pledgingOpened(undefined, { recordedAt: '2025-09-01T08:01:00.000Z' });
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

    const asOf = await projector.stateAsOf(planReadModel, {
      timestamp: '2025-09-01T10:02:59.950+02:00',
    });

    expect(asOf).toMatchObject({ position: 4, eventCount: 3 });
    expect(
      getTotals(asOf.state, PLAN_ID, 'pledges')?.byMemberState.map((row) => row.memberState),
    ).toEqual(['FR']);
    await expect(projector.stateAsOf(planReadModel, { timestamp: 'soon' })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('Projector.rebuildAll and replayCheck', () => {
  async function caughtUp(): Promise<Projector> {
    const log = planLog();
    log.pledgeRevised('DE', [resettlement('TR', 800)], 'Align with the adopted plan', {
      afterAdoption: true,
    });
    const projector = new Projector(await storeWith(log.events), ALL_PROJECTIONS, { batchSize: 4 });
    await projector.catchUp();
    return projector;
  }

  it('rebuilds every projection from empty to the checkpoint', async () => {
    const projector = await caughtUp();
    const rebuilt = await projector.rebuildAll();

    expect(rebuilt).toMatchObject({ position: 9, eventCount: 9 });
    expect(rebuilt.durationMs).toBeGreaterThanOrEqual(0);
    expect([...rebuilt.states.keys()]).toEqual(['planReadModel', 'auditHistory']);
    expect(stateDigest(rebuilt.states.get('planReadModel'))).toBe(
      stateDigest(projector.state(planReadModel)),
    );
    expect(rebuilt.states.get('auditHistory')).not.toBe(projector.state(auditHistory));
  });

  it('finds the live state equal to a replay from the log', async () => {
    const projector = await caughtUp();
    const check = await projector.replayCheck();

    expect(check).toMatchObject({ ok: true, position: 9, eventCount: 9 });
    expect(check.projections.map((p) => [p.name, p.equal])).toEqual([
      ['planReadModel', true],
      ['auditHistory', true],
    ]);
    expect(check.projections[0]?.liveDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('detects a live state that no longer follows from the log', async () => {
    const projector = await caughtUp();
    const pledge = projector.state(planReadModel).plans.get(PLAN_ID)?.pledges.get('FR');
    if (pledge === undefined) throw new Error('missing pledge');
    pledge.lines = [resettlement('TR', 4000)];

    const check = await projector.replayCheck();

    expect(check.ok).toBe(false);
    expect(check.projections.map((p) => [p.name, p.equal])).toEqual([
      ['planReadModel', false],
      ['auditHistory', true],
    ]);
    expect(queryAuditFeed(projector.state(auditHistory)).entries).toHaveLength(9);
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
