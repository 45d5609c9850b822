import { BACKWARDS, END, FORWARDS, START, UnavailableError } from '@eventstore/db-client';
import {
  EventStoreDbEventStore,
  SubscriptionDroppedError,
} from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';
import {
  COMPLETED,
  deterministicEventId,
  idempotencyStreamId,
} from '../../src/eventStore/eventstoredb/idempotency';
import {
  AppendOutcomeUnknownError,
  StoreUnavailableError,
  StreamIntegrityError,
  type RecordedEvent,
} from '../../src/eventStore/port';
import {
  aClaim,
  anEvent,
  aStreamId,
  describeEventStoreContract,
  rejectionOf,
  someEvents,
  waitUntil,
} from './eventStoreContract';
import { SimulatedEventStoreDbClient } from './simulatedEventStoreDbClient';

/**
 * The EventStoreDB adapter against `SimulatedEventStoreDbClient`, a model of the server written
 * from its documentation and source. This checks the adapter's own logic on every run; whether the
 * model matches a real server is for `eventStoreDbEventStore.int.test.ts` to confirm.
 */
function openSimulated(): { client: SimulatedEventStoreDbClient; store: EventStoreDbEventStore } {
  const client = new SimulatedEventStoreDbClient();
  const store = new EventStoreDbEventStore(client, { appendRetryDelayMs: 1 });
  return { client, store };
}

async function readRaw(
  client: SimulatedEventStoreDbClient,
  streamId: string,
): Promise<{ event: { id: string; type: string; metadata: unknown } }[]> {
  const events: { event: { id: string; type: string; metadata: unknown } }[] = [];
  for await (const resolved of client.readStream(streamId, {
    direction: FORWARDS,
    fromRevision: START,
  })) {
    events.push(resolved as { event: { id: string; type: string; metadata: unknown } });
  }
  return events;
}

describeEventStoreContract(
  'EventStoreDbEventStore (simulated client)',
  () => {
    const { store } = openSimulated();
    return Promise.resolve({ store, cleanup: () => store.close() });
  },
  { uniqueEventIdsAcrossStreams: false, simultaneousAppendsInCallOrder: false },
);

describe('EventStoreDbEventStore (simulated client)', () => {
  let client: SimulatedEventStoreDbClient;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    ({ client, store } = openSimulated());
  });

  afterEach(async () => {
    await store.close();
  });

  it('stores keyed events under ids derived from the key, yet reads back the caller’s ids', async () => {
    const streamId = aStreamId();
    const claim = aClaim();
    const events = someEvents(2);

    await store.append(streamId, events, { expectedVersion: 'no_stream', idempotency: claim });

    const raw = await readRaw(client, streamId);
    expect(raw.map(({ event }) => event.id)).toEqual([
      deterministicEventId(claim.key, 0),
      deterministicEventId(claim.key, 1),
    ]);
    const read = await store.readStream(streamId);
    expect(read.events.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(read.events.map((event) => event.metadata)).toEqual(
      events.map((event) => event.metadata),
    );
    const records = await readRaw(client, idempotencyStreamId(claim.key));
    expect(records.map(({ event }) => event.type)).toEqual(['IdempotencyKeyClaimed', COMPLETED]);
  });

  it('answers with the events when the completed record cannot be written, and recovers the key from them', async () => {
    const streamId = aStreamId();
    const claim = aClaim();
    // The events are written; the completed record is not (as if the writer died in between).
    client.failAppend(idempotencyStreamId(claim.key), new UnavailableError(undefined, 'gone'), 1);

    const first = await store.append(streamId, someEvents(2), {
      expectedVersion: 'no_stream',
      idempotency: claim,
    });
    const written = await store.readStream(streamId);
    const head = await store.headPosition();

    expect(first).toEqual({
      streamId,
      nextExpectedVersion: 2,
      lastPosition: written.events.at(-1)?.globalPosition,
      replayed: false,
    });
    const before = await readRaw(client, idempotencyStreamId(claim.key));
    expect(before.map(({ event }) => event.type)).not.toContain(COMPLETED);
    expect(written.version).toBe(2);
    const recovered = {
      streamId,
      nextExpectedVersion: 2,
      lastPosition: written.events.at(-1)?.globalPosition,
      replayed: true,
    };
    await expect(store.findIdempotentResult(claim)).resolves.toEqual(recovered);
    await expect(
      store.append(streamId, someEvents(2), { expectedVersion: 'no_stream', idempotency: claim }),
    ).resolves.toEqual(recovered);
    expect(await store.headPosition()).toBe(head);
    expect((await store.readStream(streamId)).version).toBe(2);
    const records = await readRaw(client, idempotencyStreamId(claim.key));
    expect(records.map(({ event }) => event.type)).toContain(COMPLETED);
  });

  it('appends once when two writers race with one key, and replays for the other', async () => {
    const streamId = aStreamId();
    const claim = aClaim();

    const results = await Promise.all([
      store.append(streamId, someEvents(2), { expectedVersion: 'no_stream', idempotency: claim }),
      store.append(streamId, someEvents(2), { expectedVersion: 'no_stream', idempotency: claim }),
    ]);

    const read = await store.readStream(streamId);
    expect(read.version).toBe(2);
    expect(results.map((result) => result.replayed).sort()).toEqual([false, true]);
    for (const result of results) {
      expect(result).toMatchObject({
        nextExpectedVersion: 2,
        lastPosition: read.events.at(-1)?.globalPosition,
      });
    }
    await expect(store.findIdempotentResult(claim)).resolves.toMatchObject({
      nextExpectedVersion: 2,
      replayed: true,
    });
  });

  it('reads after fromVersion from the tail and the new revisions only, not from the start', async () => {
    const streamId = aStreamId();
    await store.append(streamId, someEvents(5), { expectedVersion: 'no_stream' });
    const readsOf = async (fromVersion: number) => {
      const before = client.streamReads.length;
      const read = await store.readStream(streamId, { fromVersion });
      return { read, calls: client.streamReads.slice(before) };
    };

    const changed = await readsOf(3);
    const unchanged = await readsOf(5);

    expect(changed.read.events.map((event) => event.streamVersion)).toEqual([4, 5]);
    expect(changed.calls).toEqual([
      { streamName: streamId, direction: BACKWARDS, fromRevision: END, maxCount: 1 },
      { streamName: streamId, direction: FORWARDS, fromRevision: 3n, maxCount: 2 },
    ]);
    expect(unchanged.read).toEqual({ version: 5, events: [] });
    expect(unchanged.calls).toEqual([
      { streamName: streamId, direction: BACKWARDS, fromRevision: END, maxCount: 1 },
    ]);
  });

  it('stops at a drop, reporting it once with the last position delivered, and never resubscribes', async () => {
    const received: RecordedEvent[] = [];
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll({
      fromPosition: 0,
      onEvent: (event) => {
        received.push(event);
      },
      onError: (error) => errors.push(error),
    });
    try {
      await store.append(aStreamId(), someEvents(3), { expectedVersion: 'no_stream' });
      await waitUntil(() => received.length >= 3, 'the first events');

      client.dropSubscriptions(new UnavailableError(undefined, 'server restarted'));
      await waitUntil(() => errors.length > 0, 'the drop to be reported');
      await store.append(aStreamId(), someEvents(2), { expectedVersion: 'no_stream' });
    } finally {
      await subscription.close();
    }

    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SubscriptionDroppedError);
    expect(errors[0]).toMatchObject({ lastDelivered: received.at(-1)?.globalPosition });
    expect(received).toEqual((await store.readAll()).slice(0, 3));
    expect(client.openStreams).toBe(0);
  });

  it('hides system events and idempotency records from readAll, the head and subscriptions', async () => {
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({
      fromPosition: 0,
      onEvent: (event) => {
        received.push(event);
      },
    });
    const streamId = aStreamId();
    const marker = anEvent({ type: 'Marker' });
    try {
      await store.append(streamId, someEvents(2), {
        expectedVersion: 'no_stream',
        idempotency: aClaim(),
      });
      const last = await store.append(streamId, [marker], {
        expectedVersion: 2,
        idempotency: aClaim(),
      });
      await waitUntil(() => received.some((event) => event.id === marker.id), 'the marker');

      expect(await store.headPosition()).toBe(last.lastPosition);
    } finally {
      await subscription.close();
    }

    const all = await store.readAll();
    expect(all.map((event) => event.streamId)).toEqual([streamId, streamId, streamId]);
    expect(received).toEqual(all);
  });

  it('refuses a stream whose first events were truncated away, and reports it', async () => {
    const { client, store } = openSimulated();
    const streamId = aStreamId();
    await store.append(streamId, someEvents(4), { expectedVersion: 'no_stream' });
    client.truncateBefore(streamId, 2n);

    const error = await rejectionOf(store.readStream(streamId));

    expect(error).toBeInstanceOf(StreamIntegrityError);
    expect(error).toMatchObject({ streamId, expectedVersion: 1, foundVersion: 3 });
    expect(await store.health()).toMatchObject({
      ok: false,
      answering: true,
      problem: { kind: 'integrity', code: 'STREAM_VERSION_GAP', active: true },
    });
    await store.close();
  });

  it('fails with an unknown outcome while the server is out of reach, reports it unavailable, and is healthy after the next append', async () => {
    const { client, store } = openSimulated();
    const streamId = aStreamId();
    client.failAppend(streamId, new UnavailableError(undefined, 'connection refused'), 0, {
      times: Infinity,
    });

    const error = await rejectionOf(
      store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' }),
    );

    // The client cannot tell a refused connection from a reply lost after the write.
    expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
    expect(error).toMatchObject({ streamId, expectedVersion: 'no_stream', keyed: false });
    expect(await store.health()).toMatchObject({
      ok: false,
      answering: true,
      problem: { kind: 'unavailable', active: true },
    });

    client.stopFailing(streamId);
    await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });

    expect(await store.health()).toMatchObject({ ok: true, problem: { active: false } });
    await store.close();
  });

  it('fails as unavailable when a read cannot reach the server', async () => {
    const client = new SimulatedEventStoreDbClient({ defaultDeadlineMs: 20 });
    const store = new EventStoreDbEventStore(client);
    client.stall();

    const error = await rejectionOf(store.readAll({ fromPosition: 0 }));

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'deadline-exceeded' });
    await store.close();
  });

  it('closes the subscriptions and the client streams on close', async () => {
    store.subscribeToAll({ fromPosition: 0, onEvent: () => undefined });
    await waitUntil(() => client.openStreams === 1, 'the subscription to open');

    await store.close();

    expect(client.openStreams).toBe(0);
  });
});
