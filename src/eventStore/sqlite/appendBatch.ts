/**
 * Group commit: the appends queued while a commit was in flight go in together, in one
 * IMMEDIATE transaction and so one fsync. Each runs inside its own savepoint, in the order it was
 * queued, and sees the ones before it (a second append to the same stream, or under the same
 * idempotency key, behaves as if it came after the first had committed on its own). One that
 * fails rolls back to its savepoint, so only it fails, with the port's error; a failed BEGIN or
 * COMMIT fails the whole batch. The same code runs on a writer thread's connection (file stores)
 * and inline on an in-memory store's own connection.
 */
import type Database from 'better-sqlite3';
import {
  checkExpectedVersion,
  settle,
  toReplayedResult,
  type SerializedEvent,
} from '../adapterRules';
import {
  AuditTreeMismatchError,
  ConcurrencyConflictError,
  DuplicateEventIdError,
  IdempotencyKeyReusedError,
  StoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  type IdempotencyClaim,
  type StoreFailureKind,
  type StreamVersion,
  type TreeMismatch,
} from '../port';
import { SqliteAuditTree, type TreeAppender } from './sqliteAuditTree';
import { toStoredIdempotency, type IdempotencyRow } from './eventRows';
import { isUniqueViolation, sqliteErrorCode, toStoreFailure } from './sqliteErrors';

/** One append as the writer takes it: validated and serialised by the caller's thread. */
export interface QueuedAppend {
  readonly streamId: string;
  readonly events: readonly SerializedEvent[];
  readonly options: AppendOptions;
}

export type AppendOutcome =
  | { readonly ok: true; readonly result: AppendResult }
  | { readonly ok: false; readonly error: Error };

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT one_append'),
    release: db.prepare('RELEASE one_append'),
    rollbackTo: db.prepare('ROLLBACK TO one_append'),
    streamVersion: db
      .prepare<[string], number | null>(
        'SELECT MAX(stream_version) FROM events WHERE stream_id = ?',
      )
      .pluck(),
    insertEvent: db.prepare<[string, string, number, string, string, string]>(
      'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    findKey: db.prepare<[string], IdempotencyRow>(
      'SELECT fingerprint, stream_id, next_expected_version, last_position FROM idempotency_keys WHERE key = ?',
    ),
    insertKey: db.prepare<[string, string, string, number, number]>(
      'INSERT INTO idempotency_keys (key, fingerprint, stream_id, next_expected_version, last_position) VALUES (?, ?, ?, ?, ?)',
    ),
  };
}

export interface BatchWriterOptions {
  /** The file, for error messages. */
  readonly location: string;
  /** False only for the benchmark's store without its Merkle tree. */
  readonly maintainTree: boolean;
  /** Told when the batch's tail check finds the log and its tree apart. */
  readonly onMismatch: (mismatch: TreeMismatch) => void;
}

/** Runs batches of appends on one connection, the only one of its store that writes. */
export class BatchWriter {
  private readonly statements: Statements;
  private readonly tree: SqliteAuditTree;
  /** Latched: once the log and its tree are found apart, every append is refused. */
  private mismatch: TreeMismatch | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly options: BatchWriterOptions,
  ) {
    this.statements = prepareStatements(db);
    this.tree = new SqliteAuditTree(
      db,
      (_operation, work) => settle(work),
      (mismatch) => {
        this.mismatch ??= mismatch;
        this.options.onMismatch(mismatch);
      },
    );
  }

  /** A mismatch found elsewhere (a check on the store's reading connection). */
  noteMismatch(mismatch: TreeMismatch): void {
    this.mismatch ??= mismatch;
  }

  /** Commits what it can of `appends` in one transaction; one outcome per append, in order. */
  run(appends: readonly QueuedAppend[]): AppendOutcome[] {
    const batch = new OpenBatch(this);
    batch.add(appends);
    return batch.finish();
  }

  /**
   * Opens a batch's transaction and runs its tail check; a failure (its transaction rolled back)
   * if the batch cannot go on.
   */
  beginBatch(): { readonly tree: TreeAppender | undefined } | BatchFailure {
    try {
      this.statements.begin.run();
    } catch (error) {
      return { failure: error };
    }
    try {
      // One tail check per transaction: it holds the write lock, so nothing else can write
      // between the appends it covers.
      if (this.options.maintainTree && this.mismatch === undefined) {
        return { tree: this.tree.beginAppend() };
      }
    } catch (error) {
      if (!(error instanceof AuditTreeMismatchError)) {
        this.rollbackBatch();
        return { failure: error };
      }
      // Latched by beginAppend: each append is then refused (after its own replay and version
      // checks, as a lone append would be).
    }
    return { tree: undefined };
  }

  /**
   * One append of an open transaction. The first needs no savepoint: if it fails, rolling the
   * transaction back undoes it alone (`rolledBack` then tells the batch to begin another). Each
   * later one runs in its own savepoint, so that only it fails.
   */
  runInBatch(
    append: QueuedAppend,
    tree: TreeAppender | undefined,
    first: boolean,
  ): AppendOutcome | { readonly rolledBack: Error } | BatchFailure {
    const { statements } = this;
    if (first) {
      try {
        return { ok: true, result: this.appendOne(append, tree) };
      } catch (error) {
        // Whatever SQLite kept of the transaction goes: nothing of it is written yet.
        if (this.db.inTransaction) {
          try {
            statements.rollback.run();
          } catch (rollbackError) {
            return { failure: rollbackError };
          }
        }
        return { rolledBack: this.toAppendError(error, append) };
      }
    }
    const leaves = tree?.leafCount();
    try {
      statements.savepoint.run();
    } catch (error) {
      this.rollbackBatch();
      return { failure: error };
    }
    try {
      const result = this.appendOne(append, tree);
      statements.release.run();
      return { ok: true, result };
    } catch (error) {
      // An error SQLite answers by rolling back the whole transaction (an I/O error, a full
      // disk while spilling the cache) takes the appends before this one with it.
      if (!this.db.inTransaction) return { failure: error };
      try {
        statements.rollbackTo.run();
        statements.release.run();
      } catch (rollbackError) {
        this.rollbackBatch();
        return { failure: rollbackError };
      }
      if (tree !== undefined && leaves !== undefined) tree.rewind(leaves);
      return { ok: false, error: this.toAppendError(error, append) };
    }
  }

  /** Commits the open transaction; the error if it failed (and was rolled back). */
  commitBatch(): unknown {
    try {
      this.statements.commit.run();
      return undefined;
    } catch (error) {
      this.rollbackBatch();
      return error ?? new Error('COMMIT failed');
    }
  }

  /** Rolls back whatever SQLite kept of the open transaction. */
  rollbackBatch(): void {
    if (this.db.inTransaction) {
      try {
        this.statements.rollback.run();
      } catch {
        // The connection lost the transaction already: nothing of it was committed either way.
      }
    }
  }

  failAll(appends: readonly QueuedAppend[], error: unknown): AppendOutcome[] {
    return failAllAppends(appends, error, this.options.location);
  }

  private appendOne(append: QueuedAppend, tree: TreeAppender | undefined): AppendResult {
    const { streamId, events, options } = append;
    const { statements } = this;
    const claim = options.idempotency;
    if (claim !== undefined) {
      const replayed = this.findIdempotent(claim);
      if (replayed !== undefined) return replayed;
    }
    const version = this.currentVersion(streamId);
    checkExpectedVersion(streamId, options.expectedVersion, version);
    if (this.mismatch !== undefined) throw new AuditTreeMismatchError(this.mismatch);
    let lastPosition = 0;
    events.forEach((event, index) => {
      const streamVersion = version + index + 1;
      try {
        const { lastInsertRowid } = statements.insertEvent.run(
          event.id,
          streamId,
          streamVersion,
          event.type,
          event.data,
          event.metadata,
        );
        lastPosition = Number(lastInsertRowid);
      } catch (error) {
        if (isUniqueViolation(error, 'events.event_id')) throw new DuplicateEventIdError(event.id);
        throw error;
      }
      // The leaf of the record as the log now holds it: read back from the stored JSON, so it is
      // byte for byte what a later read (and the export) makes of this event.
      tree?.append({
        id: event.id,
        streamId,
        streamVersion,
        globalPosition: lastPosition,
        type: event.type,
        data: JSON.parse(event.data) as unknown,
        metadata: JSON.parse(event.metadata) as Record<string, unknown>,
      });
    });
    const nextExpectedVersion = version + events.length;
    if (claim !== undefined) {
      statements.insertKey.run(
        claim.key,
        claim.fingerprint,
        streamId,
        nextExpectedVersion,
        lastPosition,
      );
    }
    return { streamId, nextExpectedVersion, lastPosition, replayed: false };
  }

  /** Called after the append's savepoint rolled back, so a version read here is the one before it. */
  private toAppendError(error: unknown, append: QueuedAppend): Error {
    // Only reachable if another writer slipped in between our version read and insert.
    if (isUniqueViolation(error, 'events.stream_id, events.stream_version')) {
      return new ConcurrencyConflictError(
        append.streamId,
        append.options.expectedVersion,
        this.currentVersion(append.streamId),
      );
    }
    return toAppendFailure(error, append, this.options.location);
  }

  private findIdempotent(claim: IdempotencyClaim): AppendResult | undefined {
    const row = this.statements.findKey.get(claim.key);
    return row === undefined ? undefined : toReplayedResult(toStoredIdempotency(row), claim);
  }

  private currentVersion(streamId: string): StreamVersion {
    return this.statements.streamVersion.get(streamId) ?? 0;
  }
}

/** Why a whole batch fails; its transaction is rolled back already. */
interface BatchFailure {
  readonly failure: unknown;
}

function isBatchFailure(outcome: object): outcome is BatchFailure {
  return 'failure' in outcome;
}

/**
 * A batch of appends on its way to one commit. Appends run as they are added, so the writer
 * thread can add those posted while it ran the first ones; `finish` commits them all at once.
 */
export class OpenBatch {
  private readonly appends: QueuedAppend[] = [];
  private readonly outcomes: AppendOutcome[] = [];
  /** The open transaction (with its tail check's appender), if one is open. */
  private open: { readonly tree: TreeAppender | undefined } | undefined;
  /** Appends run in the open transaction. */
  private inTransaction = 0;
  /** Set once the whole batch fails: later appends are only counted, and fail with it. */
  private failure: BatchFailure | undefined;

  constructor(private readonly writer: BatchWriter) {}

  get size(): number {
    return this.appends.length;
  }

  /** Every append added, in order. */
  get taken(): readonly QueuedAppend[] {
    return this.appends;
  }

  add(appends: readonly QueuedAppend[]): void {
    for (const append of appends) {
      this.appends.push(append);
      if (this.failure !== undefined) continue;
      if (this.open === undefined) {
        const begun = this.writer.beginBatch();
        if (isBatchFailure(begun)) {
          this.failure = begun;
          continue;
        }
        this.open = begun;
        this.inTransaction = 0;
      }
      const outcome = this.writer.runInBatch(append, this.open.tree, this.inTransaction === 0);
      this.inTransaction++;
      if (isBatchFailure(outcome)) {
        this.failure = outcome;
        continue;
      }
      if ('rolledBack' in outcome) {
        // The failed first append took the transaction with it: the next append begins another.
        this.open = undefined;
        this.outcomes.push({ ok: false, error: outcome.rolledBack });
      } else {
        this.outcomes.push(outcome);
      }
    }
  }

  /** Commits the batch: one outcome per append added, in order. */
  finish(): AppendOutcome[] {
    if (this.failure === undefined && this.open !== undefined) {
      const error = this.writer.commitBatch();
      if (error !== undefined) this.failure = { failure: error };
    }
    this.open = undefined;
    if (this.failure !== undefined) {
      return this.writer.failAll(this.appends, this.failure.failure);
    }
    return this.outcomes;
  }
}

/** Every append of a batch failed by `error` (e.g. the writer could not open its connection). */
export function failAllAppends(
  appends: readonly QueuedAppend[],
  error: unknown,
  location: string,
): AppendOutcome[] {
  return appends.map((append) => ({ ok: false, error: toAppendFailure(error, append, location) }));
}

/** The port's own errors as they are; driver errors as store failures or a plain error. */
function toAppendFailure(error: unknown, append: QueuedAppend, location: string): Error {
  if (
    error instanceof ConcurrencyConflictError ||
    error instanceof AuditTreeMismatchError ||
    error instanceof DuplicateEventIdError ||
    error instanceof IdempotencyKeyReusedError
  ) {
    return error;
  }
  const operation = `append to stream ${append.streamId}`;
  const failure = toStoreFailure(error, location, operation);
  if (failure !== undefined) return failure;
  const code = sqliteErrorCode(error) ?? 'unknown error';
  return new Error(`SqliteEventStore: ${operation} failed (${code})`, { cause: error });
}

/** An append's error as plain data, to cross from the writer thread. */
export type WireError =
  | {
      readonly name: 'ConcurrencyConflictError';
      readonly streamId: string;
      readonly expected: AppendOptions['expectedVersion'];
      readonly actual: StreamVersion;
    }
  | { readonly name: 'DuplicateEventIdError'; readonly eventId: string }
  | { readonly name: 'IdempotencyKeyReusedError'; readonly key: string }
  | { readonly name: 'AuditTreeMismatchError'; readonly mismatch: TreeMismatch }
  | {
      readonly name: 'StoreUnavailableError';
      readonly kind: StoreFailureKind;
      readonly code: string;
      readonly message: string;
    }
  | { readonly name: 'Error'; readonly message: string };

export type WireOutcome =
  | { readonly ok: true; readonly result: AppendResult }
  | { readonly ok: false; readonly error: WireError };

export function toWireOutcome(outcome: AppendOutcome): WireOutcome {
  return outcome.ok ? outcome : { ok: false, error: toWireError(outcome.error) };
}

export function fromWireOutcome(outcome: WireOutcome): AppendOutcome {
  return outcome.ok ? outcome : { ok: false, error: fromWireError(outcome.error) };
}

function toWireError(error: Error): WireError {
  if (error instanceof ConcurrencyConflictError) {
    const { streamId, expected, actual } = error;
    return { name: 'ConcurrencyConflictError', streamId, expected, actual };
  }
  if (error instanceof DuplicateEventIdError) {
    return { name: 'DuplicateEventIdError', eventId: error.eventId };
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return { name: 'IdempotencyKeyReusedError', key: error.key };
  }
  if (error instanceof AuditTreeMismatchError) {
    return { name: 'AuditTreeMismatchError', mismatch: error.mismatch };
  }
  if (error instanceof StoreUnavailableError) {
    const { kind, code, message } = error;
    return { name: 'StoreUnavailableError', kind, code, message };
  }
  return { name: 'Error', message: error.message };
}

function fromWireError(error: WireError): Error {
  switch (error.name) {
    case 'ConcurrencyConflictError':
      return new ConcurrencyConflictError(error.streamId, error.expected, error.actual);
    case 'DuplicateEventIdError':
      return new DuplicateEventIdError(error.eventId);
    case 'IdempotencyKeyReusedError':
      return new IdempotencyKeyReusedError(error.key);
    case 'AuditTreeMismatchError':
      return new AuditTreeMismatchError(error.mismatch);
    case 'StoreUnavailableError':
      return new StoreUnavailableError(error.kind, error.code, error.message);
    case 'Error':
      return new Error(error.message);
  }
}
