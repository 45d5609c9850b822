import { z } from 'zod';
import {
  contributionsSchema,
  countryCodeSchema as countryCode,
  linesSchema,
} from '../domain/shared/pledgeLine';
import { planRegionSchema } from '../domain/unionPlan/unionPlanEvents';

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
});

export const putPledgeBody = z.strictObject({ lines: linesSchema, reason: text(2000).optional() });

export const withdrawPledgeBody = z.strictObject({ reason: text(2000) });

export const planParams = z.strictObject({ planId });
export const pledgeParams = z.strictObject({ planId, memberState: countryCode });

/** A timestamp (ISO 8601 with offset) or a log position (a whole number). */
export const asOfSchema = z.union([
  z.iso.datetime({ offset: true }).transform((timestamp) => ({ timestamp })),
  z
    .string()
    .regex(/^\d+$/, 'an ISO 8601 timestamp or a log position')
    .transform((position) => ({ position: Number(position) })),
]);

export const viewQuery = z.strictObject({
  view: z.enum(['pledges', 'proposal', 'adopted']).default('pledges'),
  asOf: asOfSchema.optional(),
});

export const asOfQuery = z.strictObject({ asOf: asOfSchema.optional() });

export const auditFeedQuery = z.strictObject({
  planId: planId.optional(),
  memberState: countryCode.optional(),
  actor: z.string().max(100).optional(),
  type: z.string().max(500).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
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
});

export const emptyQuery = z.strictObject({});
