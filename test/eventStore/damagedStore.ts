import { closeSync, copyFileSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Real damage to real SQLite files, for the tests of what the store does about it: a copy of the
 * release-1 fixture store (16 events, all in the main file: no WAL beside it) with bytes of a page
 * overwritten, as a failing disk or a stray write would leave it.
 */

const FIXTURE = join(__dirname, '..', 'fixtures', 'store-v1.db');
const GARBAGE = 0x5a;

/** A copy of the fixture store at `filePath`. */
export function copyOfRealStore(filePath: string): string {
  copyFileSync(FIXTURE, filePath);
  return filePath;
}

/** The first page of a table's or index's b-tree, and the file's page size. */
export function pageOf(filePath: string, name: string): { page: number; pageSize: number } {
  const db = new Database(filePath, { readonly: true });
  try {
    const page = db
      .prepare<[string], number>('SELECT rootpage FROM sqlite_master WHERE name = ?')
      .pluck()
      .get(name);
    if (page === undefined) throw new Error(`${filePath} has no ${name}`);
    return { page, pageSize: Number(db.pragma('page_size', { simple: true })) };
  } finally {
    db.close();
  }
}

/** Overwrites `length` bytes at `offset` within page `page` (numbered from 1) with garbage. */
export function writeGarbage(
  filePath: string,
  at: { page: number; pageSize: number },
  offset: number,
  length: number,
): void {
  const descriptor = openSync(filePath, 'r+');
  try {
    writeSync(
      descriptor,
      Buffer.alloc(length, GARBAGE),
      0,
      length,
      (at.page - 1) * at.pageSize + offset,
    );
  } finally {
    closeSync(descriptor);
  }
}

/** The events table's first page, overwritten whole: reads and writes of the log hit it. */
export function wreckEventsTable(filePath: string): void {
  const at = pageOf(filePath, 'events');
  writeGarbage(filePath, at, 0, at.pageSize);
}

/**
 * Commits a change through another connection. A connection in WAL mode keeps the pages it read
 * while no one commits; a commit makes it read the file again, and so find the damage done to it.
 */
export function commitElsewhere(filePath: string): void {
  const db = new Database(filePath);
  try {
    db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true })) + 1}`);
  } finally {
    db.close();
  }
}
