import { mkdirSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  assertContiguous,
  checkExpectedVersion,
  settle,
  storeClosedError,
  toReadAllRange,
  toReadStreamRange,
  toReplayedResult,
  toSerializedEvents,
  type SerializedEvent,
  type StoredIdempotency,
} from '../adapterRules';
import { CatchUpSubscription } from '../catchUpSubscription';
import {
  ConcurrencyConflictError,
  DuplicateEventIdError,
  IdempotencyKeyReusedError,
  StoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  AuditTreeMismatchError,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type IdempotencyClaim,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type StoreFailureKind,
  type StoreHealth,
  type StreamVersion,
  type SubscribeOptions,
  type Subscription,
  type TreeMismatch,
} from '../port';
import { SqliteAuditTree } from './sqliteAuditTree';
import { EVENT_COLUMNS, rawToRecordedEvent, type RawEventRow } from './eventRows';
import { StoreHealthMonitor, type StoreHealthOptions } from '../storeHealth';
import { migrate, readAppliedMigrations, type AppliedMigration } from './migrations';

export interface SqliteEventStoreOptions extends StoreHealthOptions {
  /** How often an idle subscription looks for writes from other connections. Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** How long a write waits for another connection's lock before failing as busy. Default 5 s. */
  readonly busyTimeoutMs?: number;
  /**
   * Caps the file (SQLite `max_page_count`, never below its current size): a write that would
   * grow it further fails as on a full disk. Default: no cap but the disk's.
   */
  readonly maxSizeBytes?: number;
  /**
   * When `PRAGMA quick_check` runs: `at_open` refuses a damaged file before serving; `background`
   * checks it in a worker thread while the store serves, and reports damage through `health()`;
   * `auto` (the default) checks files up to 64 MiB at open and larger ones in the background, so a
   * restart does not wait for a full read of a large file; `skip` for a second connection to a
   * file its first connection checks.
   */
  readonly quickCheck?: 'auto' | 'at_open' | 'background' | 'skip';
  /**
   * `maintain` (the default) writes each event's Merkle leaf in its append's transaction.
   * `off_for_benchmark` skips it, only so the benchmark can measure what the tree costs: a file
   * written so fails its tree check, and the store then refuses appends.
   */
  readonly auditTree?: 'maintain' | 'off_for_benchmark';
}

/** Up to this size `quick_check` runs at open (a fraction of a second); beyond, in the background. */
const QUICK_CHECK_AT_OPEN_BYTES = 64 * 1024 * 1024;

/** The connection's effective settings, for health checks and tests. */
export interface SqliteSettings {
  readonly journalMode: string;
  /** 2 = FULL. */
  readonly synchronous: number;
  readonly foreignKeys: boolean;
  readonly busyTimeoutMs: number;
  readonly migrations: readonly AppliedMigration[];
}

interface EventRow {
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_version: number;
  readonly global_position: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

interface IdempotencyRow {
  readonly fingerprint: string;
  readonly stream_id: string;
  readonly next_expected_version: number;
  readonly last_position: number;
}

type Statements = ReturnType<typeof prepareStatements>;

const IN_MEMORY = ':memory:';
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Problems quoted from a failed `quick_check`: the first few say enough to start a repair. */
const QUICK_CHECK_PROBLEMS_QUOTED = 3;
const DEFAULT_POLL_INTERVAL_MS = 200;
const SUBSCRIPTION_BATCH_SIZE = 500;

/** Opens (creating it and its directory if needed) and migrates an SQLite event store. */
export function openSqliteEventStore(
  filePath: string,
  options: SqliteEventStoreOptions = {},
): SqliteEventStore {
  return SqliteEventStore.open(filePath, options);
}

/**
 * The SQLite adapter: one better-sqlite3 connection, WAL and `synchronous=FULL`, so an acknowledged
 * append survives a crash. Each append is one IMMEDIATE transaction that reads the stream version,
 * checks the expectation, inserts the events and the idempotency key; other connections on the
 * same file wait for the write lock and then see the new version. Driver errors never leave this
 * class: constraint violations become the port's errors, and a damaged file (`SQLITE_CORRUPT`,
 * `SQLITE_NOTADB`), a full disk (`SQLITE_FULL`), an I/O error or a lock held past the busy
 * timeout become `StoreUnavailableError`, which `health()` then reports. Opening runs
 * `PRAGMA quick_check` (it reads every page, so it costs about a full read of the file) and
 * refuses a damaged file.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: Statements;
  private readonly appendTransaction;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly pollIntervalMs: number | undefined;
  private readonly monitor: StoreHealthMonitor;
  private quickCheckWorker: Worker | undefined;
  private closed = false;
  readonly auditTree: SqliteAuditTree;
  /** Set once a check finds the log and its tree apart: from then on every append is refused. */
  private treeMismatch: TreeMismatch | undefined;
  private readonly maintainTree: boolean;

  static open(filePath: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const inMemory = filePath === IN_MEMORY;
    if (!inMemory) mkdirSync(dirname(resolve(filePath)), { recursive: true });
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    let db: Database.Database;
    try {
      db = new Database(filePath, { timeout: busyTimeoutMs });
    } catch (error) {
      throw toStoreFailure(error, filePath, 'open') ?? error;
    }
    try {
      configure(db, inMemory, busyTimeoutMs);
      const quickCheck = quickCheckWhen(options.quickCheck ?? 'auto', filePath, inMemory);
      if (quickCheck === 'at_open') assertQuickCheckPasses(db, filePath);
      migrate(db);
      if (options.maxSizeBytes !== undefined) capSize(db, options.maxSizeBytes);
      const store = new SqliteEventStore(db, filePath, inMemory, options);
      if (quickCheck === 'background') store.quickCheckInBackground();
      return store;
    } catch (error) {
      db.close();
      throw toStoreFailure(error, filePath, 'open') ?? error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    /** The file, for error messages. */
    private readonly location: string,
    inMemory: boolean,
    options: SqliteEventStoreOptions,
  ) {
    this.monitor = new StoreHealthMonitor(options);
    // Nothing else can write to a private in-memory database, so there is nothing to poll for.
    this.pollIntervalMs = inMemory
      ? undefined
      : (options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.statements = prepareStatements(db);
    this.maintainTree = options.auditTree !== 'off_for_benchmark';
    this.auditTree = new SqliteAuditTree(
      db,
      (operation, work) => this.guarded(operation, work),
      (mismatch) => this.noteTreeMismatch(mismatch),
    );
    this.appendTransaction = db.transaction(
      (streamId: string, events: readonly SerializedEvent[], options: AppendOptions) =>
        this.appendInTransaction(streamId, events, options),
    );
  }

  append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.guarded(`append to stream ${streamId}`, () => {
      this.assertOpen();
      const serialized = toSerializedEvents(streamId, events, options);
      let result: AppendResult;
      try {
        result = this.appendTransaction.immediate(streamId, serialized, options);
      } catch (error) {
        throw this.toAppendError(error, streamId, options);
      }
      this.monitor.noteAppendSucceeded();
      if (!result.replayed) {
        for (const subscription of this.subscriptions) subscription.notify();
      }
      return result;
    });
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    return this.guarded(`read stream ${streamId}`, () => {
      this.assertOpen();
      const { fromVersion, upToVersion } = toReadStreamRange(options);
      if (fromVersion === 0) {
        const events = this.readStreamRange(streamId, 0, upToVersion);
        assertContiguous(streamId, 0, events);
        return { version: events.at(-1)?.streamVersion ?? 0, events };
      }
      // Read outside a transaction, the version comes first: events up to a committed version
      // never change, so bounding the range by it keeps both consistent if a writer slips in.
      const version = Math.min(this.currentVersion(streamId), upToVersion);
      const events =
        version > fromVersion ? this.readStreamRange(streamId, fromVersion, version) : [];
      assertContiguous(streamId, fromVersion, events);
      return { version, events };
    });
  }

  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    return this.guarded('read the log', () => {
      this.assertOpen();
      const { fromPosition, maxCount } = toReadAllRange(options);
      return this.readFrom(fromPosition, maxCount);
    });
  }

  headPosition(): Promise<GlobalPosition> {
    return this.guarded('read the head position', () => {
      this.assertOpen();
      return this.statements.headPosition.get() ?? 0;
    });
  }

  findIdempotentResult(claim: IdempotencyClaim): Promise<AppendResult | undefined> {
    return this.guarded('look up an idempotency key', () => {
      this.assertOpen();
      return this.findIdempotent(claim);
    });
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription({
      options,
      read: (fromPosition, maxCount) =>
        this.observed('read the log', () => this.readFrom(fromPosition, maxCount)),
      batchSize: SUBSCRIPTION_BATCH_SIZE,
      ...(this.pollIntervalMs === undefined ? {} : { pollIntervalMs: this.pollIntervalMs }),
      onStopped: (stopped) => this.subscriptions.delete(stopped),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The database's pages times their size (the WAL file not counted). */
  sizeBytes(): Promise<number> {
    return settle(() => {
      this.assertOpen();
      const pages = Number(this.db.pragma('page_count', { simple: true }));
      const pageSize = Number(this.db.pragma('page_size', { simple: true }));
      return pages * pageSize;
    });
  }

  /**
   * Probes the store with a read of the log's head (an index lookup, so cheap at any size) and
   * reports the last failure seen. A closed store does not answer.
   */
  health(): Promise<StoreHealth> {
    if (this.closed) return Promise.resolve(this.monitor.health(false));
    return this.guarded('read the head position', () => this.statements.headPosition.get()).then(
      () => this.monitor.health(true),
      () => this.monitor.health(false),
    );
  }

  /** Stops the subscriptions (after their in-flight delivery), then closes the connection. */
  /**
   * Runs `quick_check` on a read-only connection of its own in a worker thread: the store serves
   * meanwhile, and damage found is reported as any other failure (health, /ready, one log line).
   */
  private quickCheckInBackground(): void {
    const worker = new Worker(QUICK_CHECK_WORKER, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: this.location },
    });
    this.quickCheckWorker = worker;
    worker.unref();
    worker.once('message', (message: { lines?: string[]; error?: string }) => {
      this.quickCheckWorker = undefined;
      const problem =
        message.error !== undefined
          ? quickCheckFailure(this.location, [message.error])
          : quickCheckFailure(this.location, message.lines ?? []);
      if (problem !== undefined && !this.closed) this.monitor.noteFailure(problem);
    });
    worker.once('error', () => {
      this.quickCheckWorker = undefined;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.quickCheckWorker?.terminate();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.db.close();
  }

  settings(): SqliteSettings {
    this.assertOpen();
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
      foreignKeys: Number(this.db.pragma('foreign_keys', { simple: true })) === 1,
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
      migrations: readAppliedMigrations(this.db),
    };
  }

  private appendInTransaction(
    streamId: string,
    events: readonly SerializedEvent[],
    options: AppendOptions,
  ): AppendResult {
    const claim = options.idempotency;
    if (claim !== undefined) {
      const replayed = this.findIdempotent(claim);
      if (replayed !== undefined) return replayed;
    }
    const version = this.currentVersion(streamId);
    checkExpectedVersion(streamId, options.expectedVersion, version);
    if (this.treeMismatch !== undefined) throw new AuditTreeMismatchError(this.treeMismatch);
    const tree = this.maintainTree ? this.auditTree.beginAppend() : undefined;
    let lastPosition = 0;
    events.forEach((event, index) => {
      const streamVersion = version + index + 1;
      try {
        const { lastInsertRowid } = this.statements.insertEvent.run(
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
    const result: AppendResult = {
      streamId,
      nextExpectedVersion: version + events.length,
      lastPosition,
      replayed: false,
    };
    if (claim !== undefined) {
      this.statements.insertKey.run(
        claim.key,
        claim.fingerprint,
        streamId,
        result.nextExpectedVersion,
        lastPosition,
      );
    }
    return result;
  }

  /** Called after the transaction rolled back, so a version read here is the committed one. */
  private toAppendError(error: unknown, streamId: string, options: AppendOptions): Error {
    if (
      error instanceof ConcurrencyConflictError ||
      error instanceof AuditTreeMismatchError ||
      error instanceof DuplicateEventIdError ||
      error instanceof IdempotencyKeyReusedError
    ) {
      return error;
    }
    // Only reachable if another writer slipped in between our version read and insert.
    if (isUniqueViolation(error, 'events.stream_id, events.stream_version')) {
      return new ConcurrencyConflictError(
        streamId,
        options.expectedVersion,
        this.currentVersion(streamId),
      );
    }
    const failure = toStoreFailure(error, this.location, `append to stream ${streamId}`);
    if (failure !== undefined) return failure;
    const code = sqliteErrorCode(error) ?? 'unknown error';
    return new Error(`SqliteEventStore: append to stream ${streamId} failed (${code})`, {
      cause: error,
    });
  }

  /** Latched: the operator must restore the file (or otherwise act) and restart. */
  private noteTreeMismatch(mismatch: TreeMismatch): void {
    this.treeMismatch ??= mismatch;
    this.monitor.noteFailure(new AuditTreeMismatchError(this.treeMismatch));
  }

  private findIdempotent(claim: IdempotencyClaim): AppendResult | undefined {
    const row = this.statements.findKey.get(claim.key);
    return row === undefined ? undefined : toReplayedResult(toStoredIdempotency(row), claim);
  }

  private currentVersion(streamId: string): StreamVersion {
    return this.statements.streamVersion.get(streamId) ?? 0;
  }

  /** The events with `fromVersion < stream_version <= upToVersion`. */
  private readStreamRange(
    streamId: string,
    fromVersion: StreamVersion,
    upToVersion: StreamVersion,
  ): RecordedEvent[] {
    return this.statements.readStream.all(streamId, fromVersion, upToVersion).map(toRecordedEvent);
  }

  private readFrom(fromPosition: GlobalPosition, maxCount: number): RecordedEvent[] {
    return this.statements.readAll.all(fromPosition, maxCount).map(rawToRecordedEvent);
  }

  private assertOpen(): void {
    if (this.closed) throw storeClosedError('SqliteEventStore');
  }

  /** `work` as the port's promise, its store failures translated and noted for `health()`. */
  private guarded<T>(operation: string, work: () => T): Promise<T> {
    return settle(() => this.observed(operation, work));
  }

  private observed<T>(operation: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      const translated = toStoreFailure(error, this.location, operation) ?? error;
      this.monitor.noteFailure(translated);
      throw translated;
    }
  }
}

function prepareStatements(db: Database.Database) {
  return {
    streamVersion: db
      .prepare<[string], number | null>(
        'SELECT MAX(stream_version) FROM events WHERE stream_id = ?',
      )
      .pluck(),
    insertEvent: db.prepare<[string, string, number, string, string, string]>(
      'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    readStream: db.prepare<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version > ? AND stream_version <= ? ORDER BY stream_version`,
    ),
    // Rows as arrays: the whole log is read at every rebuild, and arrays cost less to build.
    readAll: db
      .prepare<[number, number], RawEventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
      )
      .raw(),
    headPosition: db.prepare<[], number | null>('SELECT MAX(global_position) FROM events').pluck(),
    findKey: db.prepare<[string], IdempotencyRow>(
      'SELECT fingerprint, stream_id, next_expected_version, last_position FROM idempotency_keys WHERE key = ?',
    ),
    insertKey: db.prepare<[string, string, string, number, number]>(
      'INSERT INTO idempotency_keys (key, fingerprint, stream_id, next_expected_version, last_position) VALUES (?, ?, ?, ?, ?)',
    ),
  };
}

function configure(db: Database.Database, inMemory: boolean, busyTimeoutMs: number): void {
  if (!inMemory) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal')
      throw new Error(`SqliteEventStore: could not enable WAL (got ${String(mode)})`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
}

/**
 * Refuses a damaged file before anything reads or writes it. `quick_check` verifies every page's
 * structure (not index contents against their tables, which `integrity_check` does at a far higher
 * cost); it either lists problems or, on a badly damaged page, fails as SQLITE_CORRUPT itself.
 */
function assertQuickCheckPasses(db: Database.Database, filePath: string): void {
  const rows = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
  const failure = quickCheckFailure(
    filePath,
    rows.map((row) => row.quick_check),
  );
  if (failure !== undefined) throw failure;
}

/** The problems `quick_check` listed, as a store failure naming the file; undefined when `ok`. */
function quickCheckFailure(
  filePath: string,
  lines: readonly string[],
): StoreUnavailableError | undefined {
  const problems = lines
    .flatMap((line) => line.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'ok' && !line.startsWith('*** in database'));
  if (problems.length === 0) return undefined;
  const quoted = problems.slice(0, QUICK_CHECK_PROBLEMS_QUOTED).join('; ');
  const more =
    problems.length > QUICK_CHECK_PROBLEMS_QUOTED
      ? ` (and ${problems.length - QUICK_CHECK_PROBLEMS_QUOTED} more)`
      : '';
  return new StoreUnavailableError(
    'corrupted',
    'QUICK_CHECK_FAILED',
    `SQLite store ${filePath} is damaged: PRAGMA quick_check found ${quoted}${more}. Restore it from a backup`,
  );
}

function quickCheckWhen(
  requested: NonNullable<SqliteEventStoreOptions['quickCheck']>,
  filePath: string,
  inMemory: boolean,
): 'at_open' | 'background' | 'skip' {
  if (inMemory || requested === 'skip') return inMemory ? 'at_open' : 'skip';
  if (requested !== 'auto') return requested;
  let bytes = 0;
  try {
    bytes = statSync(filePath).size;
  } catch {
    bytes = 0;
  }
  return bytes <= QUICK_CHECK_AT_OPEN_BYTES ? 'at_open' : 'background';
}

/** The background check's worker: plain JavaScript, so it runs the same from sources and built. */
const QUICK_CHECK_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.pragma('quick_check', { simple: false });
  parentPort.postMessage({ lines: rows.map((row) => row.quick_check) });
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
} finally {
  if (db) db.close();
}
`;

function capSize(db: Database.Database, maxSizeBytes: number): void {
  if (!Number.isSafeInteger(maxSizeBytes) || maxSizeBytes <= 0) {
    throw new RangeError(`maxSizeBytes must be a positive integer, got ${String(maxSizeBytes)}`);
  }
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.pragma(`max_page_count = ${Math.max(1, Math.floor(maxSizeBytes / pageSize))}`);
}

/**
 * A driver error that says the store itself failed, as the port's `StoreUnavailableError`
 * (naming the file and the operation); undefined for any other error. Extended codes count with
 * their primary one (SQLITE_IOERR_WRITE is an I/O error, SQLITE_BUSY_SNAPSHOT a busy store).
 */
function toStoreFailure(
  error: unknown,
  location: string,
  operation: string,
): StoreUnavailableError | undefined {
  if (error instanceof StoreUnavailableError) return error;
  const code = sqliteErrorCode(error);
  if (code === undefined) return undefined;
  const kind = storeFailureKind(code);
  if (kind === undefined) return undefined;
  const reason = String((error as { message?: unknown }).message);
  return new StoreUnavailableError(
    kind,
    code,
    `SQLite store ${location}: ${operation} failed: ${reason} (${code})`,
    { cause: error },
  );
}

function storeFailureKind(code: string): StoreFailureKind | undefined {
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0];
  switch (primary) {
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return 'corrupted';
    case 'SQLITE_FULL':
      return 'full';
    case 'SQLITE_IOERR':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'SQLITE_PROTOCOL':
      return 'unavailable';
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'busy';
    default:
      return undefined;
  }
}

/**
 * The driver's error code, read by shape rather than `instanceof SqliteError`: the native addon
 * keeps the error class of the first module instance that loaded it, so under a fresh module
 * registry (jest, hot reload) `instanceof` fails for errors it throws.
 */
function sqliteErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (name !== 'SqliteError') return undefined;
  return typeof code === 'string' ? code : undefined;
}

function isUniqueViolation(error: unknown, columns: string): boolean {
  const code = sqliteErrorCode(error);
  return (
    (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') &&
    String((error as { message?: unknown }).message).includes(columns)
  );
}

function toStoredIdempotency(row: IdempotencyRow): StoredIdempotency {
  return {
    fingerprint: row.fingerprint,
    streamId: row.stream_id,
    nextExpectedVersion: row.next_expected_version,
    lastPosition: row.last_position,
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: row.global_position,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  };
}
