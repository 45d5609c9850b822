/**
 * The driver's errors as the port's: shared by the store's own connection and its writer, which
 * may run in another thread.
 */
import { StoreUnavailableError, type StoreFailureKind } from '../port';

/**
 * A driver error that says the store itself failed, as the port's `StoreUnavailableError`
 * (naming the file and the operation); undefined for any other error. Extended codes count with
 * their primary one (SQLITE_IOERR_WRITE is an I/O error, SQLITE_BUSY_SNAPSHOT a busy store).
 */
export function toStoreFailure(
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
export function sqliteErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (name !== 'SqliteError') return undefined;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown, columns: string): boolean {
  const code = sqliteErrorCode(error);
  return (
    (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') &&
    String((error as { message?: unknown }).message).includes(columns)
  );
}
