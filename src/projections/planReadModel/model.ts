/**
 * The central read model: each plan and its pledges, folded from the plan and pledge streams. The
 * plan's and each pledge's state are the domain's own (folded with the deciders' `evolve`), so the
 * status after each event, the amended contributions and the pledge's lines follow the one rule
 * the write side follows; the read model adds only when, where in the log, and by whom.
 */
import type { GlobalPosition } from '../../eventStore/port';
import type { TrackerRecordedEvent } from '../../events/trackerRecordedEvent';
import type { Contribution, PledgeLine } from '../../domain/shared/pledgeLine';
import {
  unionPlanDecider,
  type UnionPlanEvent,
  type UnionPlanState,
} from '../../domain/unionPlan/unionPlan';
import {
  pledgeDecider,
  type PledgeEvent,
  type PledgePlanStatus,
  type PledgeState,
} from '../../domain/pledge/pledge';
import {
  implementationReportDecider,
  type AdmissionLine,
  type ImplementationReportEvent,
  type ProcedureCounts,
} from '../../domain/implementation/implementationReport';
import type { Projection } from '../projection';
import { assertNever } from '../../domain/shared/exhaustive';

export const CONTRIBUTION_VIEWS = ['pledges', 'proposal', 'adopted'] as const;
/** Which set of contributions a figure is computed from. */
export type ContributionView = (typeof CONTRIBUTION_VIEWS)[number];

/** Where and when an act was recorded. */
export interface RecordedAt {
  readonly position: GlobalPosition;
  readonly recordedAt: string;
}

export interface AmendmentRecord extends RecordedAt {
  readonly actReference: string;
  readonly adoptedOn: string;
  readonly reason: string;
  readonly addPriorityCountries: readonly string[];
  readonly addPriorityRegions: readonly string[];
  readonly addRegionIds: readonly string[];
  /** The Member States and associated states whose contribution the amendment replaced or removed. */
  readonly memberStates: readonly string[];
}

/**
 * One plan as folded from its own stream alone: what the plan's response shows. The write side
 * folds the same record from the stream, so a write and a read answer with the same shape.
 */
export interface PlanRecord {
  readonly planId: string;
  readonly state: Exclude<UnionPlanState, { status: 'none' }>;
  readonly proposal: RecordedAt | undefined;
  /** As the Council adopted the plan, before any amendment. */
  readonly adoption:
    | (RecordedAt & {
        readonly contributions: readonly Contribution[];
        readonly associatedStates: readonly Contribution[];
      })
    | undefined;
  readonly amendments: readonly AmendmentRecord[];
  /** Version of the plan stream: its ETag. */
  readonly version: number;
  /** Position of the stream's latest event. */
  readonly position: GlobalPosition;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Folds one plan-stream event into the plan's record; the first event must create the plan. */
export function evolvePlanRecord(
  record: PlanRecord | undefined,
  recorded: TrackerRecordedEvent,
  event: UnionPlanEvent,
): PlanRecord | undefined {
  const at: RecordedAt = {
    position: recorded.globalPosition,
    recordedAt: recorded.metadata.recordedAt,
  };
  const before = record?.state ?? unionPlanDecider.initialState();
  const state = unionPlanDecider.evolve(before, event);
  if (state.status === 'none') return record;
  const base: PlanRecord = record ?? {
    planId: state.plan.planId,
    state,
    proposal: undefined,
    adoption: undefined,
    amendments: [],
    version: 0,
    position: 0,
    createdAt: at.recordedAt,
    updatedAt: at.recordedAt,
  };
  const next = {
    ...base,
    state,
    version: recorded.streamVersion,
    position: recorded.globalPosition,
    updatedAt: at.recordedAt,
  };
  // An event the domain's evolve ignored (out of order) changed nothing but the stream's version.
  if (state === before) return next;
  switch (event.type) {
    case 'UnionPlanCreated':
    case 'PledgingOpened':
    case 'PledgingClosed':
      return next;
    case 'PlanProposed':
      return { ...next, proposal: at };
    case 'PlanAdopted':
      return {
        ...next,
        adoption: {
          ...at,
          contributions: event.data.contributions,
          associatedStates: event.data.associatedStates,
        },
      };
    case 'PlanAmended':
      return {
        ...next,
        amendments: [
          ...base.amendments,
          {
            ...at,
            actReference: event.data.actReference,
            adoptedOn: event.data.adoptedOn,
            reason: event.data.reason,
            addPriorityCountries: event.data.addPriorityCountries,
            addPriorityRegions: event.data.addPriorityRegions,
            addRegionIds: event.data.addRegions.map((region) => region.id),
            memberStates: [...event.data.contributions, ...event.data.associatedStates].map(
              (contribution) => contribution.memberState,
            ),
          },
        ],
      };
  }
}

export interface PledgeRecord {
  readonly planId: string;
  readonly memberState: string;
  state: PledgeState;
  /** Version of the pledge stream: the ETag. */
  version: number;
  submittedAt: string;
  updatedAt: string;
  lastReason: string | undefined;
  /** The plan's status when the last change was recorded. */
  planStatus: PledgePlanStatus;
}

/**
 * A participant's indication as it stood when an act (adoption or amendment) set its contribution:
 * what Art. 8(3)(b)'s "fully respecting" is measured against.
 */
export interface IndicationAtAct {
  readonly lines: readonly PledgeLine[];
  readonly actReference: string;
  readonly position: GlobalPosition;
}

/** One participant's report for one month, as it stands after its latest correction. */
export interface ReportRecord {
  readonly planId: string;
  readonly memberState: string;
  /** `YYYY-MM`. */
  readonly month: string;
  admissions: readonly AdmissionLine[];
  procedure: ProcedureCounts | undefined;
  /** Version of the report's stream: its ETag. */
  version: number;
  /** Position of the report's latest event. */
  position: GlobalPosition;
  submittedAt: string;
  updatedAt: string;
  /** The reason of the latest correction. */
  lastReason: string | undefined;
  /** Whether the latest version was recorded by the Commission on the participant's behalf. */
  onBehalf: boolean;
}

export interface PlanEntry {
  /** Undefined only if pledge events arrived for a plan never created (which the domain prevents). */
  plan: PlanRecord | undefined;
  readonly pledges: Map<string, PledgeRecord>;
  /** Implementation reports by participant, then by month (`YYYY-MM`). */
  readonly reports: Map<string, Map<string, ReportRecord>>;
  /** Per participant, the indication at the act that last set its adopted contribution. */
  readonly indicationsAtAct: Map<string, IndicationAtAct>;
}

export interface PlanReadModelState {
  /** Position of the last event folded; events at or below it are skipped. */
  position: GlobalPosition;
  readonly plans: Map<string, PlanEntry>;
}

function entryFor(state: PlanReadModelState, planId: string): PlanEntry {
  let entry = state.plans.get(planId);
  if (entry === undefined) {
    entry = {
      plan: undefined,
      pledges: new Map(),
      reports: new Map(),
      indicationsAtAct: new Map(),
    };
    state.plans.set(planId, entry);
  }
  return entry;
}

/** The lines a pledge state counts with: none once withdrawn. */
export function countedLines(state: PledgeState): readonly PledgeLine[] {
  return state.status === 'active' ? state.lines : [];
}

/** The lines a pledge currently counts with: none once withdrawn. */
export function currentLines(pledge: PledgeRecord | undefined): readonly PledgeLine[] {
  return pledge === undefined ? [] : countedLines(pledge.state);
}

function recordIndications(
  entry: PlanEntry,
  memberStates: Iterable<string>,
  actReference: string,
  position: GlobalPosition,
): void {
  for (const memberState of memberStates) {
    entry.indicationsAtAct.set(memberState, {
      lines: currentLines(entry.pledges.get(memberState)),
      actReference,
      position,
    });
  }
}

function applyPlanEvent(
  entry: PlanEntry,
  recorded: TrackerRecordedEvent,
  event: UnionPlanEvent,
): void {
  const before = entry.plan;
  entry.plan = evolvePlanRecord(before, recorded, event);
  if (entry.plan === before || entry.plan?.state === before?.state) return;
  switch (event.type) {
    case 'PlanAdopted':
      entry.indicationsAtAct.clear();
      recordIndications(
        entry,
        new Set([
          ...entry.pledges.keys(),
          ...[...event.data.contributions, ...event.data.associatedStates].map(
            (c) => c.memberState,
          ),
        ]),
        event.data.actReference,
        recorded.globalPosition,
      );
      return;
    case 'PlanAmended':
      recordIndications(
        entry,
        [...event.data.contributions, ...event.data.associatedStates].map((c) => c.memberState),
        event.data.actReference,
        recorded.globalPosition,
      );
      return;
    case 'UnionPlanCreated':
    case 'PledgingOpened':
    case 'PledgingClosed':
    case 'PlanProposed':
      return;
    default:
      assertNever(event);
  }
}

function applyPledgeEvent(
  state: PlanReadModelState,
  recorded: TrackerRecordedEvent,
  event: PledgeEvent,
): void {
  const { planId, memberState, planStatus } = event.data;
  const recordedAt = recorded.metadata.recordedAt;
  const pledges = entryFor(state, planId).pledges;
  let pledge = pledges.get(memberState);
  if (pledge === undefined) {
    pledge = {
      planId,
      memberState,
      state: pledgeDecider.initialState(),
      version: 0,
      submittedAt: recordedAt,
      updatedAt: recordedAt,
      lastReason: undefined,
      planStatus,
    };
    pledges.set(memberState, pledge);
  }
  pledge.state = pledgeDecider.evolve(pledge.state, event);
  switch (event.type) {
    case 'PledgeSubmitted':
      pledge.submittedAt = recordedAt;
      pledge.lastReason = recorded.metadata.reason;
      break;
    case 'PledgeRevised':
    case 'PledgeWithdrawn':
      pledge.lastReason = event.data.reason;
      break;
    default:
      assertNever(event);
  }
  pledge.version = recorded.streamVersion;
  pledge.updatedAt = recordedAt;
  pledge.planStatus = planStatus;
}

function applyReportEvent(
  state: PlanReadModelState,
  recorded: TrackerRecordedEvent,
  event: ImplementationReportEvent,
): void {
  const { planId, memberState, month } = event.data;
  const recordedAt = recorded.metadata.recordedAt;
  const reports = entryFor(state, planId).reports;
  let byMonth = reports.get(memberState);
  if (byMonth === undefined) {
    byMonth = new Map();
    reports.set(memberState, byMonth);
  }
  const folded = implementationReportDecider.evolve(
    implementationReportDecider.initialState(),
    event,
  );
  if (folded.status !== 'reported') return;
  const existing = byMonth.get(month);
  const report: ReportRecord = existing ?? {
    planId,
    memberState,
    month,
    admissions: [],
    procedure: undefined,
    version: 0,
    position: 0,
    submittedAt: recordedAt,
    updatedAt: recordedAt,
    lastReason: undefined,
    onBehalf: false,
  };
  report.admissions = folded.admissions;
  report.procedure = folded.procedure;
  report.version = recorded.streamVersion;
  report.position = recorded.globalPosition;
  report.updatedAt = recordedAt;
  report.onBehalf = event.data.onBehalf;
  switch (event.type) {
    case 'ImplementationReportSubmitted':
      report.submittedAt = recordedAt;
      report.lastReason = undefined;
      break;
    case 'ImplementationReportCorrected':
      report.lastReason = event.data.reason;
      break;
    default:
      assertNever(event);
  }
  if (existing === undefined) byMonth.set(month, report);
}

export const planReadModel: Projection<PlanReadModelState> = {
  name: 'planReadModel',
  initialState: () => ({ position: 0, plans: new Map() }),
  // Every event names its plan, and a plan's entry depends on its own events alone.
  parts: {
    keyOf: (event) => event.data.planId,
    split: (state) => ({ rest: { position: state.position }, parts: state.plans }),
    join: (rest, parts) => ({
      position: (rest as { position: GlobalPosition }).position,
      plans: new Map(parts as ReadonlyMap<string, PlanEntry>),
    }),
  },
  apply(state, recorded) {
    if (recorded.globalPosition <= state.position) return state;
    state.position = recorded.globalPosition;
    const event = recorded;
    switch (event.type) {
      case 'UnionPlanCreated':
      case 'PledgingOpened':
      case 'PledgingClosed':
      case 'PlanProposed':
      case 'PlanAdopted':
      case 'PlanAmended': {
        const entry =
          event.type === 'UnionPlanCreated'
            ? entryFor(state, event.data.planId)
            : state.plans.get(event.data.planId);
        if (entry !== undefined) applyPlanEvent(entry, recorded, event);
        break;
      }
      case 'PledgeSubmitted':
      case 'PledgeRevised':
      case 'PledgeWithdrawn':
        applyPledgeEvent(state, recorded, event);
        break;
      case 'ImplementationReportSubmitted':
      case 'ImplementationReportCorrected':
        applyReportEvent(state, recorded, event);
        break;
      default:
        assertNever(event);
    }
    return state;
  },
};

export function findPlan(state: PlanReadModelState, planId: string): PlanRecord | undefined {
  return state.plans.get(planId)?.plan;
}

export function isAdopted(plan: PlanRecord | undefined): boolean {
  return plan?.state.status === 'adopted';
}
