import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { ALL_PROJECTIONS, Projector } from '../../src/projections';
import type { WholeLogRebuild, WholeLogRequest } from '../../src/projections/wholeLog';
import { rebuildFromLog } from '../../src/projections/wholeLog';
import { appendAll, createEventLog, resettlement } from './builders';

/** A burst of replay requests folds the log once: the replay check is the costliest request there is. */
describe('Projector.replayCheck under a burst of requests', () => {
  it('runs one check at a time and gives callers arriving meanwhile its result', async () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 100)]);
    const store = new InMemoryEventStore();
    await appendAll(store, log.events);

    const requests: WholeLogRequest[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const projector: Projector = new Projector(store, ALL_PROJECTIONS, {
      wholeLog: {
        rebuild: async (request): Promise<WholeLogRebuild> => {
          requests.push(request);
          await gate;
          return rebuildFromLog(store, ALL_PROJECTIONS, request, undefined);
        },
      },
    });
    await projector.catchUp();

    const burst = [projector.replayCheck(), projector.replayCheck(), projector.replayCheck()];
    release();
    const results = await Promise.all(burst);

    expect(requests).toHaveLength(1);
    expect(results.map((result) => result.ok)).toEqual([true, true, true]);
    expect(new Set(results).size).toBe(1);

    // Once it has finished, the next request runs a check of its own.
    await projector.replayCheck();
    expect(requests).toHaveLength(2);
  });
});
