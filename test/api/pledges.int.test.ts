import {
  PLAN_ID,
  aLine,
  aPledgeBody,
  aPledgeRevised,
  aPledgeSubmitted,
  aPledgeWithdrawn,
  aWithdrawalBody,
  anEmergencyLine,
  createTestApp,
  expectProblem,
  expectRejected,
  planStream,
  pledgeStream,
  streams,
  urls,
  type TestApp,
} from './testApp';

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
      });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.pledge('DE'),
            streamVersion: 1,
            type: 'PledgeSubmitted',
            data: { planId: PLAN_ID, memberState: 'DE', lines: normalised, afterAdoption: false },
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

    it('If-None-Match: * on an active pledge fails the precondition: 412, nothing appended', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([aLine({ persons: 999 })]));

      await expectRejected(t, mark, response, 412, 'pledge_already_submitted');
    });

    it('a pledge for a plan that does not exist is 404 plan_not_found', async () => {
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      await expectRejected(t, mark, response, 404, 'plan_not_found');
    });

    it('before the Commission opens pledging a submission is 409 pledging_not_open', async () => {
      await t.given(planStream('draft'));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      await expectRejected(t, mark, response, 409, 'pledging_not_open');
    });

    it('after the pledging deadline a submission is 409 pledge_deadline_passed', async () => {
      await t.given(planStream('pledging_open'));
      t.clock.set('2025-11-01T00:00:00.000Z');
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      await expectRejected(t, mark, response, 409, 'pledge_deadline_passed');
    });

    it('Denmark, not bound by the Framework, cannot pledge: 422 participant_not_bound', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('dk')
        .put(urls.pledge('DK'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      await expectRejected(t, mark, response, 422, 'participant_not_bound');
    });

    it('an empty pledge is 422 empty_pledge', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([]));

      await expectRejected(t, mark, response, 422, 'empty_pledge');
    });

    it('two lines with the same key are 422 duplicate_pledge_line', async () => {
      await t.given(planStream('pledging_open'));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([aLine(), aLine({ persons: 5 })]));

      await expectRejected(t, mark, response, 422, 'duplicate_pledge_line');
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

    it('a revision without a reason is 422 reason_required', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody([aLine({ persons: 150 })]));

      await expectRejected(t, mark, response, 422, 'reason_required');
    });

    it('a revision identical to the pledge is 422 no_op_revision', async () => {
      await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody([aLine()], { reason: 'Same again' }));

      await expectRejected(t, mark, response, 422, 'no_op_revision');
    });

    it.each(['pledging_closed', 'proposed'] as const)(
      'between closing and adoption (%s) pledges are frozen: 409 pledges_frozen',
      async (status) => {
        await t.given(planStream(status), pledgeStream('DE', [aPledgeSubmitted()]));
        const mark = await t.mark();

        const revise = await t
          .as('de')
          .put(urls.pledge('DE'))
          .set('If-Match', '"1"')
          .send(aPledgeBody([aLine({ persons: 50 })], { reason: 'Cut' }));
        await expectRejected(t, mark, revise, 409, 'pledges_frozen');
        expect(revise.body).toMatchObject({ planId: PLAN_ID, planStatus: status });

        const withdraw = await t
          .as('de')
          .delete(urls.pledge('DE'))
          .set('If-Match', '"1"')
          .send(aWithdrawalBody());
        await expectRejected(t, mark, withdraw, 409, 'pledges_frozen');

        const submit = await t
          .as('fr')
          .put(urls.pledge('FR'))
          .set('If-None-Match', '*')
          .send(aPledgeBody());
        await expectRejected(t, mark, submit, 409, 'pledges_frozen');
      },
    );

    it('after adoption a revision is accepted, marked afterAdoption and pending an amendment', async () => {
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
              afterAdoption: true,
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
        afterAdoption: true,
        pendingAmendment: true,
        lastReason: 'Reception capacity cut after adoption',
      });
    });

    it('after the plan period no pledge changes: 409 plan_period_ended', async () => {
      await t.given(planStream('adopted'), pledgeStream('DE', [aPledgeSubmitted()]));
      t.clock.set('2028-01-01T00:00:00.000Z');
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody([aLine({ persons: 50 })], { reason: 'Too late' }));

      await expectRejected(t, mark, response, 409, 'plan_period_ended');
    });

    it('after adoption a pledge that matches the adopted contribution is not pending an amendment', async () => {
      await t.given(
        planStream('adopted'),
        pledgeStream('DE', [aPledgeSubmitted({ lines: [aLine({ persons: 500 })] })]),
      );

      const read = await t.as('de').get(urls.pledge('DE'));

      expect(read.body).toMatchObject({ afterAdoption: false, pendingAmendment: false });
    });
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

    it('withdrawing twice is 409 pledge_already_withdrawn', async () => {
      await t.given(
        planStream('pledging_open'),
        pledgeStream('DE', [aPledgeSubmitted(), aPledgeWithdrawn()]),
      );
      const mark = await t.mark();

      const response = await t
        .as('de')
        .delete(urls.pledge('DE'))
        .set('If-Match', '"2"')
        .send(aWithdrawalBody());

      await expectRejected(t, mark, response, 409, 'pledge_already_withdrawn');
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
