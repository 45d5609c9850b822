import { DomainError, ViolationCollector } from '../shared/domainError';
import type { Command, Decider } from '../shared/messages';
import {
  compareByMemberState,
  planRegionIdSchema,
  sameLines,
  type Contribution,
} from '../shared/pledgeLine';
import { endOfDeadline, isIsoDate, isIsoInstant, yearOf } from '../shared/dates';
import { normaliseContributions, splitAssociatedStates } from '../shared/lineValidation';
import { findHostCountry, isUnhcrRegionId, UNHCR_REGION_IDS } from '../reference';
import type {
  PlanAdopted,
  PlanAmended,
  PlanProposed,
  PlanRegion,
  PledgingClosed,
  PledgingOpened,
  UnionPlanCreated,
  UnionPlanEvent,
} from './unionPlanEvents';

export * from './unionPlanEvents';

/**
 * Art. 8(3)(a): resettlement is "not less than approximately 60 %" of the plan's total. The figure
 * is the law's, the same for every plan; how wide "approximately" is, is the read side's choice.
 */
export const RESETTLEMENT_FLOOR_PERCENT = 60;
const PLAN_ID = /^[0-9]{4}-[0-9]{4}$/;
const MAX_REGION_NAME_LENGTH = 200;

// ---- State: a discriminated union on status, so a draft cannot hold an adoption ----

export interface PlanFacts {
  readonly planId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** Art. 8(3)(c): the third countries the plan names. */
  readonly priorityCountries: readonly string[];
  /** UNHCR bureau ids, a shorthand for all their countries. */
  readonly priorityRegions: readonly string[];
  /** The plan's own regions. */
  readonly regions: readonly PlanRegion[];
}

/** Member States' contributions and, beside them, the associated states' indications (Art. 12). */
export interface ContributionSet {
  readonly contributions: readonly Contribution[];
  readonly associatedStates: readonly Contribution[];
}

export interface ProposalRecord extends ContributionSet {
  readonly reference: string;
  readonly proposedOn: string;
}

export interface AdoptionRecord {
  readonly actReference: string;
  readonly adoptedOn: string;
}

export type UnionPlanState =
  | { readonly status: 'none' }
  | { readonly status: 'draft'; readonly plan: PlanFacts }
  | { readonly status: 'pledging_open'; readonly plan: PlanFacts; readonly deadline?: string }
  | { readonly status: 'pledging_closed'; readonly plan: PlanFacts }
  | { readonly status: 'proposed'; readonly plan: PlanFacts; readonly proposal: ProposalRecord }
  | {
      readonly status: 'adopted';
      readonly plan: PlanFacts;
      readonly proposal: ProposalRecord;
      readonly adoption: AdoptionRecord;
      /** The adopted contributions after every amendment, by Member State. */
      readonly contributions: readonly Contribution[];
      /** The associated states' indications recorded beside the plan, after every amendment. */
      readonly associatedStates: readonly Contribution[];
      /** The act date of the latest adoption or amendment: a later amendment cannot predate it. */
      readonly lastActOn: string;
    };

export type UnionPlanStatus = UnionPlanState['status'];

export const initialState = (): UnionPlanState => ({ status: 'none' });

export function evolve(state: UnionPlanState, event: UnionPlanEvent): UnionPlanState {
  switch (event.type) {
    case 'UnionPlanCreated': {
      if (state.status !== 'none') return state;
      const { planId, periodStart, periodEnd, priorityCountries, priorityRegions, regions } =
        event.data;
      return {
        status: 'draft',
        plan: { planId, periodStart, periodEnd, priorityCountries, priorityRegions, regions },
      };
    }
    // Facts out of their usual order (which decide never produces) leave the state unchanged.
    case 'PledgingOpened':
      if (state.status !== 'draft' && state.status !== 'pledging_closed') return state;
      return {
        status: 'pledging_open',
        plan: state.plan,
        ...(event.data.deadline !== undefined && { deadline: event.data.deadline }),
      };
    case 'PledgingClosed':
      if (state.status !== 'pledging_open') return state;
      return { status: 'pledging_closed', plan: state.plan };
    case 'PlanProposed': {
      if (state.status !== 'pledging_closed') return state;
      const { reference, proposedOn, contributions, associatedStates } = event.data;
      return {
        status: 'proposed',
        plan: state.plan,
        proposal: { reference, proposedOn, contributions, associatedStates },
      };
    }
    case 'PlanAdopted':
      if (state.status !== 'proposed') return state;
      return {
        status: 'adopted',
        plan: state.plan,
        proposal: state.proposal,
        adoption: { actReference: event.data.actReference, adoptedOn: event.data.adoptedOn },
        contributions: event.data.contributions,
        associatedStates: event.data.associatedStates,
        lastActOn: event.data.adoptedOn,
      };
    case 'PlanAmended': {
      if (state.status !== 'adopted') return state;
      const { contributions, associatedStates, adoptedOn } = event.data;
      return {
        ...state,
        plan: amendedPlanFacts(state.plan, event.data),
        contributions: replaceContributions(state.contributions, contributions),
        associatedStates: replaceContributions(state.associatedStates, associatedStates),
        lastActOn: adoptedOn,
      };
    }
  }
}

/** The plan's named countries and regions after an amendment adds to them (Art. 8(6)). */
export function amendedPlanFacts(plan: PlanFacts, amendment: PlanAmended['data']): PlanFacts {
  const regions = new Map(plan.regions.map((region) => [region.id, region]));
  for (const region of amendment.addRegions) regions.set(region.id, region);
  return {
    ...plan,
    priorityCountries: sortedUnion(plan.priorityCountries, amendment.addPriorityCountries),
    priorityRegions: sortedUnion(plan.priorityRegions, amendment.addPriorityRegions),
    regions: [...regions.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** An amendment's contributions replace those of the Member States it names; no lines = leaves the plan. */
export function replaceContributions(
  current: readonly Contribution[],
  replacements: readonly Contribution[],
): Contribution[] {
  const byMemberState = new Map(
    current.map((contribution) => [contribution.memberState, contribution]),
  );
  for (const replacement of replacements) {
    if (replacement.lines.length === 0) byMemberState.delete(replacement.memberState);
    else byMemberState.set(replacement.memberState, replacement);
  }
  return [...byMemberState.values()].sort(compareByMemberState);
}

function sortedUnion(current: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...current, ...added])].sort();
}

// ---- Commands ----

export type CreateUnionPlan = Command<
  'CreateUnionPlan',
  {
    readonly planId: string;
    readonly periodStart: string;
    readonly periodEnd: string;
    /** Accepted for compatibility, and only as the law's 60. */
    readonly resettlementFloorPercent?: number;
    readonly priorityCountries?: readonly string[];
    readonly priorityRegions?: readonly string[];
    readonly regions?: readonly PlanRegion[];
  }
>;

export type OpenPledging = Command<
  'OpenPledging',
  {
    readonly planId: string;
    readonly deadline?: string;
    /** ISO instant from the clock. */ readonly now: string;
  }
>;

export type ClosePledging = Command<'ClosePledging', { readonly planId: string }>;

export type RecordProposal = Command<
  'RecordProposal',
  {
    readonly planId: string;
    readonly reference: string;
    readonly proposedOn: string;
    /** Compiled by the application from every active pledge when the proposal is recorded. */
    readonly contributions: readonly Contribution[];
  }
>;

export type RecordAdoption = Command<
  'RecordAdoption',
  {
    readonly planId: string;
    readonly actReference: string;
    readonly adoptedOn: string;
    /** Omitted when the Council adopted the proposal's contributions unchanged. */
    readonly contributions?: readonly Contribution[];
  }
>;

export type RecordAmendment = Command<
  'RecordAmendment',
  {
    readonly planId: string;
    readonly actReference: string;
    readonly adoptedOn: string;
    readonly reason: string;
    readonly addPriorityCountries?: readonly string[];
    readonly addPriorityRegions?: readonly string[];
    readonly addRegions?: readonly PlanRegion[];
    readonly contributions?: readonly Contribution[];
  }
>;

export type UnionPlanCommand =
  | CreateUnionPlan
  | OpenPledging
  | ClosePledging
  | RecordProposal
  | RecordAdoption
  | RecordAmendment;

// ---- Decisions, one small function per command ----

function requireExisting(
  state: UnionPlanState,
  planId: string,
): Exclude<UnionPlanState, { status: 'none' }> {
  if (state.status === 'none') {
    throw new DomainError('plan_not_found', `There is no plan ${planId}`, { planId });
  }
  return state;
}

function invalidTransition(
  state: UnionPlanState,
  action: string,
  allowed: readonly UnionPlanStatus[],
): never {
  throw new DomainError(
    'invalid_transition',
    `Cannot ${action} while the plan is ${state.status.replace('_', ' ')}`,
    { status: state.status, allowedFrom: allowed },
  );
}

function requireReference(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    throw new DomainError('reference_required', `${field} must not be empty`, { field });
  }
  return trimmed;
}

function requireDate(value: string, field: string): void {
  if (!isIsoDate(value)) {
    throw new DomainError('invalid_act_date', `${field} must be a date (YYYY-MM-DD)`, {
      field,
      value,
    });
  }
}

/**
 * Known third countries, canonical, sorted, unique. Every unknown code is recorded under
 * `field.index`; the caller throws them together with the command's other violations.
 */
function canonicalCountries(
  codes: readonly string[],
  field: string,
  violations: ViolationCollector,
): string[] {
  const known = codes.map((code, index) => {
    const country = findHostCountry(code);
    if (!country) {
      violations.add(
        'unknown_host_country',
        `${code} is not a known host country`,
        `${field}.${index}`,
        { hostCountry: code },
      );
    }
    return country?.code;
  });
  return [...new Set(known.filter((code) => code !== undefined))].sort();
}

function canonicalRegions(
  ids: readonly string[],
  field: string,
  violations: ViolationCollector,
): string[] {
  ids.forEach((id, index) => {
    if (!isUnhcrRegionId(id)) {
      violations.add(
        'unknown_region',
        `${id} is not a UNHCR region id (valid: ${UNHCR_REGION_IDS.join(', ')})`,
        `${field}.${index}`,
        { region: id, validRegions: UNHCR_REGION_IDS },
      );
    }
  });
  return [...new Set(ids.filter(isUnhcrRegionId))].sort();
}

/** Plan regions: unique ids (also against `existing`), named, with known third countries. */
function canonicalPlanRegions(
  regions: readonly PlanRegion[],
  field: string,
  violations: ViolationCollector,
  existing: readonly PlanRegion[] = [],
): PlanRegion[] {
  const ids = new Set(existing.map((region) => region.id));
  const canonical = regions.map((region, index): PlanRegion | undefined => {
    const at = `${field}.${index}`;
    const before = violations.count;
    const invalid = (message: string, path: string) =>
      violations.add('invalid_plan_region', message, path, { planRegion: region.id });
    if (!planRegionIdSchema.safeParse(region.id).success) {
      invalid(
        `${region.id} is not a region id: lower-case letters, digits, _ or -, at most 60`,
        `${at}.id`,
      );
    } else if (ids.has(region.id)) {
      invalid(`The plan already has a region ${region.id}`, `${at}.id`);
    }
    ids.add(region.id);
    const name = region.name.trim();
    if (name.length === 0 || name.length > MAX_REGION_NAME_LENGTH) {
      invalid(
        `Region ${region.id} needs a name of 1 to ${MAX_REGION_NAME_LENGTH} characters`,
        `${at}.name`,
      );
    }
    const countries = canonicalCountries(region.countries, `${at}.countries`, violations);
    if (region.countries.length === 0) {
      invalid(`Region ${region.id} names no country`, `${at}.countries`);
    }
    return violations.count > before ? undefined : { id: region.id, name, countries };
  });
  return canonical
    .filter((region) => region !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function createUnionPlan(
  command: CreateUnionPlan,
  state: UnionPlanState,
): UnionPlanCreated[] {
  const { planId, periodStart, periodEnd } = command.data;
  if (state.status !== 'none') {
    throw new DomainError('plan_already_exists', `Plan ${planId} already exists`, { planId });
  }
  if (!PLAN_ID.test(planId)) {
    throw new DomainError('invalid_plan_period', 'A plan id names its two years, e.g. 2026-2027', {
      planId,
    });
  }
  if (!isIsoDate(periodStart) || !isIsoDate(periodEnd)) {
    throw new DomainError(
      'invalid_plan_period',
      'periodStart and periodEnd must be dates (YYYY-MM-DD)',
      {
        periodStart,
        periodEnd,
      },
    );
  }
  // Art. 8(1): the plan covers two years; we take them as two calendar years, as every plan has.
  const firstYear = yearOf(periodStart);
  const twoCalendarYears =
    periodStart === `${firstYear}-01-01` && periodEnd === `${firstYear + 1}-12-31`;
  if (!twoCalendarYears || planId !== `${firstYear}-${firstYear + 1}`) {
    throw new DomainError(
      'invalid_plan_period',
      `A plan covers two calendar years (Art. 8(1)): ${planId} runs from ${planId.slice(0, 4)}-01-01 to ${planId.slice(5)}-12-31`,
      { planId, periodStart, periodEnd },
    );
  }
  const floor = command.data.resettlementFloorPercent;
  if (floor !== undefined && floor !== RESETTLEMENT_FLOOR_PERCENT) {
    throw new DomainError(
      'invalid_resettlement_floor',
      `The resettlement floor is the law's: not less than approximately ${RESETTLEMENT_FLOOR_PERCENT} % of the plan's total (Art. 8(3)(a)); it is not set per plan`,
      { resettlementFloorPercent: floor, floorPercent: RESETTLEMENT_FLOOR_PERCENT },
    );
  }
  const violations = new ViolationCollector();
  const priorityCountries = canonicalCountries(
    command.data.priorityCountries ?? [],
    'priorityCountries',
    violations,
  );
  const priorityRegions = canonicalRegions(
    command.data.priorityRegions ?? [],
    'priorityRegions',
    violations,
  );
  const regions = canonicalPlanRegions(command.data.regions ?? [], 'regions', violations);
  violations.throwIfAny();
  return [
    {
      type: 'UnionPlanCreated',
      data: { planId, periodStart, periodEnd, priorityCountries, priorityRegions, regions },
    },
  ];
}

export function openPledging(command: OpenPledging, state: UnionPlanState): PledgingOpened[] {
  const existing = requireExisting(state, command.data.planId);
  const allowed: UnionPlanStatus[] = ['draft', 'pledging_closed'];
  if (!allowed.includes(existing.status)) invalidTransition(existing, 'open pledging', allowed);
  const { deadline, now, planId } = command.data;
  if (deadline !== undefined) {
    if (!isIsoDate(deadline) && !isIsoInstant(deadline)) {
      throw new DomainError('invalid_deadline', 'deadline must be a date or an ISO 8601 instant', {
        deadline,
      });
    }
    if (endOfDeadline(deadline) < Date.parse(now)) {
      throw new DomainError('invalid_deadline', 'The deadline has already passed', {
        deadline,
        now,
      });
    }
  }
  return [
    { type: 'PledgingOpened', data: { planId, ...(deadline !== undefined && { deadline }) } },
  ];
}

export function closePledging(command: ClosePledging, state: UnionPlanState): PledgingClosed[] {
  const existing = requireExisting(state, command.data.planId);
  if (existing.status !== 'pledging_open')
    invalidTransition(existing, 'close pledging', ['pledging_open']);
  return [{ type: 'PledgingClosed', data: { planId: command.data.planId } }];
}

export function recordProposal(command: RecordProposal, state: UnionPlanState): PlanProposed[] {
  const existing = requireExisting(state, command.data.planId);
  // Art. 8(1)-(2): the proposal is compiled from the indications once the round is closed.
  if (existing.status !== 'pledging_closed')
    invalidTransition(existing, 'record the proposal', ['pledging_closed']);
  requireDate(command.data.proposedOn, 'proposedOn');
  const { contributions, associatedStates } = splitAssociatedStates(
    normaliseContributions(command.data.contributions, existing.plan, { allowEmptyLines: false }),
  );
  if (contributions.length === 0) {
    throw new DomainError(
      'proposal_without_contributions',
      'No Member State has an active pledge to propose',
    );
  }
  return [
    {
      type: 'PlanProposed',
      data: {
        planId: command.data.planId,
        reference: requireReference(command.data.reference, 'reference'),
        proposedOn: command.data.proposedOn,
        contributions,
        associatedStates,
      },
    },
  ];
}

export function recordAdoption(command: RecordAdoption, state: UnionPlanState): PlanAdopted[] {
  const existing = requireExisting(state, command.data.planId);
  if (existing.status !== 'proposed')
    invalidTransition(existing, 'record the adoption', ['proposed']);
  const { adoptedOn } = command.data;
  requireDate(adoptedOn, 'adoptedOn');
  if (adoptedOn < existing.proposal.proposedOn) {
    throw new DomainError(
      'invalid_act_date',
      'The Council cannot adopt the plan before it was proposed',
      {
        adoptedOn,
        proposedOn: existing.proposal.proposedOn,
      },
    );
  }
  const given =
    command.data.contributions === undefined
      ? undefined
      : splitAssociatedStates(
          normaliseContributions(command.data.contributions, existing.plan, {
            allowEmptyLines: false,
          }),
        );
  const contributions = given?.contributions ?? existing.proposal.contributions;
  // The Council decides the Member States' contributions; associated states' indications stand
  // as proposed unless the body names them.
  const associatedStates =
    given !== undefined && given.associatedStates.length > 0
      ? given.associatedStates
      : existing.proposal.associatedStates;
  if (contributions.length === 0) {
    throw new DomainError(
      'proposal_without_contributions',
      'An adopted plan has at least one contribution',
    );
  }
  return [
    {
      type: 'PlanAdopted',
      data: {
        planId: command.data.planId,
        actReference: requireReference(command.data.actReference, 'actReference'),
        adoptedOn,
        contributions,
        associatedStates,
      },
    },
  ];
}

export function recordAmendment(command: RecordAmendment, state: UnionPlanState): PlanAmended[] {
  const existing = requireExisting(state, command.data.planId);
  if (existing.status !== 'adopted') invalidTransition(existing, 'amend the plan', ['adopted']);
  const { adoptedOn, planId } = command.data;
  requireDate(adoptedOn, 'adoptedOn');
  if (adoptedOn < existing.lastActOn) {
    throw new DomainError('invalid_act_date', 'An amendment cannot predate the act it amends', {
      adoptedOn,
      lastActOn: existing.lastActOn,
    });
  }
  const reason = command.data.reason.trim();
  if (reason.length === 0) {
    throw new DomainError('reason_required', 'An amendment states its reason (Art. 8(6))');
  }
  // Every country, region and contribution is checked; the refusal lists all that is wrong.
  const violations = new ViolationCollector();
  const addPriorityCountries = canonicalCountries(
    command.data.addPriorityCountries ?? [],
    'addPriorityCountries',
    violations,
  ).filter((code) => !existing.plan.priorityCountries.includes(code));
  const addPriorityRegions = canonicalRegions(
    command.data.addPriorityRegions ?? [],
    'addPriorityRegions',
    violations,
  ).filter((id) => !existing.plan.priorityRegions.includes(id));
  const addRegions = canonicalPlanRegions(
    command.data.addRegions ?? [],
    'addRegions',
    violations,
    existing.plan.regions,
  );
  // Lines may name a region the same amendment adds.
  const amendedPlan = { ...existing.plan, regions: [...existing.plan.regions, ...addRegions] };
  const current = new Map(
    [...existing.contributions, ...existing.associatedStates].map((c) => [c.memberState, c.lines]),
  );
  const given =
    violations.check(() =>
      normaliseContributions(command.data.contributions ?? [], amendedPlan, {
        allowEmptyLines: true,
      }),
    ) ?? [];
  violations.throwIfAny();
  const replacements = splitAssociatedStates(
    given.filter(
      (replacement) => !sameLines(current.get(replacement.memberState) ?? [], replacement.lines),
    ),
  );
  const { contributions, associatedStates } = replacements;
  const changes =
    addPriorityCountries.length +
    addPriorityRegions.length +
    addRegions.length +
    contributions.length +
    associatedStates.length;
  if (changes === 0) {
    throw new DomainError(
      'empty_amendment',
      'The amendment changes nothing: no new country or region, no changed contribution',
    );
  }
  // The invariant recordAdoption enforces holds after every amendment too.
  if (replaceContributions(existing.contributions, contributions).length === 0) {
    throw new DomainError(
      'proposal_without_contributions',
      'An adopted plan keeps at least one contribution; the amendment would remove them all',
    );
  }
  return [
    {
      type: 'PlanAmended',
      data: {
        planId,
        actReference: requireReference(command.data.actReference, 'actReference'),
        adoptedOn,
        reason,
        addPriorityCountries,
        addPriorityRegions,
        addRegions,
        contributions,
        associatedStates,
      },
    },
  ];
}

export function decide(command: UnionPlanCommand, state: UnionPlanState): UnionPlanEvent[] {
  switch (command.type) {
    case 'CreateUnionPlan':
      return createUnionPlan(command, state);
    case 'OpenPledging':
      return openPledging(command, state);
    case 'ClosePledging':
      return closePledging(command, state);
    case 'RecordProposal':
      return recordProposal(command, state);
    case 'RecordAdoption':
      return recordAdoption(command, state);
    case 'RecordAmendment':
      return recordAmendment(command, state);
  }
}

export const unionPlanDecider: Decider<UnionPlanState, UnionPlanCommand, UnionPlanEvent> = {
  decide,
  evolve,
  initialState,
};
