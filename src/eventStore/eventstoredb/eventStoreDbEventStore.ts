/**
 * The EventStoreDB adapter (client `@eventstore/db-client` 6.x, server 22.6 or later: older servers
 * do not report `$all` positions on stream reads, which the port needs).
 *
 * Permanent idempotency. EventStoreDB drops a repeated event id on its own, but only within a stream
 * and reliably only when the expected version is exact; with `any` it is a best-effort cache. The
 * port wants a key to be spent for good, so this adapter keeps one small record stream per key,
 * `idempotency-<sha256(key)>`, holding `IdempotencyKeyClaimed { fingerprint, streamId }` and
 * `IdempotencyKeyCompleted { fingerprint, streamId, nextExpectedVersion, lastPosition }` records.
 * An append under a key:
 *   1. reads the key's records: a completed record replays its result (or, for another
 *      fingerprint, refuses with `IdempotencyKeyReusedError`);
 *   2. appends a claim, expecting the record stream's revision as read (no stream, for a new key);
 *      losing that race means another writer holds the key: start again at 1;
 *   3. appends the events atomically with ids derived from the key (UUID v5 of key and index) and a
 *      `$idempotency { key, fingerprint, eventId }` stamp in their metadata (stripped again on
 *      read; `eventId` keeps the caller's id, which is what reads return);
 *   4. appends the completed record, expecting the claim's revision.
 * Recovery: a claim without a completed record means the writer was refused (nothing to find), is
 * still at work, or died between 3 and 4. Step 1 (and `findIdempotentResult`, which appends
 * nothing) then looks for stamped events at the tail of each claimed stream; if they are there the
 * key is spent and their result is replayed (step 1 also writes the missing completed record),
 * otherwise the key is free again. When step 4 loses its race, or the key had been claimed before,
 * two writers may have overlapped: the result is then read from the stamped events themselves, and
 * the writer whose ids EventStoreDB matched to earlier events reports `replayed: true`. Two
 * overlapping writers produce the same event ids, so the second is refused or dropped by EventStoreDB
 * as long as both expect the same exact version.
 * Limits: the records are separate writes, not one transaction with the events, so correctness
 * rests on the deterministic ids and the tail scan. A scan reads the last 500 events of the stream:
 * a writer that died between 3 and 4, followed by 500 other events on that stream before the
 * retry, makes the retry append again (refused as a conflict if it expects an exact version; a
 * duplicate with `any`). Two writers overlapping with `any` rely on EventStoreDB's best-effort
 * de-duplication. Record streams are never deleted (a `$maxAge` on them would let keys expire).
 *
 * Reading `$all` (readAll, headPosition, subscriptions) needs a user allowed to read it: `$admins`
 * by default, or any user on an insecure node.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type EventData,
  type JSONType,
  type ReadPosition,
} from '@eventstore/db-client';
import { FollowingAuditTree } from '../../auditLog/followingAuditTree';
import {
  assertContiguous,
  storeClosedError,
  toReadAllRange,
  toReadStreamRange,
  toReplayedResult,
  toSerializedEvents,
  type SerializedEvent,
  type StoredIdempotency,
} from '../adapterRules';
import type {
  AppendOptions,
  AppendResult,
  AuditTree,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  ForeignEvents,
  GlobalPosition,
  IdempotencyClaim,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamResult,
  RecordedEvent,
  StoreHealth,
  StreamVersion,
  SubscribeOptions,
  Subscription,
} from '../port';
import { StoreHealthMonitor, type StoreHealthOptions } from '../storeHealth';
import { EventStoreDbSubscription } from './eventStoreDbSubscription';
import {
  claimedRecord,
  completedRecord,
  deterministicEventId,
  idempotencyStreamId,
  parseIdempotencyRecord,
  summarise,
  toRecordData,
  toStoredMetadata,
  unstampMetadata,
  type IdempotencyRecord,
} from './idempotency';
import {
  LogEventFilter,
  requirePosition,
  toMetadataRecord,
  toRecordedEvent,
} from './recordedEvent';
import {
  isAfter,
  isUsablePosition,
  toAppendError,
  toExpectedRevision,
  toGlobalPosition,
  toReadPosition,
  toReadStreamFromRevision,
  toReadStreamMaxCount,
  toStoreError,
  toStreamVersion,
} from './translation';

export { SubscriptionDroppedError } from './eventStoreDbSubscription';

/** The part of the client the adapter uses (a narrower type keeps tests' stand-ins honest). */
export type EventStoreDbClient = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface EventStoreDbEventStoreOptions extends StoreHealthOptions {
  /**
   * The categories (stream name up to the first `-`) of the store's own streams, for a database
   * shared with other writers: reads of the log skip and count the events of other streams.
   * Default: every stream but EventStoreDB's own and the key records.
   */
  readonly ownStreamCategories?: readonly string[];
}

const STORE_NAME = 'EventStoreDbEventStore';
const READ_ALL_BATCH = 1000;
const HEAD_BATCH = 100;
const RECOVERY_SCAN_LIMIT = 500n;
const MAX_RECOVERY_STREAMS = 3;
const MAX_CLAIM_ATTEMPTS = 5;

/** A store on the EventStoreDB named by `connectionString` (e.g. `esdb://localhost:2113?tls=false`). */
export function openEventStoreDbEventStore(
  connectionString: string,
  options: EventStoreDbEventStoreOptions = {},
): EventStoreDbEventStore {
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(connectionString);
  } catch (error) {
    throw toStoreError(error, 'parsing the connection string');
  }
  return new EventStoreDbEventStore(client, options);
}

interface KeyLookUp {
  /** The key's result, from a completed record or recovered from stamped events. */
  readonly stored: StoredIdempotency | undefined;
  readonly recovered: boolean;
  /** The record stream's revision as read. */
  readonly revision: AppendExpectedRevision;
}

interface StampedTail {
  readonly stored: StoredIdempotency;
  /** The caller's id of the last stamped event. */
  readonly lastEventId: string;
}

/**
 * Versions, positions and errors are translated in `translation.ts`; the client's own error types
 * never leave this class (they stay reachable as `cause`). Connecting is lazy: the client dials the
 * server on the first call, and `close()` disposes it so the process can exit.
 */
export class EventStoreDbEventStore implements EventStore {
  /** Each replica of the tracker builds the tree from the log at first use and follows it. */
  readonly auditTree: AuditTree = new FollowingAuditTree((fromPosition, maxCount) =>
    this.readAll({ fromPosition, maxCount }),
  );
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private readonly monitor: StoreHealthMonitor;
  private readonly filter: LogEventFilter;
  private closed = false;

  constructor(
    private readonly client: EventStoreDbClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.monitor = new StoreHealthMonitor(options);
    this.filter = new LogEventFilter(options.ownStreamCategories, (error) =>
      this.monitor.noteFailure(error),
    );
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen();
    const serialized = toSerializedEvents(streamId, events, options);
    const claim = options.idempotency;
    if (claim === undefined) {
      return this.appendEvents(streamId, toEventData(serialized), options.expectedVersion);
    }
    return this.appendUnderKey(streamId, serialized, options.expectedVersion, claim);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    this.assertOpen();
    const { fromVersion, upToVersion } = toReadStreamRange(options);
    if (fromVersion === 0) {
      const events = await this.readForwards(streamId, 0, upToVersion);
      this.assertContiguous(streamId, 0, events);
      return { version: events.at(-1)?.streamVersion ?? 0, events };
    }
    // A read past the end returns nothing, which does not say where the stream ends: the tail does.
    // Reading it first also bounds the range, so an append in between cannot skew the version.
    const version = Math.min(await this.currentVersion(streamId), upToVersion);
    const events = await this.readForwards(streamId, fromVersion, version);
    this.assertContiguous(streamId, fromVersion, events);
    return { version, events };
  }

  async readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    this.assertOpen();
    const { fromPosition, maxCount } = toReadAllRange(options);
    const events: RecordedEvent[] = [];
    let from: ReadPosition = toReadPosition(fromPosition);
    // Reads from a position include it; the port excludes it, so skip up to the watermark.
    let watermark = from === START ? undefined : from;
    while (events.length < maxCount) {
      // One more than needed, for the already seen event an inclusive read returns first.
      const batchSize = Math.min(maxCount - events.length + 1, READ_ALL_BATCH);
      const page =
        (await this.collect(
          () =>
            this.client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: batchSize }),
          'read $all',
        )) ?? [];
      for (const { event } of page) {
        if (event === undefined || !isAfter(event.position, watermark)) continue;
        watermark = event.position;
        const own = this.filter.toPortEvent(event);
        if (own === undefined) continue;
        events.push(own);
        if (events.length === maxCount) break;
      }
      const last = page.at(-1)?.event;
      if (page.length < batchSize || last === undefined) break;
      from = last.position;
    }
    return events;
  }

  async headPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    // The client cannot filter plain reads, so walk back past system events and key records.
    let from: ReadPosition = END;
    for (;;) {
      const page =
        (await this.collect(
          () =>
            this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_BATCH }),
          'read the head of $all',
        )) ?? [];
      // Other writers' events too: the head is the last event a subscriber can be given.
      const head = page.find(({ event }) => event !== undefined && this.filter.isOwn(event))?.event;
      if (head !== undefined) return toGlobalPosition(head.position);
      const last = page.at(-1)?.event;
      if (page.length < HEAD_BATCH || last === undefined) return 0;
      from = last.position;
    }
  }

  async findIdempotentResult(claim: IdempotencyClaim): Promise<AppendResult | undefined> {
    this.assertOpen();
    const { stored } = await this.lookUpKey(claim);
    return stored === undefined ? undefined : toReplayedResult(stored, claim);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new EventStoreDbSubscription(
      this.client,
      options,
      this.filter,
      (stopped) => this.subscriptions.delete(stopped),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Probes the server with a read of the last event of `$all`, and reports the last failure seen. */
  async health(): Promise<StoreHealth> {
    if (this.closed) return this.monitor.health(false);
    try {
      await this.collect(
        () => this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }),
        'probe the server',
      );
      return this.withForeignEvents(this.monitor.health(true));
    } catch {
      return this.withForeignEvents(this.monitor.health(false));
    }
  }

  /** The events of other writers that reads of the log skipped so far (counted once each). */
  foreignEvents(): ForeignEvents {
    return this.filter.foreignEvents();
  }

  /** Only a store told its own categories shares the database knowingly, and says so. */
  private withForeignEvents(health: StoreHealth): StoreHealth {
    return this.filter.sharing ? { ...health, foreignEvents: this.foreignEvents() } : health;
  }

  /** Stops the subscriptions (after their in-flight delivery), then disposes the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async appendEvents(
    streamId: string,
    events: readonly EventData[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(streamId, [...events], {
        expectedRevision: toExpectedRevision(expected),
      });
    } catch (error) {
      throw this.noted(toAppendError(error, streamId, expected));
    }
    this.monitor.noteAppendSucceeded();
    return {
      streamId,
      nextExpectedVersion: toStreamVersion(result.nextExpectedRevision),
      lastPosition:
        result.position !== undefined && isUsablePosition(result.position)
          ? toGlobalPosition(result.position)
          : await this.lastPositionOf(streamId),
      replayed: false,
    };
  }

  private async appendUnderKey(
    streamId: string,
    serialized: readonly SerializedEvent[],
    expected: ExpectedVersion,
    claim: IdempotencyClaim,
  ): Promise<AppendResult> {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt += 1) {
      const lookUp = await this.lookUpKey(claim);
      if (lookUp.stored !== undefined) {
        if (lookUp.recovered) {
          await this.appendRecord(claim.key, completedRecord(lookUp.stored), 'any');
        }
        return toReplayedResult(lookUp.stored, claim);
      }
      const claimRevision = await this.appendRecord(
        claim.key,
        claimedRecord(claim, streamId),
        lookUp.revision,
      );
      if (claimRevision === undefined) continue;

      const appended = await this.appendEvents(streamId, toEventData(serialized, claim), expected);
      const firstClaim = lookUp.revision === NO_STREAM;
      if (
        firstClaim &&
        (await this.appendRecord(
          claim.key,
          completedRecord({ ...appended, fingerprint: claim.fingerprint }),
          claimRevision,
        )) !== undefined
      ) {
        return appended;
      }
      // Another writer may have overlapped this one: take the result from the events themselves.
      const tail = await this.findStampedTail(claim.key, streamId);
      if (tail === undefined) {
        throw new Error(
          `${STORE_NAME}: events appended under an idempotency key are not at the tail of ${streamId}`,
        );
      }
      await this.appendRecord(claim.key, completedRecord(tail.stored), 'any');
      return tail.lastEventId === serialized.at(-1)?.id
        ? { ...toReplayedResult(tail.stored, claim), replayed: false }
        : toReplayedResult(tail.stored, claim);
    }
    throw new Error(
      `${STORE_NAME}: idempotency key still contended after ${MAX_CLAIM_ATTEMPTS} attempts`,
    );
  }

  /** What the key's records say, recovering a result from stamped events if only claims exist. */
  private async lookUpKey(claim: IdempotencyClaim): Promise<KeyLookUp> {
    const recordStream = idempotencyStreamId(claim.key);
    const read = await this.collect(
      () => this.client.readStream(recordStream, { direction: FORWARDS, fromRevision: START }),
      'read idempotency records',
    );
    if (read === undefined) return { stored: undefined, recovered: false, revision: NO_STREAM };
    const records: IdempotencyRecord[] = [];
    let revision: AppendExpectedRevision = NO_STREAM;
    for (const { event } of read) {
      if (event === undefined) continue;
      revision = event.revision;
      const record = parseIdempotencyRecord(event.type, event.data);
      if (record !== undefined) records.push(record);
    }
    const { completed, claimedStreams } = summarise(records);
    if (completed !== undefined) return { stored: completed, recovered: false, revision };
    for (const streamId of claimedStreams.slice(0, MAX_RECOVERY_STREAMS)) {
      const tail = await this.findStampedTail(claim.key, streamId);
      if (tail !== undefined) return { stored: tail.stored, recovered: true, revision };
    }
    return { stored: undefined, recovered: false, revision };
  }

  /** The newest events of `streamId` stamped with `key`, read backwards from the tail. */
  private async findStampedTail(key: string, streamId: string): Promise<StampedTail | undefined> {
    const read = await this.collect(
      () =>
        this.client.readStream(streamId, {
          direction: BACKWARDS,
          fromRevision: END,
          maxCount: RECOVERY_SCAN_LIMIT,
        }),
      `scan stream ${streamId}`,
    );
    for (const { event } of read ?? []) {
      if (event === undefined) continue;
      const { stamp } = unstampMetadata(toMetadataRecord(event.metadata));
      if (stamp?.key !== key) continue;
      return {
        stored: {
          fingerprint: stamp.fingerprint,
          streamId,
          nextExpectedVersion: toStreamVersion(event.revision),
          lastPosition: toGlobalPosition(requirePosition(event)),
        },
        lastEventId: stamp.eventId,
      };
    }
    return undefined;
  }

  /** Appends one record; the record stream's new revision, or undefined when `expected` was stale. */
  private async appendRecord(
    key: string,
    record: IdempotencyRecord,
    expected: AppendExpectedRevision,
  ): Promise<bigint | undefined> {
    const { type, data } = toRecordData(record);
    try {
      const result = await this.client.appendToStream(
        idempotencyStreamId(key),
        jsonEvent({ type, data }),
        {
          expectedRevision: expected,
        },
      );
      return result.nextExpectedRevision;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return undefined;
      throw this.noted(toStoreError(error, 'append an idempotency record'));
    }
  }

  /** The events with `fromVersion < version <= upToVersion`, in stream order. */
  private async readForwards(
    streamId: string,
    fromVersion: StreamVersion,
    upToVersion: StreamVersion,
  ): Promise<RecordedEvent[]> {
    if (upToVersion <= fromVersion) return [];
    const read = await this.collect(
      () =>
        this.client.readStream(streamId, {
          direction: FORWARDS,
          fromRevision: toReadStreamFromRevision(fromVersion),
          maxCount: toReadStreamMaxCount(upToVersion, fromVersion),
        }),
      `read stream ${streamId}`,
    );
    try {
      return (read ?? []).flatMap(({ event }) =>
        event === undefined ? [] : [toRecordedEvent(event)],
      );
    } catch (error) {
      throw this.noted(error);
    }
  }

  /** The stream's version from its last event, read backwards (0 when there is no stream). */
  private async currentVersion(streamId: string): Promise<StreamVersion> {
    const read = await this.collect(
      () =>
        this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
      `read the tail of ${streamId}`,
    );
    const last = read?.[0]?.event;
    return last === undefined ? 0 : toStreamVersion(last.revision);
  }

  /** Used only if the append reply carried no usable position (very old servers, some retries). */
  private async lastPositionOf(streamId: string): Promise<GlobalPosition> {
    const read = await this.collect(
      () =>
        this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
      `read the tail of ${streamId}`,
    );
    const last = read?.[0]?.event;
    if (last === undefined)
      throw new Error(`${STORE_NAME}: stream ${streamId} is empty after an append`);
    return toGlobalPosition(requirePosition(last));
  }

  /** Everything a read yields; undefined when the stream does not exist. */
  private async collect<T>(
    read: () => AsyncIterable<T>,
    operation: string,
  ): Promise<T[] | undefined> {
    const items: T[] = [];
    try {
      for await (const item of read()) items.push(item);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw this.noted(toStoreError(error, operation));
    }
    return items;
  }

  private assertOpen(): void {
    if (this.closed) throw storeClosedError(STORE_NAME);
  }

  /** Revisions are contiguous in EventStoreDB unless events were truncated ($tb) or scavenged. */
  private assertContiguous(
    streamId: string,
    fromVersion: StreamVersion,
    events: readonly RecordedEvent[],
  ): void {
    try {
      assertContiguous(streamId, fromVersion, events);
    } catch (error) {
      throw this.noted(error);
    }
  }

  /** Notes a store failure for `health()` and hands the error back to be thrown. */
  private noted(error: unknown): unknown {
    this.monitor.noteFailure(error);
    return error;
  }
}

function toEventData(
  serialized: readonly SerializedEvent[],
  claim?: IdempotencyClaim,
): EventData[] {
  return serialized.map((event, index) =>
    jsonEvent({
      id: claim === undefined ? event.id : deterministicEventId(claim.key, index),
      type: event.type,
      // Parsed back from the port's serialisation, so the JSON semantics are the other adapters'.
      data: JSON.parse(event.data) as JSONType,
      metadata: toStoredMetadata(
        JSON.parse(event.metadata) as Record<string, unknown>,
        claim === undefined
          ? undefined
          : { key: claim.key, fingerprint: claim.fingerprint, eventId: event.id },
      ),
    }),
  );
}
