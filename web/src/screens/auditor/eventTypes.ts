import { formatCount } from '../../lib/format';

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

/** A participant's monthly report of admissions against the adopted plan (Art. 9; AMIF Art. 19). */
export const IMPLEMENTATION_EVENT_TYPES = [
  'ImplementationReportSubmitted',
  'ImplementationReportCorrected',
] as const;

export type EventTypeName =
  | (typeof PLAN_EVENT_TYPES)[number]
  | (typeof PLEDGE_EVENT_TYPES)[number]
  | (typeof IMPLEMENTATION_EVENT_TYPES)[number];

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
  ImplementationReportSubmitted: 'Implementation report submitted',
  ImplementationReportCorrected: 'Implementation report corrected',
};

/** "Pledge revised" for `PledgeRevised`; an unknown (newer) type reads as itself. */
export function eventTypeLabel(type: string): string {
  return (LABELS as Readonly<Record<string, string>>)[type] ?? type;
}

export function isImplementationEventType(
  type: string,
): type is (typeof IMPLEMENTATION_EVENT_TYPES)[number] {
  return (IMPLEMENTATION_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * One line on what an event says, where the type alone does not: for a monthly report, its month,
 * the persons its lines admit and whether the Commission recorded it on the participant's behalf.
 * Read defensively: `data` is the event as today's schema reads it, typed as any JSON object.
 * Undefined for the other types (their plan and Member State columns say enough).
 */
export function eventSummary(
  type: string,
  data: Readonly<Record<string, unknown>>,
): string | undefined {
  if (!isImplementationEventType(type)) return undefined;
  const month = typeof data['month'] === 'string' ? data['month'] : undefined;
  const admissions = Array.isArray(data['admissions']) ? (data['admissions'] as unknown[]) : [];
  const persons = admissions.reduce<number>((sum, line) => {
    const value =
      typeof line === 'object' && line !== null
        ? (line as Readonly<Record<string, unknown>>)['persons']
        : undefined;
    return sum + (typeof value === 'number' ? value : 0);
  }, 0);
  const parts = [
    month === undefined ? undefined : `Month ${month}`,
    `${formatCount(persons)} ${persons === 1 ? 'person' : 'persons'} admitted`,
    data['onBehalf'] === true
      ? "recorded by the Commission on the participant's behalf"
      : undefined,
  ];
  return parts.filter((part) => part !== undefined).join(', ');
}
