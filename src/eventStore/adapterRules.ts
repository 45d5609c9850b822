import {
  ConcurrencyConflictError,
  DuplicateEventIdError,
  IdempotencyKeyReusedError,
  StreamIntegrityError,
  type AppendOptions,
  type AppendResult,
  type EventToAppend,
  type ExpectedVersion,
  type GlobalPosition,
  type IdempotencyClaim,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamVersion,
} from './port';

/** Store-neutral rules every adapter applies alike, so the contract holds by construction. */

export const DEFAULT_MAX_COUNT = 1000;

export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export interface StoredIdempotency {
  readonly fingerprint: string;
  readonly streamId: string;
  readonly nextExpectedVersion: StreamVersion;
  readonly lastPosition: GlobalPosition;
}

/** Events with `fromVersion < streamVersion <= upToVersion`. */
export interface ReadStreamRange {
  readonly fromVersion: StreamVersion;
  readonly upToVersion: StreamVersion;
}

export interface ReadAllRange {
  readonly fromPosition: GlobalPosition;
  readonly maxCount: number;
}

/** Validates an append and serialises its events; throws before any store is touched. */
export function toSerializedEvents(
  streamId: string,
  events: readonly EventToAppend[],
  options: AppendOptions,
): readonly SerializedEvent[] {
  assertNonEmptyString(streamId, 'streamId');
  assertExpectedVersion(options.expectedVersion);
  if (options.idempotency !== undefined) {
    assertNonEmptyString(options.idempotency.key, 'idempotency.key');
    assertNonEmptyString(options.idempotency.fingerprint, 'idempotency.fingerprint');
  }
  if (events.length === 0) {
    throw new RangeError(`Cannot append to stream ${streamId}: no events given`);
  }
  const ids = new Set<string>();
  return events.map((event) => {
    assertNonEmptyString(event.id, 'event id');
    assertNonEmptyString(event.type, 'event type');
    if (ids.has(event.id)) throw new DuplicateEventIdError(event.id);
    ids.add(event.id);
    if (
      typeof event.metadata !== 'object' ||
      event.metadata === null ||
      Array.isArray(event.metadata)
    ) {
      throw new TypeError(`Event ${event.id}: metadata must be an object`);
    }
    return {
      id: event.id,
      type: event.type,
      data: toJson(event.data, `Event ${event.id}: data`),
      metadata: toJson(event.metadata, `Event ${event.id}: metadata`),
    };
  });
}

export function checkExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actual: StreamVersion,
): void {
  const matches =
    expected === 'any' || (expected === 'no_stream' ? actual === 0 : actual === expected);
  if (!matches) throw new ConcurrencyConflictError(streamId, expected, actual);
}

/** The replayed result for a claim whose key is stored; throws when the request differs. */
export function toReplayedResult(stored: StoredIdempotency, claim: IdempotencyClaim): AppendResult {
  if (stored.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError(claim.key);
  return {
    streamId: stored.streamId,
    nextExpectedVersion: stored.nextExpectedVersion,
    lastPosition: stored.lastPosition,
    replayed: true,
  };
}

export function toReadAllRange(options: ReadAllOptions = {}): ReadAllRange {
  const fromPosition = options.fromPosition ?? 0;
  const maxCount = options.maxCount ?? DEFAULT_MAX_COUNT;
  assertNonNegativeInteger(fromPosition, 'fromPosition');
  assertNonNegativeInteger(maxCount, 'maxCount');
  return { fromPosition, maxCount };
}

/** The validated bounds of a stream read; no `upToVersion` reads to the end. */
export function toReadStreamRange(options: ReadStreamOptions = {}): ReadStreamRange {
  const fromVersion = options.fromVersion ?? 0;
  const upToVersion = options.upToVersion ?? Number.MAX_SAFE_INTEGER;
  assertNonNegativeInteger(fromVersion, 'fromVersion');
  assertNonNegativeInteger(upToVersion, 'upToVersion');
  return { fromVersion, upToVersion };
}

/**
 * A stream read must return the versions `fromVersion + 1, + 2, …` in order. Anything else (a gap
 * from a lost row or a truncated stream, a repeat) would fold into a wrong state: it is refused.
 */
export function assertContiguous(
  streamId: string,
  fromVersion: StreamVersion,
  events: readonly Pick<RecordedEvent, 'streamVersion'>[],
): void {
  events.forEach((event, index) => {
    const expected = fromVersion + index + 1;
    if (event.streamVersion !== expected) {
      throw new StreamIntegrityError(streamId, expected, event.streamVersion);
    }
  });
}

export function assertNonNegativeInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}

/** Runs an adapter's synchronous work as the port's promise, so a throw becomes a rejection. */
export function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

export function storeClosedError(storeName: string): Error {
  return new Error(`${storeName} is closed`);
}

function assertExpectedVersion(expected: ExpectedVersion): void {
  if (expected === 'any' || expected === 'no_stream') return;
  assertNonNegativeInteger(expected, 'expectedVersion');
}

function assertNonEmptyString(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string`);
  }
}

function toJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${what} is not JSON-serialisable`, { cause: error });
  }
  if (json === undefined) throw new TypeError(`${what} is not JSON-serialisable`);
  return json;
}
