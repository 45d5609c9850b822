import { UnavailableError } from '@eventstore/db-client';
import {
  EventStoreDbEventStore,
  type EventStoreDbClient,
} from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type { EventStore, SubscribeOptions, Subscription } from '../../src/eventStore/port';
import { TRACKER_STREAM_CATEGORIES } from '../../src/eventStore/eventStoreDbSettings';
import { pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import { Projector } from '../../src/projections/projector';
import { ProjectionFeed } from '../../src/projections/projectionFeed';
import { ALL_PROJECTIONS } from '../../src/projections';
import { SimulatedEventStoreDbClient } from '../eventStore/simulatedEventStoreDbClient';
import { waitUntil } from '../eventStore/eventStoreContract';
import { appendAll, createEventLog, PLAN_ID, resettlement } from './builders';

/**
 * Who recovers a dropped subscription: the feed, once, and nobody else. A store's subscription
 * stops at its first failure; the feed subscribes again from its checkpoint, or halts when no
 * restart can help.
 */
const fast = { watchdogIntervalMs: 20, stallAfterMs: 60, notReadyAfterMs: 40, restartDelayMs: 5 };

function aPlanWithPledges() {
  const log = createEventLog();
  log.planCreated();
  log.pledgingOpened();
  log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
  log.pledgeSubmitted('FR', [resettlement('NE', 400)]);
  log.pledgeSubmitted('IT', [resettlement('LY', 250)]);
  return log;
}

/** The simulated server, with a count of the subscriptions the adapter opens on it. */
function countingClient(simulated: SimulatedEventStoreDbClient): {
  client: EventStoreDbClient;
  subscribeCalls: () => number;
} {
  let calls = 0;
  const client = new Proxy(simulated.asClient(), {
    get(target, property, receiver) {
      if (property === 'subscribeToAll') calls += 1;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { client, subscribeCalls: () => calls };
}

/** A store that counts the subscriptions asked of it. */
function counted(store: EventStore): {
  wrapped: Pick<EventStore, 'subscribeToAll' | 'headPosition'>;
  calls: number[];
} {
  const calls: number[] = [];
  return {
    calls,
    wrapped: {
      headPosition: () => store.headPosition(),
      subscribeToAll: (options: SubscribeOptions): Subscription => {
        calls.push(options.fromPosition);
        return store.subscribeToAll(options);
      },
    },
  };
}

describe('ProjectionFeed: one owner of recovery', () => {
  it('resubscribes a dropped EventStoreDB subscription once per drop, from the checkpoint, applying each event once', async () => {
    const simulated = new SimulatedEventStoreDbClient();
    const { client, subscribeCalls } = countingClient(simulated);
    const store = new EventStoreDbEventStore(client, {
      ownStreamCategories: TRACKER_STREAM_CATEGORIES,
    });
    const projector = new Projector(store, ALL_PROJECTIONS);
    const logs: Record<string, unknown>[] = [];
    const feed = new ProjectionFeed(store, projector, {
      ...fast,
      log: (entry) => logs.push(entry),
    });
    const log = aPlanWithPledges();
    try {
      feed.start();
      await appendAll(store, log.events.slice(0, 3));
      const before = await store.headPosition();
      await waitUntil(() => projector.checkpoint === before, 'the first events');

      // Two drops in a row, nothing applied in between: the feed's backoff has grown by the second.
      const restarted = (count: number) => () =>
        logs.filter((entry) => entry['msg'] === 'projection subscription restarted').length >=
          count && simulated.openStreams === 1;
      simulated.dropSubscriptions(new UnavailableError(undefined, 'leader lost'));
      await waitUntil(restarted(1), 'the feed to resubscribe');
      simulated.dropSubscriptions(new UnavailableError(undefined, 'election'));
      await waitUntil(restarted(2), 'the feed to resubscribe again');
      await appendAll(store, log.events.slice(3));
      const head = await store.headPosition();
      await waitUntil(() => projector.checkpoint === head, 'the events after the drops');

      expect(subscribeCalls()).toBe(3);
      expect(simulated.openStreams).toBe(1);
      expect(await feed.status()).toMatchObject({ ready: true, lag: 0, subscriptionRestarts: 2 });
      expect((await projector.replayCheck()).ok).toBe(true);
    } finally {
      await feed.stop();
      await store.close();
    }
  });

  it('resubscribes once when the server ends a subscription without an error', async () => {
    const simulated = new SimulatedEventStoreDbClient();
    const store = new EventStoreDbEventStore(simulated, {
      ownStreamCategories: TRACKER_STREAM_CATEGORIES,
    });
    const projector = new Projector(store, ALL_PROJECTIONS);
    const feed = new ProjectionFeed(store, projector, fast);
    const log = aPlanWithPledges();
    try {
      feed.start();
      await appendAll(store, log.events.slice(0, 2));
      const before = await store.headPosition();
      await waitUntil(() => projector.checkpoint === before, 'the first events');

      simulated.endSubscriptions();
      await appendAll(store, log.events.slice(2));
      const head = await store.headPosition();
      await waitUntil(() => projector.checkpoint === head, 'the events after the end');

      expect(simulated.subscribeRequests).toBe(2);
      expect(await feed.status()).toMatchObject({ ready: true, lag: 0, subscriptionRestarts: 1 });
      expect((await feed.status()).lastError).toMatch(/ended the subscription/);
    } finally {
      await feed.stop();
      await store.close();
    }
  });

  it('halts at an event it cannot decode instead of restarting into it', async () => {
    const store = new InMemoryEventStore();
    const projector = new Projector(store, ALL_PROJECTIONS);
    const { wrapped, calls } = counted(store);
    const logs: Record<string, unknown>[] = [];
    const feed = new ProjectionFeed(wrapped, projector, {
      ...fast,
      log: (entry) => logs.push(entry),
    });
    const log = aPlanWithPledges();
    const stray = log.recordedEvent(
      'PledgeSubmitted',
      { bogus: 1 },
      { streamId: pledgeStreamId(PLAN_ID, 'NL') },
    );
    try {
      feed.start();
      await appendAll(store, [...log.events.slice(0, 2), stray, ...log.events.slice(2, 5)]);
      await waitUntil(() => logs.some((entry) => entry['level'] === 'error'), 'the feed to halt');
      // Long enough behind for the watchdog to have called it a stall several times over.
      await waitUntil(
        () => logs.filter((entry) => entry['msg'] === 'projection lag').length >= 5,
        'the watchdog to look again',
      );

      expect(calls).toEqual([0]);
      const status = await feed.status();
      expect(status).toMatchObject({ ready: false, checkpoint: 2, subscriptionRestarts: 0 });
      expect(status.lastError).toMatch(/log position 3/);
      expect(logs).not.toContainEqual(
        expect.objectContaining({ msg: 'projection subscription restarted' }),
      );
    } finally {
      await feed.stop();
    }
  });
});
