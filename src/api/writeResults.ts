import type { UnionPlanState } from '../domain/unionPlan/unionPlan';
import type { PledgeState } from '../domain/pledge/pledge';
import { totalPersons, type Contribution } from '../domain/shared/pledgeLine';
import type { CommandResult } from '../application/commandHandler';

/**
 * The body of a write response, built from the stream's state at the written version, so a
 * replayed idempotent request answers with exactly what the first one did.
 */
export function planWriteResult(result: CommandResult<UnionPlanState>) {
  const { state } = result;
  const withTotals = (contributions: readonly Contribution[]) =>
    contributions.map((contribution) => ({
      ...contribution,
      total: totalPersons(contribution.lines),
    }));
  const sum = (contributions: readonly Contribution[]) =>
    contributions.reduce((total, contribution) => total + totalPersons(contribution.lines), 0);
  const base = {
    version: result.version,
    position: result.position,
    status: state.status,
  };
  if (state.status === 'none') return base;
  return {
    ...base,
    ...state.plan,
    ...(state.status === 'pledging_open' &&
      state.deadline !== undefined && { pledgingDeadline: state.deadline }),
    ...((state.status === 'proposed' || state.status === 'adopted') && {
      proposal: {
        reference: state.proposal.reference,
        proposedOn: state.proposal.proposedOn,
        total: sum(state.proposal.contributions),
        contributions: withTotals(state.proposal.contributions),
      },
    }),
    ...(state.status === 'adopted' && {
      adoption: { ...state.adoption, total: sum(state.contributions) },
      adoptedContributions: withTotals(state.contributions),
    }),
  };
}

export function pledgeWriteResult(
  planId: string,
  memberState: string,
  result: CommandResult<PledgeState>,
) {
  const { state } = result;
  const lines = state.status === 'active' ? state.lines : [];
  return {
    planId,
    memberState,
    status: state.status,
    version: result.version,
    position: result.position,
    lines,
    total: totalPersons(lines),
  };
}
