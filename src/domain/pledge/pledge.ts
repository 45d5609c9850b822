import { DomainError } from '../shared/domainError';
import type { Command, Decider } from '../shared/messages';
import type { PledgeLine } from '../shared/pledgeLine';
import { endOfDeadline } from '../shared/dates';
import { normaliseLines, sameLines } from '../shared/lineValidation';
import type { UnionPlanState } from '../unionPlan/unionPlan';
import type { PledgeEvent, PledgeRevised, PledgeSubmitted, PledgeWithdrawn } from './pledgeEvents';

export * from './pledgeEvents';

// ---- State ----

export type PledgeState =
  | { readonly status: 'none' }
  | { readonly status: 'active'; readonly lines: readonly PledgeLine[] }
  | { readonly status: 'withdrawn'; readonly previousLines: readonly PledgeLine[] };

export const initialState = (): PledgeState => ({ status: 'none' });

export function evolve(state: PledgeState, event: PledgeEvent): PledgeState {
  switch (event.type) {
    case 'PledgeSubmitted':
    case 'PledgeRevised':
      return { status: 'active', lines: event.data.lines };
    case 'PledgeWithdrawn':
      return { status: 'withdrawn', previousLines: state.status === 'active' ? state.lines : [] };
  }
}

// ---- Commands ----

/**
 * What a pledge decision needs to know beyond its own stream, read by the application from the
 * plan's stream and the configuration: the domain itself reads nothing.
 */
export interface PledgingContext {
  /** The plan as folded from its stream. */
  readonly plan: UnionPlanState;
  /** The participant's canonical code, already checked as taking part (see participatingCode). */
  readonly memberState: string;
  /** ISO instant from the clock. */
  readonly now: string;
}

export type SubmitPledge = Command<
  'SubmitPledge',
  { readonly lines: readonly PledgeLine[]; readonly context: PledgingContext }
>;
export type RevisePledge = Command<
  'RevisePledge',
  {
    readonly lines: readonly PledgeLine[];
    readonly reason: string;
    readonly context: PledgingContext;
  }
>;
export type WithdrawPledge = Command<
  'WithdrawPledge',
  { readonly reason: string; readonly context: PledgingContext }
>;

export type PledgeCommand = SubmitPledge | RevisePledge | WithdrawPledge;

// ---- Decisions ----

type OpenPlan = Extract<UnionPlanState, { status: 'pledging_open' | 'adopted' }>;

/**
 * Art. 11(5) and 8(6): indications are made while the round is open and revised until adoption;
 * between closing and adoption they are frozen; after adoption a change is recorded but only an
 * amendment puts it into the plan, so it is marked `afterAdoption`.
 */
function requirePledgeablePlan(context: PledgingContext): {
  plan: OpenPlan;
  afterAdoption: boolean;
} {
  const { plan, now } = context;
  switch (plan.status) {
    case 'none':
      throw new DomainError('plan_not_found', 'There is no such plan');
    case 'draft':
      throw new DomainError(
        'pledging_not_open',
        'The Commission has not opened pledging for this plan yet',
        {
          planId: plan.plan.planId,
        },
      );
    case 'pledging_closed':
    case 'proposed':
      throw new DomainError(
        'pledges_frozen',
        'Pledging is closed: pledges are frozen until the Council adopts the plan; after adoption a change waits for an amendment',
        { planId: plan.plan.planId, status: plan.status },
      );
    case 'pledging_open':
      if (plan.deadline !== undefined && Date.parse(now) > endOfDeadline(plan.deadline)) {
        throw new DomainError(
          'pledge_deadline_passed',
          `The pledging deadline ${plan.deadline} has passed`,
          {
            deadline: plan.deadline,
            now,
          },
        );
      }
      return { plan, afterAdoption: false };
    case 'adopted':
      // After the period there is nothing left to amend the plan for.
      if (Date.parse(now) > endOfDeadline(plan.plan.periodEnd)) {
        throw new DomainError(
          'plan_period_ended',
          `The plan period ended on ${plan.plan.periodEnd}`,
          {
            periodEnd: plan.plan.periodEnd,
            now,
          },
        );
      }
      return { plan, afterAdoption: true };
  }
}

function requireReason(reason: string, action: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0) {
    throw new DomainError('reason_required', `A reason is required to ${action} a pledge`);
  }
  return trimmed;
}

export function submitPledge(command: SubmitPledge, state: PledgeState): PledgeSubmitted[] {
  const { context } = command.data;
  const { plan, afterAdoption } = requirePledgeablePlan(context);
  if (state.status === 'active') {
    throw new DomainError(
      'pledge_already_submitted',
      `${context.memberState} has already pledged; revise the pledge instead`,
      { memberState: context.memberState },
    );
  }
  const lines = normaliseLines(command.data.lines, plan.plan, { allowEmpty: false });
  return [
    {
      type: 'PledgeSubmitted',
      data: { planId: plan.plan.planId, memberState: context.memberState, lines, afterAdoption },
    },
  ];
}

function requireActive(
  state: PledgeState,
  memberState: string,
): Extract<PledgeState, { status: 'active' }> {
  if (state.status === 'none') {
    throw new DomainError('pledge_not_found', `${memberState} has no pledge for this plan`, {
      memberState,
    });
  }
  if (state.status === 'withdrawn') {
    throw new DomainError(
      'pledge_withdrawn',
      `${memberState} withdrew its pledge; submit a new one instead`,
      {
        memberState,
      },
    );
  }
  return state;
}

export function revisePledge(command: RevisePledge, state: PledgeState): PledgeRevised[] {
  const { context } = command.data;
  const { plan, afterAdoption } = requirePledgeablePlan(context);
  const active = requireActive(state, context.memberState);
  const reason = requireReason(command.data.reason, 'revise');
  const lines = normaliseLines(command.data.lines, plan.plan, { allowEmpty: false });
  if (sameLines(lines, active.lines)) {
    throw new DomainError('no_op_revision', 'The revision is identical to the current pledge');
  }
  return [
    {
      type: 'PledgeRevised',
      data: {
        planId: plan.plan.planId,
        memberState: context.memberState,
        lines,
        reason,
        afterAdoption,
      },
    },
  ];
}

export function withdrawPledge(command: WithdrawPledge, state: PledgeState): PledgeWithdrawn[] {
  const { context } = command.data;
  const { plan, afterAdoption } = requirePledgeablePlan(context);
  if (state.status === 'withdrawn') {
    throw new DomainError(
      'pledge_already_withdrawn',
      `${context.memberState} has already withdrawn its pledge`,
      {
        memberState: context.memberState,
      },
    );
  }
  requireActive(state, context.memberState);
  const reason = requireReason(command.data.reason, 'withdraw');
  return [
    {
      type: 'PledgeWithdrawn',
      data: { planId: plan.plan.planId, memberState: context.memberState, reason, afterAdoption },
    },
  ];
}

export function decide(command: PledgeCommand, state: PledgeState): PledgeEvent[] {
  switch (command.type) {
    case 'SubmitPledge':
      return submitPledge(command, state);
    case 'RevisePledge':
      return revisePledge(command, state);
    case 'WithdrawPledge':
      return withdrawPledge(command, state);
  }
}

export const pledgeDecider: Decider<PledgeState, PledgeCommand, PledgeEvent> = {
  decide,
  evolve,
  initialState,
};
