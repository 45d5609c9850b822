import { UnavailableError, jsonEvent } from '@eventstore/db-client';
import {
  EventStoreDbEventStore,
  appendCredentialsOf,
  type EventStoreDbEventStoreOptions,
} from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';
import { idempotencyStreamId } from '../../src/eventStore/eventstoredb/idempotency';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  ConcurrencyConflictError,
  StoreUnavailableError,
  type EventToAppend,
} from '../../src/eventStore/port';
import { problemBody, toProblem } from '../../src/api/problems';
import { unionPlanStreamId } from '../../src/domain/unionPlan/unionPlanEvents';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { registryFromDemoTokens } from '../../src/api/auth';
import { createTracker } from '../../src/application/tracker';
import { ALL_PROJECTIONS } from '../../src/projections';
import { Projector } from '../../src/projections/projector';
import {
  ALL_PRINCIPALS,
  PLAN_ID,
  PRINCIPALS,
  aPlanBody,
  bearer,
  expectProblem,
  tokenOf,
  urls,
} from '../api/testApp';
import {
  aClaim,
  anEvent,
  aStreamId,
  describeEventStoreContract,
  rejectionOf,
  someEvents,
  waitUntil,
} from './eventStoreContract';
import { SimulatedEventStoreDbClient, type SimulatedUser } from './simulatedEventStoreDbClient';

/**
 * What a three-node cluster does to the adapter, on the stand-in: stale followers and failovers,
 * the client's shared batch-append stream, replies lost after the write, recovery of an
 * idempotency key far behind the tail, replies without a position, and a shutdown while the
 * client looks for a node.
 */
const ADMIN: SimulatedUser = { username: 'admin', password: 'changeit', readsAll: true };

function openCluster(options: EventStoreDbEventStoreOptions = {}): {
  client: SimulatedEventStoreDbClient;
  store: EventStoreDbEventStore;
} {
  const client = new SimulatedEventStoreDbClient({ users: [ADMIN], defaultCredentials: ADMIN });
  const store = new EventStoreDbEventStore(client, {
    ...appendCredentialsOf('esdb://admin:changeit@node1:2113,node2:2113,node3:2113'),
    appendRetryDelayMs: 1,
    ...options,
  });
  return { client, store };
}

describeEventStoreContract(
  'EventStoreDbEventStore (simulated three-node secure cluster, client first on a follower)',
  () => {
    const { client, store } = openCluster();
    client.connectToFollower();
    return Promise.resolve({ store, cleanup: () => store.close() });
  },
  { uniqueEventIdsAcrossStreams: false, simultaneousAppendsInCallOrder: false },
);

describe('EventStoreDbEventStore in a cluster (simulated client)', () => {
  let client: SimulatedEventStoreDbClient;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    ({ client, store } = openCluster());
  });

  afterEach(async () => {
    client.endDiscovery();
    await store.close();
  });

  describe('reads and writes go to the leader', () => {
    it('reads a stream as the leader has it when the client settled on a lagging follower', async () => {
      const streamId = aStreamId();
      await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
      client.pauseReplication();
      await store.append(streamId, [anEvent()], { expectedVersion: 1 });
      client.connectToFollower();

      const read = await store.readStream(streamId);

      expect(read.version).toBe(2);
      expect(client.connectedTo).toBe(client.leaderEndpoint);
    });

    it('finds a key’s result written on the leader, though the follower has not indexed it yet', async () => {
      const streamId = aStreamId();
      const claim = aClaim();
      client.pauseReplication();
      const first = await store.append(streamId, someEvents(2), {
        expectedVersion: 'no_stream',
        idempotency: claim,
      });
      client.connectToFollower();

      await expect(store.findIdempotentResult(claim)).resolves.toEqual({
        ...first,
        replayed: true,
      });
    });

    it('appends after a failover through one retry on NotLeader, asking the leader every time', async () => {
      const streamId = aStreamId();
      await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
      client.failover();

      const result = await store.append(streamId, [anEvent()], { expectedVersion: 1 });

      expect(result.nextExpectedVersion).toBe(2);
      expect(client.calls.filter((call) => !call.requiresLeader)).toEqual([]);
    });
  });

  describe('the client’s batch-append stream', () => {
    it('survives a transport error with appends in flight: no late reply left to crash the process', async () => {
      client.holdAppends();
      const streams = [aStreamId(), aStreamId()];
      const appends = streams.map((streamId) =>
        store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' }),
      );
      await waitUntil(() => client.appendsInFlight === 2, 'both appends in flight');

      client.failInFlight(new UnavailableError(undefined, 'connection reset'), {
        committed: true,
      });
      const results = await Promise.all(appends);

      expect(results.map((result) => result.nextExpectedVersion)).toEqual([1, 1]);
      expect(client.uncaughtErrors).toEqual([]);
      for (const streamId of streams) expect((await store.readStream(streamId)).version).toBe(1);
    });

    it('takes the user from the connection string, so each append is its own call', () => {
      expect(appendCredentialsOf('esdb://admin:p%3A%40%25%2F%3F%23%26@node1:2113')).toEqual({
        appendCredentials: { username: 'admin', password: 'p:@%/?#&' },
      });
      expect(appendCredentialsOf('esdb://node1:2113?tls=false').appendCredentials).toBeDefined();
      expect(() => appendCredentialsOf('esdb+discover://cluster.example:2113')).toThrow(
        /must name a user: set EVENTSTORE_USERNAME and EVENTSTORE_PASSWORD/,
      );
    });
  });

  describe('appends whose outcome is unknown', () => {
    it.each(['deadline', 'unavailable', 'reset'] as const)(
      'retries with the same ids and expected version when the reply was lost (%s), writing once',
      async (how) => {
        const streamId = aStreamId();
        await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
        client.loseNextReply(streamId, how);

        const result = await store.append(streamId, someEvents(2), { expectedVersion: 1 });

        const read = await store.readStream(streamId);
        expect(read.version).toBe(3);
        expect(result).toEqual({
          streamId,
          nextExpectedVersion: 3,
          lastPosition: read.events.at(-1)?.globalPosition,
          replayed: false,
        });
      },
    );

    it('reports a conflict, not an unknown outcome, when the retry finds another writer’s events', async () => {
      const streamId = aStreamId();
      // The first attempt never reaches the server; another writer takes the stream meanwhile.
      client.failAppend(streamId, new UnavailableError(undefined, 'gone'), 0, {
        meanwhile: () =>
          client.appendOutsideTracker(streamId, [
            jsonEvent({ type: 'SomethingElse', data: { by: 'another writer' } }),
          ]),
      });

      const error = await rejectionOf(
        store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' }),
      );

      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect((await store.readStream(streamId)).version).toBe(1);
    });

    it('throws AppendOutcomeUnknownError when the retries cannot tell either, having written at most once', async () => {
      const streamId = aStreamId();
      // The first attempt is stored and its reply lost; every retry fails before the server.
      client.failAppend(streamId, new UnavailableError(undefined, 'node down'), 1, {
        times: Infinity,
      });
      client.loseNextReply(streamId, 'unavailable');

      const error = await rejectionOf(
        store.append(streamId, someEvents(2), { expectedVersion: 'no_stream' }),
      );

      expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
      expect(error).toMatchObject({ streamId, expectedVersion: 'no_stream', keyed: false });
      expect((await store.readStream(streamId)).version).toBe(2);
    });

    it('reaches the API client as 503 append_outcome_unknown, and a retry with the same key records once', async () => {
      let ids = 0;
      const clock = () => new Date('2025-09-15T09:30:00.000Z');
      const app = createApp({
        tracker: createTracker({ store, clock, newId: () => `event-${++ids}` }),
        projector: new Projector(store, ALL_PROJECTIONS),
        tokens: registryFromDemoTokens(
          ALL_PRINCIPALS.map((principal) => ({
            ...PRINCIPALS[principal],
            token: tokenOf(principal),
          })),
        ),
        newId: () => `request-${++ids}`,
        clock,
      });
      const createPlan = () =>
        request(app)
          .post(urls.plans)
          .set('Authorization', bearer('commission'))
          .set('Idempotency-Key', 'create-plan-1')
          .send(aPlanBody());
      const streamId = unionPlanStreamId(PLAN_ID);
      // The first attempt is stored and its reply lost; the adapter's retries fail before the server.
      client.failAppend(streamId, new UnavailableError(undefined, 'node down'), 1, {
        times: Infinity,
      });
      client.loseNextReply(streamId, 'deadline');

      const lost = await createPlan();
      client.stopFailing(streamId);
      const retried = await createPlan();

      expectProblem(lost, 503, 'append_outcome_unknown');
      expect(lost.headers['retry-after']).toBe('5');
      expect(lost.body).toMatchObject({ retrySafe: true, retrySafeWith: ['Idempotency-Key'] });
      expect(retried.status).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect((await store.readStream(streamId)).version).toBe(1);
    });

    it('is answered with a 503 problem that says when a retry is safe', () => {
      const keyed = toProblem(new AppendOutcomeUnknownError('pledge-1', 3, true, 'lost'), false);
      const bare = toProblem(new AppendOutcomeUnknownError('pledge-1', 3, false, 'lost'), false);
      const withIfMatch = toProblem(
        new AppendOutcomeUnknownError('pledge-1', 3, false, 'lost'),
        true,
      );

      expect(keyed).toMatchObject({
        status: 503,
        code: 'append_outcome_unknown',
        retryAfterSeconds: 5,
        extensions: { retrySafe: true, retrySafeWith: ['Idempotency-Key'] },
      });
      expect(withIfMatch).toMatchObject({
        extensions: { retrySafe: true, retrySafeWith: ['If-Match'] },
      });
      expect(bare).toMatchObject({
        status: 503,
        extensions: { retrySafe: false, retrySafeWith: [] },
      });
      expect(problemBody(bare, '/x')).toMatchObject({
        code: 'append_outcome_unknown',
        retrySafe: false,
      });
    });
  });

  it('recovers a key whose events lie more than 500 events behind the tail', async () => {
    const streamId = aStreamId();
    const claim = aClaim();
    // The events are written, the completed record is not (as if the writer died in between).
    client.failAppend(idempotencyStreamId(claim.key), new Error('writer died'), 1);
    await store.append(streamId, someEvents(2), {
      expectedVersion: 'no_stream',
      idempotency: claim,
    });
    const written = await store.readStream(streamId);
    await store.append(streamId, someEvents(600), { expectedVersion: 2 });

    const expected = {
      streamId,
      nextExpectedVersion: 2,
      lastPosition: written.events.at(-1)?.globalPosition,
      replayed: true,
    };
    await expect(store.findIdempotentResult(claim)).resolves.toEqual(expected);
    await expect(
      store.append(streamId, someEvents(2), { expectedVersion: 'no_stream', idempotency: claim }),
    ).resolves.toEqual(expected);
    expect((await store.readStream(streamId)).version).toBe(602);
  });

  it('takes the position of its own last event when the reply has none, not the stream’s tail', async () => {
    const streamId = aStreamId();
    const events: EventToAppend[] = [anEvent()];
    // The write is stored and its reply lost; before the retry another writer appends.
    client.loseNextReply(streamId, 'unavailable', () =>
      client.appendOutsideTracker(streamId, [
        jsonEvent({ type: 'SomethingElse', data: { by: 'another writer' } }),
      ]),
    );

    const result = await store.append(streamId, events, { expectedVersion: 'no_stream' });

    const read = await store.readStream(streamId);
    expect(read.version).toBe(2);
    expect(result).toMatchObject({
      nextExpectedVersion: 1,
      lastPosition: read.events[0]?.globalPosition,
    });
  });

  it('says the connection string’s user may not read $all, as an unavailable store, not a bare failure', async () => {
    const writer: SimulatedUser = { username: 'writer', password: 'secret', readsAll: false };
    const denied = new SimulatedEventStoreDbClient({ users: [writer], defaultCredentials: writer });
    const limited = new EventStoreDbEventStore(denied, { appendCredentials: writer });
    await limited.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });

    const error = await rejectionOf(limited.readAll());

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'access-denied' });
    expect((error as Error).message).toMatch(/\$all/);
    expect(await limited.health()).toMatchObject({
      ok: false,
      problem: { kind: 'unavailable', code: 'access-denied', active: true },
    });
    await limited.close();
  });

  it('closes within its bound while the client is still looking for a node', async () => {
    const { client: looking, store: closing } = openCluster({ closeTimeoutMs: 20 });
    looking.startDiscovery();
    closing.subscribeToAll({ fromPosition: 0, onEvent: () => undefined });
    await waitUntil(() => looking.subscribeRequests === 1, 'the subscription to be asked for');

    await closing.close();

    looking.endDiscovery();
    await expect(closing.readAll()).rejects.toThrow(/closed/);
  });
  it('refuses an append larger than the server takes in one write as too large, writing nothing and staying healthy', async () => {
    const streamId = aStreamId();
    const large = anEvent({ data: { note: 'x'.repeat(1_100_000) } });

    const error = await rejectionOf(
      store.append(streamId, [large], { expectedVersion: 'no_stream' }),
    );

    expect(error).toBeInstanceOf(AppendTooLargeError);
    expect(error).toMatchObject({ streamId, limitBytes: 1_048_576 });
    expect(await store.readStream(streamId)).toEqual({ events: [], version: 0 });
    expect(await store.health()).toMatchObject({ ok: true });
    expect(toProblem(error)).toMatchObject({
      status: 413,
      code: 'append_too_large',
      extensions: { limitBytes: 1_048_576 },
    });
  });
});
