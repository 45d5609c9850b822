import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../domain/shared/messages';
import { canonicalParticipantCode } from '../domain/reference';
import { TokenFileWatcher, type TokenEntry, type TokenFileWatcherOptions } from './tokenFile';

export { TokenFileError, type TokenEntry } from './tokenFile';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * The principals by the hex SHA-256 of their token. The first entry of a hash wins, as the scan
 * over the entries did before.
 */
function toPrincipals(entries: readonly TokenEntry[]): ReadonlyMap<string, Actor> {
  const byHash = new Map<string, Actor>();
  for (const entry of entries) {
    const memberState =
      entry.memberState === undefined ? undefined : canonicalParticipantCode(entry.memberState);
    if (entry.memberState !== undefined && memberState === undefined) {
      throw new Error(
        `Token ${entry.name}: ${entry.memberState} is not a Member State or associated state`,
      );
    }
    const hash = entry.sha256.toLowerCase();
    if (byHash.has(hash)) continue;
    byHash.set(hash, {
      id: entry.name,
      role: entry.role,
      ...(memberState !== undefined && { memberState }),
    });
  }
  return byHash;
}

/**
 * Principals known by the SHA-256 of their bearer token. The token itself is never stored, nor
 * kept after the request: a presented token is hashed and its hash looked up. The lookup is by
 * hash, not by token, so its timing can tell at most how a hash the caller cannot choose compares
 * with the stored ones, which gives nothing towards a token (the preimage resistance of SHA-256);
 * it costs one hash and one map lookup whatever the number of principals.
 */
export class TokenRegistry {
  private principals: ReadonlyMap<string, Actor>;
  private watcher: TokenFileWatcher | undefined;

  constructor(entries: readonly TokenEntry[]) {
    this.principals = toPrincipals(entries);
  }

  /**
   * The principals of a token file (checked as `loadTokenFile` does; a `TokenFileError` says what
   * is wrong), kept in step with the file: tokens added or removed there apply within a second.
   */
  static fromFile(path: string, options: TokenFileWatcherOptions = {}): TokenRegistry {
    const watcher = new TokenFileWatcher(path, options);
    const registry = new TokenRegistry(watcher.initialEntries);
    registry.watcher = watcher;
    return registry;
  }

  authenticate(token: string): Actor | undefined {
    const reloaded = this.watcher?.poll();
    if (reloaded !== undefined) this.principals = toPrincipals(reloaded);
    return this.principals.get(sha256Hex(token));
  }
}

export interface DemoToken {
  readonly name: string;
  readonly role: Actor['role'];
  readonly memberState?: string;
  readonly token: string;
}

/**
 * Fresh random tokens for a development run: a few Member States, the Commission, an auditor, and
 * an operator (for /metrics and the details of /ready).
 */
export function createDemoTokens(memberStates: readonly string[]): DemoToken[] {
  const token = () => randomBytes(24).toString('base64url');
  return [
    { name: 'dg-home', role: 'commission', token: token() },
    { name: 'eca-auditor', role: 'auditor', token: token() },
    { name: 'ops', role: 'operator', token: token() },
    ...memberStates.map((memberState) => ({
      name: `${memberState.toLowerCase()}-ministry`,
      role: 'member_state' as const,
      memberState,
      token: token(),
    })),
  ];
}

export function registryFromDemoTokens(tokens: readonly DemoToken[]): TokenRegistry {
  return new TokenRegistry(
    tokens.map(({ name, role, memberState, token }) => ({
      name,
      role,
      ...(memberState !== undefined && { memberState }),
      sha256: sha256Hex(token),
    })),
  );
}
