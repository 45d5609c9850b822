import type { Event } from '../shared/messages';
import type { Contribution } from '../shared/pledgeLine';

export const unionPlanStreamId = (planId: string): string => `unionPlan-${planId}`;

export type UnionPlanCreated = Event<
  'UnionPlanCreated',
  {
    readonly planId: string;
    /** ISO dates (YYYY-MM-DD). */
    readonly periodStart: string;
    readonly periodEnd: string;
    readonly resettlementFloorPercent: number;
    /** ISO alpha-2 host countries, upper case, sorted, unique. */
    readonly priorityCountries: readonly string[];
    /** UNHCR region ids, sorted, unique. */
    readonly priorityRegions: readonly string[];
  }
>;

export type PledgingOpened = Event<
  'PledgingOpened',
  { readonly planId: string; /** ISO date or instant, optional. */ readonly deadline?: string }
>;

export type PledgingClosed = Event<'PledgingClosed', { readonly planId: string }>;

export type PlanProposed = Event<
  'PlanProposed',
  {
    readonly planId: string;
    readonly reference: string;
    readonly proposedOn: string;
    /** Frozen snapshot of every active pledge when the proposal was recorded, sorted by Member State. */
    readonly contributions: readonly Contribution[];
  }
>;

export type PlanAdopted = Event<
  'PlanAdopted',
  {
    readonly planId: string;
    readonly actReference: string;
    readonly adoptedOn: string;
    /** The adopted contributions (the proposal's when the Council adopted it unchanged). */
    readonly contributions: readonly Contribution[];
  }
>;

export type PlanAmended = Event<
  'PlanAmended',
  {
    readonly planId: string;
    readonly actReference: string;
    readonly adoptedOn: string;
    readonly reason: string;
    readonly addPriorityCountries: readonly string[];
    readonly addPriorityRegions: readonly string[];
    /** Each replaces the named Member State's contribution; empty lines remove it from the plan. */
    readonly contributions: readonly Contribution[];
  }
>;

export type UnionPlanEvent =
  UnionPlanCreated | PledgingOpened | PledgingClosed | PlanProposed | PlanAdopted | PlanAmended;
