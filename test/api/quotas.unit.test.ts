import { HttpProblem } from '../../src/api/problems';
import {
  RateLimiter,
  assertPledgeSize,
  isWrite,
  writesPerMinuteOf,
  DEFAULT_QUOTA_SETTINGS,
} from '../../src/api/quotas';

function manualClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    set: (ms: number) => {
      now = ms;
    },
  };
}

describe('RateLimiter: a token bucket per principal', () => {
  it('lets a burst up to the limit through, then names the whole seconds until a slot frees', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock.now);

    const taken = [1, 2, 3].map(() => limiter.take('de', 3));
    const refused = limiter.take('de', 3);

    expect(taken.map((decision) => [decision.allowed, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    // Three per minute: one slot frees every 20 seconds; the bucket is whole again after 60.
    expect(refused).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      resetSeconds: 60,
      retryAfterSeconds: 20,
    });
  });

  it('frees a slot exactly when it said, not a millisecond earlier', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock.now);
    for (let count = 0; count < 3; count++) limiter.take('de', 3);

    clock.advance(19_999);
    const early = limiter.take('de', 3);
    clock.advance(1);
    const onTime = limiter.take('de', 3);
    const next = limiter.take('de', 3);

    expect([early.allowed, early.retryAfterSeconds]).toEqual([false, 1]);
    expect(onTime.allowed).toBe(true);
    expect([next.allowed, next.retryAfterSeconds]).toEqual([false, 20]);
  });

  it('refills to the limit after a window, never above it', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock.now);
    for (let count = 0; count < 3; count++) limiter.take('de', 3);

    clock.advance(10 * 60_000);

    expect(limiter.peek('de', 3)).toEqual({ limit: 3, remaining: 3, resetSeconds: 0 });
    const burst = [1, 2, 3, 4].map(() => limiter.take('de', 3).allowed);
    expect(burst).toEqual([true, true, true, false]);
  });

  it('counts each key apart, and a refused request not at all', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock.now);
    limiter.take('de', 1);
    for (let count = 0; count < 5; count++) limiter.take('de', 1);

    expect(limiter.take('fr', 1).allowed).toBe(true);
    clock.advance(60_000);
    expect(limiter.take('de', 1).allowed).toBe(true);
  });

  it('peeks without counting', () => {
    const limiter = new RateLimiter(manualClock().now);

    limiter.peek('de', 2);
    limiter.peek('de', 2);

    expect(limiter.take('de', 2).remaining).toBe(1);
    expect(limiter.trackedKeys).toBe(1);
  });

  it('forgets principals idle long enough to have refilled: memory stays bounded', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock.now);
    for (let index = 0; index < 100; index++) limiter.take(`principal-${index}`, 10);
    expect(limiter.trackedKeys).toBe(100);

    clock.advance(60_000);
    limiter.take('active', 10);

    expect(limiter.trackedKeys).toBe(1);
  });

  it('refills nothing when the clock is set back, and drains nothing either', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock.now);
    limiter.take('de', 2);
    limiter.take('de', 2);

    clock.advance(-30_000);
    expect(limiter.take('de', 2).allowed).toBe(false);
    clock.advance(30_000 + 30_000);
    expect(limiter.take('de', 2).allowed).toBe(true);
  });
});

describe('what counts as a write, and whose limit applies', () => {
  it('counts every method but GET, HEAD and OPTIONS as a write', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'].map(isWrite)).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
  });

  it('gives the Commission its own, higher, write limit', () => {
    expect(
      writesPerMinuteOf(DEFAULT_QUOTA_SETTINGS, { id: 'dg-home', role: 'commission' }),
    ).toBeGreaterThan(
      writesPerMinuteOf(DEFAULT_QUOTA_SETTINGS, {
        id: 'de-ministry',
        role: 'member_state',
        memberState: 'DE',
      }),
    );
  });
});

describe('the pledge size cap', () => {
  it('weighs a pledge as compact UTF-8 JSON, and refuses one over the cap with its size', () => {
    const body = { lines: [{ admissionType: 'resettlement', persons: 1, note: 'é' }] };
    const size = Buffer.byteLength(JSON.stringify(body), 'utf8');

    expect(assertPledgeSize(body, size)).toBe(size);
    expect(() => assertPledgeSize(body, size - 1)).toThrow(HttpProblem);
    try {
      assertPledgeSize(body, size - 1);
    } catch (error) {
      expect(error).toMatchObject({
        status: 413,
        code: 'pledge_too_large',
        extensions: { limit: size - 1, size },
      });
    }
  });
});
