/**
 * The token file (`PLEDGES_TOKENS_FILE`): read, checked and written. It holds SHA-256 hashes of
 * bearer tokens, never the tokens; still, every message about it names the file, a line and
 * column, an entry's index and name, or a field, and never quotes what the file holds.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ROLES } from '../domain/shared/messages';
import { canonicalParticipantCode } from '../domain/reference';
import { findJsonSyntaxProblem } from '../config/jsonSyntax';
import { DEMO_ACTOR_PREFIX } from '../demo/illustrativePlan';
import type { Logger } from './app';
import { writeFileAtomically } from '../files/writeFileAtomically';

/** The illustrative plan's actors: a real token may not take such a name (see `src/demo`). */
const RESERVED_NAME_PREFIX = DEMO_ACTOR_PREFIX;

export const TOKEN_FIELDS = ['name', 'role', 'memberState', 'sha256'] as const;

const tokenNameSchema = z.string().min(1).max(100);

export const tokenEntrySchema = z
  .strictObject({
    name: tokenNameSchema,
    role: z.enum(ROLES),
    memberState: z.string().min(2).max(2).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'the SHA-256 of the token, as 64 hex digits'),
  })
  .refine((entry) => (entry.role === 'member_state') === (entry.memberState !== undefined), {
    message: 'memberState is required for, and only for, role member_state',
  });

const tokenFileSchema = z.strictObject({ tokens: z.array(tokenEntrySchema).min(1) });

export type TokenEntry = z.infer<typeof tokenEntrySchema>;

/** A token file that cannot be used; the message is one line and quotes nothing from the file. */
export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
}

export interface LoadedTokenFile {
  readonly entries: readonly TokenEntry[];
  /** Changes whenever the file is replaced, rewritten or re-permissioned. */
  readonly signature: string;
  /** Accepted but worth an operator's attention (e.g. group-writable). */
  readonly warnings: readonly string[];
}

const isPosix = process.platform !== 'win32';

interface FileState {
  /** What identifies one version of the file without reading it; changes with any rewrite, replacement or chmod. */
  readonly signature: string;
  readonly mode: number;
}

function fileState(path: string): FileState {
  const stat = statSync(path, { bigint: true });
  return {
    signature: [stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs, stat.mode].join(':'),
    mode: Number(stat.mode),
  };
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.name : 'unknown error');
}

/** Reads and checks the token file; throws `TokenFileError` naming what is wrong and where. */
export function loadTokenFile(path: string): LoadedTokenFile {
  let state: FileState;
  let text: string;
  try {
    state = fileState(path);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TokenFileError(`Cannot read the token file ${path} (${errorCode(error)})`);
  }
  const warnings: string[] = [];
  const { signature, mode } = state;
  if (isPosix) {
    const permissions = (mode & 0o777).toString(8).padStart(3, '0');
    if ((mode & 0o002) !== 0) {
      throw new TokenFileError(
        `Refusing the token file ${path}: every user may write it (mode ${permissions}); run chmod 600 on it`,
      );
    }
    if ((mode & 0o020) !== 0) {
      warnings.push(
        `The token file ${path} is writable by its group (mode ${permissions}): whoever is in that group can grant themselves access; consider chmod 600`,
      );
    }
  }
  // An editor's byte-order mark is no reason to refuse the file.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    // JSON.parse's own message quotes the text around the error: describe it instead.
    const problem = findJsonSyntaxProblem(json);
    throw new TokenFileError(
      problem === undefined
        ? `Invalid token file ${path}: not valid JSON`
        : `Invalid token file ${path}: not valid JSON at line ${problem.line}, column ${problem.column}: ${problem.problem}`,
    );
  }
  return { entries: checkTokenEntries(path, raw), signature, warnings };
}

/** `entry 2 ("de-ministry")`: where in the file, by index and the entry's own name. */
function describeEntry(raw: unknown, index: number): string {
  const tokens = (raw as { tokens?: unknown } | null)?.tokens;
  const entry: unknown = Array.isArray(tokens) ? tokens[index] : undefined;
  const name = (entry as { name?: unknown } | null)?.name;
  const validName = tokenNameSchema.safeParse(name);
  return validName.success ? `entry ${index} ("${validName.data}")` : `entry ${index}`;
}

function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const [top, index, field] = issue.path;
  let where: string;
  if (top === 'tokens' && typeof index === 'number') {
    where =
      field === undefined
        ? describeEntry(raw, index)
        : `${describeEntry(raw, index)}, field ${String(field)}`;
  } else {
    where = issue.path.length === 0 ? 'the file' : `field ${issue.path.map(String).join('.')}`;
  }
  // zod's messages name types, options and bounds, never the value; but an unknown key is the
  // file's own text, so it is not repeated.
  const message =
    issue.code === 'unrecognized_keys'
      ? `an unknown field (allowed: ${issue.path.length === 0 ? 'tokens' : TOKEN_FIELDS.join(', ')}; the token itself never belongs in the file)`
      : issue.message;
  return `${where}: ${message}`;
}

/**
 * Checks the parsed file: its shape, each Member State code, reserved names, and that no two
 * entries share a name (the actor recorded in events) or a hash (one token, two identities).
 */
export function checkTokenEntries(path: string, raw: unknown): TokenEntry[] {
  const parsed = tokenFileSchema.safeParse(raw);
  if (!parsed.success) {
    const [first, ...others] = parsed.error.issues;
    const more = others.length === 0 ? '' : ` (and ${others.length} more)`;
    throw new TokenFileError(
      `Invalid token file ${path}: ${first === undefined ? 'invalid' : describeIssue(raw, first)}${more}`,
    );
  }
  const entries = parsed.data.tokens;
  const invalid = (index: number, problem: string): TokenFileError =>
    new TokenFileError(`Invalid token file ${path}: ${describeEntry(raw, index)}: ${problem}`);
  const indexByName = new Map<string, number>();
  const indexByHash = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (
      entry.memberState !== undefined &&
      canonicalParticipantCode(entry.memberState) === undefined
    ) {
      throw invalid(
        index,
        `field memberState: ${entry.memberState.toUpperCase()} is not a Member State or associated state`,
      );
    }
    if (entry.name.startsWith(RESERVED_NAME_PREFIX)) {
      throw invalid(index, `names beginning ${RESERVED_NAME_PREFIX} belong to the demo data`);
    }
    const sameName = indexByName.get(entry.name);
    if (sameName !== undefined) {
      throw invalid(index, `the same name as entry ${sameName}; every name must be different`);
    }
    indexByName.set(entry.name, index);
    const hash = entry.sha256.toLowerCase();
    const sameHash = indexByHash.get(hash);
    if (sameHash !== undefined) {
      throw invalid(
        index,
        `the same sha256 as ${describeEntry(raw, sameHash)}; every token must be different`,
      );
    }
    indexByHash.set(hash, index);
  });
  return entries;
}

/** Writes the token file whole, as `writeFileAtomically` does. */
export function writeTokenFile(path: string, entries: readonly TokenEntry[]): void {
  writeFileAtomically(path, `${JSON.stringify({ tokens: entries }, null, 2)}\n`);
}

export interface TokenFileWatcherOptions {
  readonly log?: Logger;
  /** How often at most the file is looked at again. Default 1000 ms. */
  readonly checkIntervalMs?: number;
  /** Epoch milliseconds; injected so tests move time by hand. */
  readonly now?: () => number;
}

export const TOKEN_FILE_CHECK_INTERVAL_MS = 1000;

/**
 * Follows the token file so tokens can be added and revoked without a restart. It is looked at
 * lazily, from `poll()` (called on authentication), at most once per interval, and only a `stat`
 * unless the file changed: no watcher to leak, and it works on every filesystem, bind mounts
 * included. A change that does not pass the checks is logged (never with the file's contents)
 * and ignored until the file changes again; the last good tokens stay in force meanwhile.
 */
export class TokenFileWatcher {
  private seenSignature: string;
  private lastCheck: number;
  private readonly log: Logger;
  private readonly checkIntervalMs: number;
  private readonly now: () => number;
  readonly initialEntries: readonly TokenEntry[];

  constructor(
    readonly path: string,
    options: TokenFileWatcherOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
    this.checkIntervalMs = options.checkIntervalMs ?? TOKEN_FILE_CHECK_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    const loaded = loadTokenFile(path);
    this.warn(loaded.warnings);
    this.initialEntries = loaded.entries;
    this.seenSignature = loaded.signature;
    this.lastCheck = this.now();
  }

  /** The file's entries if it changed since the last look and passes the checks; else undefined. */
  poll(): readonly TokenEntry[] | undefined {
    const now = this.now();
    if (now - this.lastCheck < this.checkIntervalMs) return undefined;
    this.lastCheck = now;
    let signature: string;
    try {
      signature = fileState(this.path).signature;
    } catch (error) {
      signature = `unreadable:${errorCode(error)}`;
    }
    if (signature === this.seenSignature) return undefined;
    this.seenSignature = signature;
    try {
      const loaded = loadTokenFile(this.path);
      // The file may have changed again between the stat and the read: remember what was read.
      this.seenSignature = loaded.signature;
      this.warn(loaded.warnings);
      this.log({
        level: 'info',
        msg: 'token file reloaded',
        file: this.path,
        tokens: loaded.entries.length,
      });
      return loaded.entries;
    } catch (error) {
      this.log({
        level: 'error',
        msg: 'token file changed but cannot be used; the previous tokens stay in force',
        file: this.path,
        error: error instanceof TokenFileError ? error.message : errorCode(error),
      });
      return undefined;
    }
  }

  private warn(warnings: readonly string[]): void {
    for (const warning of warnings) this.log({ level: 'warn', msg: warning, file: this.path });
  }
}
