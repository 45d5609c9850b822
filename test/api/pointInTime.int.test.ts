/**
 * Points in time a client may name: `asOf` on the reads (a log position, a date, a date-time with
 * an offset) and the audit feed's `from` / `to` (a date or a date-time); a refusal says plainly
 * which forms are accepted, with an example of each.
 */
import {
  aLine,
  aPledgeBody,
  createTestApp,
  expectProblem,
  PLAN_ID,
  planStream,
  urls,
  type TestApp,
} from './testApp';

/** The plan is recorded on 15 September (positions 1-2); DE pledges late that day, FR just after midnight UTC. */
const DE_AT = '2025-09-15T23:00:00.000Z';
const FR_AT = '2025-09-16T00:30:00.000Z';

describe('points in time', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = createTestApp();
    await t.given(planStream('pledging_open'));
    t.clock.set(DE_AT);
    const de = await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-None-Match', '*')
      .send(aPledgeBody([aLine({ persons: 100 })]));
    expect(de.status).toBe(201);
    t.clock.set(FR_AT);
    const fr = await t
      .as('fr')
      .put(urls.pledge('FR'))
      .set('If-None-Match', '*')
      .send(aPledgeBody([aLine({ hostCountry: 'EG', persons: 200 })]));
    expect(fr.status).toBe(201);
  });
  afterEach(() => t.close());

  const totalsAsOf = (asOf: string) =>
    t.as('commission').get(urls.totals(`?asOf=${encodeURIComponent(asOf)}`));

  describe('asOf', () => {
    it('a date means the end of that day, UTC', async () => {
      const day = await totalsAsOf('2025-09-15');
      const nextDay = await totalsAsOf('2025-09-16');

      expect(day.status).toBe(200);
      expect(day.body).toMatchObject({ total: 100, asOfPosition: 3 });
      expect(nextDay.body).toMatchObject({ total: 300, asOfPosition: 4 });
    });

    it('a date works on the plan, the pledges and the compliance reads too', async () => {
      const asOf = '?asOf=2025-09-15';
      const plan = await t.as('commission').get(`${urls.plan()}${asOf}`);
      const pledges = await t.as('commission').get(`${urls.pledges()}${asOf}`);
      const compliance = await t.as('commission').get(urls.compliance(asOf));

      expect(plan.status).toBe(200);
      expect(pledges.status).toBe(200);
      expect(pledges.body.pledges.map((p: { memberState: string }) => p.memberState)).toEqual([
        'DE',
      ]);
      expect(compliance.body).toMatchObject({ asOfPosition: 3 });
    });

    it('lists the plans as they stood then, each with its status of that time', async () => {
      const closed = await t.as('commission').post(urls.close()).send({});
      expect(closed.status).toBe(200);
      const list = (query: string) => t.as('commission').get(`${urls.plans}${query}`);
      const statuses = (body: { plans: { planId: string; status: string }[] }) =>
        body.plans.map((plan) => [plan.planId, plan.status]);

      const now = await list('');
      const beforeClosing = await list('?asOf=4');
      const created = await list('?asOf=1');
      const before = await list('?asOf=0');
      const byDate = await list('?asOf=2025-09-14');

      expect(now.status).toBe(200);
      expect(statuses(now.body)).toEqual([[PLAN_ID, 'pledging_closed']]);
      expect(now.body.asOfPosition).toBe(5);
      expect(statuses(beforeClosing.body)).toEqual([[PLAN_ID, 'pledging_open']]);
      expect(beforeClosing.body.asOfPosition).toBe(4);
      expect(statuses(created.body)).toEqual([[PLAN_ID, 'draft']]);
      expect(before.body).toEqual({ plans: [], nextAfter: null, asOfPosition: 0 });
      expect(byDate.body.plans).toEqual([]);
    });

    it('refuses an unreadable asOf on the plans list too', async () => {
      expectProblem(
        await t.as('commission').get(`${urls.plans}?asOf=soon`),
        400,
        'invalid_request',
      );
    });

    it.each([
      ['an offset', '2025-09-16T01:00:00+01:00', 100],
      ['an offset and fractional seconds', '2025-09-16T02:30:00.000+02:00', 300],
      ['Z', '2025-09-16T00:29:59Z', 100],
      ['Z and fractional seconds', '2025-09-16T00:30:00.000Z', 300],
    ])('a date-time with %s', async (_label, asOf, total) => {
      const response = await totalsAsOf(asOf);

      expect(response.status).toBe(200);
      expect(response.body.total).toBe(total);
    });

    it('a log position', async () => {
      const response = await totalsAsOf('3');

      expect(response.body).toMatchObject({ total: 100, asOfPosition: 3 });
    });

    it.each([
      ['a word', 'soon'],
      ['a date-time without an offset', '2025-09-15T10:00:00'],
      ['a negative position', '-1'],
      ['an impossible date', '2025-02-30'],
      ['a date-time without seconds', '2025-09-15T10:00Z'],
    ])('refuses %s with 400, saying every accepted form with an example', async (_label, asOf) => {
      const response = await totalsAsOf(asOf);

      expectProblem(response, 400, 'invalid_request');
      const { detail } = response.body as { detail: string };
      expect(detail).toContain('asOf');
      expect(detail).toMatch(/log position .*e\.g\. \d+/);
      expect(detail).toMatch(
        /a date \(YYYY-MM-DD, e\.g\. \d{4}-\d{2}-\d{2}: the end of that day, UTC\)/,
      );
      expect(detail).toMatch(/offset or Z.*e\.g\. \d{4}-\d{2}-\d{2}T12:00:00\+01:00/);
      expect(detail).toContain(asOf);
    });

    it('refuses asOf given twice, saying the accepted forms', async () => {
      const response = await t.as('commission').get(urls.totals('?asOf=3&asOf=4'));

      expectProblem(response, 400, 'invalid_request');
      expect(response.body.detail).toMatch(/log position .*a date .*offset or Z/);
    });
  });

  describe("the audit feed's from and to", () => {
    const positions = async (query: string) => {
      const response = await t.as('auditor').get(urls.auditEvents(query));
      expect(response.status).toBe(200);
      return (response.body.entries as { position: number }[]).map((entry) => entry.position);
    };

    it('a date as from is the start of that day, UTC; as to, its end', async () => {
      expect(await positions('?from=2025-09-16')).toEqual([4]);
      expect(await positions('?to=2025-09-15')).toEqual([1, 2, 3]);
      expect(await positions('?from=2025-09-15&to=2025-09-15')).toEqual([1, 2, 3]);
    });

    it('takes a date-time with an offset', async () => {
      expect(await positions(`?from=${encodeURIComponent('2025-09-16T01:00:00+01:00')}`)).toEqual([
        4,
      ]);
    });

    it.each([
      ['from', 'yesterday', 'the start of that day'],
      ['to', '2025-09-15T10:00:00', 'the end of that day'],
      ['from', '17', 'the start of that day'],
    ])('refuses %s=%s with 400, saying the accepted forms', async (name, value, meaning) => {
      const response = await t
        .as('auditor')
        .get(urls.auditEvents(`?${name}=${encodeURIComponent(value)}`));

      expectProblem(response, 400, 'invalid_request');
      const { detail } = response.body as { detail: string };
      expect(detail).toContain(name);
      expect(detail).toContain(`e.g. 2026-01-31: ${meaning}, UTC`);
      expect(detail).toMatch(/offset or Z.*e\.g\. \d{4}-\d{2}-\d{2}T12:00:00\+01:00/);
      expect(detail).toContain('after');
    });
  });
});
