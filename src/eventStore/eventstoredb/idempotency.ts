import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { StoredIdempotency } from '../adapterRules';
import type { IdempotencyClaim } from '../port';
import { isSystemEvent } from './translation';

/**
 * Pure helpers of the EventStoreDB adapter's permanent idempotency (the protocol itself is described
 * at the top of `eventStoreDbEventStore.ts`): the per-key record stream, its two record types, the
 * deterministic event ids and the idempotency stamp carried in each event's metadata.
 */

/** Streams holding idempotency records; they never appear in `readAll` or subscriptions. */
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency-';
export const CLAIMED = 'IdempotencyKeyClaimed';
export const COMPLETED = 'IdempotencyKeyCompleted';
/** The metadata property stamped on events appended under an idempotency key. */
export const STAMP_PROPERTY = '$idempotency';
/** UUID v5 namespace of this adapter's deterministic event ids (any fixed UUID would do). */
const EVENT_ID_NAMESPACE = '3f0c3f61-6c1e-4f7b-9a38-6a3e2f1c8d20';

/** Records of an idempotency stream, oldest first. */
export type IdempotencyRecord =
  | {
      readonly type: typeof CLAIMED;
      readonly fingerprint: string;
      readonly streamId: string;
      /**
       * The stream's version the append expected (0 for no stream), so a recovery looks for the
       * events after it only; absent for `any` and in claims written by earlier releases.
       */
      readonly fromVersion?: number;
    }
  | ({ readonly type: typeof COMPLETED } & StoredIdempotency);

/** Carried in the metadata of each event appended under a key, so a retry can find the events. */
export interface IdempotencyStamp {
  readonly key: string;
  readonly fingerprint: string;
  /** The id the caller gave the event (EventStoreDB stores the deterministic one). */
  readonly eventId: string;
}

/** The key is hashed: keys are caller-chosen text, and stream names should stay short and plain. */
export function idempotencyStreamId(key: string): string {
  return IDEMPOTENCY_STREAM_PREFIX + createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The same key and index give the same id, so EventStoreDB itself refuses to store a retry twice. */
export function deterministicEventId(key: string, index: number): string {
  return uuidv5(JSON.stringify([key, index]), EVENT_ID_NAMESPACE);
}

/** The record's event type and JSON data, as appended to the idempotency stream. */
export function toRecordData(record: IdempotencyRecord): {
  readonly type: IdempotencyRecord['type'];
  readonly data: Record<string, unknown>;
} {
  const { type, ...data } = record;
  return { type, data };
}

/** The record stored as `type` with `data`, or undefined when it is not one of ours. */
export function parseIdempotencyRecord(type: string, data: unknown): IdempotencyRecord | undefined {
  if (!isObject(data)) return undefined;
  const { fingerprint, streamId } = data;
  if (typeof fingerprint !== 'string' || typeof streamId !== 'string') return undefined;
  if (type === CLAIMED) {
    const { fromVersion } = data;
    return isCount(fromVersion)
      ? { type, fingerprint, streamId, fromVersion }
      : { type, fingerprint, streamId };
  }
  if (type !== COMPLETED) return undefined;
  const { nextExpectedVersion, lastPosition } = data;
  if (!isCount(nextExpectedVersion) || !isCount(lastPosition)) return undefined;
  return { type, fingerprint, streamId, nextExpectedVersion, lastPosition };
}

export function claimedRecord(
  claim: IdempotencyClaim,
  streamId: string,
  fromVersion?: number,
): IdempotencyRecord {
  return fromVersion === undefined
    ? { type: CLAIMED, fingerprint: claim.fingerprint, streamId }
    : { type: CLAIMED, fingerprint: claim.fingerprint, streamId, fromVersion };
}

/**
 * Where a recovery starts to look for a key's events in `streamId`: the lowest version its claims
 * expected, or 0 (the whole stream) when one of them did not say.
 */
export function claimedFromVersion(
  records: readonly IdempotencyRecord[],
  streamId: string,
): number {
  let from: number | undefined;
  for (const record of records) {
    if (record.type !== CLAIMED || record.streamId !== streamId) continue;
    const version = record.fromVersion ?? 0;
    from = from === undefined ? version : Math.min(from, version);
  }
  return from ?? 0;
}

export function completedRecord(stored: StoredIdempotency): IdempotencyRecord {
  return {
    type: COMPLETED,
    fingerprint: stored.fingerprint,
    streamId: stored.streamId,
    nextExpectedVersion: stored.nextExpectedVersion,
    lastPosition: stored.lastPosition,
  };
}

/** What a record stream says: the first completed record wins; otherwise the claims, newest first. */
export function summarise(records: readonly IdempotencyRecord[]): {
  readonly completed: StoredIdempotency | undefined;
  readonly claimedStreams: readonly string[];
} {
  const completed = records.find((record) => record.type === COMPLETED);
  const claimedStreams = [
    ...new Set(
      records
        .filter((record) => record.type === CLAIMED)
        .map((record) => record.streamId)
        .reverse(),
    ),
  ];
  return {
    completed:
      completed === undefined
        ? undefined
        : {
            fingerprint: completed.fingerprint,
            streamId: completed.streamId,
            nextExpectedVersion: completed.nextExpectedVersion,
            lastPosition: completed.lastPosition,
          },
    claimedStreams,
  };
}

/** The metadata to store: the caller's, plus the stamp when appending under a key. */
export function toStoredMetadata(
  metadata: Readonly<Record<string, unknown>>,
  stamp: IdempotencyStamp | undefined,
): Record<string, unknown> {
  if (Object.prototype.hasOwnProperty.call(metadata, STAMP_PROPERTY)) {
    throw new TypeError(`Event metadata must not use the reserved property ${STAMP_PROPERTY}`);
  }
  return stamp === undefined ? { ...metadata } : { ...metadata, [STAMP_PROPERTY]: { ...stamp } };
}

/** The caller's metadata and the stamp, if any, of stored metadata. */
export function unstampMetadata(stored: Readonly<Record<string, unknown>>): {
  readonly metadata: Record<string, unknown>;
  readonly stamp: IdempotencyStamp | undefined;
} {
  const { [STAMP_PROPERTY]: raw, ...metadata } = stored;
  if (!isObject(raw)) return { metadata: { ...stored }, stamp: undefined };
  const { key, fingerprint, eventId } = raw;
  if (typeof key !== 'string' || typeof fingerprint !== 'string' || typeof eventId !== 'string') {
    return { metadata: { ...stored }, stamp: undefined };
  }
  return { metadata, stamp: { key, fingerprint, eventId } };
}

/** Events the port shows: not EventStoreDB's own, not this adapter's idempotency records. */
export function isPortEvent(event: { readonly streamId: string; readonly type: string }): boolean {
  return !isSystemEvent(event) && !event.streamId.startsWith(IDEMPOTENCY_STREAM_PREFIX);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
