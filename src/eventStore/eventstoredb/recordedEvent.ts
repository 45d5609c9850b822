import type { Position, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { RecordedEvent } from '../port';
import { unstampMetadata } from './idempotency';
import { toGlobalPosition, toStreamVersion } from './translation';

/** An EventStoreDB event as the port's: numbering translated, the idempotency stamp removed. */
export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.isJson) {
    throw new TypeError(
      `EventStoreDbEventStore: event ${event.id} in ${event.streamId} is not JSON`,
    );
  }
  const { metadata, stamp } = unstampMetadata(toMetadataRecord(event.metadata));
  return {
    id: stamp?.eventId ?? event.id,
    streamId: event.streamId,
    streamVersion: toStreamVersion(event.revision),
    globalPosition: toGlobalPosition(requirePosition(event)),
    type: event.type,
    data: event.data,
    metadata,
  };
}

export function requirePosition(event: EsdbRecordedEvent): Position {
  if (event.position === undefined) {
    throw new RangeError(
      `EventStoreDbEventStore: event ${event.id} has no $all position (EventStoreDB >= 22.6 required)`,
    );
  }
  return event.position;
}

export function toMetadataRecord(metadata: unknown): Record<string, unknown> {
  return typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    !(metadata instanceof Uint8Array)
    ? (metadata as Record<string, unknown>)
    : {};
}
