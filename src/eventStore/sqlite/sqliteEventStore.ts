import { mkdirSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  assertContiguous,
  settle,
  storeClosedError,
  toReadAllRange,
  toReadStreamRange,
  toReplayedResult,
  toSerializedEvents,
} from '../adapterRules';
import { CatchUpSubscription } from '../catchUpSubscription';
import {
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
  type StoreHealth,
  type StreamVersion,
  type SubscribeOptions,
  type Subscription,
  type TreeMismatch,
} from '../port';
import { SqliteAuditTree } from './sqliteAuditTree';
import {
  EVENT_COLUMNS,
  rawToRecordedEvent,
  toStoredIdempotency,
  type IdempotencyRow,
  type RawEventRow,
} from './eventRows';
import { StoreHealthMonitor, type StoreHealthOptions } from '../storeHealth';
import { migrate, readAppliedMigrations, type AppliedMigration } from './migrations';
import { BatchWriter, type AppendOutcome, type QueuedAppend } from './appendBatch';
import { capSize, configure } from './sqliteConnection';
import { toStoreFailure } from './sqliteErrors';
import { WriterThread } from './writerThread';

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

type Statements = ReturnType<typeof prepareStatements>;

/** Appends answered and the batches (one transaction, one commit each) they came in. */
export interface GroupCommitStats {
  readonly batches: number;
  readonly appends: number;
}

/** An append waiting for its batch's commit. */
interface PendingAppend {
  readonly append: QueuedAppend;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

const IN_MEMORY = ':memory:';
/**
 * A turn making this many appends posts them to the writer thread before the turn is over, so
 * that the writer runs them while the turn makes the next ones. Small enough that the writer
 * starts early, large enough that a message carries more than its own cost.
 */
const APPENDS_A_CHUNK = 4;
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
 * The SQLite adapter: better-sqlite3, WAL and `synchronous=FULL`, so an acknowledged append
 * survives a crash. Appends are group-committed (`appendBatch.ts`): those queued while a commit is
 * in flight go in together, each in its own savepoint of one IMMEDIATE transaction that reads the
 * stream version, checks the expectation, inserts the events, their leaves and the idempotency
 * key; each is acknowledged once its batch's commit is durable. A file store's writing connection
 * belongs to a worker thread, started at the first append, so the fsync never waits on the event
 * loop; the store's own connection only reads. An in-memory store (which no second connection
 * can share) runs the same batches inline, gathering the appends of one turn. Other connections
 * on the same file wait for the write lock and then see the new version. Driver errors never leave this
 * class: constraint violations become the port's errors, and a damaged file (`SQLITE_CORRUPT`,
 * `SQLITE_NOTADB`), a full disk (`SQLITE_FULL`), an I/O error or a lock held past the busy
 * timeout become `StoreUnavailableError`, which `health()` then reports. Opening runs
 * `PRAGMA quick_check` (it reads every page, so it costs about a full read of the file) and
 * refuses a damaged file.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: Statements;
  /** Appends waiting for the next batch. */
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** This turn posted some of its appends to the writer thread already. */
  private chunkPosted = false;
  /** The in-memory store's writer, on its own connection. */
  private readonly inline: BatchWriter | undefined;
  /** The file store's writer thread. */
  private readonly thread: WriterThread<PendingAppend> | undefined;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly pollIntervalMs: number | undefined;
  private readonly monitor: StoreHealthMonitor;
  private quickCheckWorker: Worker | undefined;
  private closed = false;
  readonly auditTree: SqliteAuditTree;
  /** Set once a check finds the log and its tree apart: from then on every append is refused. */
  private treeMismatch: TreeMismatch | undefined;
  private batchesAnswered = 0;
  private appendsAnswered = 0;

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
      const store = new SqliteEventStore(db, filePath, inMemory, busyTimeoutMs, options);
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
    busyTimeoutMs: number,
    options: SqliteEventStoreOptions,
  ) {
    this.monitor = new StoreHealthMonitor(options);
    // Nothing else can write to a private in-memory database, so there is nothing to poll for.
    this.pollIntervalMs = inMemory
      ? undefined
      : (options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.statements = prepareStatements(db);
    const maintainTree = options.auditTree !== 'off_for_benchmark';
    this.auditTree = new SqliteAuditTree(
      db,
      (operation, work) => this.guarded(operation, work),
      (mismatch) => {
        this.latchTreeMismatch(mismatch);
        // The latch holds for the writer too, on whichever thread it runs.
        this.inline?.noteMismatch(mismatch);
      },
    );
    if (inMemory) {
      this.inline = new BatchWriter(db, {
        location,
        maintainTree,
        onMismatch: (mismatch) => this.latchTreeMismatch(mismatch),
      });
    } else {
      this.thread = new WriterThread<PendingAppend>(
        {
          location,
          busyTimeoutMs,
          maintainTree,
          ...(options.maxSizeBytes !== undefined && { maxSizeBytes: options.maxSizeBytes }),
        },
        (answered, mismatch) => this.settleBatch(answered, mismatch),
      );
    }
  }

  append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    // A throw in here (a closed store, an invalid append) rejects before anything is queued.
    return new Promise<AppendResult>((resolve, reject) => {
      this.assertOpen();
      const append: QueuedAppend = {
        streamId,
        events: toSerializedEvents(streamId, events, options),
        // Only what the writer reads, so the message to its thread carries nothing else.
        options: {
          expectedVersion: options.expectedVersion,
          ...(options.idempotency !== undefined && {
            idempotency: {
              key: options.idempotency.key,
              fingerprint: options.idempotency.fingerprint,
            },
          }),
        },
      };
      this.queue.push({ append, resolve, reject });
      if (this.thread !== undefined && this.queue.length >= APPENDS_A_CHUNK) {
        // The writer starts on these while this turn makes the rest, and commits once its end
        // is posted: preparing and writing overlap, and the turn's appends still share a commit.
        this.thread.post(
          this.queue.map((item) => item.append),
          this.queue,
          this.treeMismatch,
          false,
        );
        this.queue = [];
        this.chunkPosted = true;
      }
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // The appends made in this turn (e.g. by concurrent requests) go in one message.
        queueMicrotask(() => this.flush());
      }
    });
  }

  /** Hands the queued appends to the writer as one batch. */
  private flush(): void {
    this.flushScheduled = false;
    const pending = this.queue;
    // A turn that posted chunks still tells the writer it is over, so that it commits them.
    if (pending.length === 0 && !this.chunkPosted) return;
    this.queue = [];
    const appends = pending.map((item) => item.append);
    if (this.thread !== undefined) {
      this.thread.post(appends, pending, this.treeMismatch, true);
      this.chunkPosted = false;
      return;
    }
    let outcomes: readonly AppendOutcome[];
    try {
      outcomes = (this.inline as BatchWriter).run(appends);
    } catch (error) {
      for (const item of pending) item.reject(error);
      return;
    }
    this.settleBatch(
      pending.map((item, index) => ({ item, outcome: outcomes[index] as AppendOutcome })),
      undefined,
    );
  }

  /** Acknowledges a committed batch's appends, then tells the subscriptions once. */
  private settleBatch(
    answered: readonly { readonly item: PendingAppend; readonly outcome: AppendOutcome }[],
    mismatch: TreeMismatch | undefined,
  ): void {
    if (mismatch !== undefined) this.latchTreeMismatch(mismatch);
    this.batchesAnswered++;
    this.appendsAnswered += answered.length;
    let appended = false;
    for (const { item, outcome } of answered) {
      if (outcome.ok) {
        this.monitor.noteAppendSucceeded();
        appended ||= !outcome.result.replayed;
        item.resolve(outcome.result);
      } else {
        this.monitor.noteFailure(outcome.error);
        item.reject(outcome.error);
      }
    }
    if (appended) {
      for (const subscription of this.subscriptions) subscription.notify();
    }
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
      const after = this.readStreamAfter(streamId, fromVersion, upToVersion);
      if (after !== undefined) return after;
      // The stream holds fewer than `fromVersion` events (or lost the one there): its version and
      // whatever a contiguity check makes of it. Read outside a transaction, the version comes
      // first: events up to a committed version never change, so bounding the range by it keeps
      // both consistent if a writer slips in.
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

  /** Lets the appends already made commit, then stops the writer, the subscriptions and the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    await this.thread?.close();
    await this.quickCheckWorker?.terminate();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.db.close();
  }

  /** How well group commit gathers: appends answered, over the batches they were answered in. */
  groupCommitStats(): GroupCommitStats {
    return { batches: this.batchesAnswered, appends: this.appendsAnswered };
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

  /** Latched: the operator must restore the file (or otherwise act) and restart. */
  private latchTreeMismatch(mismatch: TreeMismatch): void {
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

  /**
   * A read from a version the caller has (a cached fold's): one statement, so one consistent
   * snapshot and one lookup, where the version and the events would take two. The row at
   * `fromVersion` itself comes along, unparsed, to show the stream reaches it; undefined when it
   * does not (a shorter stream, a lost row), for the caller to read the version apart.
   */
  private readStreamAfter(
    streamId: string,
    fromVersion: StreamVersion,
    upToVersion: StreamVersion,
  ): ReadStreamResult | undefined {
    const rows = this.statements.readStreamFrom.all(streamId, fromVersion, upToVersion);
    if (rows[0]?.[2] !== fromVersion) return undefined;
    const events: RecordedEvent[] = [];
    for (let index = 1; index < rows.length; index++) {
      events.push(rawToRecordedEvent(rows[index] as RawEventRow));
    }
    assertContiguous(streamId, fromVersion, events);
    return { version: events.at(-1)?.streamVersion ?? fromVersion, events };
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
    readStream: db.prepare<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version > ? AND stream_version <= ? ORDER BY stream_version`,
    ),
    readStreamFrom: db
      .prepare<[string, number, number], RawEventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? AND stream_version <= ? ORDER BY stream_version`,
      )
      .raw(),
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
  };
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
