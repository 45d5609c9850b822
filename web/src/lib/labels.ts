/**
 * The words every screen uses for the API's codes: one place, so a desk officer, a Commission
 * official and an auditor read the same name for the same thing.
 */
import type { Schema } from '../api/client';

type PledgeLine = Schema<'PledgeLine'>;
type AdmissionType = PledgeLine['admissionType'];
type EmergencyBasis = NonNullable<PledgeLine['emergencyBasis']>;
type PlanStatus = Schema<'Plan'>['status'];
type ReportEventType = Schema<'ReportHistoryEntry'>['type'];

/** The three types in the order Art. 8(3)(a) names them; every table and chart keeps it. */
export const ADMISSION_TYPES: readonly AdmissionType[] = [
  'resettlement',
  'humanitarian_admission',
  'emergency_admission',
];

export const ADMISSION_TYPE_LABELS: Readonly<Record<AdmissionType, string>> = {
  resettlement: 'Resettlement',
  humanitarian_admission: 'Humanitarian admission',
  emergency_admission: 'Emergency admission',
};

export const EMERGENCY_BASIS_LABELS: Readonly<Record<EmergencyBasis, string>> = {
  resettlement: 'Resettlement',
  humanitarian_admission: 'Humanitarian admission',
};

export const PLAN_STATUS_LABELS: Readonly<Record<PlanStatus, string>> = {
  draft: 'Draft',
  pledging_open: 'Pledging open',
  pledging_closed: 'Pledging closed',
  proposed: 'Proposed by the Commission',
  adopted: 'Adopted by the Council',
};

/**
 * The counts of the single admission procedure a monthly report gives (Art. 9): one name for each,
 * the same in the ministry's form, its tables and the Commission's and the auditor's, with the
 * paragraph that sets a count's deadline or rule; in the order the report form asks them.
 */
export const PROCEDURE_COUNT_LABELS = {
  registered: 'Persons registered',
  positiveConclusions: 'Positive conclusions',
  negativeConclusions: 'Negative conclusions',
  discontinued: 'Procedures discontinued (Art. 9(11))',
  openBeyond7Months: 'Open past 7 months (Art. 9(9))',
  openBeyond10Months: 'Open past 10 months (Art. 9(9))',
  emergencyConcludedBeyond1Month: 'Emergency cases concluded past 1 month (Art. 9(10))',
  enteredBeyond12Months: 'Arrived past 12 months (Art. 9(20))',
} as const satisfies Readonly<Record<keyof Schema<'ProcedureCounts'>, string>>;

export type ProcedureCountField = keyof typeof PROCEDURE_COUNT_LABELS;

export const PROCEDURE_COUNT_FIELDS = Object.keys(PROCEDURE_COUNT_LABELS) as ProcedureCountField[];

/** What each count counts, in full: the report form's hint under the name. */
export const PROCEDURE_COUNT_HINTS: Readonly<Record<ProcedureCountField, string>> = {
  registered: 'Persons registered in the admission procedure in the month (Art. 9).',
  positiveConclusions: 'Positive conclusions on admission in the month.',
  negativeConclusions: 'Negative conclusions on admission in the month.',
  discontinued: 'Procedures discontinued in the month.',
  openBeyond7Months:
    'Cases still open more than 7 months after registration, at the end of the month.',
  openBeyond10Months:
    'Of those, cases still open more than 10 months after registration: past the 3 extra months for complex cases.',
  emergencyConcludedBeyond1Month: 'Emergency cases concluded more than 1 month after registration.',
  enteredBeyond12Months:
    'Persons who arrived more than 12 months after a positive conclusion (best efforts).',
};

/** A monthly report's versions, as its history names them. */
export const REPORT_EVENT_LABELS: Readonly<Record<ReportEventType, string>> = {
  ImplementationReportSubmitted: 'Submitted',
  ImplementationReportCorrected: 'Corrected',
};
