import {
  ADOPTED_ON,
  DEADLINE,
  PLAN_ID,
  PROPOSED_ON,
  aContribution,
  aLine,
  aPlanAdopted,
  aPlanAmended,
  aPlanBody,
  aPledgeBody,
  aPlanCreated,
  aPlanProposed,
  aPledgeSubmitted,
  aPledgeWithdrawn,
  aProposalBody,
  anAdoptionBody,
  anAmendmentBody,
  anEmergencyLine,
  anOpenPledgingBody,
  aPledgingClosed,
  aPledgingOpened,
  createTestApp,
  expectProblem,
  expectRejected,
  planStream,
  planWithPledges,
  pledgeStream,
  streams,
  urls,
  type TestApp,
} from './testApp';

const PLAN_FACTS = {
  planId: PLAN_ID,
  periodStart: '2026-01-01',
  periodEnd: '2027-12-31',
  resettlementFloorPercent: 60,
  priorityCountries: ['EG', 'JO', 'LB', 'NE', 'SD', 'TD', 'TR'],
  priorityRegions: ['americas'],
};

describe('the plan lifecycle over HTTP (Commission)', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('POST /plans creates the plan: 201, Location, ETag "1", one UnionPlanCreated', async () => {
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.plans).send(aPlanBody());

    expect(response.status).toBe(201);
    expect(response.headers['location']).toBe(`/api/v1/plans/${PLAN_ID}`);
    expect(response.headers['etag']).toBe('"1"');
    expect(response.body).toEqual({ version: 1, position: 1, status: 'draft', ...PLAN_FACTS });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 1,
          type: 'UnionPlanCreated',
          data: aPlanCreated().data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('normalises priority countries (upper case, sorted, unique) and takes the floor given', async () => {
    const mark = await t.mark();

    const response = await t
      .as('commission')
      .post(urls.plans)
      .send(
        aPlanBody({
          resettlementFloorPercent: 65,
          priorityCountries: ['tr', 'LB', 'TR'],
          priorityRegions: ['americas', 'europe'],
        }),
      );

    expect(response.status).toBe(201);
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 1,
          type: 'UnionPlanCreated',
          data: aPlanCreated({
            resettlementFloorPercent: 65,
            priorityCountries: ['LB', 'TR'],
            priorityRegions: ['americas', 'europe'],
          }).data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('opens pledging with a deadline: 200, ETag "2", one PledgingOpened', async () => {
    await t.given(planStream('draft'));
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.open()).send(anOpenPledgingBody());

    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"2"');
    expect(response.body).toEqual({
      version: 2,
      position: mark.position + 1,
      status: 'pledging_open',
      ...PLAN_FACTS,
      pledgingDeadline: DEADLINE,
    });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 2,
          type: 'PledgingOpened',
          data: aPledgingOpened().data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('opens pledging without a body and without a deadline', async () => {
    await t.given(planStream('draft'));
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.open());

    expect(response.status).toBe(200);
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 2,
          type: 'PledgingOpened',
          data: { planId: PLAN_ID },
          actor: 'commission',
        },
      ]),
    );
  });

  it('a deadline already passed is 422 invalid_deadline', async () => {
    await t.given(planStream('draft'));
    const mark = await t.mark();

    const response = await t
      .as('commission')
      .post(urls.open())
      .send(anOpenPledgingBody({ deadline: '2025-09-14' }));

    await expectRejected(t, mark, response, 422, 'invalid_deadline');
  });

  it('closes pledging: 200, ETag "3", one PledgingClosed', async () => {
    await t.given(planStream('pledging_open'));
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.close());

    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"3"');
    expect(response.body).toEqual({
      version: 3,
      position: mark.position + 1,
      status: 'pledging_closed',
      ...PLAN_FACTS,
    });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 3,
          type: 'PledgingClosed',
          data: aPledgingClosed().data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('reopens a closed round', async () => {
    await t.given(planStream('pledging_closed'));

    const response = await t.as('commission').post(urls.open()).send({});

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'pledging_open', version: 4 });
  });

  it('the proposal is a snapshot of the active pledges (withdrawn ones left out), sorted by Member State', async () => {
    const nlLines = [aLine({ hostCountry: 'LB', persons: 300 }), anEmergencyLine()];
    await t.given(
      ...planWithPledges(
        'pledging_closed',
        pledgeStream('NL', [aPledgeSubmitted({ memberState: 'NL', lines: nlLines })]),
        pledgeStream('FR', [
          aPledgeSubmitted({ memberState: 'FR' }),
          aPledgeWithdrawn({ memberState: 'FR' }),
        ]),
        pledgeStream('DE', [aPledgeSubmitted({ lines: [aLine({ persons: 500 })] })]),
      ),
    );
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.proposal()).send(aProposalBody());

    const contributions = [
      aContribution('DE', [aLine({ persons: 500 })]),
      aContribution('NL', nlLines),
    ];
    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"4"');
    expect(response.body).toEqual({
      version: 4,
      position: mark.position + 1,
      status: 'proposed',
      ...PLAN_FACTS,
      proposal: {
        reference: aProposalBody().reference,
        proposedOn: PROPOSED_ON,
        total: 820,
        contributions: [
          { ...contributions[0], total: 500 },
          { ...contributions[1], total: 320 },
        ],
      },
    });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 4,
          type: 'PlanProposed',
          data: aPlanProposed({ contributions }).data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('a proposal with no active pledge is 422 proposal_without_contributions', async () => {
    await t.given(
      planStream('pledging_closed'),
      pledgeStream('FR', [
        aPledgeSubmitted({ memberState: 'FR' }),
        aPledgeWithdrawn({ memberState: 'FR' }),
      ]),
    );
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.proposal()).send(aProposalBody());

    await expectRejected(t, mark, response, 422, 'proposal_without_contributions');
  });

  it('adoption without contributions adopts the proposal unchanged', async () => {
    await t.given(planStream('proposed'));
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.adoption()).send(anAdoptionBody());

    const proposed = aPlanProposed().data;
    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"5"');
    expect(response.body).toEqual({
      version: 5,
      position: mark.position + 1,
      status: 'adopted',
      ...PLAN_FACTS,
      proposal: {
        reference: proposed.reference,
        proposedOn: proposed.proposedOn,
        total: 800,
        contributions: [
          { memberState: 'DE', lines: [aLine({ persons: 500 })], total: 500 },
          { memberState: 'FR', lines: [aLine({ hostCountry: 'LB', persons: 300 })], total: 300 },
        ],
      },
      adoption: {
        actReference: anAdoptionBody().actReference,
        adoptedOn: ADOPTED_ON,
        total: 800,
      },
      adoptedContributions: [
        { memberState: 'DE', lines: [aLine({ persons: 500 })], total: 500 },
        { memberState: 'FR', lines: [aLine({ hostCountry: 'LB', persons: 300 })], total: 300 },
      ],
    });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 5,
          type: 'PlanAdopted',
          data: aPlanAdopted({ contributions: proposed.contributions }).data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('adoption with contributions records the Council’s figures, canonical and sorted', async () => {
    await t.given(planStream('proposed'));
    const mark = await t.mark();
    const fr = [aLine({ hostCountry: 'LB', persons: 200 })];
    const de = [aLine({ persons: 300 })];

    const response = await t
      .as('commission')
      .post(urls.adoption())
      .send(
        anAdoptionBody({
          contributions: [
            { memberState: 'fr', lines: fr },
            { memberState: 'DE', lines: de },
          ],
        }),
      );

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'adopted',
      adoption: { total: 500 },
      proposal: { total: 800 },
    });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 5,
          type: 'PlanAdopted',
          data: aPlanAdopted({
            contributions: [aContribution('DE', de), aContribution('FR', fr)],
          }).data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('an adoption dated before the proposal is 422 invalid_act_date', async () => {
    await t.given(planStream('proposed'));
    const mark = await t.mark();

    const response = await t
      .as('commission')
      .post(urls.adoption())
      .send(anAdoptionBody({ adoptedOn: '2025-11-10' }));

    await expectRejected(t, mark, response, 422, 'invalid_act_date');
  });

  it('records an amendment: new priority country, a contribution replaced, one removed', async () => {
    await t.given(planStream('adopted'));
    const mark = await t.mark();
    const se = [aLine({ hostCountry: 'ET', persons: 100 })];

    const response = await t
      .as('commission')
      .post(urls.amendments())
      .send(
        anAmendmentBody({
          contributions: [
            { memberState: 'SE', lines: se },
            { memberState: 'FR', lines: [] },
          ],
        }),
      );

    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"6"');
    expect(response.body).toMatchObject({
      version: 6,
      status: 'adopted',
      priorityCountries: ['EG', 'ET', 'JO', 'LB', 'NE', 'SD', 'TD', 'TR'],
      adoption: { total: 600 },
      adoptedContributions: [
        { memberState: 'DE', lines: [aLine({ persons: 500 })], total: 500 },
        { memberState: 'SE', lines: se, total: 100 },
      ],
    });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 6,
          type: 'PlanAmended',
          data: aPlanAmended({
            addPriorityCountries: ['ET'],
            contributions: [aContribution('FR', []), aContribution('SE', se)],
          }).data,
          actor: 'commission',
          reason: 'Unforeseen crisis: add Ethiopia',
        },
      ]),
    );
  });

  it('an amendment that changes nothing is 422 empty_amendment', async () => {
    await t.given(planStream('adopted'));
    const mark = await t.mark();

    const response = await t
      .as('commission')
      .post(urls.amendments())
      .send(anAmendmentBody({ addPriorityCountries: ['TR'] }));

    await expectRejected(t, mark, response, 422, 'empty_amendment');
  });

  it('GET /plans/:id returns the plan with its version as ETag', async () => {
    await t.given(planStream('pledging_open'));

    const response = await t.as('auditor').get(urls.plan());

    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"2"');
    expect(response.body).toMatchObject({
      ...PLAN_FACTS,
      status: 'pledging_open',
      pledgingDeadline: DEADLINE,
      version: 2,
      amendments: [],
      asOfPosition: 2,
    });
  });

  it('GET of an unknown plan is 404 plan_not_found', async () => {
    const response = await t.as('commission').get(urls.plan('2028-2029'));

    expectProblem(response, 404, 'plan_not_found');
  });

  describe('preconditions and refusals', () => {
    it('If-Match with the current version is accepted; a stale one is 412 and appends nothing', async () => {
      await t.given(planStream('pledging_open'));

      const stale = await t.mark();
      const refused = await t.as('commission').post(urls.close()).set('If-Match', '"1"');
      await expectRejected(t, stale, refused, 412, 'version_conflict');
      expect(refused.body).toMatchObject({ expectedVersion: 1, actualVersion: 2 });

      const accepted = await t.as('commission').post(urls.close()).set('If-Match', '"2"');
      expect(accepted.status).toBe(200);
      expect(accepted.headers['etag']).toBe('"3"');
    });

    it('creating a plan twice is 409 plan_already_exists', async () => {
      await t.given(planStream('draft'));
      const mark = await t.mark();

      const response = await t.as('commission').post(urls.plans).send(aPlanBody());

      await expectRejected(t, mark, response, 409, 'plan_already_exists');
    });

    it('a period that is not the two calendar years of the plan id is 422 invalid_plan_period', async () => {
      const mark = await t.mark();

      const response = await t
        .as('commission')
        .post(urls.plans)
        .send(aPlanBody({ periodEnd: '2026-12-31' }));

      await expectRejected(t, mark, response, 422, 'invalid_plan_period');
    });

    it('an unknown priority country is 400 unknown_host_country, an unknown region 400 unknown_region', async () => {
      const mark = await t.mark();

      const country = await t
        .as('commission')
        .post(urls.plans)
        .send(aPlanBody({ priorityCountries: ['ZZ'] }));
      await expectRejected(t, mark, country, 400, 'unknown_host_country');

      const region = await t
        .as('commission')
        .post(urls.plans)
        .send(aPlanBody({ priorityRegions: ['atlantis'] }));
      await expectRejected(t, mark, region, 400, 'unknown_region');
    });

    it('a command on a plan that does not exist is 404 plan_not_found', async () => {
      const mark = await t.mark();

      const response = await t.as('commission').post(urls.open()).send(anOpenPledgingBody());

      await expectRejected(t, mark, response, 404, 'plan_not_found');
    });

    const illegal = [
      ['open pledging', 'pledging_open', urls.open(), {}, ['draft', 'pledging_closed']],
      ['open pledging', 'adopted', urls.open(), {}, ['draft', 'pledging_closed']],
      ['close pledging', 'draft', urls.close(), {}, ['pledging_open']],
      ['close pledging', 'proposed', urls.close(), {}, ['pledging_open']],
      ['record a proposal', 'pledging_open', urls.proposal(), aProposalBody(), ['pledging_closed']],
      ['record the adoption', 'pledging_closed', urls.adoption(), anAdoptionBody(), ['proposed']],
      ['record the adoption', 'adopted', urls.adoption(), anAdoptionBody(), ['proposed']],
      ['amend the plan', 'proposed', urls.amendments(), anAmendmentBody(), ['adopted']],
    ] as const;

    it.each(illegal)(
      'cannot %s while %s: 409 invalid_transition, nothing appended',
      async (_action, status, url, body, allowedFrom) => {
        await t.given(planStream(status));
        const mark = await t.mark();

        const response = await t.as('commission').post(url).send(body);

        await expectRejected(t, mark, response, 409, 'invalid_transition');
        expect(response.body).toMatchObject({ planStatus: status, allowedFrom });
      },
    );
  });

  it('runs the whole cycle through HTTP, each write answering the next ETag', async () => {
    const commission = t.as('commission');
    const created = await commission.post(urls.plans).send(aPlanBody());
    const opened = await commission.post(urls.open()).send(anOpenPledgingBody());
    const de = await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-None-Match', '*')
      .send(aPledgeBody([aLine({ persons: 700 })]));
    const fr = await t
      .as('fr')
      .put(urls.pledge('FR'))
      .set('If-None-Match', '*')
      .send(aPledgeBody([aLine({ hostCountry: 'LB', persons: 300 })]));
    const closed = await commission.post(urls.close());
    const proposed = await commission.post(urls.proposal()).send(aProposalBody());
    const adopted = await commission.post(urls.adoption()).send(
      anAdoptionBody({
        contributions: [{ memberState: 'DE', lines: [aLine({ persons: 600 })] }],
      }),
    );
    const amended = await commission.post(urls.amendments()).send(anAmendmentBody());

    expect(
      [created, opened, de, fr, closed, proposed, adopted, amended].map((response) => [
        response.status,
        response.headers['etag'],
      ]),
    ).toEqual([
      [201, '"1"'],
      [200, '"2"'],
      [201, '"1"'],
      [201, '"1"'],
      [200, '"3"'],
      [200, '"4"'],
      [200, '"5"'],
      [200, '"6"'],
    ]);
    expect(proposed.body).toMatchObject({ proposal: { total: 1000 } });
    expect(adopted.body).toMatchObject({ adoption: { total: 600 } });
    expect((await t.store.readAll()).map((event) => event.type)).toEqual([
      'UnionPlanCreated',
      'PledgingOpened',
      'PledgeSubmitted',
      'PledgeSubmitted',
      'PledgingClosed',
      'PlanProposed',
      'PlanAdopted',
      'PlanAmended',
    ]);
  });
});
