/**
 * The contributions behind each view of a plan, Member States and associated states apart, within
 * a read scope. Totals and compliance compute from these, never from more than the caller may see.
 */
import { compareByMemberState, type Contribution } from '../../domain/shared/pledgeLine';
import { adoptedLinesOf, awaitsAmendment } from '../../domain/pledge/pendingAmendment';
import { splitAssociatedStates } from '../../domain/shared/lineValidation';
import { isAfterAdoption } from '../../domain/pledge/pledgeEvents';
import { inScope, withinScope, type ReadScope } from '../readScope';
import {
  currentLines,
  type ContributionView,
  type PlanEntry,
  type PledgeRecord,
  type PlanReadModelState,
  type PlanRecord,
} from './model';

export interface ViewContributions {
  /** The Member States': the plan's figures. */
  readonly contributions: readonly Contribution[];
  /** The associated states' (Art. 12): reported beside, never inside, the plan's figures. */
  readonly associatedStates: readonly Contribution[];
}

function activePledges(entry: PlanEntry): ViewContributions {
  const active: Contribution[] = [];
  for (const pledge of entry.pledges.values()) {
    const lines = currentLines(pledge);
    if (lines.length > 0) active.push({ memberState: pledge.memberState, lines });
  }
  return splitAssociatedStates(active.sort(compareByMemberState));
}

/**
 * `pledges`: every active indication; `proposal`: the proposal as recorded; `adopted`: the adopted
 * plan after amendments. Undefined when the plan or the view does not exist (yet).
 */
export function contributionsForView(
  state: PlanReadModelState,
  planId: string,
  view: ContributionView,
  scope: ReadScope,
): ViewContributions | undefined {
  const entry = state.plans.get(planId);
  const plan = entry?.plan;
  if (entry === undefined || plan === undefined) return undefined;
  let all: ViewContributions | undefined;
  switch (view) {
    case 'pledges':
      all = activePledges(entry);
      break;
    case 'proposal':
      all =
        plan.state.status === 'proposed' || plan.state.status === 'adopted'
          ? plan.state.proposal
          : undefined;
      break;
    case 'adopted':
      // A Council act, whole for every participant.
      return plan.state.status === 'adopted'
        ? {
            contributions: plan.state.contributions,
            associatedStates: plan.state.associatedStates,
          }
        : undefined;
  }
  if (all === undefined) return undefined;
  return {
    contributions: withinScope(scope, all.contributions),
    associatedStates: withinScope(scope, all.associatedStates),
  };
}

/** The adopted contribution of a participant after amendments (none if it has none). */
export function adoptedLines(plan: PlanRecord, memberState: string): Contribution['lines'] {
  return adoptedLinesOf(plan.state, memberState);
}

/** A change made after adoption that only an amendment brings in: the domain's one rule. */
export function isPendingAmendment(plan: PlanRecord, pledge: PledgeRecord): boolean {
  return awaitsAmendment(
    plan.state,
    pledge.memberState,
    currentLines(pledge),
    isAfterAdoption(pledge.planStatus),
  );
}

/** The pledges a scope may see, by participant. */
export function pledgesInScope(entry: PlanEntry, scope: ReadScope): PledgeRecord[] {
  return [...entry.pledges.values()]
    .filter((pledge) => inScope(scope, pledge.memberState))
    .sort(compareByMemberState);
}
