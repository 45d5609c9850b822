import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { ALL_PROJECTIONS, Projector, stateDigest } from '../../src/projections';
import { InMemorySnapshotStore } from '../../src/snapshots/snapshotStore';
import { appendAll, createEventLog, resettlement } from './builders';

/** On a graceful stop the read models are persisted as they stand: the next start folds nothing. */
describe('Projector.snapshotNow', () => {
  async function sevenEvents() {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    for (const persons of [100, 110, 120, 130, 140]) {
      if (persons === 100) log.pledgeSubmitted('DE', [resettlement('TR', persons)]);
      else log.pledgeRevised('DE', [resettlement('TR', persons)], 'Capacity');
    }
    const store = new InMemoryEventStore();
    await appendAll(store, log.events);
    return store;
  }

  it('persists the events since the last snapshot, and a restart starts there', async () => {
    const store = await sevenEvents();
    const snapshots = new InMemorySnapshotStore();
    const first = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: 5 });
    await first.catchUp();
    expect(snapshots.list(first.snapshotFormat).map((snapshot) => snapshot.position)).toEqual([5]);

    first.snapshotNow();
    expect(snapshots.list(first.snapshotFormat).map((snapshot) => snapshot.position)).toEqual([
      5, 7,
    ]);
    // Nothing new since: no second snapshot at the same position.
    first.snapshotNow();
    expect(snapshots.list(first.snapshotFormat)).toHaveLength(2);

    const restarted = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: 5 });
    expect(await restarted.restoreFromSnapshot()).toBe(7);
    await restarted.catchUp();
    expect(stateDigest(restarted.state(ALL_PROJECTIONS[0]))).toBe(
      stateDigest(first.state(ALL_PROJECTIONS[0])),
    );
    expect((await restarted.replayCheck()).ok).toBe(true);
  });

  it('does nothing without a snapshot store', async () => {
    const projector = new Projector(await sevenEvents(), ALL_PROJECTIONS);
    await projector.catchUp();
    expect(() => projector.snapshotNow()).not.toThrow();
  });
});
