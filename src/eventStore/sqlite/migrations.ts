import type Database from 'better-sqlite3';
import { extendAuditTree } from './sqliteAuditTree';

export interface Migration {
  /** 1, 2, 3, … in the order they are applied; never renumber or edit an applied one. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** Work SQL alone cannot do (e.g. hashing), run after `sql` in the same transaction. */
  readonly run?: (db: Database.Database) => void;
}

export interface AppliedMigration {
  readonly version: number;
  readonly appliedAt: string;
}

/** The schema, as an append-only list: add a migration, never change one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create events',
    // UNIQUE(stream_id, stream_version) is also the index behind the stream-version lookup.
    sql: `
      CREATE TABLE events (
        global_position INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        stream_version INTEGER NOT NULL CHECK (stream_version > 0),
        type TEXT NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        metadata TEXT NOT NULL CHECK (json_valid(metadata)),
        UNIQUE (stream_id, stream_version)
      );
    `,
  },
  {
    version: 2,
    name: 'create idempotency_keys',
    sql: `
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        stream_id TEXT NOT NULL,
        next_expected_version INTEGER NOT NULL,
        last_position INTEGER NOT NULL REFERENCES events (global_position),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
    `,
  },
  {
    version: 3,
    name: 'create the audit log tree',
    // Every stored node of the tree, numbered in post-order (see sqliteAuditTree.ts): leaf i is
    // the event of rank i and keeps its position; interior nodes (complete subtrees) have none.
    sql: `
      CREATE TABLE audit_tree (
        node INTEGER PRIMARY KEY CHECK (node >= 0),
        hash BLOB NOT NULL CHECK (length(hash) = 32),
        global_position INTEGER
      );
    `,
    // A store written by an earlier release: its events become the tree's first leaves, in the
    // migration's transaction, so the tree exists for every event or for none.
    run: (db) => extendAuditTree(db),
  },
];

/**
 * Applies the migrations the database lacks, in order, in one IMMEDIATE transaction, so two
 * processes opening the same new file cannot both migrate it. Returns the versions applied now.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  assertNumberedInOrder(migrations);
  const run = db.transaction((): number[] => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        applied_at TEXT NOT NULL
      );
    `);
    const current = db
      .prepare<[], number | null>('SELECT MAX(version) FROM schema_migrations')
      .pluck()
      .get();
    const currentVersion = current ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (currentVersion > latest) {
      throw new Error(
        `Database schema version ${currentVersion} is newer than this code knows (${latest}); refusing to open it`,
      );
    }
    const record = db.prepare<[number]>(
      "INSERT INTO schema_migrations (version, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    );
    const pending = migrations.filter((migration) => migration.version > currentVersion);
    for (const migration of pending) {
      db.exec(migration.sql);
      migration.run?.(db);
      record.run(migration.version);
    }
    return pending.map((migration) => migration.version);
  });
  return run.immediate();
}

export function readAppliedMigrations(db: Database.Database): AppliedMigration[] {
  return db
    .prepare<[], AppliedMigration>(
      'SELECT version, applied_at AS appliedAt FROM schema_migrations ORDER BY version',
    )
    .all();
}

function assertNumberedInOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration "${migration.name}" is numbered ${migration.version}, expected ${index + 1}`,
      );
    }
  });
}
