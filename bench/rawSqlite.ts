/**
 * The baselines: what plain better-sqlite3 does for the same work with nothing around it. The
 * table mirrors the adapter's `events` table (same columns, constraints and unique indexes), and
 * the connection gets the adapter's pragmas (WAL, synchronous=FULL).
 */
import Database from 'better-sqlite3';
import type { EventToAppend } from '../src/eventStore/port';
import { extendAuditTree } from '../src/eventStore/sqlite/sqliteAuditTree';

const EVENTS_TABLE = `
  CREATE TABLE IF NOT EXISTS events (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    stream_id TEXT NOT NULL,
    stream_version INTEGER NOT NULL CHECK (stream_version > 0),
    type TEXT NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data)),
    metadata TEXT NOT NULL CHECK (json_valid(metadata)),
    UNIQUE (stream_id, stream_version)
  );
`;

/** One event row as the adapter stores it: data and metadata already serialised. */
export interface RawEventRow {
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** The row `event` makes as version `version` of `streamId`: the adapter's own serialisation. */
export function rawEventRow(streamId: string, version: number, event: EventToAppend): RawEventRow {
  return {
    eventId: event.id,
    streamId,
    version,
    type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
  };
}

/**
 * One row per `insert`, each in its own IMMEDIATE transaction: the least a durable append costs;
 * or the rows of an `insertBatch` in one.
 */
export class RawEventWriter {
  private readonly db: Database.Database;
  private readonly insertRows: Database.Transaction<(rows: readonly RawEventRow[]) => void>;

  constructor(filePath: string) {
    this.db = new Database(filePath);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(EVENTS_TABLE);
    const insert = this.db.prepare<[string, string, number, string, string, string]>(
      'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertRows = this.db.transaction((rows: readonly RawEventRow[]) => {
      for (const row of rows) {
        insert.run(row.eventId, row.streamId, row.version, row.type, row.data, row.metadata);
      }
    });
  }

  /** Inserts the event as version `version` of the stream, durably. */
  insert(streamId: string, version: number, event: EventToAppend): void {
    this.insertRows.immediate([rawEventRow(streamId, version, event)]);
  }

  /**
   * Inserts the rows in one IMMEDIATE transaction, so one fsync for all of them: the least a group
   * commit of that many appends costs, with no check, tree or acknowledgement around it.
   */
  insertBatch(rows: readonly RawEventRow[]): void {
    this.insertRows.immediate(rows);
  }

  close(): void {
    this.db.close();
  }
}

const BULK_ROWS_PER_TRANSACTION = 100_000;
const BULK_CACHE_KIB = 512 * 1024;

/**
 * Loads generated events into a file the adapter has created and migrated, straight into its
 * `events` table with the adapter's own serialisation (JSON text). One transaction per 100k rows
 * and a large page cache: the store's append commits each call and, with its default 2 MB cache,
 * rewrites a random page of the event-id index per event, which makes a million-event setup slow.
 */
export class BulkEventLoader {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string, number, string, string, string]>;
  private pending = 0;

  constructor(filePath: string) {
    this.db = new Database(filePath);
    this.db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
    this.insert = this.db.prepare(
      'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db.exec('BEGIN IMMEDIATE');
  }

  /** Same contract as the generator's sink: events after `version`, returns the new version. */
  append(streamId: string, version: number, events: readonly EventToAppend[]): Promise<number> {
    events.forEach((event, index) => {
      this.insert.run(
        event.id,
        streamId,
        version + index + 1,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      );
    });
    this.pending += events.length;
    if (this.pending >= BULK_ROWS_PER_TRANSACTION) {
      // The store's tree covers every event it holds: the loader gives each batch its leaves.
      extendAuditTree(this.db);
      this.db.exec('COMMIT; BEGIN IMMEDIATE');
      this.pending = 0;
    }
    return Promise.resolve(version + events.length);
  }

  close(): void {
    extendAuditTree(this.db);
    this.db.exec('COMMIT');
    this.db.close();
  }
}

export interface ScanResult {
  readonly rows: number;
  /** A figure derived from every parsed value, so no parse can be skipped. */
  readonly checksum: number;
}

/**
 * Reads every event row of an adapter-written file in global order (every column a recorded event
 * carries) and parses data and metadata: the least any rebuild must do.
 */
export function scanAndParse(filePath: string): ScanResult {
  const db = new Database(filePath, { readonly: true });
  try {
    const rows = db
      .prepare<[], { readonly data: string; readonly metadata: string }>(
        'SELECT event_id, stream_id, stream_version, global_position, type, data, metadata FROM events ORDER BY global_position',
      )
      .iterate();
    let count = 0;
    let checksum = 0;
    for (const row of rows) {
      const data: unknown = JSON.parse(row.data);
      const metadata: unknown = JSON.parse(row.metadata);
      checksum += typeof data === 'object' && typeof metadata === 'object' ? 1 : 0;
      count++;
    }
    return { rows: count, checksum };
  } finally {
    db.close();
  }
}
