/**
 * Each plan's figures as the tracker computes them, from a plan read model folded offline: the
 * same `getTotals` and `getCompliance` that answer `GET /plans/{id}/totals` and `/compliance`,
 * for every view the plan has, for all participants. The verifier prints these so that an auditor
 * reads the figures of the log it has just checked, not the figures the server says it holds.
 */
import {
  CONTRIBUTION_VIEWS,
  getCompliance,
  getTotals,
  type Compliance,
  type ContributionView,
  type PlanReadModelState,
  type Totals,
} from '../projections/planReadModel';
import { ALL_PARTICIPANTS } from '../projections/readScope';

export interface ViewFigures {
  readonly view: ContributionView;
  readonly totals: Totals;
  readonly compliance: Compliance;
}

export interface PlanFigures {
  readonly planId: string;
  /** The plan's status, or null for pledges to a plan the log never created. */
  readonly status: string | null;
  /** Version of the plan's stream and position of its latest event. */
  readonly version: number | null;
  readonly position: number | null;
  /** The views the plan has: pledges always; the proposal and the adopted plan once recorded. */
  readonly views: readonly ViewFigures[];
}

export function planFigures(state: PlanReadModelState): PlanFigures[] {
  return [...state.plans.keys()].sort().map((planId) => {
    const plan = state.plans.get(planId)?.plan;
    const views = CONTRIBUTION_VIEWS.flatMap((view): ViewFigures[] => {
      const totals = getTotals(state, planId, view, ALL_PARTICIPANTS);
      const compliance = getCompliance(state, planId, view, ALL_PARTICIPANTS);
      return totals === undefined || compliance === undefined ? [] : [{ view, totals, compliance }];
    });
    return {
      planId,
      status: plan?.state.status ?? null,
      version: plan?.version ?? null,
      position: plan?.position ?? null,
      views,
    };
  });
}
