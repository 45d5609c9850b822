import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { GlobalPosition } from '../eventStore/port';
import type { SnapshotRecord, SnapshotStore, SnapshotSummary } from './snapshotStore';

interface SnapshotRow {
  readonly position: number;
  readonly event_count: number;
  readonly format: string;
  readonly digest: string;
  readonly created_at: string;
  readonly payload?: Buffer;
}

const SUMMARY_COLUMNS = 'position, event_count, format, digest, created_at';

function toRecord(row: SnapshotRow & { payload: Buffer }): SnapshotRecord {
  return { ...toSummary(row), payload: row.payload };
}

function toSummary(row: SnapshotRow): SnapshotSummary {
  return {
    position: row.position,
    eventCount: row.event_count,
    format: row.format,
    digest: row.digest,
    createdAt: row.created_at,
  };
}

/**
 * Snapshots in their own SQLite file beside the event store (`pledges.snapshots.db` next to
 * `pledges.db`). The file is a cache: `synchronous=NORMAL` is enough (a snapshot lost in a crash is
 * rebuilt from the log), and deleting the file is always safe. `readonly` opens it for the replay
 * check's worker, which only reads.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly insert;
  private readonly latestStatement;
  private readonly latestAtOrBefore;
  private readonly listStatement;
  private readonly loadStatement;

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {
    this.insert = db.prepare<[number, number, string, string, string, Buffer]>(
      `INSERT OR REPLACE INTO read_model_snapshots (position, event_count, format, digest, created_at, payload)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.latestStatement = db.prepare<[string], SnapshotRow & { payload: Buffer }>(
      `SELECT ${SUMMARY_COLUMNS}, payload FROM read_model_snapshots WHERE format = ? ORDER BY position DESC LIMIT 1`,
    );
    this.latestAtOrBefore = db.prepare<[string, number], SnapshotRow & { payload: Buffer }>(
      `SELECT ${SUMMARY_COLUMNS}, payload FROM read_model_snapshots WHERE format = ? AND position <= ? ORDER BY position DESC LIMIT 1`,
    );
    this.listStatement = db.prepare<[string], SnapshotRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM read_model_snapshots WHERE format = ? ORDER BY position`,
    );
    this.loadStatement = db.prepare<[string, number], SnapshotRow & { payload: Buffer }>(
      `SELECT ${SUMMARY_COLUMNS}, payload FROM read_model_snapshots WHERE format = ? AND position = ?`,
    );
  }

  static open(filePath: string, options: { readonly readonly?: boolean } = {}): SqliteSnapshotStore {
    if (options.readonly !== true) mkdirSync(dirname(resolve(filePath)), { recursive: true });
    const db = new Database(filePath, {
      timeout: 5000,
      ...(options.readonly === true && { readonly: true, fileMustExist: true }),
    });
    try {
      if (options.readonly !== true) {
        if (filePath !== ':memory:') db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.exec(`
          CREATE TABLE IF NOT EXISTS read_model_snapshots (
            format TEXT NOT NULL,
            position INTEGER NOT NULL,
            event_count INTEGER NOT NULL,
            digest TEXT NOT NULL,
            created_at TEXT NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (format, position)
          ) WITHOUT ROWID;
        `);
      }
      return new SqliteSnapshotStore(db, filePath);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  save(snapshot: SnapshotRecord): void {
    this.insert.run(
      snapshot.position,
      snapshot.eventCount,
      snapshot.format,
      snapshot.digest,
      snapshot.createdAt,
      snapshot.payload,
    );
  }

  latest(format: string, atOrBefore?: GlobalPosition): SnapshotRecord | undefined {
    const row =
      atOrBefore === undefined
        ? this.latestStatement.get(format)
        : this.latestAtOrBefore.get(format, atOrBefore);
    return row === undefined ? undefined : toRecord(row);
  }

  list(format: string): SnapshotSummary[] {
    return this.listStatement.all(format).map(toSummary);
  }

  load(format: string, position: GlobalPosition): SnapshotRecord | undefined {
    const row = this.loadStatement.get(format, position);
    return row === undefined ? undefined : toRecord(row);
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
