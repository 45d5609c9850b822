/**
 * Fulfilment of an adopted plan: what was admitted, as the monthly reports say, against the
 * contributions the Council adopted (as amended, Art. 8(6)); the pace the time elapsed in the
 * period leads to expect; checks, reported and never enforced (participation is voluntary,
 * Art. 1(3)-(4)); and the AMIF lump sums the admissions earn (AMIF Art. 19). Associated states
 * (Art. 12) have their own section and count in no figure of the plan's.
 *
 * One pass over the adopted lines and the reports' lines (`fulfilmentTallies.ts`); everything here
 * is built from the tallies that pass fills.
 */
import { AMIF_LUMP_SUM_EUR } from '../../domain/reference';
import { reportingMonths } from '../../domain/implementation/implementationReport';
import { monthOf } from '../../domain/shared/dates';
import { ADMISSION_TYPES, type AdmissionType } from '../../domain/shared/pledgeLine';
import type { PlanFacts } from '../../domain/unionPlan/unionPlan';
import {
  formatCount,
  roundedPercent,
  type CheckStatus,
  type NamedCountries,
} from '../planReadModel/compliance';
import type { PlanReadModelState } from '../planReadModel/model';
import { hostCountryName, type RegionBucket } from '../planReadModel/totals';
import type { ReadScope } from '../readScope';
import type {
  AmifEarnedRow,
  Fulfilment,
  FulfilmentCheck,
  HostCountryFulfilment,
  HostGroupFulfilment,
  MemberStateFulfilment,
  PacedProgress,
  Progress,
  ProgressByAdmissionType,
  RegionFulfilment,
} from './fulfilmentTypes';
import {
  newTally,
  tallyFulfilment,
  type HostTally,
  type OutsideTally,
  type ParticipantTally,
  type Tally,
  type TypeTallies,
} from './fulfilmentTallies';
import { procedureCountsOf, sumProcedureCounts } from './procedureTally';

/**
 * `behind_pace` warns when admissions are below this share of what the time elapsed leads to
 * expect. The Regulation sets no pace: the figure is this tracker's choice, and the check says so.
 */
export const BEHIND_PACE_THRESHOLD_PERCENT = 80;

const DAY_MS = 86_400_000;

// ---- time ----

/** The share of the period elapsed at an instant: 0 before its first day, 1 after its last. */
function elapsedFractionOf(facts: PlanFacts): (instant: number) => number {
  const start = Date.parse(`${facts.periodStart}T00:00:00.000Z`);
  const end = Date.parse(`${facts.periodEnd}T00:00:00.000Z`) + DAY_MS;
  return (instant) => Math.min(1, Math.max(0, (instant - start) / (end - start)));
}

/** Epoch ms of the first instant after a `YYYY-MM` month. */
function endOfMonth(month: string): number {
  return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
}

// ---- figures ----

function progress({ adopted, admitted }: Tally): Progress {
  return {
    adopted,
    admitted,
    percent: roundedPercent(admitted, adopted),
    remaining: Math.max(0, adopted - admitted),
  };
}

function paced(tally: Tally, fraction: number): PacedProgress {
  return {
    ...progress(tally),
    expectedByNow: Math.round(tally.adopted * fraction),
    projectedAtEnd: fraction > 0 ? Math.round(tally.admitted / fraction) : null,
  };
}

function progressByType(byType: TypeTallies): ProgressByAdmissionType {
  return {
    resettlement: progress(byType.resettlement),
    humanitarian_admission: progress(byType.humanitarian_admission),
    emergency_admission: progress(byType.emergency_admission),
  };
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Largest admitted first, then by id, as the totals view orders its rows. */
function byAdmittedThenId<T extends { readonly admitted: number }>(id: (item: T) => string) {
  return (a: T, b: T): number => b.admitted - a.admitted || byId(id(a), id(b));
}

function participantFulfilment(
  tally: ParticipantTally,
  fraction: number,
  monthsEnded: readonly string[],
): MemberStateFulfilment {
  const months = [...tally.months].sort();
  const reported = new Set(months);
  return {
    memberState: tally.memberState,
    ...paced(tally, fraction),
    byAdmissionType: progressByType(tally.byType),
    vulnerablePersons: tally.vulnerablePersons,
    familyMembers: tally.familyMembers,
    monthsReported: months,
    // Only a participant with a contribution is expected to report.
    monthsMissing: tally.hasContribution ? monthsEnded.filter((month) => !reported.has(month)) : [],
    lastReportedMonth: months.at(-1) ?? null,
    procedure: procedureCountsOf(tally.procedure),
    amifEarnedEur: tally.amifEur,
  };
}

function regionsOf(hosts: Iterable<HostTally>): RegionFulfilment[] {
  const regions = new Map<
    RegionBucket,
    { tally: Tally; countries: HostCountryFulfilment[]; groups: HostGroupFulfilment[] }
  >();
  for (const host of hosts) {
    let region = regions.get(host.region);
    if (region === undefined) {
      region = { tally: newTally(), countries: [], groups: [] };
      regions.set(host.region, region);
    }
    region.tally.adopted += host.adopted;
    region.tally.admitted += host.admitted;
    if (host.country !== undefined) {
      region.countries.push({
        country: host.country,
        name: hostCountryName(host.country),
        ...progress(host),
      });
    } else if (host.group !== undefined) {
      const { group } = host;
      region.groups.push({
        group: host.key,
        kind: group.kind,
        ...(group.planRegion !== undefined && { planRegion: group.planRegion }),
        name: group.name,
        countries: group.countries,
        ...progress(host),
      });
    }
  }
  return [...regions]
    .map(([region, { tally, countries, groups }]) => ({
      region,
      ...progress(tally),
      countries: countries.sort(byAdmittedThenId((country) => country.country)),
      groups: groups.sort(byAdmittedThenId((group) => group.group)),
    }))
    .sort(byAdmittedThenId((region) => region.region));
}

// ---- checks ----

type Row = FulfilmentCheck['rows'][number];

function worst(statuses: readonly CheckStatus[]): CheckStatus {
  const order: readonly CheckStatus[] = ['fail', 'warn', 'info'];
  return order.find((status) => statuses.includes(status)) ?? 'pass';
}

const TYPE_LABEL: Readonly<Record<AdmissionType, string>> = {
  resettlement: 'resettlement',
  humanitarian_admission: 'humanitarian admission',
  emergency_admission: 'emergency admission',
};

function checkAboveContribution(memberStates: readonly MemberStateFulfilment[]): FulfilmentCheck {
  const rows: Row[] = [];
  const said: string[] = [];
  for (const row of memberStates) {
    if (row.admitted > row.adopted) {
      rows.push({
        memberState: row.memberState,
        admissionType: 'all',
        adopted: row.adopted,
        admitted: row.admitted,
        above: row.admitted - row.adopted,
      });
      said.push(
        `${row.memberState} ${formatCount(row.admitted)} admitted against ${formatCount(row.adopted)}`,
      );
    }
    for (const type of ADMISSION_TYPES) {
      const { adopted, admitted } = row.byAdmissionType[type];
      if (admitted <= adopted) continue;
      rows.push({
        memberState: row.memberState,
        admissionType: type,
        adopted,
        admitted,
        above: admitted - adopted,
      });
      said.push(
        `${row.memberState} ${TYPE_LABEL[type]} ${formatCount(admitted)} against ${formatCount(adopted)}`,
      );
    }
  }
  if (rows.length === 0) {
    return {
      id: 'admissions_above_contribution',
      status: 'pass',
      message:
        'No Member State has admitted more than its adopted contribution, in total or by admission type.',
      rows,
    };
  }
  return {
    id: 'admissions_above_contribution',
    status: 'info',
    message: `Admissions above the adopted contribution: ${said.join('; ')}. A Member State whose admissions exceed its contribution may discontinue the procedure for further persons (Art. 9(11)(a)); nothing here is a breach.`,
    rows,
  };
}

function checkBehindPace(
  total: PacedProgress,
  memberStates: readonly MemberStateFulfilment[],
  fraction: number,
): FulfilmentCheck {
  const id = 'behind_pace';
  const threshold = BEHIND_PACE_THRESHOLD_PERCENT;
  const choice = `The ${threshold} % threshold is this tracker's choice: the Regulation sets no pace, and participation is voluntary (Art. 1(3)-(4)).`;
  if (fraction === 0) {
    return {
      id,
      status: 'pass',
      message: `The plan period has not begun: no pace to measure yet. ${choice}`,
      rows: [],
    };
  }
  // Cross-multiplied, so that exactly the threshold is not lost to floating point.
  const behind = (row: PacedProgress) => row.admitted * 100 < threshold * row.expectedByNow;
  const rows: Row[] = memberStates.filter(behind).map((row) => ({
    memberState: row.memberState,
    adopted: row.adopted,
    admitted: row.admitted,
    expectedByNow: row.expectedByNow,
    percentOfExpected: roundedPercent(row.admitted, row.expectedByNow),
  }));
  const elapsed = `${Math.round(fraction * 1000) / 10} % of the period has elapsed`;
  const plan = `the plan as a whole has ${formatCount(total.admitted)} admitted against ${formatCount(total.expectedByNow)} expected by now`;
  if (rows.length === 0 && !behind(total)) {
    return {
      id,
      status: 'pass',
      message: `${elapsed}; ${plan}, and no Member State is below ${threshold} % of the admissions its contribution leads to expect by now. ${choice}`,
      rows,
    };
  }
  const named = rows.map(
    (row) =>
      `${String(row['memberState'])} ${formatCount(Number(row['admitted']))} of ${formatCount(Number(row['expectedByNow']))}`,
  );
  return {
    id,
    status: 'warn',
    message: `${elapsed}; ${plan}. Below ${threshold} % of the admissions expected by now (admitted of expected): ${named.length > 0 ? named.join('; ') : 'the plan as a whole'}. Reported for the Commission's monitoring of the plan (Art. 11(3)). ${choice}`,
    rows,
  };
}

function checkMonthsWithoutReport(
  memberStates: readonly MemberStateFulfilment[],
  monthsEnded: readonly string[],
  referenceMonth: string,
): FulfilmentCheck {
  const id = 'months_without_report';
  if (monthsEnded.length === 0) {
    return {
      id,
      status: 'pass',
      message: 'No month of the plan period has ended yet: no report is missing.',
      rows: [],
    };
  }
  const rows: Row[] = memberStates
    .filter((row) => row.monthsMissing.length > 0)
    .map((row) => ({
      memberState: row.memberState,
      months: row.monthsMissing,
      count: row.monthsMissing.length,
    }));
  const ended = `the ${monthsEnded.length} month(s) of the period ended before ${referenceMonth}`;
  if (rows.length === 0) {
    return {
      id,
      status: 'pass',
      message: `Every Member State with a contribution has reported each of ${ended}.`,
      rows,
    };
  }
  const named = memberStates
    .filter((row) => row.monthsMissing.length > 0)
    .map((row) => `${row.memberState} ${row.monthsMissing.join(', ')}`);
  return {
    id,
    status: 'warn',
    message: `Reports missing for ${ended}: ${named.join('; ')}. Admissions in those months count nowhere yet, neither in fulfilment nor in the AMIF lump sums; the Member States supply these figures for the Commission's report on the Framework (Art. 15).`,
    rows,
  };
}

function checkProcedureDeadlines(memberStates: readonly MemberStateFulfilment[]): FulfilmentCheck {
  const rules = [
    {
      field: 'openBeyond10Months',
      status: 'warn',
      article: 'Art. 9(9)',
      says: 'cases still open more than 10 months after registration, past the 7-month time limit even with the 3 months more allowed for complex cases',
    },
    {
      field: 'openBeyond7Months',
      status: 'info',
      article: 'Art. 9(9)',
      says: 'cases still open more than 7 months after registration, which only complex cases may take, for up to 3 months more',
    },
    {
      field: 'emergencyConcludedBeyond1Month',
      status: 'info',
      article: 'Art. 9(10)',
      says: 'emergency cases concluded more than 1 month after registration, beyond the month Member States endeavour to keep to',
    },
    {
      field: 'enteredBeyond12Months',
      status: 'info',
      article: 'Art. 9(20)',
      says: 'persons who entered more than 12 months after a positive conclusion, against a best-efforts target',
    },
  ] as const;
  const rows: Row[] = [];
  const said: string[] = [];
  for (const rule of rules) {
    const named: string[] = [];
    for (const row of memberStates) {
      const count = row.procedure[rule.field] ?? 0;
      if (count === 0) continue;
      rows.push({
        memberState: row.memberState,
        field: rule.field,
        count,
        status: rule.status,
        article: rule.article,
      });
      named.push(`${row.memberState} ${formatCount(count)}`);
    }
    if (named.length > 0) said.push(`${rule.says} (${rule.article}): ${named.join(', ')}`);
  }
  const status = worst(rows.map((row) => row['status'] as CheckStatus));
  if (rows.length === 0) {
    return {
      id: 'procedure_deadlines',
      status,
      message:
        'No Member State reports cases open past the 7 or 10 months of Art. 9(9), emergency cases concluded past 1 month (Art. 9(10)) or entries more than 12 months after a positive conclusion (Art. 9(20)).',
      rows,
    };
  }
  return {
    id: 'procedure_deadlines',
    status,
    message: `As reported: ${said.join('; ')}. Open cases are each Member State's latest month-end figure; the others are summed over the months reported.`,
    rows,
  };
}

function checkOutsidePlanRegions(
  named: NamedCountries,
  outside: readonly OutsideTally[],
): FulfilmentCheck {
  const id = 'admissions_outside_plan_regions';
  if (named.empty) {
    return {
      id,
      status: 'info',
      message:
        'The plan names no regions or third countries (Art. 8(3)(c)): no admission can be checked against them.',
      rows: [],
    };
  }
  const rows: Row[] = [...outside]
    .sort(
      (a, b) =>
        byId(a.memberState, b.memberState) ||
        byId(a.host, b.host) ||
        byId(a.admissionType, b.admissionType),
    )
    .map((row) => ({ ...row }));
  if (rows.length === 0) {
    return {
      id,
      status: 'pass',
      message:
        'Every resettlement and humanitarian admission reported comes from the regions or third countries the plan names (Art. 8(3)(c)); emergency admission is not tied to them (Art. 8(5)).',
      rows,
    };
  }
  const persons = outside.reduce((sum, row) => sum + row.persons, 0);
  const by = [...new Set(outside.map((row) => row.memberState))].sort();
  return {
    id,
    status: 'warn',
    message: `${formatCount(persons)} persons admitted through resettlement or humanitarian admission (by ${by.join(', ')}) came from host countries outside the regions and third countries the plan names (Art. 8(3)(c)); emergency admission is excepted (Art. 8(5)).`,
    rows,
  };
}

interface ReconcileFigures {
  readonly total: number;
  readonly linesSum: number;
  readonly byMemberStateSum: number;
  readonly byAdmissionTypeSum: number;
  readonly byRegionSum: number;
  readonly byHostSum: number;
  readonly byMonthSum: number;
  readonly byYearSum: number;
}

function checkTotalsReconcile(figures: ReconcileFigures): FulfilmentCheck {
  const { total, ...sums } = figures;
  const rows: Row[] = [{ ...figures }];
  if (Object.values(sums).every((sum) => sum === total)) {
    return {
      id: 'totals_reconcile',
      status: 'pass',
      message: `The ${formatCount(total)} persons admitted are the sum of the reports' lines, and the breakdowns by Member State, admission type, UNHCR region, host, month and year all add up to it.`,
      rows,
    };
  }
  return {
    id: 'totals_reconcile',
    status: 'fail',
    message: `The breakdowns do not add up to the ${formatCount(total)} persons admitted: report lines ${sums.linesSum}, Member States ${sums.byMemberStateSum}, admission types ${sums.byAdmissionTypeSum}, regions ${sums.byRegionSum}, hosts ${sums.byHostSum}, months ${sums.byMonthSum}, years ${sums.byYearSum}.`,
    rows,
  };
}

// ---- the view ----

/**
 * Undefined when there is no such plan; `'not_adopted'` when the plan has no adopted contributions
 * yet. `referenceInstant` (ISO) is when pace and missing months are measured.
 *
 * The scope the access policy gives every role is the whole plan (its implementation is that of a
 * Council act). Given a participant's own scope, only that participant's contribution and reports
 * are counted, so no figure holding another's reports is computed for it.
 */
export function getFulfilment(
  state: PlanReadModelState,
  planId: string,
  scope: ReadScope,
  referenceInstant: string,
  /**
   * The pass over the plan's contributions and reports, which the instant does not change: a
   * caller measuring the same plan at many instants may hand in one it keeps. Read, never changed.
   */
  tally: typeof tallyFulfilment = tallyFulfilment,
): Fulfilment | 'not_adopted' | undefined {
  const entry = state.plans.get(planId);
  const plan = entry?.plan;
  if (entry === undefined || plan === undefined) return undefined;
  if (plan.state.status !== 'adopted') return 'not_adopted';
  const adopted = plan.state;
  const facts = adopted.plan;

  const reference = Date.parse(referenceInstant);
  if (Number.isNaN(reference)) throw new RangeError(`Not an instant: ${referenceInstant}`);
  const referenceIso = new Date(reference).toISOString();
  const referenceMonth = monthOf(referenceIso);
  const fractionAt = elapsedFractionOf(facts);
  const fraction = fractionAt(reference);
  const periodMonths = reportingMonths(facts);
  const monthsEnded = periodMonths.filter((month) => month < referenceMonth);

  const tallies = tally(entry, adopted, scope);
  const { overall, notRegionBound, admittedByMonth } = tallies;

  const total = paced(overall, fraction);
  const memberStateRows = [...tallies.memberStates.values()]
    .sort((a, b) => byId(a.memberState, b.memberState))
    .map((tally) => participantFulfilment(tally, fraction, monthsEnded));
  const associatedRows = [...tallies.associatedStates.values()]
    .sort((a, b) => byId(a.memberState, b.memberState))
    .map((tally) => ({ ...participantFulfilment(tally, fraction, monthsEnded), amifEarnedEur: 0 }));
  const regions = regionsOf(tallies.hosts.values());

  // The pace line: each month of the period up to the reference month (or the latest month
  // reported, should a report name a later one), so its last cumulative is the total admitted.
  const latestReported = [...admittedByMonth.keys()].reduce(
    (latest, month) => (month > latest ? month : latest),
    referenceMonth,
  );
  let cumulative = 0;
  const byMonth = periodMonths
    .filter((month) => month <= latestReported)
    .map((month) => {
      const admitted = admittedByMonth.get(month) ?? 0;
      cumulative += admitted;
      return {
        month,
        admitted,
        cumulative,
        expectedCumulative: Math.round(
          overall.adopted * fractionAt(Math.min(endOfMonth(month), reference)),
        ),
      };
    });
  const firstYear = Number(facts.periodStart.slice(0, 4));
  const lastYear = Number(facts.periodEnd.slice(0, 4));
  const byYear: { year: number; admitted: number }[] = [];
  for (let year = firstYear; year <= lastYear; year++) byYear.push({ year, admitted: 0 });
  for (const [month, admitted] of admittedByMonth) {
    const row = byYear.find((candidate) => candidate.year === Number(month.slice(0, 4)));
    if (row !== undefined) row.admitted += admitted;
  }

  const amifRows: AmifEarnedRow[] = [...tallies.amif.values()].sort(
    (a, b) => byId(a.memberState, b.memberState) || a.year - b.year,
  );
  const typeProgress = progressByType(tallies.byType);
  const sum = (values: readonly number[]) => values.reduce((acc, value) => acc + value, 0);
  const hostRows = regions.flatMap((region) => [...region.countries, ...region.groups]);

  return {
    planId,
    scope,
    referenceInstant: referenceIso,
    period: {
      start: facts.periodStart,
      end: facts.periodEnd,
      months: periodMonths.length,
      monthsEnded: monthsEnded.length,
      elapsedFraction: fraction,
    },
    total,
    byAdmissionType: typeProgress,
    memberStates: memberStateRows,
    regions,
    notRegionBound: progress(notRegionBound),
    byYear,
    byMonth,
    vulnerablePersons: tallies.vulnerablePersons,
    familyMembers: tallies.familyMembers,
    procedure: sumProcedureCounts(memberStateRows.map((row) => row.procedure)),
    amif: {
      forecast: false,
      rates: {
        resettlementEur: AMIF_LUMP_SUM_EUR.resettlement,
        humanitarianAdmissionEur: AMIF_LUMP_SUM_EUR.humanitarian_admission,
        humanitarianAdmissionArticle19GroupsEur:
          AMIF_LUMP_SUM_EUR.humanitarian_admission_vulnerable,
      },
      totalEur: sum(amifRows.map((row) => row.eur)),
      byMemberStateAndYear: amifRows,
    },
    checks: [
      checkAboveContribution(memberStateRows),
      checkBehindPace(total, memberStateRows, fraction),
      checkMonthsWithoutReport(memberStateRows, monthsEnded, referenceMonth),
      checkProcedureDeadlines(memberStateRows),
      checkOutsidePlanRegions(tallies.named, [...tallies.outside.values()]),
      checkTotalsReconcile({
        total: total.admitted,
        linesSum: tallies.linesSum,
        byMemberStateSum: sum(memberStateRows.map((row) => row.admitted)),
        byAdmissionTypeSum: sum(ADMISSION_TYPES.map((type) => typeProgress[type].admitted)),
        byRegionSum: sum(regions.map((region) => region.admitted)) + notRegionBound.admitted,
        byHostSum: sum(hostRows.map((host) => host.admitted)) + notRegionBound.admitted,
        byMonthSum: sum(byMonth.map((row) => row.admitted)),
        byYearSum: sum(byYear.map((row) => row.admitted)),
      }),
    ],
    associatedStates: {
      total: progress({
        adopted: sum(associatedRows.map((row) => row.adopted)),
        admitted: sum(associatedRows.map((row) => row.admitted)),
      }),
      byParticipant: associatedRows,
      note: 'Associated states (Art. 12) take part in the implementation beside the plan: their indications and admissions count in no total, percentage, check or AMIF figure above (the AMIF pays Member States only).',
    },
  };
}
