import { DomainError } from '../shared/domainError';
import type { Command, Decider } from '../shared/messages';
import { raisedAdmissionTypes, sameLines, type PledgeLine } from '../shared/pledgeLine';
import { endOfDeadline } from '../shared/dates';
import { normaliseLines } from '../shared/lineValidation';
import type { UnionPlanState } from '../unionPlan/unionPlan';
import type {
  PledgeEvent,
  PledgePlanStatus,
  PledgeRevised,
  PledgeSubmitted,
  PledgeWithdrawn,
} from './pledgeEvents';

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

type PledgeablePlan = Extract<
  UnionPlanState,
  { status: 'pledging_open' | 'pledging_closed' | 'proposed' | 'adopted' }
>;

/**
 * When a pledge may change, and how (Art. 11(5), 8(3)(b), 8(6)):
 * - `open`: the round is open and its deadline not passed: anything goes;
 * - `lower_only`: the Commission's collection is over (deadline passed, round closed, proposal
 *   made) but the plan is not adopted: an indication may still go down or be withdrawn, since the
 *   plan must fully respect it, but not up;
 * - `pending_amendment`: after adoption a change is recorded, and only an amendment adopts it.
 */
type PledgeWindow = 'open' | 'lower_only' | 'pending_amendment';

function pledgeWindow(context: PledgingContext): {
  plan: PledgeablePlan;
  window: PledgeWindow;
  planStatus: PledgePlanStatus;
} {
  const { plan, now } = context;
  switch (plan.status) {
    case 'none':
      throw new DomainError('plan_not_found', 'There is no such plan');
    case 'draft':
      throw new DomainError(
        'pledging_not_open',
        'The Commission has not opened pledging for this plan yet',
        { planId: plan.plan.planId },
      );
    case 'pledging_open': {
      const passed = plan.deadline !== undefined && Date.parse(now) > endOfDeadline(plan.deadline);
      return { plan, window: passed ? 'lower_only' : 'open', planStatus: plan.status };
    }
    case 'pledging_closed':
    case 'proposed':
      return { plan, window: 'lower_only', planStatus: plan.status };
    case 'adopted':
      // After the period there is nothing left to amend the plan for.
      if (Date.parse(now) > endOfDeadline(plan.plan.periodEnd)) {
        throw new DomainError(
          'plan_period_ended',
          `The plan period ended on ${plan.plan.periodEnd}`,
          { periodEnd: plan.plan.periodEnd, now },
        );
      }
      return { plan, window: 'pending_amendment', planStatus: plan.status };
  }
}

/** A new indication needs an open round: a passed deadline or a closed round refuses it. */
function requireCollectionOpen(plan: PledgeablePlan, window: PledgeWindow, now: string): void {
  if (window !== 'lower_only') return;
  if (plan.status === 'pledging_open' && plan.deadline !== undefined) {
    throw new DomainError(
      'pledge_deadline_passed',
      `The pledging deadline ${plan.deadline} has passed: an indication may still be lowered or withdrawn, not added`,
      { deadline: plan.deadline, now },
    );
  }
  throw new DomainError(
    'pledging_closed',
    'The pledging round is closed: until the plan is adopted an indication may still be lowered or withdrawn, not added',
    { planId: plan.plan.planId, status: plan.status },
  );
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
  const { plan, window, planStatus } = pledgeWindow(context);
  if (state.status === 'active') {
    throw new DomainError(
      'pledge_already_submitted',
      `${context.memberState} has already pledged; revise the pledge instead`,
      { memberState: context.memberState },
    );
  }
  requireCollectionOpen(plan, window, context.now);
  const lines = normaliseLines(command.data.lines, plan.plan, { allowEmpty: false });
  return [
    {
      type: 'PledgeSubmitted',
      data: { planId: plan.plan.planId, memberState: context.memberState, lines, planStatus },
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
  const { plan, window, planStatus } = pledgeWindow(context);
  const active = requireActive(state, context.memberState);
  const reason = requireReason(command.data.reason, 'revise');
  const lines = normaliseLines(command.data.lines, plan.plan, { allowEmpty: false });
  if (sameLines(lines, active.lines)) {
    throw new DomainError('no_op_revision', 'The revision is identical to the current pledge');
  }
  const raised = window === 'lower_only' ? raisedAdmissionTypes(active.lines, lines) : [];
  if (raised.length > 0) {
    throw new DomainError(
      'indication_raised_after_closing',
      `The pledging round is over: until adoption an indication may go down, not up (${raised.map((row) => `${row.admissionType} ${row.before} → ${row.after}`).join(', ')})`,
      { raised, planStatus },
    );
  }
  return [
    {
      type: 'PledgeRevised',
      data: {
        planId: plan.plan.planId,
        memberState: context.memberState,
        lines,
        reason,
        planStatus,
      },
    },
  ];
}

export function withdrawPledge(command: WithdrawPledge, state: PledgeState): PledgeWithdrawn[] {
  const { context } = command.data;
  const { plan, planStatus } = pledgeWindow(context);
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
      data: { planId: plan.plan.planId, memberState: context.memberState, reason, planStatus },
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
