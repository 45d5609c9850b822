import { earnedForAdmissionLine, isAssociatedState } from '../../../src/domain/reference';
import type {
  AdmissionLine,
  ProcedureCounts,
} from '../../../src/domain/implementation/implementationReport';
import {
  contributionsTotal,
  type Contribution,
  type PledgeLine,
} from '../../../src/domain/shared/pledgeLine';
import { ALL_PARTICIPANTS, getTotals, ownScope, type ReadScope } from '../../../src/projections';
import {
  BEHIND_PACE_THRESHOLD_PERCENT,
  getFulfilment,
  type Fulfilment,
  type FulfilmentCheck,
  type FulfilmentCheckId,
  type MemberStateFulfilment,
} from '../../../src/projections/implementation';
import {
  contribution,
  emergency,
  fromCountries,
  fromPlanRegion,
  humanitarian,
  resettlement,
  type Host,
} from '../builders';
import {
  admission,
  adoptedPlan,
  monthsOf,
  PLAN_ID,
  proposedPlan,
  seededRandom,
  type ImplementationLog,
} from './builders';

const ALL = ALL_PARTICIPANTS;

/**
 * The adopted plan most tests start from. The period has 730 days, so DE's 730 places make its
 * expected admissions by now equal the days elapsed; the Member States adopted 1,095 in all.
 * Norway is an associated state (Art. 12).
 */
const ADOPTION: Contribution[] = [
  contribution(
    'DE',
    resettlement('TR', 500),
    humanitarian('LB', 200),
    emergency('resettlement', 30),
  ),
  contribution('FR', resettlement(fromPlanRegion('latin_america'), 365)),
  contribution('NO', resettlement('JO', 100)),
];

const givenAdoptedPlan = (adoption: Contribution[] = ADOPTION) => adoptedPlan(adoption);

function fulfilmentAt(log: ImplementationLog, instant: string, scope: ReadScope = ALL): Fulfilment {
  const result = getFulfilment(log.state(), PLAN_ID, scope, instant);
  if (result === undefined || result === 'not_adopted') {
    throw new Error(`no fulfilment view: ${String(result)}`);
  }
  return result;
}

function checkOf(fulfilment: Fulfilment, id: FulfilmentCheckId): FulfilmentCheck {
  const found = fulfilment.checks.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

function memberState(fulfilment: Fulfilment, code: string): MemberStateFulfilment {
  const found = fulfilment.memberStates.find((row) => row.memberState === code);
  if (found === undefined) throw new Error(`no row for ${code}`);
  return found;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Persons admitted from `host` through resettlement in one line. */
const resettled = (host: Host, persons: number) => admission(resettlement(host, persons));

describe('getFulfilment: which plan', () => {
  it('given no such plan, when asked, then undefined', () => {
    const log = givenAdoptedPlan();
    expect(getFulfilment(log.state(), '2028-2029', ALL, '2026-05-01T00:00:00Z')).toBeUndefined();
  });

  it('given a plan only proposed, when asked, then not_adopted', () => {
    const log = proposedPlan(ADOPTION);
    expect(getFulfilment(log.state(), PLAN_ID, ALL, '2026-05-01T00:00:00Z')).toBe('not_adopted');
  });

  it('given an adopted plan and no report, when asked, then adopted figures and nothing admitted', () => {
    const fulfilment = fulfilmentAt(givenAdoptedPlan(), '2026-01-01T00:00:00Z');
    expect(fulfilment.total).toEqual({
      adopted: 1095,
      admitted: 0,
      percent: 0,
      remaining: 1095,
      expectedByNow: 0,
      projectedAtEnd: null,
    });
    expect(fulfilment.memberStates.map((row) => row.memberState)).toEqual(['DE', 'FR']);
    expect(fulfilment.byAdmissionType).toEqual({
      resettlement: { adopted: 865, admitted: 0, percent: 0, remaining: 865 },
      humanitarian_admission: { adopted: 200, admitted: 0, percent: 0, remaining: 200 },
      emergency_admission: { adopted: 30, admitted: 0, percent: 0, remaining: 30 },
    });
    expect(fulfilment.period).toEqual({
      start: '2026-01-01',
      end: '2027-12-31',
      months: 24,
      monthsEnded: 0,
      elapsedFraction: 0,
    });
  });
});

describe('percent, remaining and pace', () => {
  it.each([
    // reference instant, elapsed fraction, months ended, DE expected, DE projected, total expected
    ['2025-12-31T23:59:59Z', 0, 0, 0, null, 0],
    ['2026-01-01T00:00:00Z', 0, 0, 0, null, 0],
    ['2026-07-02T00:00:00Z', 182 / 730, 6, 182, 365, 273],
    ['2027-01-01T00:00:00Z', 0.5, 12, 365, 182, 548],
    ['2028-01-01T00:00:00Z', 1, 24, 730, 91, 1095],
    ['2030-05-05T10:00:00+02:00', 1, 24, 730, 91, 1095],
  ])(
    'given DE admitted 91 of 730, when measured at %s, then the pace',
    (instant, fraction, monthsEnded, expected, projected, totalExpected) => {
      const log = givenAdoptedPlan();
      log.reportSubmitted('DE', '2026-01', [resettled('TR', 91)]);

      const fulfilment = fulfilmentAt(log, instant);

      expect(fulfilment.period.elapsedFraction).toBeCloseTo(fraction, 12);
      expect(fulfilment.period.monthsEnded).toBe(monthsEnded);
      expect(memberState(fulfilment, 'DE')).toMatchObject({
        adopted: 730,
        admitted: 91,
        percent: 12.47,
        remaining: 639,
        expectedByNow: expected,
        projectedAtEnd: projected,
      });
      expect(fulfilment.total.expectedByNow).toBe(totalExpected);
    },
  );

  it.each([
    // adopted (TR), admitted, percent, remaining
    [730, 0, 0, 730],
    [730, 365, 50, 365],
    [3, 1, 33.33, 2],
    [3, 2, 66.67, 1],
    [730, 800, 109.59, 0],
  ])(
    'given %d adopted and %d admitted, then percent %d and remaining %d',
    (adopted, admitted, percent, remaining) => {
      const log = givenAdoptedPlan([contribution('DE', resettlement('TR', adopted))]);
      if (admitted > 0) log.reportSubmitted('DE', '2026-03', [resettled('TR', admitted)]);

      const fulfilment = fulfilmentAt(log, '2026-04-01T00:00:00Z');

      expect(memberState(fulfilment, 'DE')).toMatchObject({
        adopted,
        admitted,
        percent,
        remaining,
      });
      expect(fulfilment.total).toMatchObject({ adopted, admitted, percent, remaining });
      expect(fulfilment.byAdmissionType.resettlement).toEqual({
        adopted,
        admitted,
        percent,
        remaining,
      });
    },
  );

  it('given a Member State with reports and no contribution, then percent is null and nothing remains', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('IT', '2026-02', [resettled('TR', 12)]);

    const italy = memberState(fulfilmentAt(log, '2026-03-01T00:00:00Z'), 'IT');

    expect(italy).toMatchObject({
      adopted: 0,
      admitted: 12,
      percent: null,
      remaining: 0,
      expectedByNow: 0,
    });
    expect(italy.monthsMissing).toEqual([]);
  });

  it('draws the pace line month by month up to the reference month, expected capped at the reference', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [resettled('TR', 40)]);
    log.reportSubmitted('FR', '2026-01', [resettled(fromPlanRegion('latin_america'), 10)]);
    log.reportSubmitted('DE', '2026-03', [resettled('TR', 25)]);

    const fulfilment = fulfilmentAt(log, '2026-03-16T00:00:00Z');

    // 1,095 adopted over 730 days: 1.5 a day; 31 days of January, 28 of February, 15 of March.
    expect(fulfilment.byMonth).toEqual([
      { month: '2026-01', admitted: 50, cumulative: 50, expectedCumulative: Math.round(1.5 * 31) },
      { month: '2026-02', admitted: 0, cumulative: 50, expectedCumulative: Math.round(1.5 * 59) },
      { month: '2026-03', admitted: 25, cumulative: 75, expectedCumulative: Math.round(1.5 * 74) },
    ]);
    expect(fulfilment.byYear).toEqual([
      { year: 2026, admitted: 75 },
      { year: 2027, admitted: 0 },
    ]);
  });
});

describe('where admissions come from: the totals view’s bucketing', () => {
  const adoption = [
    contribution(
      'DE',
      resettlement('TR', 300),
      humanitarian(fromCountries('EG', 'KE'), 120),
      resettlement(fromPlanRegion('latin_america'), 80),
      emergency('humanitarian_admission', 20),
      emergency('resettlement', 10, { hostCountry: 'SD' }),
    ),
    contribution('FR', resettlement('LB', 200), humanitarian('TR', 50)),
  ];

  function given() {
    const log = givenAdoptedPlan(adoption);
    log.reportSubmitted('DE', '2026-01', [
      resettled('TR', 30),
      admission(humanitarian(fromCountries('EG', 'KE'), 12)),
      resettled(fromPlanRegion('latin_america'), 8),
      admission(emergency('humanitarian_admission', 2)),
      admission(emergency('resettlement', 1, { hostCountry: 'SD' })),
    ]);
    log.reportSubmitted('FR', '2026-01', [resettled('LB', 20), resettled('SY', 4)]);
    return log;
  }

  it('groups host countries and groups under their UNHCR bureau, emergency places without a host apart', () => {
    const fulfilment = fulfilmentAt(given(), '2026-02-01T00:00:00Z');

    expect(
      fulfilment.regions.map(({ region, adopted, admitted }) => ({ region, adopted, admitted })),
    ).toEqual([
      { region: 'europe', adopted: 350, admitted: 30 },
      { region: 'middle_east_north_africa', adopted: 200, admitted: 24 },
      { region: 'across_several_bureaux', adopted: 120, admitted: 12 },
      { region: 'americas', adopted: 80, admitted: 8 },
      { region: 'east_horn_great_lakes', adopted: 10, admitted: 1 },
    ]);
    const mena = fulfilment.regions.find((region) => region.region === 'middle_east_north_africa');
    expect(mena?.countries).toEqual([
      { country: 'LB', name: 'Lebanon', adopted: 200, admitted: 20, percent: 10, remaining: 180 },
      {
        country: 'SY',
        name: 'Syrian Arab Republic',
        adopted: 0,
        admitted: 4,
        percent: null,
        remaining: 0,
      },
    ]);
    const americas = fulfilment.regions.find((region) => region.region === 'americas');
    expect(americas?.groups).toEqual([
      {
        group: 'region:latin_america',
        kind: 'plan_region',
        planRegion: 'latin_america',
        name: 'Latin America',
        countries: ['CO', 'EC'],
        adopted: 80,
        admitted: 8,
        percent: 10,
        remaining: 72,
      },
    ]);
    expect(fulfilment.notRegionBound).toEqual({
      adopted: 20,
      admitted: 2,
      percent: 10,
      remaining: 18,
    });
  });

  it('counts the adopted places per region, country and group exactly as the totals view does', () => {
    const state = given().state();
    const fulfilment = getFulfilment(state, PLAN_ID, ALL, '2026-02-01T00:00:00Z');
    const totals = getTotals(state, PLAN_ID, 'adopted', ALL);
    if (typeof fulfilment !== 'object' || totals === undefined) throw new Error('no views');

    for (const region of totals.regions) {
      const same = fulfilment.regions.find((candidate) => candidate.region === region.region);
      expect(same?.adopted).toBe(region.total);
      for (const country of region.countries) {
        expect(same?.countries.find((c) => c.country === country.country)?.adopted).toBe(
          country.total,
        );
      }
      for (const group of region.groups) {
        expect(same?.groups.find((g) => g.group === group.group)?.adopted).toBe(group.total);
      }
    }
    expect(fulfilment.notRegionBound.adopted).toBe(totals.notRegionBound.total);
    expect(fulfilment.total.adopted).toBe(totals.total);
  });
});

describe('check admissions_above_contribution (Art. 9(11)(a))', () => {
  it('given admissions within every contribution, then pass', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [
      resettled('TR', 500),
      admission(humanitarian('LB', 200)),
    ]);

    expect(
      checkOf(fulfilmentAt(log, '2026-02-01T00:00:00Z'), 'admissions_above_contribution'),
    ).toMatchObject({
      status: 'pass',
      rows: [],
    });
  });

  it('given admissions above a contribution, in total or for one type, then info, never more', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [resettled('TR', 510)]);
    log.reportSubmitted('FR', '2026-01', [resettled(fromPlanRegion('latin_america'), 400)]);
    log.reportSubmitted('IT', '2026-01', [resettled('TR', 5)]);

    const check = checkOf(
      fulfilmentAt(log, '2026-02-01T00:00:00Z'),
      'admissions_above_contribution',
    );

    expect(check.status).toBe('info');
    expect(check.rows).toEqual([
      { memberState: 'DE', admissionType: 'resettlement', adopted: 500, admitted: 510, above: 10 },
      { memberState: 'FR', admissionType: 'all', adopted: 365, admitted: 400, above: 35 },
      { memberState: 'FR', admissionType: 'resettlement', adopted: 365, admitted: 400, above: 35 },
      { memberState: 'IT', admissionType: 'all', adopted: 0, admitted: 5, above: 5 },
      { memberState: 'IT', admissionType: 'resettlement', adopted: 0, admitted: 5, above: 5 },
    ]);
    expect(check.message).toContain('Art. 9(11)(a)');
    expect(check.message).toContain('FR 400 admitted against 365');
  });
});

describe(`check behind_pace (below ${BEHIND_PACE_THRESHOLD_PERCENT} % of the admissions expected by now)`, () => {
  // Halfway through the period DE is expected to have admitted 365, FR 183 (182.5 rounded).
  it.each([
    ['both at exactly 80 %', 292, 147, 'pass', []],
    ['DE just below 80 %', 291, 147, 'warn', ['DE']],
    ['FR with nothing', 292, 0, 'warn', ['FR']],
    ['both ahead', 400, 200, 'pass', []],
  ])('given %s (DE %d, FR %d admitted), then %s', (_label, germany, france, status, behind) => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-06', [resettled('TR', germany)]);
    if (france > 0)
      log.reportSubmitted('FR', '2026-06', [resettled(fromPlanRegion('latin_america'), france)]);

    const check = checkOf(fulfilmentAt(log, '2027-01-01T00:00:00Z'), 'behind_pace');

    expect(check.status).toBe(status);
    expect(check.rows.map((row) => row['memberState'])).toEqual(behind);
    expect(check.message).toContain("80 % threshold is this tracker's choice");
  });

  it('given the period has not begun, then pass: no pace to measure', () => {
    const check = checkOf(fulfilmentAt(givenAdoptedPlan(), '2025-12-20T00:00:00Z'), 'behind_pace');
    expect(check).toMatchObject({ status: 'pass', rows: [] });
    expect(check.message).toContain('has not begun');
  });

  it('names the figures behind a warning', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-06', [resettled('TR', 100)]);
    log.reportSubmitted('FR', '2026-06', [resettled(fromPlanRegion('latin_america'), 300)]);

    expect(checkOf(fulfilmentAt(log, '2027-01-01T00:00:00Z'), 'behind_pace').rows).toEqual([
      {
        memberState: 'DE',
        adopted: 730,
        admitted: 100,
        expectedByNow: 365,
        percentOfExpected: 27.4,
      },
    ]);
  });
});

describe('check months_without_report', () => {
  it('given every month ended before the reference month reported, then pass (the current month is not due)', () => {
    const log = givenAdoptedPlan();
    for (const month of ['2026-01', '2026-02', '2026-03']) {
      log.reportSubmitted('DE', month, [resettled('TR', 5)]);
      log.reportSubmitted('FR', month, []);
    }

    const fulfilment = fulfilmentAt(log, '2026-04-15T12:00:00Z');

    expect(checkOf(fulfilment, 'months_without_report')).toMatchObject({
      status: 'pass',
      rows: [],
    });
    expect(memberState(fulfilment, 'FR')).toMatchObject({
      monthsReported: ['2026-01', '2026-02', '2026-03'],
      monthsMissing: [],
      lastReportedMonth: '2026-03',
    });
  });

  it('given months without a report, then warn for each Member State with a contribution, and only those', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-03', [resettled('TR', 5)]);
    log.reportSubmitted('DE', '2026-01', [resettled('TR', 5)]);
    log.reportSubmitted('IT', '2026-01', [resettled('TR', 5)]);

    const fulfilment = fulfilmentAt(log, '2026-04-15T12:00:00Z');
    const check = checkOf(fulfilment, 'months_without_report');

    expect(check.status).toBe('warn');
    expect(check.rows).toEqual([
      { memberState: 'DE', months: ['2026-02'], count: 1 },
      { memberState: 'FR', months: ['2026-01', '2026-02', '2026-03'], count: 3 },
    ]);
    expect(memberState(fulfilment, 'DE')).toMatchObject({
      monthsReported: ['2026-01', '2026-03'],
      monthsMissing: ['2026-02'],
      lastReportedMonth: '2026-03',
    });
    // Norway, an associated state, has its own section and is in no check.
    expect(fulfilment.associatedStates.byParticipant[0]?.monthsMissing).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
  });

  it.each([
    ['2026-01-20T00:00:00Z', 'pass', []],
    ['2026-02-01T00:00:00Z', 'warn', ['2026-01']],
  ])('given nothing reported, when measured at %s, then %s', (instant, status, months) => {
    const check = checkOf(fulfilmentAt(givenAdoptedPlan(), instant), 'months_without_report');
    expect(check.status).toBe(status);
    expect(check.rows.map((row) => row['months'])[0] ?? []).toEqual(months);
  });
});

describe('check procedure_deadlines (Art. 9(9), 9(10), 9(20))', () => {
  it.each<[string, ProcedureCounts, string, [string, string, string][]]>([
    ['flows only', { registered: 10, positiveConclusions: 5 }, 'pass', []],
    [
      'cases open past 10 months',
      { openBeyond7Months: 3, openBeyond10Months: 1 },
      'warn',
      [
        ['openBeyond10Months', 'warn', 'Art. 9(9)'],
        ['openBeyond7Months', 'info', 'Art. 9(9)'],
      ],
    ],
    [
      'cases open past 7 months',
      { openBeyond7Months: 2, openBeyond10Months: 0 },
      'info',
      [['openBeyond7Months', 'info', 'Art. 9(9)']],
    ],
    [
      'emergency cases concluded past 1 month',
      { emergencyConcludedBeyond1Month: 1 },
      'info',
      [['emergencyConcludedBeyond1Month', 'info', 'Art. 9(10)']],
    ],
    [
      'entries past 12 months (best efforts)',
      { enteredBeyond12Months: 4 },
      'info',
      [['enteredBeyond12Months', 'info', 'Art. 9(20)']],
    ],
  ])('given %s, then the rows and status', (_label, procedure, status, rows) => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [], { procedure });

    const check = checkOf(fulfilmentAt(log, '2026-02-01T00:00:00Z'), 'procedure_deadlines');

    expect(check.status).toBe(status);
    expect(check.rows.map((row) => [row['field'], row['status'], row['article']])).toEqual(rows);
    for (const [, , article] of rows) expect(check.message).toContain(article);
  });

  it('sums the flows and takes open cases from the latest month reporting them, whatever the order of the reports', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-02', [], {
      procedure: { registered: 15, openBeyond7Months: 0, openBeyond10Months: 0 },
    });
    log.reportSubmitted('DE', '2026-01', [], {
      procedure: { registered: 10, openBeyond7Months: 4, openBeyond10Months: 4 },
    });
    log.reportSubmitted('DE', '2026-03', [], { procedure: { registered: 1 } });
    log.reportSubmitted('FR', '2026-03', [], {
      procedure: { registered: 7, openBeyond7Months: 2 },
    });

    const fulfilment = fulfilmentAt(log, '2026-04-01T00:00:00Z');

    expect(memberState(fulfilment, 'DE').procedure).toEqual({
      registered: 26,
      openBeyond7Months: 0,
      openBeyond10Months: 0,
    });
    expect(fulfilment.procedure).toEqual({
      registered: 33,
      openBeyond7Months: 2,
      openBeyond10Months: 0,
    });
    expect(checkOf(fulfilment, 'procedure_deadlines').rows).toEqual([
      {
        memberState: 'FR',
        field: 'openBeyond7Months',
        count: 2,
        status: 'info',
        article: 'Art. 9(9)',
      },
    ]);
  });
});

describe('check admissions_outside_plan_regions (Art. 8(3)(c), emergency excepted by Art. 8(5))', () => {
  // The plan names EG, JO, LB and TR, the West and Central Africa bureau, and Latin America (CO, EC).
  it.each<[string, AdmissionLine]>([
    ['a named country', resettled('TR', 5)],
    ['a country of a named UNHCR bureau', resettled('NE', 5)],
    ['a plan region', resettled(fromPlanRegion('latin_america'), 5)],
    ['several named countries', admission(humanitarian(fromCountries('EG', 'JO'), 5))],
    [
      'emergency admission from anywhere',
      admission(emergency('resettlement', 5, { hostCountry: 'AF' })),
    ],
    ['emergency admission with no host', admission(emergency('humanitarian_admission', 5))],
  ])('given %s, then pass', (_label, line) => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [line]);
    expect(
      checkOf(fulfilmentAt(log, '2026-02-01T00:00:00Z'), 'admissions_outside_plan_regions'),
    ).toMatchObject({
      status: 'pass',
      rows: [],
    });
  });

  it('given resettlement and humanitarian admission from countries the plan does not name, then warn with the lines summed', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [
      resettled('SY', 5),
      admission(humanitarian(fromCountries('EG', 'KE'), 3)),
    ]);
    log.reportSubmitted('DE', '2026-02', [resettled('SY', 2)]);

    const check = checkOf(
      fulfilmentAt(log, '2026-03-01T00:00:00Z'),
      'admissions_outside_plan_regions',
    );

    expect(check.status).toBe('warn');
    expect(check.rows).toEqual([
      {
        memberState: 'DE',
        host: 'EG+KE',
        admissionType: 'humanitarian_admission',
        countriesOutside: ['KE'],
        persons: 3,
      },
      {
        memberState: 'DE',
        host: 'SY',
        admissionType: 'resettlement',
        countriesOutside: ['SY'],
        persons: 7,
      },
    ]);
    expect(check.message).toMatch(/^10 persons .*Art\. 8\(3\)\(c\).*Art\. 8\(5\)/);
  });

  it('given an amendment that names the country, then pass: the plan as amended decides (Art. 8(6))', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [resettled('SY', 5)]);
    log.planAmended({ addPriorityCountries: ['SY'] });

    expect(
      checkOf(fulfilmentAt(log, '2026-04-01T00:00:00Z'), 'admissions_outside_plan_regions').status,
    ).toBe('pass');
  });
});

describe('check totals_reconcile', () => {
  it('given reports, then pass with every breakdown equal to the total', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [
      resettled('TR', 5),
      admission(emergency('resettlement', 2)),
    ]);
    log.reportSubmitted('FR', '2027-02', [resettled(fromPlanRegion('latin_america'), 3)]);

    const check = checkOf(fulfilmentAt(log, '2027-03-01T00:00:00Z'), 'totals_reconcile');

    expect(check.status).toBe('pass');
    expect(check.rows).toEqual([
      {
        total: 10,
        linesSum: 10,
        byMemberStateSum: 10,
        byAdmissionTypeSum: 10,
        byRegionSum: 10,
        byHostSum: 10,
        byMonthSum: 10,
        byYearSum: 10,
      },
    ]);
  });

  it('given a recorded report for a month outside the period (which the decider refuses), then fail', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [resettled('TR', 5)]);
    log.reportSubmitted('DE', '2028-01', [resettled('TR', 4)]);

    const check = checkOf(fulfilmentAt(log, '2028-02-01T00:00:00Z'), 'totals_reconcile');

    expect(check.status).toBe('fail');
    expect(check.rows[0]).toMatchObject({ total: 9, linesSum: 9, byMonthSum: 5, byYearSum: 5 });
    expect(check.message).toContain('do not add up to the 9 persons admitted');
  });
});

describe('AMIF lump sums earned (AMIF Art. 19)', () => {
  it('given admissions of every basis over two years, then per Member State and year, group rate capped at persons', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [
      admission(resettlement('TR', 10), { vulnerablePersons: 2 }),
      admission(humanitarian('LB', 10), { vulnerablePersons: 3, familyMembers: 2 }),
      admission(emergency('resettlement', 4)),
    ]);
    log.reportSubmitted('DE', '2026-07', [
      admission(emergency('humanitarian_admission', 5), { vulnerablePersons: 5, familyMembers: 5 }),
    ]);
    log.reportSubmitted('DE', '2027-01', [admission(humanitarian('LB', 1))]);
    log.reportSubmitted('NO', '2026-01', [resettled('JO', 50)]);

    const fulfilment = fulfilmentAt(log, '2027-02-01T00:00:00Z');

    expect(fulfilment.amif).toEqual({
      forecast: false,
      rates: {
        resettlementEur: 10_000,
        humanitarianAdmissionEur: 6_000,
        humanitarianAdmissionArticle19GroupsEur: 8_000,
      },
      totalEur: 256_000,
      byMemberStateAndYear: [
        // 14 resettled x 10,000; 10 at the group rate x 8,000, 5 at 6,000.
        {
          memberState: 'DE',
          year: 2026,
          resettled: 14,
          humanitarian: 15,
          humanitarianAtGroupRate: 10,
          eur: 250_000,
        },
        {
          memberState: 'DE',
          year: 2027,
          resettled: 0,
          humanitarian: 1,
          humanitarianAtGroupRate: 0,
          eur: 6_000,
        },
      ],
    });
    expect(memberState(fulfilment, 'DE')).toMatchObject({
      amifEarnedEur: 256_000,
      vulnerablePersons: 10,
      familyMembers: 7,
    });
    expect(fulfilment.associatedStates.byParticipant[0]).toMatchObject({
      memberState: 'NO',
      amifEarnedEur: 0,
    });
  });
});

describe('associated states (Art. 12): their own section, in no figure of the plan', () => {
  it('given Norway’s indication and admissions, then they count only in the associated states’ section', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [resettled('TR', 10)]);
    log.reportSubmitted('NO', '2026-01', [resettled('JO', 150), admission(humanitarian('SY', 5))]);

    const fulfilment = fulfilmentAt(log, '2026-03-01T00:00:00Z');

    expect(fulfilment.total).toMatchObject({ adopted: 1095, admitted: 10 });
    expect(fulfilment.memberStates.map((row) => row.memberState)).toEqual(['DE', 'FR']);
    expect(
      fulfilment.regions.find((region) => region.region === 'middle_east_north_africa'),
    ).toMatchObject({
      admitted: 0,
    });
    expect(fulfilment.amif.totalEur).toBe(100_000);
    expect(fulfilment.associatedStates.total).toEqual({
      adopted: 100,
      admitted: 155,
      percent: 155,
      remaining: 0,
    });
    expect(fulfilment.associatedStates.byParticipant.map((row) => row.memberState)).toEqual(['NO']);
    expect(fulfilment.associatedStates.note).toContain('Art. 12');
    for (const check of fulfilment.checks) {
      expect(JSON.stringify(check.rows)).not.toContain('"NO"');
    }
  });
});

describe('amendments (Art. 8(6)) and corrections', () => {
  it('given an amendment raising one contribution and removing another, then admitted is measured against the amended plan', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [admission(humanitarian('LB', 50))]);
    log.reportSubmitted('FR', '2026-01', [resettled(fromPlanRegion('latin_america'), 20)]);
    log.planAmended({
      contributions: [contribution('DE', resettlement('TR', 1000)), contribution('FR')],
    });

    const fulfilment = fulfilmentAt(log, '2026-03-01T00:00:00Z');

    expect(memberState(fulfilment, 'DE')).toMatchObject({ adopted: 1000, admitted: 50 });
    expect(memberState(fulfilment, 'DE').byAdmissionType.humanitarian_admission).toEqual({
      adopted: 0,
      admitted: 50,
      percent: null,
      remaining: 0,
    });
    expect(memberState(fulfilment, 'FR')).toMatchObject({
      adopted: 0,
      admitted: 20,
      monthsMissing: [],
    });
    expect(fulfilment.total).toMatchObject({ adopted: 1000, admitted: 70 });
    expect(checkOf(fulfilment, 'months_without_report').rows).toEqual([
      { memberState: 'DE', months: ['2026-02'], count: 1 },
    ]);
    expect(checkOf(fulfilment, 'admissions_above_contribution').rows).toEqual([
      {
        memberState: 'DE',
        admissionType: 'humanitarian_admission',
        adopted: 0,
        admitted: 50,
        above: 50,
      },
      { memberState: 'FR', admissionType: 'all', adopted: 0, admitted: 20, above: 20 },
      { memberState: 'FR', admissionType: 'resettlement', adopted: 0, admitted: 20, above: 20 },
    ]);
  });

  it('given a corrected month, then the correction replaces the report, not adds to it', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [resettled('TR', 50)], { procedure: { registered: 9 } });
    log.reportSubmitted('DE', '2026-02', [resettled('TR', 10)]);
    log.reportCorrected(
      'DE',
      '2026-01',
      [resettled('TR', 30), resettled('LB', 2)],
      'Counted twice',
      {
        procedure: { registered: 4 },
      },
    );

    const fulfilment = fulfilmentAt(log, '2026-03-01T00:00:00Z');

    expect(memberState(fulfilment, 'DE')).toMatchObject({
      admitted: 42,
      monthsReported: ['2026-01', '2026-02'],
      procedure: { registered: 4 },
    });
    expect(fulfilment.byMonth.map((row) => row.admitted)).toEqual([32, 10, 0]);
  });

  it('given a correction to no admissions, then the month counts as reported with nobody admitted', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [resettled('TR', 50)]);
    log.reportCorrected('DE', '2026-01', [], 'Reported under the wrong month');

    const germany = memberState(fulfilmentAt(log, '2026-02-01T00:00:00Z'), 'DE');

    expect(germany).toMatchObject({ admitted: 0, monthsReported: ['2026-01'], monthsMissing: [] });
  });
});

describe('read scope', () => {
  it('given a Member State’s own scope, then only its contribution and reports are counted', () => {
    const log = givenAdoptedPlan();
    log.reportSubmitted('DE', '2026-01', [resettled('TR', 10)]);
    log.reportSubmitted('FR', '2026-01', [resettled(fromPlanRegion('latin_america'), 7)]);
    log.reportSubmitted('NO', '2026-01', [resettled('JO', 3)]);

    const fulfilment = fulfilmentAt(log, '2026-02-01T00:00:00Z', ownScope('FR'));

    expect(fulfilment.scope).toEqual(ownScope('FR'));
    expect(fulfilment.memberStates.map((row) => row.memberState)).toEqual(['FR']);
    expect(fulfilment.total).toMatchObject({ adopted: 365, admitted: 7 });
    expect(fulfilment.associatedStates.byParticipant).toEqual([]);
  });
});

describe('property: the totals reconcile for any set of reports', () => {
  const MEMBER_STATES = ['AT', 'BE', 'DE', 'ES', 'FI', 'FR', 'IT', 'NL', 'SE'];
  const ASSOCIATED = ['CH', 'NO'];
  const HOSTS: Host[] = [
    'TR',
    'LB',
    'SY',
    'AF',
    'NE',
    'CO',
    'XX',
    fromCountries('EG', 'KE'),
    fromCountries('JO', 'LB'),
    fromPlanRegion('latin_america'),
  ];
  const MONTHS = [...monthsOf(2026), ...monthsOf(2027)];

  type Random = ReturnType<typeof seededRandom>;

  function randomPledgeLine(random: Random, maxPersons: number): PledgeLine {
    const persons = random.int(1, maxPersons);
    const host = random.pick(HOSTS);
    switch (random.int(0, 2)) {
      case 0:
        return resettlement(host, persons);
      case 1:
        return humanitarian(host, persons);
      default:
        return emergency(
          random.chance(0.5) ? 'resettlement' : 'humanitarian_admission',
          persons,
          random.chance(0.5) && typeof host === 'string' ? { hostCountry: host } : {},
        );
    }
  }

  function randomLine(random: Random, maxPersons: number): AdmissionLine {
    const line = randomPledgeLine(random, maxPersons);
    const persons = line.persons;
    return admission(line, {
      ...(random.chance(0.6) && { vulnerablePersons: random.int(0, persons) }),
      ...(random.chance(0.4) && { familyMembers: random.int(0, persons) }),
    });
  }

  it.each(Array.from({ length: 60 }, (_, index) => 1000 + index))('seed %d', (seed) => {
    const random = seededRandom(seed);
    const participants = [...MEMBER_STATES, ...ASSOCIATED];
    const adoption = participants
      .filter(() => random.chance(0.6))
      .map((code) =>
        contribution(
          code,
          ...Array.from({ length: random.int(1, 3) }, () => randomPledgeLine(random, 500)),
        ),
      );
    const log = givenAdoptedPlan(adoption);
    // The latest version of each participant's month, as the independent reckoning.
    const latest = new Map<
      string,
      { memberState: string; month: string; lines: AdmissionLine[] }
    >();
    for (let report = random.int(0, 80); report > 0; report--) {
      const code = random.pick(participants);
      const month = random.pick(MONTHS);
      const lines = Array.from({ length: random.int(0, 4) }, () => randomLine(random, 60));
      const key = `${code}|${month}`;
      if (latest.has(key)) log.reportCorrected(code, month, lines, 'Corrected figures');
      else log.reportSubmitted(code, month, lines);
      latest.set(key, { memberState: code, month, lines });
    }
    const instant = new Date(Date.UTC(2025, 11, 1) + random.int(0, 800) * 86_400_000).toISOString();

    const fulfilment = fulfilmentAt(log, instant);

    const reports = [...latest.values()];
    const memberStateLines = reports
      .filter((r) => !isAssociatedState(r.memberState))
      .flatMap((r) => r.lines);
    const associatedLines = reports
      .filter((r) => isAssociatedState(r.memberState))
      .flatMap((r) => r.lines);
    const admitted = sum(memberStateLines.map((line) => line.persons));
    const hosts = fulfilment.regions.flatMap((region) => [...region.countries, ...region.groups]);

    expect(fulfilment.total.admitted).toBe(admitted);
    expect(sum(fulfilment.memberStates.map((row) => row.admitted))).toBe(admitted);
    expect(sum(Object.values(fulfilment.byAdmissionType).map((row) => row.admitted))).toBe(
      admitted,
    );
    expect(
      sum(fulfilment.regions.map((row) => row.admitted)) + fulfilment.notRegionBound.admitted,
    ).toBe(admitted);
    expect(sum(hosts.map((row) => row.admitted)) + fulfilment.notRegionBound.admitted).toBe(
      admitted,
    );
    expect(sum(fulfilment.byYear.map((row) => row.admitted))).toBe(admitted);
    expect(fulfilment.byMonth.at(-1)?.cumulative ?? 0).toBe(admitted);
    expect(checkOf(fulfilment, 'totals_reconcile').status).toBe('pass');

    const adopted = contributionsTotal(adoption.filter((c) => !isAssociatedState(c.memberState)));
    expect(fulfilment.total.adopted).toBe(adopted);
    expect(
      sum(fulfilment.regions.map((row) => row.adopted)) + fulfilment.notRegionBound.adopted,
    ).toBe(adopted);
    expect(fulfilment.amif.totalEur).toBe(
      sum(memberStateLines.map((line) => earnedForAdmissionLine(line).eur)),
    );
    expect(sum(fulfilment.memberStates.map((row) => row.amifEarnedEur))).toBe(
      fulfilment.amif.totalEur,
    );
    expect(fulfilment.associatedStates.total.admitted).toBe(
      sum(associatedLines.map((line) => line.persons)),
    );
  });
});
