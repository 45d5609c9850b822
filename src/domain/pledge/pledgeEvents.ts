/**
 * The pledge stream's events: one stream per plan and participant. Schemas and versions as for the
 * plan's events; older shapes are upcast on read (see `../events.ts`).
 */
import { z } from 'zod';
import type { Event } from '../shared/messages';
import { countryCodeSchema, linesSchema } from '../shared/pledgeLine';

export const pledgeStreamId = (planId: string, memberState: string): string =>
  `pledge-${planId}-${memberState}`;

/** The plan statuses in which a pledge may change. */
export const PLEDGE_PLAN_STATUSES = [
  'pledging_open',
  'pledging_closed',
  'proposed',
  'adopted',
] as const;
export type PledgePlanStatus = (typeof PLEDGE_PLAN_STATUSES)[number];

const common = {
  planId: z.string().regex(/^\d{4}-\d{4}$/),
  memberState: countryCodeSchema,
  /**
   * The plan's status when the change was recorded: after the round closed an indication may only
   * go down; after adoption a change stays pending until an amendment adopts it (Art. 8(6)).
   */
  planStatus: z.enum(PLEDGE_PLAN_STATUSES),
};
const reason = z.string().min(1).max(2000);

export const pledgeSubmittedSchema = z.strictObject({ ...common, lines: linesSchema }).readonly();
export const pledgeRevisedSchema = z
  .strictObject({
    ...common,
    /** The full new set of lines, replacing the previous set. */
    lines: linesSchema,
    reason,
  })
  .readonly();
export const pledgeWithdrawnSchema = z.strictObject({ ...common, reason }).readonly();

export type PledgeSubmitted = Event<'PledgeSubmitted', z.output<typeof pledgeSubmittedSchema>>;
export type PledgeRevised = Event<'PledgeRevised', z.output<typeof pledgeRevisedSchema>>;
export type PledgeWithdrawn = Event<'PledgeWithdrawn', z.output<typeof pledgeWithdrawnSchema>>;

export type PledgeEvent = PledgeSubmitted | PledgeRevised | PledgeWithdrawn;

/** A change recorded after the Council adopted the plan: pending until an amendment adopts it. */
export function isAfterAdoption(planStatus: PledgePlanStatus): boolean {
  return planStatus === 'adopted';
}
