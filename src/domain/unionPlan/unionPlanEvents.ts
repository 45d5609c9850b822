/**
 * The plan stream's events. Each type has one zod schema (its current shape) and a schema version;
 * older stored shapes are upcast on read (see `../events.ts`), never rewritten in the store.
 */
import { z } from 'zod';
import type { Event } from '../shared/messages';
import { contributionsSchema, countryCodeSchema, planRegionIdSchema } from '../shared/pledgeLine';

export const unionPlanStreamId = (planId: string): string => `unionPlan-${planId}`;

const planIdSchema = z.string().regex(/^\d{4}-\d{4}$/, 'a plan id such as 2026-2027');
const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const sortedCodes = z.array(countryCodeSchema).readonly();
const unhcrRegionIds = z.array(z.string().max(60)).readonly();

/** One of the plan's own regions (Art. 8(3)(c)): a named group of third countries, not a UNHCR bureau. */
export const planRegionSchema = z
  .strictObject({
    id: planRegionIdSchema,
    // Stored trimmed (the decider trims): not blank, and no transform, so the schema is JSON Schema.
    name: z.string().min(1).max(200).regex(/\S/, 'a name that is not blank'),
    countries: z.array(countryCodeSchema).min(1).max(250).readonly(),
  })
  .readonly();
export type PlanRegion = z.output<typeof planRegionSchema>;

export const unionPlanCreatedSchema = z
  .strictObject({
    planId: planIdSchema,
    /** ISO dates (YYYY-MM-DD). */
    periodStart: isoDateSchema,
    periodEnd: isoDateSchema,
    /** ISO alpha-2 third countries named by the plan, upper case, sorted, unique. */
    priorityCountries: sortedCodes,
    /** UNHCR bureau ids accepted as a shorthand for all their countries, sorted, unique. */
    priorityRegions: unhcrRegionIds,
    /** The plan's own regions, by id. */
    regions: z.array(planRegionSchema).max(50).readonly(),
  })
  .readonly();

export const pledgingOpenedSchema = z
  .strictObject({
    planId: planIdSchema,
    /** ISO date or instant, optional. */
    deadline: z.string().max(40).optional(),
  })
  .readonly();

export const pledgingClosedSchema = z.strictObject({ planId: planIdSchema }).readonly();

export const planProposedSchema = z
  .strictObject({
    planId: planIdSchema,
    reference: z.string().min(1).max(200),
    proposedOn: isoDateSchema,
    /** Each Member State's active indication when the round closed, sorted by Member State. */
    contributions: contributionsSchema,
    /** The associated states' indications (Art. 12), outside the plan's figures. */
    associatedStates: contributionsSchema,
  })
  .readonly();

export const planAdoptedSchema = z
  .strictObject({
    planId: planIdSchema,
    actReference: z.string().min(1).max(200),
    adoptedOn: isoDateSchema,
    /** The adopted Member State contributions (the proposal's when adopted unchanged). */
    contributions: contributionsSchema,
    /** The associated states' indications the adoption records beside the plan (Art. 12). */
    associatedStates: contributionsSchema,
  })
  .readonly();

export const planAmendedSchema = z
  .strictObject({
    planId: planIdSchema,
    actReference: z.string().min(1).max(200),
    adoptedOn: isoDateSchema,
    reason: z.string().min(1).max(2000),
    addPriorityCountries: sortedCodes,
    addPriorityRegions: unhcrRegionIds,
    /** Regions the plan did not have: an amendment adds regions, it does not redefine one. */
    addRegions: z.array(planRegionSchema).max(50).readonly(),
    /** Each replaces the named Member State's contribution; empty lines remove it from the plan. */
    contributions: contributionsSchema,
    /** The same, for associated states. */
    associatedStates: contributionsSchema,
  })
  .readonly();

export type UnionPlanCreated = Event<'UnionPlanCreated', z.output<typeof unionPlanCreatedSchema>>;
export type PledgingOpened = Event<'PledgingOpened', z.output<typeof pledgingOpenedSchema>>;
export type PledgingClosed = Event<'PledgingClosed', z.output<typeof pledgingClosedSchema>>;
export type PlanProposed = Event<'PlanProposed', z.output<typeof planProposedSchema>>;
export type PlanAdopted = Event<'PlanAdopted', z.output<typeof planAdoptedSchema>>;
export type PlanAmended = Event<'PlanAmended', z.output<typeof planAmendedSchema>>;

export type UnionPlanEvent =
  UnionPlanCreated | PledgingOpened | PledgingClosed | PlanProposed | PlanAdopted | PlanAmended;
