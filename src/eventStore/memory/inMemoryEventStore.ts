import {
  assertContiguous,
  checkExpectedVersion,
  settle,
  storeClosedError,
  toReadAllRange,
  toReadStreamRange,
  toReplayedResult,
  toSerializedEvents,
  type StoredIdempotency,
} from '../adapterRules';
import { CatchUpSubscription } from '../catchUpSubscription';
import {
  DuplicateEventIdError,
  type AppendOptions,
  type AppendResult,
  type AuditTree,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type IdempotencyClaim,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type StoreHealth,
  type SubscribeOptions,
  type Subscription,
} from '../port';
import { FollowingAuditTree } from '../../auditLog/followingAuditTree';
import { StoreHealthMonitor, type StoreHealthOptions } from '../storeHealth';

interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: GlobalPosition;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

const SUBSCRIPTION_BATCH_SIZE = 500;

/**
 * The reference adapter: the whole log in one array, for tests and local runs. Events are kept as
 * JSON text, so callers see the same round-trip (and cannot mutate the log) as with a real store.
 * Every method does its work synchronously, so concurrent appends are serialised by the event loop.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly eventIds = new Set<string>();
  private readonly idempotencyKeys = new Map<string, StoredIdempotency>();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly monitor: StoreHealthMonitor;
  private closed = false;
  /** Built from the log itself: nothing beside the array could disagree with it. */
  readonly auditTree: AuditTree = new FollowingAuditTree((fromPosition, maxCount) =>
    this.readAll({ fromPosition, maxCount }),
  );

  constructor(options: StoreHealthOptions = {}) {
    this.monitor = new StoreHealthMonitor(options);
  }

  append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return settle(() => this.appendNow(streamId, events, options));
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    return settle(() => {
      this.assertOpen();
      const { fromVersion, upToVersion } = toReadStreamRange(options);
      const stream = this.streams.get(streamId) ?? [];
      // Version v is at index v - 1; an empty range slices to nothing.
      const version = Math.min(stream.length, upToVersion);
      const events = stream.slice(fromVersion, version).map(toRecordedEvent);
      try {
        // Holds by construction here; checked all the same, as every adapter does.
        assertContiguous(streamId, fromVersion, events);
      } catch (error) {
        this.monitor.noteFailure(error);
        throw error;
      }
      return { version, events };
    });
  }

  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    return settle(() => {
      this.assertOpen();
      const { fromPosition, maxCount } = toReadAllRange(options);
      return this.readFrom(fromPosition, maxCount);
    });
  }

  headPosition(): Promise<GlobalPosition> {
    return settle(() => {
      this.assertOpen();
      return this.log.length;
    });
  }

  findIdempotentResult(claim: IdempotencyClaim): Promise<AppendResult | undefined> {
    return settle(() => {
      this.assertOpen();
      const stored = this.idempotencyKeys.get(claim.key);
      return stored === undefined ? undefined : toReplayedResult(stored, claim);
    });
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription({
      options,
      read: (fromPosition, maxCount) => this.readFrom(fromPosition, maxCount),
      batchSize: SUBSCRIPTION_BATCH_SIZE,
      onStopped: (stopped) => this.subscriptions.delete(stopped),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Answers while open; reports a stream found not contiguous (which only tampering can cause). */
  health(): Promise<StoreHealth> {
    return Promise.resolve(this.monitor.health(!this.closed));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }

  private appendNow(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): AppendResult {
    this.assertOpen();
    const serialized = toSerializedEvents(streamId, events, options);
    const claim = options.idempotency;
    const stored = claim === undefined ? undefined : this.idempotencyKeys.get(claim.key);
    if (claim !== undefined && stored !== undefined) return toReplayedResult(stored, claim);

    const stream = this.streams.get(streamId) ?? [];
    const version = stream.length;
    checkExpectedVersion(streamId, options.expectedVersion, version);
    const reused = serialized.find((event) => this.eventIds.has(event.id));
    if (reused !== undefined) throw new DuplicateEventIdError(reused.id);

    const appended = serialized.map((event, index): StoredEvent => ({
      ...event,
      streamId,
      streamVersion: version + index + 1,
      globalPosition: this.log.length + index + 1,
    }));
    this.log.push(...appended);
    stream.push(...appended);
    this.streams.set(streamId, stream);
    for (const event of appended) this.eventIds.add(event.id);
    const result: AppendResult = {
      streamId,
      nextExpectedVersion: stream.length,
      lastPosition: this.log.length,
      replayed: false,
    };
    if (claim !== undefined) {
      this.idempotencyKeys.set(claim.key, {
        fingerprint: claim.fingerprint,
        streamId,
        nextExpectedVersion: result.nextExpectedVersion,
        lastPosition: result.lastPosition,
      });
    }
    for (const subscription of this.subscriptions) subscription.notify();
    return result;
  }

  // Positions are 1..n without gaps here, so position p is at index p - 1.
  private readFrom(fromPosition: GlobalPosition, maxCount: number): RecordedEvent[] {
    return this.log.slice(fromPosition, fromPosition + maxCount).map(toRecordedEvent);
  }

  private assertOpen(): void {
    if (this.closed) throw storeClosedError('InMemoryEventStore');
  }
}

/** A new, empty in-memory event store. */
export function createInMemoryEventStore(): InMemoryEventStore {
  return new InMemoryEventStore();
}

function toRecordedEvent(event: StoredEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    type: event.type,
    data: JSON.parse(event.data) as unknown,
    metadata: JSON.parse(event.metadata) as Record<string, unknown>,
  };
}
