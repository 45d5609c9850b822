/**
 * Development tokens that survive a restart: kept in plain text beside the development store, so
 * a `curl` line or a client configured yesterday still works today. They only ever grant access
 * to that store; with a token file, or in production, none are made or read.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROLES } from '../domain/shared/messages';
import { z } from 'zod';
import type { Config } from '../config/config';
import { createDemoTokens, type DemoToken } from './auth';
import { writeFileAtomically } from '../files/writeFileAtomically';

/** Ireland takes part; Norway may associate itself (Art. 12), beside the plan's figures. */
export const DEMO_MEMBER_STATES = ['DE', 'FR', 'NL', 'SE', 'IE', 'NO'] as const;

export const DEMO_TOKENS_FILE_NAME = 'demo-tokens.json';

const demoTokenFileSchema = z.object({
  tokens: z.array(
    z.object({
      name: z.string().min(1),
      role: z.enum(ROLES),
      memberState: z.string().optional(),
      token: z.string().min(16),
    }),
  ),
});

const NOTE =
  'Development-only demo tokens, in plain text. They grant access to the development store beside this file and nothing else; never use this store, or these tokens, for real data.';

/** Where a development run keeps its demo tokens: beside the SQLite file; none for `:memory:`. */
export function demoTokensFileFor(
  config: Pick<Config, 'EVENT_STORE' | 'PLEDGES_DB_FILE'>,
): string | undefined {
  if (config.EVENT_STORE !== 'sqlite' || config.PLEDGES_DB_FILE === ':memory:') return undefined;
  return join(dirname(resolve(config.PLEDGES_DB_FILE)), DEMO_TOKENS_FILE_NAME);
}

const sameIdentity = (a: Omit<DemoToken, 'token'>, b: Omit<DemoToken, 'token'>): boolean =>
  a.name === b.name && a.role === b.role && a.memberState === b.memberState;

/**
 * The demo tokens kept in `file`, created there (mode 0600) on the first run; a principal the
 * file lacks gets a new token, added to it. Without a file, fresh tokens for this run only.
 */
export function loadOrCreateDemoTokens(
  file: string | undefined,
  memberStates: readonly string[] = DEMO_MEMBER_STATES,
): DemoToken[] {
  const fresh = createDemoTokens(memberStates);
  if (file === undefined) return fresh;
  const kept = readDemoTokens(file);
  const tokens = fresh.map(
    (candidate) => kept.find((stored) => sameIdentity(stored, candidate)) ?? candidate,
  );
  const added = tokens.some((token) => !kept.includes(token));
  if (added) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomically(file, `${JSON.stringify({ note: NOTE, tokens }, null, 2)}\n`);
  }
  return tokens;
}

function readDemoTokens(file: string): DemoToken[] {
  let text: string;
  try {
    if ((statSync(file).mode & 0o002) !== 0 && process.platform !== 'win32') {
      throw new Error(`Refusing the demo token file ${file}: every user may write it; delete it`);
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = demoTokenFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `The demo token file ${file} cannot be read as demo tokens; delete it to get new ones`,
    );
  }
  return parsed.data.tokens.map(({ name, role, memberState, token }) => ({
    name,
    role,
    ...(memberState !== undefined && { memberState }),
    token,
  }));
}
