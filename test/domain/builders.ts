/**
 * Builders with defaults for the deciders' commands and events, and a Given / When / Then helper.
 * Defaults describe the 2026-2027 cycle; figures per Member State are illustrative (the annex of
 * Council Implementing Decision (EU) 2025/2628 is not public in our sources).
 */
import { DomainError, type DomainErrorCode } from '../../src/domain/shared/domainError';
import type { Decider } from '../../src/domain/shared/messages';
import type { Contribution, PledgeLine } from '../../src/domain/shared/pledgeLine';
import {
  unionPlanDecider,
  type ClosePledging,
  type CreateUnionPlan,
  type OpenPledging,
  type PlanAdopted,
  type PlanAmended,
  type PlanProposed,
  type PledgingClosed,
  type PledgingOpened,
  type RecordAdoption,
  type RecordAmendment,
  type RecordProposal,
  type UnionPlanCreated,
  type UnionPlanEvent,
  type UnionPlanState,
  type UnionPlanStatus,
} from '../../src/domain/unionPlan/unionPlan';
import {
  pledgeDecider,
  type PledgeEvent,
  type PledgeRevised,
  type PledgeState,
  type PledgeSubmitted,
  type PledgeWithdrawn,
  type PledgingContext,
  type RevisePledge,
  type SubmitPledge,
  type WithdrawPledge,
} from '../../src/domain/pledge/pledge';

export const PLAN_ID = '2026-2027';
export const PERIOD_START = '2026-01-01';
export const PERIOD_END = '2027-12-31';
/** The default pledging deadline, given as a date: it runs to 23:59:59.999Z that day. */
export const DEADLINE = '2025-10-31';
/** A clock reading inside the default pledging round. */
export const NOW = '2025-09-15T09:30:00.000Z';
export const PROPOSED_ON = '2025-11-11';
export const ADOPTED_ON = '2025-12-18';

type Data<T extends { readonly data: unknown }> = T['data'];

// ---- Lines and contributions ----

/** Spreads overrides and drops fields set to `undefined`, as the deciders never store them. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function aLine(overrides: Partial<PledgeLine> = {}): PledgeLine {
  return withoutUndefined({
    admissionType: 'resettlement',
    hostCountry: 'TR',
    persons: 100,
    ...overrides,
  });
}

/** An emergency line: no host country (Art. 8(5)), resettlement underneath by default. */
export function anEmergencyLine(overrides: Partial<PledgeLine> = {}): PledgeLine {
  return withoutUndefined({
    admissionType: 'emergency_admission',
    emergencyBasis: 'resettlement',
    persons: 20,
    ...overrides,
  });
}

export function aContribution(
  memberState: string,
  lines: readonly PledgeLine[] = [aLine()],
): Contribution {
  return { memberState, lines };
}

/** Two Member States, already canonical and sorted, as the decider stores them. */
export const DEFAULT_CONTRIBUTIONS: readonly Contribution[] = [
  aContribution('DE', [aLine({ persons: 500 })]),
  aContribution('FR', [aLine({ hostCountry: 'LB', persons: 300 })]),
];

// ---- Union plan events ----

export function aPlanCreated(overrides: Partial<Data<UnionPlanCreated>> = {}): UnionPlanCreated {
  return {
    type: 'UnionPlanCreated',
    data: {
      planId: PLAN_ID,
      periodStart: PERIOD_START,
      periodEnd: PERIOD_END,
      priorityCountries: ['EG', 'JO', 'LB', 'NE', 'SD', 'TD', 'TR'],
      priorityRegions: ['americas'],
      regions: [],
      ...overrides,
    },
  };
}

export function aPledgingOpened(overrides: Partial<Data<PledgingOpened>> = {}): PledgingOpened {
  return {
    type: 'PledgingOpened',
    data: withoutUndefined({ planId: PLAN_ID, deadline: DEADLINE, ...overrides }),
  };
}

export function aPledgingClosed(): PledgingClosed {
  return { type: 'PledgingClosed', data: { planId: PLAN_ID } };
}

export function aPlanProposed(overrides: Partial<Data<PlanProposed>> = {}): PlanProposed {
  return {
    type: 'PlanProposed',
    data: {
      planId: PLAN_ID,
      reference: 'COM(2025) proposal for the 2026-2027 Union Plan',
      proposedOn: PROPOSED_ON,
      contributions: DEFAULT_CONTRIBUTIONS,
      associatedStates: [],
      ...overrides,
    },
  };
}

export function aPlanAdopted(overrides: Partial<Data<PlanAdopted>> = {}): PlanAdopted {
  return {
    type: 'PlanAdopted',
    data: {
      planId: PLAN_ID,
      actReference: 'Council Implementing Decision (EU) 2025/2628',
      adoptedOn: ADOPTED_ON,
      contributions: DEFAULT_CONTRIBUTIONS,
      associatedStates: [],
      ...overrides,
    },
  };
}

export function aPlanAmended(overrides: Partial<Data<PlanAmended>> = {}): PlanAmended {
  return {
    type: 'PlanAmended',
    data: {
      planId: PLAN_ID,
      actReference: 'Council Implementing Decision amending 2025/2628',
      adoptedOn: '2026-06-15',
      reason: 'Unforeseen crisis: add Ethiopia',
      addPriorityCountries: [],
      addPriorityRegions: [],
      addRegions: [],
      contributions: [],
      associatedStates: [],
      ...overrides,
    },
  };
}

export type PlanStage = Exclude<UnionPlanStatus, 'none'>;

const STAGES: readonly PlanStage[] = [
  'draft',
  'pledging_open',
  'pledging_closed',
  'proposed',
  'adopted',
];

/** The events a plan records to reach a status, in the order the deciders allow. */
export function planEventsAt(status: UnionPlanStatus): UnionPlanEvent[] {
  const all: UnionPlanEvent[] = [
    aPlanCreated(),
    aPledgingOpened(),
    aPledgingClosed(),
    aPlanProposed(),
    aPlanAdopted(),
  ];
  return status === 'none' ? [] : all.slice(0, STAGES.indexOf(status) + 1);
}

export function foldPlan(events: readonly UnionPlanEvent[]): UnionPlanState {
  return events.reduce(unionPlanDecider.evolve, unionPlanDecider.initialState());
}

export function planStateAt(status: UnionPlanStatus): UnionPlanState {
  return foldPlan(planEventsAt(status));
}

// ---- Union plan commands ----

export function createPlan(overrides: Partial<Data<CreateUnionPlan>> = {}): CreateUnionPlan {
  return {
    type: 'CreateUnionPlan',
    data: { planId: PLAN_ID, periodStart: PERIOD_START, periodEnd: PERIOD_END, ...overrides },
  };
}

export function openPledging(overrides: Partial<Data<OpenPledging>> = {}): OpenPledging {
  return { type: 'OpenPledging', data: { planId: PLAN_ID, now: NOW, ...overrides } };
}

export function closePledging(): ClosePledging {
  return { type: 'ClosePledging', data: { planId: PLAN_ID } };
}

export function recordProposal(overrides: Partial<Data<RecordProposal>> = {}): RecordProposal {
  return {
    type: 'RecordProposal',
    data: {
      planId: PLAN_ID,
      reference: 'COM(2025) proposal for the 2026-2027 Union Plan',
      proposedOn: PROPOSED_ON,
      contributions: DEFAULT_CONTRIBUTIONS,
      ...overrides,
    },
  };
}

export function recordAdoption(overrides: Partial<Data<RecordAdoption>> = {}): RecordAdoption {
  return {
    type: 'RecordAdoption',
    data: {
      planId: PLAN_ID,
      actReference: 'Council Implementing Decision (EU) 2025/2628',
      adoptedOn: ADOPTED_ON,
      ...overrides,
    },
  };
}

export function recordAmendment(overrides: Partial<Data<RecordAmendment>> = {}): RecordAmendment {
  return {
    type: 'RecordAmendment',
    data: {
      planId: PLAN_ID,
      actReference: 'Council Implementing Decision amending 2025/2628',
      adoptedOn: '2026-06-15',
      reason: 'Unforeseen crisis: add Ethiopia',
      ...overrides,
    },
  };
}

// ---- Pledges ----

/** What a pledge decision knows: by default Germany, in the open round, before the deadline. */
export function pledgingContext(overrides: Partial<PledgingContext> = {}): PledgingContext {
  return { plan: planStateAt('pledging_open'), memberState: 'DE', now: NOW, ...overrides };
}

export function submitPledge(
  lines: readonly PledgeLine[] = [aLine()],
  context: Partial<PledgingContext> = {},
): SubmitPledge {
  return { type: 'SubmitPledge', data: { lines, context: pledgingContext(context) } };
}

export function revisePledge(
  lines: readonly PledgeLine[] = [aLine({ persons: 150 })],
  reason = 'Reception capacity increased',
  context: Partial<PledgingContext> = {},
): RevisePledge {
  return { type: 'RevisePledge', data: { lines, reason, context: pledgingContext(context) } };
}

export function withdrawPledge(
  reason = 'Reception capacity exhausted',
  context: Partial<PledgingContext> = {},
): WithdrawPledge {
  return { type: 'WithdrawPledge', data: { reason, context: pledgingContext(context) } };
}

export function aPledgeSubmitted(overrides: Partial<Data<PledgeSubmitted>> = {}): PledgeSubmitted {
  return {
    type: 'PledgeSubmitted',
    data: {
      planId: PLAN_ID,
      memberState: 'DE',
      lines: [aLine()],
      planStatus: 'pledging_open',
      ...overrides,
    },
  };
}

export function aPledgeRevised(overrides: Partial<Data<PledgeRevised>> = {}): PledgeRevised {
  return {
    type: 'PledgeRevised',
    data: {
      planId: PLAN_ID,
      memberState: 'DE',
      lines: [aLine({ persons: 150 })],
      reason: 'Reception capacity increased',
      planStatus: 'pledging_open',
      ...overrides,
    },
  };
}

export function aPledgeWithdrawn(overrides: Partial<Data<PledgeWithdrawn>> = {}): PledgeWithdrawn {
  return {
    type: 'PledgeWithdrawn',
    data: {
      planId: PLAN_ID,
      memberState: 'DE',
      reason: 'Reception capacity exhausted',
      planStatus: 'pledging_open',
      ...overrides,
    },
  };
}

export function foldPledge(events: readonly PledgeEvent[]): PledgeState {
  return events.reduce(pledgeDecider.evolve, pledgeDecider.initialState());
}

// ---- Given / When / Then ----

export interface Then<Evt> {
  /**
   * Expected events (compared strictly, so a stray `undefined` field fails), or the code of the
   * domain error `decide` must throw, optionally with facts it must carry. Returns what was decided
   * or thrown, for further checks.
   */
  then(expected: readonly Evt[]): readonly Evt[];
  then(code: DomainErrorCode, facts?: Readonly<Record<string, unknown>>): DomainError;
}

/**
 * `specFor(decider).given(events).when(command).then(events | errorCode)`: folds the given events
 * with the decider's own evolve, decides, and checks the outcome.
 */
export function specFor<State, Cmd, Evt>(decider: Decider<State, Cmd, Evt>) {
  return {
    given(events: readonly Evt[]) {
      return {
        when(command: Cmd): Then<Evt> {
          const state = events.reduce(decider.evolve, decider.initialState());
          const decide = (): { events: readonly Evt[] } | { error: unknown } => {
            try {
              return { events: decider.decide(command, state) };
            } catch (error) {
              return { error };
            }
          };
          function then(expected: readonly Evt[]): readonly Evt[];
          function then(
            code: DomainErrorCode,
            facts?: Readonly<Record<string, unknown>>,
          ): DomainError;
          function then(
            expected: readonly Evt[] | DomainErrorCode,
            facts?: Readonly<Record<string, unknown>>,
          ): readonly Evt[] | DomainError {
            const outcome = decide();
            if (typeof expected === 'string') {
              if ('events' in outcome) {
                throw new Error(
                  `Expected ${expected}, but decide returned ${JSON.stringify(outcome.events)}`,
                );
              }
              expect(outcome.error).toBeInstanceOf(DomainError);
              const error = outcome.error as DomainError;
              expect(error.code).toBe(expected);
              if (facts !== undefined) expect(error.facts).toMatchObject(facts);
              return error;
            }
            if ('error' in outcome) throw outcome.error;
            expect(outcome.events).toStrictEqual(expected);
            return outcome.events;
          }
          return { then };
        },
      };
    },
  };
}

export const planSpec = specFor(unionPlanDecider);
export const pledgeSpec = specFor(pledgeDecider);

// ---- Plan regions (Art. 8(3)(c)) ----

export type PlanRegionData = Data<UnionPlanCreated>['regions'][number];

/** One of the plan's own regions: a named group of third countries, not a UNHCR bureau. */
export function aPlanRegion(overrides: Partial<PlanRegionData> = {}): PlanRegionData {
  return {
    id: 'central_mediterranean',
    name: 'Central Mediterranean',
    countries: ['LY', 'TN'],
    ...overrides,
  };
}

/** The events of `planEventsAt(status)`, the plan created with these regions. */
export function planEventsWithRegions(
  status: UnionPlanStatus,
  regions: readonly PlanRegionData[] = [aPlanRegion()],
): UnionPlanEvent[] {
  const [created, ...rest] = planEventsAt(status);
  return created === undefined ? [] : [aPlanCreated({ regions }), ...rest];
}
