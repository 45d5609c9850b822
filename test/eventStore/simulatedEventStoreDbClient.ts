import { Readable } from 'node:stream';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  ANY,
  AccessDeniedError,
  BACKWARDS,
  DeadlineExceededError,
  END,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type AppendResult,
  type AppendToStreamOptions,
  type BaseOptions,
  type Credentials,
  type EndPoint,
  type EventData,
  type EventType,
  type Filter,
  type Position,
  type ReadAllOptions,
  type ReadRevision,
  type ReadStreamOptions,
  type ResolvedEvent,
  type StreamingRead,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import type { EventStoreDbClient } from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';

/**
 * A stand-in for the part of `EventStoreDBClient` 6.2.1 the adapter uses, typed against the client's
 * own declarations (`implements EventStoreDbClient`, a `Pick` of the real class) and written from the
 * client's compiled code and the 24.10 server's source (no server can run here). It is NOT
 * EventStoreDB: it lets the tests exercise the adapter's own logic against the behaviours a real
 * cluster shows, while only a real server can confirm them.
 *
 * The log and numbering: positions are byte offsets with `commit == prepare` per event (gRPC
 * appends); reads of `$all` forwards include `fromPosition`, backwards exclude it; subscriptions
 * exclude it and filter server-side; revisions start at 0; a missing stream reads as
 * `StreamNotFoundError`; system events (`$`-prefixed streams and types) are interleaved in the log.
 *
 * Appends, as the server checks them:
 * - a stale expected revision throws `WrongExpectedVersionError`, unless the batch's ids are the
 *   ids of the events right after an exact expected revision (or `no_stream`): the server then
 *   takes it as a retry and answers success WITHOUT a position (it writes nothing, and its reply
 *   carries `NoPosition`), with the revision of the earlier write;
 * - with `any`, a batch whose ids were recently written to the same stream (the server's
 *   committed-events cache, `recentIdCapacity` ids per stream here) is taken as a retry the same way;
 * - an append larger than 1 MiB (data + metadata, `MAX_APPEND_SIZE`) is refused with
 *   `MaxAppendSizeExceededError`.
 *
 * The cluster (three nodes by default, `node1:2113` the first leader): the client talks to one node
 * (`connectedTo`). A follower answers reads from what it has indexed, which lags the leader while
 * replication is paused (`pauseReplication`). A call with `requiresLeader` on a follower fails with
 * `NotLeaderError` naming the leader, and, as the client does on that error, the next call goes to
 * the leader; an append without it is forwarded to the leader. `failover()` elects another node.
 *
 * The client's two append paths (`appendToStream` in 6.2.1): an append without `credentials` goes
 * over the shared batch-append stream (`batchAppend.js`: one module-level map of pending appends);
 * with `credentials` it is its own unary call (`append.js`). A transport error on the shared stream
 * rejects every pending batch append at once and clears the map; a reply that then arrives finds no
 * entry and throws a `TypeError` inside the stream's handler, an uncaught exception that ends the
 * process. Here it is recorded in `uncaughtErrors` and rethrown outside any call
 * (`crashOnLateBatchReply`, on by default) so a test sees it.
 *
 * Security: without `users` the nodes run insecure (every call allowed, credentials ignored, as the
 * client ignores them in insecure mode). With `users`, a call runs as its `credentials`, else the
 * client's `defaultCredentials` (the connection string's user), else anonymously; a wrong password
 * fails with `AccessDeniedError` (UNAUTHENTICATED), and reading or subscribing to `$all` needs a user
 * with `readsAll` (the `$admins` group by default).
 *
 * Fault knobs (each documented where it is defined): `failAppend` / `stopFailing`, `loseNextReply` (commit then
 * fail), `holdAppends` / `failInFlight` / `releaseAppends` (appends in flight), `stall` / `unstall`
 * (nothing answers until the call's deadline), `pauseReplication` / `resumeReplication`,
 * `connectToFollower`, `failover`, `startDiscovery` / `endDiscovery` (new calls wait for the client
 * to find a node), `dropSubscriptions` (an error), `endSubscriptions` (a clean end without error),
 * `truncateBefore`, `appendOutsideTracker` (another writer's events, e.g. binary ones),
 * `appendMalformedJsonOutsideTracker` (JSON-typed data that does not parse).
 * Observations: `streamReads`, `calls`, `subscribeRequests`, `openStreams`, `appendsInFlight`, `connectedTo`,
 * `leaderEndpoint`, `uncaughtErrors`, `disposed`.
 */

/** The largest append the server accepts by default (`MaxAppendSize`). */
export const MAX_APPEND_SIZE = 1024 * 1024;
/** The client's default deadline for a call (`defaultDeadline`), in ms. */
export const DEFAULT_DEADLINE_MS = 10_000;

export interface SimulatedUser extends Credentials {
  /** Member of `$admins`: may read and subscribe to `$all`. */
  readonly readsAll: boolean;
}

export interface SimulatedClusterOptions {
  /** How many nodes (1 = a single node, always the leader). Default 3. */
  readonly nodes?: number;
  /** Users of a secure cluster; without them the nodes run insecure. */
  readonly users?: readonly SimulatedUser[];
  /** The connection string's user, used for calls that pass no `credentials`. */
  readonly defaultCredentials?: Credentials;
  /** Event ids per stream the server remembers for `any` appends. Default 100. */
  readonly recentIdCapacity?: number;
  /** The client's `defaultDeadline` (connection string), for calls that pass no `deadline`. Default 10 s. */
  readonly defaultDeadlineMs?: number;
  /** Rethrow the batch path's late-reply `TypeError` as an uncaught exception. Default true. */
  readonly crashOnLateBatchReply?: boolean;
}

/** How a reply is lost after the append was committed. */
export type LostReply = 'deadline' | 'unavailable' | 'reset';

interface StoredEvent {
  readonly logIndex: number;
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: string;
  /** The metadata's bytes (JSON as the client serialised it, or binary). */
  readonly metadata: Buffer | undefined;
  readonly isJson: boolean;
  readonly created: Date;
  readonly position: Position;
}

/** A `readStream` call as the adapter made it, so tests can check what it asks the server for. */
export interface StreamRead {
  readonly streamName: string;
  readonly direction: string;
  readonly fromRevision: ReadRevision;
  readonly maxCount: number;
}

/** Every call the client made, oldest first, with the options that matter to a cluster. */
export interface SimulatedCall {
  readonly method: 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll';
  readonly stream: string;
  readonly node: string;
  readonly requiresLeader: boolean;
  readonly credentials: boolean;
  readonly deadline: number | undefined;
}

interface PendingAppend {
  readonly streamName: string;
  readonly batch: readonly EventData[];
  readonly expected: AppendExpectedRevision;
  readonly unary: boolean;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: Error) => void;
}

interface Node {
  readonly endpoint: EndPoint;
  /** How many log entries this node has indexed (serves reads from). */
  indexed: number;
}

/** The client's readable of a read: a `Readable` that can also be cancelled. */
class SimulatedRead<E> extends Readable implements StreamingRead<E> {
  constructor() {
    super({ objectMode: true, read: () => undefined });
  }

  cancel(): Promise<void> {
    this.destroy();
    return Promise.resolve();
  }
}

/** The client's subscription: `unsubscribe` waits for the call to exist, as the client's does. */
class SimulatedSubscription extends Readable implements AllStreamSubscription {
  id?: string;
  constructor(private readonly created: Promise<void>) {
    super({ objectMode: true, read: () => undefined });
  }

  async unsubscribe(): Promise<void> {
    await this.created;
    this.destroy();
  }
}

interface LiveSubscription {
  readonly stream: SimulatedSubscription;
  readonly node: Node;
  readonly allowed: (event: StoredEvent) => boolean;
  /** The next log index to look at. */
  next: number;
  /** Events after this position are delivered (exclusive start). */
  readonly after: Position | undefined;
  scheduled: boolean;
}

export class SimulatedEventStoreDbClient implements EventStoreDbClient {
  /** Every `readStream` call so far, oldest first. */
  readonly streamReads: StreamRead[] = [];
  /** Every call so far, oldest first. */
  readonly calls: SimulatedCall[] = [];
  /** What the real client would have thrown outside any call (each one ends a real process). */
  readonly uncaughtErrors: Error[] = [];
  /** True once `dispose()` has finished. */
  disposed = false;
  /** How many times `subscribeToAll` was called (the call itself may still wait for discovery). */
  subscribeRequests = 0;

  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly truncated = new Map<string, bigint>();
  private readonly recentIds = new Map<string, string[]>();
  private readonly subscriptions = new Set<LiveSubscription>();
  private readonly nodes: Node[];
  private leader: Node;
  private connected: Node;
  private replicating = true;
  private nextOffset = 1024n;
  private appends = 0;
  private readonly failures = new Map<
    string,
    { skip: number; times: number; error: Error; meanwhile: (() => void) | undefined }
  >();
  private readonly lostReplies = new Map<
    string,
    { how: LostReply; meanwhile: (() => void) | undefined }
  >();
  private holding = false;
  private readonly held: PendingAppend[] = [];
  /** The batch path's shared map of pending appends (`promiseBank` in `batchAppend.js`). */
  private readonly batchPending = new Map<number, PendingAppend>();
  private nextCorrelation = 1;
  private stalled: { commitAppends: boolean } | undefined;
  private readonly stalledTimers = new Set<NodeJS.Timeout>();
  private discovery: { promise: Promise<void>; end: () => void } | undefined;
  private readonly users: readonly SimulatedUser[] | undefined;
  private readonly defaultCredentials: Credentials | undefined;
  private readonly recentIdCapacity: number;
  private readonly crashOnLateBatchReply: boolean;
  private readonly defaultDeadlineMs: number;

  constructor(options: SimulatedClusterOptions = {}) {
    const count = options.nodes ?? 3;
    this.nodes = Array.from({ length: count }, (_, index) => ({
      endpoint: { address: `node${index + 1}`, port: 2113 },
      indexed: 0,
    }));
    this.leader = this.nodes[0] as Node;
    this.connected = this.leader;
    this.users = options.users;
    this.defaultCredentials = options.defaultCredentials;
    this.recentIdCapacity = options.recentIdCapacity ?? 100;
    this.crashOnLateBatchReply = options.crashOnLateBatchReply ?? true;
    this.defaultDeadlineMs = options.defaultDeadlineMs ?? DEFAULT_DEADLINE_MS;
    this.writeSystemEvent('$settings', '$settings');
    this.writeSystemEvent('$$$users', '$metadata');
  }

  /** The client as the adapter takes it (kept for tests written before the stand-in was typed). */
  asClient(): EventStoreDbClient {
    return this;
  }

  /** Live subscription streams not yet closed. */
  get openStreams(): number {
    return this.subscriptions.size;
  }

  /** Appends held in flight by `holdAppends`. */
  get appendsInFlight(): number {
    return this.held.length;
  }

  /** The node the client talks to now, e.g. `node1:2113`. */
  get connectedTo(): string {
    return endpointName(this.connected.endpoint);
  }

  /** The current leader, e.g. `node1:2113`. */
  get leaderEndpoint(): string {
    return endpointName(this.leader.endpoint);
  }

  // ---- the client's methods ----

  appendToStream<KnownEventType extends EventType = EventType>(
    streamName: string,
    events: EventData<KnownEventType> | EventData<KnownEventType>[],
    options: AppendToStreamOptions = {},
  ): Promise<AppendResult> {
    const batch: EventData[] = Array.isArray(events) ? events : [events];
    const expected = options.expectedRevision ?? ANY;
    const unary = options.credentials !== undefined;
    return new Promise<AppendResult>((resolve, reject) => {
      const pending: PendingAppend = { streamName, batch, expected, unary, resolve, reject };
      void this.afterDiscovery().then(() => {
        const node = this.connected;
        this.record('appendToStream', streamName, node, options);
        const refused = this.refusal(node, options, streamName);
        if (refused !== undefined) {
          reject(refused);
          return;
        }
        if (this.stalled !== undefined) {
          if (this.stalled.commitAppends) this.tryCommit(pending);
          this.failAtDeadline(options, reject);
          return;
        }
        if (!unary) this.batchPending.set(this.nextCorrelation++, pending);
        if (this.holding) {
          this.held.push(pending);
          return;
        }
        setImmediate(() => this.answer(pending));
      });
    });
  }

  readStream<KnownEventType extends EventType = EventType>(
    streamName: string,
    options: ReadStreamOptions = {},
  ): StreamingRead<ResolvedEvent<KnownEventType>> {
    const backwards = options.direction === BACKWARDS;
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromRevision ?? (backwards ? END : START);
    this.streamReads.push({
      streamName,
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: from,
      maxCount,
    });
    const read = new SimulatedRead<ResolvedEvent>();
    this.serveRead(read, streamName, options, (node) => {
      const stream = this.visibleStream(streamName, node);
      if (stream === undefined) return new StreamNotFoundError(undefined, streamName);
      return backwards
        ? stream
            .filter((event) => from === END || (from !== START && event.revision <= from))
            .reverse()
            .slice(0, maxCount)
        : stream
            .filter((event) => from === START || (from !== END && event.revision >= from))
            .slice(0, maxCount);
    });
    return read;
  }

  readAll(options: ReadAllOptions = {}): StreamingRead<AllStreamResolvedEvent> {
    const backwards = options.direction === BACKWARDS;
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromPosition ?? (backwards ? END : START);
    const read = new SimulatedRead<AllStreamResolvedEvent>();
    this.serveRead(read, '$all', options, (node) => {
      const log = this.log.slice(0, node.indexed);
      return backwards
        ? log
            .filter((event) => from === END || (from !== START && before(event.position, from)))
            .reverse()
            .slice(0, maxCount)
        : log
            .filter((event) => from === START || (from !== END && !before(event.position, from)))
            .slice(0, maxCount);
    });
    return read;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllStreamSubscription {
    const from = options.fromPosition ?? START;
    this.subscribeRequests += 1;
    const stream = new SimulatedSubscription(this.afterDiscovery());
    const entry: LiveSubscription = {
      stream,
      node: this.connected,
      allowed: filterOf(options.filter),
      next: 0,
      after: from === START || from === END ? undefined : from,
      scheduled: false,
    };
    stream.on('close', () => this.subscriptions.delete(entry));
    void this.afterDiscovery().then(() => {
      if (stream.destroyed) return;
      this.record('subscribeToAll', '$all', entry.node, options);
      const refused = this.accessRefusal(options, '$all');
      if (refused !== undefined) {
        stream.destroy(refused);
        return;
      }
      if (from === END) entry.next = entry.node.indexed;
      this.subscriptions.add(entry);
      this.schedule(entry);
    });
    return stream;
  }

  async dispose(): Promise<void> {
    for (const { stream } of [...this.subscriptions]) stream.destroy();
    for (const timer of this.stalledTimers) clearTimeout(timer);
    this.stalledTimers.clear();
    await Promise.resolve();
    this.disposed = true;
  }

  // ---- fault knobs ----

  /**
   * Makes appends to `streamName` fail with `error` before they are stored: after `skip` successful
   * ones, the next `times` (default 1; `Infinity` for every one). `meanwhile` runs once, after the
   * first failure and before the client hears of it (e.g. another writer's append).
   */
  failAppend(
    streamName: string,
    error: Error,
    skip = 0,
    options: { readonly times?: number; readonly meanwhile?: () => void } = {},
  ): void {
    this.failures.set(streamName, {
      skip,
      times: options.times ?? 1,
      error,
      meanwhile: options.meanwhile,
    });
  }

  /** Appends to `streamName` stop failing (what `failAppend` set up). */
  stopFailing(streamName: string): void {
    this.failures.delete(streamName);
  }

  /**
   * The next append to `streamName` is committed, then its reply is lost: the deadline passes
   * (`DeadlineExceededError`), the node goes away (`UnavailableError`) or the connection is reset
   * (an HTTP/2 RST_STREAM, `UnknownError`). `meanwhile` runs after the commit, before the client
   * hears of the failure.
   */
  loseNextReply(streamName: string, how: LostReply = 'unavailable', meanwhile?: () => void): void {
    this.lostReplies.set(streamName, { how, meanwhile });
  }

  /** Appends from now on stay in flight (not yet at the server) until `failInFlight` or `releaseAppends`. */
  holdAppends(): void {
    this.holding = true;
  }

  /** Lets the appends held in flight reach the server, in order; new ones are no longer held. */
  releaseAppends(): void {
    this.holding = false;
    for (const pending of this.held.splice(0)) setImmediate(() => this.answer(pending));
  }

  /**
   * A transport error while appends are in flight. With `committed`, the server had already stored
   * them. Each unary append fails on its own; on the shared batch stream, every pending batch append
   * fails at once (the map is cleared) and the server's replies, arriving later, find no entry.
   */
  failInFlight(error: Error, options: { readonly committed?: boolean } = {}): void {
    this.holding = false;
    const inFlight = this.held.splice(0);
    const committed = inFlight.map((pending) =>
      options.committed === true ? this.tryCommit(pending) : undefined,
    );
    const batchWasPending = inFlight.some((pending) => !pending.unary);
    if (batchWasPending) {
      for (const pending of this.batchPending.values()) pending.reject(error);
      this.batchPending.clear();
    }
    inFlight.forEach((pending, index) => {
      if (pending.unary) {
        pending.reject(error);
        return;
      }
      // The server still replies to what it received; the client's handler finds nothing pending.
      if (committed[index] !== undefined) setImmediate(() => this.lateBatchReply());
    });
  }

  /**
   * Nothing answers: every call fails with `DeadlineExceededError` once its deadline (its own
   * `deadline` option, or the client's default, `defaultDeadlineMs`) passes. With
   * `commitAppends`, appends are stored before their reply is lost.
   */
  stall(options: { readonly commitAppends?: boolean } = {}): void {
    this.stalled = { commitAppends: options.commitAppends === true };
  }

  unstall(): void {
    this.stalled = undefined;
  }

  /** Followers stop indexing what the leader writes: their reads go stale. */
  pauseReplication(): void {
    this.replicating = false;
  }

  resumeReplication(): void {
    this.replicating = true;
    for (const node of this.nodes) node.indexed = this.log.length;
    this.scheduleAll();
  }

  /** The client settles on a follower (as discovery during an election may leave it). */
  connectToFollower(): void {
    const follower = this.nodes.find((node) => node !== this.leader);
    if (follower === undefined) throw new Error('A single node has no follower');
    this.connected = follower;
  }

  /**
   * Another node becomes leader (it has every committed event: a quorum held them). The client
   * stays on the node it was talking to until a call tells it otherwise.
   */
  failover(): void {
    const index = this.nodes.indexOf(this.leader);
    const next = this.nodes[(index + 1) % this.nodes.length] as Node;
    next.indexed = this.log.length;
    this.leader = next;
    this.scheduleAll();
  }

  /**
   * The client starts discovering the cluster (gossip, up to minutes when nodes do not answer):
   * calls and `unsubscribe` wait until `endDiscovery`.
   */
  startDiscovery(): void {
    let end: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.discovery = { promise, end };
  }

  endDiscovery(): void {
    this.discovery?.end();
    this.discovery = undefined;
  }

  /** Drops every live subscription with `error`, as a server restart or network fault would. */
  dropSubscriptions(error: Error): void {
    for (const { stream } of [...this.subscriptions]) stream.destroy(error);
  }

  /** Ends every live subscription cleanly, without an error (the server closed the call). */
  endSubscriptions(): void {
    for (const entry of [...this.subscriptions]) {
      this.subscriptions.delete(entry);
      entry.stream.push(null);
    }
  }

  /**
   * Hides a stream's events before `revision` from stream reads, as a `$tb` (truncate before) in
   * its metadata, followed by a scavenge, does: reads then start at a later revision than 0.
   */
  truncateBefore(streamName: string, revision: bigint): void {
    this.truncated.set(streamName, revision);
  }

  /** Another application's events on the same database (JSON or binary), written as is. */
  appendOutsideTracker(streamName: string, events: readonly EventData[]): void {
    const stream = this.streams.get(streamName) ?? [];
    const recorded = events.map((event, index) =>
      this.write(streamName, event, BigInt(stream.length + index)),
    );
    this.streams.set(streamName, [...stream, ...recorded]);
  }

  /**
   * Another writer's event marked `application/json` whose data is not JSON (`text` as it is): the
   * client gives such data as a string, without an error.
   */
  appendMalformedJsonOutsideTracker(streamName: string, type: string, text: string): void {
    const stream = this.streams.get(streamName) ?? [];
    const recorded = this.write(
      streamName,
      {
        id: crypto.randomUUID(),
        contentType: 'application/json',
        type,
        data: {},
        metadata: undefined,
      },
      BigInt(stream.length),
      text,
    );
    this.streams.set(streamName, [...stream, recorded]);
  }

  // ---- the server ----

  private answer(pending: PendingAppend): void {
    if (!pending.unary) {
      const entry = [...this.batchPending.entries()].find(([, value]) => value === pending);
      if (entry === undefined) return;
      this.batchPending.delete(entry[0]);
    }
    let result: AppendResult;
    try {
      result = this.commit(pending);
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const lost = this.lostReplies.get(pending.streamName);
    if (lost !== undefined) {
      this.lostReplies.delete(pending.streamName);
      lost.meanwhile?.();
      pending.reject(lostReplyError(lost.how));
      return;
    }
    pending.resolve(result);
  }

  private tryCommit(pending: PendingAppend): AppendResult | undefined {
    try {
      return this.commit(pending);
    } catch {
      return undefined;
    }
  }

  private lateBatchReply(): void {
    // `const [resolve, reject] = promiseBank.get(id)` on an id the error handler removed.
    const error = new TypeError(
      'undefined is not iterable (cannot read property Symbol(Symbol.iterator))',
    );
    this.uncaughtErrors.push(error);
    if (this.crashOnLateBatchReply) {
      setImmediate(() => {
        throw error;
      });
    }
  }

  private commit({ streamName, batch, expected }: PendingAppend): AppendResult {
    const failure = this.failures.get(streamName);
    if (failure !== undefined) {
      if (failure.skip === 0) {
        failure.times -= 1;
        if (failure.times <= 0) this.failures.delete(streamName);
        const meanwhile = failure.meanwhile;
        failure.meanwhile = undefined;
        meanwhile?.();
        throw failure.error;
      }
      failure.skip -= 1;
    }
    const size = batch.reduce((total, event) => total + sizeOf(event), 0);
    if (size > MAX_APPEND_SIZE) {
      throw new MaxAppendSizeExceededError(undefined, MAX_APPEND_SIZE);
    }
    const stream = this.streams.get(streamName) ?? [];
    const length = BigInt(stream.length);
    const current = stream.length === 0 ? NO_STREAM : length - 1n;
    const retried = this.retriedResult(streamName, stream, batch, expected);
    if (retried !== undefined) return retried;
    const matches =
      expected === ANY ||
      (expected === NO_STREAM && stream.length === 0) ||
      (expected === STREAM_EXISTS && stream.length > 0) ||
      expected === current;
    if (!matches) {
      throw new WrongExpectedVersionError(undefined, { streamName, current, expected });
    }
    const recorded = batch.map((event, index) =>
      this.write(streamName, event, length + BigInt(index)),
    );
    this.streams.set(streamName, [...stream, ...recorded]);
    this.remember(streamName, batch);
    this.appends += 1;
    if (this.appends % 3 === 0) this.writeSystemEvent(`$stats-${this.appends}`, '$statsCollected');
    const last = recorded.at(-1) as StoredEvent;
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  /**
   * The server's idempotency check: after an exact expected revision (or `no_stream`) it compares
   * the ids of the events already there (no window); with `any`, its cache of recent ids. A retry
   * is answered with the earlier write's revision and no position.
   */
  private retriedResult(
    streamName: string,
    stream: readonly StoredEvent[],
    batch: readonly EventData[],
    expected: AppendExpectedRevision,
  ): AppendResult | undefined {
    if (batch.length === 0) return undefined;
    let start: number;
    if (expected === NO_STREAM) start = 0;
    else if (typeof expected === 'bigint') start = Number(expected) + 1;
    else if (expected === ANY) {
      const recent = this.recentIds.get(streamName) ?? [];
      if (!recent.includes(batch[0]?.id ?? '')) return undefined;
      start = stream.findIndex((event) => event.id === batch[0]?.id);
    } else return undefined;
    if (start < 0 || start >= stream.length) return undefined;
    const existing = stream.slice(start, start + batch.length);
    if (existing.length !== batch.length) return undefined;
    if (!existing.every((event, index) => event.id === batch[index]?.id)) return undefined;
    const last = existing.at(-1) as StoredEvent;
    return { success: true, nextExpectedRevision: last.revision, position: undefined };
  }

  private remember(streamName: string, batch: readonly EventData[]): void {
    const recent = [...(this.recentIds.get(streamName) ?? []), ...batch.map((event) => event.id)];
    this.recentIds.set(streamName, recent.slice(-this.recentIdCapacity));
  }

  /** Why `node` refuses a call now (not the leader when required, access), or undefined. */
  private refusal(node: Node, options: BaseOptions, stream: string): Error | undefined {
    if (options.requiresLeader === true && node !== this.leader) {
      // The client reconnects to the leader the error names, for the next call.
      this.connected = this.leader;
      return notLeaderError(this.leader.endpoint);
    }
    return this.accessRefusal(options, stream);
  }

  private accessRefusal(options: BaseOptions, stream: string): Error | undefined {
    if (this.users === undefined) return undefined;
    const credentials = options.credentials ?? this.defaultCredentials;
    if (credentials === undefined) {
      return stream === '$all' ? new AccessDeniedError(undefined, 'Access denied') : undefined;
    }
    const user = this.users.find(
      (candidate) =>
        candidate.username === credentials.username && candidate.password === credentials.password,
    );
    if (user === undefined) return new AccessDeniedError(undefined, 'Bad credentials');
    if (stream === '$all' && !user.readsAll) {
      return new AccessDeniedError(undefined, 'Access denied to $all');
    }
    return undefined;
  }

  private serveRead<E>(
    read: SimulatedRead<E>,
    stream: string,
    options: BaseOptions,
    select: (node: Node) => readonly StoredEvent[] | Error,
  ): void {
    void this.afterDiscovery().then(() => {
      const node = this.connected;
      this.record(stream === '$all' ? 'readAll' : 'readStream', stream, node, options);
      const refused = this.refusal(node, options, stream);
      if (refused !== undefined) {
        setImmediate(() => read.destroy(refused));
        return;
      }
      if (this.stalled !== undefined) {
        this.failAtDeadline(options, (error) => read.destroy(error));
        return;
      }
      const selected = select(node);
      setImmediate(() => {
        if (selected instanceof Error) {
          read.destroy(selected);
          return;
        }
        for (const event of selected) read.push(toResolved(event));
        read.push(null);
      });
    });
  }

  private failAtDeadline(options: BaseOptions, fail: (error: Error) => void): void {
    const timer = setTimeout(() => {
      this.stalledTimers.delete(timer);
      fail(new DeadlineExceededError(undefined, 'Deadline exceeded'));
    }, options.deadline ?? this.defaultDeadlineMs);
    this.stalledTimers.add(timer);
  }

  private afterDiscovery(): Promise<void> {
    return this.discovery?.promise ?? Promise.resolve();
  }

  private record(
    method: SimulatedCall['method'],
    stream: string,
    node: Node,
    options: BaseOptions,
  ): void {
    this.calls.push({
      method,
      stream,
      node: endpointName(node.endpoint),
      requiresLeader: options.requiresLeader === true,
      credentials: options.credentials !== undefined,
      deadline: options.deadline,
    });
  }

  private visibleStream(streamName: string, node: Node): StoredEvent[] | undefined {
    const stream = this.streams.get(streamName)?.filter((event) => event.logIndex < node.indexed);
    if (stream === undefined || stream.length === 0) return undefined;
    const from = this.truncated.get(streamName);
    return from === undefined ? stream : stream.filter((event) => event.revision >= from);
  }

  private write(
    streamId: string,
    event: EventData,
    revision: bigint,
    rawJson?: string,
  ): StoredEvent {
    const isJson = event.contentType === 'application/json';
    const data = isJson
      ? (rawJson ?? JSON.stringify(event.data))
      : Buffer.from(event.data).toString('base64');
    const metadata =
      event.metadata === undefined
        ? undefined
        : event.metadata instanceof Uint8Array
          ? Buffer.from(event.metadata)
          : Buffer.from(JSON.stringify(event.metadata), 'utf8');
    const stored: StoredEvent = {
      logIndex: this.log.length,
      streamId,
      id: event.id,
      revision,
      type: event.type,
      data,
      metadata,
      isJson,
      created: new Date(),
      position: { commit: this.nextOffset, prepare: this.nextOffset },
    };
    this.nextOffset += BigInt(128 + data.length + (metadata?.length ?? 0));
    this.log.push(stored);
    this.leader.indexed = this.log.length;
    if (this.replicating) for (const node of this.nodes) node.indexed = this.log.length;
    this.scheduleAll();
    return stored;
  }

  private writeSystemEvent(streamId: string, type: string): void {
    const revision = BigInt(this.streams.get(streamId)?.length ?? 0);
    const stored = this.write(
      streamId,
      {
        id: crypto.randomUUID(),
        contentType: 'application/json',
        type,
        data: {},
        metadata: undefined,
      },
      revision,
    );
    this.streams.set(streamId, [...(this.streams.get(streamId) ?? []), stored]);
  }

  private scheduleAll(): void {
    for (const entry of this.subscriptions) this.schedule(entry);
  }

  /** Live delivery is asynchronous: events reach a subscriber on a later turn, never inside an append. */
  private schedule(entry: LiveSubscription): void {
    if (entry.scheduled) return;
    entry.scheduled = true;
    setImmediate(() => {
      entry.scheduled = false;
      if (!this.subscriptions.has(entry) || entry.stream.destroyed) return;
      while (entry.next < entry.node.indexed) {
        const event = this.log[entry.next] as StoredEvent;
        entry.next += 1;
        if (entry.after !== undefined && !before(entry.after, event.position)) continue;
        if (entry.allowed(event)) entry.stream.push(toResolved(event));
      }
    });
  }
}

function endpointName(endpoint: EndPoint): string {
  return `${endpoint.address}:${endpoint.port}`;
}

/** The error the client makes of a server's NotLeader answer (it reads the leader from the trailers). */
function notLeaderError(leader: EndPoint): NotLeaderError {
  const metadata = new Metadata();
  metadata.set('exception', 'not-leader');
  metadata.set('leader-endpoint-host', leader.address);
  metadata.set('leader-endpoint-port', String(leader.port));
  const serviceError: ServiceError = Object.assign(new Error('Leader info available'), {
    code: status.NOT_FOUND,
    details: 'Leader info available',
    metadata,
  });
  return new NotLeaderError(serviceError);
}

function lostReplyError(how: LostReply): Error {
  switch (how) {
    case 'deadline':
      return new DeadlineExceededError(undefined, 'Deadline exceeded');
    case 'unavailable':
      return new UnavailableError(undefined, 'Connection dropped');
    case 'reset':
      return new UnknownError(undefined, 'Received RST_STREAM with code 2');
  }
}

/** What the server counts against `MaxAppendSize`: the serialised data and metadata. */
function sizeOf(event: EventData): number {
  const data =
    event.contentType === 'application/json'
      ? Buffer.byteLength(JSON.stringify(event.data))
      : event.data.byteLength;
  const metadata =
    event.metadata === undefined
      ? 0
      : event.metadata instanceof Uint8Array
        ? event.metadata.byteLength
        : Buffer.byteLength(JSON.stringify(event.metadata));
  return data + metadata;
}

function filterOf(filter: Filter | undefined): (event: StoredEvent) => boolean {
  if (filter === undefined) return () => true;
  const on = (event: StoredEvent): string =>
    filter.filterOn === 'streamName' ? event.streamId : event.type;
  if ('regex' in filter) {
    const pattern = new RegExp(filter.regex);
    return (event) => pattern.test(on(event));
  }
  return (event) => filter.prefixes.some((prefix) => on(event).startsWith(prefix));
}

function before(a: Position, b: Position): boolean {
  return a.commit < b.commit || (a.commit === b.commit && a.prepare < b.prepare);
}

/** A stored event as the client gives it: JSON parsed, binary as bytes, metadata parsed when JSON. */
function toResolved(event: StoredEvent): { event: AllStreamResolvedEvent['event'] } {
  const metadata = event.metadata === undefined ? undefined : parseMetadata(event.metadata);
  return {
    event: event.isJson
      ? {
          streamId: event.streamId,
          id: event.id,
          revision: event.revision,
          type: event.type,
          created: event.created,
          isJson: true,
          data: parseJsonData(event.data),
          metadata,
          position: event.position,
        }
      : {
          streamId: event.streamId,
          id: event.id,
          revision: event.revision,
          type: event.type,
          created: event.created,
          isJson: false,
          data: Buffer.from(event.data, 'base64'),
          metadata,
          position: event.position,
        },
  };
}

/**
 * As the client does (`convertGrpcEvent.js`): metadata that parses as JSON is given parsed, other
 * bytes as they are, none as undefined.
 */
function parseMetadata(metadata: Buffer): Record<string, unknown> | Uint8Array | undefined {
  if (metadata.length === 0) return undefined;
  try {
    return JSON.parse(metadata.toString('utf8')) as Record<string, unknown>;
  } catch {
    return metadata;
  }
}

/** As the client does: JSON data that does not parse is given as its text, without an error. */
function parseJsonData(text: string): Record<string, unknown> | string {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text;
  }
}
