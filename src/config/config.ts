import { z } from 'zod';
import { LOG_LEVELS } from '../observability/logging';
import { ROLES, type Role } from '../domain/shared/messages';

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
/** An http(s) URL with no query, fragment or credentials, kept exactly as written. */
const plainUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.search === '' &&
      url.hash === '' &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}, 'an http(s) URL such as https://pledges.example.org (no query, no fragment)');

/** `https://pledges.example.org`: where browsers reach the app (a trailing slash dropped). */
const publicUrl = plainUrl.transform((value) => value.replace(/\/+$/, ''));

/** The identity provider's claim values that name each role, when they differ from the role names. */
const DEFAULT_ROLE_MAP: Readonly<Record<string, Role>> = Object.fromEntries(
  ROLES.map((role) => [role, role]),
);

const roleMap = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({
        code: 'custom',
        message: 'a JSON object such as {"eu-commission": "commission"}',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(z.string().min(1), z.enum(ROLES), {
      error: `a JSON object mapping claim values to roles (${ROLES.join(', ')})`,
    }),
  );

/** A claim's name, or a dotted path into nested claims (`realm_access.roles`). */
const claimPath = z
  .string()
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'a claim name, or a dotted path such as realm_access.roles');

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
  /**
   * The EventStoreDB user, apart from the connection string: the password may hold any character
   * (`: @ % / ? # &` included), and is encoded into the connection string by the tracker.
   */
  EVENTSTORE_USERNAME: z.string().min(1).optional(),
  EVENTSTORE_PASSWORD: z.string().min(1).optional(),
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

  // ---- the verifiable log ----
  /**
   * The Ed25519 private key (PKCS#8 PEM) that signs tree heads; required in production. Default in
   * development: `audit-signing-key.pem` beside PLEDGES_DB_FILE, made on first start.
   */
  PLEDGES_AUDIT_KEY_FILE: z.string().min(1).optional(),
  /** A head is signed at least this often while the log grows. */
  PLEDGES_AUDIT_SIGN_INTERVAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(2_000),

  // ---- browser sign-in and the web app ----
  /** Where browsers reach the app; default `http://localhost:<PORT>`. */
  PLEDGES_PUBLIC_URL: publicUrl.optional(),
  /** How long a browser session lasts. */
  PLEDGES_SESSION_HOURS: z.coerce.number().min(0.05).max(168).default(8),
  /** 32 random bytes sealing the session cookie (raw, base64 or hex). */
  PLEDGES_SESSION_KEY_FILE: z.string().min(1).optional(),
  /** The identity provider (OpenID Connect issuer); browser sign-in through it is on when set. */
  PLEDGES_OIDC_ISSUER: plainUrl.optional(),
  PLEDGES_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Without it the app is a public client, relying on PKCE alone. */
  PLEDGES_OIDC_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  PLEDGES_OIDC_SCOPES: z
    .string()
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'scopes separated by single spaces')
    .refine((value) => value.split(' ').includes('openid'), 'the scopes must include openid')
    .default('openid profile email'),
  PLEDGES_OIDC_LABEL: z.string().min(1).max(100).default('Sign in with your organisation account'),
  PLEDGES_OIDC_ROLE_CLAIM: claimPath.default('roles'),
  PLEDGES_OIDC_ROLE_MAP: roleMap.default(DEFAULT_ROLE_MAP),
  PLEDGES_OIDC_MEMBER_STATE_CLAIM: claimPath.default('member_state'),
  PLEDGES_OIDC_ID_CLAIM: claimPath.default('email'),
  /** The development sign-in (pick a demo identity); default on in development and test. */
  PLEDGES_DEV_SIGN_IN: booleanFlag.optional(),
  /** The built web app; default `dist/web` beside the running `dist/main.js`. */
  PLEDGES_WEB_DIR: z.string().min(1).optional(),
});

export type Config = z.infer<typeof environmentSchema> & {
  readonly demoData: boolean;
  /** The development sign-in is offered (never in production). */
  readonly devSignIn: boolean;
};

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
  const production = config.NODE_ENV === 'production';
  const oidc = config.PLEDGES_OIDC_ISSUER !== undefined;
  if (production && config.PLEDGES_TOKENS_FILE === undefined && !oidc) {
    throw new ConfigError(
      'Refusing to start: NODE_ENV=production needs PLEDGES_TOKENS_FILE (a JSON file of SHA-256 token hashes) or browser sign-in (PLEDGES_OIDC_ISSUER); demo tokens are for development only',
    );
  }
  if (oidc && config.PLEDGES_OIDC_CLIENT_ID === undefined) {
    throw new ConfigError(
      'Invalid configuration: PLEDGES_OIDC_ISSUER needs PLEDGES_OIDC_CLIENT_ID, the client registered for this app at the identity provider',
    );
  }
  if (!oidc && config.PLEDGES_OIDC_CLIENT_ID !== undefined) {
    throw new ConfigError(
      'Invalid configuration: PLEDGES_OIDC_CLIENT_ID is set without PLEDGES_OIDC_ISSUER',
    );
  }
  if (production && config.PLEDGES_DEV_SIGN_IN === true) {
    throw new ConfigError(
      'Refusing to start: PLEDGES_DEV_SIGN_IN=true lets anyone pick an identity; it is for development only, never NODE_ENV=production',
    );
  }
  if (production && oidc && config.PLEDGES_SESSION_KEY_FILE === undefined) {
    throw new ConfigError(
      'Refusing to start: browser sign-in in production needs PLEDGES_SESSION_KEY_FILE (32 random bytes, e.g. `openssl rand -base64 32`), the same file on every replica',
    );
  }
  if (production && config.PLEDGES_AUDIT_KEY_FILE === undefined) {
    throw new ConfigError(
      "Refusing to start: NODE_ENV=production needs PLEDGES_AUDIT_KEY_FILE, the Ed25519 private key that signs the log's tree heads (PKCS#8 PEM, e.g. `openssl genpkey -algorithm ed25519 -out audit-signing-key.pem`), kept across restarts so heads auditors saved keep verifying",
    );
  }
  if (config.EVENT_STORE === 'eventstoredb' && config.EVENTSTORE_CONNECTION_STRING === undefined) {
    throw new ConfigError(
      'Invalid configuration: EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false',
    );
  }
  if ((config.EVENTSTORE_USERNAME === undefined) !== (config.EVENTSTORE_PASSWORD === undefined)) {
    throw new ConfigError(
      'Invalid configuration: EVENTSTORE_USERNAME and EVENTSTORE_PASSWORD go together',
    );
  }
  if (
    config.EVENTSTORE_USERNAME !== undefined &&
    /^esdb(?:\+discover)?:\/\/[^@/]*@/.test(config.EVENTSTORE_CONNECTION_STRING ?? '')
  ) {
    throw new ConfigError(
      'Invalid configuration: EVENTSTORE_CONNECTION_STRING carries credentials and EVENTSTORE_USERNAME is set: give them once',
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
  return {
    ...config,
    demoData: config.PLEDGES_DEMO_DATA ?? developmentWithDemoTokens,
    devSignIn: config.PLEDGES_DEV_SIGN_IN ?? !production,
  };
}

/** `256kb` → 262144: the units the body parser reads (1 kb = 1024 bytes). */
function sizeInBytes(size: string): number {
  const match = /^(\d+)(kb|mb)$/i.exec(size);
  if (match === null) throw new ConfigError(`Invalid size: ${size}`);
  return Number(match[1]) * (match[2]?.toLowerCase() === 'mb' ? 1024 * 1024 : 1024);
}
