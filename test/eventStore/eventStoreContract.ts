import { v4 as uuidv4 } from 'uuid';
import {
  ConcurrencyConflictError,
  DuplicateEventIdError,
  IdempotencyKeyReusedError,
  type EventStore,
  type EventToAppend,
  type IdempotencyClaim,
  type RecordedEvent,
} from '../../src/eventStore/port';
import { eventLeafHash } from '../../src/auditLog/auditRecord';
import {
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/auditLog/merkleTree';

export interface StoreUnderTest {
  readonly store: EventStore;
  readonly cleanup: () => Promise<void>;
}

export function anEvent(overrides: Partial<EventToAppend> = {}): EventToAppend {
  return {
    id: uuidv4(),
    type: 'PledgeSubmitted',
    data: { memberState: 'DE', places: 100 },
    metadata: { correlationId: uuidv4() },
    ...overrides,
  };
}

export function someEvents(count: number): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => anEvent({ data: { sequence: index + 1 } }));
}

export function aStreamId(): string {
  return `pledge-${uuidv4()}`;
}

export function aClaim(fingerprint = 'sha256:first-request'): IdempotencyClaim {
  return { key: `de-ministry:${uuidv4()}`, fingerprint };
}

/** The rejection of `promise`, so a test can check both its class and its facts. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}

export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What an adapter cannot promise; every option defaults to the strict contract. */
export interface ContractOptions {
  /**
   * The store is a server that other runs share, so it need not be empty when a test starts: only
   * "has head position 0 and no events when empty" is relaxed (to "nothing after the head").
   */
  readonly sharedLog?: boolean;
  /**
   * False when the engine cannot refuse an event id already recorded in another stream. EventStoreDB
   * keeps ids unique per stream only (a repeat there is taken as an idempotent retry) and has no
   * index by id, so checking across the whole store is not feasible: that one case is skipped.
   */
  readonly uniqueEventIdsAcrossStreams?: boolean;
  /**
   * False when appends made at once may reach the engine in another order than they were made
   * (EventStoreDB: each is its own request, and an idempotent one several). The tests that need
   * the second of two simultaneous appends to see the first are then skipped.
   */
  readonly simultaneousAppendsInCallOrder?: boolean;
}

/**
 * The one contract every adapter passes. It speaks only the port, and each test uses fresh stream
 * ids and positions relative to the head it found, so it also holds on a store that is not empty.
 */
export function describeEventStoreContract(
  name: string,
  createStore: () => Promise<StoreUnderTest>,
  options: ContractOptions = {},
): void {
  const itWithUniqueIdsAcrossStreams = options.uniqueEventIdsAcrossStreams === false ? it.skip : it;
  const itInCallOrder = options.simultaneousAppendsInCallOrder === false ? it.skip : it;

  describe(`${name} (event store contract)`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await createStore());
    });

    afterEach(async () => {
      await cleanup();
    });

    describe('append and readStream', () => {
      it('reads a missing stream as version 0 with no events', async () => {
        await expect(store.readStream(aStreamId())).resolves.toEqual({ version: 0, events: [] });
      });

      it('numbers the first events of a stream from 1 and returns the new version', async () => {
        const streamId = aStreamId();
        const events = someEvents(3);

        const result = await store.append(streamId, events, { expectedVersion: 'no_stream' });

        expect(result).toEqual({
          streamId,
          nextExpectedVersion: 3,
          lastPosition: expect.any(Number),
          replayed: false,
        });
        const read = await store.readStream(streamId);
        expect(read.version).toBe(3);
        expect(read.events).toEqual(
          events.map((event, index) => ({
            id: event.id,
            streamId,
            streamVersion: index + 1,
            globalPosition: expect.any(Number),
            type: event.type,
            data: event.data,
            metadata: event.metadata,
          })),
        );
        expect(read.events.at(-1)?.globalPosition).toBe(result.lastPosition);
      });

      it('continues the numbering when the expected version is exact', async () => {
        const streamId = aStreamId();
        await store.append(streamId, someEvents(2), { expectedVersion: 'no_stream' });

        const result = await store.append(streamId, someEvents(2), { expectedVersion: 2 });

        expect(result.nextExpectedVersion).toBe(4);
        const read = await store.readStream(streamId);
        expect(read.events.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4]);
      });

      it('treats expected version 0 as no_stream', async () => {
        const streamId = aStreamId();
        await expect(
          store.append(streamId, [anEvent()], { expectedVersion: 0 }),
        ).resolves.toMatchObject({
          nextExpectedVersion: 1,
        });

        const error = await rejectionOf(
          store.append(streamId, [anEvent()], { expectedVersion: 0 }),
        );

        expect(error).toBeInstanceOf(ConcurrencyConflictError);
        expect(error).toMatchObject({ streamId, expected: 0, actual: 1 });
      });

      it("appends with 'any' whatever the version", async () => {
        const streamId = aStreamId();
        await store.append(streamId, [anEvent()], { expectedVersion: 'any' });
        const result = await store.append(streamId, someEvents(2), { expectedVersion: 'any' });

        expect(result.nextExpectedVersion).toBe(3);
      });

      it('rejects a stale expected version with the actual version and appends nothing', async () => {
        const streamId = aStreamId();
        await store.append(streamId, someEvents(2), { expectedVersion: 'no_stream' });
        const head = await store.headPosition();

        const error = await rejectionOf(
          store.append(streamId, [anEvent()], { expectedVersion: 1 }),
        );

        expect(error).toBeInstanceOf(ConcurrencyConflictError);
        expect(error).toMatchObject({ streamId, expected: 1, actual: 2 });
        expect((await store.readStream(streamId)).version).toBe(2);
        expect(await store.headPosition()).toBe(head);
      });

      it('rejects no_stream on an existing stream and a version ahead of the stream', async () => {
        const streamId = aStreamId();
        await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });

        const exists = await rejectionOf(
          store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' }),
        );
        const ahead = await rejectionOf(
          store.append(streamId, [anEvent()], { expectedVersion: 5 }),
        );
        const missing = await rejectionOf(
          store.append(aStreamId(), [anEvent()], { expectedVersion: 1 }),
        );

        expect(exists).toMatchObject({
          name: 'ConcurrencyConflictError',
          expected: 'no_stream',
          actual: 1,
        });
        expect(ahead).toMatchObject({ name: 'ConcurrencyConflictError', expected: 5, actual: 1 });
        expect(missing).toMatchObject({ name: 'ConcurrencyConflictError', expected: 1, actual: 0 });
      });

      it('keeps streams independent', async () => {
        const first = aStreamId();
        const second = aStreamId();
        await store.append(first, someEvents(3), { expectedVersion: 'no_stream' });

        await store.append(second, [anEvent()], { expectedVersion: 'no_stream' });

        expect((await store.readStream(first)).version).toBe(3);
        expect((await store.readStream(second)).events.map((event) => event.streamVersion)).toEqual(
          [1],
        );
      });

      it('reads a stream up to and including a version', async () => {
        const streamId = aStreamId();
        await store.append(streamId, someEvents(5), { expectedVersion: 'no_stream' });

        const upTo3 = await store.readStream(streamId, { upToVersion: 3 });
        const beyond = await store.readStream(streamId, { upToVersion: 99 });
        const none = await store.readStream(streamId, { upToVersion: 0 });

        expect(upTo3.version).toBe(3);
        expect(upTo3.events.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
        expect(beyond.version).toBe(5);
        expect(beyond.events).toHaveLength(5);
        expect(none).toEqual({ version: 0, events: [] });
      });

      it('reads only the events after fromVersion, reporting the stream’s version', async () => {
        const streamId = aStreamId();
        await store.append(streamId, someEvents(5), { expectedVersion: 'no_stream' });
        const all = (await store.readStream(streamId)).events;

        const after2 = await store.readStream(streamId, { fromVersion: 2 });
        const fromStart = await store.readStream(streamId, { fromVersion: 0 });

        expect(after2).toEqual({ version: 5, events: all.slice(2) });
        expect(fromStart).toEqual({ version: 5, events: all });
      });

      it('combines fromVersion with upToVersion', async () => {
        const streamId = aStreamId();
        await store.append(streamId, someEvents(5), { expectedVersion: 'no_stream' });
        const all = (await store.readStream(streamId)).events;

        const from1To3 = await store.readStream(streamId, { fromVersion: 1, upToVersion: 3 });
        const from3ToBeyond = await store.readStream(streamId, { fromVersion: 3, upToVersion: 99 });
        const emptyRange = await store.readStream(streamId, { fromVersion: 3, upToVersion: 3 });
        const reversed = await store.readStream(streamId, { fromVersion: 4, upToVersion: 2 });

        expect(from1To3).toEqual({ version: 3, events: all.slice(1, 3) });
        expect(from3ToBeyond).toEqual({ version: 5, events: all.slice(3) });
        expect(emptyRange).toEqual({ version: 3, events: [] });
        expect(reversed).toEqual({ version: 2, events: [] });
      });

      it('reads nothing from the end or beyond, yet reports the current version', async () => {
        const streamId = aStreamId();
        await store.append(streamId, someEvents(3), { expectedVersion: 'no_stream' });

        const atEnd = await store.readStream(streamId, { fromVersion: 3 });
        const beyond = await store.readStream(streamId, { fromVersion: 7 });

        expect(atEnd).toEqual({ version: 3, events: [] });
        expect(beyond).toEqual({ version: 3, events: [] });

        const appended = someEvents(2);
        await store.append(streamId, appended, { expectedVersion: 3 });
        const caughtUp = await store.readStream(streamId, { fromVersion: 3 });
        expect(caughtUp.version).toBe(5);
        expect(caughtUp.events.map((event) => [event.id, event.streamVersion])).toEqual([
          [appended[0]?.id, 4],
          [appended[1]?.id, 5],
        ]);
      });

      it('reads a missing stream from any version as version 0 with no events', async () => {
        const streamId = aStreamId();

        await expect(store.readStream(streamId, { fromVersion: 0 })).resolves.toEqual({
          version: 0,
          events: [],
        });
        await expect(store.readStream(streamId, { fromVersion: 4 })).resolves.toEqual({
          version: 0,
          events: [],
        });
        await expect(
          store.readStream(streamId, { fromVersion: 4, upToVersion: 9 }),
        ).resolves.toEqual({ version: 0, events: [] });
      });

      it('rejects an invalid fromVersion or upToVersion', async () => {
        const streamId = aStreamId();
        await store.append(streamId, someEvents(2), { expectedVersion: 'no_stream' });

        for (const invalid of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expect(store.readStream(streamId, { fromVersion: invalid })).rejects.toThrow(
            RangeError,
          );
          await expect(
            store.readStream(streamId, { fromVersion: 1, upToVersion: invalid }),
          ).rejects.toThrow(RangeError);
        }
      });

      it('round-trips data and metadata as JSON', async () => {
        const streamId = aStreamId();
        const data = {
          memberState: 'DE',
          hostCountry: 'Türkiye',
          places: 1250,
          share: 0.125,
          urgent: true,
          withdrawnAt: null,
          regions: ['Middle East and North Africa', 'East and Horn of Africa'],
          breakdown: {
            resettlement: { places: 1000, lines: [{ country: 'Türkiye', places: 600 }] },
          },
          empty: { list: [], object: {} },
          text: 'quote " backslash \\ newline \n emoji 🇪🇺 and 中文',
        };
        const metadata = {
          actor: { id: 'de-ministry', role: 'member_state', memberState: 'DE' },
          recordedAt: '2026-01-15T10:00:00.000Z',
          reason: 'Überarbeitung nach Rücksprache',
          correlationId: uuidv4(),
          causationId: uuidv4(),
        };
        await store.append(streamId, [anEvent({ data, metadata })], {
          expectedVersion: 'no_stream',
        });

        const [event] = (await store.readStream(streamId)).events;

        expect(event?.data).toEqual(data);
        expect(event?.metadata).toEqual(metadata);
      });

      it('applies JSON semantics: undefined properties vanish and dates become ISO strings', async () => {
        const streamId = aStreamId();
        const data = { kept: 1, dropped: undefined, at: new Date('2026-03-01T00:00:00.000Z') };
        await store.append(streamId, [anEvent({ data })], { expectedVersion: 'no_stream' });

        const [event] = (await store.readStream(streamId)).events;

        expect(event?.data).toStrictEqual({ kept: 1, at: '2026-03-01T00:00:00.000Z' });
      });
    });

    describe('rejected appends change nothing', () => {
      it('rejects an empty list of events as a programming error', async () => {
        const streamId = aStreamId();

        const error = await rejectionOf(
          store.append(streamId, [], { expectedVersion: 'no_stream' }),
        );

        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(ConcurrencyConflictError);
        expect((await store.readStream(streamId)).version).toBe(0);
      });

      it('rejects an invalid expected version', async () => {
        const streamId = aStreamId();

        await expect(store.append(streamId, [anEvent()], { expectedVersion: -1 })).rejects.toThrow(
          RangeError,
        );
        await expect(store.append(streamId, [anEvent()], { expectedVersion: 1.5 })).rejects.toThrow(
          RangeError,
        );
      });

      it('rejects a batch that repeats an event id and appends none of it', async () => {
        const streamId = aStreamId();
        const head = await store.headPosition();
        const repeated = anEvent();

        const error = await rejectionOf(
          store.append(streamId, [repeated, anEvent(), { ...repeated, type: 'PledgeRevised' }], {
            expectedVersion: 'no_stream',
          }),
        );

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ eventId: repeated.id });
        expect(await store.readStream(streamId)).toEqual({ version: 0, events: [] });
        expect(await store.headPosition()).toBe(head);
      });

      itWithUniqueIdsAcrossStreams(
        'rejects a batch whose later event reuses a recorded id and appends none of it',
        async () => {
          const recorded = anEvent();
          await store.append(aStreamId(), [recorded], { expectedVersion: 'no_stream' });
          const streamId = aStreamId();
          const head = await store.headPosition();
          const fresh = anEvent();

          const error = await rejectionOf(
            store.append(streamId, [fresh, anEvent({ id: recorded.id })], {
              expectedVersion: 'no_stream',
            }),
          );

          expect(error).toBeInstanceOf(DuplicateEventIdError);
          expect(error).toMatchObject({ eventId: recorded.id });
          expect(await store.readStream(streamId)).toEqual({ version: 0, events: [] });
          expect(await store.headPosition()).toBe(head);
          expect(await store.readAll({ fromPosition: head })).toEqual([]);

          const retried = await store.append(streamId, [fresh], { expectedVersion: 'no_stream' });
          expect(retried.nextExpectedVersion).toBe(1);
          expect(retried.lastPosition).toBeGreaterThan(head);
        },
      );

      it('rejects data that is not JSON-serialisable and appends nothing', async () => {
        const streamId = aStreamId();
        const circular: Record<string, unknown> = {};
        circular['self'] = circular;

        await expect(
          store.append(streamId, [anEvent(), anEvent({ data: circular })], {
            expectedVersion: 'no_stream',
          }),
        ).rejects.toThrow(TypeError);
        expect((await store.readStream(streamId)).version).toBe(0);
      });
    });

    describe('global log', () => {
      it('has head position 0 and no events when empty', async () => {
        if (options.sharedLog === true) {
          const head = await store.headPosition();
          expect(head).toBeGreaterThanOrEqual(0);
          expect(await store.readAll({ fromPosition: head })).toEqual([]);
          return;
        }
        expect(await store.headPosition()).toBe(0);
        expect(await store.readAll()).toEqual([]);
      });

      it('orders events across streams by strictly increasing position in commit order', async () => {
        const head = await store.headPosition();
        const first = aStreamId();
        const second = aStreamId();
        await store.append(first, someEvents(2), { expectedVersion: 'no_stream' });
        const secondResult = await store.append(second, [anEvent()], {
          expectedVersion: 'no_stream',
        });
        const lastResult = await store.append(first, [anEvent()], { expectedVersion: 2 });

        const all = await store.readAll({ fromPosition: head });

        expect(all.map((event) => [event.streamId, event.streamVersion])).toEqual([
          [first, 1],
          [first, 2],
          [second, 1],
          [first, 3],
        ]);
        const positions = all.map((event) => event.globalPosition);
        positions.forEach((position, index) => {
          expect(position).toBeGreaterThan(index === 0 ? head : (positions[index - 1] ?? 0));
        });
        expect(secondResult.lastPosition).toBe(positions[2]);
        expect(lastResult.lastPosition).toBe(positions[3]);
        expect(await store.headPosition()).toBe(positions[3]);
        expect((await store.readStream(first)).events).toEqual([all[0], all[1], all[3]]);
      });

      it('reads from an exclusive position, at most maxCount, and pages to the end', async () => {
        const head = await store.headPosition();
        await store.append(aStreamId(), someEvents(4), { expectedVersion: 'no_stream' });
        await store.append(aStreamId(), someEvents(3), { expectedVersion: 'no_stream' });
        const all = await store.readAll({ fromPosition: head });
        expect(all).toHaveLength(7);

        const afterThird = await store.readAll({
          fromPosition: all[2]?.globalPosition ?? -1,
          maxCount: 2,
        });
        expect(afterThird).toEqual(all.slice(3, 5));

        const paged: RecordedEvent[] = [];
        let position = head;
        for (;;) {
          const page = await store.readAll({ fromPosition: position, maxCount: 3 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(3);
          paged.push(...page);
          position = page.at(-1)?.globalPosition ?? position;
        }
        expect(paged).toEqual(all);
        expect(await store.readAll({ fromPosition: await store.headPosition() })).toEqual([]);
      });

      it('returns at most 1000 events by default', async () => {
        const head = await store.headPosition();
        await store.append(aStreamId(), someEvents(1001), { expectedVersion: 'no_stream' });

        const page = await store.readAll({ fromPosition: head });

        expect(page).toHaveLength(1000);
        expect(page.at(-1)?.streamVersion).toBe(1000);
      });
    });

    describe('concurrent appends', () => {
      it('lets exactly one of 20 racing appends with the same expected version win', async () => {
        const streamId = aStreamId();

        const results = await Promise.allSettled(
          Array.from({ length: 20 }, () =>
            store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' }),
          ),
        );

        const won = results.filter((result) => result.status === 'fulfilled');
        const lost = results.filter(
          (result): result is PromiseRejectedResult => result.status === 'rejected',
        );
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const { reason } of lost) {
          expect(reason).toBeInstanceOf(ConcurrencyConflictError);
          expect(reason).toMatchObject({ streamId, expected: 'no_stream', actual: 1 });
        }
        expect((await store.readStream(streamId)).version).toBe(1);
      });

      it('lets exactly one racing append win on an existing stream', async () => {
        const streamId = aStreamId();
        await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });

        const results = await Promise.allSettled(
          Array.from({ length: 20 }, () =>
            store.append(streamId, someEvents(2), { expectedVersion: 1 }),
          ),
        );

        const lost = results.filter(
          (result): result is PromiseRejectedResult => result.status === 'rejected',
        );
        expect(lost).toHaveLength(19);
        for (const { reason } of lost) expect(reason).toMatchObject({ expected: 1, actual: 3 });
        expect((await store.readStream(streamId)).version).toBe(3);
      });
    });

    /**
     * Appends made in the same turn, as concurrent requests make them: a store that commits them
     * together (SQLite's group commit) must still treat each as if it were alone.
     */
    describe('simultaneous appends', () => {
      it('fail alone on a stale version: the others commit', async () => {
        const [first, stale, third] = [aStreamId(), aStreamId(), aStreamId()];
        await store.append(stale, [anEvent()], { expectedVersion: 'no_stream' });
        const head = await store.headPosition();

        const [a, b, c] = await Promise.allSettled([
          store.append(first, someEvents(2), { expectedVersion: 'no_stream' }),
          store.append(stale, someEvents(2), { expectedVersion: 'no_stream' }),
          store.append(third, someEvents(1), { expectedVersion: 'no_stream' }),
        ]);

        expect(a).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 2 } });
        expect(c).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 1 } });
        expect(b?.status).toBe('rejected');
        const reason: unknown = b?.status === 'rejected' ? b.reason : undefined;
        expect(reason).toBeInstanceOf(ConcurrencyConflictError);
        expect(reason).toMatchObject({ streamId: stale, expected: 'no_stream', actual: 1 });
        const added = await store.readAll({ fromPosition: head });
        expect(added.map((event) => event.streamId).sort()).toEqual([first, first, third].sort());
        expect((await store.readStream(stale)).version).toBe(1);
      });

      itInCallOrder('see the ones made before them on the same stream', async () => {
        const streamId = aStreamId();

        const [a, b, c] = await Promise.allSettled([
          store.append(streamId, someEvents(2), { expectedVersion: 'no_stream' }),
          store.append(streamId, someEvents(1), { expectedVersion: 2 }),
          store.append(streamId, someEvents(1), { expectedVersion: 2 }),
        ]);

        expect(a).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 2 } });
        expect(b).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 3 } });
        expect(c?.status).toBe('rejected');
        expect(c?.status === 'rejected' ? c.reason : undefined).toMatchObject({
          expected: 2,
          actual: 3,
        });
        const read = await store.readStream(streamId);
        expect(read.events.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
      });

      itInCallOrder('replay the first under the same idempotency key', async () => {
        const streamId = aStreamId();
        const claim = aClaim();
        const head = await store.headPosition();

        const [first, again] = await Promise.all([
          store.append(streamId, someEvents(2), {
            expectedVersion: 'no_stream',
            idempotency: claim,
          }),
          store.append(streamId, someEvents(2), {
            expectedVersion: 'no_stream',
            idempotency: claim,
          }),
        ]);

        expect(first.replayed).toBe(false);
        expect(again).toEqual({ ...first, replayed: true });
        expect(await store.readAll({ fromPosition: head })).toHaveLength(2);
      });

      itInCallOrder('refuse the same key for a different request, alone', async () => {
        const claim = aClaim('sha256:first-request');
        const other: IdempotencyClaim = { key: claim.key, fingerprint: 'sha256:other-request' };
        const [streamId, otherStream] = [aStreamId(), aStreamId()];

        const [a, b] = await Promise.allSettled([
          store.append(streamId, [anEvent()], { expectedVersion: 'no_stream', idempotency: claim }),
          store.append(otherStream, [anEvent()], {
            expectedVersion: 'no_stream',
            idempotency: other,
          }),
        ]);

        expect(a).toMatchObject({ status: 'fulfilled', value: { replayed: false } });
        expect(b?.status === 'rejected' ? b.reason : undefined).toBeInstanceOf(
          IdempotencyKeyReusedError,
        );
        expect((await store.readStream(otherStream)).version).toBe(0);
      });

      itWithUniqueIdsAcrossStreams(
        'fail alone on an event id another of them records',
        async () => {
          const shared = anEvent();
          const [first, second, third] = [aStreamId(), aStreamId(), aStreamId()];
          const head = await store.headPosition();

          const results = await Promise.allSettled([
            store.append(first, [anEvent(), shared], { expectedVersion: 'no_stream' }),
            store.append(second, [anEvent(), { ...shared, type: 'PledgeRevised' }], {
              expectedVersion: 'no_stream',
            }),
            store.append(third, [anEvent()], { expectedVersion: 'no_stream' }),
          ]);

          const failed = results.filter(
            (result): result is PromiseRejectedResult => result.status === 'rejected',
          );
          expect(failed).toHaveLength(1);
          expect(failed[0]?.reason).toBeInstanceOf(DuplicateEventIdError);
          expect(failed[0]?.reason).toMatchObject({ eventId: shared.id });
          const added = await store.readAll({ fromPosition: head });
          expect(added).toHaveLength(3);
          expect(added.filter((event) => event.id === shared.id)).toHaveLength(1);
          expect((await store.readStream(third)).version).toBe(1);
        },
      );

      it('give no leaf to those that fail, and the right leaves to the others', async () => {
        const taken = aStreamId();
        await store.append(taken, [anEvent()], { expectedVersion: 'no_stream' });
        const streams = Array.from({ length: 6 }, () => aStreamId());

        const recorded = anEvent();
        await store.append(aStreamId(), [recorded], { expectedVersion: 'no_stream' });
        const canRepeatIds = options.uniqueEventIdsAcrossStreams === false;

        const results = await Promise.allSettled(
          streams.flatMap((streamId, index) => [
            store.append(streamId, someEvents(1 + (index % 3)), { expectedVersion: 'no_stream' }),
            // Interleaved failures: a stale version on a stream that exists, found before any
            // leaf; and an event id already recorded, found after the append's first leaf.
            store.append(taken, someEvents(2), { expectedVersion: 'no_stream' }),
            ...(canRepeatIds
              ? []
              : [
                  store.append(aStreamId(), [anEvent(), anEvent({ id: recorded.id })], {
                    expectedVersion: 'no_stream',
                  }),
                ]),
          ]),
        );

        expect(results.filter((result) => result.status === 'rejected')).toHaveLength(
          canRepeatIds ? 6 : 12,
        );
        const events: RecordedEvent[] = [];
        for (;;) {
          const page = await store.readAll({ fromPosition: events.at(-1)?.globalPosition ?? 0 });
          events.push(...page);
          if (page.length < 1000) break;
        }
        const size = await store.auditTree.size();
        expect(size).toBe(events.length);
        expect(Buffer.from(await store.auditTree.root(size))).toEqual(
          Buffer.from(rootFromLeafHashes(events.map(eventLeafHash))),
        );
        for (const [index, event] of events.entries()) {
          expect(await store.auditTree.leafIndexOf(event.globalPosition)).toBe(index);
        }
        expect(await store.auditTree.check()).toMatchObject({ ok: true, treeSize: size });
        const appended = await store.append(taken, [anEvent()], { expectedVersion: 1 });
        expect(appended.nextExpectedVersion).toBe(2);
        expect(await store.auditTree.check()).toMatchObject({ ok: true, treeSize: size + 1 });
      });

      itWithUniqueIdsAcrossStreams(
        'fail alone when the first of them fails after its first leaf',
        async () => {
          const recorded = anEvent();
          await store.append(aStreamId(), [recorded], { expectedVersion: 'no_stream' });
          const head = await store.headPosition();
          const [failing, second, third] = [aStreamId(), aStreamId(), aStreamId()];

          const [a, b, c] = await Promise.allSettled([
            store.append(failing, [anEvent(), anEvent({ id: recorded.id })], {
              expectedVersion: 'no_stream',
            }),
            store.append(second, someEvents(2), { expectedVersion: 'no_stream' }),
            store.append(third, someEvents(1), { expectedVersion: 'no_stream' }),
          ]);

          expect(a?.status === 'rejected' ? a.reason : undefined).toBeInstanceOf(
            DuplicateEventIdError,
          );
          expect(b).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 2 } });
          expect(c).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 1 } });
          const added = await store.readAll({ fromPosition: head });
          expect(added.map((event) => event.streamId)).toEqual([second, second, third]);
          const size = await store.auditTree.size();
          expect(await store.auditTree.leafIndexOf(added[2]?.globalPosition ?? 0)).toBe(size - 1);
          expect(await store.auditTree.check()).toMatchObject({ ok: true, treeSize: size });
        },
      );
    });

    describe('idempotency', () => {
      it('knows no result for an unused key', async () => {
        await expect(store.findIdempotentResult(aClaim())).resolves.toBeUndefined();
      });

      it('replays the first result for the same key and request, appending nothing', async () => {
        const streamId = aStreamId();
        const claim = aClaim();
        const first = await store.append(streamId, someEvents(2), {
          expectedVersion: 'no_stream',
          idempotency: claim,
        });
        await store.append(streamId, [anEvent()], { expectedVersion: 2 });
        await store.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
        const head = await store.headPosition();

        // The retry re-decides (new event ids) and its expected version is stale by now.
        const again = await store.append(streamId, someEvents(2), {
          expectedVersion: 'no_stream',
          idempotency: claim,
        });

        expect(first.replayed).toBe(false);
        expect(again).toEqual({ ...first, replayed: true });
        await expect(store.findIdempotentResult(claim)).resolves.toEqual({
          ...first,
          replayed: true,
        });
        expect(await store.headPosition()).toBe(head);
        expect((await store.readStream(streamId)).version).toBe(3);
      });

      it('refuses the same key for a different request and appends nothing', async () => {
        const streamId = aStreamId();
        const claim = aClaim('sha256:first-request');
        await store.append(streamId, [anEvent()], {
          expectedVersion: 'no_stream',
          idempotency: claim,
        });
        const head = await store.headPosition();
        const other: IdempotencyClaim = { key: claim.key, fingerprint: 'sha256:other-request' };

        const error = await rejectionOf(
          store.append(streamId, [anEvent()], { expectedVersion: 1, idempotency: other }),
        );

        expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
        expect(error).toMatchObject({ key: claim.key });
        await expect(store.findIdempotentResult(other)).rejects.toBeInstanceOf(
          IdempotencyKeyReusedError,
        );
        expect(await store.headPosition()).toBe(head);
        expect((await store.readStream(streamId)).version).toBe(1);
      });

      it('does not spend a key on a rejected append', async () => {
        const streamId = aStreamId();
        await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
        const claim = aClaim();

        await expect(
          store.append(streamId, [anEvent()], { expectedVersion: 'no_stream', idempotency: claim }),
        ).rejects.toBeInstanceOf(ConcurrencyConflictError);
        await expect(store.findIdempotentResult(claim)).resolves.toBeUndefined();

        const retried = await store.append(streamId, [anEvent()], {
          expectedVersion: 1,
          idempotency: claim,
        });
        expect(retried).toMatchObject({ nextExpectedVersion: 2, replayed: false });
      });
    });

    describe('subscribeToAll', () => {
      it('delivers the events after fromPosition, then live ones, in order and exactly once', async () => {
        const head = await store.headPosition();
        const first = aStreamId();
        await store.append(first, someEvents(3), { expectedVersion: 'no_stream' });
        const fromPosition = (await store.readAll({ fromPosition: head }))[0]?.globalPosition ?? -1;
        const received: RecordedEvent[] = [];
        const errors: unknown[] = [];

        const subscription = store.subscribeToAll({
          fromPosition,
          onEvent: (event) => {
            received.push(event);
          },
          onError: (error) => errors.push(error),
        });
        try {
          await waitUntil(() => received.length >= 2, 'the caught-up events');
          await store.append(aStreamId(), someEvents(2), { expectedVersion: 'no_stream' });
          await store.append(first, [anEvent()], { expectedVersion: 3 });
          const marker = anEvent({ type: 'Marker' });
          await store.append(aStreamId(), [marker], { expectedVersion: 'no_stream' });
          await waitUntil(() => received.some((event) => event.id === marker.id), 'the marker');
        } finally {
          await subscription.close();
        }

        expect(errors).toEqual([]);
        expect(received).toEqual(await store.readAll({ fromPosition }));
        expect(received).toHaveLength(6);
      });

      it('delivers events appended during catch-up exactly once', async () => {
        const head = await store.headPosition();
        const streamId = aStreamId();
        await store.append(streamId, someEvents(30), { expectedVersion: 'no_stream' });
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          fromPosition: head,
          onEvent: async (event) => {
            received.push(event);
            await sleep(0);
          },
        });
        try {
          for (let version = 30; version < 40; version += 1) {
            await store.append(streamId, [anEvent()], { expectedVersion: version });
            await sleep(1);
          }
          await waitUntil(() => received.length >= 40, 'all 40 events');
          await sleep(20);
        } finally {
          await subscription.close();
        }

        expect(received.map((event) => event.streamVersion)).toEqual(
          Array.from({ length: 40 }, (_, index) => index + 1),
        );
      });

      it('waits for each onEvent before delivering the next', async () => {
        const head = await store.headPosition();
        await store.append(aStreamId(), someEvents(5), { expectedVersion: 'no_stream' });
        let inFlight = 0;
        let maxInFlight = 0;
        let delivered = 0;
        const subscription = store.subscribeToAll({
          fromPosition: head,
          onEvent: async () => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await sleep(2);
            inFlight -= 1;
            delivered += 1;
          },
        });
        try {
          await waitUntil(() => delivered === 5, 'five deliveries');
        } finally {
          await subscription.close();
        }

        expect(maxInFlight).toBe(1);
      });

      it('starting at the head, delivers only new events', async () => {
        await store.append(aStreamId(), someEvents(2), { expectedVersion: 'no_stream' });
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          fromPosition: await store.headPosition(),
          onEvent: (event) => {
            received.push(event);
          },
        });
        const live = anEvent();
        try {
          await store.append(aStreamId(), [live], { expectedVersion: 'no_stream' });
          await waitUntil(() => received.length >= 1, 'the live event');
        } finally {
          await subscription.close();
        }

        expect(received.map((event) => event.id)).toEqual([live.id]);
      });

      it('close waits for the delivery in flight and stops delivery', async () => {
        const head = await store.headPosition();
        const streamId = aStreamId();
        await store.append(streamId, someEvents(3), { expectedVersion: 'no_stream' });
        let release = (): void => undefined;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          fromPosition: head,
          onEvent: async (event) => {
            received.push(event);
            await gate;
          },
        });
        await waitUntil(() => received.length === 1, 'the first delivery');

        let closed = false;
        const closing = subscription.close().then(() => {
          closed = true;
        });
        await sleep(20);
        expect(closed).toBe(false);
        release();
        await closing;

        await store.append(streamId, [anEvent()], { expectedVersion: 3 });
        await sleep(50);
        expect(received).toHaveLength(1);
      });

      it('stops and reports the error when onEvent fails', async () => {
        const head = await store.headPosition();
        await store.append(aStreamId(), someEvents(3), { expectedVersion: 'no_stream' });
        const failure = new Error('projection failed');
        const errors: unknown[] = [];
        let calls = 0;
        const subscription = store.subscribeToAll({
          fromPosition: head,
          onEvent: () => {
            calls += 1;
            if (calls === 2) throw failure;
          },
          onError: (error) => errors.push(error),
        });
        try {
          await waitUntil(() => errors.length > 0, 'the reported error');
          await store.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
          await sleep(20);
        } finally {
          await subscription.close();
        }

        expect(errors).toEqual([failure]);
        expect(calls).toBe(2);
      });
    });

    describe('audit tree', () => {
      /** The whole log, page by page (a shared server may hold events of earlier tests). */
      async function wholeLog(): Promise<RecordedEvent[]> {
        const events: RecordedEvent[] = [];
        for (;;) {
          const page = await store.readAll({
            fromPosition: events.at(-1)?.globalPosition ?? 0,
            maxCount: 500,
          });
          events.push(...page);
          if (page.length < 500) return events;
        }
      }

      async function appendSome(): Promise<void> {
        const first = aStreamId();
        const second = aStreamId();
        await store.append(first, someEvents(3), { expectedVersion: 'no_stream' });
        await store.append(second, someEvents(2), { expectedVersion: 'no_stream' });
        // Refused appends add no leaf.
        await rejectionOf(store.append(first, someEvents(2), { expectedVersion: 1 }));
        await store.append(first, someEvents(1), { expectedVersion: 3 });
        await store.append(second, someEvents(4), { expectedVersion: 2 });
      }

      it('has one leaf per event in log order, and its root is the hash of the records', async () => {
        await appendSome();
        const events = await wholeLog();
        const size = await store.auditTree.size();

        expect(size).toBe(events.length);
        expect(Buffer.from(await store.auditTree.root(size))).toEqual(
          Buffer.from(rootFromLeafHashes(events.map(eventLeafHash))),
        );
        for (const [index, event] of events.entries()) {
          expect(await store.auditTree.leafIndexOf(event.globalPosition)).toBe(index);
          expect(await store.auditTree.sizeAt(event.globalPosition)).toBe(index + 1);
        }
        const last = events.at(-1)!.globalPosition;
        expect(await store.auditTree.leafIndexOf(last + 1)).toBeUndefined();
        expect(await store.auditTree.sizeAt(last + 1_000_000)).toBe(size);
        expect(await store.auditTree.check()).toMatchObject({
          ok: true,
          treeSize: size,
          eventCount: size,
        });
      });

      it('proves every event included and every earlier size a prefix', async () => {
        await appendSome();
        const events = await wholeLog();
        const size = events.length;
        const leaves = events.map(eventLeafHash);
        const roots = [];
        for (let n = 0; n <= size; n++) roots.push(await store.auditTree.root(n));

        for (let index = 0; index < size; index++) {
          const path = await store.auditTree.inclusionProof(index, size);
          expect(verifyInclusion(leaves[index]!, index, size, path, roots[size]!)).toBe(true);
          // The same path does not prove another leaf.
          expect(
            verifyInclusion(leaves[(index + 1) % size]!, index, size, path, roots[size]!),
          ).toBe(size === 1);
        }
        for (let from = 1; from <= size; from++) {
          const path = await store.auditTree.consistencyProof(from, size);
          expect(verifyConsistency(from, size, path, roots[from]!, roots[size]!)).toBe(true);
        }
      });

      it('refuses a size beyond the log', async () => {
        await appendSome();
        const size = await store.auditTree.size();

        await expect(store.auditTree.root(size + 1)).rejects.toThrow(RangeError);
        await expect(store.auditTree.inclusionProof(size, size)).rejects.toThrow(RangeError);
        await expect(store.auditTree.consistencyProof(1, size + 1)).rejects.toThrow(RangeError);
      });
    });

    describe('health', () => {
      it('answers with no problem while it works; the callers’ mistakes are no store problem', async () => {
        const streamId = aStreamId();
        const recorded = anEvent();
        await store.append(streamId, [recorded], { expectedVersion: 'no_stream' });
        await rejectionOf(store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' }));
        await rejectionOf(store.append(streamId, [recorded, recorded], { expectedVersion: 1 }));
        await rejectionOf(store.readStream(streamId, { fromVersion: -1 }));

        expect(await store.health()).toEqual({ ok: true, answering: true });
      });

      it('does not answer once closed', async () => {
        await store.close();

        expect(await store.health()).toEqual({ ok: false, answering: false });
      });
    });

    describe('close', () => {
      it('rejects every operation after close, and closing twice is harmless', async () => {
        const streamId = aStreamId();
        await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });

        await store.close();

        await expect(store.append(streamId, [anEvent()], { expectedVersion: 1 })).rejects.toThrow(
          /closed/i,
        );
        await expect(store.readStream(streamId)).rejects.toThrow(/closed/i);
        await expect(store.readAll()).rejects.toThrow(/closed/i);
        await expect(store.headPosition()).rejects.toThrow(/closed/i);
        await expect(store.findIdempotentResult(aClaim())).rejects.toThrow(/closed/i);
        expect(() => store.subscribeToAll({ fromPosition: 0, onEvent: () => undefined })).toThrow(
          /closed/i,
        );
        await expect(store.close()).resolves.toBeUndefined();
      });

      it('closes open subscriptions', async () => {
        const received: RecordedEvent[] = [];
        store.subscribeToAll({
          fromPosition: await store.headPosition(),
          onEvent: (event) => {
            received.push(event);
          },
        });

        await store.close();

        expect(received).toEqual([]);
      });
    });
  });
}
