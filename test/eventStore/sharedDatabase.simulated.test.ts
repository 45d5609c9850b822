import { binaryEvent, jsonEvent } from '@eventstore/db-client';
import { EventStoreDbEventStore } from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';
import { StoreUnavailableError, type RecordedEvent } from '../../src/eventStore/port';
import { TRACKER_STREAM_CATEGORIES } from '../../src/eventStore/eventStoreDbSettings';
import { Projector } from '../../src/projections/projector';
import { ProjectionFeed } from '../../src/projections/projectionFeed';
import { ALL_PARTICIPANTS, ALL_PROJECTIONS, getTotals, planReadModel } from '../../src/projections';
import { appendAll, createEventLog, PLAN_ID, resettlement } from '../projections/builders';
import { anEvent, rejectionOf, someEvents, waitUntil } from './eventStoreContract';
import { SimulatedEventStoreDbClient } from './simulatedEventStoreDbClient';

/**
 * An EventStoreDB database shared with other writers: their events (JSON or not, of types the
 * tracker never heard of) sit in streams of other categories and must never stop the read side,
 * while an event the tracker cannot read in one of its own streams stops it, naming where it is.
 */
const OWN = 'ledger';

function openShared(ownStreamCategories: readonly string[] = [OWN]): {
  client: SimulatedEventStoreDbClient;
  store: EventStoreDbEventStore;
} {
  const client = new SimulatedEventStoreDbClient();
  const store = new EventStoreDbEventStore(client.asClient(), { ownStreamCategories });
  return { client, store };
}

/** Another application's events, written straight to the database. */
async function writeForeign(client: SimulatedEventStoreDbClient): Promise<void> {
  await client.appendToStream(
    'orders-17',
    binaryEvent({ type: 'OrderPlaced', data: Buffer.from([0xde, 0xad, 0xbe, 0xef]) }),
  );
  client.appendMalformedJsonOutsideTracker('audit-9', 'Noted', '{"unterminated": ');
  await client.appendToStream(
    'billing-3',
    jsonEvent({ type: 'InvoiceSent', data: { invoice: 3, amount: 12.5 } }),
  );
}

/** The tracker's read models and their feed on `store`, with timings short enough for a test. */
function readModelsFedBy(store: EventStoreDbEventStore): {
  projector: Projector;
  feed: ProjectionFeed;
} {
  const projector = new Projector(store, ALL_PROJECTIONS);
  const feed = new ProjectionFeed(store, projector, {
    watchdogIntervalMs: 20,
    stallAfterMs: 60,
    notReadyAfterMs: 40,
    restartDelayMs: 5,
  });
  return { projector, feed };
}

function collect(store: EventStoreDbEventStore, fromPosition = 0) {
  const received: RecordedEvent[] = [];
  const errors: unknown[] = [];
  const subscription = store.subscribeToAll({
    fromPosition,
    onEvent: (event) => {
      received.push(event);
    },
    onError: (error) => errors.push(error),
  });
  return { received, errors, subscription };
}

describe('EventStoreDbEventStore on a database shared with other writers', () => {
  it('skips other writers’ events, JSON or not, in readAll, the head and subscriptions, counting each once', async () => {
    const { client, store } = openShared();
    try {
      await store.append(`${OWN}-1`, someEvents(2), { expectedVersion: 'no_stream' });
      await writeForeign(client);
      const last = await store.append(`${OWN}-1`, [anEvent()], { expectedVersion: 2 });
      await writeForeign(client);

      const all = await store.readAll();
      const again = await store.readAll({ fromPosition: 0, maxCount: 2 });
      const { received, errors, subscription } = collect(store);
      await waitUntil(() => received.length === 3, 'the own events');
      await subscription.close();

      expect(all.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
      expect(again).toEqual(all.slice(0, 2));
      expect(received).toEqual(all);
      expect(errors).toEqual([]);
      // The head is the last event a subscriber can be given: not another writer's.
      expect(await store.headPosition()).toBe(last.lastPosition);
      const health = await store.health();
      expect(health).toMatchObject({
        ok: true,
        foreignEvents: { skipped: 6, lastSkipped: { streamId: 'billing-3', type: 'InvoiceSent' } },
      });
      expect(health.foreignEvents?.lastSkipped?.position).toBeGreaterThan(last.lastPosition);
    } finally {
      await store.close();
    }
  });

  it('stops at an own event that is not JSON, naming its position, in reads and subscriptions', async () => {
    const { client, store } = openShared();
    await store.append(`${OWN}-1`, someEvents(1), { expectedVersion: 'no_stream' });
    await client.appendToStream(
      `${OWN}-2`,
      binaryEvent({ type: 'PledgeSubmitted', data: Buffer.from('not json') }),
    );
    await store.append(`${OWN}-1`, [anEvent()], { expectedVersion: 1 });
    try {
      const read = await rejectionOf(store.readAll());
      const stream = await rejectionOf(store.readStream(`${OWN}-2`));
      const { received, errors, subscription } = collect(store);
      await waitUntil(() => errors.length > 0, 'the subscription to stop');
      await subscription.close();

      for (const error of [read, stream, errors[0]]) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(error).toMatchObject({ kind: 'corrupted', code: 'EVENT_NOT_JSON' });
        expect((error as Error).message).toMatch(/log position \d+ \(stream ledger-2, revision 0/);
      }
      expect(errors).toHaveLength(1);
      expect(received.map((event) => event.streamId)).toEqual([`${OWN}-1`]);
      expect(client.openStreams).toBe(0);
      expect(await store.health()).toMatchObject({
        ok: false,
        problem: { kind: 'corrupted', code: 'EVENT_NOT_JSON', active: true },
      });
    } finally {
      await store.close();
    }
  });

  it('keeps the tracker’s read models fed and ready past other writers’ events', async () => {
    const { client, store } = openShared(TRACKER_STREAM_CATEGORIES);
    const { projector, feed } = readModelsFedBy(store);
    try {
      const log = createEventLog();
      log.planCreated();
      log.pledgingOpened();
      log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
      await appendAll(store, log.events.slice(0, 2));
      await writeForeign(client);
      await projector.catchUp();
      feed.start();
      await appendAll(store, log.events.slice(2));
      await writeForeign(client);
      const head = await store.headPosition();
      await waitUntil(() => projector.checkpoint === head, 'the feed to reach the head');

      expect(
        getTotals(projector.state(planReadModel), PLAN_ID, 'pledges', ALL_PARTICIPANTS)?.total,
      ).toBe(1000);
      expect(await feed.status()).toMatchObject({ ready: true, lag: 0, subscriptionRestarts: 0 });
      expect((await store.health()).foreignEvents?.skipped).toBe(6);
    } finally {
      await feed.stop();
      await store.close();
    }
  });

  it('halts the read models at an own event whose JSON does not parse, naming its position', async () => {
    const { client, store } = openShared(TRACKER_STREAM_CATEGORIES);
    const { projector, feed } = readModelsFedBy(store);
    try {
      const log = createEventLog();
      log.planCreated();
      log.pledgingOpened();
      await appendAll(store, log.events);
      client.appendMalformedJsonOutsideTracker(
        `pledge-${PLAN_ID}-NL`,
        'PledgeSubmitted',
        '{"lines": [',
      );
      const malformed = (await store.readAll()).find((event) => event.streamId.endsWith('-NL'));
      feed.start();
      await waitUntil(() => projector.checkpoint > 0, 'the first events');
      let status = await feed.status();
      for (let tries = 0; status.lastError === undefined && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        status = await feed.status();
      }

      expect(malformed).toBeDefined();
      expect(status).toMatchObject({ ready: false, subscriptionRestarts: 0 });
      expect(status.lastError).toContain(`log position ${malformed?.globalPosition}`);
      expect(projector.checkpoint).toBeLessThan(malformed?.globalPosition ?? 0);
    } finally {
      await feed.stop();
      await store.close();
    }
  });
});
