/**
 * The central read model: each plan's facts and its pledges, folded from the plan and pledge
 * streams. The query functions beside it return plain JSON-ready objects.
 */
import type { GlobalPosition, RecordedEvent } from '../eventStore/port';
import {
  lineKey,
  totalPersons,
  type AdmissionType,
  type Contribution,
  type PledgeLine,
} from '../domain/shared/pledgeLine';
import {
  contributionsOf,
  fieldsOf,
  linesOf,
  NO_LINES,
  numberField,
  recordedAtOf,
  stringField,
  stringListField,
  type Fields,
} from './eventFields';
import type { Projection } from './projection';

export type PlanStatus = 'draft' | 'pledging_open' | 'pledging_closed' | 'proposed' | 'adopted';
export type PledgeStatus = 'active' | 'withdrawn';

export const CONTRIBUTION_VIEWS = ['pledges', 'proposal', 'adopted'] as const;
/** Which set of contributions a figure is computed from. */
export type ContributionView = (typeof CONTRIBUTION_VIEWS)[number];

export interface ProposalRecord {
  readonly reference: string;
  readonly proposedOn: string;
  readonly contributions: readonly Contribution[];
  readonly position: GlobalPosition;
  readonly recordedAt: string;
}

export interface AdoptionRecord {
  readonly actReference: string;
  readonly adoptedOn: string;
  /** As the Council adopted them, before any amendment. */
  readonly contributions: readonly Contribution[];
  readonly position: GlobalPosition;
  readonly recordedAt: string;
}

export interface AmendmentRecord {
  readonly actReference: string;
  readonly adoptedOn: string;
  readonly reason: string;
  readonly addPriorityCountries: readonly string[];
  readonly addPriorityRegions: readonly string[];
  /** The Member States whose contribution the amendment replaced or removed. */
  readonly memberStates: readonly string[];
  readonly position: GlobalPosition;
  readonly recordedAt: string;
}

export interface PlanRecord {
  readonly planId: string;
  status: PlanStatus;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly resettlementFloorPercent: number;
  priorityCountries: readonly string[];
  priorityRegions: readonly string[];
  pledgingDeadline: string | undefined;
  proposal: ProposalRecord | undefined;
  adoption: AdoptionRecord | undefined;
  readonly amendments: AmendmentRecord[];
  /** The adopted plan's contributions after amendments, by Member State. */
  readonly adoptedContributions: Map<string, readonly PledgeLine[]>;
  /** Version of the plan stream. */
  version: number;
  readonly createdAt: string;
  updatedAt: string;
}

export interface PledgeRecord {
  readonly planId: string;
  readonly memberState: string;
  status: PledgeStatus;
  /** None once withdrawn. */
  lines: readonly PledgeLine[];
  /** Version of the pledge stream: the ETag. */
  version: number;
  submittedAt: string;
  updatedAt: string;
  lastReason: string | undefined;
  /** Whether the last change came after the plan's adoption. */
  afterAdoption: boolean;
  lastPosition: GlobalPosition;
}

export interface PlanEntry {
  /** Undefined only if pledge events arrived for a plan never created (which the domain prevents). */
  plan: PlanRecord | undefined;
  readonly pledges: Map<string, PledgeRecord>;
}

export interface PlanReadModelState {
  /** Position of the last event folded; events at or below it are skipped. */
  position: GlobalPosition;
  readonly plans: Map<string, PlanEntry>;
}

function entryFor(state: PlanReadModelState, planId: string): PlanEntry {
  let entry = state.plans.get(planId);
  if (entry === undefined) {
    entry = { plan: undefined, pledges: new Map() };
    state.plans.set(planId, entry);
  }
  return entry;
}

function sortedUnion(existing: readonly string[], added: readonly string[]): readonly string[] {
  return [...new Set([...existing, ...added])].sort();
}

function applyPlanCreated(state: PlanReadModelState, data: Fields, event: RecordedEvent): void {
  const planId = stringField(data, 'planId');
  if (planId === undefined) return;
  const entry = entryFor(state, planId);
  if (entry.plan !== undefined) return;
  const recordedAt = recordedAtOf(event);
  entry.plan = {
    planId,
    status: 'draft',
    periodStart: stringField(data, 'periodStart') ?? '',
    periodEnd: stringField(data, 'periodEnd') ?? '',
    resettlementFloorPercent: numberField(data, 'resettlementFloorPercent') ?? 0,
    priorityCountries: sortedUnion([], stringListField(data, 'priorityCountries')),
    priorityRegions: sortedUnion([], stringListField(data, 'priorityRegions')),
    pledgingDeadline: undefined,
    proposal: undefined,
    adoption: undefined,
    amendments: [],
    adoptedContributions: new Map(),
    version: event.streamVersion,
    createdAt: recordedAt,
    updatedAt: recordedAt,
  };
}

function applyPlanChange(plan: PlanRecord, data: Fields, event: RecordedEvent): void {
  const recordedAt = recordedAtOf(event);
  const position = event.globalPosition;
  switch (event.type) {
    case 'PledgingOpened':
      plan.status = 'pledging_open';
      plan.pledgingDeadline = stringField(data, 'deadline');
      break;
    case 'PledgingClosed':
      plan.status = 'pledging_closed';
      break;
    case 'PlanProposed':
      plan.status = 'proposed';
      plan.proposal = {
        reference: stringField(data, 'reference') ?? '',
        proposedOn: stringField(data, 'proposedOn') ?? '',
        contributions: contributionsOf(data['contributions']),
        position,
        recordedAt,
      };
      break;
    case 'PlanAdopted': {
      const contributions = contributionsOf(data['contributions']);
      plan.status = 'adopted';
      plan.adoption = {
        actReference: stringField(data, 'actReference') ?? '',
        adoptedOn: stringField(data, 'adoptedOn') ?? '',
        contributions,
        position,
        recordedAt,
      };
      plan.adoptedContributions.clear();
      for (const contribution of contributions) {
        if (contribution.lines.length > 0) {
          plan.adoptedContributions.set(contribution.memberState, contribution.lines);
        }
      }
      break;
    }
    case 'PlanAmended': {
      const contributions = contributionsOf(data['contributions']);
      const addPriorityCountries = stringListField(data, 'addPriorityCountries');
      const addPriorityRegions = stringListField(data, 'addPriorityRegions');
      for (const contribution of contributions) {
        if (contribution.lines.length === 0) {
          plan.adoptedContributions.delete(contribution.memberState);
        } else {
          plan.adoptedContributions.set(contribution.memberState, contribution.lines);
        }
      }
      plan.priorityCountries = sortedUnion(plan.priorityCountries, addPriorityCountries);
      plan.priorityRegions = sortedUnion(plan.priorityRegions, addPriorityRegions);
      plan.amendments.push({
        actReference: stringField(data, 'actReference') ?? '',
        adoptedOn: stringField(data, 'adoptedOn') ?? '',
        reason: stringField(data, 'reason') ?? '',
        addPriorityCountries,
        addPriorityRegions,
        memberStates: contributions.map((contribution) => contribution.memberState),
        position,
        recordedAt,
      });
      break;
    }
    default:
      return;
  }
  plan.version = event.streamVersion;
  plan.updatedAt = recordedAt;
}

function applyPledgeChange(state: PlanReadModelState, data: Fields, event: RecordedEvent): void {
  const planId = stringField(data, 'planId');
  const memberState = stringField(data, 'memberState');
  if (planId === undefined || memberState === undefined) return;
  const recordedAt = recordedAtOf(event);
  const pledges = entryFor(state, planId).pledges;
  let pledge = pledges.get(memberState);
  if (pledge === undefined) {
    pledge = {
      planId,
      memberState,
      status: 'active',
      lines: NO_LINES,
      version: 0,
      submittedAt: recordedAt,
      updatedAt: recordedAt,
      lastReason: undefined,
      afterAdoption: false,
      lastPosition: 0,
    };
    pledges.set(memberState, pledge);
  }
  switch (event.type) {
    case 'PledgeSubmitted':
      pledge.status = 'active';
      pledge.lines = linesOf(data['lines']);
      pledge.submittedAt = recordedAt;
      pledge.lastReason = stringField(event.metadata, 'reason');
      break;
    case 'PledgeRevised':
      pledge.status = 'active';
      pledge.lines = linesOf(data['lines']);
      pledge.lastReason = stringField(data, 'reason');
      break;
    case 'PledgeWithdrawn':
      pledge.status = 'withdrawn';
      pledge.lines = NO_LINES;
      pledge.lastReason = stringField(data, 'reason');
      break;
  }
  pledge.version = event.streamVersion;
  pledge.updatedAt = recordedAt;
  pledge.afterAdoption = data['afterAdoption'] === true;
  pledge.lastPosition = event.globalPosition;
}

export const planReadModel: Projection<PlanReadModelState> = {
  name: 'planReadModel',
  initialState: () => ({ position: 0, plans: new Map() }),
  apply(state, event) {
    if (event.globalPosition <= state.position) return state;
    state.position = event.globalPosition;
    const data = fieldsOf(event.data);
    switch (event.type) {
      case 'UnionPlanCreated':
        applyPlanCreated(state, data, event);
        break;
      case 'PledgingOpened':
      case 'PledgingClosed':
      case 'PlanProposed':
      case 'PlanAdopted':
      case 'PlanAmended': {
        const planId = stringField(data, 'planId');
        const plan = planId === undefined ? undefined : state.plans.get(planId)?.plan;
        if (plan !== undefined) applyPlanChange(plan, data, event);
        break;
      }
      case 'PledgeSubmitted':
      case 'PledgeRevised':
      case 'PledgeWithdrawn':
        applyPledgeChange(state, data, event);
        break;
    }
    return state;
  },
};

// ---- shared helpers for the queries here and in totals / compliance ----

export type AdmissionTypeCounts = Record<AdmissionType, number>;

export function zeroAdmissionTypeCounts(): AdmissionTypeCounts {
  return { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0 };
}

export function countByAdmissionType(lines: readonly PledgeLine[]): AdmissionTypeCounts {
  const counts = zeroAdmissionTypeCounts();
  for (const line of lines) counts[line.admissionType] += line.persons;
  return counts;
}

/** The lines a pledge currently counts with: none once withdrawn. */
export function currentLines(pledge: PledgeRecord | undefined): readonly PledgeLine[] {
  return pledge === undefined || pledge.status === 'withdrawn' ? NO_LINES : pledge.lines;
}

/** Same lines as multisets of (lineKey, persons): order, target groups and notes do not count. */
/**
 * Same figures: the same lines by admission type, host country, year, basis and persons, in any
 * order. Notes and target groups are left out on purpose: a pledge whose figures match the adopted
 * contribution needs no amendment. (The domain's no-op check compares every field instead.)
 */
export function sameLineMultiset(a: readonly PledgeLine[], b: readonly PledgeLine[]): boolean {
  if (a.length !== b.length) return false;
  const counts = new Map<string, number>();
  for (const line of a) {
    const key = `${lineKey(line)}#${line.persons}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const line of b) {
    const key = `${lineKey(line)}#${line.persons}`;
    const count = counts.get(key);
    if (count === undefined || count === 0) return false;
    counts.set(key, count - 1);
  }
  return true;
}

export function findPlan(state: PlanReadModelState, planId: string): PlanRecord | undefined {
  return state.plans.get(planId)?.plan;
}

function byMemberState(a: { memberState: string }, b: { memberState: string }): number {
  return a.memberState < b.memberState ? -1 : a.memberState > b.memberState ? 1 : 0;
}

function adoptedContributionList(plan: PlanRecord): Contribution[] {
  return [...plan.adoptedContributions]
    .map(([memberState, lines]) => ({ memberState, lines }))
    .sort(byMemberState);
}

// ---- queries ----

export interface PlanView {
  readonly planId: string;
  readonly status: PlanStatus;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly resettlementFloorPercent: number;
  readonly priorityCountries: string[];
  readonly priorityRegions: string[];
  readonly pledgingDeadline?: string;
  readonly proposal?: ProposalRecord & { readonly total: number };
  readonly adoption?: AdoptionRecord & { readonly total: number };
  readonly amendments: AmendmentRecord[];
  /** After amendments; present once adopted. */
  readonly adoptedContributions?: Contribution[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function contributionsTotal(contributions: readonly Contribution[]): number {
  let total = 0;
  for (const contribution of contributions) total += totalPersons(contribution.lines);
  return total;
}

export function getPlan(state: PlanReadModelState, planId: string): PlanView | undefined {
  const plan = findPlan(state, planId);
  if (plan === undefined) return undefined;
  return {
    planId: plan.planId,
    status: plan.status,
    periodStart: plan.periodStart,
    periodEnd: plan.periodEnd,
    resettlementFloorPercent: plan.resettlementFloorPercent,
    priorityCountries: [...plan.priorityCountries],
    priorityRegions: [...plan.priorityRegions],
    ...(plan.pledgingDeadline === undefined ? {} : { pledgingDeadline: plan.pledgingDeadline }),
    ...(plan.proposal === undefined
      ? {}
      : { proposal: { ...plan.proposal, total: contributionsTotal(plan.proposal.contributions) } }),
    ...(plan.adoption === undefined
      ? {}
      : { adoption: { ...plan.adoption, total: contributionsTotal(plan.adoption.contributions) } }),
    amendments: plan.amendments.map((amendment) => ({ ...amendment })),
    ...(plan.adoption === undefined ? {} : { adoptedContributions: adoptedContributionList(plan) }),
    version: plan.version,
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
  };
}

/** Every plan, by plan id. */
export function listPlans(state: PlanReadModelState): PlanView[] {
  const plans: PlanView[] = [];
  for (const planId of [...state.plans.keys()].sort()) {
    const plan = getPlan(state, planId);
    if (plan !== undefined) plans.push(plan);
  }
  return plans;
}

export interface PledgeView {
  readonly planId: string;
  readonly memberState: string;
  readonly status: PledgeStatus;
  readonly version: number;
  readonly lines: readonly PledgeLine[];
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly afterAdoption: boolean;
  /** The plan is adopted and these lines differ from the adopted contribution. */
  readonly pendingAmendment: boolean;
  readonly lastReason?: string;
  readonly submittedAt: string;
  readonly updatedAt: string;
}

/**
 * A change the Member State made after adoption that the plan does not reflect yet: only an
 * amendment (Art. 8(6)) brings it in. A pledge last changed before adoption is not pending even
 * where the Council adopted less: the adoption settled it.
 */
export function isPendingAmendment(plan: PlanRecord, pledge: PledgeRecord): boolean {
  if (plan.adoption === undefined || !pledge.afterAdoption) return false;
  const adopted = plan.adoptedContributions.get(pledge.memberState) ?? NO_LINES;
  return !sameLineMultiset(currentLines(pledge), adopted);
}

function toPledgeView(plan: PlanRecord, pledge: PledgeRecord): PledgeView {
  const lines = currentLines(pledge);
  return {
    planId: pledge.planId,
    memberState: pledge.memberState,
    status: pledge.status,
    version: pledge.version,
    lines,
    total: totalPersons(lines),
    byAdmissionType: countByAdmissionType(lines),
    afterAdoption: pledge.afterAdoption,
    pendingAmendment: isPendingAmendment(plan, pledge),
    ...(pledge.lastReason === undefined ? {} : { lastReason: pledge.lastReason }),
    submittedAt: pledge.submittedAt,
    updatedAt: pledge.updatedAt,
  };
}

/** Every pledge of the plan (withdrawn ones included), by Member State; undefined when no such plan. */
export function listPledges(state: PlanReadModelState, planId: string): PledgeView[] | undefined {
  const entry = state.plans.get(planId);
  const plan = entry?.plan;
  if (entry === undefined || plan === undefined) return undefined;
  return [...entry.pledges.values()]
    .sort(byMemberState)
    .map((pledge) => toPledgeView(plan, pledge));
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

/**
 * The contributions behind a view: `pledges` every active pledge's lines, `proposal` the frozen
 * proposal, `adopted` the adopted plan after amendments. Undefined when the plan or the view does
 * not exist yet. Sorted by Member State.
 */
export function contributionsForView(
  state: PlanReadModelState,
  planId: string,
  view: ContributionView,
): readonly Contribution[] | undefined {
  const entry = state.plans.get(planId);
  const plan = entry?.plan;
  if (entry === undefined || plan === undefined) return undefined;
  switch (view) {
    case 'pledges': {
      const contributions: Contribution[] = [];
      for (const pledge of entry.pledges.values()) {
        const lines = currentLines(pledge);
        if (lines.length > 0) contributions.push({ memberState: pledge.memberState, lines });
      }
      return contributions.sort(byMemberState);
    }
    case 'proposal':
      return plan.proposal?.contributions;
    case 'adopted':
      return plan.adoption === undefined ? undefined : adoptedContributionList(plan);
    default:
      return undefined;
  }
}
