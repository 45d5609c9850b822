/**
 * What a live read asks of the projector: a catch-up that costs one head read when nothing is
 * new, shared by the readers that arrive together, and where each plan last changed, so a view
 * of one plan is known to hold while only other plans move.
 */
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { ALL_PROJECTIONS, planReadModel, Projector, type Projection } from '../../src/projections';
import { InMemorySnapshotStore } from '../../src/snapshots/snapshotStore';
import { appendAll, createEventLog, PLAN_ID, resettlement, type EventLog } from './builders';

const OTHER_PLAN = '2028-2029';

/** A read model not in parts: any event may change it. */
const eventCount: Projection<number> = {
  name: 'eventCount',
  initialState: () => 0,
  apply: (count) => count + 1,
};

function planLog(): EventLog {
  const log = createEventLog();
  log.planCreated();
  log.pledgingOpened('2025-10-31');
  log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
  log.pledgeSubmitted('FR', [resettlement('TR', 400)]);
  return log;
}

function otherPlanLog(): EventLog {
  const log = createEventLog({ planId: OTHER_PLAN });
  log.planCreated({ periodStart: '2028-01-01', periodEnd: '2029-12-31' });
  return log;
}

async function storeWith(...logs: EventLog[]): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  for (const log of logs) await appendAll(store, log.events);
  return store;
}

describe('a live read on the projector', () => {
  it('finds nothing new with one head read and no read of the log', async () => {
    const store = await storeWith(planLog());
    const projector = new Projector(store, ALL_PROJECTIONS);
    await projector.catchUp();
    const readAll = jest.spyOn(store, 'readAll');
    const headPosition = jest.spyOn(store, 'headPosition');

    expect(await projector.catchUp()).toBe(4);

    expect(headPosition).toHaveBeenCalledTimes(1);
    expect(readAll).not.toHaveBeenCalled();
  });

  it('shares the head reads of many readers arriving together', async () => {
    const store = await storeWith(planLog());
    const projector = new Projector(store, ALL_PROJECTIONS);
    await projector.catchUp();
    const headPosition = jest.spyOn(store, 'headPosition');

    const positions = await Promise.all(Array.from({ length: 32 }, () => projector.catchUp()));

    expect(positions).toEqual(Array.from({ length: 32 }, () => 4));
    // The run in flight, and one follow-up for everyone who arrived during it.
    expect(headPosition.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it("knows where each plan last changed, apart from other plans' events", async () => {
    const log = planLog();
    const store = await storeWith(log);
    const projector = new Projector(store, [...ALL_PROJECTIONS, eventCount]);
    await projector.catchUp();
    expect(projector.partChangedAt(planReadModel, PLAN_ID)).toBe(4);

    await appendAll(store, otherPlanLog().events);
    await projector.catchUp();
    expect(projector.checkpoint).toBe(5);
    expect(projector.partChangedAt(planReadModel, PLAN_ID)).toBe(4);
    expect(projector.partChangedAt(planReadModel, OTHER_PLAN)).toBe(5);
    // Not in parts: the checkpoint.
    expect(projector.partChangedAt(eventCount, PLAN_ID)).toBe(5);

    await appendAll(store, [log.pledgeRevised('FR', [resettlement('TR', 500)], 'More')]);
    await projector.catchUp();
    expect(projector.partChangedAt(planReadModel, PLAN_ID)).toBe(6);
  });

  it('counts a plan restored from a snapshot as changed at the snapshot', async () => {
    const store = await storeWith(planLog(), otherPlanLog());
    const snapshots = new InMemorySnapshotStore();
    const writer = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: 5 });
    await writer.catchUp();
    const restored = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: 5 });

    expect(await restored.restoreFromSnapshot()).toBe(5);
    expect(restored.partChangedAt(planReadModel, PLAN_ID)).toBe(5);
    expect(restored.partChangedAt(planReadModel, OTHER_PLAN)).toBe(5);
  });
});
