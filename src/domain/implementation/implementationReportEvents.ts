/**
 * The implementation report's events: one stream per plan, participant and calendar month
 * (Art. 9; AMIF Art. 19). Counts only: the tracker holds no names, case numbers or dates of birth,
 * so nothing here can carry them beyond a short optional note, which is checked for them.
 */
import { z } from 'zod';
import type { Event } from '../shared/messages';
import { countryCodeSchema, MAX_LINES, pledgeLineShape, withOneHost } from '../shared/pledgeLine';

/** A calendar month as `YYYY-MM`. */
export const REPORT_MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const reportMonthSchema = z
  .string()
  .regex(REPORT_MONTH_PATTERN, 'a calendar month as YYYY-MM, e.g. 2026-03');

export const implementationReportStreamId = (
  planId: string,
  memberState: string,
  month: string,
): string => `implementation-${planId}-${memberState}-${month}`;

/** A short note at most: free text is where an identity could hide. */
export const MAX_REPORT_NOTE_LENGTH = 200;
export const MAX_REPORT_REASON_LENGTH = 500;

const count = z.number().int().nonnegative();

/** AMIF Annex VIII's breakdown of persons admitted by sex; when given, it sums to the line's persons. */
export const bySexSchema = z
  .strictObject({ female: count, male: count, nonBinary: count })
  .readonly();
/** AMIF Annex VIII's age bands; when given, they sum to the line's persons. */
export const byAgeBandSchema = z
  .strictObject({ under18: count, from18To60: count, over60: count })
  .readonly();

/**
 * One line of admissions in a month: a pledge line (type, basis, host, target groups) with the
 * persons admitted, and of those how many belong to the Art. 19(3) groups (`vulnerablePersons`)
 * and how many were admitted as their family members (`familyMembers`, Art. 19(5)); each at most
 * `persons`. `year`, if given, is the report month's year.
 */
export const admissionLineSchema = withOneHost(
  z.strictObject({
    ...pledgeLineShape,
    note: z.string().max(MAX_REPORT_NOTE_LENGTH).optional(),
    vulnerablePersons: count.optional(),
    familyMembers: count.optional(),
    bySex: bySexSchema.optional(),
    byAgeBand: byAgeBandSchema.optional(),
  }),
).readonly();
export type AdmissionLine = z.output<typeof admissionLineSchema>;

export const admissionsSchema = z.array(admissionLineSchema).max(MAX_LINES).readonly();

/**
 * The single admission procedure in the month (Art. 9). Flows in the month: `registered`,
 * `positiveConclusions`, `negativeConclusions`, `discontinued`, `emergencyConcludedBeyond1Month`
 * (Art. 9(10)), `enteredBeyond12Months` (Art. 9(20)). Stocks at the month's end: the cases still
 * open past 7 months and past 10 months of their registration (Art. 9(9); the second are among the
 * first). Every field is optional: a Member State reports what its systems count.
 */
export const procedureCountsSchema = z
  .strictObject({
    registered: count.optional(),
    positiveConclusions: count.optional(),
    negativeConclusions: count.optional(),
    discontinued: count.optional(),
    openBeyond7Months: count.optional(),
    openBeyond10Months: count.optional(),
    emergencyConcludedBeyond1Month: count.optional(),
    enteredBeyond12Months: count.optional(),
  })
  .readonly();
export type ProcedureCounts = z.output<typeof procedureCountsSchema>;
export const PROCEDURE_FIELDS = [
  'registered',
  'positiveConclusions',
  'negativeConclusions',
  'discontinued',
  'openBeyond7Months',
  'openBeyond10Months',
  'emergencyConcludedBeyond1Month',
  'enteredBeyond12Months',
] as const satisfies readonly (keyof ProcedureCounts)[];
export type ProcedureField = (typeof PROCEDURE_FIELDS)[number];
/** Counted at the month's end (cases still open): summed over months they would count a case twice. */
export const PROCEDURE_STOCK_FIELDS = [
  'openBeyond7Months',
  'openBeyond10Months',
] as const satisfies readonly ProcedureField[];

const common = {
  planId: z.string().regex(/^\d{4}-\d{4}$/),
  memberState: countryCodeSchema,
  month: reportMonthSchema,
  admissions: admissionsSchema,
  procedure: procedureCountsSchema.optional(),
  /** Recorded by the Commission on the participant's behalf, not by its own ministry. */
  onBehalf: z.boolean(),
};

export const implementationReportSubmittedSchema = z.strictObject(common).readonly();
export const implementationReportCorrectedSchema = z
  .strictObject({ ...common, reason: z.string().min(1).max(MAX_REPORT_REASON_LENGTH) })
  .readonly();

export type ImplementationReportSubmitted = Event<
  'ImplementationReportSubmitted',
  z.output<typeof implementationReportSubmittedSchema>
>;
export type ImplementationReportCorrected = Event<
  'ImplementationReportCorrected',
  z.output<typeof implementationReportCorrectedSchema>
>;

export type ImplementationReportEvent =
  ImplementationReportSubmitted | ImplementationReportCorrected;
