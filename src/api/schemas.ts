import { z } from 'zod';
import { ADMISSION_TYPES, EMERGENCY_BASES } from '../domain/shared/pledgeLine';

/**
 * Request shapes. Objects are strict: an unknown field is an error, never silently dropped.
 * The domain checks the rules (known countries, periods, transitions); these check the form.
 */
const isoDate = z.iso.date({ error: 'a date as YYYY-MM-DD' });
const text = (max: number) => z.string().trim().min(1).max(max);
const countryCode = z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code');
const planId = z.string().regex(/^\d{4}-\d{4}$/, 'a plan id such as 2026-2027');

export const pledgeLineSchema = z.strictObject({
  admissionType: z.enum(ADMISSION_TYPES),
  hostCountry: countryCode.optional(),
  persons: z.number().int().positive(),
  year: z.number().int().optional(),
  emergencyBasis: z.enum(EMERGENCY_BASES).optional(),
  targetGroups: z.array(z.string().max(60)).max(20).optional(),
  note: z.string().max(1000).optional(),
});

const linesSchema = z.array(pledgeLineSchema).max(500);

const contributionSchema = z.strictObject({ memberState: countryCode, lines: linesSchema });
const contributionsSchema = z.array(contributionSchema).max(40);

export const createPlanBody = z.strictObject({
  planId,
  periodStart: isoDate,
  periodEnd: isoDate,
  resettlementFloorPercent: z.number().min(0).max(100).optional(),
  priorityCountries: z.array(countryCode).max(250).optional(),
  priorityRegions: z.array(z.string().max(60)).max(10).optional(),
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

export const emptyQuery = z.strictObject({});
