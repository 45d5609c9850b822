/**
 * Views served from the view cache: computed once per plan, view, audience and log position, kept
 * until an event of their plan comes, and answered byte for byte as a fresh computation would.
 */
import { unionPlanStreamId } from '../../src/domain/unionPlan/unionPlanEvents';
import { viewCacheOf } from '../../src/api/viewCache';
import { getTotals, planReadModel } from '../../src/projections/planReadModel';
import { ALL_PARTICIPANTS, ownScope } from '../../src/projections/readScope';
import { getFulfilment } from '../../src/projections/implementation';
import {
  aLine,
  aPlanCreated,
  aReportBody,
  anAdmission,
  aPledgeBody,
  aPledgeSubmitted,
  actorOf,
  createTestApp,
  planStream,
  pledgeStream,
  urls,
  type TestApp,
} from './testApp';

const OTHER_PLAN = '2028-2029';

describe('the view cache', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  const pledges = () => [
    pledgeStream('DE', [aPledgeSubmitted({ lines: [aLine({ persons: 700 })] })]),
    pledgeStream('FR', [
      aPledgeSubmitted({ memberState: 'FR', lines: [aLine({ hostCountry: 'LB', persons: 300 })] }),
    ]),
  ];
  const stats = () => viewCacheOf(t.projector).stats;

  it('computes a view once per log position and answers the same bytes from the cache', async () => {
    await t.given(planStream('pledging_open'), ...pledges());

    const first = await t.as('commission').get(urls.totals());
    const before = stats();
    const second = await t.as('commission').get(urls.totals());

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(stats().hits).toBe(before.hits + 1);
    expect(second.text).toBe(first.text);
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    // What `response.json({ ...view, asOfPosition })` answered before there was a cache.
    const head = await t.store.headPosition();
    const fresh = getTotals(
      t.projector.state(planReadModel),
      '2026-2027',
      'pledges',
      ALL_PARTICIPANTS,
    );
    expect(second.text).toBe(JSON.stringify({ ...fresh, asOfPosition: head }));
    expect(second.headers['x-log-position']).toBe(String(head));
  });

  it('recomputes once an event of the plan comes, and reads its own write', async () => {
    await t.given(planStream('pledging_open'), ...pledges());
    expect((await t.as('commission').get(urls.totals())).body.total).toBe(1000);

    const write = await t
      .as('nl')
      .put(urls.pledge('NL'))
      .set('If-None-Match', '*')
      .send(aPledgeBody([aLine({ persons: 50 })]));
    expect(write.status).toBe(201);
    const read = await t.as('commission').get(urls.totals());

    expect(read.body.total).toBe(1050);
    expect(read.body.asOfPosition).toBe(Number(write.headers['x-log-position']));
  });

  it("keeps a plan's view while only other plans move, naming the position it is served at", async () => {
    await t.given(planStream('pledging_open'), ...pledges());
    const first = await t.as('commission').get(urls.totals());
    await t.given({
      streamId: unionPlanStreamId(OTHER_PLAN),
      actor: actorOf('commission'),
      events: [
        aPlanCreated({ planId: OTHER_PLAN, periodStart: '2028-01-01', periodEnd: '2029-12-31' }),
      ],
    });
    const head = await t.store.headPosition();
    const before = stats();

    const second = await t.as('commission').get(urls.totals());

    expect(stats().hits).toBe(before.hits + 1);
    expect(second.body).toEqual({ ...first.body, asOfPosition: head });
    expect(second.headers['x-log-position']).toBe(String(head));
  });

  it("never answers one audience with another's view", async () => {
    await t.given(planStream('pledging_open'), ...pledges());

    const commission = await t.as('commission').get(urls.totals());
    const germany = await t.as('de').get(urls.totals());
    const france = await t.as('fr').get(urls.totals());
    const germanyAgain = await t.as('de').get(urls.totals());
    const commissionAgain = await t.as('commission').get(urls.totals());

    expect(commission.body.total).toBe(1000);
    expect(germany.body).toMatchObject({ total: 700, scope: ownScope('DE') });
    expect(france.body).toMatchObject({ total: 300, scope: ownScope('FR') });
    expect(germanyAgain.text).toBe(germany.text);
    expect(commissionAgain.text).toBe(commission.text);
  });

  it('keeps the views of each query apart', async () => {
    await t.given(planStream('pledging_open'), ...pledges());

    const totals = await t.as('commission').get(urls.totals());
    const compliance = await t.as('commission').get(urls.compliance());
    const proposal = await t.as('commission').get(urls.totals('?view=proposal'));

    expect(totals.body.total).toBe(1000);
    expect(compliance.body.checks).toBeDefined();
    expect(proposal.status).toBe(404);
    expect((await t.as('commission').get(urls.totals())).text).toBe(totals.text);
  });

  it('keeps a read as of a position with its cut, and the live view moves on', async () => {
    await t.given(planStream('pledging_open'), ...pledges());
    const cut = await t.store.headPosition();
    await t.given(pledgeStream('NL', [aPledgeSubmitted({ memberState: 'NL' })]));

    const first = await t.as('commission').get(urls.totals(`?asOf=${cut}`));
    const before = stats();
    const second = await t.as('commission').get(urls.totals(`?asOf=${cut}`));
    const live = await t.as('commission').get(urls.totals());

    expect(first.body).toMatchObject({ total: 1000, asOfPosition: cut });
    expect(stats().hits).toBe(before.hits + 1);
    expect(second.text).toBe(first.text);
    expect(live.body.total).toBeGreaterThan(1000);
  });

  it('does not keep a read as of a position the read models have not reached', async () => {
    await t.given(planStream('pledging_open'), ...pledges());
    const head = await t.store.headPosition();

    const beyond = await t.as('commission').get(urls.totals(`?asOf=${head + 5}`));
    await t.given(pledgeStream('NL', [aPledgeSubmitted({ memberState: 'NL' })]));
    const later = await t.as('commission').get(urls.totals(`?asOf=${head + 5}`));

    expect(beyond.body.total).toBe(1000);
    expect(later.body.total).toBeGreaterThan(1000);
  });

  it('measures a live view against the clock at every read, even with the log still', async () => {
    // The fulfilment's pace moves with the clock: a cached answer would name a past instant.
    await t.given({
      ...planStream('adopted'),
    });
    const first = await t.as('commission').get(urls.fulfilment());
    const later = t.clock.advance(86_400_000);
    const second = await t.as('commission').get(urls.fulfilment());

    expect(first.status).toBe(200);
    expect(second.body.referenceInstant).toBe(later);
    expect(second.body.period.elapsedFraction).toBeGreaterThanOrEqual(
      first.body.period.elapsedFraction,
    );
    expect(second.body.referenceInstant).not.toBe(first.body.referenceInstant);
  });

  it('keeps the tallies a live fulfilment is measured from only while its plan does not move', async () => {
    await t.given(planStream('adopted'));
    t.clock.set('2026-07-02T00:00:00.000Z');
    const fresh = () =>
      getFulfilment(t.projector.state(planReadModel), '2026-2027', ALL_PARTICIPANTS, t.clock.iso());
    const before = await t.as('commission').get(urls.fulfilment());
    expect(before.body.total.admitted).toBe(0);

    const report = await t
      .as('de')
      .put(urls.report('DE', '2026-01'))
      .set('If-None-Match', '*')
      .send(aReportBody([anAdmission({ persons: 40 })]));
    expect(report.status).toBe(201);
    t.clock.advance(3_600_000);
    const after = await t.as('commission').get(urls.fulfilment());
    const again = await t.as('commission').get(urls.fulfilment());

    const expected = fresh();
    if (typeof expected !== 'object') throw new Error(`No fulfilment: ${String(expected)}`);
    expect(after.body.total.admitted).toBe(40);
    expect(again.text).toBe(
      JSON.stringify({ ...expected, asOfPosition: Number(report.headers['x-log-position']) }),
    );
  });

  it('keeps the report lists of each filter, and the exports, apart and whole', async () => {
    await t.given(planStream('adopted'));
    t.clock.set('2026-07-02T00:00:00.000Z');
    for (const [principal, memberState, persons] of [
      ['de', 'DE', 40],
      ['fr', 'FR', 25],
    ] as const) {
      const report = await t
        .as(principal)
        .put(urls.report(memberState, '2026-01'))
        .set('If-None-Match', '*')
        .send(aReportBody([anAdmission({ persons })]));
      expect(report.status).toBe(201);
    }

    const germany = await t.as('commission').get(urls.reports('?memberState=DE'));
    const france = await t.as('commission').get(urls.reports('?memberState=FR'));
    const all = await t.as('commission').get(urls.reports());
    const before = stats();
    const germanyAgain = await t.as('commission').get(urls.reports('?memberState=DE'));
    const exported = await t.as('commission').get(urls.frameworkExport());
    const exportedAgain = await t.as('commission').get(urls.frameworkExport());

    const memberStatesOf = (body: { reports: { memberState: string }[] }) =>
      [...new Set(body.reports.map((report) => report.memberState))].sort();
    expect(memberStatesOf(germany.body)).toEqual(['DE']);
    expect(memberStatesOf(france.body)).toEqual(['FR']);
    expect(memberStatesOf(all.body)).toEqual(['DE', 'FR']);
    expect(germanyAgain.text).toBe(germany.text);
    expect(exported.status).toBe(200);
    expect(exportedAgain.text).toBe(exported.text);
    expect(stats().hits).toBe(before.hits + 2);
  });
});
