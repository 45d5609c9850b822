import {
  NOW,
  PLAN_ID,
  aContribution,
  aLine,
  aPlanAdopted,
  aPlanCreated,
  aPlanProposed,
  aPledgeBody,
  aPledgeRevised,
  aWithdrawalBody,
  aPledgeSubmitted,
  aPledgingClosed,
  anEmergencyLine,
  anAdoptionBody,
  anAmendmentBody,
  aPlanRegion,
  createTestApp,
  planEventsAt,
  planStream,
  pledgeStream,
  streams,
  urls,
  type TestApp,
} from './testApp';

const HOUR = 60 * 60 * 1000;

const byType = (resettlement: number, humanitarian: number, emergency: number) => ({
  resettlement,
  humanitarian_admission: humanitarian,
  emergency_admission: emergency,
});

const humanitarian = (overrides: Parameters<typeof aLine>[0] = {}) =>
  aLine({ admissionType: 'humanitarian_admission', ...overrides });

describe('reads over HTTP', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  describe('totals and compliance by view', () => {
    const proposed = [
      aContribution('DE', [
        aLine({ persons: 600 }),
        humanitarian({ hostCountry: 'LB', persons: 200 }),
        anEmergencyLine({ persons: 100 }),
      ]),
      aContribution('FR', [
        aLine({ hostCountry: 'EG', persons: 300 }),
        aLine({ hostCountry: 'CO', persons: 100 }),
      ]),
    ];
    const adopted = [
      aContribution('DE', [
        aLine({ persons: 500 }),
        humanitarian({ hostCountry: 'LB', persons: 200 }),
      ]),
      aContribution('FR', [aLine({ hostCountry: 'EG', persons: 300 })]),
    ];

    const associatedStates = [aContribution('NO', [aLine({ hostCountry: 'JO', persons: 50 })])];
    const cut = 'Reception capacity cut before adoption';

    /**
     * As in 2025: Member States pledge (positions 3-4) and Norway indicates (5), the round closes
     * (6), the Commission proposes (7), both Member States cut their indications (8-9) and the
     * Council adopts the cut figures (10).
     */
    beforeEach(async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [aPledgeSubmitted({ lines: proposed[0]?.lines })]),
        pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR', lines: proposed[1]?.lines })]),
        pledgeStream('NO', [
          aPledgeSubmitted({ memberState: 'NO', lines: associatedStates[0]?.lines }),
        ]),
        {
          ...planStream('proposed'),
          events: [aPledgingClosed(), aPlanProposed({ contributions: proposed, associatedStates })],
        },
        pledgeStream('DE', [
          aPledgeRevised({ lines: adopted[0]?.lines, reason: cut, planStatus: 'proposed' }),
        ]),
        pledgeStream('FR', [
          aPledgeRevised({
            memberState: 'FR',
            lines: adopted[1]?.lines,
            reason: cut,
            planStatus: 'proposed',
          }),
        ]),
        {
          ...planStream('adopted'),
          // The Council records Norway's 40 beside the plan, below its indication of 50.
          events: [
            aPlanAdopted({
              contributions: adopted,
              associatedStates: [aContribution('NO', [aLine({ hostCountry: 'JO', persons: 40 })])],
            }),
          ],
        },
      );
    });

    it('view=proposal: total, all three admission types, Member States, regions largest first, notRegionBound', async () => {
      const response = await t.as('auditor').get(urls.totals('?view=proposal'));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        planId: PLAN_ID,
        view: 'proposal',
        scope: { kind: 'all' },
        total: 1300,
        byAdmissionType: byType(1000, 200, 100),
        emergencyByBasis: { resettlement: 100, humanitarian_admission: 0 },
        byYear: { unspecified: 1300 },
        byMemberState: [
          { memberState: 'DE', total: 900, byAdmissionType: byType(600, 200, 100) },
          { memberState: 'FR', total: 400, byAdmissionType: byType(400, 0, 0) },
        ],
        regions: [
          {
            region: 'europe',
            total: 600,
            byAdmissionType: byType(600, 0, 0),
            countries: [
              {
                country: 'TR',
                name: 'Türkiye',
                total: 600,
                byAdmissionType: byType(600, 0, 0),
                byMemberState: { DE: 600 },
              },
            ],
            groups: [],
          },
          {
            region: 'middle_east_north_africa',
            total: 500,
            byAdmissionType: byType(300, 200, 0),
            countries: [
              {
                country: 'EG',
                name: 'Egypt',
                total: 300,
                byAdmissionType: byType(300, 0, 0),
                byMemberState: { FR: 300 },
              },
              {
                country: 'LB',
                name: 'Lebanon',
                total: 200,
                byAdmissionType: byType(0, 200, 0),
                byMemberState: { DE: 200 },
              },
            ],
            groups: [],
          },
          {
            region: 'americas',
            total: 100,
            byAdmissionType: byType(100, 0, 0),
            countries: [
              {
                country: 'CO',
                name: 'Colombia',
                total: 100,
                byAdmissionType: byType(100, 0, 0),
                byMemberState: { FR: 100 },
              },
            ],
            groups: [],
          },
        ],
        planRegions: [],
        notRegionBound: {
          total: 100,
          byAdmissionType: byType(0, 0, 100),
          byMemberState: { DE: 100 },
        },
        // Norway's indication (Art. 12): beside the plan, in none of its figures above.
        associatedStates: {
          total: 50,
          byAdmissionType: byType(50, 0, 0),
          emergencyByBasis: { resettlement: 0, humanitarian_admission: 0 },
          byYear: { unspecified: 50 },
          byMemberState: [{ memberState: 'NO', total: 50, byAdmissionType: byType(50, 0, 0) }],
          regions: [
            {
              region: 'middle_east_north_africa',
              total: 50,
              byAdmissionType: byType(50, 0, 0),
              countries: [
                {
                  country: 'JO',
                  name: 'Jordan',
                  total: 50,
                  byAdmissionType: byType(50, 0, 0),
                  byMemberState: { NO: 50 },
                },
              ],
              groups: [],
            },
          ],
          planRegions: [],
          notRegionBound: { total: 0, byAdmissionType: byType(0, 0, 0), byMemberState: {} },
        },
        asOfPosition: 10,
      });
    });

    it('view=adopted and view=pledges follow the adopted plan and the current pledges', async () => {
      const adoptedView = await t.as('commission').get(urls.totals('?view=adopted'));
      const pledgesView = await t.as('commission').get(urls.totals('?view=pledges'));
      const defaultView = await t.as('commission').get(urls.totals());

      expect(adoptedView.body).toMatchObject({
        view: 'adopted',
        total: 1000,
        byAdmissionType: byType(800, 200, 0),
        notRegionBound: { total: 0, byAdmissionType: byType(0, 0, 0), byMemberState: {} },
      });
      // Europe (Türkiye 500) and the Middle East (Egypt 300, Lebanon 200) tie: ordered by id.
      expect(
        adoptedView.body.regions.map((region: { region: string; total: number }) => [
          region.region,
          region.total,
        ]),
      ).toEqual([
        ['europe', 500],
        ['middle_east_north_africa', 500],
      ]);
      expect(pledgesView.body).toMatchObject({ view: 'pledges', total: 1000 });
      expect(defaultView.body).toEqual(pledgesView.body);
    });

    it('compliance reports the resettlement share and every check by id', async () => {
      const response = await t.as('commission').get(urls.compliance('?view=adopted'));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        planId: PLAN_ID,
        view: 'adopted',
        total: 1000,
        resettlementSharePercent: 80,
        resettlementFloorPercent: 60,
        asOfPosition: 10,
      });
      const checks = response.body.checks as { id: string; status: string }[];
      expect(checks.map((check) => [check.id, check.status])).toEqual([
        ['resettlement_share', 'pass'],
        ['priority_host_countries', 'pass'],
        ['totals_reconcile', 'pass'],
        ['pending_revisions', 'pass'],
        ['proposal_to_adoption', 'pass'],
        ['indications_respected', 'pass'],
        ['amif_lump_sums', 'info'],
      ]);
      expect(checks[0]).toMatchObject({
        resettlement: 800,
        total: 1000,
        sharePercent: 80,
        floorPercent: 60,
        bandPercentagePoints: 5,
        bandIsInterpretation: true,
      });
      expect(checks[4]).toMatchObject({
        proposedTotal: 1300,
        adoptedTotal: 1000,
        delta: -300,
        byMemberState: [
          { memberState: 'DE', proposed: 900, adopted: 700, delta: -200 },
          { memberState: 'FR', proposed: 400, adopted: 300, delta: -100 },
        ],
        aboveProposal: [],
      });
      // The adopted contributions equal the indications as cut before the adoption; Norway's
      // figure below its indication is in no check (Art. 12).
      expect(checks[5]).toMatchObject({ rows: [] });
      expect(checks[6]).toMatchObject({
        forecast: true,
        minEur: 9_200_000,
        maxEur: 9_200_000,
        byMemberState: [
          { memberState: 'DE', persons: 700, minEur: 6_200_000, maxEur: 6_200_000 },
          { memberState: 'FR', persons: 300, minEur: 3_000_000, maxEur: 3_000_000 },
        ],
      });
      // Norway is reported beside the plan, in no check.
      expect(response.body.associatedStates).toMatchObject({
        total: 40,
        byParticipant: [{ memberState: 'NO', total: 40 }],
      });
      expect(JSON.stringify(response.body.checks)).not.toContain('"NO"');
    });

    it('a pledge revised after adoption shows up as a pending revision', async () => {
      const revise = await t
        .as('fr')
        .put(urls.pledge('FR'))
        .set('If-Match', '"2"')
        .send(
          aPledgeBody([aLine({ hostCountry: 'EG', persons: 250 })], {
            reason: 'Cut after adoption',
          }),
        );
      const response = await t.as('commission').get(urls.compliance('?view=adopted'));

      expect(revise.status).toBe(200);
      const pending = (response.body.checks as { id: string }[]).find(
        (check) => check.id === 'pending_revisions',
      );
      expect(pending).toMatchObject({
        status: 'warn',
        pending: [{ memberState: 'FR', adopted: 300, pledged: 250, delta: -50 }],
      });
    });
  });

  describe('the adopted plan against the indications (Art. 8(3)(b))', () => {
    const act = anAdoptionBody().actReference;

    /** DE pledges 300 and FR 200; the Commission proposes both; DE then cuts to 200. */
    beforeEach(async () => {
      const de = [aLine({ persons: 300 })];
      const fr = [aLine({ hostCountry: 'LB', persons: 200 })];
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [aPledgeSubmitted({ lines: de })]),
        pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR', lines: fr })]),
        {
          ...planStream('proposed'),
          events: [
            aPledgingClosed(),
            aPlanProposed({ contributions: [aContribution('DE', de), aContribution('FR', fr)] }),
          ],
        },
        pledgeStream('DE', [
          aPledgeRevised({
            lines: [aLine({ persons: 200 })],
            reason: 'Reception capacity cut',
            planStatus: 'proposed',
          }),
        ]),
      );
    });

    const indicationsCheck = (body: { checks: { id: string }[] }) =>
      body.checks.find((check) => check.id === 'indications_respected');

    it('an adoption above a Member State’s latest indication fails the check; an amendment to it passes', async () => {
      const adoption = await t.as('commission').post(urls.adoption()).send(anAdoptionBody());
      const adopted = await t.as('commission').get(urls.compliance('?view=adopted'));

      expect(adoption.status).toBe(200);
      expect(indicationsCheck(adopted.body)).toMatchObject({
        status: 'fail',
        rows: [
          {
            memberState: 'DE',
            admissionType: 'resettlement',
            contribution: 300,
            indication: 200,
            delta: 100,
            status: 'fail',
            actReference: act,
          },
        ],
      });

      const amendment = await t
        .as('commission')
        .post(urls.amendments())
        .send(
          anAmendmentBody({
            addPriorityCountries: [],
            reason: 'Germany’s contribution brought to its indication',
            contributions: [aContribution('DE', [aLine({ persons: 200 })])],
          }),
        );
      const amended = await t.as('commission').get(urls.compliance('?view=adopted'));

      expect(amendment.status).toBe(200);
      expect(indicationsCheck(amended.body)).toMatchObject({ status: 'pass', rows: [] });
    });

    it('a Member State sees the adopted plan whole, but no other Member State’s indication', async () => {
      await t.as('commission').post(urls.adoption()).send(anAdoptionBody());

      const fr = await t.as('fr').get(urls.compliance('?view=adopted'));
      const de = await t.as('de').get(urls.compliance('?view=adopted'));

      expect(fr.body.total).toBe(500);
      expect(indicationsCheck(fr.body)).toMatchObject({ status: 'pass', rows: [] });
      expect(indicationsCheck(de.body)).toMatchObject({
        status: 'fail',
        rows: [{ memberState: 'DE', indication: 200 }],
      });
    });
  });

  it('a figure naming several countries or one of the plan’s regions is one group, never split', async () => {
    await t.given(
      {
        ...planStream('pledging_open'),
        events: [
          aPlanCreated({ regions: [aPlanRegion()] }),
          ...planEventsAt('pledging_open').slice(1),
        ],
      },
      pledgeStream('DE', [
        aPledgeSubmitted({
          lines: [
            humanitarian({ hostCountry: undefined, hostCountries: ['EG', 'KE'], persons: 120 }),
          ],
        }),
      ]),
      pledgeStream('FR', [
        aPledgeSubmitted({
          memberState: 'FR',
          lines: [
            aLine({ hostCountry: undefined, planRegion: 'central_mediterranean', persons: 80 }),
          ],
        }),
      ]),
    );

    const response = await t.as('commission').get(urls.totals());

    const figures = (persons: number, memberState: string, type: 'R' | 'H') => ({
      total: persons,
      byAdmissionType: type === 'R' ? byType(persons, 0, 0) : byType(0, persons, 0),
      byMemberState: { [memberState]: persons },
    });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(200);
    expect(response.body.regions).toEqual([
      {
        // Egypt is in the Middle East and North Africa bureau, Kenya in the East and Horn.
        region: 'across_several_bureaux',
        total: 120,
        byAdmissionType: byType(0, 120, 0),
        countries: [],
        groups: [
          {
            group: 'EG+KE',
            kind: 'countries',
            name: 'Egypt, Kenya',
            countries: ['EG', 'KE'],
            ...figures(120, 'DE', 'H'),
          },
        ],
      },
      {
        region: 'middle_east_north_africa',
        total: 80,
        byAdmissionType: byType(80, 0, 0),
        countries: [],
        groups: [
          {
            group: 'region:central_mediterranean',
            kind: 'plan_region',
            planRegion: 'central_mediterranean',
            name: aPlanRegion().name,
            countries: aPlanRegion().countries,
            ...figures(80, 'FR', 'R'),
          },
        ],
      },
    ]);
    expect(response.body.planRegions).toEqual([
      {
        planRegion: 'central_mediterranean',
        name: aPlanRegion().name,
        countries: aPlanRegion().countries,
        ...figures(80, 'FR', 'R'),
      },
    ]);
  });

  it('flags a resettlement share below the floor', async () => {
    await t.given(
      planStream('pledging_open'),
      pledgeStream('DE', [
        aPledgeSubmitted({ lines: [aLine({ persons: 50 }), humanitarian({ persons: 50 })] }),
      ]),
    );

    const response = await t.as('commission').get(urls.compliance());

    expect(response.body).toMatchObject({
      view: 'pledges',
      total: 100,
      resettlementSharePercent: 50,
    });
    expect(response.body.checks[0]).toMatchObject({
      id: 'resettlement_share',
      status: 'fail',
      sharePercent: 50,
    });
  });

  describe('as of a point in the log', () => {
    const T1 = new Date(Date.parse(NOW) + HOUR).toISOString();
    const T2 = new Date(Date.parse(NOW) + 2 * HOUR).toISOString();
    const T3 = new Date(Date.parse(NOW) + 3 * HOUR).toISOString();

    /** DE submits at T1 (position 3), FR at T2 (4), DE revises at T3 (5). */
    beforeEach(async () => {
      await t.given(planStream('pledging_open'));
      t.clock.set(T1);
      await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([aLine({ persons: 100 })]));
      t.clock.set(T2);
      await t
        .as('fr')
        .put(urls.pledge('FR'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([aLine({ hostCountry: 'EG', persons: 200 })]));
      t.clock.set(T3);
      await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody([aLine({ persons: 150 })], { reason: 'More places' }));
    });

    it('reads the live totals by default', async () => {
      const response = await t.as('commission').get(urls.totals());

      expect(response.body).toMatchObject({ total: 350, asOfPosition: 5 });
    });

    it('asOf a position returns the totals before the revision', async () => {
      const response = await t.as('commission').get(urls.totals('?asOf=4'));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        total: 300,
        byMemberState: [
          { memberState: 'DE', total: 100 },
          { memberState: 'FR', total: 200 },
        ],
        asOfPosition: 4,
      });
    });

    it('asOf a timestamp returns what was recorded at or before it', async () => {
      const atT2 = await t.as('commission').get(urls.totals(`?asOf=${encodeURIComponent(T2)}`));
      const justBeforeT3 = await t
        .as('commission')
        .get(
          urls.totals(`?asOf=${encodeURIComponent(new Date(Date.parse(T3) - 1).toISOString())}`),
        );
      const withOffset = await t
        .as('commission')
        .get(urls.totals(`?asOf=${encodeURIComponent('2025-09-15T12:30:00+01:00')}`));
      const atT3 = await t.as('commission').get(urls.totals(`?asOf=${encodeURIComponent(T3)}`));

      expect(atT2.body).toMatchObject({ total: 300, asOfPosition: 4 });
      expect(justBeforeT3.body).toMatchObject({ total: 300, asOfPosition: 4 });
      // 12:30+01:00 is 11:30Z, T2.
      expect(withOffset.body).toMatchObject({ total: 300, asOfPosition: 4 });
      expect(atT3.body).toMatchObject({ total: 350, asOfPosition: 5 });
    });

    it('asOf applies to a pledge, the list of pledges, the plan and the compliance report', async () => {
      const pledge = await t.as('de').get(urls.pledge('DE', PLAN_ID) + '?asOf=3');
      const pledges = await t.as('commission').get(`${urls.pledges()}?asOf=3`);
      const plan = await t.as('commission').get(`${urls.plan()}?asOf=1`);
      const compliance = await t.as('commission').get(urls.compliance('?asOf=4'));

      expect(pledge.headers['etag']).toBe('"1"');
      expect(pledge.body).toMatchObject({ version: 1, total: 100, asOfPosition: 3 });
      expect(
        pledges.body.pledges.map((entry: { memberState: string }) => entry.memberState),
      ).toEqual(['DE']);
      expect(plan.body).toMatchObject({
        status: 'draft',
        version: 1,
        position: 1,
        asOfPosition: 1,
      });
      expect(compliance.body).toMatchObject({ total: 300 });
    });

    it('asOf before the plan existed is 404', async () => {
      const response = await t
        .as('commission')
        .get(urls.totals(`?asOf=${encodeURIComponent('2025-01-01T00:00:00Z')}`));

      expect(response.status).toBe(404);
      expect(response.body.code).toBe('plan_not_found');
    });

    it('a pledge history asOf a position stops there', async () => {
      const response = await t.as('de').get(`${urls.pledgeHistory('DE')}?asOf=4`);

      expect(response.body.versions).toHaveLength(1);
    });
  });

  it('reads its own writes: a GET right after a write reflects it', async () => {
    await t.given(planStream('pledging_open'));

    for (const persons of [100, 120, 140]) {
      const etag = persons === 100 ? undefined : `"${(persons - 100) / 20}"`;
      const put = t.as('de').put(urls.pledge('DE'));
      const write = await (
        etag === undefined ? put.set('If-None-Match', '*') : put.set('If-Match', etag)
      ).send(aPledgeBody([aLine({ persons })], { reason: `Now ${persons}` }));
      const pledge = await t.as('de').get(urls.pledge('DE'));
      const totals = await t.as('commission').get(urls.totals());

      expect(pledge.headers['etag']).toBe(write.headers['etag']);
      expect(pledge.body.total).toBe(persons);
      expect(totals.body.total).toBe(persons);
      expect(totals.body.asOfPosition).toBe(write.body.position);
    }
  });

  it('GET /plans lists every plan', async () => {
    await t.given(planStream('adopted'), {
      streamId: streams.plan('2028-2029'),
      actor: planStream('draft').actor,
      events: [
        aPlanCreated({ planId: '2028-2029', periodStart: '2028-01-01', periodEnd: '2029-12-31' }),
      ],
    });

    const response = await t.as('nl').get(urls.plans);

    expect(response.status).toBe(200);
    expect(
      response.body.plans.map((plan: { planId: string; status: string }) => [
        plan.planId,
        plan.status,
      ]),
    ).toEqual([
      [PLAN_ID, 'adopted'],
      ['2028-2029', 'draft'],
    ]);
  });

  it('GET /plans shows a Member State only its own share of a proposal, and no total', async () => {
    await t.given(planStream('proposed'));

    const de = await t.as('de').get(urls.plans);
    const nl = await t.as('nl').get(urls.plans);
    const commission = await t.as('commission').get(urls.plans);

    expect(
      de.body.plans[0].proposal.contributions.map((c: { memberState: string }) => c.memberState),
    ).toEqual(['DE']);
    expect(de.body.plans[0].proposal).not.toHaveProperty('total');
    expect(nl.body.plans[0].proposal).toMatchObject({ contributions: [], associatedStates: [] });
    expect(nl.body.plans[0].proposal).not.toHaveProperty('total');
    expect(commission.body.plans[0].proposal).toMatchObject({ total: 800 });
    expect(commission.body.plans[0].proposal.contributions).toHaveLength(2);
  });

  describe('history and the audit trail', () => {
    const T1 = new Date(Date.parse(NOW) + HOUR).toISOString();
    const T2 = new Date(Date.parse(NOW) + 2 * HOUR).toISOString();
    const T3 = new Date(Date.parse(NOW) + 3 * HOUR).toISOString();
    const T4 = new Date(Date.parse(NOW) + 4 * HOUR).toISOString();

    /**
     * Positions: 1-2 plan created and opened (given, at NOW); 3 DE submits (T1); 4 FR submits (T2);
     * 5 DE revises (T3); 6 FR withdraws (T4).
     */
    beforeEach(async () => {
      await t.given(planStream('pledging_open'));
      t.clock.set(T1);
      await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .set('X-Correlation-Id', 'de-round-1')
        .send(
          aPledgeBody([aLine({ persons: 100 }), humanitarian({ hostCountry: 'LB', persons: 50 })]),
        );
      t.clock.set(T2);
      await t
        .as('fr')
        .put(urls.pledge('FR'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([aLine({ hostCountry: 'EG', persons: 200 })]));
      t.clock.set(T3);
      await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .set('X-Correlation-Id', 'de-round-2')
        .send(
          aPledgeBody([aLine({ persons: 150 }), anEmergencyLine({ persons: 25 })], {
            reason: 'More places',
          }),
        );
      t.clock.set(T4);
      await t
        .as('fr')
        .delete(urls.pledge('FR'))
        .set('If-Match', '"1"')
        .send(aWithdrawalBody('Capacity exhausted'));
    });

    it('a pledge history lists every version with actor, reason and diff', async () => {
      const response = await t.as('de').get(urls.pledgeHistory('DE'));

      const de = { id: 'de-ministry', role: 'member_state', memberState: 'DE' };
      expect(response.status).toBe(200);
      // one page holds it all: no next page
      expect(response.headers['link']).toBeUndefined();
      expect(response.body).toEqual({
        planId: PLAN_ID,
        memberState: 'DE',
        nextAfterVersion: null,
        versions: [
          {
            version: 1,
            position: 3,
            type: 'PledgeSubmitted',
            recordedAt: T1,
            actor: de,
            correlationId: 'de-round-1',
            diff: {
              added: [aLine({ persons: 100 }), humanitarian({ hostCountry: 'LB', persons: 50 })],
              removed: [],
              changed: [],
              personsBefore: 0,
              personsAfter: 150,
              personsDelta: 150,
            },
          },
          {
            version: 2,
            position: 5,
            type: 'PledgeRevised',
            recordedAt: T3,
            actor: de,
            reason: 'More places',
            correlationId: 'de-round-2',
            diff: {
              added: [anEmergencyLine({ persons: 25 })],
              removed: [humanitarian({ hostCountry: 'LB', persons: 50 })],
              changed: [
                {
                  key: 'resettlement|TR|-|-',
                  before: aLine({ persons: 100 }),
                  after: aLine({ persons: 150 }),
                },
              ],
              personsBefore: 150,
              personsAfter: 175,
              personsDelta: 25,
            },
          },
        ],
      });
    });

    it('a withdrawal shows as a version removing every line, with its reason', async () => {
      const response = await t.as('auditor').get(urls.pledgeHistory('FR'));

      expect(response.body.versions[1]).toMatchObject({
        version: 2,
        type: 'PledgeWithdrawn',
        reason: 'Capacity exhausted',
        actor: { id: 'fr-ministry' },
        diff: {
          added: [],
          removed: [aLine({ hostCountry: 'EG', persons: 200 })],
          personsDelta: -200,
        },
      });
    });

    it('the plan history lists the lifecycle with status changes', async () => {
      const response = await t.as('de').get(urls.planHistory());

      expect(response.status).toBe(200);
      expect(
        response.body.versions.map(
          (version: { type: string; diff: { statusBefore: unknown; statusAfter: unknown } }) => [
            version.type,
            version.diff.statusBefore,
            version.diff.statusAfter,
          ],
        ),
      ).toEqual([
        ['UnionPlanCreated', null, 'draft'],
        ['PledgingOpened', 'draft', 'pledging_open'],
      ]);
    });

    it('GET /audit/events lists every event in log order with the head position and its content', async () => {
      const response = await t.as('auditor').get(urls.auditEvents());
      const [created, opened] = planEventsAt('pledging_open');
      const pledged = (memberState: string, fields: Record<string, unknown>) => ({
        planId: PLAN_ID,
        memberState,
        ...fields,
        planStatus: 'pledging_open',
      });

      expect(response.status).toBe(200);
      expect(response.body.headPosition).toBe(6);
      expect(response.body.nextAfterPosition).toBeNull();
      expect(response.headers['link']).toBeUndefined();
      expect(response.body.entries).toEqual([
        {
          position: 1,
          streamId: streams.plan(),
          streamVersion: 1,
          type: 'UnionPlanCreated',
          planId: PLAN_ID,
          actorId: 'dg-home',
          actorRole: 'commission',
          recordedAt: NOW,
          correlationId: 'given',
          schemaVersion: 2,
          data: created?.data,
        },
        {
          position: 2,
          streamId: streams.plan(),
          streamVersion: 2,
          type: 'PledgingOpened',
          planId: PLAN_ID,
          actorId: 'dg-home',
          actorRole: 'commission',
          recordedAt: NOW,
          correlationId: 'given',
          schemaVersion: 1,
          data: opened?.data,
        },
        {
          position: 3,
          streamId: streams.pledge('DE'),
          streamVersion: 1,
          type: 'PledgeSubmitted',
          planId: PLAN_ID,
          memberState: 'DE',
          actorId: 'de-ministry',
          actorRole: 'member_state',
          recordedAt: T1,
          correlationId: 'de-round-1',
          schemaVersion: 2,
          data: pledged('DE', {
            lines: [aLine({ persons: 100 }), humanitarian({ hostCountry: 'LB', persons: 50 })],
          }),
        },
        {
          position: 4,
          streamId: streams.pledge('FR'),
          streamVersion: 1,
          type: 'PledgeSubmitted',
          planId: PLAN_ID,
          memberState: 'FR',
          actorId: 'fr-ministry',
          actorRole: 'member_state',
          recordedAt: T2,
          correlationId: 'request-0002',
          schemaVersion: 2,
          data: pledged('FR', { lines: [aLine({ hostCountry: 'EG', persons: 200 })] }),
        },
        {
          position: 5,
          streamId: streams.pledge('DE'),
          streamVersion: 2,
          type: 'PledgeRevised',
          planId: PLAN_ID,
          memberState: 'DE',
          actorId: 'de-ministry',
          actorRole: 'member_state',
          recordedAt: T3,
          reason: 'More places',
          correlationId: 'de-round-2',
          schemaVersion: 2,
          data: pledged('DE', {
            lines: [aLine({ persons: 150 }), anEmergencyLine({ persons: 25 })],
            reason: 'More places',
          }),
        },
        {
          position: 6,
          streamId: streams.pledge('FR'),
          streamVersion: 2,
          type: 'PledgeWithdrawn',
          planId: PLAN_ID,
          memberState: 'FR',
          actorId: 'fr-ministry',
          actorRole: 'member_state',
          recordedAt: T4,
          reason: 'Capacity exhausted',
          correlationId: 'request-0004',
          schemaVersion: 2,
          data: pledged('FR', { reason: 'Capacity exhausted' }),
        },
      ]);
      // each entry's content is exactly the event's data as stored
      const stored = await t.store.readAll();
      expect(response.body.entries.map((entry: { data: unknown }) => entry.data)).toEqual(
        stored.map((event) => event.data),
      );
    });

    const positions = (body: { entries: { position: number }[] }) =>
      body.entries.map((entry) => entry.position);

    it.each([
      ['planId', `planId=${PLAN_ID}`, [1, 2, 3, 4, 5, 6]],
      ['another planId', 'planId=2028-2029', []],
      ['memberState', 'memberState=DE', [3, 5]],
      ['memberState in lower case', 'memberState=de', [3, 5]],
      ['planId and memberState', `planId=${PLAN_ID}&memberState=FR`, [4, 6]],
      ['actor', 'actor=fr-ministry', [4, 6]],
      ['the Commission as actor', 'actor=dg-home', [1, 2]],
      ['one type', 'type=PledgeRevised', [5]],
      ['several types', 'type=PledgeSubmitted,PledgeWithdrawn', [3, 4, 6]],
      ['from', `from=${encodeURIComponent(T3)}`, [5, 6]],
      ['to', `to=${encodeURIComponent(T2)}`, [1, 2, 3, 4]],
      ['from and to', `from=${encodeURIComponent(T2)}&to=${encodeURIComponent(T3)}`, [4, 5]],
      ['after', 'after=4', [5, 6]],
      ['limit', 'limit=2', [1, 2]],
      ['memberState and type', 'memberState=DE&type=PledgeSubmitted', [3]],
    ] as const)('GET /audit/events filters by %s', async (_label, query, expected) => {
      const response = await t.as('commission').get(urls.auditEvents(`?${query}`));

      expect(response.status).toBe(200);
      expect(positions(response.body)).toEqual(expected);
    });

    it('GET /audit/events pages with nextAfterPosition until it is null', async () => {
      const pages: number[][] = [];
      let after: number | null = 0;
      while (after !== null) {
        const page = await t.as('auditor').get(urls.auditEvents(`?limit=4&after=${after}`));
        expect(page.status).toBe(200);
        pages.push(positions(page.body));
        after = page.body.nextAfterPosition as number | null;
      }

      expect(pages).toEqual([
        [1, 2, 3, 4],
        [5, 6],
      ]);
    });

    it('filtered pages carry on from the last entry returned', async () => {
      const first = await t.as('auditor').get(urls.auditEvents('?memberState=DE&limit=1'));
      const second = await t
        .as('auditor')
        .get(urls.auditEvents(`?memberState=DE&limit=1&after=${first.body.nextAfterPosition}`));

      expect([positions(first.body), first.body.nextAfterPosition]).toEqual([[3], 3]);
      expect([positions(second.body), second.body.nextAfterPosition]).toEqual([[5], null]);
    });

    it.each(['auditor', 'commission'] as const)(
      'POST /audit/replay as %s rebuilds every projection and finds them equal',
      async (who) => {
        const response = await t.as(who).post(urls.replay);

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          ok: true,
          position: 6,
          eventCount: 6,
          projections: [
            { name: 'planReadModel', equal: true },
            { name: 'storageUsage', equal: true },
          ],
          snapshots: [],
        });
      },
    );
  });
});
