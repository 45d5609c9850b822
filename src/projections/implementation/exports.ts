/**
 * The exports built from the reports: the per-Member-State annual figures the AMIF annual
 * performance report needs (AMIF Art. 35(2)(g), Annex VIII indicators), and the dataset for the
 * Commission's report on the Framework (Art. 15). The AMIF figures are the Member States' only:
 * associated states (Art. 12) are paid nothing by the AMIF. The Art. 15 dataset gives the
 * associated states' admissions in a section of their own, never inside the Member States' rows.
 * Each figure comes from the same domain rules as the fulfilment view, so an export's rows add up
 * to its figures.
 */
import { earnedForAdmissionLine, isAssociatedState } from '../../domain/reference';
import {
  PROCEDURE_FIELDS,
  type AdmissionLine,
} from '../../domain/implementation/implementationReport';
import { ADMISSION_TYPES, hostKey } from '../../domain/shared/pledgeLine';
import type { PlanRegion, UnionPlanState } from '../../domain/unionPlan/unionPlan';
import type { PlanEntry, PlanReadModelState } from '../planReadModel/model';
import { regionBucketOf } from '../planReadModel/totals';
import { inScope, type ReadScope } from '../readScope';
import type {
  AmifAnnualExport,
  AmifAnnualRow,
  FrameworkAdmissionRow,
  FrameworkProcedureRow,
  FrameworkReportExport,
  FrameworkTables,
} from './fulfilmentTypes';
import {
  addProcedure,
  newProcedureTally,
  procedureCountsOf,
  procedureCountsOrZero,
  type ProcedureTally,
} from './procedureTally';

/** The Commission's report on the Framework is due 12 June 2028 (Art. 15). */
export const FRAMEWORK_REPORT_DUE_BY = '2028-06-12';

/** The AMIF annual performance report on `year` is due by 15 February of the next (AMIF Art. 35(2)(g)). */
export function amifAnnualReportDueBy(year: number): string {
  return `${year + 1}-02-15`;
}

/** Where an emergency admission without a host is filed in the Art. 15 dataset (Art. 8(5)). */
export const NOT_REGION_BOUND = 'not_region_bound';

type AdoptedPlan = Extract<UnionPlanState, { status: 'adopted' }>;

function adoptedPlanOf(
  state: PlanReadModelState,
  planId: string,
): { readonly entry: PlanEntry; readonly plan: AdoptedPlan } | 'not_adopted' | undefined {
  const entry = state.plans.get(planId);
  if (entry?.plan === undefined) return undefined;
  const plan = entry.plan.state;
  return plan.status === 'adopted' ? { entry, plan } : 'not_adopted';
}

/** The reports the scope may see, of the Member States or of the associated states (Art. 12). */
function* participantReports(
  entry: PlanEntry,
  scope: ReadScope,
  participants: 'member_states' | 'associated_states' = 'member_states',
) {
  const associated = participants === 'associated_states';
  for (const [memberState, byMonth] of entry.reports) {
    if (!inScope(scope, memberState) || isAssociatedState(memberState) !== associated) continue;
    for (const report of byMonth.values()) yield { memberState, report };
  }
}

const yearOfMonth = (month: string): number => Number(month.slice(0, 4));
const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---- AMIF annual figures ----

type MutableAmifRow = { -readonly [K in keyof AmifAnnualRow]: AmifAnnualRow[K] };

function zeroAmifRow(memberState: string, year: number): MutableAmifRow {
  return {
    memberState,
    year,
    resettled: 0,
    humanitarian: 0,
    humanitarianAtGroupRate: 0,
    vulnerablePersons: 0,
    familyMembers: 0,
    female: 0,
    male: 0,
    nonBinary: 0,
    sexNotReported: 0,
    under18: 0,
    from18To60: 0,
    over60: 0,
    ageNotReported: 0,
    lumpSumEur: 0,
    monthsReported: 0,
  };
}

function addAmifLine(row: MutableAmifRow, line: AdmissionLine): void {
  const earned = earnedForAdmissionLine(line);
  if (earned.basis === 'resettlement') row.resettled += line.persons;
  else row.humanitarian += line.persons;
  row.humanitarianAtGroupRate += earned.atGroupRate;
  row.lumpSumEur += earned.eur;
  row.vulnerablePersons += line.vulnerablePersons ?? 0;
  row.familyMembers += line.familyMembers ?? 0;
  // Annex VIII counts by sex and age band; a line reported without them is counted as such.
  if (line.bySex === undefined) {
    row.sexNotReported += line.persons;
  } else {
    row.female += line.bySex.female;
    row.male += line.bySex.male;
    row.nonBinary += line.bySex.nonBinary;
  }
  if (line.byAgeBand === undefined) {
    row.ageNotReported += line.persons;
  } else {
    row.under18 += line.byAgeBand.under18;
    row.from18To60 += line.byAgeBand.from18To60;
    row.over60 += line.byAgeBand.over60;
  }
}

/**
 * One row per Member State with a contribution or a report in `year` (a contribution without a
 * report gives a row of zeros, so a missing report shows). Undefined: no such plan;
 * `'not_adopted'`: nothing to report yet. A Member State's own scope keeps its own row only.
 */
export function getAmifAnnualExport(
  state: PlanReadModelState,
  planId: string,
  year: number,
  scope: ReadScope,
): AmifAnnualExport | 'not_adopted' | undefined {
  const adopted = adoptedPlanOf(state, planId);
  if (adopted === undefined || adopted === 'not_adopted') return adopted;
  const rows = new Map<string, MutableAmifRow>();
  const rowOf = (memberState: string) => {
    let row = rows.get(memberState);
    if (row === undefined) {
      row = zeroAmifRow(memberState, year);
      rows.set(memberState, row);
    }
    return row;
  };
  for (const { memberState } of adopted.plan.contributions) {
    if (inScope(scope, memberState)) rowOf(memberState);
  }
  for (const { memberState, report } of participantReports(adopted.entry, scope)) {
    if (yearOfMonth(report.month) !== year) continue;
    const row = rowOf(memberState);
    row.monthsReported += 1;
    for (const line of report.admissions) addAmifLine(row, line);
  }
  return {
    planId,
    year,
    dueBy: amifAnnualReportDueBy(year),
    rows: [...rows.values()].sort((a, b) => byId(a.memberState, b.memberState)),
  };
}

// ---- the Art. 15 dataset ----

type MutableAdmissionRow = {
  -readonly [K in keyof FrameworkAdmissionRow]: FrameworkAdmissionRow[K];
};

const TYPE_ORDER = new Map(ADMISSION_TYPES.map((type, index) => [type, index]));

function compareAdmissionRows(a: FrameworkAdmissionRow, b: FrameworkAdmissionRow): number {
  return (
    byId(a.memberState, b.memberState) ||
    a.year - b.year ||
    (TYPE_ORDER.get(a.admissionType) ?? 0) - (TYPE_ORDER.get(b.admissionType) ?? 0) ||
    byId(a.emergencyBasis ?? '', b.emergencyBasis ?? '') ||
    byId(a.host, b.host)
  );
}

/**
 * Admissions by Member State, year, admission type (with an emergency place's basis) and host, and
 * the procedure counts by Member State and year (flows summed, open cases as at the latest month
 * reporting them); the associated states' in the same shapes, apart. Undefined: no such plan;
 * `'not_adopted'`: nothing to report yet.
 */
export function getFrameworkReportExport(
  state: PlanReadModelState,
  planId: string,
  scope: ReadScope,
): FrameworkReportExport | 'not_adopted' | undefined {
  const adopted = adoptedPlanOf(state, planId);
  if (adopted === undefined || adopted === 'not_adopted') return adopted;
  const regionsById = new Map<string, PlanRegion>(
    adopted.plan.plan.regions.map((region) => [region.id, region]),
  );
  return {
    planId,
    dueBy: FRAMEWORK_REPORT_DUE_BY,
    ...frameworkTables(participantReports(adopted.entry, scope), regionsById),
    associatedStates: frameworkTables(
      participantReports(adopted.entry, scope, 'associated_states'),
      regionsById,
    ),
  };
}

function frameworkTables(
  reports: ReturnType<typeof participantReports>,
  regionsById: ReadonlyMap<string, PlanRegion>,
): FrameworkTables {
  const admissions = new Map<string, MutableAdmissionRow>();
  const procedure = new Map<string, { memberState: string; year: number; tally: ProcedureTally }>();
  for (const { memberState, report } of reports) {
    const year = yearOfMonth(report.month);
    const procedureKey = `${memberState}|${year}`;
    let procedureRow = procedure.get(procedureKey);
    if (procedureRow === undefined) {
      procedureRow = { memberState, year, tally: newProcedureTally() };
      procedure.set(procedureKey, procedureRow);
    }
    addProcedure(procedureRow.tally, report.month, report.procedure);
    for (const line of report.admissions) {
      const host = hostKey(line);
      const emergencyBasis =
        line.admissionType === 'emergency_admission' ? (line.emergencyBasis ?? null) : null;
      const key = [memberState, year, line.admissionType, emergencyBasis ?? '-', host].join('|');
      let row = admissions.get(key);
      if (row === undefined) {
        row = {
          memberState,
          year,
          admissionType: line.admissionType,
          emergencyBasis,
          host,
          unhcrRegion: regionBucketOf(line, regionsById) ?? NOT_REGION_BOUND,
          persons: 0,
          vulnerablePersons: 0,
          familyMembers: 0,
        };
        admissions.set(key, row);
      }
      row.persons += line.persons;
      row.vulnerablePersons += line.vulnerablePersons ?? 0;
      row.familyMembers += line.familyMembers ?? 0;
    }
  }
  const procedureRows: FrameworkProcedureRow[] = [...procedure.values()]
    // A year whose reports gave no procedure counts has no row: "not reported" is not 0.
    .filter(({ tally }) => tally.monthsReported > 0)
    .sort((a, b) => byId(a.memberState, b.memberState) || a.year - b.year)
    .map(({ memberState, year, tally }) => ({
      memberState,
      year,
      monthsReported: tally.monthsReported,
      ...procedureCountsOrZero(procedureCountsOf(tally)),
    }));
  return {
    admissions: [...admissions.values()].sort(compareAdmissionRows),
    procedure: procedureRows,
  };
}

// ---- CSV ----

type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180: a field holding a comma, a double quote or a line break is quoted, quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row of the column names, then one record per row; every record ends in CRLF; no BOM. */
function toCsv<Row>(columns: readonly (keyof Row & string)[], rows: readonly Row[]): string {
  const records = [
    columns.map(csvField),
    ...rows.map((row) => columns.map((column) => csvField(row[column] as CsvValue))),
  ];
  return records.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/** Every key of `Row`, in the order given: a field added to the type fails the compile here. */
function allColumns<Row>() {
  return <const Columns extends readonly (keyof Row & string)[]>(
    columns: Columns &
      ([Exclude<keyof Row, Columns[number]>] extends [never] ? unknown : 'a column is missing'),
  ): Columns => columns;
}

export const AMIF_ANNUAL_COLUMNS = allColumns<AmifAnnualRow>()([
  'memberState',
  'year',
  'resettled',
  'humanitarian',
  'humanitarianAtGroupRate',
  'vulnerablePersons',
  'familyMembers',
  'female',
  'male',
  'nonBinary',
  'sexNotReported',
  'under18',
  'from18To60',
  'over60',
  'ageNotReported',
  'lumpSumEur',
  'monthsReported',
]);

export const FRAMEWORK_ADMISSION_COLUMNS = allColumns<FrameworkAdmissionRow>()([
  'memberState',
  'year',
  'admissionType',
  'emergencyBasis',
  'host',
  'unhcrRegion',
  'persons',
  'vulnerablePersons',
  'familyMembers',
]);

export const FRAMEWORK_PROCEDURE_COLUMNS = allColumns<FrameworkProcedureRow>()([
  'memberState',
  'year',
  'monthsReported',
  ...PROCEDURE_FIELDS,
]);

/** CSV (RFC 4180, CRLF, header row) of the AMIF annual rows. */
export function amifAnnualCsv(exported: AmifAnnualExport): string {
  return toCsv(AMIF_ANNUAL_COLUMNS, exported.rows);
}

/** Which table of the Art. 15 dataset a CSV holds. */
export const FRAMEWORK_REPORT_TABLES = [
  'admissions',
  'procedure',
  'associated_admissions',
  'associated_procedure',
] as const;
export type FrameworkReportTable = (typeof FRAMEWORK_REPORT_TABLES)[number];

/** CSV of the Art. 15 dataset: `table` picks the admissions or the procedure rows, of the Member States or of the associated states. */
export function frameworkReportCsv(
  exported: FrameworkReportExport,
  table: FrameworkReportTable,
): string {
  switch (table) {
    case 'admissions':
      return toCsv(FRAMEWORK_ADMISSION_COLUMNS, exported.admissions);
    case 'procedure':
      return toCsv(FRAMEWORK_PROCEDURE_COLUMNS, exported.procedure);
    case 'associated_admissions':
      return toCsv(FRAMEWORK_ADMISSION_COLUMNS, exported.associatedStates.admissions);
    case 'associated_procedure':
      return toCsv(FRAMEWORK_PROCEDURE_COLUMNS, exported.associatedStates.procedure);
  }
}
