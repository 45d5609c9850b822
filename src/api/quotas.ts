/**
 * Quotas, so that one client cannot hurt the others: requests per minute per token (writes and
 * reads counted apart), a cap on one pledge's (or monthly report's) size, and a cap on what each
 * Member State's pledge and report streams may hold in all. Rates are counted in memory, per replica; stored bytes come from the
 * log (the `storageUsage` projection), so every replica agrees on them.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor } from '../domain/shared/messages';
import type { Projector } from '../projections/projector';
import { storageUsage, storedBytesOf } from '../projections/storageUsage';
import { actorOf } from './http';
import { HttpProblem } from './problems';

export interface QuotaSettings {
  /** Writes (POST, PUT, PATCH, DELETE) per minute for a Member State's or an auditor's token. */
  readonly writesPerMinute: number;
  /** Writes per minute for a Commission token: it runs every plan's lifecycle, and seeds. */
  readonly commissionWritesPerMinute: number;
  /** Reads per minute, for every token. */
  readonly readsPerMinute: number;
  /** The largest pledge or monthly report body, serialized as compact JSON (UTF-8 bytes). */
  readonly maxPledgeBytes: number;
  /** What one Member State's pledge and report streams may hold in all, across plans (bytes of event data). */
  readonly storedBytesPerMemberState: number;
}

export const DEFAULT_QUOTA_SETTINGS: QuotaSettings = {
  writesPerMinute: 120,
  commissionWritesPerMinute: 600,
  readsPerMinute: 6_000,
  // A real pledge is a few KB: some 200 lines with short notes stay well below.
  maxPledgeBytes: 64 * 1024,
  storedBytesPerMemberState: 20 * 1024 * 1024,
};

export function resolveQuotaSettings(overrides: Partial<QuotaSettings> = {}): QuotaSettings {
  return { ...DEFAULT_QUOTA_SETTINGS, ...overrides };
}

export const RATE_WINDOW_SECONDS = 60;

/**
 * A full storage quota does not free itself (the log keeps every event): only an operator raising
 * the quota helps, so a client is told not to come back for an hour rather than to retry at once.
 */
export const STORAGE_QUOTA_RETRY_AFTER_SECONDS = 3_600;

/** A principal's standing against one limit, as `GET /api/v1/quota` and the headers report it. */
export interface RateStanding {
  readonly limit: number;
  readonly remaining: number;
  /** Whole seconds until the quota is whole again (0 when it is). */
  readonly resetSeconds: number;
}

export interface RateDecision extends RateStanding {
  readonly allowed: boolean;
  /** Whole seconds until the next request would be let through (0 when one is now). */
  readonly retryAfterSeconds: number;
}

interface Bucket {
  /** Credit in request-milliseconds: a request costs `windowMs`, each millisecond adds `limit`. */
  credit: number;
  at: number;
  readonly limit: number;
}

/**
 * A token bucket per key: up to `limit` requests at once, refilled at `limit` per window. Credit
 * is kept in whole units (one request = `windowMs`, one elapsed millisecond = `limit`), so with a
 * millisecond clock no rounding ever lets a request through early. A bucket that has refilled
 * completely is the same as none, so idle keys are dropped (at most once per window, by the next
 * request): memory holds only the principals active within about the last two windows.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(
    private readonly now: () => number,
    readonly windowMs: number = RATE_WINDOW_SECONDS * 1_000,
  ) {
    this.lastSweep = now();
  }

  /** Counts one request against `key` if its quota allows it. */
  take(key: string, limit: number): RateDecision {
    const now = this.now();
    this.sweep(now);
    const bucket = this.refilled(key, limit, now);
    const allowed = bucket.credit >= this.windowMs;
    if (allowed) {
      bucket.credit -= this.windowMs;
      this.buckets.set(key, bucket);
    }
    return { allowed, ...this.standing(bucket), retryAfterSeconds: this.untilNextSeconds(bucket) };
  }

  /** The key's standing, without counting a request. */
  peek(key: string, limit: number): RateStanding {
    return this.standing(this.refilled(key, limit, this.now()));
  }

  /** How many keys are tracked: the limiter's memory. */
  get trackedKeys(): number {
    return this.buckets.size;
  }

  private refilled(key: string, limit: number, now: number): Bucket {
    const capacity = limit * this.windowMs;
    const bucket = this.buckets.get(key);
    if (bucket === undefined || bucket.limit !== limit) {
      return { credit: capacity, at: now, limit };
    }
    // A clock set back refills nothing rather than draining the bucket.
    bucket.credit = Math.min(capacity, bucket.credit + Math.max(0, now - bucket.at) * limit);
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  }

  private standing(bucket: Bucket): RateStanding {
    const capacity = bucket.limit * this.windowMs;
    return {
      limit: bucket.limit,
      remaining: Math.floor(bucket.credit / this.windowMs),
      resetSeconds: Math.ceil((capacity - bucket.credit) / bucket.limit / 1_000),
    };
  }

  private untilNextSeconds(bucket: Bucket): number {
    if (bucket.credit >= this.windowMs) return 0;
    return Math.ceil((this.windowMs - bucket.credit) / bucket.limit / 1_000);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      const capacity = bucket.limit * this.windowMs;
      if (bucket.credit + Math.max(0, now - bucket.at) * bucket.limit >= capacity) {
        this.buckets.delete(key);
      }
    }
  }
}

/** The per-token rate limits of one app: writes and reads are counted apart. */
export interface RequestQuotas {
  readonly settings: QuotaSettings;
  readonly writes: RateLimiter;
  readonly reads: RateLimiter;
}

export function createRequestQuotas(
  overrides: Partial<QuotaSettings> | undefined,
  now: () => number,
): RequestQuotas {
  return {
    settings: resolveQuotaSettings(overrides),
    writes: new RateLimiter(now),
    reads: new RateLimiter(now),
  };
}

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWrite(method: string): boolean {
  return !READ_METHODS.has(method.toUpperCase());
}

export function writesPerMinuteOf(settings: QuotaSettings, actor: Actor): number {
  return actor.role === 'commission'
    ? settings.commissionWritesPerMinute
    : settings.writesPerMinute;
}

/** The caller's standing on both limits, without counting anything. */
export function rateStandingOf(quotas: RequestQuotas, actor: Actor) {
  return {
    writesPerMinute: quotas.writes.peek(actor.id, writesPerMinuteOf(quotas.settings, actor)),
    readsPerMinute: quotas.reads.peek(actor.id, quotas.settings.readsPerMinute),
  };
}

/**
 * Counts every authenticated request against its principal, before its body is read, and refuses
 * one over the limit with 429 and `Retry-After`. A refused request is not counted, so a client
 * that waits as told gets through. The draft IETF RateLimit header fields describe the limit the
 * request counted against (writes or reads). Mounted after authentication: without a principal
 * there is nothing to count against.
 */
export function rateLimitMiddleware(quotas: RequestQuotas): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const actor = actorOf(response);
    const write = isWrite(request.method);
    const decision = write
      ? quotas.writes.take(actor.id, writesPerMinuteOf(quotas.settings, actor))
      : quotas.reads.take(actor.id, quotas.settings.readsPerMinute);
    response.setHeader('RateLimit-Limit', String(decision.limit));
    response.setHeader('RateLimit-Remaining', String(decision.remaining));
    response.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    response.setHeader('RateLimit-Policy', `${decision.limit};w=${RATE_WINDOW_SECONDS}`);
    if (decision.allowed) {
      next();
      return;
    }
    response.setHeader('Retry-After', String(decision.retryAfterSeconds));
    next(
      new HttpProblem(
        429,
        'rate_limited',
        `Too many ${write ? 'writes' : 'reads'}: this token may make ${decision.limit} per ${RATE_WINDOW_SECONDS} seconds; retry in ${decision.retryAfterSeconds} s`,
        { limit: decision.limit, windowSeconds: RATE_WINDOW_SECONDS },
      ),
    );
  };
}

/** A body's size as compact JSON in UTF-8: what a pledge weighs, whatever whitespace it came with. */
export function serializedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? {}), 'utf8');
}

/**
 * Refuses a pledge (or a monthly report: the same lines, the same cap) body over the cap with 413;
 * returns its size.
 */
export function assertPledgeSize(
  body: unknown,
  limit: number,
  kind: 'pledge' | 'report' = 'pledge',
): number {
  const size = serializedBytes(body);
  if (size > limit) {
    throw new HttpProblem(
      413,
      `${kind}_too_large`,
      `The ${kind} is ${size} bytes as JSON; a ${kind} may be at most ${limit} bytes`,
      { limit, size },
    );
  }
  return size;
}

/**
 * Refuses a write that would take a Member State's pledge and report streams over its storage
 * quota, with
 * 429 and a long `Retry-After` (see `STORAGE_QUOTA_RETRY_AFTER_SECONDS`). Usage is read from the
 * log's projection, caught up first so the caller's own earlier writes count. Two writes racing
 * may both pass: the quota can be overshot by what concurrent writes carry, never more.
 */
export async function assertStorageQuota(
  projector: Projector,
  response: Response,
  memberState: string,
  incomingBytes: number,
  limit: number,
): Promise<void> {
  await projector.catchUp();
  const used = storedBytesOf(projector.state(storageUsage), memberState);
  if (used + incomingBytes <= limit) return;
  response.setHeader('Retry-After', String(STORAGE_QUOTA_RETRY_AFTER_SECONDS));
  throw new HttpProblem(
    429,
    'storage_quota_exceeded',
    `${memberState}'s pledges and reports hold ${used} of the ${limit} bytes it may store; this write (${incomingBytes} bytes) would exceed that. Waiting frees nothing, since the log keeps every event: the operators can raise the quota.`,
    { memberState, used, incoming: incomingBytes, limit },
  );
}
