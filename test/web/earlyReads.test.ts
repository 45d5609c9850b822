/**
 * The reads a page starts before its code has loaded: exactly the requests its screen makes, for
 * the signed-in person only, none for a look at the past, each answer given once and only while
 * it is fresh.
 */
import {
  clearEarlyReads,
  EARLY_READ_TTL_MS,
  startEarlyReads,
  takeEarlyRead,
  unusedEarlyReads,
} from '../../web/src/api/earlyReads';
import type { components } from '../../web/src/api/generated/schema';

type Session = components['schemas']['Session'];

const ORIGIN = 'http://tracker.test';

function session(role: Session['actor']['role'], memberState?: string): Session {
  return {
    actor: { id: `${role}-1`, role, ...(memberState !== undefined && { memberState }) },
  } as Session;
}

/** A fetch that answers every URL with its own path, and notes what was asked. */
function fakeFetch() {
  const asked: string[] = [];
  const fetchImpl = ((input: string) => {
    const path = input.replace(ORIGIN, '');
    asked.push(path);
    return Promise.resolve(new Response(JSON.stringify({ path }), { status: 200 }));
  }) as typeof fetch;
  return { asked, fetchImpl };
}

function start(path: string, who: Session | undefined, fetchImpl: typeof fetch): void {
  const url = new URL(path, ORIGIN);
  startEarlyReads(
    { origin: ORIGIN, pathname: url.pathname, search: url.search },
    who,
    () => 0,
    fetchImpl,
  );
}

afterEach(clearEarlyReads);

describe('early reads', () => {
  it("start the pledge editor's reads for the desk officer's own Member State", () => {
    const { asked, fetchImpl } = fakeFetch();
    start('/ministry/plans/2026-2027', session('member_state', 'DE'), fetchImpl);
    expect(asked).toEqual([
      '/api/v1/plans/2026-2027',
      '/api/v1/plans/2026-2027/pledges/DE',
      '/api/v1/reference/host-countries',
      '/api/v1/reference/regions',
      '/api/v1/reference/target-groups',
    ]);
  });

  it('give each answer once, whole, and only while it is fresh', async () => {
    const { fetchImpl } = fakeFetch();
    start('/audit', session('auditor'), fetchImpl);
    const feed = new Request(`${ORIGIN}/api/v1/audit/events?limit=50`);
    expect(await (await takeEarlyRead(feed, () => 0))?.json()).toEqual({
      path: '/api/v1/audit/events?limit=50',
    });
    expect(takeEarlyRead(feed, () => 0)).toBeUndefined();
    expect(
      takeEarlyRead(new Request(`${ORIGIN}/api/v1/plans?limit=1000`), () => EARLY_READ_TTL_MS + 1),
    ).toBeUndefined();
    expect(unusedEarlyReads()).toEqual([`${ORIGIN}/api/v1/reference/member-states`]);
  });

  it('start none signed out, for another role, or for a look at the past', () => {
    const { asked, fetchImpl } = fakeFetch();
    start('/commission/plans/p/figures', undefined, fetchImpl);
    start('/commission/plans/p/figures', session('auditor'), fetchImpl);
    start('/commission/plans/p/figures?asOf=12', session('commission'), fetchImpl);
    start('/ministry', session('member_state'), fetchImpl);
    expect(asked).toEqual([]);
  });

  it('answer no write, and no read it did not start', () => {
    const { fetchImpl } = fakeFetch();
    start('/commission', session('commission'), fetchImpl);
    const put = new Request(`${ORIGIN}/api/v1/plans?limit=25`, { method: 'PUT', body: '{}' });
    expect(takeEarlyRead(put, () => 0)).toBeUndefined();
    expect(takeEarlyRead(new Request(`${ORIGIN}/api/v1/plans?limit=26`), () => 0)).toBeUndefined();
    expect(unusedEarlyReads()).toEqual([`${ORIGIN}/api/v1/plans?limit=25`]);
  });
});
