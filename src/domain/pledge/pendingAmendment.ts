/**
 * When a participant's change awaits an amendment (Art. 8(6)): one rule for the write's answer,
 * the read model's pledge view and compliance, and an amendment adopting pending changes.
 */
import { sameFigures, type PledgeLine } from '../shared/pledgeLine';
import type { UnionPlanState } from '../unionPlan/unionPlan';

/** The participant's contribution in the adopted plan after every amendment; none before adoption. */
export function adoptedLinesOf(plan: UnionPlanState, memberState: string): readonly PledgeLine[] {
  if (plan.status !== 'adopted') return [];
  const all = [...plan.contributions, ...plan.associatedStates];
  return all.find((contribution) => contribution.memberState === memberState)?.lines ?? [];
}

/**
 * A change the participant recorded after adoption that the adopted plan does not reflect yet:
 * only a Council amendment brings it in. A pledge last changed before adoption is never pending,
 * even where the Council adopted less: the adoption settled it. `currentLines` are the pledge's
 * lines as they stand (none once withdrawn).
 */
export function awaitsAmendment(
  plan: UnionPlanState,
  memberState: string,
  currentLines: readonly PledgeLine[],
  changedAfterAdoption: boolean,
): boolean {
  if (plan.status !== 'adopted' || !changedAfterAdoption) return false;
  return !sameFigures(currentLines, adoptedLinesOf(plan, memberState));
}
