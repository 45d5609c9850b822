import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../domain/shared/messages';
import { canonicalParticipantCode } from '../domain/reference';
import { TokenFileWatcher, type TokenEntry, type TokenFileWatcherOptions } from './tokenFile';

export { TokenFileError, type TokenEntry } from './tokenFile';

interface StoredPrincipal {
  readonly hash: Buffer;
  readonly actor: Actor;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function toPrincipals(entries: readonly TokenEntry[]): StoredPrincipal[] {
  return entries.map((entry) => {
    const memberState =
      entry.memberState === undefined ? undefined : canonicalParticipantCode(entry.memberState);
    if (entry.memberState !== undefined && memberState === undefined) {
      throw new Error(
        `Token ${entry.name}: ${entry.memberState} is not a Member State or associated state`,
      );
    }
    return {
      hash: Buffer.from(entry.sha256.toLowerCase(), 'hex'),
      actor: {
        id: entry.name,
        role: entry.role,
        ...(memberState !== undefined && { memberState }),
      },
    };
  });
}

/**
 * Principals known by the SHA-256 of their bearer token. The token itself is never stored; the
 * comparison runs over every entry in constant time, so timing tells nothing about which matched.
 */
export class TokenRegistry {
  private principals: readonly StoredPrincipal[];
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
    const presented = createHash('sha256').update(token, 'utf8').digest();
    let found: Actor | undefined;
    for (const principal of this.principals) {
      if (timingSafeEqual(principal.hash, presented) && found === undefined)
        found = principal.actor;
    }
    return found;
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
