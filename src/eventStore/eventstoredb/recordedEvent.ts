import type { Position, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { StoreUnavailableError, type ForeignEvents, type RecordedEvent } from '../port';
import { isPortEvent, unstampMetadata } from './idempotency';
import { isAfter, toGlobalPosition, toStreamVersion } from './translation';

/** The code of the failure an own event that is not JSON raises (for logs and `health()`). */
export const EVENT_NOT_JSON = 'EVENT_NOT_JSON';

/**
 * An EventStoreDB event as the port's: numbering translated, the idempotency stamp removed. Every
 * event this store writes is JSON, so one that is not was written behind its back: reading on
 * would fold a history with a fact missing, so it fails for good (`corrupted`), naming where the
 * event sits so an operator can find it.
 */
export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.isJson) {
    const where = event.position === undefined ? 'unknown' : String(event.position.commit);
    throw new StoreUnavailableError(
      'corrupted',
      EVENT_NOT_JSON,
      `EventStoreDbEventStore: the event at log position ${where} (stream ${event.streamId}, revision ${event.revision}, type ${event.type}, id ${event.id}) is not JSON; the store's own events are JSON, so it was written by another writer in one of the store's streams`,
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

/** The category of a stream, EventStoreDB's convention: its name up to the first `-`. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

/**
 * Sorts the events of `$all` into the store's own and the rest. A database may be shared with
 * other writers: their events (any type, JSON or not) sit in streams of other categories, and
 * reads of the log skip them, counting each once, so that one of them can never stop the read
 * side. The store's own events (its categories) are converted strictly: one that cannot be read
 * fails the read, naming its position. EventStoreDB's system events and the adapter's key records
 * are skipped silently. Without `ownStreamCategories` every other stream is the store's own.
 */
export class LogEventFilter {
  private readonly own: ReadonlySet<string> | undefined;
  private skipped = 0;
  /** Foreign events at or below this position were counted already. */
  private countedUpTo: Position | undefined;
  private lastSkipped: ForeignEvents['lastSkipped'];

  constructor(
    ownStreamCategories: readonly string[] | undefined,
    /** Told of each failure a read raises, for `health()`. */
    private readonly noteFailure: (error: unknown) => void = () => undefined,
  ) {
    this.own = ownStreamCategories === undefined ? undefined : new Set(ownStreamCategories);
  }

  /** True when the store was told its own categories: other writers may share the database. */
  get sharing(): boolean {
    return this.own !== undefined;
  }

  /** True for an event of the store's own streams (whatever its content). */
  isOwn(event: { readonly streamId: string; readonly type: string }): boolean {
    if (!isPortEvent(event)) return false;
    return this.own === undefined || this.own.has(streamCategory(event.streamId));
  }

  /** The port's event for an own event; undefined (counted if foreign) for any other. */
  toPortEvent(event: EsdbRecordedEvent): RecordedEvent | undefined {
    if (!isPortEvent(event)) return undefined;
    if (!this.isOwn(event)) {
      this.countForeign(event);
      return undefined;
    }
    try {
      return toRecordedEvent(event);
    } catch (error) {
      this.noteFailure(error);
      throw error;
    }
  }

  foreignEvents(): ForeignEvents {
    return {
      skipped: this.skipped,
      ...(this.lastSkipped !== undefined && { lastSkipped: this.lastSkipped }),
    };
  }

  private countForeign(event: EsdbRecordedEvent): void {
    const position = event.position;
    // Reads overlap (catch-up, subscription, the tree, retries): count each event once, in log order.
    if (position === undefined || !isAfter(position, this.countedUpTo)) return;
    this.countedUpTo = position;
    this.skipped += 1;
    this.lastSkipped = {
      position: Number(position.commit),
      streamId: event.streamId,
      type: event.type,
    };
  }
}
