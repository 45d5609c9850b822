import { z } from 'zod';
import { LOG_LEVELS } from '../observability/logging';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** `https://app.example.org` or `http://localhost:5173`: scheme, host and port, nothing more. */
function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          isExactOrigin,
          'an exact origin such as https://app.example.org (no path, no slash)',
        ),
    ),
  );
const perMinute = z.coerce.number().int().min(1).max(1_000_000);

export const DEFAULT_DB_FILE = './data/pledges.db';

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** The event store: the embedded SQLite file (default) or an EventStoreDB node or cluster. */
  EVENT_STORE: z.enum(['sqlite', 'eventstoredb']).default('sqlite'),
  EVENTSTORE_CONNECTION_STRING: z
    .string()
    .regex(/^esdb(\+discover)?:\/\/[^\s]+$/, 'an esdb:// or esdb+discover:// connection string')
    .optional(),
  PLEDGES_DB_FILE: z.string().min(1).default(DEFAULT_DB_FILE),
  /** How long a read waits for the projections to reach the position a client names. */
  PLEDGES_READ_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
  PLEDGES_TOKENS_FILE: z.string().min(1).optional(),
  /**
   * Load the illustrative 2026-2027 plan into an empty store. Unset: only in development with demo
   * tokens (no token file). `true` also lets a real token file serve a store holding that plan.
   */
  PLEDGES_DEMO_DATA: booleanFlag.optional(),
  /** Where the read models' snapshots live (default: beside the SQLite store, or ./data/snapshots.db). */
  PLEDGES_SNAPSHOT_FILE: z.string().min(1).optional(),
  /** A snapshot every this many events: an `asOf` read folds at most this many. */
  PLEDGES_SNAPSHOT_EVERY: z.coerce.number().int().min(10).max(1_000_000).default(1000),
  PLEDGES_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, 'a size such as 256kb')
    .default('256kb'),
  PLEDGES_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Browser origins allowed to call the API (comma-separated); none by default. */
  PLEDGES_CORS_ORIGINS: originList.default([]),
  /** Open connections the server holds at most; more are refused at once. */
  PLEDGES_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  /** On SIGTERM/SIGINT, how long requests in flight may take before every connection is cut. */
  PLEDGES_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Per token: a Member State's or an auditor's writes per minute. */
  PLEDGES_WRITES_PER_MINUTE: perMinute.default(120),
  PLEDGES_COMMISSION_WRITES_PER_MINUTE: perMinute.default(600),
  /** Per token, every role. */
  PLEDGES_READS_PER_MINUTE: perMinute.default(6_000),
  /** One pledge's body as compact JSON; below PLEDGES_BODY_LIMIT. */
  PLEDGES_MAX_PLEDGE_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(64 * 1024),
  /** Everything one Member State's pledge streams may hold, across plans. */
  PLEDGES_STORED_BYTES_PER_MEMBER_STATE: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(Number.MAX_SAFE_INTEGER)
    .default(20 * 1024 * 1024),
});

export type Config = z.infer<typeof environmentSchema> & { readonly demoData: boolean };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; the first problem becomes one clear line. */
export function loadConfig(environment: NodeJS.ProcessEnv): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid configuration: ${name}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && config.PLEDGES_TOKENS_FILE === undefined) {
    throw new ConfigError(
      'Refusing to start: NODE_ENV=production needs PLEDGES_TOKENS_FILE (a JSON file of SHA-256 token hashes); demo tokens are for development only',
    );
  }
  if (config.EVENT_STORE === 'eventstoredb' && config.EVENTSTORE_CONNECTION_STRING === undefined) {
    throw new ConfigError(
      'Invalid configuration: EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false',
    );
  }
  const bodyLimitBytes = sizeInBytes(config.PLEDGES_BODY_LIMIT);
  if (config.PLEDGES_MAX_PLEDGE_BYTES > bodyLimitBytes) {
    throw new ConfigError(
      `Invalid configuration: PLEDGES_MAX_PLEDGE_BYTES (${config.PLEDGES_MAX_PLEDGE_BYTES}) is above PLEDGES_BODY_LIMIT (${config.PLEDGES_BODY_LIMIT}, ${bodyLimitBytes} bytes), so it would never apply`,
    );
  }
  // Invented figures must never sit beside real ones: with real tokens, demo data is opt-in.
  const developmentWithDemoTokens =
    config.NODE_ENV === 'development' && config.PLEDGES_TOKENS_FILE === undefined;
  return { ...config, demoData: config.PLEDGES_DEMO_DATA ?? developmentWithDemoTokens };
}

/** `256kb` → 262144: the units the body parser reads (1 kb = 1024 bytes). */
function sizeInBytes(size: string): number {
  const match = /^(\d+)(kb|mb)$/i.exec(size);
  if (match === null) throw new ConfigError(`Invalid size: ${size}`);
  return Number(match[1]) * (match[2]?.toLowerCase() === 'mb' ? 1024 * 1024 : 1024);
}
