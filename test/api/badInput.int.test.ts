import {
  aLine,
  aPlanBody,
  aPledgeBody,
  aPledgeSubmitted,
  anEmergencyLine,
  createTestApp,
  expectProblem,
  expectRejected,
  planStream,
  pledgeStream,
  urls,
  type TestApp,
} from './testApp';

/** Every rejection here: problem+json, nothing appended, and the server still answering. */
describe('bad input over HTTP', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = createTestApp();
    await t.given(
      planStream('pledging_open'),
      pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR' })]),
    );
  });

  afterEach(async () => {
    await t.close();
  });

  const submit = () => t.as('de').put(urls.pledge('DE')).set('If-None-Match', '*');

  describe('bodies', () => {
    it('malformed JSON is 400 malformed_json', async () => {
      const mark = await t.mark();

      const response = await submit().set('Content-Type', 'application/json').send('{"lines": [');

      await expectRejected(t, mark, response, 400, 'malformed_json');
    });

    it('a JSON scalar is 400 malformed_json (strict JSON bodies are objects or arrays)', async () => {
      const mark = await t.mark();

      const response = await submit().set('Content-Type', 'application/json').send('"lines"');

      await expectRejected(t, mark, response, 400, 'malformed_json');
    });

    it('a JSON array where an object belongs is 400 invalid_request', async () => {
      const mark = await t.mark();

      const response = await submit().send([aLine()]);

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ location: 'body', path: '' }),
      ]);
    });

    it('wrong types are 400 invalid_request listing every offending field path', async () => {
      const mark = await t.mark();

      const response = await submit().send({
        lines: [
          aLine(),
          { admissionType: 'refugees', hostCountry: 7, persons: 'many' },
          aLine({ persons: -3, year: 2026.5 }),
        ],
        reason: 5,
      });

      await expectRejected(t, mark, response, 400, 'invalid_request');
      const paths = (response.body.errors as { path: string; location: string }[]).map(
        (error) => `${error.location}:${error.path}`,
      );
      expect(paths.sort()).toEqual(
        [
          'body:lines.1.admissionType',
          'body:lines.1.hostCountry',
          'body:lines.1.persons',
          'body:lines.2.persons',
          'body:lines.2.year',
          'body:reason',
        ].sort(),
      );
      expect(response.body.detail).toMatch(/^Invalid body: /);
    });

    it('wrong types in a plan body are 400 with their paths', async () => {
      const mark = await t.mark();

      const response = await t
        .as('commission')
        .post(urls.plans)
        .send(
          aPlanBody({ planId: 2028, periodStart: '01/01/2028', resettlementFloorPercent: 120 }),
        );

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(
        (response.body.errors as { path: string }[]).map((error) => error.path).sort(),
      ).toEqual(['periodStart', 'planId', 'resettlementFloorPercent']);
    });

    it('a missing required field is 400 naming it', async () => {
      const mark = await t.mark();

      const response = await submit().send({});

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'lines' })]);
    });

    it('an unknown field is 400, never silently dropped', async () => {
      const mark = await t.mark();

      const response = await submit().send({ ...aPledgeBody(), colour: 'blue' });

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ location: 'body', path: '', unknownFields: ['colour'] }),
      ]);
    });

    it('an unknown field inside a line is 400 with the line’s path', async () => {
      const mark = await t.mark();

      const response = await submit().send({ lines: [{ ...aLine(), priority: 'high' }] });

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ path: 'lines.0', unknownFields: ['priority'] }),
      ]);
    });

    it('a host country code that is not two letters is 400 invalid_request', async () => {
      const mark = await t.mark();

      const response = await submit().send(aPledgeBody([aLine({ hostCountry: 'TUR' })]));

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ path: 'lines.0.hostCountry' }),
      ]);
    });

    it('a line naming both a host country and a plan region is 400 invalid_request', async () => {
      const mark = await t.mark();

      const response = await submit().send(aPledgeBody([aLine({ planRegion: 'central_med' })]));

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ path: 'lines.0.hostCountry' }),
      ]);
    });

    /** The domain's rules on a line, each code with the HTTP status the API maps it to. */
    const lineRefusals = [
      {
        code: 'unknown_host_country',
        status: 422,
        when: 'an unknown host country, naming the line',
        lines: [aLine(), aLine({ hostCountry: 'ZZ' })],
        facts: { line: 1, hostCountry: 'ZZ' },
      },
      {
        code: 'unknown_host_country',
        status: 422,
        when: 'an EU Member State as host country',
        lines: [aLine({ hostCountry: 'DE' })],
        facts: { line: 0, hostCountry: 'DE' },
      },
      {
        code: 'unknown_host_country',
        status: 422,
        when: 'an unknown country among several',
        lines: [aLine({ hostCountry: undefined, hostCountries: ['EG', 'ZZ'] })],
        facts: { line: 0, hostCountry: 'ZZ' },
      },
      {
        code: 'unknown_target_group',
        status: 422,
        when: 'an unknown target group',
        lines: [aLine({ targetGroups: ['astronauts'] })],
        facts: { line: 0, targetGroup: 'astronauts' },
      },
      {
        code: 'year_outside_plan_period',
        status: 422,
        when: 'a year outside the plan period',
        lines: [aLine({ year: 2028 })],
        facts: { line: 0, year: 2028 },
      },
      {
        code: 'invalid_pledge_line',
        status: 422,
        when: 'an emergency basis on a resettlement line',
        lines: [aLine({ emergencyBasis: 'resettlement' })],
        facts: { line: 0 },
      },
      {
        code: 'invalid_pledge_line',
        status: 422,
        when: 'an emergency line without its basis',
        lines: [anEmergencyLine({ emergencyBasis: undefined })],
        facts: { line: 0 },
      },
      {
        code: 'invalid_pledge_line',
        status: 422,
        when: 'a resettlement line without a host',
        lines: [aLine({ hostCountry: undefined })],
        facts: { line: 0 },
      },
      {
        code: 'unknown_plan_region',
        status: 422,
        when: 'a plan region the plan does not define',
        lines: [aLine({ hostCountry: undefined, planRegion: 'central_med' })],
        facts: { line: 0, planRegion: 'central_med', planRegions: [] },
      },
    ] as const;

    it.each(lineRefusals.map((refusal) => [refusal.code, refusal.status, refusal.when, refusal]))(
      '%s is %i (%s), and appends nothing',
      async (code, status, _when, refusal) => {
        const mark = await t.mark();

        const response = await submit().send(aPledgeBody(refusal.lines));

        await expectRejected(t, mark, response, status, code);
        expect(response.body).toMatchObject(refusal.facts);
      },
    );

    it('a body over the limit is 413 body_too_large', async () => {
      const mark = await t.mark();

      const response = await submit().send(aPledgeBody([aLine({ note: 'x'.repeat(300 * 1024) })]));

      await expectRejected(t, mark, response, 413, 'body_too_large');
    });

    it('a smaller configured limit applies', async () => {
      const small = createTestApp({ bodyLimit: '1kb' });
      await small.given(planStream('pledging_open'));
      const mark = await small.mark();

      const response = await small
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(
          aPledgeBody([
            aLine({ note: 'x'.repeat(900) }),
            aLine({ hostCountry: 'LB', note: 'y'.repeat(900) }),
          ]),
        );

      await expectRejected(small, mark, response, 413, 'body_too_large');
      await small.close();
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
      'a %s body is 415 unsupported_media_type',
      async (contentType) => {
        const mark = await t.mark();

        const response = await submit()
          .set('Content-Type', contentType)
          .send('lines=resettlement,TR,100');

        await expectRejected(t, mark, response, 415, 'unsupported_media_type');
      },
    );

    it('a JSON body in a charset other than UTF-8 is 415', async () => {
      const mark = await t.mark();

      const response = await submit()
        .set('Content-Type', 'application/json; charset=koi8-r')
        .send(JSON.stringify(aPledgeBody()));

      await expectRejected(t, mark, response, 415, 'unsupported_encoding');
    });

    it('application/json with a charset parameter is accepted', async () => {
      const response = await submit()
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify(aPledgeBody()));

      expect(response.status).toBe(201);
    });
  });

  describe('paths', () => {
    it('an unknown Member State in the path is 422 unknown_member_state', async () => {
      const mark = await t.mark();

      const write = await submit().send(aPledgeBody());
      expect(write.status).toBe(201);
      const mark2 = await t.mark();
      const response = await t
        .as('de')
        .put(urls.pledge('XX'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      await expectRejected(t, mark2, response, 422, 'unknown_member_state');
      expect(response.body).toMatchObject({ memberState: 'XX' });
      expect((await t.eventsSince(mark)).length).toBe(1);
    });

    it.each([
      ['GET', urls.pledge('XX')],
      ['GET', urls.pledgeHistory('XX')],
    ])('%s %s is 422 unknown_member_state', async (_method, url) => {
      const response = await t.as('commission').get(url);

      expectProblem(response, 422, 'unknown_member_state');
    });

    it('a Member State code that is not two letters is 400 invalid_request on the path', async () => {
      const mark = await t.mark();

      const response = await t
        .as('de')
        .put(urls.pledge('DEU'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      await expectRejected(t, mark, response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ location: 'path', path: 'memberState' }),
      ]);
    });

    it('a malformed plan id is 400 invalid_request on the path', async () => {
      const response = await t.as('commission').get(urls.totals('', '2026'));

      expectProblem(response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ location: 'path', path: 'planId' }),
      ]);
    });

    it('an unknown route under /api/v1 is 404 not_found', async () => {
      const response = await t.as('commission').get('/api/v1/plans/2026-2027/nothing-here');

      expectProblem(response, 404, 'not_found');
    });
  });

  describe('queries', () => {
    it.each([
      ['a word', 'yesterday'],
      ['a negative position', '-1'],
      ['a date-time without seconds', '2025-09-15T10:00Z'],
      ['an impossible date', '2025-02-30T00:00:00Z'],
      ['a timestamp without an offset', '2025-09-15T10:00:00'],
    ])('asOf as %s is 400 invalid_request', async (_label, asOf) => {
      const response = await t
        .as('commission')
        .get(urls.totals(`?asOf=${encodeURIComponent(asOf)}`));

      expectProblem(response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ location: 'query', path: 'asOf' }),
      ]);
      expect((await t.anonymous.get(urls.health)).status).toBe(200);
    });

    it.each([
      urls.plan(),
      urls.pledges(),
      urls.pledge('FR'),
      urls.planHistory(),
      urls.compliance(),
    ])('a bad asOf on %s is 400', async (url) => {
      const response = await t.as('commission').get(`${url}?asOf=soon`);

      expectProblem(response, 400, 'invalid_request');
    });

    it.each([
      ['an unknown view', '?view=final'],
      ['two views', '?view=pledges&view=adopted'],
      ['an empty view', '?view='],
    ])('%s is 400 invalid_request', async (_label, query) => {
      const totals = await t.as('commission').get(urls.totals(query));
      const compliance = await t.as('commission').get(urls.compliance(query));

      expectProblem(totals, 400, 'invalid_request');
      expectProblem(compliance, 400, 'invalid_request');
      expect(totals.body.errors).toEqual([
        expect.objectContaining({ location: 'query', path: 'view' }),
      ]);
    });

    it('an unknown query parameter is 400', async () => {
      const response = await t.as('commission').get(urls.totals('?colour=blue'));

      expectProblem(response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ unknownFields: ['colour'] }),
      ]);
    });

    it('a query parameter on a write is 400 and appends nothing', async () => {
      const mark = await t.mark();

      const response = await t
        .as('commission')
        .post(`${urls.plans}?dryRun=true`)
        .send(
          aPlanBody({ planId: '2028-2029', periodStart: '2028-01-01', periodEnd: '2029-12-31' }),
        );

      await expectRejected(t, mark, response, 400, 'invalid_request');
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['after=-5', 'after'],
      ['from=yesterday', 'from'],
      ['to=2025-09-15T10:00:00', 'to'],
      ['planId=2026', 'planId'],
      ['memberState=Germany', 'memberState'],
      ['sort=desc', ''],
    ])('the audit feed refuses %s with 400', async (query, path) => {
      const response = await t.as('auditor').get(urls.auditEvents(`?${query}`));

      expectProblem(response, 400, 'invalid_request');
      expect(response.body.errors).toEqual([expect.objectContaining({ location: 'query', path })]);
    });

    it('totals for a view that does not exist yet is 404 view_not_available', async () => {
      const proposal = await t.as('commission').get(urls.totals('?view=proposal'));
      const adopted = await t.as('commission').get(urls.compliance('?view=adopted'));
      const noPlan = await t.as('commission').get(urls.totals('', '2028-2029'));

      expectProblem(proposal, 404, 'view_not_available');
      expectProblem(adopted, 404, 'view_not_available');
      expectProblem(noPlan, 404, 'plan_not_found');
    });
  });
});
