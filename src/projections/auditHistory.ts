/**
 * Who changed what, when and why: every version of every plan and pledge stream, and one global
 * feed across them. One compact record per event serves both; pledge lines are kept by reference
 * and pledge diffs are worked out when a stream's history is read, so the feed stays small.
 */
import {
  PLEDGE_EVENT_TYPES,
  pledgeStreamId,
  type PledgeEvent,
} from '../domain/pledge/pledgeEvents';
import { lineKey, totalPersons, type PledgeLine } from '../domain/shared/pledgeLine';
import { unionPlanStreamId, type UnionPlanEvent } from '../domain/unionPlan/unionPlanEvents';
import type { GlobalPosition, RecordedEvent } from '../eventStore/port';
import {
  actorOf,
  contributionsOf,
  fieldsOf,
  linesOf,
  NO_LINES,
  recordedAtOf,
  stringField,
  stringListField,
  type EventActor,
  type Fields,
} from './eventFields';
import type { PlanStatus } from './planReadModel';
import type { Projection } from './projection';
import { sumValues, totalsByMemberState } from './contributionFigures';

const PLAN_STATUS_AFTER = {
  UnionPlanCreated: 'draft',
  PledgingOpened: 'pledging_open',
  PledgingClosed: 'pledging_closed',
  PlanProposed: 'proposed',
  PlanAdopted: 'adopted',
  PlanAmended: 'adopted',
} as const satisfies Record<UnionPlanEvent['type'], PlanStatus>;
type PlanEventType = UnionPlanEvent['type'];
type PledgeEventType = PledgeEvent['type'];

/** Maps a recorded type to the constant string, so a million records share a handful of strings. */
const KNOWN_TYPES: ReadonlyMap<string, PlanEventType | PledgeEventType> = new Map(
  [...(Object.keys(PLAN_STATUS_AFTER) as PlanEventType[]), ...PLEDGE_EVENT_TYPES].map(
    (type) => [type, type] as const,
  ),
);

export interface MemberStateContributionChange {
  readonly memberState: string;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
}

export interface PlanDiff {
  readonly statusBefore: PlanStatus | null;
  readonly statusAfter: PlanStatus;
  readonly deadline?: string;
  /** Proposal: against the previous proposal; adoption: against the proposal; amendment: the Member States it names. */
  readonly contributions?: MemberStateContributionChange[];
  readonly totalBefore?: number;
  readonly totalAfter?: number;
  readonly totalDelta?: number;
  readonly priorityCountriesAdded?: string[];
  readonly priorityRegionsAdded?: string[];
}

export interface LineChange {
  readonly key: string;
  readonly before: PledgeLine;
  readonly after: PledgeLine;
}

export interface PledgeDiff {
  readonly added: PledgeLine[];
  readonly removed: PledgeLine[];
  readonly changed: LineChange[];
  readonly personsBefore: number;
  readonly personsAfter: number;
  readonly personsDelta: number;
}

/** One event, compact: the feed and the stream histories hold the same objects. */
export interface AuditRecord {
  readonly position: GlobalPosition;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: PlanEventType | PledgeEventType;
  readonly planId: string;
  readonly memberState: string | undefined;
  readonly recordedAt: string;
  readonly actor: EventActor;
  readonly reason: string | undefined;
  readonly correlationId: string;
  /**
   * Pledge events: the lines after this version, by reference (none once withdrawn), diffed when
   * read. Plan events: the diff itself, computed when folded since plan streams are short.
   */
  readonly change: readonly PledgeLine[] | PlanDiff;
}

/** What a plan stream's next diff is measured against. */
interface PlanBasis {
  status: PlanStatus | null;
  proposed: Map<string, number>;
  adopted: Map<string, number>;
  readonly priorityCountries: Set<string>;
  readonly priorityRegions: Set<string>;
}

export interface StreamLog {
  readonly streamId: string;
  readonly planId: string;
  readonly memberState: string | undefined;
  /** Where this stream's records sit in the feed, in version order. */
  readonly feedIndexes: number[];
  planBasis: PlanBasis | undefined;
}

export interface AuditHistoryState {
  position: GlobalPosition;
  readonly streams: Map<string, StreamLog>;
  /** In position order. */
  readonly feed: AuditRecord[];
  /** Actors interned by identity, so records share them. */
  readonly actors: Map<string, EventActor>;
}

function internActor(state: AuditHistoryState, actor: EventActor): EventActor {
  const key = `${actor.id}\u0000${actor.role}\u0000${actor.memberState ?? ''}`;
  const interned = state.actors.get(key);
  if (interned !== undefined) return interned;
  state.actors.set(key, actor);
  return actor;
}

function streamLogFor(
  state: AuditHistoryState,
  event: RecordedEvent,
  planId: string,
  memberState: string | undefined,
): StreamLog {
  let log = state.streams.get(event.streamId);
  if (log === undefined) {
    log = {
      streamId: event.streamId,
      planId,
      memberState,
      feedIndexes: [],
      planBasis: undefined,
    };
    state.streams.set(event.streamId, log);
  }
  return log;
}

function contributionChanges(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  memberStates: Iterable<string>,
): MemberStateContributionChange[] {
  return [...new Set(memberStates)].sort().map((memberState) => {
    const beforePersons = before.get(memberState) ?? 0;
    const afterPersons = after.get(memberState) ?? 0;
    return {
      memberState,
      before: beforePersons,
      after: afterPersons,
      delta: afterPersons - beforePersons,
    };
  });
}

function addNew(target: Set<string>, candidates: readonly string[]): string[] {
  const added = candidates.filter((candidate) => !target.has(candidate));
  for (const candidate of added) target.add(candidate);
  return [...new Set(added)].sort();
}

function planDiffFor(basis: PlanBasis, type: PlanEventType, data: Fields): PlanDiff {
  const statusBefore = basis.status;
  const statusAfter: PlanStatus = PLAN_STATUS_AFTER[type];
  basis.status = statusAfter;
  switch (type) {
    case 'UnionPlanCreated':
      return {
        statusBefore,
        statusAfter,
        priorityCountriesAdded: addNew(
          basis.priorityCountries,
          stringListField(data, 'priorityCountries'),
        ),
        priorityRegionsAdded: addNew(
          basis.priorityRegions,
          stringListField(data, 'priorityRegions'),
        ),
      };
    case 'PledgingOpened': {
      const deadline = stringField(data, 'deadline');
      return { statusBefore, statusAfter, ...(deadline === undefined ? {} : { deadline }) };
    }
    case 'PledgingClosed':
      return { statusBefore, statusAfter };
    case 'PlanProposed':
    case 'PlanAdopted': {
      // A proposal is measured against the previous proposal, an adoption against the proposal.
      const previous = basis.proposed;
      const after = totalsByMemberState(contributionsOf(data['contributions']));
      if (type === 'PlanProposed') basis.proposed = after;
      else basis.adopted = after;
      const totalBefore = sumValues(previous);
      const totalAfter = sumValues(after);
      return {
        statusBefore,
        statusAfter,
        contributions: contributionChanges(previous, after, [...previous.keys(), ...after.keys()]),
        totalBefore,
        totalAfter,
        totalDelta: totalAfter - totalBefore,
      };
    }
    case 'PlanAmended': {
      const contributions = contributionsOf(data['contributions']);
      const before = basis.adopted;
      const after = new Map(before);
      for (const { memberState, lines } of contributions) {
        if (lines.length === 0) after.delete(memberState);
        else after.set(memberState, totalPersons(lines));
      }
      basis.adopted = after;
      const totalBefore = sumValues(before);
      const totalAfter = sumValues(after);
      return {
        statusBefore,
        statusAfter,
        contributions: contributionChanges(
          before,
          after,
          contributions.map((contribution) => contribution.memberState),
        ),
        totalBefore,
        totalAfter,
        totalDelta: totalAfter - totalBefore,
        priorityCountriesAdded: addNew(
          basis.priorityCountries,
          stringListField(data, 'addPriorityCountries'),
        ),
        priorityRegionsAdded: addNew(
          basis.priorityRegions,
          stringListField(data, 'addPriorityRegions'),
        ),
      };
    }
  }
}

function isPledgeType(type: PlanEventType | PledgeEventType): type is PledgeEventType {
  return !(type in PLAN_STATUS_AFTER);
}

export const auditHistory: Projection<AuditHistoryState> = {
  name: 'auditHistory',
  initialState: () => ({ position: 0, streams: new Map(), feed: [], actors: new Map() }),
  apply(state, event) {
    if (event.globalPosition <= state.position) return state;
    state.position = event.globalPosition;
    const type = KNOWN_TYPES.get(event.type);
    if (type === undefined) return state;
    const data = fieldsOf(event.data);
    const pledgeEvent = isPledgeType(type);
    const log = streamLogFor(
      state,
      event,
      stringField(data, 'planId') ?? '',
      pledgeEvent ? (stringField(data, 'memberState') ?? '') : undefined,
    );
    let change: readonly PledgeLine[] | PlanDiff;
    if (pledgeEvent) {
      change =
        type === 'PledgeWithdrawn'
          ? NO_LINES
          : sharingUnchangedLines(linesOf(data['lines']), previousLines(state, log));
    } else {
      log.planBasis ??= {
        status: null,
        proposed: new Map(),
        adopted: new Map(),
        priorityCountries: new Set(),
        priorityRegions: new Set(),
      };
      change = planDiffFor(log.planBasis, type, data);
    }
    // Keys in alphabetical order: the canonical digest then need not sort them for each record.
    const record: AuditRecord = {
      actor: internActor(state, actorOf(event)),
      change,
      correlationId: stringField(event.metadata, 'correlationId') ?? '',
      memberState: log.memberState,
      planId: log.planId,
      position: event.globalPosition,
      reason: stringField(data, 'reason') ?? stringField(event.metadata, 'reason'),
      recordedAt: recordedAtOf(event),
      streamId: log.streamId,
      streamVersion: event.streamVersion,
      type,
    };
    log.feedIndexes.push(state.feed.length);
    state.feed.push(record);
    return state;
  },
};

// ---- queries ----

function previousLines(state: AuditHistoryState, log: StreamLog): readonly PledgeLine[] {
  const index = log.feedIndexes[log.feedIndexes.length - 1];
  const change = index === undefined ? undefined : state.feed[index]?.change;
  return Array.isArray(change) ? (change as readonly PledgeLine[]) : NO_LINES;
}

/**
 * A revision usually repeats most lines of the version before it. Keeping the earlier, identical
 * line objects instead of the event's copies halves what a long history holds in memory.
 */
function sharingUnchangedLines(
  lines: readonly PledgeLine[],
  previous: readonly PledgeLine[],
): readonly PledgeLine[] {
  if (previous.length === 0) return lines;
  let shared: PledgeLine[] | undefined;
  lines.forEach((line, index) => {
    const same = previous.find(
      (candidate) =>
        candidate.admissionType === line.admissionType &&
        candidate.hostCountry === line.hostCountry &&
        candidate.year === line.year &&
        candidate.emergencyBasis === line.emergencyBasis &&
        sameLine(candidate, line),
    );
    if (same === undefined || same === line) return;
    shared ??= [...lines];
    shared[index] = same;
  });
  return shared ?? lines;
}

function sameTargetGroups(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): boolean {
  const left = [...(a ?? [])].sort();
  const right = [...(b ?? [])].sort();
  return left.length === right.length && left.every((group, index) => group === right[index]);
}

function sameLine(a: PledgeLine, b: PledgeLine): boolean {
  return (
    a.persons === b.persons && a.note === b.note && sameTargetGroups(a.targetGroups, b.targetGroups)
  );
}

/** Lines are matched by `lineKey`; a matched line whose persons, target groups or note differ is changed. */
export function diffLines(before: readonly PledgeLine[], after: readonly PledgeLine[]): PledgeDiff {
  const unmatched = new Map<string, PledgeLine>();
  for (const line of before) unmatched.set(lineKey(line), line);
  const added: PledgeLine[] = [];
  const changed: LineChange[] = [];
  for (const line of after) {
    const key = lineKey(line);
    const previous = unmatched.get(key);
    if (previous === undefined) {
      added.push(line);
      continue;
    }
    unmatched.delete(key);
    if (!sameLine(previous, line)) changed.push({ key, before: previous, after: line });
  }
  const personsBefore = totalPersons(before);
  const personsAfter = totalPersons(after);
  return {
    added,
    removed: [...unmatched.values()],
    changed,
    personsBefore,
    personsAfter,
    personsDelta: personsAfter - personsBefore,
  };
}

function isLines(change: readonly PledgeLine[] | PlanDiff): change is readonly PledgeLine[] {
  return Array.isArray(change);
}

export interface StreamHistoryEntry {
  readonly version: number;
  readonly position: GlobalPosition;
  readonly type: string;
  readonly recordedAt: string;
  readonly actor: EventActor;
  readonly reason?: string;
  readonly correlationId: string;
  readonly diff: PledgeDiff | PlanDiff;
}

/** Every version of one stream, oldest first; undefined for a stream never seen. */
export function getStreamHistory(
  state: AuditHistoryState,
  streamId: string,
): StreamHistoryEntry[] | undefined {
  const log = state.streams.get(streamId);
  if (log === undefined) return undefined;
  let previousLines: readonly PledgeLine[] = NO_LINES;
  const records = log.feedIndexes.flatMap((index) => state.feed[index] ?? []);
  return records.map((record) => {
    let diff: PledgeDiff | PlanDiff;
    if (isLines(record.change)) {
      diff = diffLines(previousLines, record.change);
      previousLines = record.change;
    } else {
      diff = record.change;
    }
    return {
      version: record.streamVersion,
      position: record.position,
      type: record.type,
      recordedAt: record.recordedAt,
      actor: { ...record.actor },
      ...(record.reason === undefined ? {} : { reason: record.reason }),
      correlationId: record.correlationId,
      diff,
    };
  });
}

export function getPledgeHistory(
  state: AuditHistoryState,
  planId: string,
  memberState: string,
): StreamHistoryEntry[] | undefined {
  return getStreamHistory(state, pledgeStreamId(planId, memberState));
}

export function getPlanHistory(
  state: AuditHistoryState,
  planId: string,
): StreamHistoryEntry[] | undefined {
  return getStreamHistory(state, unionPlanStreamId(planId));
}

export interface AuditFeedFilter {
  readonly planId?: string;
  readonly memberState?: string;
  readonly actorId?: string;
  readonly types?: readonly string[];
  /** Inclusive ISO instants, compared as instants. */
  readonly from?: string;
  readonly to?: string;
  /** Exclusive: entries after this global position. */
  readonly afterPosition?: number;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

export interface AuditFeedEntry {
  readonly position: GlobalPosition;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly planId: string;
  readonly memberState?: string;
  readonly actorId: string;
  readonly actorRole: string;
  readonly recordedAt: string;
  readonly reason?: string;
}

export interface AuditFeedPage {
  readonly entries: AuditFeedEntry[];
  /** Pass as `afterPosition` for the next page; null when there is none. */
  readonly nextAfterPosition: number | null;
}

export const DEFAULT_FEED_LIMIT = 100;
export const MAX_FEED_LIMIT = 1000;

function pageLimit(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return DEFAULT_FEED_LIMIT;
  return Math.min(MAX_FEED_LIMIT, Math.max(1, Math.floor(requested)));
}

function instantOf(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) throw new RangeError(`${name} is not an ISO 8601 instant: ${value}`);
  return instant;
}

/** First index whose record's position is greater than `afterPosition`. */
function firstIndexAfter(
  count: number,
  recordAt: (index: number) => AuditRecord | undefined,
  afterPosition: number,
): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((recordAt(middle)?.position ?? Infinity) <= afterPosition) low = middle + 1;
    else high = middle;
  }
  return low;
}

function toFeedEntry(record: AuditRecord): AuditFeedEntry {
  return {
    position: record.position,
    streamId: record.streamId,
    streamVersion: record.streamVersion,
    type: record.type,
    planId: record.planId,
    ...(record.memberState === undefined ? {} : { memberState: record.memberState }),
    actorId: record.actor.id,
    actorRole: record.actor.role,
    recordedAt: record.recordedAt,
    ...(record.reason === undefined ? {} : { reason: record.reason }),
  };
}

/** Entries in position order, one page at a time. Throws RangeError on an unparsable `from`/`to`. */
export function queryAuditFeed(
  state: AuditHistoryState,
  filter: AuditFeedFilter = {},
): AuditFeedPage {
  const limit = pageLimit(filter.limit);
  const from = instantOf(filter.from, 'from');
  const to = instantOf(filter.to, 'to');
  const types = filter.types === undefined ? undefined : new Set(filter.types);
  const { planId, memberState, actorId } = filter;

  // A plan and a Member State together name exactly one pledge stream: scan only that.
  const { feed } = state;
  const streamIndexes =
    planId !== undefined && memberState !== undefined
      ? (state.streams.get(pledgeStreamId(planId, memberState))?.feedIndexes ?? [])
      : undefined;
  const count = streamIndexes === undefined ? feed.length : streamIndexes.length;
  const recordAt =
    streamIndexes === undefined
      ? (index: number) => feed[index]
      : (index: number) => feed[streamIndexes[index] ?? -1];

  const entries: AuditFeedEntry[] = [];
  let hasMore = false;
  for (
    let index = firstIndexAfter(count, recordAt, filter.afterPosition ?? 0);
    index < count;
    index++
  ) {
    const record = recordAt(index);
    if (record === undefined) break;
    if (planId !== undefined && record.planId !== planId) continue;
    if (memberState !== undefined && record.memberState !== memberState) continue;
    if (actorId !== undefined && record.actor.id !== actorId) continue;
    if (types !== undefined && !types.has(record.type)) continue;
    if (from !== undefined || to !== undefined) {
      const instant = Date.parse(record.recordedAt);
      if (from !== undefined && !(instant >= from)) continue;
      if (to !== undefined && !(instant <= to)) continue;
    }
    if (entries.length === limit) {
      hasMore = true;
      break;
    }
    entries.push(toFeedEntry(record));
  }
  const last = entries[entries.length - 1];
  return { entries, nextAfterPosition: hasMore && last !== undefined ? last.position : null };
}
