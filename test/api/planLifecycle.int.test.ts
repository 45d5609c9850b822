import {
  ADOPTED_ON,
  DEADLINE,
  NOW,
  PLAN_ID,
  PROPOSED_ON,
  aContribution,
  aLine,
  aPlanAdopted,
  aPlanAmended,
  aPlanBody,
  aPlanCreated,
  aPlanProposed,
  aPlanRegion,
  aPlanView,
  aPledgeBody,
  aPledgeRevised,
  aPledgeSubmitted,
  aPledgeWithdrawn,
  aPledgingClosed,
  aPledgingOpened,
  aProposalBody,
  anAdoptionBody,
  anAmendmentBody,
  anEmergencyLine,
  anOpenPledgingBody,
  createTestApp,
  expectProblem,
  expectRejected,
  expectSameAsPlanGet,
  planEventsAt,
  planStream,
  planWithPledges,
  pledgeStream,
  streams,
  urls,
  withTotal,
  type GivenStream,
  type TestApp,
} from './testApp';

describe('the plan lifecycle over HTTP (Commission)', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('POST /plans creates the plan: 201, Location, ETag "1", one UnionPlanCreated, the GET shape', async () => {
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.plans).send(aPlanBody());

    expect(response.status).toBe(201);
    expect(response.headers['location']).toBe(`/api/v1/plans/${PLAN_ID}`);
    expect(response.headers['etag']).toBe('"1"');
    expect(response.body).toEqual(aPlanView());
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
    await expectSameAsPlanGet(t, response);
  });

  it('normalises priority countries (upper case, sorted, unique); the law’s 60 % floor is accepted, not stored', async () => {
    const mark = await t.mark();

    const response = await t
      .as('commission')
      .post(urls.plans)
      .send(
        aPlanBody({
          resettlementFloorPercent: 60,
          priorityCountries: ['tr', 'LB', 'TR'],
          priorityRegions: ['europe', 'americas'],
        }),
      );

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      resettlementFloorPercent: 60,
      priorityCountries: ['LB', 'TR'],
      priorityRegions: ['americas', 'europe'],
    });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 1,
          type: 'UnionPlanCreated',
          data: aPlanCreated({
            priorityCountries: ['LB', 'TR'],
            priorityRegions: ['americas', 'europe'],
          }).data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('creates a plan with its own regions, countries canonical and regions sorted by id', async () => {
    const mark = await t.mark();
    const route = aPlanRegion({ countries: ['tn', 'LY', 'TN'] });
    const latinAmerica = aPlanRegion({
      id: 'latin_america',
      name: 'Latin America',
      countries: ['EC', 'CO'],
    });

    const response = await t
      .as('commission')
      .post(urls.plans)
      .send(aPlanBody({ regions: [latinAmerica, route] }));

    const regions = [
      aPlanRegion({ countries: ['LY', 'TN'] }),
      aPlanRegion({ id: 'latin_america', name: 'Latin America', countries: ['CO', 'EC'] }),
    ];
    expect(response.status).toBe(201);
    expect(response.body).toEqual(aPlanView({ regions }));
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 1,
          type: 'UnionPlanCreated',
          data: aPlanCreated({ regions }).data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('opens pledging with a deadline: 200, ETag "2", one PledgingOpened, the GET shape', async () => {
    await t.given(planStream('draft'));
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.open()).send(anOpenPledgingBody());

    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"2"');
    expect(response.body).toEqual(
      aPlanView({
        status: 'pledging_open',
        pledgingDeadline: DEADLINE,
        version: 2,
        position: mark.position + 1,
      }),
    );
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
    await expectSameAsPlanGet(t, response);
  });

  it('opens pledging without a body and without a deadline', async () => {
    await t.given(planStream('draft'));
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.open());

    expect(response.status).toBe(200);
    expect(response.body).not.toHaveProperty('pledgingDeadline');
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

  it('closes pledging: 200, ETag "3", one PledgingClosed, the GET shape', async () => {
    await t.given(planStream('pledging_open'));
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.close());

    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"3"');
    expect(response.body).toEqual(
      aPlanView({ status: 'pledging_closed', version: 3, position: mark.position + 1 }),
    );
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
    await expectSameAsPlanGet(t, response);
  });

  it('reopens a closed round', async () => {
    await t.given(planStream('pledging_closed'));

    const response = await t.as('commission').post(urls.open()).send({});

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'pledging_open', version: 4 });
  });

  it('the proposal compiles the active pledges (withdrawn ones left out), Member States sorted, associated states beside', async () => {
    const nlLines = [aLine({ hostCountry: 'LB', persons: 300 }), anEmergencyLine()];
    const noLines = [aLine({ hostCountry: 'JO', persons: 60 })];
    await t.given(
      ...planWithPledges(
        'pledging_closed',
        pledgeStream('NL', [aPledgeSubmitted({ memberState: 'NL', lines: nlLines })]),
        pledgeStream('FR', [
          aPledgeSubmitted({ memberState: 'FR' }),
          aPledgeWithdrawn({ memberState: 'FR' }),
        ]),
        pledgeStream('NO', [aPledgeSubmitted({ memberState: 'NO', lines: noLines })]),
        pledgeStream('DE', [aPledgeSubmitted({ lines: [aLine({ persons: 500 })] })]),
      ),
    );
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.proposal()).send(aProposalBody());

    const contributions = [
      aContribution('DE', [aLine({ persons: 500 })]),
      aContribution('NL', nlLines),
    ];
    const associatedStates = [aContribution('NO', noLines)];
    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"4"');
    expect(response.body).toEqual(
      aPlanView({
        status: 'proposed',
        version: 4,
        position: mark.position + 1,
        proposal: {
          reference: aProposalBody().reference,
          proposedOn: PROPOSED_ON,
          // Norway's 60 are in no plan figure (Art. 12).
          total: 820,
          contributions: contributions.map(withTotal),
          associatedStates: associatedStates.map(withTotal),
          position: mark.position + 1,
          recordedAt: NOW,
        },
      }),
    );
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 4,
          type: 'PlanProposed',
          data: aPlanProposed({ contributions, associatedStates }).data,
          actor: 'commission',
        },
      ]),
    );
    await expectSameAsPlanGet(t, response);
  });

  it('the proposal counts an indication lowered after the closing', async () => {
    await t.given(
      ...planWithPledges('pledging_closed', pledgeStream('DE', [aPledgeSubmitted()])),
      pledgeStream('DE', [
        aPledgeRevised({ lines: [aLine({ persons: 60 })], planStatus: 'pledging_closed' }),
      ]),
    );

    const response = await t.as('commission').post(urls.proposal()).send(aProposalBody());

    expect(response.status).toBe(200);
    expect(response.body.proposal).toMatchObject({
      total: 60,
      contributions: [withTotal(aContribution('DE', [aLine({ persons: 60 })]))],
    });
  });

  it('adoption without contributions adopts the proposal unchanged', async () => {
    await t.given(planStream('proposed'));
    const mark = await t.mark();

    const response = await t.as('commission').post(urls.adoption()).send(anAdoptionBody());

    const proposed = aPlanProposed().data;
    const adopted = proposed.contributions.map(withTotal);
    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"5"');
    expect(response.body).toEqual(
      aPlanView({
        status: 'adopted',
        version: 5,
        position: mark.position + 1,
        proposal: {
          reference: proposed.reference,
          proposedOn: proposed.proposedOn,
          total: 800,
          contributions: adopted,
          associatedStates: [],
          position: mark.position,
          recordedAt: NOW,
        },
        adoption: {
          actReference: anAdoptionBody().actReference,
          adoptedOn: ADOPTED_ON,
          total: 800,
          contributions: adopted,
          associatedStates: [],
          position: mark.position + 1,
          recordedAt: NOW,
        },
        adoptedContributions: adopted,
        adoptedTotal: 800,
        associatedStates: [],
      }),
    );
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
    await expectSameAsPlanGet(t, response);
  });

  it('adoption with contributions records the Council’s figures, canonical and sorted, associated states beside', async () => {
    await t.given(planStream('proposed'));
    const mark = await t.mark();
    const fr = [aLine({ hostCountry: 'LB', persons: 200 })];
    const de = [aLine({ persons: 300 })];
    const ch = [aLine({ hostCountry: 'JO', persons: 40 })];

    const response = await t
      .as('commission')
      .post(urls.adoption())
      .send(
        anAdoptionBody({
          contributions: [
            { memberState: 'fr', lines: fr },
            { memberState: 'CH', lines: ch },
            { memberState: 'DE', lines: de },
          ],
        }),
      );

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'adopted',
      adoption: { total: 500, associatedStates: [withTotal(aContribution('CH', ch))] },
      adoptedTotal: 500,
      proposal: { total: 800 },
      associatedStates: [withTotal(aContribution('CH', ch))],
    });
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, response, [
        {
          streamId: streams.plan(),
          streamVersion: 5,
          type: 'PlanAdopted',
          data: aPlanAdopted({
            contributions: [aContribution('DE', de), aContribution('FR', fr)],
            associatedStates: [aContribution('CH', ch)],
          }).data,
          actor: 'commission',
        },
      ]),
    );
  });

  it('records an amendment: new priority country, a new region, a contribution replaced, one removed', async () => {
    await t.given(planStream('adopted'));
    const mark = await t.mark();
    const se = [aLine({ hostCountry: 'ET', persons: 100 })];
    const it = [
      aLine({ hostCountry: undefined, planRegion: 'central_mediterranean', persons: 80 }),
    ];

    const response = await t
      .as('commission')
      .post(urls.amendments())
      .send(
        anAmendmentBody({
          addRegions: [aPlanRegion()],
          contributions: [
            { memberState: 'SE', lines: se },
            { memberState: 'IT', lines: it },
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
      regions: [aPlanRegion()],
      adoption: { total: 800 },
      adoptedContributions: [
        withTotal(aContribution('DE', [aLine({ persons: 500 })])),
        withTotal(aContribution('IT', it)),
        withTotal(aContribution('SE', se)),
      ],
      adoptedTotal: 680,
      amendments: [
        {
          actReference: anAmendmentBody().actReference,
          adoptedOn: anAmendmentBody().adoptedOn,
          reason: anAmendmentBody().reason,
          addPriorityCountries: ['ET'],
          addPriorityRegions: [],
          addRegionIds: ['central_mediterranean'],
          memberStates: ['FR', 'IT', 'SE'],
          position: mark.position + 1,
          recordedAt: NOW,
        },
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
            addRegions: [aPlanRegion()],
            contributions: [
              aContribution('FR', []),
              aContribution('IT', it),
              aContribution('SE', se),
            ],
          }).data,
          actor: 'commission',
          reason: 'Unforeseen crisis: add Ethiopia',
        },
      ]),
    );
    await expectSameAsPlanGet(t, response);
  });

  it('GET /plans/:id returns the plan with its version as ETag, its latest event’s position and the log position read', async () => {
    await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));

    const response = await t.as('auditor').get(urls.plan());

    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"2"');
    // The pledge written after the plan's last event is in the log the answer reflects.
    expect(response.body).toEqual(
      aPlanView({
        status: 'pledging_open',
        pledgingDeadline: DEADLINE,
        version: 2,
        position: 2,
        asOfPosition: 3,
      }),
    );
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

    interface Refusal {
      readonly code: string;
      readonly status: number;
      readonly when: string;
      readonly given: readonly GivenStream[];
      readonly url: string;
      readonly body: object;
      readonly facts?: Record<string, unknown>;
    }

    const twice = aPlanRegion({ name: 'Central Mediterranean (again)' });
    /** The default plan at a stage, created with one region of its own. */
    const planWithRegion = (status: 'adopted'): GivenStream => ({
      ...planStream(status),
      events: [aPlanCreated({ regions: [aPlanRegion()] }), ...planEventsAt(status).slice(1)],
    });
    /** Each domain refusal of a lifecycle command, with the HTTP status the API maps it to. */
    const refusals: readonly Refusal[] = [
      {
        code: 'plan_already_exists',
        status: 409,
        when: 'creating a plan twice',
        given: [planStream('draft')],
        url: urls.plans,
        body: aPlanBody(),
      },
      {
        code: 'invalid_plan_period',
        status: 422,
        when: 'a period that is not the two calendar years of the plan id',
        given: [],
        url: urls.plans,
        body: aPlanBody({ periodEnd: '2026-12-31' }),
      },
      {
        code: 'invalid_resettlement_floor',
        status: 422,
        when: 'a floor other than the law’s 60 %',
        given: [],
        url: urls.plans,
        body: aPlanBody({ resettlementFloorPercent: 65 }),
        facts: { resettlementFloorPercent: 65, floorPercent: 60 },
      },
      {
        code: 'unknown_host_country',
        status: 422,
        when: 'an unknown priority country',
        given: [],
        url: urls.plans,
        body: aPlanBody({ priorityCountries: ['ZZ'] }),
      },
      {
        code: 'unknown_region',
        status: 422,
        when: 'an unknown UNHCR region',
        given: [],
        url: urls.plans,
        body: aPlanBody({ priorityRegions: ['atlantis'] }),
      },
      {
        code: 'invalid_plan_region',
        status: 422,
        when: 'two plan regions with one id',
        given: [],
        url: urls.plans,
        body: aPlanBody({ regions: [aPlanRegion(), twice] }),
        facts: { planRegion: 'central_mediterranean' },
      },
      {
        code: 'plan_not_found',
        status: 404,
        when: 'a command on a plan that does not exist',
        given: [],
        url: urls.open(),
        body: anOpenPledgingBody(),
      },
      {
        code: 'invalid_deadline',
        status: 422,
        when: 'a deadline already passed',
        given: [planStream('draft')],
        url: urls.open(),
        body: anOpenPledgingBody({ deadline: '2025-09-14' }),
      },
      {
        code: 'proposal_without_contributions',
        status: 422,
        when: 'a proposal with no Member State’s active pledge (an associated state’s is not enough)',
        given: planWithPledges(
          'pledging_closed',
          pledgeStream('FR', [
            aPledgeSubmitted({ memberState: 'FR' }),
            aPledgeWithdrawn({ memberState: 'FR' }),
          ]),
          pledgeStream('NO', [aPledgeSubmitted({ memberState: 'NO' })]),
        ),
        url: urls.proposal(),
        body: aProposalBody(),
      },
      {
        code: 'invalid_act_date',
        status: 422,
        when: 'an adoption dated before the proposal',
        given: [planStream('proposed')],
        url: urls.adoption(),
        body: anAdoptionBody({ adoptedOn: '2025-11-10' }),
      },
      {
        code: 'duplicate_contribution',
        status: 422,
        when: 'an adoption naming a Member State twice (GR and EL are one)',
        given: [planStream('proposed')],
        url: urls.adoption(),
        body: anAdoptionBody({
          contributions: [aContribution('GR'), aContribution('EL', [aLine({ persons: 5 })])],
        }),
        facts: { memberState: 'EL' },
      },
      {
        code: 'participant_not_bound',
        status: 422,
        when: 'an adoption giving Denmark a contribution',
        given: [planStream('proposed')],
        url: urls.adoption(),
        body: anAdoptionBody({ contributions: [aContribution('DK')] }),
        facts: { memberState: 'DK' },
      },
      {
        code: 'unknown_plan_region',
        status: 422,
        when: 'an adoption line naming a region the plan lacks',
        given: [planStream('proposed')],
        url: urls.adoption(),
        body: anAdoptionBody({
          contributions: [
            aContribution('DE', [
              aLine({ hostCountry: undefined, planRegion: 'central_mediterranean' }),
            ]),
          ],
        }),
        facts: { planRegion: 'central_mediterranean', planRegions: [] },
      },
      {
        code: 'invalid_plan_region',
        status: 422,
        when: 'an amendment adding a region the plan already has',
        given: [planWithRegion('adopted')],
        url: urls.amendments(),
        body: anAmendmentBody({ addRegions: [twice] }),
        facts: { planRegion: 'central_mediterranean' },
      },
      {
        code: 'empty_amendment',
        status: 422,
        when: 'an amendment that changes nothing',
        given: [planStream('adopted')],
        url: urls.amendments(),
        body: anAmendmentBody({ addPriorityCountries: ['TR'] }),
      },
      {
        code: 'proposal_without_contributions',
        status: 422,
        when: 'an amendment removing every contribution',
        given: [planStream('adopted')],
        url: urls.amendments(),
        body: anAmendmentBody({
          addPriorityCountries: [],
          contributions: [aContribution('DE', []), aContribution('FR', [])],
        }),
      },
    ];

    it.each(refusals.map((refusal) => [refusal.code, refusal.status, refusal.when, refusal]))(
      '%s is %i (%s), and appends nothing',
      async (code, status, _when, refusal) => {
        await t.given(...refusal.given);
        const mark = await t.mark();

        const response = await t.as('commission').post(refusal.url).send(refusal.body);

        await expectRejected(t, mark, response, status, code);
        if (refusal.facts !== undefined) expect(response.body).toMatchObject(refusal.facts);
      },
    );

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
    expect(adopted.body).toMatchObject({ adoption: { total: 600 }, adoptedTotal: 600 });
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
    await expectSameAsPlanGet(t, amended);
  });
});
