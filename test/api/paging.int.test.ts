/**
 * Histories and the audit feed read page by page over HTTP: `after` and `limit`, the next page
 * named in the body and in an RFC 8288 `Link` header, and an `asOf` cut that holds across pages.
 */
import type { Response } from 'supertest';
import {
  NOW,
  PLAN_ID,
  aLine,
  aPledgeRevised,
  aPledgeSubmitted,
  createTestApp,
  expectRejected,
  planStream,
  pledgeStream,
  urls,
  type Principal,
  type TestApp,
} from './testApp';

const MINUTE = 60_000;
const REVISIONS = 250;

interface HistoryVersion {
  readonly version: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly diff: Record<string, unknown>;
}

interface HistoryBody {
  readonly versions: HistoryVersion[];
  readonly nextAfterVersion: number | null;
}

/** The URL a `Link: <…>; rel="next"` header names, or undefined when there is none. */
function nextLink(response: Response): string | undefined {
  const header = response.headers['link'];
  if (header === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(header);
  if (match === null) throw new Error(`Not a next link: ${header}`);
  return match[1];
}

/** Every page from `firstUrl`, following the `Link` header as a client would. */
async function followPages(
  t: TestApp,
  principal: Principal,
  firstUrl: string,
): Promise<Response[]> {
  const pages: Response[] = [];
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    const page = await t.as(principal).get(url);
    expect(page.status).toBe(200);
    pages.push(page);
    url = nextLink(page);
    // the body and the header name the same next page
    const body = page.body as HistoryBody | { nextAfterPosition: number | null };
    const next = 'nextAfterVersion' in body ? body.nextAfterVersion : body.nextAfterPosition;
    expect(url === undefined).toBe(next === null);
    if (pages.length > 1000) throw new Error('runaway paging');
  }
  return pages;
}

const persons = (version: number) => aLine({ persons: version });

/** What version `version` of DE's pledge changed: version v pledges v persons from Türkiye. */
function expectedDiff(version: number) {
  if (version === 1) {
    return {
      added: [persons(1)],
      removed: [],
      changed: [],
      personsBefore: 0,
      personsAfter: 1,
      personsDelta: 1,
    };
  }
  return {
    added: [],
    removed: [],
    changed: [
      { key: 'resettlement|TR|-|-', before: persons(version - 1), after: persons(version) },
    ],
    personsBefore: version - 1,
    personsAfter: version,
    personsDelta: 1,
  };
}

describe('paged histories over HTTP', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  /**
   * DE submits and revises its pledge 249 times, a minute apart (version v pledges v persons); FR
   * revises its own pledge now and then, so DE's versions are not contiguous in the log.
   */
  async function aPledgeRevisedManyTimes(): Promise<void> {
    await t.given(
      planStream('pledging_open'),
      pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR' })]),
    );
    for (let version = 1; version <= REVISIONS; version++) {
      t.clock.advance(MINUTE);
      const lines = [persons(version)];
      await t.given(
        pledgeStream('DE', [
          version === 1
            ? aPledgeSubmitted({ lines })
            : aPledgeRevised({ lines, reason: `Revision ${version}` }),
        ]),
      );
      if (version % 40 === 0) {
        await t.given(
          pledgeStream('FR', [
            aPledgeRevised({ memberState: 'FR', lines: [aLine({ persons: version })] }),
          ]),
        );
      }
    }
  }

  it('reads a pledge revised 250 times in three pages of 100, following the Link header', async () => {
    await aPledgeRevisedManyTimes();

    const pages = await followPages(t, 'auditor', `${urls.pledgeHistory('DE')}?limit=100`);

    expect(pages.map((page) => (page.body as HistoryBody).versions.length)).toEqual([100, 100, 50]);
    expect(pages.map((page) => (page.body as HistoryBody).nextAfterVersion)).toEqual([
      100,
      200,
      null,
    ]);
    expect(pages.map((page) => page.headers['link'])).toEqual([
      `<${urls.pledgeHistory('DE')}?limit=100&after=100>; rel="next"`,
      `<${urls.pledgeHistory('DE')}?limit=100&after=200>; rel="next"`,
      undefined,
    ]);
    for (const page of pages) {
      expect(page.body).toMatchObject({ planId: PLAN_ID, memberState: 'DE' });
    }
    const versions = pages.flatMap((page) => (page.body as HistoryBody).versions);
    // contiguous, each measured against the version before it, across page boundaries too
    expect(versions.map((entry) => entry.version)).toEqual(
      Array.from({ length: REVISIONS }, (_, index) => index + 1),
    );
    versions.forEach((entry) => expect(entry.diff).toEqual(expectedDiff(entry.version)));
    expect(versions[100]?.diff).toMatchObject({ personsBefore: 100, personsAfter: 101 });
    // positions grow, and skip FR's revisions in between
    const positions = versions.map((entry) => entry.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect((positions.at(-1) ?? 0) - (positions[0] ?? 0)).toBe(REVISIONS - 1 + 6);
  });

  it('gives the same versions whatever the page size, the default page being 100', async () => {
    await aPledgeRevisedManyTimes();

    const whole = await t.as('de').get(`${urls.pledgeHistory('DE')}?limit=1000`);
    const byDefault = await t.as('de').get(urls.pledgeHistory('DE'));
    const inSevens = await followPages(t, 'de', `${urls.pledgeHistory('DE')}?limit=7`);
    const fromMiddle = await t.as('de').get(`${urls.pledgeHistory('DE')}?after=245&limit=100`);

    expect(whole.body).toMatchObject({ nextAfterVersion: null });
    expect(whole.headers['link']).toBeUndefined();
    expect((whole.body as HistoryBody).versions).toHaveLength(REVISIONS);
    expect((byDefault.body as HistoryBody).versions).toEqual(
      (whole.body as HistoryBody).versions.slice(0, 100),
    );
    expect(byDefault.body).toMatchObject({ nextAfterVersion: 100 });
    expect(inSevens).toHaveLength(Math.ceil(REVISIONS / 7));
    expect(inSevens.flatMap((page) => (page.body as HistoryBody).versions)).toEqual(
      (whole.body as HistoryBody).versions,
    );
    expect(fromMiddle.body).toMatchObject({
      nextAfterVersion: null,
      versions: [246, 247, 248, 249, 250].map((version) => ({
        version,
        diff: expectedDiff(version),
      })),
    });
    const pastTheEnd = await t.as('de').get(`${urls.pledgeHistory('DE')}?after=250`);
    expect(pastTheEnd.status).toBe(200);
    expect(pastTheEnd.body).toMatchObject({ versions: [], nextAfterVersion: null });
  });

  it('holds an asOf cut across pages, by position and by time, and keeps it in the Link', async () => {
    await aPledgeRevisedManyTimes();
    const whole = (await t.as('auditor').get(`${urls.pledgeHistory('DE')}?limit=1000`))
      .body as HistoryBody;
    const at150 = whole.versions[149];
    if (at150 === undefined) throw new Error('missing version 150');

    for (const asOf of [String(at150.position), at150.recordedAt]) {
      const first = `${urls.pledgeHistory('DE')}?asOf=${encodeURIComponent(asOf)}&limit=100`;
      const pages = await followPages(t, 'auditor', first);

      expect(pages.map((page) => (page.body as HistoryBody).nextAfterVersion)).toEqual([100, null]);
      expect(nextLink(pages[0] as Response)).toBe(
        `${urls.pledgeHistory('DE')}?asOf=${encodeURIComponent(asOf)}&limit=100&after=100`,
      );
      expect(pages.flatMap((page) => (page.body as HistoryBody).versions)).toEqual(
        whole.versions.slice(0, 150),
      );
    }
    // a cut before the pledge existed: no history then
    const before = await t
      .as('auditor')
      .get(`${urls.pledgeHistory('DE')}?asOf=${encodeURIComponent(NOW)}&limit=100`);
    expect(before.status).toBe(404);
  });

  it('pages the plan history too', async () => {
    await t.given(planStream('adopted'));

    const whole = await t.as('auditor').get(urls.planHistory());
    const pages = await followPages(t, 'auditor', `${urls.planHistory()}?limit=2`);

    expect((whole.body as HistoryBody).versions.map((entry) => entry.version)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(whole.body).toMatchObject({ planId: PLAN_ID, nextAfterVersion: null });
    expect(pages.map((page) => (page.body as HistoryBody).nextAfterVersion)).toEqual([2, 4, null]);
    expect(pages[0]?.headers['link']).toBe(`<${urls.planHistory()}?limit=2&after=2>; rel="next"`);
    expect(pages.flatMap((page) => (page.body as HistoryBody).versions)).toEqual(
      (whole.body as HistoryBody).versions,
    );
    const asProposed = await t.as('auditor').get(`${urls.planHistory()}?asOf=4&after=2&limit=5`);
    expect(asProposed.body).toMatchObject({ nextAfterVersion: null });
    expect((asProposed.body as HistoryBody).versions.map((entry) => entry.version)).toEqual([3, 4]);
  });

  it.each([
    ['limit=0', 'limit=0'],
    ['limit=1001', 'limit=1001'],
    ['limit=-1', 'limit=-1'],
    ['limit=1.5', 'limit=1.5'],
    ['after=abc', 'after=abc'],
    ['after=-1', 'after=-1'],
    ['an unknown parameter', 'page=2'],
  ])('refuses %s on both histories and changes nothing', async (_label, query) => {
    await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
    const mark = await t.mark();

    const pledge = await t.as('auditor').get(`${urls.pledgeHistory('DE')}?${query}`);
    await expectRejected(t, mark, pledge, 400, 'invalid_request');
    const plan = await t.as('auditor').get(`${urls.planHistory()}?${query}`);
    await expectRejected(t, mark, plan, 400, 'invalid_request');
  });

  it('accepts the bounds of limit, 1 and 1000', async () => {
    await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));

    for (const limit of [1, 1000]) {
      const response = await t.as('de').get(`${urls.pledgeHistory('DE')}?limit=${limit}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ versions: [{ version: 1 }], nextAfterVersion: null });
    }
  });
});

describe('the audit feed paged over HTTP', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('names the next page in a Link header until the last, and returns every event once', async () => {
    await t.given(planStream('pledging_open'));
    for (let version = 1; version <= 12; version++) {
      const memberState = version % 3 === 0 ? 'FR' : 'DE';
      await t.given(
        pledgeStream(memberState, [
          version <= 2
            ? aPledgeSubmitted({ memberState })
            : aPledgeRevised({ memberState, lines: [aLine({ persons: version })] }),
        ]),
      );
    }
    const all = await t.store.readAll();

    const pages = await followPages(t, 'auditor', urls.auditEvents('?limit=5'));
    const deOnly = await followPages(t, 'auditor', urls.auditEvents('?memberState=DE&limit=3'));

    const positionsOf = (page: Response) =>
      (page.body as { entries: { position: number }[] }).entries.map((entry) => entry.position);
    expect(pages.map(positionsOf)).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
      [11, 12, 13, 14],
    ]);
    expect(pages[0]?.headers['link']).toBe(`<${urls.auditEvents('?limit=5&after=5')}>; rel="next"`);
    expect(deOnly.flatMap(positionsOf)).toEqual(
      all.filter((event) => event.streamId.endsWith('-DE')).map((event) => event.globalPosition),
    );
    expect(nextLink(deOnly[0] as Response)).toMatch(
      /^\/api\/v1\/audit\/events\?memberState=DE&limit=3&after=\d+$/,
    );
    // each entry carries the event's content as stored
    const entries = pages.flatMap(
      (page) => (page.body as { entries: { position: number; data: unknown }[] }).entries,
    );
    expect(entries.map((entry) => entry.data)).toEqual(all.map((event) => event.data));
  });

  it('refuses a limit out of bounds and an after that is no position', async () => {
    const mark = await t.mark();
    for (const query of ['limit=0', 'limit=1001', 'after=abc']) {
      const response = await t.as('auditor').get(urls.auditEvents(`?${query}`));
      await expectRejected(t, mark, response, 400, 'invalid_request');
    }
  });
});
