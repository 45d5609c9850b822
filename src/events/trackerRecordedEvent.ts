/**
 * The one place stored events are decoded: a `RecordedEvent` from any adapter becomes a typed
 * domain event with typed metadata, upcast to today's schema. Everything above the store (the
 * command handler's folds, every projection) reads events through here.
 */
import {
  currentSchemaVersion,
  decodeEvent,
  EventDecodeError,
  isTrackerEventType,
  type TrackerEvent,
} from '../domain/events';
import { eventMetadataSchema, type EventMetadata } from '../domain/shared/messages';
import type { GlobalPosition, RecordedEvent, StreamVersion } from '../eventStore/port';
import { currentDataValidators, metadataValidator } from './fastValidators';

export interface TrackerRecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly streamVersion: StreamVersion;
  readonly globalPosition: GlobalPosition;
  readonly event: TrackerEvent;
  readonly metadata: EventMetadata;
  /** The schema version the event was stored with (before any upcast). */
  readonly storedSchemaVersion: number;
}

/** An event the read side cannot decode: it names where it sits, and the read side stops there. */
export class UndecodableEventError extends Error {
  override readonly name = 'UndecodableEventError';
  constructor(
    readonly globalPosition: GlobalPosition,
    readonly streamId: string,
    readonly streamVersion: StreamVersion,
    readonly type: string,
    readonly problem: string,
  ) {
    super(
      `Cannot decode the event at log position ${globalPosition} (stream ${streamId}, version ${streamVersion}, type ${type}): ${problem}`,
    );
  }
}

/**
 * The common case, an event of today's schema version that is valid, checked in place by the
 * validators compiled from the same schemas; anything else is decoded (and upcast) by zod.
 */
function decodedInPlace(recorded: RecordedEvent): TrackerRecordedEvent | undefined {
  const { type, metadata, data } = recorded;
  if (!isTrackerEventType(type) || metadata['schemaVersion'] !== currentSchemaVersion(type)) {
    return undefined;
  }
  const validData = currentDataValidators.get(type);
  if (validData === undefined || metadataValidator === undefined) return undefined;
  if (!metadataValidator(metadata) || !validData(data)) return undefined;
  return {
    id: recorded.id,
    streamId: recorded.streamId,
    streamVersion: recorded.streamVersion,
    globalPosition: recorded.globalPosition,
    event: { type, data } as TrackerEvent,
    metadata: metadata as EventMetadata,
    storedSchemaVersion: currentSchemaVersion(type),
  };
}

export function decodeRecordedEvent(recorded: RecordedEvent): TrackerRecordedEvent {
  const inPlace = decodedInPlace(recorded);
  if (inPlace !== undefined) return inPlace;
  const fail = (problem: string): never => {
    throw new UndecodableEventError(
      recorded.globalPosition,
      recorded.streamId,
      recorded.streamVersion,
      recorded.type,
      problem,
    );
  };
  const metadata = eventMetadataSchema.safeParse(recorded.metadata);
  if (!metadata.success) {
    return fail(
      `metadata: ${metadata.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const storedSchemaVersion = metadata.data.schemaVersion ?? 1;
  let event: TrackerEvent;
  try {
    event = decodeEvent(recorded.type, storedSchemaVersion, recorded.data);
  } catch (error) {
    if (error instanceof EventDecodeError) return fail(error.message);
    throw error;
  }
  return {
    id: recorded.id,
    streamId: recorded.streamId,
    streamVersion: recorded.streamVersion,
    globalPosition: recorded.globalPosition,
    event,
    metadata: metadata.data,
    storedSchemaVersion,
  };
}
