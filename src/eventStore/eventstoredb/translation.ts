import {
  ANY,
  NO_STREAM,
  START,
  WrongExpectedVersionError,
  MaxAppendSizeExceededError,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Position,
} from '@eventstore/db-client';
import { assertNonNegativeInteger } from '../adapterRules';
import {
  AppendTooLargeError,
  ConcurrencyConflictError,
  StoreUnavailableError,
  type ExpectedVersion,
  type GlobalPosition,
  type StreamVersion,
} from '../port';

/**
 * Pure translations between the port's numbering and EventStoreDB's, kept apart from the adapter so
 * they can be tested without a server.
 *
 * Versions. The port counts events (version N = N events, 0 = no stream); EventStoreDB numbers them
 * (revision r = the (r + 1)th event, "no_stream" = none). So version N <-> revision N - 1.
 *
 * Positions. A `$all` position is a `{ commit, prepare }` pair of byte offsets into the transaction
 * log. Appends over gRPC (EventStoreDB >= 20) never use explicit transactions: the server writes each
 * event of an append as its own prepare record flagged `IsCommitted`, and `$all` reports such an
 * event at `commit == prepare == ` its own log offset (server source: `StorageWriterService.WritePrepares`,
 * `AllReader.ReadAllEventsForward`). So the events of one multi-event append do NOT share a commit
 * position; each commit position is unique and grows with commit order, and the append reply carries
 * the last event's. The port's global position is therefore `Number(commit)`, and the port position
 * p is read back as the `$all` position `{ commit: p, prepare: p }`, which is exactly where that
 * event sits. Events of a legacy explicit (TCP) transaction share the commit record's position and
 * differ only by prepare: this adapter never writes such events, and a store holding them is
 * outside what it supports. Offsets stay below 2^53 (8 PiB of log), so `Number` is exact.
 *
 * Inclusive or exclusive. Reading `$all` forwards from a position includes the event at that
 * position; a catch-up subscription excludes it. The port is exclusive everywhere, so reads skip
 * events at or below the port's `fromPosition` (see `isAfter`).
 */

/** Prefix of EventStoreDB's own streams and event types (`$stats-…`, `$>`, `$metadata`). */
export const SYSTEM_PREFIX = '$';

export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  assertNonNegativeInteger(expected, 'expectedVersion');
  return BigInt(expected - 1);
}

/** The port version of the stream whose last event has this revision. */
export function toStreamVersion(revision: bigint): StreamVersion {
  const version = Number(revision) + 1;
  if (revision < 0n || !Number.isSafeInteger(version)) {
    throw new RangeError(`EventStoreDB revision ${revision} has no port version`);
  }
  return version;
}

/** The port version of a stream as a `WrongExpectedVersionError` reports it. */
export function toActualVersion(current: CurrentRevision): StreamVersion {
  return current === NO_STREAM ? 0 : toStreamVersion(current);
}

/** `maxCount` for reading a stream forwards after `fromVersion` up to and including `upToVersion`. */
export function toReadStreamMaxCount(upToVersion: StreamVersion, fromVersion = 0): bigint {
  assertNonNegativeInteger(upToVersion, 'upToVersion');
  assertNonNegativeInteger(fromVersion, 'fromVersion');
  return BigInt(Math.max(upToVersion - fromVersion, 0));
}

/** Where a forward stream read starts to return the events after `fromVersion`. */
export function toReadStreamFromRevision(fromVersion: StreamVersion): typeof START | bigint {
  assertNonNegativeInteger(fromVersion, 'fromVersion');
  // The event of version fromVersion + 1 has revision fromVersion.
  return fromVersion === 0 ? START : BigInt(fromVersion);
}

export function toConcurrencyConflict(
  error: WrongExpectedVersionError,
  streamId: string,
  expected: ExpectedVersion,
): ConcurrencyConflictError {
  return new ConcurrencyConflictError(streamId, expected, toActualVersion(error.actualVersion));
}

/**
 * An error of the append to `streamId` as the port's error: a wrong expected version becomes
 * `ConcurrencyConflictError`, anything else what `toStoreError` makes of it.
 */
export function toAppendError(error: unknown, streamId: string, expected: ExpectedVersion): Error {
  if (error instanceof MaxAppendSizeExceededError) {
    return new AppendTooLargeError(streamId, error.maxAppendSize, { cause: error });
  }
  if (error instanceof WrongExpectedVersionError) {
    return toConcurrencyConflict(error, streamId, expected);
  }
  return toStoreError(error, `append to stream ${streamId}`);
}

/**
 * The client's error types that mean the server could not be reached or could not answer in time
 * (a node restarting, a leader election, the network): the store is unavailable, not the request
 * wrong, so they become `StoreUnavailableError` and the caller is told to retry.
 */
const UNAVAILABLE_ERROR_TYPES: ReadonlySet<string> = new Set([
  'unavailable',
  'deadline-exceeded',
  'timeout',
  'cancelled',
  'not-leader',
]);

/**
 * A client or transport error as the port's: `StoreUnavailableError` when the server was out of
 * reach, a plain `Error` otherwise; both keep the client's error only as `cause`, so no client
 * error type leaves the adapter.
 */
export function toStoreError(error: unknown, operation: string): Error {
  const type =
    typeof error === 'object' && error !== null && 'type' in error
      ? String(error.type)
      : error instanceof Error
        ? error.name
        : 'unknown error';
  const message = `EventStoreDbEventStore: ${operation} failed (${type})`;
  return UNAVAILABLE_ERROR_TYPES.has(type)
    ? new StoreUnavailableError('unavailable', type, message, { cause: error })
    : new Error(message, { cause: error });
}

/** False for the placeholders servers send where they know no position (0, 2^64 - 1). */
export function isUsablePosition(position: Position): boolean {
  return position.commit > 0n && position.commit <= BigInt(Number.MAX_SAFE_INTEGER);
}

/** The port's global position of a `$all` position: its commit offset. */
export function toGlobalPosition(position: Position): GlobalPosition {
  const commit = position.commit;
  if (!isUsablePosition(position)) {
    // Servers before 22.6 report no position on stream reads (0 or 2^64 - 1).
    throw new RangeError(
      `EventStoreDB position ${commit} is not usable as a global position (EventStoreDB >= 22.6 required)`,
    );
  }
  return Number(commit);
}

/** Where a `$all` read or subscription starts for the port position `fromPosition`. */
export function toReadPosition(fromPosition: GlobalPosition): typeof START | Position {
  assertNonNegativeInteger(fromPosition, 'fromPosition');
  if (fromPosition === 0) return START;
  const offset = BigInt(fromPosition);
  return { commit: offset, prepare: offset };
}

/** True when `position` comes after `watermark` in `$all` order. */
export function isAfter(position: Position, watermark: Position | undefined): boolean {
  if (watermark === undefined) return true;
  return (
    position.commit > watermark.commit ||
    (position.commit === watermark.commit && position.prepare > watermark.prepare)
  );
}

/** Events of EventStoreDB itself: a `$`-prefixed type (links, metadata, stats) or stream. */
export function isSystemEvent(event: {
  readonly streamId: string;
  readonly type: string;
}): boolean {
  return event.streamId.startsWith(SYSTEM_PREFIX) || event.type.startsWith(SYSTEM_PREFIX);
}
