/**
 * The pledged total over time: one point per Member State pledge event of the plan, the total of
 * the active pledges right after it. Germany submits 100 resettlement and 30 emergency places,
 * France 50 humanitarian admissions, Norway (an associated state, outside the plan's figures) 71;
 * Germany then revises to 80 and France withdraws.
 */
import { thinnedIndices, MAX_TIMELINE_POINTS } from '../../src/projections/pledgeTimeline';
import { openApiDocument } from '../../src/api/openapi/document';
import {
  PLAN_ID,
  aLine,
  aPledgeBody,
  aPledgeRevised,
  aPledgeSubmitted,
  aWithdrawalBody,
  anEmergencyLine,
  createTestApp,
  expectProblem,
  planStream,
  pledgeStream,
  urls,
  type TestApp,
} from './testApp';

const DE_SUBMITTED_AT = '2025-09-16T08:00:00.000Z';
const FR_SUBMITTED_AT = '2025-09-17T08:00:00.000Z';
const NO_SUBMITTED_AT = '2025-09-18T08:00:00.000Z';
const DE_REVISED_AT = '2025-09-19T08:00:00.000Z';
const FR_WITHDRAWN_AT = '2025-09-20T08:00:00.000Z';

const counts = (resettlement: number, humanitarian: number, emergency: number) => ({
  resettlement,
  humanitarian_admission: humanitarian,
  emergency_admission: emergency,
});

/** The four points of the story, at log positions 3, 4, 6 and 7 (the plan is 1-2, Norway 5). */
const POINTS = [
  {
    position: 3,
    recordedAt: DE_SUBMITTED_AT,
    memberState: 'DE',
    type: 'PledgeSubmitted',
    total: 130,
    byAdmissionType: counts(100, 0, 30),
  },
  {
    position: 4,
    recordedAt: FR_SUBMITTED_AT,
    memberState: 'FR',
    type: 'PledgeSubmitted',
    total: 180,
    byAdmissionType: counts(100, 50, 30),
  },
  {
    position: 6,
    recordedAt: DE_REVISED_AT,
    memberState: 'DE',
    type: 'PledgeRevised',
    total: 130,
    byAdmissionType: counts(80, 50, 0),
  },
  {
    position: 7,
    recordedAt: FR_WITHDRAWN_AT,
    memberState: 'FR',
    type: 'PledgeWithdrawn',
    total: 80,
    byAdmissionType: counts(80, 0, 0),
  },
] as const;

describe('GET /plans/{planId}/timeline', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  /** The story, written through the API by each ministry. */
  async function tellTheStory(): Promise<void> {
    await t.given(planStream('pledging_open'));
    const write = async (at: string, request: () => PromiseLike<{ status: number }>) => {
      t.clock.set(at);
      const response = await request();
      expect(response.status).toBeLessThan(300);
    };
    await write(DE_SUBMITTED_AT, () =>
      t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([aLine({ persons: 100 }), anEmergencyLine({ persons: 30 })])),
    );
    await write(FR_SUBMITTED_AT, () =>
      t
        .as('fr')
        .put(urls.pledge('FR'))
        .set('If-None-Match', '*')
        .send(
          aPledgeBody([
            aLine({ admissionType: 'humanitarian_admission', hostCountry: 'EG', persons: 50 }),
          ]),
        ),
    );
    await write(NO_SUBMITTED_AT, () =>
      t
        .as('no')
        .put(urls.pledge('NO'))
        .set('If-None-Match', '*')
        .send(aPledgeBody([aLine({ hostCountry: 'JO', persons: 71 })])),
    );
    await write(DE_REVISED_AT, () =>
      t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aPledgeBody([aLine({ persons: 80 })], { reason: 'Reception capacity cut' })),
    );
    await write(FR_WITHDRAWN_AT, () =>
      t.as('fr').delete(urls.pledge('FR')).set('If-Match', '"1"').send(aWithdrawalBody()),
    );
  }

  it('has a point after every Member State pledge event: submitted, revised, withdrawn', async () => {
    await tellTheStory();

    const response = await t.as('commission').get(urls.timeline());

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      planId: PLAN_ID,
      scope: { kind: 'all' },
      points: POINTS,
      asOfPosition: 7,
    });
  });

  it('agrees with the totals as of each point, associated states outside both', async () => {
    await tellTheStory();

    const timeline = await t.as('auditor').get(urls.timeline());
    for (const point of timeline.body.points as { position: number }[]) {
      const totals = await t.as('auditor').get(urls.totals(`?asOf=${point.position}`));
      expect(point).toMatchObject({
        total: totals.body.total,
        byAdmissionType: totals.body.byAdmissionType,
      });
    }
    // Norway's 71 places are in the totals' associated states, in no point.
    const totals = await t.as('auditor').get(urls.totals());
    expect(totals.body.associatedStates.total).toBe(71);
    expect(JSON.stringify(timeline.body)).not.toContain('"NO"');
  });

  describe('asOf', () => {
    beforeEach(tellTheStory);

    it('a log position keeps the events up to it', async () => {
      const response = await t.as('commission').get(urls.timeline('?asOf=5'));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ points: POINTS.slice(0, 2), asOfPosition: 5 });
    });

    it('an instant keeps the events recorded up to it', async () => {
      const response = await t
        .as('commission')
        .get(urls.timeline(`?asOf=${encodeURIComponent('2025-09-19T09:00:00+01:00')}`));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ points: POINTS.slice(0, 3), asOfPosition: 6 });
    });

    it('a date means the end of that day', async () => {
      const response = await t.as('commission').get(urls.timeline('?asOf=2025-09-17'));

      expect(response.body).toMatchObject({ points: POINTS.slice(0, 2), asOfPosition: 4 });
    });

    it('before the plan existed there is no plan', async () => {
      const response = await t.as('commission').get(urls.timeline('?asOf=2020-01-01'));

      expectProblem(response, 404, 'plan_not_found');
    });

    it('a position before the first pledge has no point yet', async () => {
      const response = await t.as('commission').get(urls.timeline('?asOf=2'));

      expect(response.body).toEqual({
        planId: PLAN_ID,
        scope: { kind: 'all' },
        points: [],
        asOfPosition: 2,
      });
    });

    it('anything but a position, a date or a date-time is refused', async () => {
      const response = await t.as('commission').get(urls.timeline('?asOf=yesterday'));

      expectProblem(response, 400, 'invalid_request');
    });
  });

  describe('who sees what', () => {
    beforeEach(tellTheStory);

    it('a Member State follows its own pledge alone, as its totals do', async () => {
      const response = await t.as('de').get(urls.timeline());

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        planId: PLAN_ID,
        scope: { kind: 'own', memberState: 'DE' },
        points: [
          { ...POINTS[0], total: 130, byAdmissionType: counts(100, 0, 30) },
          { ...POINTS[2], total: 80, byAdmissionType: counts(80, 0, 0) },
        ],
        asOfPosition: 7,
      });
    });

    it('another Member State sees its own pledge and its withdrawal', async () => {
      const response = await t.as('fr').get(urls.timeline());

      expect(response.body.points).toEqual([
        { ...POINTS[1], total: 50, byAdmissionType: counts(0, 50, 0) },
        { ...POINTS[3], total: 0, byAdmissionType: counts(0, 0, 0) },
      ]);
    });

    it('an associated state’s indication is outside the plan’s figures: no point', async () => {
      const response = await t.as('no').get(urls.timeline());

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        scope: { kind: 'own', memberState: 'NO' },
        points: [],
      });
    });

    it('an operator is refused', async () => {
      expectProblem(await t.as('operator').get(urls.timeline()), 403, 'forbidden');
    });

    it('no credentials: 401', async () => {
      expectProblem(await t.anonymous.get(urls.timeline()), 401, 'unauthenticated');
    });
  });

  it('an unknown plan: 404', async () => {
    await t.given(planStream('pledging_open'));

    expectProblem(
      await t.as('commission').get(urls.timeline('', '2030-2031')),
      404,
      'plan_not_found',
    );
  });

  it(`thins a long timeline to ${MAX_TIMELINE_POINTS} points, evenly, first and last kept`, async () => {
    // Germany submits 1 place, then revises 1,000 times, each time to one more: 1,001 events,
    // and France's one submission of 5,000 places in the middle of them.
    const revisions = Array.from({ length: 1000 }, (_, index) =>
      aPledgeRevised({ lines: [aLine({ persons: index + 2 })] }),
    );
    await t.given(
      planStream('pledging_open'),
      pledgeStream('DE', [
        aPledgeSubmitted({ lines: [aLine({ persons: 1 })] }),
        ...revisions.slice(0, 500),
      ]),
      pledgeStream('FR', [
        aPledgeSubmitted({ memberState: 'FR', lines: [aLine({ persons: 5000 })] }),
      ]),
      pledgeStream('DE', revisions.slice(500)),
    );

    const response = await t.as('commission').get(urls.timeline());

    expect(response.status).toBe(200);
    const points = response.body.points as { position: number; total: number }[];
    expect(points).toHaveLength(MAX_TIMELINE_POINTS);
    // 1,002 events at positions 3 to 1004; France's is the 502nd (position 504).
    const expected = thinnedIndices(1002).map((index) => {
      const position = index + 3;
      const germany = position < 504 ? position - 2 : position - 3;
      return { position, total: position < 504 ? germany : germany + 5000 };
    });
    expect(points.map(({ position, total }) => ({ position, total }))).toEqual(expected);
    expect(points[0]).toMatchObject({ position: 3, total: 1, memberState: 'DE' });
    expect(points.at(-1)).toMatchObject({ position: 1004, total: 6001, type: 'PledgeRevised' });
  });

  it('evenly spread indices keep the first and the last, never repeating one', () => {
    expect(thinnedIndices(3)).toEqual([0, 1, 2]);
    expect(thinnedIndices(10, 4)).toEqual([0, 3, 6, 9]);
    const indices = thinnedIndices(100_000);
    expect(indices).toHaveLength(MAX_TIMELINE_POINTS);
    expect(indices[0]).toBe(0);
    expect(indices.at(-1)).toBe(99_999);
    expect(new Set(indices).size).toBe(MAX_TIMELINE_POINTS);
  });

  it('is in the published contract, with the AdmissionTypeCounts component', () => {
    const document = openApiDocument();
    const operation = document.paths['/api/v1/plans/{planId}/timeline']?.get;

    expect(operation).toMatchObject({ operationId: 'getPledgeTimeline', tags: ['Figures'] });
    expect(JSON.stringify(document.components.schemas['TimelinePoint'])).toContain(
      '#/components/schemas/AdmissionTypeCounts',
    );
  });
});
