/**
 * The fulfilment of the adopted plan and the exports over HTTP: admitted against adopted (as
 * amended), pace measured at a reference instant (the asOf instant; for an asOf position, when its
 * last event was recorded; else the server's clock), checks, AMIF lump sums earned, and the AMIF
 * annual figures and the Art. 15 dataset as JSON and CSV.
 *
 * The fixture: the default plan adopted (Germany 500 resettled from Türkiye, France 300 from
 * Lebanon; Norway, associated, 60 from Jordan beside the plan), reports recorded on 1 June 2026:
 * Germany 100 in January and 50 in February, France 30 admitted on humanitarian grounds in January
 * (10 in the Art. 19(3) groups, 5 family members), Norway 20 in January. The period runs 730 days;
 * on 2 July 2026 at 00:00 UTC, 182 of them have passed.
 */
import type { Response } from 'supertest';
import {
  PLAN_ID,
  aContribution,
  aLine,
  aPlanAdopted,
  aReportBody,
  aReportSubmitted,
  anAdmission,
  createTestApp,
  expectProblem,
  expectRejected,
  planEventsAt,
  planStream,
  reportStream,
  urls,
  type GivenStream,
  type TestApp,
} from './testApp';

const RECORDED = '2026-06-01T12:00:00.000Z';
const REFERENCE = '2026-07-02T00:00:00.000Z';
const ELAPSED = 182 / 730;

const adopted: GivenStream = {
  ...planStream('adopted'),
  events: [
    ...planEventsAt('proposed'),
    aPlanAdopted({
      associatedStates: [aContribution('NO', [aLine({ hostCountry: 'JO', persons: 60 })])],
    }),
  ],
};

const REPORTS: readonly GivenStream[] = [
  reportStream('DE', '2026-01', [
    aReportSubmitted({
      month: '2026-01',
      admissions: [anAdmission({ persons: 100 })],
      procedure: {
        registered: 80,
        positiveConclusions: 60,
        openBeyond7Months: 4,
        openBeyond10Months: 1,
      },
    }),
  ]),
  reportStream('DE', '2026-02', [
    aReportSubmitted({
      month: '2026-02',
      admissions: [anAdmission({ persons: 50 })],
      procedure: { registered: 20, openBeyond7Months: 2, openBeyond10Months: 0 },
    }),
  ]),
  reportStream('FR', '2026-01', [
    aReportSubmitted({
      memberState: 'FR',
      month: '2026-01',
      admissions: [
        anAdmission({
          admissionType: 'humanitarian_admission',
          hostCountry: 'LB',
          persons: 30,
          vulnerablePersons: 10,
          familyMembers: 5,
        }),
      ],
    }),
  ]),
  reportStream('NO', '2026-01', [
    aReportSubmitted({
      memberState: 'NO',
      month: '2026-01',
      admissions: [anAdmission({ hostCountry: 'JO', persons: 20 })],
    }),
  ]),
];

const checkOf = (response: Response, id: string) =>
  (response.body.checks as { id: string; status: string }[]).find((check) => check.id === id);

describe('the fulfilment of the adopted plan over HTTP', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp({ clockStart: RECORDED });
  });

  afterEach(async () => {
    await t.close();
  });

  const given = async () => {
    await t.given(adopted, ...REPORTS);
    t.clock.set(REFERENCE);
  };

  it('answers admitted against adopted, with the pace expected at the server’s clock', async () => {
    await given();

    const response = await t.as('commission').get(urls.fulfilment());

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      planId: PLAN_ID,
      scope: { kind: 'all' },
      referenceInstant: REFERENCE,
      period: { start: '2026-01-01', end: '2027-12-31', months: 24, monthsEnded: 6 },
      total: {
        adopted: 800,
        admitted: 180,
        percent: 22.5,
        remaining: 620,
        expectedByNow: Math.round(800 * ELAPSED),
        projectedAtEnd: Math.round(180 / ELAPSED),
      },
      vulnerablePersons: 10,
      familyMembers: 5,
    });
    expect(response.body.period.elapsedFraction).toBeCloseTo(ELAPSED, 6);
    expect(response.body.memberStates).toEqual([
      expect.objectContaining({
        memberState: 'DE',
        adopted: 500,
        admitted: 150,
        percent: 30,
        remaining: 350,
        expectedByNow: Math.round(500 * ELAPSED),
        projectedAtEnd: Math.round(150 / ELAPSED),
        monthsReported: ['2026-01', '2026-02'],
        monthsMissing: ['2026-03', '2026-04', '2026-05', '2026-06'],
        lastReportedMonth: '2026-02',
        amifEarnedEur: 150 * 10_000,
      }),
      expect.objectContaining({
        memberState: 'FR',
        adopted: 300,
        admitted: 30,
        percent: 10,
        vulnerablePersons: 10,
        familyMembers: 5,
        monthsMissing: ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06'],
        // 15 persons at the Art. 19(3) rate (10 in the groups, 5 family members), 15 at 6,000.
        amifEarnedEur: 15 * 8_000 + 15 * 6_000,
      }),
    ]);
    expect(response.body.memberStates[1].byAdmissionType.humanitarian_admission).toEqual({
      adopted: 0,
      admitted: 30,
      percent: null,
      remaining: 0,
    });
    // Flows summed over the months; the open-case stocks from the latest month reporting them.
    expect(response.body.memberStates[0].procedure).toMatchObject({
      registered: 100,
      positiveConclusions: 60,
      openBeyond7Months: 2,
      openBeyond10Months: 0,
    });
    expect(response.body.byMonth.slice(0, 2)).toEqual([
      {
        month: '2026-01',
        admitted: 130,
        cumulative: 130,
        expectedCumulative: Math.round((800 * 31) / 730),
      },
      {
        month: '2026-02',
        admitted: 50,
        cumulative: 180,
        expectedCumulative: Math.round((800 * 59) / 730),
      },
    ]);
    expect(response.body.byMonth.at(-1)).toMatchObject({ month: '2026-07', cumulative: 180 });
    expect(response.body.byYear).toEqual(expect.arrayContaining([{ year: 2026, admitted: 180 }]));
    expect(response.body.amif).toMatchObject({
      forecast: false,
      totalEur: 1_500_000 + 210_000,
      byMemberStateAndYear: [
        expect.objectContaining({ memberState: 'DE', year: 2026, resettled: 150, eur: 1_500_000 }),
        expect.objectContaining({
          memberState: 'FR',
          year: 2026,
          humanitarian: 30,
          humanitarianAtGroupRate: 15,
          eur: 210_000,
        }),
      ],
    });
    // Norway reports in its own section: in no total, percentage, check or AMIF figure.
    expect(response.body.associatedStates).toMatchObject({
      total: { adopted: 60, admitted: 20 },
      byParticipant: [
        expect.objectContaining({ memberState: 'NO', admitted: 20, amifEarnedEur: 0 }),
      ],
    });
    expect(checkOf(response, 'behind_pace')).toMatchObject({ status: 'warn' });
    expect(checkOf(response, 'months_without_report')).toMatchObject({ status: 'warn' });
    expect(checkOf(response, 'procedure_deadlines')).toMatchObject({ status: 'info' });
    expect(checkOf(response, 'totals_reconcile')).toMatchObject({ status: 'pass' });
  });

  it('measures pace at the asOf instant, or when the last event at an asOf position was recorded', async () => {
    await given();
    const head = await t.store.headPosition();

    const atInstant = await t.as('auditor').get(urls.fulfilment('?asOf=2026-06-15T00:00:00Z'));
    const atPosition = await t.as('auditor').get(urls.fulfilment(`?asOf=${head}`));
    const live = await t.as('auditor').get(urls.fulfilment());

    expect(atInstant.body.referenceInstant).toBe('2026-06-15T00:00:00.000Z');
    expect(atInstant.body.total.expectedByNow).toBe(Math.round((800 * 165) / 730));
    expect(atPosition.body.referenceInstant).toBe(RECORDED);
    expect(atPosition.body.asOfPosition).toBe(head);
    expect(live.body.referenceInstant).toBe(REFERENCE);
  });

  it('reconciles with the reports at every cut: before and after a correction', async () => {
    await given();
    const before = await t.store.headPosition();
    const corrected = await t
      .as('de')
      .put(urls.report('DE', '2026-02'))
      .set('If-Match', '"1"')
      .send(aReportBody([anAdmission({ persons: 57 })], { reason: 'Late arrivals counted' }));
    expect(corrected.status).toBe(200);

    for (const asOf of [`?asOf=${before}`, '']) {
      const fulfilment = await t.as('commission').get(urls.fulfilment(asOf));
      const reports = await t.as('commission').get(urls.reports(asOf));
      const reported = (reports.body.reports as { admitted: number }[]).reduce(
        (sum, report) => sum + report.admitted,
        0,
      );
      expect(fulfilment.body.total.admitted).toBe(reported);
      expect(checkOf(fulfilment, 'totals_reconcile')).toMatchObject({ status: 'pass' });
    }
    const after = await t.as('commission').get(urls.fulfilment());
    expect(after.body.total.admitted).toBe(187);
  });

  it('is the same whole view for a Member State: the adopted plan is a Council act', async () => {
    await given();

    const commission = await t.as('commission').get(urls.fulfilment());
    const france = await t.as('fr').get(urls.fulfilment());

    expect(france.status).toBe(200);
    expect(france.body).toEqual(commission.body);
  });

  it('is not available before adoption, and not found for an unknown plan', async () => {
    await t.given(planStream('proposed'));

    expectProblem(await t.as('commission').get(urls.fulfilment()), 404, 'view_not_available');
    expectProblem(
      await t.as('commission').get(urls.fulfilment('', '2030-2031')),
      404,
      'plan_not_found',
    );
  });

  it('is refused to an operator', async () => {
    await given();

    expectProblem(await t.as('operator').get(urls.fulfilment()), 403, 'forbidden');
  });
});

describe('the exports over HTTP', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = createTestApp({ clockStart: RECORDED });
    await t.given(adopted, ...REPORTS);
    t.clock.set(REFERENCE);
  });

  afterEach(async () => {
    await t.close();
  });

  const csvLines = (response: Response) =>
    response.text.split('\r\n').filter((line) => line !== '');

  it('the AMIF annual figures of a year: Member States only, as JSON', async () => {
    const response = await t.as('auditor').get(urls.amifExport('?year=2026'));

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({ planId: PLAN_ID, year: 2026, dueBy: '2027-02-15' });
    expect(response.body.rows).toEqual([
      expect.objectContaining({
        memberState: 'DE',
        year: 2026,
        resettled: 150,
        humanitarian: 0,
        sexNotReported: 150,
        ageNotReported: 150,
        lumpSumEur: 1_500_000,
        monthsReported: 2,
      }),
      expect.objectContaining({
        memberState: 'FR',
        humanitarian: 30,
        humanitarianAtGroupRate: 15,
        vulnerablePersons: 10,
        familyMembers: 5,
        lumpSumEur: 210_000,
        monthsReported: 1,
      }),
    ]);
  });

  it('the AMIF annual figures as a CSV download', async () => {
    const response = await t.as('commission').get(urls.amifExport('?year=2026&format=csv'));

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="amif-annual-${PLAN_ID}-2026.csv"`,
    );
    expect(response.text).toContain('\r\n');
    const lines = csvLines(response);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('memberState');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['DE', 'FR']);
  });

  it('a Member State’s exports hold its own rows only, and its file says whose they are', async () => {
    const json = await t.as('fr').get(urls.amifExport('?year=2026'));
    const csv = await t.as('fr').get(urls.amifExport('?year=2026&format=csv'));
    const dataset = await t.as('fr').get(urls.frameworkExport());

    expect(json.body.rows).toEqual([expect.objectContaining({ memberState: 'FR' })]);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="amif-annual-${PLAN_ID}-2026-FR.csv"`,
    );
    expect(csvLines(csv)).toHaveLength(2);
    expect(JSON.stringify(dataset.body)).not.toContain('"DE"');
    expect(dataset.body.admissions).toEqual([expect.objectContaining({ memberState: 'FR' })]);
  });

  it('the dataset for the report on the Framework (Art. 15): admissions and procedure counts', async () => {
    const response = await t.as('commission').get(urls.frameworkExport());

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ planId: PLAN_ID, dueBy: '2028-06-12' });
    expect(response.body.admissions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          memberState: 'DE',
          year: 2026,
          admissionType: 'resettlement',
          emergencyBasis: null,
          host: 'TR',
          unhcrRegion: 'europe',
          persons: 150,
        }),
        expect.objectContaining({
          memberState: 'FR',
          admissionType: 'humanitarian_admission',
          host: 'LB',
          unhcrRegion: 'middle_east_north_africa',
          persons: 30,
          vulnerablePersons: 10,
          familyMembers: 5,
        }),
      ]),
    );
    expect(response.body.procedure).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          memberState: 'DE',
          year: 2026,
          registered: 100,
          positiveConclusions: 60,
          openBeyond7Months: 2,
          monthsReported: 2,
        }),
      ]),
    );
  });

  it.each(['admissions', 'procedure'] as const)(
    'the dataset’s %s table as a CSV download',
    async (table) => {
      const response = await t
        .as('auditor')
        .get(urls.frameworkExport(`?format=csv&table=${table}`));

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="framework-report-${PLAN_ID}-${table}.csv"`,
      );
      expect(csvLines(response)[0]).toContain(table === 'admissions' ? 'persons' : 'registered');
    },
  );

  it.each([
    ['a year outside the plan period', '?year=2030', 422, 'year_outside_plan_period', 'year'],
    ['no year', '', 400, 'invalid_request', 'year'],
    ['a year that is not one', '?year=twenty', 400, 'invalid_request', 'year'],
    ['an unknown format', '?year=2026&format=xlsx', 400, 'invalid_request', 'format'],
  ] as const)('the AMIF export refuses %s', async (_name, query, status, code, path) => {
    const mark = await t.mark();

    const response = await t.as('commission').get(urls.amifExport(query));

    await expectRejected(t, mark, response, status, code);
    expect(response.body.errors?.[0]).toMatchObject({ path });
  });

  it('exports are not available before adoption', async () => {
    await t.close();
    t = createTestApp({ clockStart: RECORDED });
    await t.given(planStream('proposed'));

    expectProblem(
      await t.as('commission').get(urls.amifExport('?year=2026')),
      404,
      'view_not_available',
    );
    expectProblem(await t.as('commission').get(urls.frameworkExport()), 404, 'view_not_available');
    expectProblem(
      await t.as('commission').get(urls.frameworkExport('', '2030-2031')),
      404,
      'plan_not_found',
    );
  });
});
