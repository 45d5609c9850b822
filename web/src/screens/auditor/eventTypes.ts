/**
 * The event types the tracker records (src/domain/events.ts, `EVENT_SCHEMAS`), for the feed's type
 * filter. Reference data, not an API type: the feed itself types `type` as a plain string.
 */
export const PLAN_EVENT_TYPES = [
  'UnionPlanCreated',
  'PledgingOpened',
  'PledgingClosed',
  'PlanProposed',
  'PlanAdopted',
  'PlanAmended',
] as const;

export const PLEDGE_EVENT_TYPES = ['PledgeSubmitted', 'PledgeRevised', 'PledgeWithdrawn'] as const;

export type EventTypeName = (typeof PLAN_EVENT_TYPES)[number] | (typeof PLEDGE_EVENT_TYPES)[number];

const LABELS: Readonly<Record<EventTypeName, string>> = {
  UnionPlanCreated: 'Plan created',
  PledgingOpened: 'Pledging opened',
  PledgingClosed: 'Pledging closed',
  PlanProposed: 'Plan proposed',
  PlanAdopted: 'Plan adopted',
  PlanAmended: 'Plan amended',
  PledgeSubmitted: 'Pledge submitted',
  PledgeRevised: 'Pledge revised',
  PledgeWithdrawn: 'Pledge withdrawn',
};

/** "Pledge revised" for `PledgeRevised`; an unknown (newer) type reads as itself. */
export function eventTypeLabel(type: string): string {
  return (LABELS as Readonly<Record<string, string>>)[type] ?? type;
}
