/**
 * Builders with defaults for the monthly implementation report's commands and events: Germany
 * reports March 2026 under the adopted 2026-2027 plan, in the middle of that month. Figures are
 * illustrative.
 */
import {
  implementationReportDecider,
  type AdmissionLine,
  type CorrectImplementationReport,
  type ImplementationReportCorrected,
  type ImplementationReportSubmitted,
  type ProcedureCounts,
  type ReportingContext,
  type SubmitImplementationReport,
} from '../../src/domain/implementation/implementationReport';
import { PLAN_ID, planStateAt, specFor } from './builders';

type Data<T extends { readonly data: unknown }> = T['data'];

export const REPORT_MONTH = '2026-03';
/** A clock reading inside the default report month. */
export const REPORT_NOW = '2026-03-15T09:30:00.000Z';
export const CORRECTION_REASON = 'Two arrivals were counted in the wrong month';

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Persons resettled from Türkiye in the month. */
export function anAdmission(overrides: Partial<AdmissionLine> = {}): AdmissionLine {
  return withoutUndefined({
    admissionType: 'resettlement',
    hostCountry: 'TR',
    persons: 40,
    ...overrides,
  });
}

/** Emergency admission: no host country (Art. 8(5)), resettlement underneath by default. */
export function anEmergencyAdmission(overrides: Partial<AdmissionLine> = {}): AdmissionLine {
  return withoutUndefined({
    admissionType: 'emergency_admission',
    emergencyBasis: 'resettlement',
    persons: 3,
    ...overrides,
  });
}

export function someProcedureCounts(overrides: Partial<ProcedureCounts> = {}): ProcedureCounts {
  return withoutUndefined({
    registered: 60,
    positiveConclusions: 45,
    negativeConclusions: 4,
    discontinued: 1,
    openBeyond7Months: 6,
    openBeyond10Months: 2,
    ...overrides,
  });
}

/** What a report decision knows: Germany, its own ministry, the adopted plan, mid-March 2026. */
export function reportingContext(overrides: Partial<ReportingContext> = {}): ReportingContext {
  return {
    plan: planStateAt('adopted'),
    memberState: 'DE',
    month: REPORT_MONTH,
    now: REPORT_NOW,
    onBehalf: false,
    ...overrides,
  };
}

export interface ReportOptions {
  readonly procedure?: ProcedureCounts;
  readonly context?: Partial<ReportingContext>;
}

export function submitReport(
  admissions: readonly AdmissionLine[] = [anAdmission()],
  options: ReportOptions = {},
): SubmitImplementationReport {
  return {
    type: 'SubmitImplementationReport',
    data: {
      admissions,
      ...(options.procedure !== undefined && { procedure: options.procedure }),
      context: reportingContext(options.context),
    },
  };
}

export function correctReport(
  admissions: readonly AdmissionLine[] = [anAdmission({ persons: 42 })],
  reason = CORRECTION_REASON,
  options: ReportOptions = {},
): CorrectImplementationReport {
  return {
    type: 'CorrectImplementationReport',
    data: {
      admissions,
      ...(options.procedure !== undefined && { procedure: options.procedure }),
      reason,
      context: reportingContext(options.context),
    },
  };
}

export function aReportSubmitted(
  overrides: Partial<Data<ImplementationReportSubmitted>> = {},
): ImplementationReportSubmitted {
  return {
    type: 'ImplementationReportSubmitted',
    data: withoutUndefined({
      planId: PLAN_ID,
      memberState: 'DE',
      month: REPORT_MONTH,
      admissions: [anAdmission()],
      onBehalf: false,
      ...overrides,
    }),
  };
}

export function aReportCorrected(
  overrides: Partial<Data<ImplementationReportCorrected>> = {},
): ImplementationReportCorrected {
  return {
    type: 'ImplementationReportCorrected',
    data: withoutUndefined({
      planId: PLAN_ID,
      memberState: 'DE',
      month: REPORT_MONTH,
      admissions: [anAdmission({ persons: 42 })],
      onBehalf: false,
      reason: CORRECTION_REASON,
      ...overrides,
    }),
  };
}

export const reportSpec = specFor(implementationReportDecider);
