import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

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
  PLEDGES_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, 'a size such as 256kb')
    .default('256kb'),
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
  // Invented figures must never sit beside real ones: with real tokens, demo data is opt-in.
  const developmentWithDemoTokens =
    config.NODE_ENV === 'development' && config.PLEDGES_TOKENS_FILE === undefined;
  return { ...config, demoData: config.PLEDGES_DEMO_DATA ?? developmentWithDemoTokens };
}
