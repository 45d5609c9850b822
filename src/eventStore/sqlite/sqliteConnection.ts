/** How every connection of the store is set up: the store's own and its writer thread's. */
import Database from 'better-sqlite3';

export function configure(db: Database.Database, inMemory: boolean, busyTimeoutMs: number): void {
  if (!inMemory) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal')
      throw new Error(`SqliteEventStore: could not enable WAL (got ${String(mode)})`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
}

/** `max_page_count` holds for the connection that sets it: every writing connection sets it. */
export function capSize(db: Database.Database, maxSizeBytes: number): void {
  if (!Number.isSafeInteger(maxSizeBytes) || maxSizeBytes <= 0) {
    throw new RangeError(`maxSizeBytes must be a positive integer, got ${String(maxSizeBytes)}`);
  }
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.pragma(`max_page_count = ${Math.max(1, Math.floor(maxSizeBytes / pageSize))}`);
}
