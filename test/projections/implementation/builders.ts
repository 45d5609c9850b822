/**
 * Builders for the implementation read side: an adopted plan, monthly reports and their
 * corrections, recorded in the same log as the plan's events and folded through the real plan read
 * model (each event decoded as in production). Figures are illustrative.
 */
import {
  implementationReportStreamId,
  type AdmissionLine,
  type ProcedureCounts,
} from '../../../src/domain/implementation/implementationReport';
import type { Contribution, PledgeLine } from '../../../src/domain/shared/pledgeLine';
import type { RecordedEvent } from '../../../src/eventStore/port';
import { decodeRecordedEvent } from '../../../src/events/trackerRecordedEvent';
import { planReadModel, type PlanReadModelState } from '../../../src/projections';
import {
  aPlanRegion,
  createEventLog,
  fold,
  PLAN_ID,
  type EventLog,
  type PlanCreatedData,
} from '../builders';

export { PLAN_ID };

/** The plan's named third countries and regions, unless a test says otherwise (Art. 8(3)(c)). */
export const PLAN_FACTS: Partial<PlanCreatedData> = {
  periodStart: '2026-01-01',
  periodEnd: '2027-12-31',
  priorityCountries: ['EG', 'JO', 'LB', 'TR'],
  priorityRegions: ['west_central_africa'],
  regions: [aPlanRegion('latin_america', 'Latin America', 'CO', 'EC')],
};

/** Of a line's persons: the Art. 19(3) groups, their family members, the breakdowns. */
export type AdmissionCounts = Partial<
  Pick<AdmissionLine, 'vulnerablePersons' | 'familyMembers' | 'bySex' | 'byAgeBand'>
>;

/** A line of admissions: a pledge line (from the pledge builders) with its reported counts. */
export function admission(line: PledgeLine, counts: AdmissionCounts = {}): AdmissionLine {
  return { ...line, ...counts };
}

export interface ReportOptions {
  readonly procedure?: ProcedureCounts;
  readonly onBehalf?: boolean;
}

export interface ImplementationLog extends EventLog {
  reportSubmitted(
    memberState: string,
    month: string,
    admissions: readonly AdmissionLine[],
    options?: ReportOptions,
  ): RecordedEvent;
  reportCorrected(
    memberState: string,
    month: string,
    admissions: readonly AdmissionLine[],
    reason: string,
    options?: ReportOptions,
  ): RecordedEvent;
  /** Every event so far folded through the plan read model. */
  state(): PlanReadModelState;
}

function withReports(log: EventLog): ImplementationLog {
  const report = (
    type: 'ImplementationReportSubmitted' | 'ImplementationReportCorrected',
    memberState: string,
    month: string,
    admissions: readonly AdmissionLine[],
    fields: Record<string, unknown>,
    options: ReportOptions,
  ): RecordedEvent => {
    const event = log.recordedEvent(
      type,
      {
        planId: PLAN_ID,
        memberState,
        month,
        admissions,
        ...(options.procedure !== undefined && { procedure: options.procedure }),
        onBehalf: options.onBehalf ?? false,
        ...fields,
      },
      { streamId: implementationReportStreamId(PLAN_ID, memberState, month) },
    );
    decodeRecordedEvent(event);
    return event;
  };
  return Object.assign(log, {
    reportSubmitted: (
      memberState: string,
      month: string,
      admissions: readonly AdmissionLine[],
      options: ReportOptions = {},
    ) => report('ImplementationReportSubmitted', memberState, month, admissions, {}, options),
    reportCorrected: (
      memberState: string,
      month: string,
      admissions: readonly AdmissionLine[],
      reason: string,
      options: ReportOptions = {},
    ) =>
      report('ImplementationReportCorrected', memberState, month, admissions, { reason }, options),
    state: () => fold(planReadModel, log.events),
  });
}

/** Up to the proposal: each participant pledges what the Commission then proposes. */
export function proposedPlan(
  proposal: readonly Contribution[],
  plan: Partial<PlanCreatedData> = {},
): ImplementationLog {
  const log = createEventLog();
  log.planCreated({ ...PLAN_FACTS, ...plan });
  log.pledgingOpened();
  for (const { memberState, lines } of proposal) log.pledgeSubmitted(memberState, lines);
  log.pledgingClosed();
  log.planProposed(proposal);
  return withReports(log);
}

/** Given a plan the Council adopted as proposed (Member States and associated states together). */
export function adoptedPlan(
  adoption: readonly Contribution[],
  plan: Partial<PlanCreatedData> = {},
): ImplementationLog {
  const log = proposedPlan(adoption, plan);
  log.planAdopted(adoption);
  return log;
}

/** Every month of a year, `YYYY-MM`, up to `last` (12 by default). */
export function monthsOf(year: number, last = 12): string[] {
  return Array.from(
    { length: last },
    (_, index) => `${year}-${String(index + 1).padStart(2, '0')}`,
  );
}

/** A small seeded generator (mulberry32): the same seed gives the same cases on every run. */
export function seededRandom(seed: number): {
  readonly next: () => number;
  readonly int: (min: number, max: number) => number;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly chance: (probability: number) => boolean;
} {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from no items');
      return item;
    },
    chance: (probability) => next() < probability,
  };
}
