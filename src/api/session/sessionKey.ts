/**
 * The session key: 32 bytes, read from PLEDGES_SESSION_KEY_FILE (raw, or as base64, base64url or
 * hex text). In development and test, without a file, one is made beside the SQLite store as
 * `session.key` (mode 0600) so sessions survive a restart; with no file to keep it in (a `:memory:`
 * store, EventStoreDB) a fresh key serves this run only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../../config/config';
import { writeFileAtomically } from '../../files/writeFileAtomically';
import { SESSION_KEY_BYTES } from './seal';

export const SESSION_KEY_FILE_NAME = 'session.key';

export class SessionKeyError extends Error {
  override readonly name = 'SessionKeyError';
  constructor(
    message: string,
    /** The file does not exist (a development run then makes one). */
    readonly missing = false,
  ) {
    super(message);
  }
}

/** Where a development run keeps its session key: beside the SQLite file; none for `:memory:`. */
export function developmentSessionKeyFile(
  config: Pick<Config, 'EVENT_STORE' | 'PLEDGES_DB_FILE'>,
): string | undefined {
  if (config.EVENT_STORE !== 'sqlite' || config.PLEDGES_DB_FILE === ':memory:') return undefined;
  return join(dirname(resolve(config.PLEDGES_DB_FILE)), SESSION_KEY_FILE_NAME);
}

export interface LoadedSessionKey {
  readonly key: Buffer;
  /** Where the key is kept; absent when it serves this run only. */
  readonly file?: string;
  readonly created: boolean;
}

/** Reads the configured key; in development and test, makes one when none is configured. */
export function loadSessionKey(
  config: Pick<Config, 'NODE_ENV' | 'EVENT_STORE' | 'PLEDGES_DB_FILE' | 'PLEDGES_SESSION_KEY_FILE'>,
): LoadedSessionKey {
  if (config.PLEDGES_SESSION_KEY_FILE !== undefined) {
    return {
      key: readSessionKey(config.PLEDGES_SESSION_KEY_FILE),
      file: config.PLEDGES_SESSION_KEY_FILE,
      created: false,
    };
  }
  if (config.NODE_ENV === 'production') {
    // No browser sign-in configured (config.ts refuses OIDC without a key file): nothing is sealed
    // for long, and a restart signing nobody out is moot.
    return { key: randomBytes(SESSION_KEY_BYTES), created: false };
  }
  const file = developmentSessionKeyFile(config);
  if (file === undefined) return { key: randomBytes(SESSION_KEY_BYTES), created: false };
  try {
    return { key: readSessionKey(file), file, created: false };
  } catch (error) {
    if (!(error instanceof SessionKeyError) || !error.missing) throw error;
  }
  const key = randomBytes(SESSION_KEY_BYTES);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomically(file, `${key.toString('base64url')}\n`);
  return { key, file, created: true };
}

/** The 32 bytes a key file holds, raw or as text; a file others may write is refused. */
export function readSessionKey(file: string): Buffer {
  let bytes: Buffer;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o022) !== 0) {
      throw new SessionKeyError(
        `Refusing the session key file ${file}: other users may write it (chmod 600 it)`,
      );
    }
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof SessionKeyError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SessionKeyError(`The session key file ${file} does not exist`, true);
    }
    throw new SessionKeyError(`Cannot read the session key file ${file}`);
  }
  if (bytes.length === SESSION_KEY_BYTES) return bytes;
  const text = bytes.toString('utf8').trim();
  const candidates = [
    /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : undefined,
    /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined,
  ];
  const key = candidates.find((candidate) => candidate?.length === SESSION_KEY_BYTES);
  if (key === undefined) {
    throw new SessionKeyError(
      `The session key file ${file} must hold ${SESSION_KEY_BYTES} random bytes (raw, base64 or hex), e.g. from \`openssl rand -base64 32\``,
    );
  }
  return key;
}
