import {
  ANY,
  AccessDeniedError,
  DeadlineExceededError,
  EventStoreDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { openEventStoreDbEventStore } from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';
import {
  CLAIMED,
  COMPLETED,
  IDEMPOTENCY_STREAM_PREFIX,
  STAMP_PROPERTY,
  claimedRecord,
  completedRecord,
  deterministicEventId,
  idempotencyStreamId,
  isPortEvent,
  parseIdempotencyRecord,
  summarise,
  toRecordData,
  toStoredMetadata,
  unstampMetadata,
  type IdempotencyRecord,
} from '../../src/eventStore/eventstoredb/idempotency';
import {
  isAfter,
  isSystemEvent,
  isUsablePosition,
  toActualVersion,
  toAppendError,
  toConcurrencyConflict,
  toExpectedRevision,
  toGlobalPosition,
  toReadPosition,
  toReadStreamMaxCount,
  toStoreError,
  toStreamVersion,
} from '../../src/eventStore/eventstoredb/translation';
import { ConcurrencyConflictError, StoreUnavailableError } from '../../src/eventStore/port';

describe('EventStoreDB translation (no server)', () => {
  describe('versions', () => {
    it('turns a revision into the port version (count of events) and back', () => {
      expect(toStreamVersion(0n)).toBe(1);
      expect(toStreamVersion(41n)).toBe(42);
      expect(toExpectedRevision(42)).toBe(41n);
      expect(toExpectedRevision(1)).toBe(0n);
    });

    it('maps the expected versions: no_stream and 0 to NO_STREAM, any to ANY', () => {
      expect(toExpectedRevision('no_stream')).toBe(NO_STREAM);
      expect(toExpectedRevision(0)).toBe(NO_STREAM);
      expect(toExpectedRevision('any')).toBe(ANY);
    });

    it('refuses revisions and versions that have no counterpart', () => {
      expect(() => toStreamVersion(-1n)).toThrow(RangeError);
      expect(() => toStreamVersion(2n ** 60n)).toThrow(RangeError);
      expect(() => toExpectedRevision(-1)).toThrow(RangeError);
      expect(() => toExpectedRevision(1.5)).toThrow(RangeError);
    });

    it('reads a stream up to a version with maxCount = that version', () => {
      expect(toReadStreamMaxCount(3)).toBe(3n);
      expect(() => toReadStreamMaxCount(-1)).toThrow(RangeError);
    });

    it('reports the actual version of a missing stream as 0', () => {
      expect(toActualVersion(NO_STREAM)).toBe(0);
      expect(toActualVersion(0n)).toBe(1);
      expect(toActualVersion(4n)).toBe(5);
    });
  });

  describe('errors', () => {
    it("turns the client's WrongExpectedVersionError into the port's conflict with the actual count", () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'pledge-1',
        current: 1n,
        expected: 0n,
      });

      const conflict = toConcurrencyConflict(error, 'pledge-1', 1);

      expect(conflict).toBeInstanceOf(ConcurrencyConflictError);
      expect(conflict).toMatchObject({ streamId: 'pledge-1', expected: 1, actual: 2 });
    });

    it('counts a missing stream as actual 0 and keeps the port’s expected version as given', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'pledge-2',
        current: NO_STREAM,
        expected: 4n,
      });

      expect(toAppendError(error, 'pledge-2', 5)).toMatchObject({
        name: 'ConcurrencyConflictError',
        streamId: 'pledge-2',
        expected: 5,
        actual: 0,
      });
      expect(
        toAppendError(
          new WrongExpectedVersionError(undefined, {
            streamName: 'pledge-3',
            current: 0n,
            expected: NO_STREAM,
          }),
          'pledge-3',
          0,
        ),
      ).toMatchObject({ expected: 0, actual: 1 });
    });

    it('turns a server out of reach into StoreUnavailableError, keeping the client error only as the cause', () => {
      const unavailable = new UnavailableError(undefined, 'connection refused');

      const wrapped = toAppendError(unavailable, 'pledge-4', 'any');
      const timedOut = toStoreError(new DeadlineExceededError(), 'read stream x');

      expect(wrapped).toBeInstanceOf(StoreUnavailableError);
      expect(wrapped).toMatchObject({ kind: 'unavailable', code: 'unavailable' });
      expect(wrapped.message).toBe(
        'EventStoreDbEventStore: append to stream pledge-4 failed (unavailable)',
      );
      expect(wrapped.cause).toBe(unavailable);
      expect(timedOut).toMatchObject({ kind: 'unavailable', code: 'deadline-exceeded' });
    });

    it('wraps any other client error in a plain Error that keeps it only as the cause', () => {
      const notFound = new StreamNotFoundError(undefined, 'x');
      const read = toStoreError(notFound, 'read stream x');
      const denied = toStoreError(new AccessDeniedError(), 'read $all');

      expect(read.constructor).toBe(Error);
      expect(read.message).toMatch(/read stream x failed \(stream-not-found\)/);
      expect(read.cause).toBe(notFound);
      expect(denied.constructor).toBe(Error);
    });
  });

  describe('positions', () => {
    it('uses the commit offset as the global position', () => {
      expect(toGlobalPosition({ commit: 1234n, prepare: 1234n })).toBe(1234);
      expect(toGlobalPosition({ commit: 2n ** 53n - 1n, prepare: 2n ** 53n - 1n })).toBe(
        Number.MAX_SAFE_INTEGER,
      );
    });

    it('refuses positions a stream read reports on servers before 22.6, and unsafe ones', () => {
      expect(isUsablePosition({ commit: 1n, prepare: 1n })).toBe(true);
      expect(isUsablePosition({ commit: 0n, prepare: 0n })).toBe(false);
      expect(isUsablePosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toBe(false);
      expect(() => toGlobalPosition({ commit: 0n, prepare: 0n })).toThrow(/22\.6/);
      expect(() => toGlobalPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toThrow(
        RangeError,
      );
    });

    it('starts reads at START for 0 and at { commit: p, prepare: p } otherwise', () => {
      expect(toReadPosition(0)).toBe(START);
      expect(toReadPosition(5120)).toEqual({ commit: 5120n, prepare: 5120n });
      expect(() => toReadPosition(-1)).toThrow(RangeError);
    });

    it('orders positions by commit, then prepare, for skipping what an inclusive read repeats', () => {
      const at = { commit: 100n, prepare: 100n };

      expect(isAfter({ commit: 101n, prepare: 101n }, at)).toBe(true);
      expect(isAfter(at, at)).toBe(false);
      expect(isAfter({ commit: 100n, prepare: 90n }, at)).toBe(false);
      expect(isAfter({ commit: 99n, prepare: 99n }, at)).toBe(false);
      expect(isAfter(at, undefined)).toBe(true);
    });
  });

  describe('system events', () => {
    it('are the $-prefixed types and the events of $-prefixed streams', () => {
      expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(
        true,
      );
      expect(isSystemEvent({ streamId: '$ce-pledge', type: '$>' })).toBe(true);
      expect(isSystemEvent({ streamId: 'pledge-1', type: '$metadata' })).toBe(true);
      expect(isSystemEvent({ streamId: '$settings', type: 'Settings' })).toBe(true);
      expect(isSystemEvent({ streamId: 'pledge-1', type: 'PledgeSubmitted' })).toBe(false);
    });

    it('are hidden from the port together with the idempotency records', () => {
      expect(isPortEvent({ streamId: 'pledge-1', type: 'PledgeSubmitted' })).toBe(true);
      expect(isPortEvent({ streamId: '$ce-pledge', type: '$>' })).toBe(false);
      expect(isPortEvent({ streamId: idempotencyStreamId('k'), type: CLAIMED })).toBe(false);
    });
  });

  describe('idempotency records', () => {
    const stored = {
      fingerprint: 'sha256:first',
      streamId: 'pledge-1',
      nextExpectedVersion: 3,
      lastPosition: 4096,
    };

    it('live in one stream per key, named by the SHA-256 of the key', () => {
      const streamId = idempotencyStreamId('de-ministry:abc');

      expect(streamId).toMatch(new RegExp(`^${IDEMPOTENCY_STREAM_PREFIX}[0-9a-f]{64}$`));
      expect(idempotencyStreamId('de-ministry:abc')).toBe(streamId);
      expect(idempotencyStreamId('de-ministry:abd')).not.toBe(streamId);
    });

    it('round-trip through their event type and JSON data', () => {
      const records: IdempotencyRecord[] = [
        claimedRecord({ key: 'k', fingerprint: 'sha256:first' }, 'pledge-1'),
        completedRecord(stored),
      ];

      for (const record of records) {
        const { type, data } = toRecordData(record);
        expect(parseIdempotencyRecord(type, JSON.parse(JSON.stringify(data)))).toEqual(record);
      }
      expect(toRecordData(completedRecord(stored))).toEqual({ type: COMPLETED, data: stored });
    });

    it('ignore events that are not well-formed records', () => {
      expect(parseIdempotencyRecord('Other', stored)).toBeUndefined();
      expect(parseIdempotencyRecord(CLAIMED, { fingerprint: 'f' })).toBeUndefined();
      expect(parseIdempotencyRecord(COMPLETED, { ...stored, lastPosition: -1 })).toBeUndefined();
      expect(parseIdempotencyRecord(COMPLETED, 'text')).toBeUndefined();
    });

    it('are summarised as the first completed record and the claimed streams, newest first', () => {
      const summary = summarise([
        claimedRecord({ key: 'k', fingerprint: 'a' }, 'pledge-1'),
        claimedRecord({ key: 'k', fingerprint: 'b' }, 'pledge-2'),
        claimedRecord({ key: 'k', fingerprint: 'c' }, 'pledge-1'),
      ]);
      const completed = summarise([
        claimedRecord({ key: 'k', fingerprint: 'sha256:first' }, 'pledge-1'),
        completedRecord(stored),
        completedRecord({ ...stored, lastPosition: 9999 }),
      ]);

      expect(summary).toEqual({ completed: undefined, claimedStreams: ['pledge-1', 'pledge-2'] });
      expect(completed.completed).toEqual(stored);
    });

    it('give each event of a keyed append a stable UUID v5 id', () => {
      const first = deterministicEventId('de-ministry:abc', 0);

      expect(first).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(deterministicEventId('de-ministry:abc', 0)).toBe(first);
      expect(deterministicEventId('de-ministry:abc', 1)).not.toBe(first);
      expect(deterministicEventId('de-ministry:abd', 0)).not.toBe(first);
    });

    it('stamp the metadata of keyed events and strip the stamp on read', () => {
      const metadata = { correlationId: 'c-1', actor: { id: 'de-ministry' } };
      const stamp = { key: 'k', fingerprint: 'sha256:first', eventId: 'caller-id' };

      const storedMetadata = toStoredMetadata(metadata, stamp);

      expect(storedMetadata).toEqual({ ...metadata, [STAMP_PROPERTY]: stamp });
      expect(unstampMetadata(storedMetadata)).toEqual({ metadata, stamp });
      expect(unstampMetadata(metadata)).toEqual({ metadata, stamp: undefined });
      expect(toStoredMetadata(metadata, undefined)).toEqual(metadata);
      expect(() => toStoredMetadata({ [STAMP_PROPERTY]: 'mine' }, undefined)).toThrow(TypeError);
    });
  });

  describe('connection string', () => {
    it('creates a client without connecting, which disposes cleanly', async () => {
      const client = EventStoreDBClient.connectionString('esdb://localhost:2113?tls=false');

      expect(client).toBeInstanceOf(EventStoreDBClient);
      await expect(client.dispose()).resolves.toBeUndefined();
    });

    it('opens a store lazily and closes it, after which it refuses work', async () => {
      const store = openEventStoreDbEventStore('esdb://localhost:2113?tls=false');

      await store.close();

      await expect(store.readStream('pledge-1')).rejects.toThrow(/closed/);
      await expect(store.close()).resolves.toBeUndefined();
    });

    it('refuses a malformed connection string with a plain Error', () => {
      let error: unknown;
      try {
        openEventStoreDbEventStore('http://localhost:2113');
      } catch (caught) {
        error = caught;
      }

      expect((error as Error).constructor).toBe(Error);
      expect((error as Error).message).toMatch(/parsing the connection string failed/);
    });
  });
});
