import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ROLES, type Actor } from '../domain/shared/messages';
import { canonicalParticipantCode } from '../domain/reference';

const tokenEntrySchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    role: z.enum(ROLES),
    memberState: z.string().min(2).max(2).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'the SHA-256 of the token, as 64 hex digits'),
  })
  .refine((entry) => (entry.role === 'member_state') === (entry.memberState !== undefined), {
    message: 'memberState is required for, and only for, role member_state',
  });

const tokenFileSchema = z.strictObject({ tokens: z.array(tokenEntrySchema).min(1) });

export type TokenEntry = z.infer<typeof tokenEntrySchema>;

interface StoredPrincipal {
  readonly hash: Buffer;
  readonly actor: Actor;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Principals known by the SHA-256 of their bearer token. The token itself is never stored; the
 * comparison runs over every entry in constant time, so timing tells nothing about which matched.
 */
export class TokenRegistry {
  private readonly principals: readonly StoredPrincipal[];

  constructor(entries: readonly TokenEntry[]) {
    this.principals = entries.map((entry) => {
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

  static fromFile(path: string): TokenRegistry {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`Cannot read the token file ${path}: ${(error as Error).message}`);
    }
    const parsed = tokenFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Invalid token file ${path}: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return new TokenRegistry(parsed.data.tokens);
  }

  authenticate(token: string): Actor | undefined {
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
