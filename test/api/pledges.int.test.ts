import type { Response } from 'supertest';
import {
  PLAN_ID,
  aLine,
  aPlanCreated,
  aPledgeBody,
  aPledgeRevised,
  aPledgeSubmitted,
  aPledgeWithdrawn,
  aWithdrawalBody,
  anEmergencyLine,
  createTestApp,
  expectProblem,
  expectRejected,
  planEventsAt,
  planStream,
  pledgeStream,
  streams,
  urls,
  type GivenStream,
  type Principal,
  type TestApp,
} from './testApp';

/** Past the default pledging deadline (2025-10-31), the round still open. */
const AFTER_DEADLINE = '2025-11-01T00:00:00.000Z';

const humanitarian = (overrides: Parameters<typeof aLine>[0] = {}) =>
  aLine({ admissionType: 'humanitarian_admission', ...overrides });

/** The default plan at a stage, created with one region of its own. */
const planWithRegion = (status: 'pledging_open'): GivenStream => ({
  ...planStream(status),
  events: [
    aPlanCreated({
      regions: [{ id: 'central_mediterranean', name: 'Central Mediterranean', countries: ['LY'] }],
    }),
    ...planEventsAt(status).slice(1),
  ],
});

describe('pledges over HTTP: conditional writes with ETags', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  describe('submitting', () => {
    it('PUT with If-None-Match: * submits the pledge: 201, ETag "1", Location, one PledgeSubmitted', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();
      const lines = [aLine({ hostCountry: 'tr', persons: 250 }), anEmergencyLine({ persons: 30 })];

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody(lines));

      const normalised = [aLine({ persons: 250 }), anEmergencyLine({ persons: 30 })];
      expect(response.status).toBe(201);
      expect(response.headers['etag']).toBe('"1"');
      expect(response.headers['location']).toBe(`/api/v1/plans/${PLAN_ID}/pledges/DE`);
      expect(response.body).toEqual({
        planId: PLAN_ID,
        memberState: 'DE',
        status: 'active',
        version: 1,
        position: mark.position + 1,
        lines: normalised,
        total: 280,
        pendingAmendment: false,
      });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 1,
            type: 'PledgeSubmitted',
            data: aPledgeSubmitted({ lines: normalised }).data,
            actor: 'de',
          },
        ]),
      );
    });

    it('records the reason sent with a submission in the metadata and takes the path code in any case', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('de'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([aLine()], { reason: 'First indication' }));

      expect(response.status).toBe(201);
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 1,
            type: 'PledgeSubmitted',
            data: aPledgeSubmitted().data,
            actor: 'de',
            reason: 'First indication',
          },
        ]),
      );
    });

    it('carries the caller’s X-Correlation-Id into the event metadata', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .set('X-Correlation-Id', 'ticket-4711')
        .send(aPledgeBody());

      expect(response.status).toBe(201);
      expect(response.headers['x-correlation-id']).toBe('ticket-4711');
      const [event] = await t.eventsSince(mark);
      expect(event?.metadata).toMatchObject({
        correlationId: 'ticket-4711',
        causationId: response.headers['x-request-id'],
      });
    });

    it('GR and EL both name Greece: the pledge is recorded under EL', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('el')
        .put(urls.pledge('GR'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());
      const read = await t.as('el').get(urls.pledge('gr'));

      expect(response.status).toBe(201);
      expect(response.headers['location']).toBe(`/api/v1/plans/${PLAN_ID}/pledges/EL`);
      expect(response.body).toMatchObject({ memberState: 'EL' });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('EL'),
            streamVersion: 1,
            type: 'PledgeSubmitted',
            data: aPledgeSubmitted({ memberState: 'EL' }).data,
            actor: 'el',
          },
        ]),
      );
      expect(read.body).toMatchObject({ memberState: 'EL', version: 1 });
    });

    it('Ireland, bound by the Framework, pledges like any Member State', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('ie')
        .put(urls.pledge('IE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      expect(response.status).toBe(201);
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('IE'),
            streamVersion: 1,
            type: 'PledgeSubmitted',
            data: aPledgeSubmitted({ memberState: 'IE' }).data,
            actor: 'ie',
          },
        ]),
      );
    });

    it('an associated state’s indication is recorded and read as one, beside the Member States', async () => {
      await t.given(planStream('pledging_open'));

      const response = await t
        .as('no')
        .put(urls.pledge('NO'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());
      const read = await t.as('no').get(urls.pledge('NO'));
      const list = await t.as('commission').get(urls.pledges());

      expect(response.status).toBe(201);
      expect(read.body).toMatchObject({ memberState: 'NO', participantKind: 'associated_state' });
      expect(list.body).toMatchObject({
        pledges: [],
        associatedStates: [{ memberState: 'NO', participantKind: 'associated_state' }],
      });
    });

    it('a line names several host countries (kept together, sorted) or one of the plan’s regions', async () => {
      await t.given(planWithRegion('pledging_open'));
      const mark = await t.mark();
      const lines = [
        humanitarian({ hostCountry: undefined, hostCountries: ['ke', 'EG', 'KE'], persons: 120 }),
        aLine({ hostCountry: undefined, hostCountries: ['jo'], persons: 40 }),
        aLine({ hostCountry: undefined, planRegion: 'central_mediterranean', persons: 60 }),
      ];

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody(lines));

      const normalised = [
        humanitarian({ hostCountry: undefined, hostCountries: ['EG', 'KE'], persons: 120 }),
        // A list of one country is that country.
        aLine({ hostCountry: 'JO', persons: 40 }),
        aLine({ hostCountry: undefined, planRegion: 'central_mediterranean', persons: 60 }),
      ];
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ lines: normalised, total: 220 });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 1,
            type: 'PledgeSubmitted',
            data: aPledgeSubmitted({ lines: normalised }).data,
            actor: 'de',
          },
        ]),
      );
    });

    it('PUT without If-Match or If-None-Match is refused with 428 and records nothing', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t.as('de').put(urls.pledge('DE')).send(aPledgeBody());

      await expectRejected(t, mark, response, 428, 'precondition_required');
    });

    it('PUT with If-Match: * is no precondition for a pledge: 428', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '*')
        .send(aPledgeBody([aLine({ persons: 150 })], { reason: 'More places' }));

      await expectRejected(t, mark, response, 428, 'precondition_required');
    });

    it('If-Match and If-None-Match together are refused with 400', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .set('If-Match', '"1"')
        .send(aPledgeBody());

      await expectRejected(t, mark, response, 400, 'conflicting_preconditions');
    });
  });

  describe('revising', () => {
    it('PUT with If-Match "1" revises: 200, ETag "2", one PledgeRevised with the reason', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();
      const lines = [aLine({ persons: 150 }), aLine({ hostCountry: 'LB', persons: 50 })];

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody(lines, { reason: 'Reception capacity increased' }));

      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"2"');
      expect(response.headers['location']).toBeUndefined();
      expect(response.body).toEqual({
        planId: PLAN_ID,
        memberState: 'DE',
        status: 'active',
        version: 2,
        position: mark.position + 1,
        lines,
        total: 200,
        pendingAmendment: false,
      });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 2,
            type: 'PledgeRevised',
            data: aPledgeRevised({ lines, reason: 'Reception capacity increased' }).data,
            actor: 'de',
            reason: 'Reception capacity increased',
          },
        ]),
      );
    });

    it('accepts a weak or unquoted ETag in If-Match', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));

      const weak = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', 'W/"1"')
        .send(aPledgeBody([aLine({ persons: 150 })], { reason: 'More places' }));
      const bare = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '2')
        .send(aPledgeBody([aLine({ persons: 175 })], { reason: 'Even more places' }));

      expect([weak.status, weak.headers['etag']]).toEqual([200, '"2"']);
      expect([bare.status, bare.headers['etag']]).toEqual([200, '"3"']);
    });

    it('a stale If-Match is 412 version_conflict with both versions, and nothing is appended', async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [aPledgeSubmitted(), aPledgeRevised()]),
      );
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody([aLine({ persons: 400 })], { reason: 'Based on an old read' }));

      await expectRejected(t, mark, response, 412, 'version_conflict');
      expect(response.body).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    });

    it('If-Match on a pledge that does not exist yet is 412', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody([aLine()], { reason: 'Revising nothing' }));

      await expectRejected(t, mark, response, 412, 'version_conflict');
    });

    it('a malformed If-Match is 400 invalid_if_match', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', 'version one')
        .send(aPledgeBody([aLine({ persons: 150 })], { reason: 'More places' }));

      await expectRejected(t, mark, response, 400, 'invalid_if_match');
    });

    it('after adoption a revision is accepted, recorded with the plan adopted and pending an amendment', async () => {
      await t.given(
        planStream('adopted'),
        pledgeStream('DE', [aPledgeSubmitted({ lines: [aLine({ persons: 500 })] })]),
      );
      const mark = await t.mark();
      const lines = [aLine({ persons: 400 })];

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody(lines, { reason: 'Reception capacity cut after adoption' }));

      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"2"');
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 2,
            type: 'PledgeRevised',
            data: aPledgeRevised({
              lines,
              reason: 'Reception capacity cut after adoption',
              planStatus: 'adopted',
            }).data,
            actor: 'de',
            reason: 'Reception capacity cut after adoption',
          },
        ]),
      );

      const read = await t.as('de').get(urls.pledge('DE'));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        version: 2,
        lines,
        total: 400,
        planStatusAtLastChange: 'adopted',
        afterAdoption: true,
        pendingAmendment: true,
        lastReason: 'Reception capacity cut after adoption',
      });
    });

    it('after adoption a pledge that matches the adopted contribution is not pending an amendment', async () => {
      await t.given(
        planStream('adopted'),
        pledgeStream('DE', [aPledgeSubmitted({ lines: [aLine({ persons: 500 })] })]),
      );

      const read = await t.as('de').get(urls.pledge('DE'));

      expect(read.body).toMatchObject({
        planStatusAtLastChange: 'pledging_open',
        afterAdoption: false,
        pendingAmendment: false,
      });
    });
  });

  describe('once the collection is over and until adoption: lower or withdraw, never raise', () => {
    /** The Commission's collection is over: deadline passed, round closed, or proposal made. */
    const stages = [
      ['the deadline passed', 'pledging_open', AFTER_DEADLINE],
      ['the round closed', 'pledging_closed', undefined],
      ['the proposal made', 'proposed', undefined],
    ] as const;

    const givenAt = async (status: (typeof stages)[number][1], clock: string | undefined) => {
      await t.given(
        planStream(status),
        pledgeStream('DE', [
          aPledgeSubmitted({ lines: [aLine({ persons: 500 }), humanitarian({ persons: 100 })] }),
        ]),
      );
      if (clock !== undefined) t.clock.set(clock);
    };

    it.each(stages)(
      'with %s a Member State lowers its indication: 200, recorded with the plan status (%s)',
      async (_label, status, clock) => {
        await givenAt(status, clock);
        const mark = await t.mark();
        const lines = [aLine({ persons: 350 }), humanitarian({ persons: 100 })];

        const response = await t
          .as('de')
          .put(urls.pledge('DE'))
          .set('If-Match', '"1"')
          .send(aPledgeBody(lines, { reason: 'Reception capacity cut' }));

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ status: 'active', version: 2, lines, total: 450 });
        expect(await t.eventsSince(mark)).toEqual(
          t.recorded(mark, response, [
            {
              streamId: streams.pledge('DE'),
              streamVersion: 2,
              type: 'PledgeRevised',
              data: aPledgeRevised({ lines, reason: 'Reception capacity cut', planStatus: status })
                .data,
              actor: 'de',
              reason: 'Reception capacity cut',
            },
          ]),
        );
        const read = await t.as('de').get(urls.pledge('DE'));
        expect(read.body).toMatchObject({
          total: 450,
          planStatusAtLastChange: status,
          afterAdoption: false,
          pendingAmendment: false,
        });
      },
    );

    it.each(stages)(
      'with %s a Member State withdraws its indication: 200, recorded with the plan status (%s)',
      async (_label, status, clock) => {
        await givenAt(status, clock);
        const mark = await t.mark();

        const response = await t
          .as('de')
          .delete(urls.pledge('DE'))
          .set('If-Match', '"1"')
          .send(aWithdrawalBody('Reception capacity exhausted'));

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ status: 'withdrawn', lines: [], total: 0 });
        expect(await t.eventsSince(mark)).toEqual(
          t.recorded(mark, response, [
            {
              streamId: streams.pledge('DE'),
              streamVersion: 2,
              type: 'PledgeWithdrawn',
              data: aPledgeWithdrawn({ planStatus: status }).data,
              actor: 'de',
              reason: 'Reception capacity exhausted',
            },
          ]),
        );
      },
    );

    it.each(stages)(
      'with %s a shift between admission types that raises one is refused, though the total falls (%s)',
      async (_label, status, clock) => {
        await givenAt(status, clock);
        const mark = await t.mark();

        const response = await t
          .as('de')
          .put(urls.pledge('DE'))
          .set('If-Match', '"1"')
          .send(
            aPledgeBody([aLine({ persons: 300 }), humanitarian({ persons: 150 })], {
              reason: 'Shift to humanitarian admission',
            }),
          );

        await expectRejected(t, mark, response, 409, 'indication_raised_after_closing');
        expect(response.body).toMatchObject({
          raised: [{ admissionType: 'humanitarian_admission', before: 100, after: 150 }],
          planStatus: status,
        });
      },
    );
  });

  describe('domain refusals: each code and the HTTP status it maps to', () => {
    interface Refusal {
      readonly code: string;
      readonly status: number;
      readonly when: string;
      readonly given: readonly GivenStream[];
      /** The clock when the request is made, if not the default (inside the round). */
      readonly at?: string;
      readonly request: (t: TestApp) => Promise<Response>;
      readonly facts?: Record<string, unknown>;
    }

    const submit =
      (memberState: string, lines = [aLine()], as: Principal = 'de') =>
      (t: TestApp) =>
        t.as(as).put(urls.pledge(memberState)).set('If-None-Match', '*').send(aPledgeBody(lines));
    const revise =
      (lines: Parameters<typeof aPledgeBody>[0], reason?: string, ifMatch = '"1"') =>
      (t: TestApp) =>
        t
          .as('de')
          .put(urls.pledge('DE'))
          .set('If-Match', ifMatch)
          .send(aPledgeBody(lines, reason === undefined ? {} : { reason }));
    const withdraw = (ifMatch: string) => (t: TestApp) =>
      t.as('de').delete(urls.pledge('DE')).set('If-Match', ifMatch).send(aWithdrawalBody());
    const dePledged = pledgeStream('DE', [aPledgeSubmitted()]);

    const refusals: readonly Refusal[] = [
      {
        code: 'plan_not_found',
        status: 404,
        when: 'a pledge for a plan that does not exist',
        given: [],
        request: submit('DE'),
      },
      {
        code: 'pledging_not_open',
        status: 409,
        when: 'a submission before the Commission opens pledging',
        given: [planStream('draft')],
        request: submit('DE'),
      },
      {
        code: 'pledge_deadline_passed',
        status: 409,
        when: 'a new submission after the deadline, the round still open',
        given: [planStream('pledging_open')],
        at: AFTER_DEADLINE,
        request: submit('DE'),
        facts: { deadline: '2025-10-31' },
      },
      {
        code: 'pledging_closed',
        status: 409,
        when: 'a new submission once the round is closed',
        given: [planStream('pledging_closed'), dePledged],
        request: submit('FR', [aLine()], 'fr'),
        facts: { planId: PLAN_ID, planStatus: 'pledging_closed' },
      },
      {
        code: 'pledging_closed',
        status: 409,
        when: 'a new submission once the proposal is made',
        given: [planStream('proposed'), dePledged],
        request: submit('FR', [aLine()], 'fr'),
        facts: { planId: PLAN_ID, planStatus: 'proposed' },
      },
      {
        code: 'indication_raised_after_closing',
        status: 409,
        when: 'raising an indication after the deadline',
        given: [planStream('pledging_open'), dePledged],
        at: AFTER_DEADLINE,
        request: revise([aLine({ persons: 150 })], 'More places'),
        facts: { raised: [{ admissionType: 'resettlement', before: 100, after: 150 }] },
      },
      {
        code: 'indication_raised_after_closing',
        status: 409,
        when: 'raising an indication once the round is closed',
        given: [planStream('pledging_closed'), dePledged],
        request: revise([aLine({ persons: 150 })], 'More places'),
        facts: { planStatus: 'pledging_closed' },
      },
      {
        code: 'indication_raised_after_closing',
        status: 409,
        when: 'raising an indication once the proposal is made',
        given: [planStream('proposed'), dePledged],
        request: revise([aLine(), anEmergencyLine()], 'An emergency line added'),
        facts: {
          raised: [{ admissionType: 'emergency_admission', before: 0, after: 20 }],
          planStatus: 'proposed',
        },
      },
      {
        code: 'participant_not_bound',
        status: 422,
        when: 'Denmark, not bound by the Framework, pledging',
        given: [planStream('pledging_open')],
        request: submit('DK', [aLine()], 'dk'),
        facts: { memberState: 'DK' },
      },
      {
        code: 'empty_pledge',
        status: 422,
        when: 'a pledge without lines',
        given: [planStream('pledging_open')],
        request: submit('DE', []),
      },
      {
        code: 'duplicate_pledge_line',
        status: 422,
        when: 'two lines with the same key',
        given: [planStream('pledging_open')],
        request: submit('DE', [aLine(), aLine({ persons: 5 })]),
      },
      {
        code: 'unknown_plan_region',
        status: 422,
        when: 'a line naming a region the plan lacks',
        given: [planWithRegion('pledging_open')],
        request: submit('DE', [aLine({ hostCountry: undefined, planRegion: 'latin_america' })]),
        facts: { planRegion: 'latin_america', planRegions: ['central_mediterranean'] },
      },
      {
        code: 'pledge_already_submitted',
        status: 412,
        when: 'If-None-Match: * on an active pledge',
        given: [planStream('pledging_open'), dePledged],
        request: submit('DE', [aLine({ persons: 999 })]),
      },
      {
        code: 'reason_required',
        status: 422,
        when: 'a revision without a reason',
        given: [planStream('pledging_open'), dePledged],
        request: revise([aLine({ persons: 150 })]),
      },
      {
        code: 'no_op_revision',
        status: 422,
        when: 'a revision identical to the pledge',
        given: [planStream('pledging_open'), dePledged],
        request: revise([aLine()], 'Same again'),
      },
      {
        code: 'pledge_already_withdrawn',
        status: 409,
        when: 'withdrawing twice',
        given: [
          planStream('pledging_open'),
          pledgeStream('DE', [aPledgeSubmitted(), aPledgeWithdrawn()]),
        ],
        request: withdraw('"2"'),
      },
      {
        code: 'plan_period_ended',
        status: 409,
        when: 'a change after the plan period',
        given: [planStream('adopted'), dePledged],
        at: '2028-01-01T00:00:00.000Z',
        request: revise([aLine({ persons: 50 })], 'Too late'),
      },
    ];

    it.each(refusals.map((refusal) => [refusal.code, refusal.status, refusal.when, refusal]))(
      '%s is %i (%s), and appends nothing',
      async (code, status, _when, refusal) => {
        await t.given(...refusal.given);
        if (refusal.at !== undefined) t.clock.set(refusal.at);
        const mark = await t.mark();

        const response = await refusal.request(t);

        await expectRejected(t, mark, response, status, code);
        if (refusal.facts !== undefined) expect(response.body).toMatchObject(refusal.facts);
      },
    );
  });

  describe('withdrawing and resubmitting', () => {
    it('DELETE without If-Match is 428', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t.as('de').delete(urls.pledge('DE')).send(aWithdrawalBody());

      await expectRejected(t, mark, response, 428, 'precondition_required');
    });

    it('DELETE with If-None-Match: * is still 428: only If-Match names the pledge withdrawn', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .delete(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aWithdrawalBody());

      await expectRejected(t, mark, response, 428, 'precondition_required');
    });

    it('DELETE without a reason is 400 (the body requires one)', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t.as('de').delete(urls.pledge('DE')).set('If-Match', '"1"');

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ location: 'body', path: 'reason' }),
      ]);
    });

    it('DELETE with If-Match and a reason withdraws: 200, ETag "2", one PledgeWithdrawn', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .delete(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aWithdrawalBody('Reception capacity exhausted'));

      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"2"');
      expect(response.body).toEqual({
        planId: PLAN_ID,
        memberState: 'DE',
        status: 'withdrawn',
        version: 2,
        position: mark.position + 1,
        lines: [],
        total: 0,
        pendingAmendment: false,
      });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 2,
            type: 'PledgeWithdrawn',
            data: aPledgeWithdrawn({ reason: 'Reception capacity exhausted' }).data,
            actor: 'de',
            reason: 'Reception capacity exhausted',
          },
        ]),
      );

      const read = await t.as('de').get(urls.pledge('DE'));
      expect(read.headers['etag']).toBe('"2"');
      expect(read.body).toMatchObject({ status: 'withdrawn', lines: [], total: 0 });
    });

    it('PUT with If-Match on a withdrawn pledge resubmits it (a new PledgeSubmitted, not a revision)', async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [aPledgeSubmitted(), aPledgeWithdrawn()]),
      );
      const mark = await t.mark();
      const lines = [aLine({ persons: 80 })];

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"2"')
        .send(aPledgeBody(lines, { reason: 'Capacity found again' }));

      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"3"');
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 3,
            type: 'PledgeSubmitted',
            data: aPledgeSubmitted({ lines }).data,
            actor: 'de',
            reason: 'Capacity found again',
          },
        ]),
      );
    });

    it('resubmits after withdrawal with If-None-Match: *', async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [aPledgeSubmitted(), aPledgeWithdrawn()]),
      );
      const mark = await t.mark();
      const lines = [aLine({ persons: 60 })];

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody(lines));

      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"3"');
      expect(response.body).toMatchObject({ status: 'active', version: 3, lines, total: 60 });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 3,
            type: 'PledgeSubmitted',
            data: aPledgeSubmitted({ lines }).data,
            actor: 'de',
          },
        ]),
      );
    });

    it('withdrawing a pledge that was never submitted is 412 (no stream to match)', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .delete(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aWithdrawalBody());

      await expectRejected(t, mark, response, 412, 'version_conflict');
    });
  });

  describe('concurrent writers', () => {
    it('two revisions from the same ETag: one wins, the other is 412 and appends nothing', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();
      const revise = (persons: number) =>
        t
          .as('de')
          .put(urls.pledge('DE'))
          .set('If-Match', '"1"')
          .send(aPledgeBody([aLine({ persons })], { reason: `Now ${persons}` }));

      const responses = await Promise.all([revise(150), revise(175)]);

      expect(responses.map((response) => response.status).sort()).toEqual([200, 412]);
      const winner = responses.find((response) => response.status === 200);
      const loser = responses.find((response) => response.status === 412);
      expect(loser?.body).toMatchObject({ code: 'version_conflict', expectedVersion: 1 });
      const events = await t.eventsSince(mark);
      expect(events.map((event) => [event.type, event.streamVersion])).toEqual([
        ['PledgeRevised', 2],
      ]);
      expect(events[0]?.data).toMatchObject({ lines: winner?.body.lines });
    });

    it('two submissions with If-None-Match: * race: one 201, the other 412', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();
      const submit = (persons: number) =>
        t
          .as('de')
          .put(urls.pledge('DE'))
          .set('If-None-Match', '*')
          .send(aPledgeBody([aLine({ persons })]));

      const responses = await Promise.all([submit(100), submit(200)]);

      expect(responses.map((response) => response.status).sort()).toEqual([201, 412]);
      expect((await t.eventsSince(mark)).map((event) => event.type)).toEqual(['PledgeSubmitted']);
    });

    it('the same idempotent request sent twice at once appends once', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();
      const submit = () =>
        t
          .as('de')
          .put(urls.pledge('DE'))
          .set('If-None-Match', '*')
          .set('Idempotency-Key', 'double-click')
          .send(aPledgeBody());

      const responses = await Promise.all([submit(), submit()]);

      expect(responses.map((response) => response.status)).toEqual([201, 201]);
      expect(responses.map((response) => response.headers['idempotent-replayed']).sort()).toEqual([
        'true',
        undefined,
      ]);
      expect(responses[0]?.body).toEqual(responses[1]?.body);
      expect((await t.eventsSince(mark)).map((event) => event.type)).toEqual(['PledgeSubmitted']);
    });
  });

  describe('reading', () => {
    it('GET returns the pledge with its version as ETag', async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [
          aPledgeSubmitted({ lines: [aLine(), anEmergencyLine()] }),
          aPledgeRevised({ lines: [aLine({ persons: 150 }), anEmergencyLine()] }),
        ]),
      );

      const response = await t.as('de').get(urls.pledge('DE'));

      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"2"');
      expect(response.body).toEqual({
        planId: PLAN_ID,
        memberState: 'DE',
        status: 'active',
        version: 2,
        lines: [aLine({ persons: 150 }), anEmergencyLine()],
        total: 170,
        byAdmissionType: { resettlement: 150, humanitarian_admission: 0, emergency_admission: 20 },
        participantKind: 'member_state',
        planStatusAtLastChange: 'pledging_open',
        afterAdoption: false,
        pendingAmendment: false,
        lastReason: 'Reception capacity increased',
        submittedAt: t.clock.iso(),
        updatedAt: t.clock.iso(),
        asOfPosition: 4,
      });
    });

    it('GET of a pledge never made is 404 pledge_not_found', async () => {
      await t.given(planStream('pledging_open'));

      const response = await t.as('de').get(urls.pledge('DE'));

      expectProblem(response, 404, 'pledge_not_found');
    });

    it('the ETag of a GET is what the next If-Match takes', async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [aPledgeSubmitted(), aPledgeRevised()]),
      );

      const read = await t.as('de').get(urls.pledge('DE'));
      const write = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', read.headers['etag'] as string)
        .send(aPledgeBody([aLine({ persons: 10 })], { reason: 'Down to ten' }));

      expect(write.status).toBe(200);
      expect(write.headers['etag']).toBe('"3"');
    });
  });
});
