import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_DB_FILE } from '../config/config';

/**
 * `npm run backup -- <destination file> [--from <store file>]`: a consistent copy of the SQLite
 * event store (by default `PLEDGES_DB_FILE`), taken while the server keeps writing, then checked
 * and described. Restoring is starting a tracker on the copy (`PLEDGES_DB_FILE=<copy>`).
 */

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

export interface BackupReport {
  readonly source: string;
  readonly destination: string;
  /** The copy's last event: the copy holds exactly the log up to here. */
  readonly headPosition: number;
  readonly events: number;
  readonly integrity: 'ok';
}

/** Pages per backup step: all of them, so one step copies one snapshot (see below). */
const ALL_PAGES = 0x7fffffff;
const BUSY_TIMEOUT_MS = 5000;

/**
 * Copies the store with SQLite's online backup API. The copy is made in a single step, which
 * holds one read transaction: in WAL mode that is a snapshot the server's writes do not disturb
 * and are not blocked by. (Copying in several steps would restart from scratch after every write
 * from another connection, and might never finish on a busy server.) The destination is claimed
 * with an exclusive create (mode 0600: pledges not yet adopted are confidential), so an existing
 * file is never overwritten, and the copy is checked with `PRAGMA integrity_check`.
 */
export async function backupSqliteStore(
  source: string,
  destination: string,
): Promise<BackupReport> {
  if (source === ':memory:' || !existsSync(source)) {
    throw new BackupError(`No SQLite store at ${source}`);
  }
  if (resolve(source) === resolve(destination)) {
    throw new BackupError('The destination is the store itself');
  }
  try {
    closeSync(openSync(destination, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new BackupError(`${destination} already exists; refusing to overwrite it`);
    }
    if (code === 'ENOENT') throw new BackupError(`The folder of ${destination} does not exist`);
    throw error;
  }
  try {
    // A normal connection, not a read-only one: it never writes, but as the last connection to
    // close it tidies the -wal and -shm files away instead of leaving them owned by its user.
    const store = new Database(source, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      await store.backup(destination, { progress: () => ALL_PAGES });
    } finally {
      store.close();
    }
  } catch (error) {
    removeDatabaseFiles(destination);
    throw error;
  }
  return verifyCopy(source, destination);
}

function verifyCopy(source: string, destination: string): BackupReport {
  const copy = new Database(destination, { fileMustExist: true });
  try {
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') {
      throw new BackupError(
        `The copy at ${destination} fails its integrity check (${String(integrity)}); it is kept for inspection, do not restore it`,
      );
    }
    const hasEvents = copy
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'")
      .get();
    if (hasEvents === undefined) {
      copy.close();
      removeDatabaseFiles(destination);
      throw new BackupError(`${source} is not an event store (it has no events table)`);
    }
    const { events, headPosition } = copy
      .prepare<[], { events: number; headPosition: number }>(
        'SELECT COUNT(*) AS events, COALESCE(MAX(global_position), 0) AS headPosition FROM events',
      )
      .get() ?? { events: 0, headPosition: 0 };
    return { source, destination, headPosition, events, integrity: 'ok' };
  } finally {
    if (copy.open) copy.close();
  }
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(`${path}${suffix}`, { force: true });
}

const USAGE = 'Usage: npm run backup -- <destination file> [--from <store file>]';

/** The command line: destination first; the store is `--from`, else PLEDGES_DB_FILE. */
export function parseBackupArguments(
  argv: readonly string[],
  environment: NodeJS.ProcessEnv,
): { source: string; destination: string } {
  const rest = [...argv];
  let source = environment['PLEDGES_DB_FILE'] ?? DEFAULT_DB_FILE;
  const from = rest.indexOf('--from');
  if (from !== -1) {
    const named = rest[from + 1];
    if (named === undefined) throw new BackupError(USAGE);
    source = named;
    rest.splice(from, 2);
  }
  const [destination, ...extra] = rest;
  if (destination === undefined || destination.startsWith('-') || extra.length > 0) {
    throw new BackupError(USAGE);
  }
  if (environment['EVENT_STORE'] === 'eventstoredb' && from === -1) {
    throw new BackupError(
      'EVENT_STORE=eventstoredb: back up EventStoreDB with its own tools; this command copies an SQLite store',
    );
  }
  return { source, destination };
}

if (require.main === module) {
  (async () => {
    const { source, destination } = parseBackupArguments(process.argv.slice(2), process.env);
    const report = await backupSqliteStore(source, destination);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  })().catch((error: unknown) => {
    process.stderr.write(
      `Backup failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
