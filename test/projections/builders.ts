/**
 * Builders for stored events with defaults: each log numbers its own global positions and stream
 * versions and advances its clock by a minute per event. Events are built as a store holds them
 * (`RecordedEvent`: raw data and metadata, with the schema version the release wrote) and reach a
 * projection only through `decodeRecordedEvent`, exactly as in production. Figures are
 * illustrative.
 */
import { randomUUID } from 'node:crypto';
import { currentSchemaVersion, isTrackerEventType } from '../../src/domain/events';
import {
  pledgeStreamId,
  type PledgeEvent,
  type PledgePlanStatus,
} from '../../src/domain/pledge/pledgeEvents';
import type { EventMetadata } from '../../src/domain/shared/messages';
import { splitAssociatedStates } from '../../src/domain/shared/lineValidation';
import type { Contribution, EmergencyBasis, PledgeLine } from '../../src/domain/shared/pledgeLine';
import { unionPlanStreamId, type PlanRegion } from '../../src/domain/unionPlan/unionPlanEvents';
import type { EventStore, RecordedEvent } from '../../src/eventStore/port';
import {
  decodeRecordedEvent,
  type TrackerRecordedEvent,
} from '../../src/events/trackerRecordedEvent';
import {
  planReadModel,
  type FeedContext,
  type HistorySource,
  type Projection,
} from '../../src/projections';

export const PLAN_ID = '2026-2027';
export const LOG_START = '2025-09-01T08:00:00.000Z';
const MINUTE_MS = 60_000;

// ---- lines and contributions ----

/** Several host countries for one figure ("from Egypt and/or Kenya"): stored sorted, unique. */
export interface SeveralCountries {
  readonly hostCountries: string[];
}
/** One of the plan's own regions, by id. */
export interface OnePlanRegion {
  readonly planRegion: string;
}
/** Where a line's persons come from: one host country code, several, or a plan region. */
export type Host = string | SeveralCountries | OnePlanRegion;

export function fromCountries(...codes: string[]): SeveralCountries {
  return { hostCountries: [...new Set(codes)].sort() };
}

export function fromPlanRegion(id: string): OnePlanRegion {
  return { planRegion: id };
}

function hostFields(host: Host): Partial<PledgeLine> {
  return typeof host === 'string' ? { hostCountry: host } : host;
}

type LineExtras = Partial<Omit<PledgeLine, 'admissionType' | 'persons'>>;

export function resettlement(host: Host, persons: number, extras: LineExtras = {}): PledgeLine {
  return { admissionType: 'resettlement', ...hostFields(host), persons, ...extras };
}

export function humanitarian(host: Host, persons: number, extras: LineExtras = {}): PledgeLine {
  return { admissionType: 'humanitarian_admission', ...hostFields(host), persons, ...extras };
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

/** One of the plan's own regions (Art. 8(3)(c)), its countries sorted as the decider stores them. */
export function aPlanRegion(id: string, name: string, ...countries: string[]): PlanRegion {
  return { id, name, countries: [...new Set(countries)].sort() };
}

// ---- recorded events ----

export interface RecordedOverrides {
  readonly streamId?: string;
  readonly streamVersion?: number;
  readonly globalPosition?: number;
  readonly metadata?: Partial<EventMetadata>;
}

type Meta = Partial<EventMetadata>;

/** Release 1 wrote every event as schema version 1, with no `schemaVersion` in its metadata. */
export type Release = 1 | 2;

const PLEDGE_TYPES: ReadonlySet<string> = new Set<PledgeEvent['type']>([
  'PledgeSubmitted',
  'PledgeRevised',
  'PledgeWithdrawn',
]);

export function memberStateActor(memberState: string): EventMetadata['actor'] {
  return { id: `${memberState.toLowerCase()}-ministry`, role: 'member_state', memberState };
}

export const COMMISSION_ACTOR: EventMetadata['actor'] = { id: 'dg-home', role: 'commission' };

export interface EventLog {
  /** As a store holds them: raw data and metadata. */
  readonly events: RecordedEvent[];
  /** Which release writes the events built from now on (default 2, today's). */
  writeAsRelease(release: Release): void;
  /**
   * Any event, stored as given (not decoded: it may hold anything a store can hold), with the
   * stream, version, position and metadata filled in.
   */
  recordedEvent(
    type: string,
    data: Record<string, unknown>,
    overrides?: RecordedOverrides,
  ): RecordedEvent;
  planCreated(data?: Partial<PlanCreatedData>, meta?: Meta): RecordedEvent;
  pledgingOpened(deadline?: string, meta?: Meta): RecordedEvent;
  pledgingClosed(meta?: Meta): RecordedEvent;
  /** Member States and associated states together: split as the decider splits them. */
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
  readonly priorityCountries: readonly string[];
  readonly priorityRegions: readonly string[];
  readonly regions: readonly PlanRegion[];
  /** Release 1 only: the per-plan floor it recorded (60 unless given). */
  readonly resettlementFloorPercent: number;
}

export interface AmendmentData {
  readonly actReference: string;
  readonly adoptedOn: string;
  readonly reason: string;
  readonly addPriorityCountries: readonly string[];
  readonly addPriorityRegions: readonly string[];
  readonly addRegions: readonly PlanRegion[];
  /** Member States and associated states together: split as the decider splits them. */
  readonly contributions: readonly Contribution[];
}

export interface PledgeOptions {
  /**
   * The plan's status when the change is recorded. Default: the status the plan events built so
   * far leave the plan in, as the decider records it.
   */
  readonly planStatus?: PledgePlanStatus;
  readonly meta?: Meta;
}

/** The plan status each plan event of this log leaves the plan in, as pledges record it. */
const STATUS_AFTER: Readonly<Record<string, PledgePlanStatus>> = {
  PledgingOpened: 'pledging_open',
  PledgingClosed: 'pledging_closed',
  PlanProposed: 'proposed',
  PlanAdopted: 'adopted',
  PlanAmended: 'adopted',
};

export function createEventLog(
  options: { planId?: string; start?: string; release?: Release } = {},
): EventLog {
  const planId = options.planId ?? PLAN_ID;
  let release: Release = options.release ?? 2;
  let clock = Date.parse(options.start ?? LOG_START);
  let position = 0;
  let planStatus: PledgePlanStatus = 'pledging_open';
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
      (PLEDGE_TYPES.has(type) && memberState !== undefined
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
      ...(release === 2 &&
        isTrackerEventType(type) && { schemaVersion: currentSchemaVersion(type) }),
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

  /** A typed builder's event, checked by the production decoder as it is built. */
  function decodable(type: string, data: Record<string, unknown>, meta: Meta): RecordedEvent {
    const event = recordedEvent(type, data, { metadata: meta });
    decodeRecordedEvent(event);
    const after = STATUS_AFTER[type];
    if (after !== undefined) planStatus = after;
    return event;
  }

  function split(contributions: readonly Contribution[]): Record<string, unknown> {
    return release === 1 ? { contributions } : { ...splitAssociatedStates(contributions) };
  }

  const pledgeEvent = (
    type: string,
    memberState: string,
    fields: Record<string, unknown>,
    pledgeOptions: PledgeOptions,
  ): RecordedEvent => {
    const status = pledgeOptions.planStatus ?? planStatus;
    if (release === 1 && (status === 'pledging_closed' || status === 'proposed')) {
      throw new Error(
        `Release 1 froze pledges from closing to adoption: no ${type} while ${status}`,
      );
    }
    const when = release === 1 ? { afterAdoption: status === 'adopted' } : { planStatus: status };
    return decodable(type, { planId, memberState, ...fields, ...when }, pledgeOptions.meta ?? {});
  };

  return {
    events,
    writeAsRelease: (next) => {
      release = next;
    },
    recordedEvent,
    planCreated: (data = {}, meta = {}) => {
      const { resettlementFloorPercent, regions = [], ...rest } = data;
      if (release === 1 && regions.length > 0) throw new Error('Release 1 had no plan regions');
      return decodable(
        'UnionPlanCreated',
        {
          planId,
          periodStart: '2026-01-01',
          periodEnd: '2027-12-31',
          priorityCountries: [],
          priorityRegions: [],
          ...(release === 1
            ? { resettlementFloorPercent: resettlementFloorPercent ?? 60 }
            : {
                regions,
                ...(resettlementFloorPercent !== undefined && { resettlementFloorPercent }),
              }),
          ...rest,
        },
        meta,
      );
    },
    pledgingOpened: (deadline, meta = {}) =>
      decodable('PledgingOpened', deadline === undefined ? { planId } : { planId, deadline }, meta),
    pledgingClosed: (meta = {}) => decodable('PledgingClosed', { planId }, meta),
    planProposed: (contributions, meta = {}) =>
      decodable(
        'PlanProposed',
        { planId, reference: 'COM(2025) 650', proposedOn: '2025-11-11', ...split(contributions) },
        meta,
      ),
    planAdopted: (contributions, meta = {}) =>
      decodable(
        'PlanAdopted',
        {
          planId,
          actReference: 'Council Implementing Decision (EU) 2025/2628',
          adoptedOn: '2025-12-18',
          ...split(contributions),
        },
        meta,
      ),
    planAmended: (amendment, meta = {}) => {
      const { contributions = [], addRegions = [], ...rest } = amendment;
      if (release === 1 && addRegions.length > 0) throw new Error('Release 1 had no plan regions');
      return decodable(
        'PlanAmended',
        {
          planId,
          actReference: 'Council Implementing Decision (EU) 2026/100',
          adoptedOn: '2026-03-02',
          reason: 'Unforeseen crisis',
          addPriorityCountries: [],
          addPriorityRegions: [],
          ...(release === 2 && { addRegions }),
          ...rest,
          ...split(contributions),
        },
        meta,
      );
    },
    pledgeSubmitted: (memberState, lines, pledgeOptions = {}) =>
      pledgeEvent('PledgeSubmitted', memberState, { lines }, pledgeOptions),
    pledgeRevised: (memberState, lines, reason, pledgeOptions = {}) =>
      pledgeEvent('PledgeRevised', memberState, { lines, reason }, pledgeOptions),
    pledgeWithdrawn: (memberState, reason, pledgeOptions = {}) =>
      pledgeEvent('PledgeWithdrawn', memberState, { reason }, pledgeOptions),
  };
}

/** Stored events decoded as the projector decodes them: the one way events reach a projection. */
export function decodeAll(events: readonly RecordedEvent[]): TrackerRecordedEvent[] {
  return events.map(decodeRecordedEvent);
}

/** Folds stored events into a projection, each decoded first as in production. */
export function fold<S>(projection: Projection<S>, events: readonly RecordedEvent[]): S {
  return decodeAll(events).reduce(
    (state, event) => projection.apply(state, event),
    projection.initialState(),
  );
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

/**
 * The store reads a history needs, served from recorded events as they are (their own positions
 * and versions), so a history test sees exactly the log it built.
 */
export function historySource(events: readonly RecordedEvent[]): HistorySource {
  return {
    readStream: (streamId, options = {}) => {
      const from = options.fromVersion ?? 0;
      const upTo = options.upToVersion ?? Number.MAX_SAFE_INTEGER;
      const stream = events.filter((event) => event.streamId === streamId);
      const version = Math.min(stream.length, upTo);
      return Promise.resolve({
        version,
        events: stream.filter(
          (event) => event.streamVersion > from && event.streamVersion <= version,
        ),
      });
    },
    readAll: (options = {}) =>
      Promise.resolve(
        events
          .filter((event) => event.globalPosition > (options.fromPosition ?? 0))
          .slice(0, options.maxCount ?? 1000),
      ),
  };
}

/** What the audit feed needs besides the store, for a log held in memory. */
export function feedContext(events: readonly RecordedEvent[]): FeedContext {
  const decoded = decodeAll(events);
  return {
    checkpoint: events.at(-1)?.globalPosition ?? 0,
    // Prefix semantics, as the time index gives them: up to the first event recorded after the instant.
    positionAt: (instant) => {
      const limit = Date.parse(instant);
      let position = 0;
      for (const event of decoded) {
        if (Date.parse(event.metadata.recordedAt) > limit) break;
        position = event.globalPosition;
      }
      return Promise.resolve(position);
    },
    plans: fold(planReadModel, events),
  };
}
