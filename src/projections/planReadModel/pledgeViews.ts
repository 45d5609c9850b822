/** Pledges as a participant (its own) or the Commission and auditors (all) see them. */
import { isAssociatedState } from '../../domain/reference';
import {
  countByAdmissionType,
  totalPersons,
  type AdmissionTypeCounts,
  type PledgeLine,
} from '../../domain/shared/pledgeLine';
import { isAfterAdoption, type PledgePlanStatus } from '../../domain/pledge/pledge';
import type { ReadScope } from '../readScope';
import { isPendingAmendment, pledgesInScope } from './contributions';
import { currentLines, type PlanReadModelState, type PlanRecord, type PledgeRecord } from './model';

export interface PledgeView {
  readonly planId: string;
  readonly memberState: string;
  /** `member_state`, or `associated_state` (Art. 12: outside the plan's figures). */
  readonly participantKind: 'member_state' | 'associated_state';
  readonly status: 'active' | 'withdrawn';
  readonly version: number;
  readonly lines: readonly PledgeLine[];
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  /** The plan's status when the last change was recorded. */
  readonly planStatusAtLastChange: PledgePlanStatus;
  readonly afterAdoption: boolean;
  /** The plan is adopted and this change differs from the adopted contribution. */
  readonly pendingAmendment: boolean;
  readonly lastReason?: string;
  readonly submittedAt: string;
  readonly updatedAt: string;
}

function toPledgeView(plan: PlanRecord, pledge: PledgeRecord): PledgeView {
  const lines = currentLines(pledge);
  return {
    planId: pledge.planId,
    memberState: pledge.memberState,
    participantKind: isAssociatedState(pledge.memberState) ? 'associated_state' : 'member_state',
    status: pledge.state.status === 'withdrawn' ? 'withdrawn' : 'active',
    version: pledge.version,
    lines,
    total: totalPersons(lines),
    byAdmissionType: countByAdmissionType(lines),
    planStatusAtLastChange: pledge.planStatus,
    afterAdoption: isAfterAdoption(pledge.planStatus),
    pendingAmendment: isPendingAmendment(plan, pledge),
    ...(pledge.lastReason === undefined ? {} : { lastReason: pledge.lastReason }),
    submittedAt: pledge.submittedAt,
    updatedAt: pledge.updatedAt,
  };
}

export interface PledgeList {
  /** Member States' pledges (withdrawn ones included). */
  readonly pledges: PledgeView[];
  /** Associated states' indications, in their own section. */
  readonly associatedStates: PledgeView[];
}

/** Undefined when there is no such plan. */
export function listPledges(
  state: PlanReadModelState,
  planId: string,
  scope: ReadScope,
): PledgeList | undefined {
  const entry = state.plans.get(planId);
  const plan = entry?.plan;
  if (entry === undefined || plan === undefined) return undefined;
  const views = pledgesInScope(entry, scope).map((pledge) => toPledgeView(plan, pledge));
  return {
    pledges: views.filter((view) => view.participantKind === 'member_state'),
    associatedStates: views.filter((view) => view.participantKind === 'associated_state'),
  };
}

export function getPledge(
  state: PlanReadModelState,
  planId: string,
  memberState: string,
): PledgeView | undefined {
  const entry = state.plans.get(planId);
  const pledge = entry?.pledges.get(memberState);
  if (entry?.plan === undefined || pledge === undefined) return undefined;
  return toPledgeView(entry.plan, pledge);
}
