import type { EventStore, SubscribeOptions, Subscription } from '../../src/eventStore/port';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { Projector } from '../../src/projections/projector';
import { ProjectionFeed } from '../../src/projections/projectionFeed';
import { pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import { ALL_PARTICIPANTS, ALL_PROJECTIONS, planReadModel, getTotals } from '../../src/projections';
import { appendAll, createEventLog, PLAN_ID, resettlement } from './builders';

/** A store whose subscriptions misbehave on demand: the first `stalls` never deliver, the next `fails` error out. */
function unreliable(store: EventStore, behaviour: { stalls?: number; fails?: number }) {
  let stalls = behaviour.stalls ?? 0;
  let fails = behaviour.fails ?? 0;
  const calls: number[] = [];
  const wrapped: Pick<EventStore, 'subscribeToAll' | 'headPosition'> = {
    headPosition: () => store.headPosition(),
    subscribeToAll: (options: SubscribeOptions): Subscription => {
      calls.push(options.fromPosition);
      if (stalls > 0) {
        stalls--;
        return { close: () => new Promise<void>(() => undefined) };
      }
      if (fails > 0) {
        fails--;
        setTimeout(() => options.onError?.(new Error('connection reset')), 5);
        return { close: () => Promise.resolve() };
      }
      return store.subscribeToAll(options);
    },
  };
  return { wrapped, calls };
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 3_000) => {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

function aPlanWithPledges() {
  const log = createEventLog();
  log.planCreated();
  log.pledgingOpened();
  log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
  log.pledgeSubmitted('FR', [resettlement('NE', 400)]);
  return log;
}

describe('ProjectionFeed: projections fed by a catch-up subscription', () => {
  const fast = { watchdogIntervalMs: 20, stallAfterMs: 60, notReadyAfterMs: 40 };

  it('follows the log without any read asking, and reports no lag once caught up', async () => {
    const store = new InMemoryEventStore();
    const projector = new Projector(store, ALL_PROJECTIONS);
    const feed = new ProjectionFeed(store, projector, fast);
    feed.start();
    const log = aPlanWithPledges();
    await appendAll(store, log.events);
    await until(() => projector.checkpoint === log.events.length);
    expect(
      getTotals(projector.state(planReadModel), PLAN_ID, 'pledges', ALL_PARTICIPANTS)?.total,
    ).toBe(1400);
    expect(await feed.status()).toMatchObject({
      ready: true,
      lag: 0,
      checkpoint: 4,
      headPosition: 4,
    });
    await feed.stop();
  });

  it('restarts a subscription that stalls silently, from the checkpoint', async () => {
    const store = new InMemoryEventStore();
    const projector = new Projector(store, ALL_PROJECTIONS);
    const { wrapped, calls } = unreliable(store, { stalls: 1 });
    const logs: Record<string, unknown>[] = [];
    const feed = new ProjectionFeed(wrapped, projector, {
      ...fast,
      log: (entry) => logs.push(entry),
    });
    feed.start();
    const log = aPlanWithPledges();
    await appendAll(store, log.events);
    await until(async () => !(await feed.status()).ready);
    await until(() => projector.checkpoint === 4);
    expect(calls).toEqual([0, 0]);
    expect((await feed.status()).subscriptionRestarts).toBe(1);
    expect(logs.some((entry) => entry['msg'] === 'projection lag')).toBe(true);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'projection subscription restarted', reason: 'stalled' }),
    );
    await feed.stop();
  });

  it('restarts a subscription that fails, without applying any event twice', async () => {
    const store = new InMemoryEventStore();
    const projector = new Projector(store, ALL_PROJECTIONS);
    const log = aPlanWithPledges();
    await appendAll(store, log.events.slice(0, 2));
    await projector.catchUp();
    const { wrapped, calls } = unreliable(store, { fails: 2 });
    const feed = new ProjectionFeed(wrapped, projector, fast);
    feed.start();
    await appendAll(store, log.events.slice(2));
    await until(() => projector.checkpoint === 4, 5_000);
    expect(calls).toEqual([2, 2, 2]);
    expect((await feed.status()).lastError).toBe('connection reset');
    const replay = await projector.replayCheck();
    expect(replay.ok).toBe(true);
    await feed.stop();
  });

  it('lets a read wait, boundedly, for the position of a write it was told about', async () => {
    const store = new InMemoryEventStore();
    const projector = new Projector(store, ALL_PROJECTIONS);
    expect(await projector.waitFor(1, 30)).toBe(false);
    const feed = new ProjectionFeed(store, projector, fast);
    feed.start();
    const waiting = projector.waitFor(4, 2_000);
    await appendAll(store, aPlanWithPledges().events);
    expect(await waiting).toBe(true);
    await feed.stop();
  });

  it('stops at an event it cannot decode: not ready, the error naming its position', async () => {
    const store = new InMemoryEventStore();
    const projector = new Projector(store, ALL_PROJECTIONS);
    const feed = new ProjectionFeed(store, projector, fast);
    feed.start();
    const log = aPlanWithPledges();
    const stray = log.recordedEvent(
      'PledgeSubmitted',
      { bogus: 1 },
      { streamId: pledgeStreamId(PLAN_ID, 'NL') },
    );
    await appendAll(store, [...log.events.slice(0, 2), stray, ...log.events.slice(2, 4)]);

    await until(async () => (await feed.status()).lastError !== undefined);
    await until(async () => !(await feed.status()).ready);
    expect(await feed.status()).toMatchObject({
      ready: false,
      storeReachable: true,
      checkpoint: 2,
      headPosition: 5,
      lag: 3,
    });
    expect((await feed.status()).lastError).toMatch(/log position 3/);
    await feed.stop();
  });

  it('reports the store as unreachable, and so not ready', async () => {
    const store = new InMemoryEventStore();
    const projector = new Projector(store, ALL_PROJECTIONS);
    const broken: Pick<EventStore, 'subscribeToAll' | 'headPosition'> = {
      headPosition: () => Promise.reject(new Error('ECONNREFUSED')),
      subscribeToAll: (options) => store.subscribeToAll(options),
    };
    const feed = new ProjectionFeed(broken, projector, fast);
    expect(await feed.status()).toMatchObject({
      ready: false,
      storeReachable: false,
      lastError: 'ECONNREFUSED',
    });
  });
});
