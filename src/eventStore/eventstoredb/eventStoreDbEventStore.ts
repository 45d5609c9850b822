/**
 * The EventStoreDB adapter (client `@eventstore/db-client` 6.x, server 22.6 or later: older servers
 * do not report `$all` positions on stream reads, which the port needs).
 *
 * Permanent idempotency. EventStoreDB drops a repeated event id on its own, but only within a stream
 * and reliably only when the expected version is exact; with `any` it is a best-effort cache. The
 * port wants a key to be spent for good, so this adapter keeps one small record stream per key,
 * `idempotency-<sha256(key)>`, holding `IdempotencyKeyClaimed { fingerprint, streamId, fromVersion }`
 * and `IdempotencyKeyCompleted { fingerprint, streamId, nextExpectedVersion, lastPosition }` records
 * (`fromVersion`, the version the append expected, is absent for `any` and in older claims).
 * An append under a key:
 *   1. reads the key's records: a completed record replays its result (or, for another
 *      fingerprint, refuses with `IdempotencyKeyReusedError`);
 *   2. appends a claim, expecting the record stream's revision as read (no stream, for a new key);
 *      losing that race means another writer holds the key: start again at 1;
 *   3. appends the events atomically with ids derived from the key (UUID v5 of key and index) and a
 *      `$idempotency { key, fingerprint, eventId }` stamp in their metadata (stripped again on
 *      read; `eventId` keeps the caller's id, which is what reads return);
 *   4. appends the completed record, expecting the claim's revision. If that write fails, the
 *      events are recorded all the same: the result is returned and a later look-up recovers it.
 * Recovery: a claim without a completed record means the writer was refused (nothing to find), is
 * still at work, or died between 3 and 4. Step 1 (and `findIdempotentResult`, which appends
 * nothing) then looks for stamped events in each claimed stream, from its tail back to the claim's
 * `fromVersion` (the whole stream without one), page by page, however many events followed them;
 * if they are there the key is spent and their result is replayed (step 1 also writes the missing
 * completed record), otherwise the key is free again. When step 4 loses its race, or the key had
 * been claimed before, two writers may have overlapped: the result is then read from the stamped
 * events themselves, and the writer whose ids EventStoreDB matched to earlier events reports
 * `replayed: true`. Two overlapping writers produce the same event ids, so the second is refused or
 * dropped by EventStoreDB as long as both expect the same exact version.
 * Limits: the records are separate writes, not one transaction with the events, so correctness
 * rests on the deterministic ids and the stamps. Two writers overlapping with `any` rely on
 * EventStoreDB's best-effort de-duplication. Record streams are never deleted (a `$maxAge` on them
 * would let keys expire).
 *
 * In a cluster: every read and append asks for the leader (`requiresLeader`), asked once more on
 * NotLeader; each append carries credentials, so the client 6.2.1 sends it as a call of its own
 * rather than over its shared batch-append stream; an append whose reply is lost is asked again
 * with the same ids and exact expected version, and `AppendOutcomeUnknownError` says when even that
 * could not tell; `close()` is bounded.
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
  NotLeaderError,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type Credentials,
  type EventData,
  type JSONType,
  type ReadPosition,
  type ReadRevision,
} from '@eventstore/db-client';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
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
import {
  AppendOutcomeUnknownError,
  StoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  type AuditTree,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type ForeignEvents,
  type GlobalPosition,
  type IdempotencyClaim,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type StoreHealth,
  type StreamVersion,
  type SubscribeOptions,
  type Subscription,
} from '../port';
import { StoreHealthMonitor, type StoreHealthOptions } from '../storeHealth';
import { EventStoreDbSubscription } from './eventStoreDbSubscription';
import {
  claimedFromVersion,
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
  /**
   * Sent with every append, which makes the client 6.2.1 send each append as its own call instead
   * of over its shared batch-append stream (see `appendCredentialsOf`).
   */
  readonly appendCredentials?: Credentials;
  /** Pause before an append whose outcome is unknown is asked again. Default 200 ms. */
  readonly appendRetryDelayMs?: number;
  /** `close()` gives up waiting for the client after this long. Default 5 s. */
  readonly closeTimeoutMs?: number;
}

const STORE_NAME = 'EventStoreDbEventStore';
const READ_ALL_BATCH = 1000;
const HEAD_BATCH = 100;
/** Events read per page when a recovery looks for a key's events, from the tail back. */
const RECOVERY_PAGE = 500n;
const MAX_RECOVERY_STREAMS = 3;
const MAX_CLAIM_ATTEMPTS = 5;
/** How often an append whose outcome is unknown is asked again, with the same ids. */
const UNKNOWN_OUTCOME_RETRIES = 2;
const DEFAULT_APPEND_RETRY_DELAY_MS = 200;
const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
/**
 * Every call goes to the leader. A follower answers reads from what it has indexed so far, and
 * during an election the client may settle on one: a stale read would make the tracker decide on
 * an old state and a key's recovery miss events just written. A follower refuses such a call with
 * NotLeader, naming the leader, and the client connects there for the next call.
 */
const ON_LEADER = { requiresLeader: true } as const;
/**
 * Client error types after which an append may or may not have been written: the reply was lost
 * (a deadline, the node or connection gone, a reset stream) or the request may not have left.
 */
const OUTCOME_UNKNOWN_TYPES: ReadonlySet<string> = new Set([
  'deadline-exceeded',
  'unavailable',
  'unknown',
  'timeout',
  'cancelled',
]);

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
  return new EventStoreDbEventStore(client, {
    ...appendCredentialsOf(connectionString),
    ...options,
  });
}

/**
 * The credentials each append carries, from the connection string. With client 6.2.1 an append
 * without them goes over one batch-append stream shared by every append of the process: a transport
 * error on it fails every pending append at once, and a reply arriving after that throws inside the
 * client's stream handler, an uncaught exception that ends the process. An append with credentials
 * is a call of its own, whose failure is its own. On an insecure node (`tls=false`) the client
 * ignores credentials, so a placeholder does; a secure connection must name its user.
 */
export function appendCredentialsOf(connectionString: string): {
  readonly appendCredentials: Credentials;
} {
  const options = parseConnectionString(connectionString);
  if (options.defaultCredentials !== undefined) {
    return { appendCredentials: options.defaultCredentials };
  }
  if (options.tls === false) {
    return { appendCredentials: { username: 'anonymous', password: 'insecure-node' } };
  }
  throw new Error(
    `${STORE_NAME}: a TLS connection must name a user: set EVENTSTORE_USERNAME and EVENTSTORE_PASSWORD, or put them percent-encoded in the connection string (esdb://user:password@host:2113)`,
  );
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
  private readonly appendCredentials: Credentials | undefined;
  private readonly appendRetryDelayMs: number;
  private readonly closeTimeoutMs: number;
  private closed = false;

  constructor(
    private readonly client: EventStoreDbClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.monitor = new StoreHealthMonitor(options);
    this.filter = new LogEventFilter(options.ownStreamCategories, (error) =>
      this.monitor.noteFailure(error),
    );
    this.appendCredentials = options.appendCredentials;
    this.appendRetryDelayMs = options.appendRetryDelayMs ?? DEFAULT_APPEND_RETRY_DELAY_MS;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
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
      return this.appendEvents(streamId, toEventData(serialized), options.expectedVersion, false);
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
            this.client.readAll({
              fromPosition: from,
              direction: FORWARDS,
              maxCount: batchSize,
              ...ON_LEADER,
            }),
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
            this.client.readAll({
              fromPosition: from,
              direction: BACKWARDS,
              maxCount: HEAD_BATCH,
              ...ON_LEADER,
            }),
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
        () =>
          this.client.readAll({
            fromPosition: END,
            direction: BACKWARDS,
            maxCount: 1,
            ...ON_LEADER,
          }),
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

  /**
   * Stops the subscriptions (after their in-flight delivery), then disposes the client; gives up
   * waiting after `closeTimeoutMs`. A client looking for a node (gossip discovery, up to minutes
   * when nodes do not answer) holds every call until it finds one, a subscription's cancellation
   * included, and a shutdown must not wait for that.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopping = (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
      await this.client.dispose();
    })();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), this.closeTimeoutMs);
    });
    const timedOut = await Promise.race([stopping.then(() => false as const), gaveUp]);
    clearTimeout(timer);
    if (timedOut) {
      // Cancels what the client has started; what waits for discovery ends with the process.
      stopping.catch(() => undefined);
      this.client.dispose().catch(() => undefined);
    }
  }

  /**
   * Appends on the leader. An append whose reply was lost is asked again with the same event ids
   * and the same exact expected version: the server compares the ids already after that version
   * and answers a repeat as the first write (without writing), so the retry writes at most once and
   * tells which happened. With `any` the server only remembers recent ids, so no retry is made.
   * When the retries cannot tell either, `AppendOutcomeUnknownError`.
   */
  private async appendEvents(
    streamId: string,
    events: readonly EventData[],
    expected: ExpectedVersion,
    keyed: boolean,
  ): Promise<AppendResult> {
    const expectedRevision = toExpectedRevision(expected);
    const exact = expectedRevision === NO_STREAM || typeof expectedRevision === 'bigint';
    let unknown: unknown;
    for (let attempt = 0; attempt <= UNKNOWN_OUTCOME_RETRIES; attempt += 1) {
      if (attempt > 0) await delay(this.appendRetryDelayMs);
      let result: EsdbAppendResult;
      try {
        result = await this.appendOnLeader(streamId, events, expectedRevision);
      } catch (error) {
        if (!isOutcomeUnknown(error)) {
          throw this.noted(
            isAccessDenied(error)
              ? accessDenied(error, `append to stream ${streamId}`)
              : toAppendError(error, streamId, expected),
          );
        }
        this.noted(toStoreError(error, `append to stream ${streamId}`));
        unknown = error;
        if (!exact) break;
        continue;
      }
      this.monitor.noteAppendSucceeded();
      return {
        streamId,
        nextExpectedVersion: toStreamVersion(result.nextExpectedRevision),
        lastPosition: await this.positionOf(streamId, result, events),
        replayed: false,
      };
    }
    throw new AppendOutcomeUnknownError(
      streamId,
      expected,
      keyed,
      `${STORE_NAME}: the append to ${streamId} may or may not be recorded (${errorType(unknown)}); it is recorded at most once`,
      { cause: unknown },
    );
  }

  /** One append on the leader, asked once more if the node was a follower (it wrote nothing). */
  private async appendOnLeader(
    streamId: string,
    events: readonly EventData[],
    expectedRevision: AppendExpectedRevision,
  ): Promise<EsdbAppendResult> {
    const options = {
      expectedRevision,
      ...ON_LEADER,
      ...(this.appendCredentials !== undefined && { credentials: this.appendCredentials }),
    };
    try {
      return await this.client.appendToStream(streamId, [...events], options);
    } catch (error) {
      if (!(error instanceof NotLeaderError)) throw error;
      return this.client.appendToStream(streamId, [...events], options);
    }
  }

  /**
   * Where the append's last event sits. A repeat the server recognised is answered without a
   * position: the event at the revision the reply names is then read back (the stream's tail may
   * already be another writer's event), and must be this append's own.
   */
  private async positionOf(
    streamId: string,
    result: EsdbAppendResult,
    events: readonly EventData[],
  ): Promise<GlobalPosition> {
    if (result.position !== undefined && isUsablePosition(result.position)) {
      return toGlobalPosition(result.position);
    }
    const read = await this.collect(
      () =>
        this.client.readStream(streamId, {
          direction: FORWARDS,
          fromRevision: result.nextExpectedRevision,
          maxCount: 1,
          ...ON_LEADER,
        }),
      `read the last event appended to ${streamId}`,
    );
    const last = read?.[0]?.event;
    const ownId = events.at(-1)?.id;
    if (last === undefined || last.id !== ownId) {
      throw this.noted(
        new Error(
          `${STORE_NAME}: the event at revision ${result.nextExpectedRevision} of ${streamId} is not the one appended`,
        ),
      );
    }
    return toGlobalPosition(requirePosition(last));
  }

  private async appendUnderKey(
    streamId: string,
    serialized: readonly SerializedEvent[],
    expected: ExpectedVersion,
    claim: IdempotencyClaim,
  ): Promise<AppendResult> {
    // The events can only be after this version, so a recovery looks no further back.
    const fromVersion = expected === 'no_stream' ? 0 : expected === 'any' ? undefined : expected;
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
        claimedRecord(claim, streamId, fromVersion),
        lookUp.revision,
      );
      if (claimRevision === undefined) continue;

      const appended = await this.appendEvents(
        streamId,
        toEventData(serialized, claim),
        expected,
        true,
      );
      if (lookUp.revision === NO_STREAM) {
        let completed = true;
        try {
          completed =
            (await this.appendRecord(
              claim.key,
              completedRecord({ ...appended, fingerprint: claim.fingerprint }),
              claimRevision,
            )) !== undefined;
        } catch {
          // The events are recorded: answer with them. The failure was noted for `health()`, and
          // the next look-up of the key recovers the result from the stamped events.
        }
        if (completed) return appended;
      }
      // Another writer may have overlapped this one: take the result from the events themselves.
      const found = await this.findStampedEvents(claim.key, streamId, fromVersion ?? 0);
      if (found === undefined) {
        throw new Error(
          `${STORE_NAME}: events appended under an idempotency key are not in ${streamId}`,
        );
      }
      await this.appendRecord(claim.key, completedRecord(found.stored), 'any');
      return found.lastEventId === serialized.at(-1)?.id
        ? { ...toReplayedResult(found.stored, claim), replayed: false }
        : toReplayedResult(found.stored, claim);
    }
    throw new Error(
      `${STORE_NAME}: idempotency key still contended after ${MAX_CLAIM_ATTEMPTS} attempts`,
    );
  }

  /** What the key's records say, recovering a result from stamped events if only claims exist. */
  private async lookUpKey(claim: IdempotencyClaim): Promise<KeyLookUp> {
    const recordStream = idempotencyStreamId(claim.key);
    const read = await this.collect(
      () =>
        this.client.readStream(recordStream, {
          direction: FORWARDS,
          fromRevision: START,
          ...ON_LEADER,
        }),
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
      const found = await this.findStampedEvents(
        claim.key,
        streamId,
        claimedFromVersion(records, streamId),
      );
      if (found !== undefined) return { stored: found.stored, recovered: true, revision };
    }
    return { stored: undefined, recovered: false, revision };
  }

  /**
   * The newest event of `streamId` stamped with `key` (the last of the key's append), read
   * backwards from the tail page by page down to `fromVersion`: however many events followed
   * them, the key's events are found.
   */
  private async findStampedEvents(
    key: string,
    streamId: string,
    fromVersion: StreamVersion,
  ): Promise<StampedTail | undefined> {
    let from: ReadRevision = END;
    for (;;) {
      const page =
        (await this.collect(
          () =>
            this.client.readStream(streamId, {
              direction: BACKWARDS,
              fromRevision: from,
              maxCount: RECOVERY_PAGE,
              ...ON_LEADER,
            }),
          `scan stream ${streamId}`,
        )) ?? [];
      for (const { event } of page) {
        if (event === undefined) continue;
        if (toStreamVersion(event.revision) <= fromVersion) return undefined;
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
      const last = page.at(-1)?.event;
      if (BigInt(page.length) < RECOVERY_PAGE || last === undefined || last.revision === 0n) {
        return undefined;
      }
      from = last.revision - 1n;
    }
  }

  /** Appends one record; the record stream's new revision, or undefined when `expected` was stale. */
  private async appendRecord(
    key: string,
    record: IdempotencyRecord,
    expected: AppendExpectedRevision,
  ): Promise<bigint | undefined> {
    const { type, data } = toRecordData(record);
    try {
      const result = await this.appendOnLeader(
        idempotencyStreamId(key),
        [jsonEvent({ type, data })],
        expected,
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
          ...ON_LEADER,
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
        this.client.readStream(streamId, {
          direction: BACKWARDS,
          fromRevision: END,
          maxCount: 1,
          ...ON_LEADER,
        }),
      `read the tail of ${streamId}`,
    );
    const last = read?.[0]?.event;
    return last === undefined ? 0 : toStreamVersion(last.revision);
  }

  /**
   * Everything a read yields; undefined when the stream does not exist. A follower's NotLeader
   * refusal is asked once more: the client has meanwhile connected to the leader it named.
   */
  private async collect<T>(
    read: () => AsyncIterable<T>,
    operation: string,
  ): Promise<T[] | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const items: T[] = [];
      try {
        for await (const item of read()) items.push(item);
        return items;
      } catch (error) {
        if (error instanceof StreamNotFoundError) return undefined;
        if (error instanceof NotLeaderError && attempt === 1) continue;
        throw this.noted(
          isAccessDenied(error) ? accessDenied(error, operation) : toStoreError(error, operation),
        );
      }
    }
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

/** Whether an append that failed with `error` may have been written all the same. */
function isOutcomeUnknown(error: unknown): boolean {
  return OUTCOME_UNKNOWN_TYPES.has(errorType(error));
}

function isAccessDenied(error: unknown): boolean {
  return errorType(error) === 'access-denied';
}

/**
 * The server refused the connection string's user (a wrong password, or no right to read `$all`):
 * an operator's matter that no retry mends, reported as the store being out of reach with the
 * reason, rather than as an unexplained failure of each request.
 */
function accessDenied(error: unknown, operation: string): StoreUnavailableError {
  return new StoreUnavailableError(
    'unavailable',
    'access-denied',
    `${STORE_NAME}: ${operation} was refused to the connection string's user: check its password, and that it may read $all (EventStoreDB's $admins group by default)`,
    { cause: error },
  );
}

function errorType(error: unknown): string {
  return typeof error === 'object' && error !== null && 'type' in error
    ? String(error.type)
    : 'unknown error';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
