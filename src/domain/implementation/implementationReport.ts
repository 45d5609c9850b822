/**
 * A participant's monthly implementation report under an adopted plan: the persons it admitted in
 * a calendar month, by line, and its single admission procedure's counts (Art. 9; AMIF Art. 19).
 * Submitted once, then corrected with a reason; every version stays in the stream.
 */
import { DomainError, ViolationCollector, type Violation } from '../shared/domainError';
import type { Command, Decider } from '../shared/messages';
import { monthOf, monthsBetween, startOfMonth } from '../shared/dates';
import { normaliseLines } from '../shared/lineValidation';
import type { PledgeLine } from '../shared/pledgeLine';
import type { UnionPlanState } from '../unionPlan/unionPlan';
import { personalDataIn } from './personalData';
import {
  MAX_REPORT_NOTE_LENGTH,
  PROCEDURE_FIELDS,
  REPORT_MONTH_PATTERN,
  type AdmissionLine,
  type ImplementationReportCorrected,
  type ImplementationReportEvent,
  type ImplementationReportSubmitted,
  type ProcedureCounts,
} from './implementationReportEvents';

export * from './implementationReportEvents';

// ---- State ----

export type ImplementationReportState =
  | { readonly status: 'none' }
  | {
      readonly status: 'reported';
      readonly admissions: readonly AdmissionLine[];
      readonly procedure: ProcedureCounts | undefined;
    };

export const initialState = (): ImplementationReportState => ({ status: 'none' });

export function evolve(
  _state: ImplementationReportState,
  event: ImplementationReportEvent,
): ImplementationReportState {
  switch (event.type) {
    case 'ImplementationReportSubmitted':
    case 'ImplementationReportCorrected':
      return {
        status: 'reported',
        admissions: event.data.admissions,
        procedure: event.data.procedure,
      };
  }
}

// ---- Commands ----

/** What a report decision needs beyond its own stream, read by the application. */
export interface ReportingContext {
  /** The plan as folded from its stream. */
  readonly plan: UnionPlanState;
  /** The participant's canonical code, already checked as taking part. */
  readonly memberState: string;
  /** `YYYY-MM`. */
  readonly month: string;
  /** ISO instant from the clock. */
  readonly now: string;
  /** The Commission records the report on the participant's behalf. */
  readonly onBehalf: boolean;
}

export interface ReportInput {
  readonly admissions: readonly AdmissionLine[];
  readonly procedure?: ProcedureCounts | undefined;
}

export type SubmitImplementationReport = Command<
  'SubmitImplementationReport',
  ReportInput & { readonly context: ReportingContext }
>;
export type CorrectImplementationReport = Command<
  'CorrectImplementationReport',
  ReportInput & { readonly reason: string; readonly context: ReportingContext }
>;
export type ImplementationReportCommand = SubmitImplementationReport | CorrectImplementationReport;

// ---- Rules ----

type AdoptedPlan = Extract<UnionPlanState, { status: 'adopted' }>;

/** The months a plan's reports may name: every calendar month of its period. */
export function reportingMonths(plan: {
  readonly periodStart: string;
  readonly periodEnd: string;
}): string[] {
  return monthsBetween(plan.periodStart, plan.periodEnd);
}

/**
 * Reports come after adoption (the plan is being implemented), for a month of the plan period
 * that has begun. A month that has begun may be reported before it ends (and corrected later).
 */
function requireReportableMonth(context: ReportingContext): AdoptedPlan {
  const { plan, month, now } = context;
  if (!REPORT_MONTH_PATTERN.test(month)) {
    throw new DomainError(
      'invalid_report_month',
      `${month} is not a calendar month written YYYY-MM`,
      { month },
      'month',
    );
  }
  switch (plan.status) {
    case 'none':
      throw new DomainError('plan_not_found', 'There is no such plan');
    case 'draft':
    case 'pledging_open':
    case 'pledging_closed':
    case 'proposed':
      throw new DomainError(
        'plan_not_adopted',
        `Plan ${plan.plan.planId} is not adopted yet: admissions are reported against an adopted plan`,
        { planId: plan.plan.planId, status: plan.status },
      );
    case 'adopted':
      break;
  }
  const { periodStart, periodEnd, planId } = plan.plan;
  if (month < monthOf(periodStart) || month > monthOf(periodEnd)) {
    throw new DomainError(
      'month_outside_plan_period',
      `${month} is outside the plan period ${periodStart} to ${periodEnd}`,
      { month, periodStart, periodEnd, planId },
      'month',
    );
  }
  if (Date.parse(now) < startOfMonth(month)) {
    throw new DomainError(
      'month_not_begun',
      `${month} has not begun yet: a month is reported once it has begun`,
      { month, now },
      'month',
    );
  }
  return plan;
}

/** The codes a pledge line's checks raise, as a report line's. */
const ADMISSION_CODES: Partial<Record<Violation['code'], Violation['code']>> = {
  invalid_pledge_line: 'invalid_admission_line',
  duplicate_pledge_line: 'duplicate_admission_line',
};

function asAdmissionViolation(violation: Violation): Violation {
  return {
    ...violation,
    code: ADMISSION_CODES[violation.code] ?? violation.code,
    ...(violation.path !== undefined && {
      path: violation.path.replace(/^lines(?=\.|$)/, 'admissions'),
    }),
  };
}

/** A count of persons or cases: a whole number, never below zero. */
function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

/** A report's note is kept shorter than a pledge line's: free text is where an identity could hide. */
function isShortNote(note: string | undefined): boolean {
  return note === undefined || note.trim().length <= MAX_REPORT_NOTE_LENGTH;
}

function sum(counts: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const value of Object.values(counts)) total += value;
  return total;
}

function checkFreeText(
  text: string | undefined,
  path: string,
  violations: ViolationCollector,
): void {
  if (text === undefined) return;
  const found = personalDataIn(text);
  if (found !== undefined) {
    violations.add(
      'personal_data_suspected',
      `${path} looks like it holds ${found}: the tracker records counts only, never names, case numbers or dates of birth`,
      path,
      { field: path, looksLike: found },
    );
  }
}

/**
 * The pledge line inside an admission line, for the pledge line's own rules. A note over the
 * report's own limit is left out here: it is refused once, with that limit.
 */
function pledgeLineOf(line: AdmissionLine): PledgeLine {
  const {
    vulnerablePersons: _vulnerablePersons,
    familyMembers: _familyMembers,
    bySex: _bySex,
    byAgeBand: _byAgeBand,
    note,
    ...pledgeLine
  } = line;
  return isShortNote(note) && note !== undefined ? { ...pledgeLine, note } : pledgeLine;
}

/** A report's lines and counts, checked with every rule broken reported at once. */
export function normaliseReport(
  input: ReportInput,
  plan: AdoptedPlan,
  month: string,
): { admissions: AdmissionLine[]; procedure: ProcedureCounts | undefined } {
  const violations = new ViolationCollector();
  const year = Number(month.slice(0, 4));
  // Type, host, basis, target groups and duplicates: the pledge line's own rules, once.
  const base = violations.check(
    () => normaliseLines(input.admissions.map(pledgeLineOf), plan.plan, { allowEmpty: true }),
    asAdmissionViolation,
  );
  input.admissions.forEach((line, index) => {
    const at = `admissions.${index}`;
    const groups = [
      ['vulnerablePersons', line.vulnerablePersons],
      ['familyMembers', line.familyMembers],
    ] as const;
    for (const [field, value] of groups) {
      if (value !== undefined && !isCount(value)) {
        violations.add(
          'invalid_admission_line',
          `Line ${index}: ${field} must be a whole number of persons, 0 or more`,
          `${at}.${field}`,
          { line: index, [field]: value },
        );
      } else if (value !== undefined && value > line.persons) {
        violations.add(
          'group_count_exceeds_persons',
          `Line ${index}: ${field} (${value}) is more than the ${line.persons} persons of the line`,
          `${at}.${field}`,
          { line: index, [field]: value, persons: line.persons },
        );
      }
    }
    const breakdowns = [
      ['bySex', line.bySex],
      ['byAgeBand', line.byAgeBand],
    ] as const;
    for (const [field, breakdown] of breakdowns) {
      if (breakdown === undefined) continue;
      const invalid = Object.entries(breakdown).filter(([, value]) => !isCount(value));
      for (const [band, value] of invalid) {
        violations.add(
          'invalid_admission_line',
          `Line ${index}: ${field}.${band} must be a whole number of persons, 0 or more`,
          `${at}.${field}.${band}`,
          { line: index, [band]: value },
        );
      }
      if (invalid.length === 0 && sum(breakdown) !== line.persons) {
        violations.add(
          'breakdown_mismatch',
          `Line ${index}: ${field} adds up to ${sum(breakdown)}, not to the line's ${line.persons} persons`,
          `${at}.${field}`,
          { line: index, breakdownTotal: sum(breakdown), persons: line.persons },
        );
      }
    }
    if (line.year !== undefined && line.year !== year) {
      violations.add(
        'invalid_admission_line',
        `Line ${index}: year ${line.year} is not the report's year ${year}`,
        `${at}.year`,
        { line: index, year: line.year, month },
      );
    }
    if (!isShortNote(line.note)) {
      violations.add(
        'invalid_admission_line',
        `Line ${index}: note is longer than ${MAX_REPORT_NOTE_LENGTH} characters`,
        `${at}.note`,
        { line: index, maxLength: MAX_REPORT_NOTE_LENGTH },
      );
    }
    checkFreeText(line.note, `${at}.note`, violations);
  });
  const procedure = input.procedure;
  for (const field of PROCEDURE_FIELDS) {
    const value = procedure?.[field];
    if (value !== undefined && !isCount(value)) {
      violations.add(
        'invalid_procedure_counts',
        `${field} must be a whole number, 0 or more`,
        `procedure.${field}`,
        { [field]: value },
      );
    }
  }
  if (
    procedure?.openBeyond7Months !== undefined &&
    procedure.openBeyond10Months !== undefined &&
    procedure.openBeyond10Months > procedure.openBeyond7Months
  ) {
    violations.add(
      'invalid_procedure_counts',
      `Cases open past 10 months (${procedure.openBeyond10Months}) are also open past 7 months, so cannot outnumber them (${procedure.openBeyond7Months})`,
      'procedure.openBeyond10Months',
      {
        openBeyond7Months: procedure.openBeyond7Months,
        openBeyond10Months: procedure.openBeyond10Months,
      },
    );
  }
  violations.throwIfAny();
  const admissions = (base ?? []).map((line, index): AdmissionLine => {
    const given = input.admissions[index];
    return {
      ...line,
      ...(given?.vulnerablePersons !== undefined && { vulnerablePersons: given.vulnerablePersons }),
      ...(given?.familyMembers !== undefined && { familyMembers: given.familyMembers }),
      ...(given?.bySex !== undefined && { bySex: given.bySex }),
      ...(given?.byAgeBand !== undefined && { byAgeBand: given.byAgeBand }),
    };
  });
  const counted =
    procedure === undefined
      ? undefined
      : (Object.fromEntries(
          Object.entries(procedure).filter(([, value]) => value !== undefined),
        ) as ProcedureCounts);
  return { admissions, procedure: counted };
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0) {
    throw new DomainError(
      'reason_required',
      'A reason is required to correct a report',
      {},
      'reason',
    );
  }
  const violations = new ViolationCollector();
  checkFreeText(trimmed, 'reason', violations);
  violations.throwIfAny();
  return trimmed;
}

function sameReport(
  a: {
    readonly admissions: readonly AdmissionLine[];
    readonly procedure: ProcedureCounts | undefined;
  },
  b: {
    readonly admissions: readonly AdmissionLine[];
    readonly procedure: ProcedureCounts | undefined;
  },
): boolean {
  const canonical = (value: unknown) =>
    JSON.stringify(value, (_key, inner: unknown) =>
      inner !== null && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.fromEntries(
            Object.entries(inner as Record<string, unknown>).sort(([x], [y]) =>
              x < y ? -1 : x > y ? 1 : 0,
            ),
          )
        : inner,
    );
  const lines = (admissions: readonly AdmissionLine[]) => admissions.map(canonical).sort();
  return (
    canonical(a.procedure ?? {}) === canonical(b.procedure ?? {}) &&
    JSON.stringify(lines(a.admissions)) === JSON.stringify(lines(b.admissions))
  );
}

// ---- Decisions ----

export function submitImplementationReport(
  command: SubmitImplementationReport,
  state: ImplementationReportState,
): ImplementationReportSubmitted[] {
  const { context } = command.data;
  const plan = requireReportableMonth(context);
  if (state.status === 'reported') {
    throw new DomainError(
      'report_already_submitted',
      `${context.memberState} has already reported ${context.month}; correct the report instead`,
      { memberState: context.memberState, month: context.month },
    );
  }
  const report = normaliseReport(command.data, plan, context.month);
  return [
    {
      type: 'ImplementationReportSubmitted',
      data: {
        planId: plan.plan.planId,
        memberState: context.memberState,
        month: context.month,
        admissions: report.admissions,
        ...(report.procedure !== undefined && { procedure: report.procedure }),
        onBehalf: context.onBehalf,
      },
    },
  ];
}

export function correctImplementationReport(
  command: CorrectImplementationReport,
  state: ImplementationReportState,
): ImplementationReportCorrected[] {
  const { context } = command.data;
  const plan = requireReportableMonth(context);
  if (state.status === 'none') {
    throw new DomainError(
      'report_not_found',
      `${context.memberState} has not reported ${context.month}`,
      { memberState: context.memberState, month: context.month },
    );
  }
  const violations = new ViolationCollector();
  const reason = violations.check(() => requireReason(command.data.reason));
  const report = violations.check(() => normaliseReport(command.data, plan, context.month));
  violations.throwIfAny();
  if (report === undefined || reason === undefined) throw new Error('unreachable');
  if (sameReport(report, state)) {
    throw new DomainError('no_op_correction', 'The correction is identical to the current report', {
      memberState: context.memberState,
      month: context.month,
    });
  }
  return [
    {
      type: 'ImplementationReportCorrected',
      data: {
        planId: plan.plan.planId,
        memberState: context.memberState,
        month: context.month,
        admissions: report.admissions,
        ...(report.procedure !== undefined && { procedure: report.procedure }),
        onBehalf: context.onBehalf,
        reason,
      },
    },
  ];
}

export function decide(
  command: ImplementationReportCommand,
  state: ImplementationReportState,
): ImplementationReportEvent[] {
  switch (command.type) {
    case 'SubmitImplementationReport':
      return submitImplementationReport(command, state);
    case 'CorrectImplementationReport':
      return correctImplementationReport(command, state);
  }
}

export const implementationReportDecider: Decider<
  ImplementationReportState,
  ImplementationReportCommand,
  ImplementationReportEvent
> = { decide, evolve, initialState };
