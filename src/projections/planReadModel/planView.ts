/**
 * The plan's one response shape, whether it answers a write or a read, built from a `PlanRecord`
 * for a read scope: before adoption a Member State sees its own share of the proposal only.
 */
import {
  contributionsTotal,
  totalPersons,
  type Contribution,
} from '../../domain/shared/pledgeLine';
import {
  RESETTLEMENT_FLOOR_PERCENT,
  type PlanRegion,
  type UnionPlanStatus,
} from '../../domain/unionPlan/unionPlan';
import { withinScope, type ReadScope } from '../readScope';
import type { AmendmentRecord, PlanReadModelState, PlanRecord } from './model';

export type ContributionWithTotal = Contribution & { readonly total: number };

export interface PlanView {
  readonly planId: string;
  readonly status: Exclude<UnionPlanStatus, 'none'>;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** The law's floor (Art. 8(3)(a)), the same for every plan. */
  readonly resettlementFloorPercent: number;
  readonly priorityCountries: readonly string[];
  readonly priorityRegions: readonly string[];
  readonly regions: readonly PlanRegion[];
  readonly pledgingDeadline?: string;
  readonly proposal?: {
    readonly reference: string;
    readonly proposedOn: string;
    /** Absent when the caller may not see the whole proposal (a Member State before adoption). */
    readonly total?: number;
    readonly contributions: ContributionWithTotal[];
    readonly associatedStates: ContributionWithTotal[];
    readonly position: number;
    readonly recordedAt: string;
  };
  readonly adoption?: {
    readonly actReference: string;
    readonly adoptedOn: string;
    /** As the Council adopted the plan, before amendments. */
    readonly total: number;
    readonly contributions: ContributionWithTotal[];
    readonly associatedStates: ContributionWithTotal[];
    readonly position: number;
    readonly recordedAt: string;
  };
  readonly amendments: readonly AmendmentRecord[];
  /** After amendments; present once adopted. */
  readonly adoptedContributions?: ContributionWithTotal[];
  readonly adoptedTotal?: number;
  /** The associated states' indications recorded beside the adopted plan (Art. 12). */
  readonly associatedStates?: ContributionWithTotal[];
  readonly version: number;
  /** Log position of the plan's latest event. */
  readonly position: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function withTotals(contributions: readonly Contribution[]): ContributionWithTotal[] {
  return contributions.map((contribution) => ({
    ...contribution,
    total: totalPersons(contribution.lines),
  }));
}

export function toPlanView(record: PlanRecord, scope: ReadScope): PlanView {
  const { state } = record;
  const proposal =
    state.status === 'proposed' || state.status === 'adopted' ? state.proposal : undefined;
  return {
    planId: record.planId,
    status: state.status,
    periodStart: state.plan.periodStart,
    periodEnd: state.plan.periodEnd,
    resettlementFloorPercent: RESETTLEMENT_FLOOR_PERCENT,
    priorityCountries: state.plan.priorityCountries,
    priorityRegions: state.plan.priorityRegions,
    regions: state.plan.regions,
    ...(state.status === 'pledging_open' &&
      state.deadline !== undefined && { pledgingDeadline: state.deadline }),
    ...(proposal !== undefined &&
      record.proposal !== undefined && {
        proposal: {
          reference: proposal.reference,
          proposedOn: proposal.proposedOn,
          // The proposal's total would reveal the others' indications to a Member State.
          ...(scope.kind === 'all' && { total: contributionsTotal(proposal.contributions) }),
          contributions: withTotals(withinScope(scope, proposal.contributions)),
          associatedStates: withTotals(withinScope(scope, proposal.associatedStates)),
          position: record.proposal.position,
          recordedAt: record.proposal.recordedAt,
        },
      }),
    ...(state.status === 'adopted' &&
      record.adoption !== undefined && {
        // A Council act: every participant sees it whole.
        adoption: {
          actReference: state.adoption.actReference,
          adoptedOn: state.adoption.adoptedOn,
          total: contributionsTotal(record.adoption.contributions),
          contributions: withTotals(record.adoption.contributions),
          associatedStates: withTotals(record.adoption.associatedStates),
          position: record.adoption.position,
          recordedAt: record.adoption.recordedAt,
        },
        adoptedContributions: withTotals(state.contributions),
        adoptedTotal: contributionsTotal(state.contributions),
        associatedStates: withTotals(state.associatedStates),
      }),
    amendments: record.amendments,
    version: record.version,
    position: record.position,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function getPlan(
  state: PlanReadModelState,
  planId: string,
  scope: ReadScope,
): PlanView | undefined {
  const record = state.plans.get(planId)?.plan;
  return record === undefined ? undefined : toPlanView(record, scope);
}

/** Every plan, by plan id, as the scope allows. */
export function listPlans(state: PlanReadModelState, scope: ReadScope): PlanView[] {
  const plans: PlanView[] = [];
  for (const planId of [...state.plans.keys()].sort()) {
    const record = state.plans.get(planId)?.plan;
    if (record !== undefined) plans.push(toPlanView(record, scope));
  }
  return plans;
}
