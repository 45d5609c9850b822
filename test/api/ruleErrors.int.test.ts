/**
 * Rule errors as a client meets them: every error of one request at once, each with its path,
 * and one status per kind of error (a malformed request 400, a rule about its content 422).
 */
import { STATUS_BY_DOMAIN_CODE } from '../../src/api/problems';
import { UNHCR_REGION_IDS } from '../../src/domain/reference';
import {
  aContribution,
  aLine,
  aPlanBody,
  aPlanRegion,
  aPledgeBody,
  anAmendmentBody,
  createTestApp,
  expectRejected,
  planStream,
  urls,
  type TestApp,
} from './testApp';

describe('rule errors over HTTP', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  const submit = () => t.as('de').put(urls.pledge('DE')).set('If-None-Match', '*');

  it('a pledge with three bad lines gets all three errors in one 422', async () => {
    await t.given(planStream('pledging_open'));
    const mark = await t.mark();

    const response = await submit().send(
      aPledgeBody([
        aLine({ hostCountry: 'ZZ' }),
        aLine({ hostCountry: 'LB', year: 2031 }),
        aLine({ hostCountry: 'JO', targetGroups: ['astronauts'] }),
      ]),
    );

    // The first error's code and facts stay where a client looked for the only one.
    await expectRejected(t, mark, response, 422, 'unknown_host_country');
    expect(response.body).toMatchObject({ line: 0, hostCountry: 'ZZ' });
    expect(response.body.errors).toEqual([
      {
        code: 'unknown_host_country',
        path: 'lines.0.hostCountry',
        message: expect.stringContaining('ZZ'),
        line: 0,
        hostCountry: 'ZZ',
      },
      {
        code: 'year_outside_plan_period',
        path: 'lines.1.year',
        message: expect.stringContaining('2031'),
        line: 1,
        year: 2031,
        periodStart: '2026-01-01',
        periodEnd: '2027-12-31',
      },
      {
        code: 'unknown_target_group',
        path: 'lines.2.targetGroups.0',
        message: expect.stringContaining('astronauts'),
        line: 2,
        targetGroup: 'astronauts',
      },
    ]);
    expect(response.body.detail).toMatch(/^3 problems: /);
  });

  it('a lone rule error also comes with its one-entry errors list', async () => {
    await t.given(planStream('pledging_open'));

    const response = await submit().send(aPledgeBody([aLine({ year: 2030 })]));

    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ code: 'year_outside_plan_period', path: 'lines.0.year' }),
    ]);
  });

  it('a plan with several unknown countries gets every one of them', async () => {
    const mark = await t.mark();

    const response = await t
      .as('commission')
      .post(urls.plans)
      .send(aPlanBody({ priorityCountries: ['EG', 'ZZ', 'QQ'], priorityRegions: ['mena'] }));

    await expectRejected(t, mark, response, 422, 'unknown_host_country');
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        code: 'unknown_host_country',
        path: 'priorityCountries.1',
        hostCountry: 'ZZ',
      }),
      expect.objectContaining({
        code: 'unknown_host_country',
        path: 'priorityCountries.2',
        hostCountry: 'QQ',
      }),
      expect.objectContaining({
        code: 'unknown_region',
        path: 'priorityRegions.0',
        region: 'mena',
        validRegions: UNHCR_REGION_IDS,
      }),
    ]);
  });

  it('an amendment with several bad countries and a bad contribution gets them all', async () => {
    await t.given(planStream('adopted'));
    const mark = await t.mark();

    const response = await t
      .as('commission')
      .post(urls.amendments())
      .send(
        anAmendmentBody({
          addPriorityCountries: ['ZZ', 'ET', 'QQ'],
          contributions: [aContribution('DE', [aLine({ hostCountry: 'XX' })])],
        }),
      );

    await expectRejected(t, mark, response, 422, 'unknown_host_country');
    expect((response.body.errors as { path: string }[]).map((error) => error.path)).toEqual([
      'addPriorityCountries.0',
      'addPriorityCountries.2',
      'contributions.0.lines.0.hostCountry',
    ]);
    expect(response.body.errors[2]).toMatchObject({ memberState: 'DE', hostCountry: 'XX' });
  });

  it('an unknown priority region lists the valid UNHCR region ids, in the problem and its detail', async () => {
    const response = await t
      .as('commission')
      .post(urls.plans)
      .send(aPlanBody({ priorityRegions: ['atlantis'] }));

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ region: 'atlantis', validRegions: UNHCR_REGION_IDS });
    for (const id of UNHCR_REGION_IDS) expect(response.body.detail).toContain(id);
  });

  it("an unknown plan region in a line lists the plan's regions, in the problem and its detail", async () => {
    await t.given({
      ...planStream('pledging_open'),
      events: planStream('pledging_open').events.map((event) =>
        event.type === 'UnionPlanCreated'
          ? { ...event, data: { ...(event.data as object), regions: [aPlanRegion()] } }
          : event,
      ),
    });

    const response = await submit().send(
      aPledgeBody([aLine({ hostCountry: undefined, planRegion: 'sahel' })]),
    );

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'unknown_plan_region',
      planRegion: 'sahel',
      validRegions: [aPlanRegion().id],
    });
    expect(response.body.detail).toContain(aPlanRegion().id);
    expect(response.body.errors[0]).toMatchObject({
      path: 'lines.0.planRegion',
      validRegions: [aPlanRegion().id],
    });
  });

  it('a malformed body stays 400 invalid_request, before any rule is checked', async () => {
    await t.given(planStream('pledging_open'));

    const response = await submit().send(aPledgeBody([aLine({ persons: 'many' as never })]));

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('invalid_request');
  });

  it.each([
    'unknown_member_state',
    'unknown_host_country',
    'unknown_region',
    'unknown_plan_region',
    'invalid_plan_region',
    'unknown_target_group',
    'participant_not_bound',
    'year_outside_plan_period',
    'invalid_pledge_line',
    'duplicate_pledge_line',
    'duplicate_contribution',
    'empty_pledge',
    'no_pending_change',
  ] as const)('%s, a rule about the content of a well-formed request, is 422', (code) => {
    expect(STATUS_BY_DOMAIN_CODE[code]).toBe(422);
  });
});
