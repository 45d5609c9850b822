import {
  ALL_PRINCIPALS,
  PLAN_ID,
  aLine,
  aPlanBody,
  aPledgeBody,
  aPledgeRevised,
  aPledgeSubmitted,
  aProposalBody,
  aWithdrawalBody,
  anAdoptionBody,
  anAmendmentBody,
  anEmergencyLine,
  anOpenPledgingBody,
  createTestApp,
  expectProblem,
  expectRejected,
  aPlanAdopted,
  planStream,
  planWithPledges,
  pledgeStream,
  tokenOf,
  urls,
  withTotal,
  type Client,
  type Principal,
  type TestApp,
} from './testApp';

type Method = keyof Client;

interface Route {
  readonly method: Method;
  readonly url: string;
  readonly body?: object;
}

const PROTECTED_ROUTES: readonly Route[] = [
  { method: 'get', url: urls.plans },
  { method: 'post', url: urls.plans, body: aPlanBody() },
  { method: 'get', url: urls.plan() },
  { method: 'post', url: urls.open(), body: anOpenPledgingBody() },
  { method: 'post', url: urls.close(), body: {} },
  { method: 'post', url: urls.proposal(), body: aProposalBody() },
  { method: 'post', url: urls.adoption(), body: anAdoptionBody() },
  { method: 'post', url: urls.amendments(), body: anAmendmentBody() },
  { method: 'get', url: urls.planHistory() },
  { method: 'get', url: urls.totals() },
  { method: 'get', url: urls.totals('?view=adopted') },
  { method: 'get', url: urls.compliance() },
  { method: 'get', url: urls.pledges() },
  { method: 'put', url: urls.pledge('DE'), body: aPledgeBody() },
  { method: 'delete', url: urls.pledge('DE'), body: aWithdrawalBody() },
  { method: 'get', url: urls.pledge('DE') },
  { method: 'get', url: urls.pledgeHistory('DE') },
  { method: 'get', url: urls.auditEvents() },
  { method: 'post', url: urls.replay },
  { method: 'get', url: '/api/v1/no-such-route' },
];

const PUBLIC_ROUTES = [
  urls.health,
  '/api/v1/reference/member-states',
  '/api/v1/reference/host-countries',
  '/api/v1/reference/regions',
  '/api/v1/reference/target-groups',
  '/api/v1/reference/amif-lump-sums',
];

function send(client: Client, route: Route) {
  const test = client[route.method](route.url);
  return route.body === undefined ? test : test.send(route.body);
}

describe('authentication and authorization over HTTP', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  describe('authentication', () => {
    const credentials: readonly [string, string | undefined][] = [
      ['no Authorization header', undefined],
      ['an unknown token', 'Bearer not-a-token-anyone-holds'],
      ['a token in the wrong scheme', `Basic ${tokenOf('commission')}`],
      ['a bearer without a token', 'Bearer '],
      ['a token with a trailing character', `Bearer ${tokenOf('commission')}x`],
    ];
    const cases = PROTECTED_ROUTES.flatMap((route) =>
      credentials.map(
        ([label, header]) => [route.method.toUpperCase(), route.url, label, header, route] as const,
      ),
    );

    it.each(cases)(
      '%s %s with %s is 401 and appends nothing',
      async (_m, _u, _label, header, route) => {
        await t.given(planStream('pledging_open'));
        const mark = await t.mark();
        const test = t.anonymous[route.method](route.url);
        if (header !== undefined) test.set('Authorization', header);

        const response = await (route.body === undefined ? test : test.send(route.body));

        await expectRejected(t, mark, response, 401, 'unauthenticated');
        expect(response.headers['www-authenticate']).toBe('Bearer realm="pledge-tracker"');
      },
    );

    it.each(PUBLIC_ROUTES)('GET %s needs no token', async (url) => {
      const response = await t.anonymous.get(url);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    });

    it('the reference data lists Member States with whether they may pledge', async () => {
      const response = await t.anonymous.get('/api/v1/reference/member-states');

      expect(response.body.memberStates).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'DE', mayPledge: true }),
          expect.objectContaining({ code: 'DK', participation: 'not_bound', mayPledge: false }),
          // Ireland is bound: it notified its wish to take part, and the Commission confirmed it.
          expect.objectContaining({ code: 'IE', participation: 'bound', mayPledge: true }),
          expect.objectContaining({ code: 'NO', kind: 'associated_state', mayPledge: true }),
        ]),
      );
    });

    it('the scheme name is case-insensitive', async () => {
      await t.given(planStream('draft'));

      const response = await t.anonymous
        .get(urls.plan())
        .set('Authorization', `bearer ${tokenOf('auditor')}`);

      expect(response.status).toBe(200);
    });

    it('answers every request with a request id and a correlation id', async () => {
      const response = await t.anonymous.get(urls.health);

      expect(response.headers['x-request-id']).toMatch(/^request-\d{4}$/);
      expect(response.headers['x-correlation-id']).toBe(response.headers['x-request-id']);
    });

    it('keeps a well-formed X-Correlation-Id and replaces one that is not', async () => {
      const kept = await t.anonymous.get(urls.health).set('X-Correlation-Id', 'case:2025/11');
      const good = await t.anonymous.get(urls.health).set('X-Correlation-Id', 'case-2025.11:a_b');
      const long = await t.anonymous.get(urls.health).set('X-Correlation-Id', 'x'.repeat(101));

      expect(kept.headers['x-correlation-id']).toBe(kept.headers['x-request-id']);
      expect(good.headers['x-correlation-id']).toBe('case-2025.11:a_b');
      expect(long.headers['x-correlation-id']).toBe(long.headers['x-request-id']);
    });
  });

  describe('writes', () => {
    it('a Member State cannot submit, revise or withdraw another Member State’s pledge: 403', async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR' })]),
      );
      const mark = await t.mark();

      const submit = await t
        .as('de')
        .put(urls.pledge('NL'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());
      await expectRejected(t, mark, submit, 403, 'forbidden');

      const revise = await t
        .as('de')
        .put(urls.pledge('FR'))
        .set('If-Match', '"1"')
        .send(aPledgeBody([aLine({ persons: 1 })], { reason: 'Hostile takeover' }));
      await expectRejected(t, mark, revise, 403, 'forbidden');

      const withdraw = await t
        .as('de')
        .delete(urls.pledge('FR'))
        .set('If-Match', '"1"')
        .send(aWithdrawalBody());
      await expectRejected(t, mark, withdraw, 403, 'forbidden');
    });

    it.each([
      ['an auditor PUT without preconditions', 'auditor', 'put', urls.pledge('DE'), {}],
      ['an auditor PUT with a malformed body', 'auditor', 'put', urls.pledge('DE'), { lines: 'x' }],
      ['an auditor DELETE without a reason', 'auditor', 'delete', urls.pledge('FR'), {}],
      ['a Member State PUT for another without preconditions', 'de', 'put', urls.pledge('FR'), {}],
      ['a Member State POST /plans with a malformed body', 'de', 'post', urls.plans, { planId: 1 }],
      ['an auditor POST of a proposal without a body', 'auditor', 'post', urls.proposal(), {}],
      [
        'a Member State POST of an amendment with unknown fields',
        'fr',
        'post',
        urls.amendments(),
        { x: 1 },
      ],
    ] as const)(
      'authorization comes before validation: %s is 403',
      async (_label, who, method, url, body) => {
        await t.given(
          planStream('pledging_open'),
          pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR' })]),
        );
        const mark = await t.mark();

        const response = await t.as(who)[method](url).send(body);

        await expectRejected(t, mark, response, 403, 'forbidden');
      },
    );

    it.each(['commission', 'auditor'] as const)(
      'the %s cannot write a Member State’s pledge: 403',
      async (who) => {
        await t.given(
          planStream('pledging_open'),
          pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR' })]),
        );
        const mark = await t.mark();

        const submit = await t
          .as(who)
          .put(urls.pledge('DE'))
          .set('If-None-Match', '*')
          .send(aPledgeBody());
        await expectRejected(t, mark, submit, 403, 'forbidden');

        const withdraw = await t
          .as(who)
          .delete(urls.pledge('FR'))
          .set('If-Match', '"1"')
          .send(aWithdrawalBody());
        await expectRejected(t, mark, withdraw, 403, 'forbidden');
      },
    );

    /** Each lifecycle command, on a plan in the state where the Commission could run it. */
    const lifecycle = [
      ['create a plan', 'none', urls.plans, aPlanBody()],
      ['open pledging', 'draft', urls.open(), anOpenPledgingBody()],
      ['close pledging', 'pledging_open', urls.close(), {}],
      ['record the proposal', 'pledging_closed', urls.proposal(), aProposalBody()],
      ['record the adoption', 'proposed', urls.adoption(), anAdoptionBody()],
      ['record an amendment', 'adopted', urls.amendments(), anAmendmentBody()],
    ] as const;

    it.each(
      lifecycle.flatMap((row) => (['de', 'auditor'] as const).map((who) => [who, ...row] as const)),
    )('%s cannot %s: 403, nothing appended', async (who, _action, status, url, body) => {
      await t.given(planStream(status), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t.as(who).post(url).send(body);

      await expectRejected(t, mark, response, 403, 'forbidden');
    });

    it('the same lifecycle commands succeed for the Commission (the refusals above are about the role)', async () => {
      for (const [, status, url, body] of lifecycle) {
        const scoped = createTestApp();
        await scoped.given(...planWithPledges(status, pledgeStream('DE', [aPledgeSubmitted()])));
        const response = await scoped.as('commission').post(url).send(body);
        expect([url, response.status]).toEqual([url, url === urls.plans ? 201 : 200]);
        await scoped.close();
      }
    });
  });

  describe('reading pledges before and after adoption', () => {
    const deLines = [aLine({ persons: 100 }), anEmergencyLine({ persons: 20 })];
    const frLines = [
      aLine({ hostCountry: 'LB', persons: 300 }),
      aLine({ admissionType: 'humanitarian_admission', hostCountry: 'TR', persons: 50 }),
      anEmergencyLine({ emergencyBasis: 'humanitarian_admission', persons: 10 }),
    ];
    const givenBothPledged = (status: 'pledging_open' | 'adopted') =>
      t.given(
        planStream(status),
        pledgeStream('DE', [aPledgeSubmitted({ lines: deLines })]),
        pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR', lines: frLines })]),
      );
    const memberStatesOf = (rows: { memberState: string }[]) => rows.map((row) => row.memberState);

    it.each(['pledging_open', 'adopted'] as const)(
      'a Member State cannot GET another’s pledge (403) but reads its own (plan %s)',
      async (status) => {
        await givenBothPledged(status);

        const other = await t.as('de').get(urls.pledge('FR'));
        const own = await t.as('de').get(urls.pledge('DE'));

        expectProblem(other, 403, 'forbidden');
        expect(own.status).toBe(200);
        expect(own.body).toMatchObject({ memberState: 'DE', total: 120 });
      },
    );

    it('the 403 does not reveal whether the other pledge exists', async () => {
      await givenBothPledged('pledging_open');

      const response = await t.as('de').get(urls.pledge('NL'));

      expectProblem(response, 403, 'forbidden');
    });

    it.each(['pledging_open', 'adopted'] as const)(
      'a Member State’s list of pledges holds its own only; the Commission and auditors see all (plan %s)',
      async (status) => {
        await givenBothPledged(status);

        const de = await t.as('de').get(urls.pledges());
        const nl = await t.as('nl').get(urls.pledges());
        const commission = await t.as('commission').get(urls.pledges());
        const auditor = await t.as('auditor').get(urls.pledges());

        expect(de.status).toBe(200);
        expect(memberStatesOf(de.body.pledges)).toEqual(['DE']);
        expect(memberStatesOf(nl.body.pledges)).toEqual([]);
        expect(memberStatesOf(commission.body.pledges)).toEqual(['DE', 'FR']);
        expect(memberStatesOf(auditor.body.pledges)).toEqual(['DE', 'FR']);
      },
    );

    it('totals for a Member State are computed from its own pledge only: no aggregate reveals another’s', async () => {
      await givenBothPledged('pledging_open');

      const de = await t.as('de').get(urls.totals('?view=pledges'));
      const commission = await t.as('commission').get(urls.totals('?view=pledges'));

      expect(de.status).toBe(200);
      const byType = (resettlement: number, humanitarian: number, emergency: number) => ({
        resettlement,
        humanitarian_admission: humanitarian,
        emergency_admission: emergency,
      });
      const nothing = {
        total: 0,
        byAdmissionType: byType(0, 0, 0),
        emergencyByBasis: { resettlement: 0, humanitarian_admission: 0 },
        byYear: {},
        byMemberState: [],
        regions: [],
        planRegions: [],
        notRegionBound: { total: 0, byAdmissionType: byType(0, 0, 0), byMemberState: {} },
      };
      expect(de.body).toEqual({
        planId: PLAN_ID,
        view: 'pledges',
        scope: { kind: 'own', memberState: 'DE' },
        total: 120,
        byAdmissionType: byType(100, 0, 20),
        emergencyByBasis: { resettlement: 20, humanitarian_admission: 0 },
        byYear: { unspecified: 120 },
        byMemberState: [{ memberState: 'DE', total: 120, byAdmissionType: byType(100, 0, 20) }],
        regions: [
          {
            region: 'europe',
            total: 100,
            byAdmissionType: byType(100, 0, 0),
            countries: [
              {
                country: 'TR',
                name: 'Türkiye',
                total: 100,
                byAdmissionType: byType(100, 0, 0),
                byMemberState: { DE: 100 },
              },
            ],
            groups: [],
          },
        ],
        planRegions: [],
        notRegionBound: { total: 20, byAdmissionType: byType(0, 0, 20), byMemberState: { DE: 20 } },
        associatedStates: nothing,
        asOfPosition: 4,
      });
      expect(commission.body).toMatchObject({ scope: { kind: 'all' }, total: 480 });
      expect(memberStatesOf(commission.body.byMemberState)).toEqual(['DE', 'FR']);
      expect(commission.body.notRegionBound.byMemberState).toEqual({ DE: 20, FR: 10 });
    });

    it('compliance for a Member State checks its own lines only', async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [
          aPledgeSubmitted({ lines: [aLine({ hostCountry: 'PK', persons: 100 })] }),
        ]),
        pledgeStream('FR', [
          aPledgeSubmitted({
            memberState: 'FR',
            lines: [aLine({ hostCountry: 'IR', persons: 40 })],
          }),
        ]),
      );

      const de = await t.as('de').get(urls.compliance('?view=pledges'));
      const commission = await t.as('commission').get(urls.compliance('?view=pledges'));

      const check = (body: { checks: { id: string }[] }, id: string) =>
        body.checks.find((candidate) => candidate.id === id) as Record<string, unknown>;
      expect(de.status).toBe(200);
      expect(de.body).toMatchObject({ scope: { kind: 'own', memberState: 'DE' }, total: 100 });
      expect(check(de.body, 'priority_host_countries')).toMatchObject({
        outsidePersons: 100,
        outside: [
          {
            memberState: 'DE',
            host: 'PK',
            countriesOutside: ['PK'],
            admissionType: 'resettlement',
            persons: 100,
          },
        ],
      });
      expect(check(de.body, 'amif_lump_sums')).toMatchObject({
        status: 'info',
        forecast: true,
        minEur: 1_000_000,
        maxEur: 1_000_000,
        byMemberState: [{ memberState: 'DE', persons: 100, minEur: 1_000_000, maxEur: 1_000_000 }],
      });
      expect(commission.body.total).toBe(140);
      expect(check(commission.body, 'amif_lump_sums')).toMatchObject({
        minEur: 1_400_000,
        byMemberState: [
          { memberState: 'DE', persons: 100 },
          { memberState: 'FR', persons: 40 },
        ],
      });
    });

    it('before adoption the proposal shows a Member State its own share and no total, wherever it appears', async () => {
      await t.given(
        planStream('proposed'),
        pledgeStream('DE', [aPledgeSubmitted({ lines: [aLine({ persons: 500 })] })]),
        pledgeStream('FR', [
          aPledgeSubmitted({
            memberState: 'FR',
            lines: [aLine({ hostCountry: 'LB', persons: 300 })],
          }),
        ]),
      );

      const totals = await t.as('de').get(urls.totals('?view=proposal'));
      const plan = await t.as('de').get(urls.plan());
      const history = await t.as('de').get(urls.planHistory());
      const commissionPlan = await t.as('commission').get(urls.plan());

      expect(totals.body).toMatchObject({
        total: 500,
        byMemberState: [{ memberState: 'DE', total: 500 }],
      });
      expect(totals.body.byMemberState).toHaveLength(1);
      expect(plan.status).toBe(200);
      expect(plan.body.proposal).not.toHaveProperty('total');
      expect(memberStatesOf(plan.body.proposal.contributions)).toEqual(['DE']);
      const proposed = history.body.versions.find(
        (version: { type: string }) => version.type === 'PlanProposed',
      );
      expect(proposed.diff).not.toHaveProperty('totalAfter');
      expect(proposed.diff.contributions).toEqual([
        { memberState: 'DE', before: 0, after: 500, delta: 500 },
      ]);
      expect(commissionPlan.body.proposal).toMatchObject({ total: 800 });
      expect(memberStatesOf(commissionPlan.body.proposal.contributions)).toEqual(['DE', 'FR']);
    });

    it('after adoption the adopted plan is whole for every Member State; pledges and their figures stay its own', async () => {
      await givenBothPledged('adopted');

      const adopted = await t.as('nl').get(urls.totals('?view=adopted'));
      const commissionAdopted = await t.as('commission').get(urls.totals('?view=adopted'));
      const plan = await t.as('nl').get(urls.plan());
      const pledged = await t.as('de').get(urls.totals('?view=pledges'));

      expect(adopted.status).toBe(200);
      expect(adopted.body).toEqual(commissionAdopted.body);
      expect(memberStatesOf(adopted.body.byMemberState)).toEqual(['DE', 'FR']);
      expect(plan.body.adoptedContributions).toEqual(
        aPlanAdopted().data.contributions.map(withTotal),
      );
      expect(plan.body.adoption).toMatchObject({ total: 800 });
      expect(memberStatesOf(pledged.body.byMemberState)).toEqual(['DE']);
      expect(pledged.body.total).toBe(120);
    });

    it('asOf a position before adoption a Member State sees the proposal as before adoption again', async () => {
      await t.given(
        planStream('proposed'),
        pledgeStream('DE', [aPledgeSubmitted({ lines: [aLine({ persons: 500 })] })]),
        pledgeStream('FR', [
          aPledgeSubmitted({
            memberState: 'FR',
            lines: [aLine({ hostCountry: 'LB', persons: 300 })],
          }),
        ]),
      );
      const beforeAdoption = await t.store.headPosition();
      await t.as('commission').post(urls.adoption()).send(anAdoptionBody());

      const now = await t.as('de').get(urls.plan());
      const then = await t.as('de').get(`${urls.plan()}?asOf=${beforeAdoption}`);
      const adoptedThen = await t.as('de').get(urls.totals(`?view=adopted&asOf=${beforeAdoption}`));

      expect(memberStatesOf(now.body.adoption.contributions)).toEqual(['DE', 'FR']);
      expect(then.body).not.toHaveProperty('adoption');
      expect(then.body.proposal).not.toHaveProperty('total');
      expect(memberStatesOf(then.body.proposal.contributions)).toEqual(['DE']);
      expectProblem(adoptedThen, 404, 'view_not_available');
    });
  });

  describe('histories and the audit trail', () => {
    it.each(['pledging_open', 'adopted'] as const)(
      'a Member State never sees another’s pledge history (%s): 403; its own it does',
      async (status) => {
        await t.given(
          planStream(status),
          pledgeStream('DE', [aPledgeSubmitted()]),
          pledgeStream('FR', [
            aPledgeSubmitted({ memberState: 'FR' }),
            aPledgeRevised({ memberState: 'FR' }),
          ]),
        );

        const other = await t.as('de').get(urls.pledgeHistory('FR'));
        const own = await t.as('fr').get(urls.pledgeHistory('FR'));

        expectProblem(other, 403, 'forbidden');
        expect(own.status).toBe(200);
        expect(own.body.versions).toHaveLength(2);
      },
    );

    it.each(['commission', 'auditor'] as const)('the %s reads any pledge history', async (who) => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR' })]),
      );

      const response = await t.as(who).get(urls.pledgeHistory('FR'));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ planId: PLAN_ID, memberState: 'FR' });
    });

    const auditRoutes: readonly Route[] = [
      { method: 'get', url: urls.auditEvents() },
      { method: 'post', url: urls.replay },
    ];
    const byPrincipal = auditRoutes.flatMap((route) =>
      ALL_PRINCIPALS.map(
        (principal) => [route.method.toUpperCase(), route.url, principal, route] as const,
      ),
    );

    it.each(byPrincipal)(
      '%s %s as %s: auditors and the Commission only',
      async (_m, _u, principal, route) => {
        await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));

        const response = await send(t.as(principal), route);

        if (isAuditReader(principal)) {
          expect(response.status).toBe(200);
        } else {
          expectProblem(response, 403, 'forbidden');
        }
      },
    );
  });
});

function isAuditReader(principal: Principal): boolean {
  return principal === 'commission' || principal === 'auditor';
}
