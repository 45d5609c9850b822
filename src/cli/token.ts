import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../api/auth';
import {
  checkTokenEntries,
  loadTokenFile,
  tokenEntrySchema,
  TokenFileError,
  writeTokenFile,
  type TokenEntry,
} from '../api/tokenFile';
import { canonicalParticipantCode } from '../domain/reference';

/**
 * `npm run token -- --file tokens.json --name de-ministry --role member_state --member-state DE`
 * adds a principal with a new random token, printed once and kept only as its SHA-256;
 * `npm run token -- --file tokens.json --revoke de-ministry` removes one. A running server applies
 * either within a second, without a restart.
 */

const USAGE = [
  'Usage:',
  '  npm run token -- --file <tokens.json> --name <name> --role commission|auditor',
  '  npm run token -- --file <tokens.json> --name <name> --role member_state --member-state <code>',
  '  npm run token -- --file <tokens.json> --revoke <name>',
  '--file defaults to PLEDGES_TOKENS_FILE.',
].join('\n');

/** A refusal of the command: one line for the operator, nothing written. */
export class TokenCommandError extends Error {
  override readonly name = 'TokenCommandError';
}

export interface NewPrincipal {
  readonly name: string;
  readonly role: string;
  readonly memberState?: string;
}

export interface AddedToken {
  /** The bearer token: shown once, stored nowhere. */
  readonly token: string;
  readonly entry: TokenEntry;
}

/** 32 random bytes, base64url: 256 bits, safe in a header and on a command line. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function readEntries(file: string): TokenEntry[] {
  return existsSync(file) ? [...loadTokenFile(file).entries] : [];
}

/** Adds a principal with a new token to the file (created with mode 0600 if absent). */
export function addToken(file: string, principal: NewPrincipal): AddedToken {
  const entries = readEntries(file);
  if (entries.some((entry) => entry.name === principal.name)) {
    throw new TokenCommandError(
      `${file} already has a token named ${principal.name}; revoke it first to replace it`,
    );
  }
  let memberState: string | undefined;
  if (principal.memberState !== undefined) {
    memberState = canonicalParticipantCode(principal.memberState);
    if (memberState === undefined) {
      throw new TokenCommandError(
        `${principal.memberState} is not a Member State or associated state`,
      );
    }
  }
  const token = generateToken();
  const candidate = {
    name: principal.name,
    role: principal.role,
    ...(memberState !== undefined && { memberState }),
    sha256: sha256Hex(token),
  };
  const parsed = tokenEntrySchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.');
    throw new TokenCommandError(
      `${field === undefined || field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid'}`,
    );
  }
  const next = [...entries, parsed.data];
  // The same checks the server makes, so nothing is written that it would refuse.
  checkTokenEntries(file, { tokens: next });
  writeTokenFile(file, next);
  return { token, entry: parsed.data };
}

/** Removes a principal from the file; its token stops working once the server reloads it. */
export function revokeToken(file: string, name: string): TokenEntry {
  if (!existsSync(file)) throw new TokenCommandError(`There is no token file ${file}`);
  const entries = loadTokenFile(file).entries;
  const revoked = entries.find((entry) => entry.name === name);
  if (revoked === undefined) throw new TokenCommandError(`${file} has no token named ${name}`);
  const rest = entries.filter((entry) => entry !== revoked);
  if (rest.length === 0) {
    // An empty file is refused by the server, which would then keep the token in force.
    throw new TokenCommandError(
      `${name} is the last token in ${file}; the server refuses an empty token file, so add another first (or stop the server)`,
    );
  }
  writeTokenFile(file, rest);
  return revoked;
}

export interface CommandOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const describe = (entry: Pick<TokenEntry, 'name' | 'role' | 'memberState'>): string =>
  `${entry.name} (${entry.role}${entry.memberState === undefined ? '' : ` ${entry.memberState}`})`;

/** Runs the command line; returns the exit code. The token alone goes to stdout, for scripts. */
export function runTokenCommand(
  argv: readonly string[],
  environment: NodeJS.ProcessEnv,
  output: CommandOutput,
): number {
  let values: ReturnType<typeof parseOptions>['values'];
  try {
    values = parseOptions(argv).values;
  } catch (error) {
    output.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    output.stdout(`${USAGE}\n`);
    return 0;
  }
  const file = values.file ?? environment['PLEDGES_TOKENS_FILE'];
  if (file === undefined || file === '') {
    output.stderr(`Name the token file with --file (or PLEDGES_TOKENS_FILE)\n${USAGE}\n`);
    return 2;
  }
  try {
    if (values.revoke !== undefined) {
      if (values.name !== undefined || values.role !== undefined) {
        throw new TokenCommandError('--revoke takes only --file beside it');
      }
      const revoked = revokeToken(file, values.revoke);
      output.stderr(
        `Revoked ${describe(revoked)} in ${file}; a running server refuses its token within a second.\n`,
      );
      return 0;
    }
    if (values.name === undefined || values.role === undefined) {
      output.stderr(`Give --name and --role (or --revoke <name>)\n${USAGE}\n`);
      return 2;
    }
    const { token, entry } = addToken(file, {
      name: values.name,
      role: values.role,
      ...(values['member-state'] !== undefined && { memberState: values['member-state'] }),
    });
    output.stdout(`${token}\n`);
    output.stderr(
      `Added ${describe(entry)} to ${file}. The token above is shown only this once and is stored nowhere (the file keeps its SHA-256): hand it over securely.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof TokenCommandError || error instanceof TokenFileError) {
      output.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      file: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'member-state': { type: 'string' },
      revoke: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

if (require.main === module) {
  try {
    process.exitCode = runTokenCommand(process.argv.slice(2), process.env, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
  } catch (error) {
    process.stderr.write(
      `The token command failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
