/**
 * The fulfilment view shaped for tables and charts: pure functions of the API's answer, so every
 * figure on screen is one the server computed, only rearranged (pivoted, put in order, joined with
 * the reports list). Nothing here recomputes a rule of the plan.
 */
import type { CsvCell } from '../../../lib/csv';
import { formatMonth } from '../../../lib/format';
import { PROCEDURE_COUNT_LABELS } from '../../../lib/labels';
import { ADMISSION_TYPES, ADMISSION_TYPE_LABELS, type AdmissionType } from '../labels';
import type {
  AmifEarnedRow,
  Fulfilment,
  FulfilmentCheck,
  MemberStateFulfilment,
  PaceMonth,
  Progress,
  RegionFulfilment,
  ReportList,
} from './fulfilmentApi';

/** `2026-03` → `Mar 2026`, for chart axes and narrow columns. */
export function formatShortMonth(month: string): string {
  const long = formatMonth(month);
  return long === month ? month : `${long.slice(0, 3)} ${long.slice(-4)}`;
}

/** The share of the period elapsed at the reference instant, as a percentage (0..100). */
export function elapsedPercent(fulfilment: Pick<Fulfilment, 'period'>): number {
  return Math.round(fulfilment.period.elapsedFraction * 10_000) / 100;
}

export interface HeadlineFigure {
  readonly id:
    | 'adopted'
    | 'admitted'
    | 'percent'
    | 'remaining'
    | 'expectedByNow'
    | 'projectedAtEnd'
    | 'elapsed';
  readonly label: string;
  /** The figure; null when there is none (no places adopted, the period not begun). */
  readonly value: number | null;
  readonly unit: 'persons' | 'percent';
  readonly hint?: string;
}

/** The plan-wide figures at the top of the dashboard, in reading order. */
export function headlineFigures(fulfilment: Fulfilment): readonly HeadlineFigure[] {
  const { total, period } = fulfilment;
  return [
    {
      id: 'adopted',
      label: 'Adopted (with amendments)',
      value: total.adopted,
      unit: 'persons',
    },
    { id: 'admitted', label: 'Admitted so far', value: total.admitted, unit: 'persons' },
    { id: 'percent', label: 'Admitted of the adopted', value: total.percent, unit: 'percent' },
    { id: 'remaining', label: 'Remaining', value: total.remaining, unit: 'persons' },
    {
      id: 'expectedByNow',
      label: 'Expected by now at an even pace',
      value: total.expectedByNow,
      unit: 'persons',
    },
    {
      id: 'projectedAtEnd',
      label: 'Projected at the end of the period',
      value: total.projectedAtEnd,
      unit: 'persons',
      hint: 'At the pace so far',
    },
    {
      id: 'elapsed',
      label: 'Share of the period elapsed',
      value: elapsedPercent(fulfilment),
      unit: 'percent',
      hint: `${period.monthsEnded} of ${period.months} months ended`,
    },
  ];
}

/** Admitted minus expected by now: how far ahead of (+) or behind (−) an even pace. */
export function againstPace(progress: Pick<MemberStateFulfilment, 'admitted' | 'expectedByNow'>) {
  return progress.admitted - progress.expectedByNow;
}

export interface ProgressBar {
  readonly name: string;
  /** Admitted as a percentage of the contribution. */
  readonly percent: number;
}

/**
 * The bars of "progress against the contribution": one per Member State with a contribution
 * (a percentage of nothing is no bar; the table still lists those).
 */
export function progressBars(
  memberStates: readonly MemberStateFulfilment[],
): readonly ProgressBar[] {
  return memberStates.flatMap((row) =>
    row.percent === null ? [] : [{ name: row.memberState, percent: row.percent }],
  );
}

export interface TypeProgressRow extends Progress {
  readonly admissionType: AdmissionType;
  readonly label: string;
}

/** The three types in the order Art. 8(3)(a) names them. */
export function admissionTypeRows(
  byAdmissionType: Readonly<Record<AdmissionType, Progress>>,
): readonly TypeProgressRow[] {
  return ADMISSION_TYPES.map((type) => ({
    ...byAdmissionType[type],
    admissionType: type,
    label: ADMISSION_TYPE_LABELS[type],
  }));
}

export interface MemberStateTypeRow extends TypeProgressRow {
  readonly memberState: string;
}

/**
 * Each Member State's progress per admission type, one row per pair (a long table reads and
 * exports better than three pairs of columns); a type with nothing adopted or admitted is left out.
 */
export function memberStateTypeRows(
  memberStates: readonly MemberStateFulfilment[],
): readonly MemberStateTypeRow[] {
  return memberStates.flatMap((row) =>
    admissionTypeRows(row.byAdmissionType)
      .filter((type) => type.adopted > 0 || type.admitted > 0)
      .map((type) => ({ ...type, memberState: row.memberState })),
  );
}

export interface CountryProgressRow extends Progress {
  readonly key: string;
  readonly region: string;
  readonly host: string;
  readonly kind: 'country' | 'countries' | 'plan_region';
}

/**
 * Every host of every region, in the server's order: countries first, then the lines naming
 * several countries or a plan region, which are never split between countries (Art. 8(3)(c)).
 */
export function hostRows(regions: readonly RegionFulfilment[]): readonly CountryProgressRow[] {
  return regions.flatMap((region) => [
    ...region.countries.map((country) => ({
      ...progress(country),
      key: `${region.region}:${country.country}`,
      region: region.region,
      host: `${country.name} (${country.country})`,
      kind: 'country' as const,
    })),
    ...region.groups.map((group) => ({
      ...progress(group),
      key: `${region.region}:${group.group}`,
      region: region.region,
      host: group.name,
      kind: group.kind,
    })),
  ]);
}

function progress(from: Progress): Progress {
  return {
    adopted: from.adopted,
    admitted: from.admitted,
    percent: from.percent,
    remaining: from.remaining,
  };
}

export interface PaceRow extends PaceMonth {
  /** Cumulative admitted minus cumulative expected at the month's end. */
  readonly difference: number;
}

/** The pace line's points: one per month of the period up to the reference month. */
export function paceRows(byMonth: readonly PaceMonth[]): readonly PaceRow[] {
  return byMonth.map((month) => ({
    ...month,
    difference: month.cumulative - month.expectedCumulative,
  }));
}

export interface AmifPivotRow {
  readonly memberState: string;
  /** EUR by calendar year; a year without admissions is 0. */
  readonly byYear: Readonly<Record<number, number>>;
  readonly totalEur: number;
}

/** The calendar years of the period, from its first day to its last. */
export function periodYears(period: Pick<Fulfilment['period'], 'start' | 'end'>): number[] {
  const first = Number(period.start.slice(0, 4));
  const last = Number(period.end.slice(0, 4));
  if (!Number.isInteger(first) || !Number.isInteger(last) || last < first) return [];
  return Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
}

/** AMIF lump sums earned as Member State × year, in the order of the server's rows. */
export function amifPivot(
  rows: readonly AmifEarnedRow[],
  years: readonly number[],
): readonly AmifPivotRow[] {
  const byMemberState = new Map<string, Record<number, number>>();
  for (const row of rows) {
    const byYear =
      byMemberState.get(row.memberState) ?? Object.fromEntries(years.map((y) => [y, 0]));
    byYear[row.year] = (byYear[row.year] ?? 0) + row.eur;
    byMemberState.set(row.memberState, byYear);
  }
  return [...byMemberState.entries()].map(([memberState, byYear]) => ({
    memberState,
    byYear,
    totalEur: Object.values(byYear).reduce((sum, eur) => sum + eur, 0),
  }));
}

// ---------------------------------------------------------------------------------------------
// Monthly reports, Member State × month

/**
 * A cell of the reports grid. `missing`: the month has ended and the participant, who has a
 * contribution, sent nothing (the months_without_report check says the same); `not_due`: the
 * month is still running, or nothing was expected of the participant.
 */
export type ReportCellStatus = 'reported' | 'on_behalf' | 'missing' | 'not_due';

export const REPORT_CELL_LABELS: Readonly<Record<ReportCellStatus, string>> = {
  reported: 'Reported',
  on_behalf: 'Recorded on behalf',
  missing: 'Missing',
  not_due: 'Not due',
};

export interface ReportCell {
  readonly month: string;
  readonly status: ReportCellStatus;
  /** Persons admitted in the month, when reported. */
  readonly admitted?: number;
  readonly version?: number;
}

export interface ReportGridRow {
  readonly memberState: string;
  readonly cells: readonly ReportCell[];
  readonly reported: number;
  readonly missing: number;
}

export interface ReportGrid {
  /** Every month of the period up to the reference month, oldest first. */
  readonly months: readonly string[];
  readonly memberStates: readonly ReportGridRow[];
  readonly associatedStates: readonly ReportGridRow[];
}

type ReportSummary = Pick<
  ReportList['reports'][number],
  'memberState' | 'month' | 'admitted' | 'onBehalf' | 'version'
>;

function gridRows(
  participants: readonly Pick<MemberStateFulfilment, 'memberState' | 'monthsMissing'>[],
  reports: readonly ReportSummary[],
  months: readonly string[],
): ReportGridRow[] {
  const byParticipant = new Map<string, Map<string, ReportSummary>>();
  for (const report of reports) {
    const byMonth = byParticipant.get(report.memberState) ?? new Map<string, ReportSummary>();
    byMonth.set(report.month, report);
    byParticipant.set(report.memberState, byMonth);
  }
  const missingOf = new Map(
    participants.map((participant) => [participant.memberState, participant.monthsMissing]),
  );
  const codes = [...new Set([...missingOf.keys(), ...byParticipant.keys()])].sort();
  return codes.map((memberState) => {
    const reported = byParticipant.get(memberState);
    const missing = new Set(missingOf.get(memberState) ?? []);
    const cells = months.map((month): ReportCell => {
      const report = reported?.get(month);
      if (report !== undefined) {
        return {
          month,
          status: report.onBehalf ? 'on_behalf' : 'reported',
          admitted: report.admitted,
          version: report.version,
        };
      }
      return { month, status: missing.has(month) ? 'missing' : 'not_due' };
    });
    return {
      memberState,
      cells,
      reported: cells.filter((cell) => cell.status === 'reported' || cell.status === 'on_behalf')
        .length,
      missing: cells.filter((cell) => cell.status === 'missing').length,
    };
  });
}

/**
 * The plan's monthly reports as a grid: a row per participant with a contribution or a report, a
 * column per month of the period up to the reference month. Associated states apart (Art. 12).
 */
export function reportGrid(
  fulfilment: Pick<Fulfilment, 'byMonth' | 'memberStates' | 'associatedStates'>,
  list: Pick<ReportList, 'reports' | 'associatedStates'>,
): ReportGrid {
  const months = fulfilment.byMonth.map((month) => month.month);
  return {
    months,
    memberStates: gridRows(fulfilment.memberStates, list.reports, months),
    associatedStates: gridRows(
      fulfilment.associatedStates.byParticipant,
      list.associatedStates,
      months,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

type CheckCell = FulfilmentCheck['rows'][number][string];

const CHECK_COLUMN_LABELS: Readonly<Record<string, string>> = {
  memberState: 'Member State',
  admissionType: 'Admission type',
  adopted: 'Adopted',
  admitted: 'Admitted',
  above: 'Above the contribution',
  expectedByNow: 'Expected by now',
  percentOfExpected: 'Admitted of expected (%)',
  months: 'Months',
  field: 'Count reported',
  status: 'Finding',
  article: 'Article',
  host: 'Host',
  countriesOutside: 'Countries outside the plan',
  persons: 'Persons',
  total: 'Total admitted',
  linesSum: 'Sum of the report lines',
  byMemberStateSum: 'Sum by Member State',
  byAdmissionTypeSum: 'Sum by admission type',
  byRegionSum: 'Sum by UNHCR region',
  byHostSum: 'Sum by host',
  byMonthSum: 'Sum by month',
  byYearSum: 'Sum by year',
};

/** Where one check's field means something of its own. */
const CHECK_COLUMN_LABELS_BY_CHECK: Readonly<
  Partial<Record<FulfilmentCheck['id'], Readonly<Record<string, string>>>>
> = {
  months_without_report: { count: 'Months without a report' },
  procedure_deadlines: { count: 'Cases' },
};

const CHECK_STATUS_WORDS: Readonly<Record<string, string>> = {
  pass: 'Pass',
  info: 'For information',
  warn: 'Warning',
  fail: 'Fail',
};

/** `monthsMissing` → `Months missing`, for a field this screen has no words for yet. */
function humanise(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function checkColumnLabel(key: string, checkId?: FulfilmentCheck['id']): string {
  return (
    (checkId === undefined ? undefined : CHECK_COLUMN_LABELS_BY_CHECK[checkId]?.[key]) ??
    CHECK_COLUMN_LABELS[key] ??
    humanise(key)
  );
}

/** A check's cell as one CSV field: lists joined, codes (types, counts, findings) in words. */
export function checkCellValue(key: string, value: CheckCell | undefined): CsvCell {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') {
    if (key === 'admissionType') {
      return value === 'all'
        ? 'All types'
        : ((ADMISSION_TYPE_LABELS as Readonly<Record<string, string>>)[value] ?? value);
    }
    if (key === 'field')
      return (PROCEDURE_COUNT_LABELS as Readonly<Record<string, string>>)[value] ?? value;
    if (key === 'status') return CHECK_STATUS_WORDS[value] ?? value;
  }
  return value;
}

/** The columns a check's rows carry, in the order they first appear. */
export function checkColumns(rows: FulfilmentCheck['rows']): readonly string[] {
  const keys: string[] = [];
  for (const row of rows) {
    for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}
