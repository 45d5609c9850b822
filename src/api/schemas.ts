import { z } from 'zod';
import {
  contributionsSchema,
  countryCodeSchema as countryCode,
  linesSchema,
} from '../domain/shared/pledgeLine';
import { planRegionSchema } from '../domain/unionPlan/unionPlanEvents';
import {
  MAX_REPORT_REASON_LENGTH,
  admissionsSchema,
  procedureCountsSchema,
  reportMonthSchema,
} from '../domain/implementation/implementationReportEvents';
import { FRAMEWORK_REPORT_TABLES } from '../projections/implementation/exports';

/**
 * Request shapes. Objects are strict: an unknown field is an error, never silently dropped.
 * Lines, contributions and plan regions are the domain's own schemas, the ones its events use.
 * The domain checks the rules (known countries, periods, transitions); these check the form.
 */
const isoDate = z.iso.date({ error: 'a date as YYYY-MM-DD' });
const text = (max: number) => z.string().trim().min(1).max(max);
const planId = z.string().regex(/^\d{4}-\d{4}$/, 'a plan id such as 2026-2027');
const planRegions = z.array(planRegionSchema).max(50);

export const createPlanBody = z.strictObject({
  planId,
  periodStart: isoDate,
  periodEnd: isoDate,
  resettlementFloorPercent: z.number().min(0).max(100).optional(),
  priorityCountries: z.array(countryCode).max(250).optional(),
  priorityRegions: z.array(z.string().max(60)).max(10).optional(),
  regions: planRegions.optional(),
});

export const openPledgingBody = z.strictObject({
  deadline: z.union([isoDate, z.iso.datetime({ offset: true })]).optional(),
});

export const closePledgingBody = z.strictObject({});

export const proposalBody = z.strictObject({ reference: text(200), proposedOn: isoDate });

export const adoptionBody = z.strictObject({
  actReference: text(200),
  adoptedOn: isoDate,
  contributions: contributionsSchema.optional(),
});

export const amendmentBody = z.strictObject({
  actReference: text(200),
  adoptedOn: isoDate,
  reason: text(2000),
  addPriorityCountries: z.array(countryCode).max(250).optional(),
  addPriorityRegions: z.array(z.string().max(60)).max(10).optional(),
  addRegions: planRegions.optional(),
  contributions: contributionsSchema.optional(),
  /** Participants whose pending change the amendment adopts as it stands. */
  adoptPendingFrom: z.array(countryCode).min(1).max(40).optional(),
});

export const putPledgeBody = z.strictObject({ lines: linesSchema, reason: text(2000).optional() });

export const withdrawPledgeBody = z.strictObject({ reason: text(2000) });

export const planParams = z.strictObject({ planId });
export const pledgeParams = z.strictObject({ planId, memberState: countryCode });

/**
 * A monthly implementation report: its admissions lines and procedure counts are the domain's own
 * schemas (counts are whole and never negative); `reason` is what a correction states.
 */
export const putReportBody = z.strictObject({
  admissions: admissionsSchema,
  procedure: procedureCountsSchema.optional(),
  reason: text(MAX_REPORT_REASON_LENGTH).optional(),
});

export const reportParams = z.strictObject({
  planId,
  memberState: countryCode,
  month: reportMonthSchema,
});

const calendarDate = z.iso.date();
const dateTimeWithOffset = z.iso.datetime({ offset: true });

/** The forms of a point in time, each with an example, as a refusal names them. */
const DATE_TIME_FORM =
  'a date-time with an offset or Z, with or without fractional seconds (e.g. 2026-01-31T12:00:00+01:00 or 2026-01-31T11:00:00.000Z)';
const AS_OF_FORMS = `a log position (a whole number, e.g. 1234), a date (YYYY-MM-DD, e.g. 2026-01-31: the end of that day, UTC) or ${DATE_TIME_FORM}`;

/** A log position: digits only, small enough to be exact as a number. */
const LOG_POSITION = /^\d{1,15}$/;

/**
 * A point in time given as a date or a date-time; a date alone stands for the start or the end of
 * that day, UTC, as the bound it is used for asks. Undefined when the value is neither.
 */
function instantOf(value: string, dateMeans: 'start_of_day' | 'end_of_day'): string | undefined {
  if (calendarDate.safeParse(value).success) {
    return `${value}${dateMeans === 'start_of_day' ? 'T00:00:00.000Z' : 'T23:59:59.999Z'}`;
  }
  return dateTimeWithOffset.safeParse(value).success ? value : undefined;
}

/**
 * `asOf`: a log position, a date (the end of that day, UTC: everything recorded that day counts)
 * or a date-time with an offset. A refusal says every accepted form, with an example of each.
 */
export const asOfSchema = z
  .string({ error: `expected ${AS_OF_FORMS}` })
  .transform((value, context): { timestamp: string } | { position: number } => {
    if (LOG_POSITION.test(value)) return { position: Number(value) };
    const timestamp = instantOf(value, 'end_of_day');
    if (timestamp !== undefined) return { timestamp };
    context.addIssue({
      code: 'custom',
      message: `expected ${AS_OF_FORMS}; got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  });

/** The audit feed's `from` / `to`: a date as `from` is the start of that day (UTC), as `to` its end. */
const feedBound = (name: 'from' | 'to') => {
  const dateMeans = name === 'from' ? 'start_of_day' : 'end_of_day';
  const forms = `a date (YYYY-MM-DD, e.g. 2026-01-31: ${name === 'from' ? 'the start' : 'the end'} of that day, UTC) or ${DATE_TIME_FORM}; for a log position use after`;
  return z.string({ error: `expected ${forms}` }).transform((value, context) => {
    const instant = instantOf(value, dateMeans);
    if (instant !== undefined) return instant;
    context.addIssue({
      code: 'custom',
      message: `expected ${forms}; got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  });
};

export const viewQuery = z.strictObject({
  view: z.enum(['pledges', 'proposal', 'adopted']).default('pledges'),
  asOf: asOfSchema.optional(),
});

export const asOfQuery = z.strictObject({ asOf: asOfSchema.optional() });

/** A plan's reports: optionally one participant's, one month's. */
export const reportListQuery = z.strictObject({
  memberState: countryCode.optional(),
  month: reportMonthSchema.optional(),
  asOf: asOfSchema.optional(),
});

const exportFormat = z
  .enum(['json', 'csv'])
  .default('json')
  .describe('`json` (the default) or `csv` (RFC 4180, a download)');

/** The AMIF annual performance figures of one calendar year of the plan period. */
export const amifExportQuery = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, 'a calendar year, e.g. 2026')
    .transform(Number)
    .describe('A calendar year of the plan period'),
  format: exportFormat,
  asOf: asOfSchema.optional(),
});

/** The dataset for the Commission's report on the Framework (Art. 15). */
export const frameworkExportQuery = z.strictObject({
  format: exportFormat,
  table: z
    .enum(FRAMEWORK_REPORT_TABLES)
    .default('admissions')
    .describe(
      "Which table a CSV holds: the Member States' admissions or procedure counts, or the associated states' (JSON holds them all)",
    ),
  asOf: asOfSchema.optional(),
});

export const auditFeedQuery = z.strictObject({
  planId: planId.optional(),
  memberState: countryCode.optional(),
  actor: z.string().max(100).optional(),
  type: z.string().max(500).optional(),
  from: feedBound('from').optional(),
  to: feedBound('to').optional(),
  after: z.string().regex(/^\d+$/).transform(Number).optional(),
  limit: z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional(),
});

const pageLimit = z
  .string()
  .regex(/^\d+$/, 'a whole number from 1 to 1000')
  .transform(Number)
  .pipe(z.number().int().min(1).max(1000));

/** A history page: versions after `after`, at most `limit` (default 100). */
export const historyQuery = z.strictObject({
  asOf: asOfSchema.optional(),
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'a version number')
    .transform(Number)
    .optional(),
  limit: pageLimit.optional(),
});

/** The plans, by id: those after `after`, at most `limit` (default 100). */
export const planListQuery = z.strictObject({
  after: planId.optional(),
  limit: pageLimit.optional(),
  asOf: asOfSchema.optional(),
});

export const emptyQuery = z.strictObject({});

// ---- the verifiable log ----

const logPosition = z
  .string()
  .regex(/^\d{1,15}$/, 'a log position (a whole number)')
  .transform(Number);
const treeSize = z
  .string()
  .regex(/^\d{1,15}$/, 'a tree size (a whole number of events)')
  .transform(Number);

export const inclusionProofQuery = z.strictObject({
  position: logPosition.describe('The log position of the event'),
  treeSize: treeSize
    .optional()
    .describe("The tree's size; default the latest signed head's (`GET /api/v1/audit/tree-head`)"),
});

export const consistencyProofQuery = z.strictObject({
  from: treeSize.describe('The size of the earlier tree (a head the caller saved)'),
  to: treeSize.optional().describe("The size of the later tree; default the latest signed head's"),
});

export const auditRecordParams = z.strictObject({ position: logPosition });

export const auditExportQuery = z.strictObject({
  upTo: logPosition
    .optional()
    .describe('The last log position to export (inclusive); default every event'),
});

// ---- browser sign-in ----

export const developmentSignInBody = z.strictObject({
  identity: z
    .string()
    .min(1)
    .max(100)
    .describe('One of `GET /auth/options` development identities'),
});

/** Browser navigations: parameters the app does not know are ignored, not refused. */
export const loginQuery = z.object({
  returnTo: z
    .string()
    .max(2000)
    .optional()
    .describe('Where to land after signing in: a path of this app (anything else lands on `/`)'),
});

export const callbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(512).optional(),
  iss: z.string().max(2048).optional(),
});
