import type { Event } from '../shared/messages';
import type { PledgeLine } from '../shared/pledgeLine';

export const pledgeStreamId = (planId: string, memberState: string): string =>
  `pledge-${planId}-${memberState}`;

/**
 * `afterAdoption`: recorded after the Council adopted the plan, so the change stays pending until
 * an amendment adopts it (Art. 8(6)).
 */
export type PledgeSubmitted = Event<
  'PledgeSubmitted',
  {
    readonly planId: string;
    readonly memberState: string;
    readonly lines: readonly PledgeLine[];
    readonly afterAdoption: boolean;
  }
>;

export type PledgeRevised = Event<
  'PledgeRevised',
  {
    readonly planId: string;
    readonly memberState: string;
    /** The full new set of lines, replacing the previous set. */
    readonly lines: readonly PledgeLine[];
    readonly reason: string;
    readonly afterAdoption: boolean;
  }
>;

export type PledgeWithdrawn = Event<
  'PledgeWithdrawn',
  {
    readonly planId: string;
    readonly memberState: string;
    readonly reason: string;
    readonly afterAdoption: boolean;
  }
>;

export type PledgeEvent = PledgeSubmitted | PledgeRevised | PledgeWithdrawn;

export const PLEDGE_EVENT_TYPES: readonly PledgeEvent['type'][] = [
  'PledgeSubmitted',
  'PledgeRevised',
  'PledgeWithdrawn',
];
