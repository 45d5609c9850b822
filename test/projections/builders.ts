/**
 * Builders for recorded events with defaults: each log numbers its own global positions and
 * stream versions and advances its clock by a minute per event. Figures are illustrative.
 */
import { randomUUID } from 'node:crypto';
import { PLEDGE_EVENT_TYPES, pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import type { EventMetadata } from '../../src/domain/shared/messages';
import type { Contribution, EmergencyBasis, PledgeLine } from '../../src/domain/shared/pledgeLine';
import { unionPlanStreamId } from '../../src/domain/unionPlan/unionPlanEvents';
import type { EventStore, RecordedEvent } from '../../src/eventStore/port';
import type { Projection } from '../../src/projections';

export const PLAN_ID = '2026-2027';
export const LOG_START = '2025-09-01T08:00:00.000Z';
const MINUTE_MS = 60_000;

// ---- lines and contributions ----

type LineExtras = Partial<Omit<PledgeLine, 'admissionType' | 'persons'>>;

export function resettlement(
  hostCountry: string,
  persons: number,
  extras: LineExtras = {},
): PledgeLine {
  return { admissionType: 'resettlement', hostCountry, persons, ...extras };
}

export function humanitarian(
  hostCountry: string,
  persons: number,
  extras: LineExtras = {},
): PledgeLine {
  return { admissionType: 'humanitarian_admission', hostCountry, persons, ...extras };
}

export function emergency(
  emergencyBasis: EmergencyBasis,
  persons: number,
  extras: LineExtras = {},
): PledgeLine {
  return { admissionType: 'emergency_admission', emergencyBasis, persons, ...extras };
}

export function contribution(memberState: string, ...lines: PledgeLine[]): Contribution {
  return { memberState, lines };
}

// ---- recorded events ----

export interface RecordedOverrides {
  readonly streamId?: string;
  readonly streamVersion?: number;
  readonly globalPosition?: number;
  readonly metadata?: Partial<EventMetadata>;
}

type Meta = Partial<EventMetadata>;

const PLEDGE_TYPES: ReadonlySet<string> = new Set(PLEDGE_EVENT_TYPES);

function isPledgeType(type: string): boolean {
  return PLEDGE_TYPES.has(type);
}

export function memberStateActor(memberState: string): EventMetadata['actor'] {
  return { id: `${memberState.toLowerCase()}-ministry`, role: 'member_state', memberState };
}

export const COMMISSION_ACTOR: EventMetadata['actor'] = { id: 'dg-home', role: 'commission' };

export interface EventLog {
  readonly events: RecordedEvent[];
  /** Any event, with the stream, version, position and metadata filled in. */
  recordedEvent(
    type: string,
    data: Record<string, unknown>,
    overrides?: RecordedOverrides,
  ): RecordedEvent;
  planCreated(data?: Partial<PlanCreatedData>, meta?: Meta): RecordedEvent;
  pledgingOpened(deadline?: string, meta?: Meta): RecordedEvent;
  pledgingClosed(meta?: Meta): RecordedEvent;
  planProposed(contributions: readonly Contribution[], meta?: Meta): RecordedEvent;
  planAdopted(contributions: readonly Contribution[], meta?: Meta): RecordedEvent;
  planAmended(amendment: Partial<AmendmentData>, meta?: Meta): RecordedEvent;
  pledgeSubmitted(
    memberState: string,
    lines: readonly PledgeLine[],
    options?: PledgeOptions,
  ): RecordedEvent;
  pledgeRevised(
    memberState: string,
    lines: readonly PledgeLine[],
    reason: string,
    options?: PledgeOptions,
  ): RecordedEvent;
  pledgeWithdrawn(memberState: string, reason: string, options?: PledgeOptions): RecordedEvent;
}

export interface PlanCreatedData {
  readonly planId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly resettlementFloorPercent: number;
  readonly priorityCountries: readonly string[];
  readonly priorityRegions: readonly string[];
}

export interface AmendmentData {
  readonly actReference: string;
  readonly adoptedOn: string;
  readonly reason: string;
  readonly addPriorityCountries: readonly string[];
  readonly addPriorityRegions: readonly string[];
  readonly contributions: readonly Contribution[];
}

export interface PledgeOptions {
  readonly afterAdoption?: boolean;
  readonly meta?: Meta;
}

export function createEventLog(options: { planId?: string; start?: string } = {}): EventLog {
  const planId = options.planId ?? PLAN_ID;
  let clock = Date.parse(options.start ?? LOG_START);
  let position = 0;
  const versions = new Map<string, number>();
  const events: RecordedEvent[] = [];

  function recordedEvent(
    type: string,
    data: Record<string, unknown>,
    overrides: RecordedOverrides = {},
  ): RecordedEvent {
    const dataPlanId = typeof data['planId'] === 'string' ? data['planId'] : planId;
    const memberState = typeof data['memberState'] === 'string' ? data['memberState'] : undefined;
    const streamId =
      overrides.streamId ??
      (isPledgeType(type) && memberState !== undefined
        ? pledgeStreamId(dataPlanId, memberState)
        : unionPlanStreamId(dataPlanId));
    const streamVersion = overrides.streamVersion ?? (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    position = overrides.globalPosition ?? position + 1;
    clock += MINUTE_MS;
    const correlationId = `corr-${position}`;
    const metadata: EventMetadata = {
      actor: memberState !== undefined ? memberStateActor(memberState) : COMMISSION_ACTOR,
      recordedAt: new Date(clock).toISOString(),
      correlationId,
      causationId: correlationId,
      ...overrides.metadata,
    };
    const event: RecordedEvent = {
      id: randomUUID(),
      streamId,
      streamVersion,
      globalPosition: position,
      type,
      data,
      metadata: { ...metadata },
    };
    events.push(event);
    return event;
  }

  const pledgeEvent = (
    type: string,
    memberState: string,
    fields: Record<string, unknown>,
    pledgeOptions: PledgeOptions,
  ): RecordedEvent =>
    recordedEvent(
      type,
      { planId, memberState, ...fields, afterAdoption: pledgeOptions.afterAdoption ?? false },
      { metadata: pledgeOptions.meta ?? {} },
    );

  return {
    events,
    recordedEvent,
    planCreated: (data = {}, meta = {}) =>
      recordedEvent(
        'UnionPlanCreated',
        {
          planId,
          periodStart: '2026-01-01',
          periodEnd: '2027-12-31',
          resettlementFloorPercent: 60,
          priorityCountries: [],
          priorityRegions: [],
          ...data,
        },
        { metadata: meta },
      ),
    pledgingOpened: (deadline, meta = {}) =>
      recordedEvent('PledgingOpened', deadline === undefined ? { planId } : { planId, deadline }, {
        metadata: meta,
      }),
    pledgingClosed: (meta = {}) => recordedEvent('PledgingClosed', { planId }, { metadata: meta }),
    planProposed: (contributions, meta = {}) =>
      recordedEvent(
        'PlanProposed',
        { planId, reference: 'COM(2025) 650', proposedOn: '2025-11-11', contributions },
        { metadata: meta },
      ),
    planAdopted: (contributions, meta = {}) =>
      recordedEvent(
        'PlanAdopted',
        {
          planId,
          actReference: 'Council Implementing Decision (EU) 2025/2628',
          adoptedOn: '2025-12-18',
          contributions,
        },
        { metadata: meta },
      ),
    planAmended: (amendment, meta = {}) =>
      recordedEvent(
        'PlanAmended',
        {
          planId,
          actReference: 'Council Implementing Decision (EU) 2026/100',
          adoptedOn: '2026-03-02',
          reason: 'Unforeseen crisis',
          addPriorityCountries: [],
          addPriorityRegions: [],
          contributions: [],
          ...amendment,
        },
        { metadata: meta },
      ),
    pledgeSubmitted: (memberState, lines, pledgeOptions = {}) =>
      pledgeEvent('PledgeSubmitted', memberState, { lines }, pledgeOptions),
    pledgeRevised: (memberState, lines, reason, pledgeOptions = {}) =>
      pledgeEvent('PledgeRevised', memberState, { lines, reason }, pledgeOptions),
    pledgeWithdrawn: (memberState, reason, pledgeOptions = {}) =>
      pledgeEvent('PledgeWithdrawn', memberState, { reason }, pledgeOptions),
  };
}

export function fold<S>(projection: Projection<S>, events: readonly RecordedEvent[]): S {
  return events.reduce((state, event) => projection.apply(state, event), projection.initialState());
}

/** Appends recorded events to a real store in their order (the store assigns its own positions). */
export async function appendAll(
  store: EventStore,
  events: readonly RecordedEvent[],
): Promise<void> {
  for (const event of events) {
    await store.append(
      event.streamId,
      [{ id: event.id, type: event.type, data: event.data, metadata: event.metadata }],
      { expectedVersion: 'any' },
    );
  }
}
