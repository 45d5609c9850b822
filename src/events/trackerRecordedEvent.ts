/**
 * The one place stored events are decoded: a `RecordedEvent` from any adapter becomes a typed
 * domain event with typed metadata, upcast to today's schema. Everything above the store (the
 * command handler's folds, every projection) reads events through here.
 */
import { decodeEvent, EventDecodeError, type TrackerEvent } from '../domain/events';
import { eventMetadataSchema, type EventMetadata } from '../domain/shared/messages';
import type { GlobalPosition, RecordedEvent, StreamVersion } from '../eventStore/port';
import { currentDataValidators, metadataValidator } from './fastValidators';

/** Where an event sits in the log, and its typed metadata. */
export interface RecordedEnvelope {
  readonly id: string;
  readonly streamId: string;
  readonly streamVersion: StreamVersion;
  readonly globalPosition: GlobalPosition;
  readonly metadata: EventMetadata;
}

/**
 * A stored event of the tracker's, decoded: its envelope and the typed event in one object (a
 * discriminated union on `type`), so the common case needs no copy of what the store returned.
 */
export type TrackerRecordedEvent = RecordedEnvelope & TrackerEvent;

/** The schema version the event was stored with, before any upcast (release 1 wrote none). */
export function storedSchemaVersion(recorded: TrackerRecordedEvent): number {
  return recorded.metadata.schemaVersion ?? 1;
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
  const current = currentDataValidators.get(type);
  if (current === undefined || metadata['schemaVersion'] !== current.version) return undefined;
  if (metadataValidator === undefined || !metadataValidator(metadata) || !current.validate(data)) {
    return undefined;
  }
  // The store's own object, valid as it stands: typed, not copied.
  return recorded as unknown as TrackerRecordedEvent;
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
  let event: TrackerEvent;
  try {
    event = decodeEvent(recorded.type, metadata.data.schemaVersion ?? 1, recorded.data);
  } catch (error) {
    if (error instanceof EventDecodeError) return fail(error.message);
    throw error;
  }
  return {
    ...event,
    id: recorded.id,
    streamId: recorded.streamId,
    streamVersion: recorded.streamVersion,
    globalPosition: recorded.globalPosition,
    metadata: metadata.data,
  };
}
