import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { GlobalPosition } from '../eventStore/port';
import type {
  SnapshotPart,
  SnapshotRecord,
  SnapshotStore,
  SnapshotSummary,
  TimeSamples,
} from './snapshotStore';

interface SnapshotRow {
  readonly position: number;
  readonly event_count: number;
  readonly format: string;
  readonly created_at: string;
}

type SnapshotRowWithPayload = SnapshotRow & { readonly payload: Buffer };

const SUMMARY_COLUMNS = 'position, event_count, format, created_at';

function toSummary(row: SnapshotRow): SnapshotSummary {
  return {
    position: row.position,
    eventCount: row.event_count,
    format: row.format,
    createdAt: row.created_at,
  };
}

function toRecord(row: SnapshotRowWithPayload): SnapshotRecord {
  return { ...toSummary(row), payload: row.payload };
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS read_model_snapshots (
    format TEXT NOT NULL,
    position INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (format, position)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS read_model_snapshot_parts (
    format TEXT NOT NULL,
    projection TEXT NOT NULL,
    part_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (format, projection, part_key, position)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS read_model_time_samples (
    format TEXT NOT NULL,
    position INTEGER NOT NULL,
    time REAL NOT NULL,
    PRIMARY KEY (format, position)
  ) WITHOUT ROWID;
`;

/**
 * Snapshots in their own SQLite file beside the event store (`pledges.snapshots.db` next to
 * `pledges.db`). The file is a cache: `synchronous=NORMAL` is enough (a snapshot lost in a crash is
 * rebuilt from the log), and deleting the file is always safe. `readonly` opens it for the replay
 * check's worker, which only reads.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly statements;
  private readonly saveTransaction;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {
    this.statements = {
      insert: db.prepare<[string, number, number, string, Buffer]>(
        `INSERT OR REPLACE INTO read_model_snapshots (format, position, event_count, created_at, payload)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      insertPart: db.prepare<[string, string, string, number, Buffer]>(
        `INSERT OR REPLACE INTO read_model_snapshot_parts (format, projection, part_key, position, payload)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      insertSample: db.prepare<[string, number, number]>(
        'INSERT OR REPLACE INTO read_model_time_samples (format, position, time) VALUES (?, ?, ?)',
      ),
      latest: db.prepare<[string], SnapshotRowWithPayload>(
        `SELECT ${SUMMARY_COLUMNS}, payload FROM read_model_snapshots WHERE format = ? ORDER BY position DESC LIMIT 1`,
      ),
      latestAtOrBefore: db.prepare<[string, number], SnapshotRowWithPayload>(
        `SELECT ${SUMMARY_COLUMNS}, payload FROM read_model_snapshots WHERE format = ? AND position <= ? ORDER BY position DESC LIMIT 1`,
      ),
      list: db.prepare<[string], SnapshotRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM read_model_snapshots WHERE format = ? ORDER BY position`,
      ),
      load: db.prepare<[string, number], SnapshotRowWithPayload>(
        `SELECT ${SUMMARY_COLUMNS}, payload FROM read_model_snapshots WHERE format = ? AND position = ?`,
      ),
      loadPart: db
        .prepare<[string, string, string, number], Buffer>(
          `SELECT payload FROM read_model_snapshot_parts
           WHERE format = ? AND projection = ? AND part_key = ? AND position = ?`,
        )
        .pluck(),
      samples: db
        .prepare<[string, number], [number, number]>(
          'SELECT position, time FROM read_model_time_samples WHERE format = ? AND position <= ? ORDER BY position',
        )
        .raw(),
    };
    this.saveTransaction = db.transaction(
      (snapshot: SnapshotRecord, parts: readonly SnapshotPart[], samples: TimeSamples) => {
        for (const part of parts) {
          this.statements.insertPart.run(
            snapshot.format,
            part.projection,
            part.key,
            part.position,
            part.payload,
          );
        }
        samples.positions.forEach((position, index) => {
          this.statements.insertSample.run(snapshot.format, position, samples.times[index] ?? 0);
        });
        this.statements.insert.run(
          snapshot.format,
          snapshot.position,
          snapshot.eventCount,
          snapshot.createdAt,
          snapshot.payload,
        );
      },
    );
  }

  static open(
    filePath: string,
    options: { readonly readonly?: boolean } = {},
  ): SqliteSnapshotStore {
    const readonly = options.readonly === true;
    if (!readonly) mkdirSync(dirname(resolve(filePath)), { recursive: true });
    const db = new Database(filePath, {
      timeout: 5000,
      ...(readonly && { readonly: true, fileMustExist: true }),
    });
    try {
      if (!readonly) {
        if (filePath !== ':memory:') db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.exec(SCHEMA);
      }
      return new SqliteSnapshotStore(db, filePath);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  save(snapshot: SnapshotRecord, parts: readonly SnapshotPart[], samples: TimeSamples): void {
    this.saveTransaction.immediate(snapshot, parts, samples);
  }

  latest(format: string, atOrBefore?: GlobalPosition): SnapshotRecord | undefined {
    const row =
      atOrBefore === undefined
        ? this.statements.latest.get(format)
        : this.statements.latestAtOrBefore.get(format, atOrBefore);
    return row === undefined ? undefined : toRecord(row);
  }

  list(format: string): SnapshotSummary[] {
    return this.statements.list.all(format).map(toSummary);
  }

  load(format: string, position: GlobalPosition): SnapshotRecord | undefined {
    const row = this.statements.load.get(format, position);
    return row === undefined ? undefined : toRecord(row);
  }

  loadPart(format: string, projection: string, key: string, position: number): Buffer | undefined {
    return this.statements.loadPart.get(format, projection, key, position);
  }

  timeSamples(format: string, upToPosition: GlobalPosition): TimeSamples {
    const rows = this.statements.samples.all(format, upToPosition);
    return { positions: rows.map((row) => row[0]), times: rows.map((row) => row[1]) };
  }

  clear(format: string): void {
    this.db.transaction(() => {
      for (const table of [
        'read_model_snapshots',
        'read_model_snapshot_parts',
        'read_model_time_samples',
      ]) {
        this.db.prepare(`DELETE FROM ${table} WHERE format = ?`).run(format);
      }
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** `./data/pledges.db` → `./data/pledges.snapshots.db`. */
export function snapshotFileFor(eventStoreFile: string): string {
  return eventStoreFile.endsWith('.db')
    ? `${eventStoreFile.slice(0, -3)}.snapshots.db`
    : `${eventStoreFile}.snapshots.db`;
}
