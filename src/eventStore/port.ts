/**
 * The event-store port. Every adapter (in-memory, SQLite, EventStoreDB) implements it and passes
 * the one contract suite in `test/eventStore/eventStoreContract.ts`.
 *
 * Numbering is the port's own and store-neutral:
 * - a stream **version** is the number of events in the stream (0 = no stream); the event that
 *   makes a stream's version N carries `streamVersion: N`;
 * - a **global position** is a positive integer that grows with commit order across all streams
 *   (gaps allowed). Position 0 means "before the first event".
 * Nothing above the port may assume SQL, one process or one writer.
 */

export type StreamVersion = number;
export type GlobalPosition = number;

/** `no_stream`: the stream must not exist; `any`: no check; a number: exactly that version. */
export type ExpectedVersion = StreamVersion | 'no_stream' | 'any';

export interface EventToAppend {
  /** Unique event id (UUID). */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  /** The stream's version once this event was appended (1 for the first event). */
  readonly streamVersion: StreamVersion;
  readonly globalPosition: GlobalPosition;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface IdempotencyClaim {
  /** Already scoped by the caller (e.g. per principal). */
  readonly key: string;
  /** Hash of the request the key was first used with; a different request under the same key is refused. */
  readonly fingerprint: string;
}

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
  readonly idempotency?: IdempotencyClaim;
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the append (the ETag). */
  readonly nextExpectedVersion: StreamVersion;
  /** Position of the last event appended (or of the first append, on a replay). */
  readonly lastPosition: GlobalPosition;
  /** True when the idempotency key had been used before: nothing was appended this time. */
  readonly replayed: boolean;
}

/** Bounds of a stream read: the events with `fromVersion < streamVersion <= upToVersion`. */
export interface ReadStreamOptions {
  /** Exclusive: read only the events after this version (e.g. a version already folded). Default 0. */
  readonly fromVersion?: StreamVersion;
  /** Inclusive: read only the events up to and including this version. Default: no bound. */
  readonly upToVersion?: StreamVersion;
}

export interface ReadStreamResult {
  /**
   * The stream's version as read: `min(current version, upToVersion)`, 0 when there is no stream.
   * It does not depend on `fromVersion`: it is the last returned event's `streamVersion` when one
   * is returned, and a read that returns none still reports where the stream stands, so "nothing
   * after fromVersion, at version v" differs from "no stream" (0). An empty range is no error.
   */
  readonly version: StreamVersion;
  /** The events with `fromVersion < streamVersion <= version`, in stream order. */
  readonly events: readonly RecordedEvent[];
}

export interface ReadAllOptions {
  /** Exclusive: return events with `globalPosition > fromPosition`. Default 0. */
  readonly fromPosition?: GlobalPosition;
  /** At most this many events. Default 1000. */
  readonly maxCount?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Exclusive, as in `readAll`. */
  readonly fromPosition: GlobalPosition;
  /** Called in commit order; the next event waits for the returned promise. */
  readonly onEvent: (event: RecordedEvent) => void | Promise<void>;
  /**
   * The subscription stopped (a dropped connection, an event it cannot read, a failing `onEvent`)
   * and delivers nothing more: the caller decides whether and from where to subscribe again.
   * Without it the error is rethrown as an uncaught exception.
   */
  readonly onError?: (error: unknown) => void;
}

export interface EventStore {
  /** Appends atomically: all events or none. Throws `ConcurrencyConflictError` on a stale version. */
  append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;
  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]>;
  /** The position of the last committed event (0 when the log is empty). */
  headPosition(): Promise<GlobalPosition>;
  /** The earlier result for an idempotency key, or undefined. Throws `IdempotencyKeyReusedError` on a fingerprint mismatch. */
  findIdempotentResult(claim: IdempotencyClaim): Promise<AppendResult | undefined>;
  /** Catch-up subscription to the global log: replays from `fromPosition`, then follows live appends. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** The store's size in bytes, for the metrics; only stores that can tell cheaply have it. */
  sizeBytes?(): Promise<number>;
  /** Whether the store answers now, and the last failure it saw (for readiness and operators). */
  health(): Promise<StoreHealth>;
  /** The log's Merkle tree (RFC 9162): one leaf per event, in log order. */
  readonly auditTree: AuditTree;
  close(): Promise<void>;
}

/**
 * The Merkle tree over the global log, as the store keeps it: leaf `i` is the event of rank `i`
 * (from 0), its input the canonical record of `src/auditLog/auditRecord.ts`. A store that keeps
 * the tree beside the events (SQLite) writes the leaf in the append's own transaction; one that
 * cannot (EventStoreDB) rebuilds it from the log and follows it. Sizes are leaf counts.
 */
export interface AuditTree {
  /** The number of leaves: events in the log as far as the tree covers it. */
  size(): Promise<number>;
  /** How many events have a position up to and including `position` (a tree size). */
  sizeAt(position: GlobalPosition): Promise<number>;
  /** The leaf index of the event at `position`, or undefined if no event sits there. */
  leafIndexOf(position: GlobalPosition): Promise<number | undefined>;
  /** MTH of the first `treeSize` leaves (`treeSize` at most `size()`). */
  root(treeSize: number): Promise<Uint8Array>;
  /** RFC 9162 §2.1.3 audit path of leaf `leafIndex` in the tree of `treeSize`. */
  inclusionProof(leafIndex: number, treeSize: number): Promise<Uint8Array[]>;
  /** RFC 9162 §2.1.4 proof that the tree of `fromSize` is a prefix of the tree of `toSize`. */
  consistencyProof(fromSize: number, toSize: number): Promise<Uint8Array[]>;
  /**
   * Recomputes every leaf from the events and every stored node from the leaves, and reports the
   * first mismatch. `tail` limits it to the last that many leaves and the counts (cheap, for /ready).
   */
  check(options?: { readonly tail?: number }): Promise<TreeCheck>;
  /**
   * A mismatch that the same check found on another connection to this store (a worker thread's):
   * held against the log as if `check()` had found it here.
   */
  noteMismatch(mismatch: TreeMismatch): void;
}

/** How the log and its tree differ, at the first place they do. */
export type TreeMismatchKind =
  /** An event's content is not what its leaf recorded. */
  | 'edited'
  /** Two events' contents were exchanged: each matches the other's leaf. */
  | 'reordered'
  /** A leaf has no event any more. */
  | 'deleted'
  /** An event sits where no leaf was recorded (between others, or after the last). */
  | 'inserted'
  /** A stored interior node is not the hash of its children: the tree itself was edited. */
  | 'tree_node';

export interface TreeMismatch {
  readonly kind: TreeMismatchKind;
  /** The log position of the first event concerned (for `tree_node`: absent). */
  readonly position?: GlobalPosition;
  /** The leaf index concerned, when there is one. */
  readonly leafIndex?: number;
  /** For `reordered`: the position the event at `position` was recorded at. */
  readonly recordedAt?: GlobalPosition;
  readonly message: string;
}

export interface TreeCheck {
  readonly ok: boolean;
  /** Leaves in the tree. */
  readonly treeSize: number;
  /** Events in the log. */
  readonly eventCount: number;
  /** How many leaves were recomputed and compared. */
  readonly checkedLeaves: number;
  readonly mismatch?: TreeMismatch;
}

/**
 * The log no longer matches its Merkle tree (an event edited, deleted, inserted or reordered behind
 * the tracker's back): the store refuses writes rather than sign a rewritten history, until an
 * operator restores the file or acts otherwise.
 */
export class AuditTreeMismatchError extends Error {
  override readonly name = 'AuditTreeMismatchError';
  constructor(readonly mismatch: TreeMismatch) {
    super(`The log does not match its Merkle tree: ${mismatch.message}`);
  }

  get retryAfterSeconds(): number {
    return STORE_RETRY_AFTER_SECONDS.integrity;
  }
}

export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: StreamVersion,
  ) {
    super(`Stream ${streamId}: expected version ${String(expected)}, actual ${actual}`);
  }
}

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly key: string) {
    super('This Idempotency-Key was already used for a different request');
  }
}

/** An event id that is already recorded (or repeated within one append); nothing was appended. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already used`);
  }
}

/**
 * How a store failed, whatever the engine: `corrupted` (the file or log is damaged: an operator
 * must restore it), `full` (no space left to write), `unavailable` (I/O error, server unreachable)
 * and `busy` (another writer held the store longer than the adapter waits).
 */
export type StoreFailureKind = 'corrupted' | 'full' | 'unavailable' | 'busy';

/** What `health()` reports a failure as: a store failure, or a stream read that is not contiguous. */
export type StoreProblemKind = StoreFailureKind | 'integrity';

/**
 * How long, in seconds, a failure of each kind is expected to last: a client is told to retry
 * after it, and a passing failure keeps the store unhealthy for that long after it was last seen.
 * Corruption and integrity need an operator, so they are never "over" until a restart.
 */
export const STORE_RETRY_AFTER_SECONDS: Readonly<Record<StoreProblemKind, number>> = {
  corrupted: 300,
  integrity: 300,
  full: 60,
  unavailable: 5,
  busy: 1,
};

/** The store could not do what was asked for a reason of its own (not the caller's); nothing was written. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly kind: StoreFailureKind,
    /** The engine's own code, for logs (e.g. `SQLITE_FULL`, `unavailable`). */
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get retryAfterSeconds(): number {
    return STORE_RETRY_AFTER_SECONDS[this.kind];
  }
}

/**
 * The store did not say whether an append was recorded: its answer was lost (a deadline passed, the
 * node went away, the connection was reset after the write) and asking again did not settle it. The
 * events are recorded once or not at all, never twice. Retrying is safe with the same idempotency
 * key (a replay answers the first outcome) or the same exact expected version (a recorded first
 * attempt makes the retry a conflict); a retry that decides afresh may record the change twice.
 */
export class AppendOutcomeUnknownError extends Error {
  override readonly name = 'AppendOutcomeUnknownError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    /** The append was made under an idempotency key. */
    readonly keyed: boolean,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get retryAfterSeconds(): number {
    return STORE_RETRY_AFTER_SECONDS.unavailable;
  }
}

/**
 * One append's events are larger than the store takes in one write (EventStoreDB's `MaxAppendSize`,
 * 1 MiB by default); nothing was written. Retrying cannot help: the same change is as large.
 */
export class AppendTooLargeError extends Error {
  override readonly name = 'AppendTooLargeError';
  constructor(
    readonly streamId: string,
    /** The most the store takes in one append, in bytes of data and metadata. */
    readonly limitBytes: number,
    options?: ErrorOptions,
  ) {
    super(
      `The events for stream ${streamId} are larger than the event store takes in one append (${limitBytes} bytes); nothing was written`,
      options,
    );
  }
}

/**
 * A stream read whose versions are not `fromVersion + 1, + 2, …`: an event is missing (a gap) or
 * recorded twice. Folding such a stream would give a wrong state, so it is never skipped.
 */
export class StreamIntegrityError extends Error {
  override readonly name = 'StreamIntegrityError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: StreamVersion,
    readonly foundVersion: StreamVersion,
  ) {
    super(
      `Stream ${streamId} is not contiguous: expected version ${expectedVersion}, found ${foundVersion} (${
        foundVersion < expectedVersion ? 'a version is repeated' : 'a version is missing'
      })`,
    );
  }

  /** For logs and `health()`: which way the stream is broken. */
  get code(): 'STREAM_VERSION_GAP' | 'STREAM_VERSION_REPEATED' {
    return this.foundVersion < this.expectedVersion
      ? 'STREAM_VERSION_REPEATED'
      : 'STREAM_VERSION_GAP';
  }

  get retryAfterSeconds(): number {
    return STORE_RETRY_AFTER_SECONDS.integrity;
  }
}

/** The last failure a store saw. */
export interface StoreProblem {
  readonly kind: StoreProblemKind;
  readonly code: string;
  readonly message: string;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  /** How often it was seen since it first was. */
  readonly occurrences: number;
  /** False once a passing failure is over (its retry time passed, or a later append succeeded). */
  readonly active: boolean;
}

export interface StoreHealth {
  /** The store answers and no failure is active: it can serve reads and writes. */
  readonly ok: boolean;
  /** The store answered a probe just now. */
  readonly answering: boolean;
  /** The last failure seen since the store was opened, kept after it is over (`active: false`). */
  readonly problem?: StoreProblem;
  /** Stores a database can share with other writers (EventStoreDB): their events, skipped. */
  readonly foreignEvents?: ForeignEvents;
}

/** The events of other writers sharing the store, which reads of the log skip. */
export interface ForeignEvents {
  /** How many, since the store was opened (each counted once, however often it is read). */
  readonly skipped: number;
  /** The last one skipped, so an operator can tell which writer shares the database. */
  readonly lastSkipped?: {
    readonly position: GlobalPosition;
    readonly streamId: string;
    readonly type: string;
  };
}
