/** How an event row reads back, shared by the store's reads and its tree's check and backfill. */
import type { StoredIdempotency } from '../adapterRules';
import type { RecordedEvent } from '../port';

/** The columns of an event row, in the order `RawEventRow` holds them. */
export const EVENT_COLUMNS =
  'event_id, stream_id, stream_version, global_position, type, data, metadata';

/** An event row in `EVENT_COLUMNS` order (rows as arrays: the whole log is read at every rebuild). */
export type RawEventRow = readonly [string, string, number, number, string, string, string];

export function rawToRecordedEvent(row: RawEventRow): RecordedEvent {
  const [id, streamId, streamVersion, globalPosition, type, data, metadata] = row;
  return {
    id,
    streamId,
    streamVersion,
    globalPosition,
    type,
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(metadata) as Record<string, unknown>,
  };
}

/** An idempotency key's row, as the replay lookup selects it. */
export interface IdempotencyRow {
  readonly fingerprint: string;
  readonly stream_id: string;
  readonly next_expected_version: number;
  readonly last_position: number;
}

export function toStoredIdempotency(row: IdempotencyRow): StoredIdempotency {
  return {
    fingerprint: row.fingerprint,
    streamId: row.stream_id,
    nextExpectedVersion: row.next_expected_version,
    lastPosition: row.last_position,
  };
}
