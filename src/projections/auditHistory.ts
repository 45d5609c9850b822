/**
 * Who changed what, when and why: every version of every plan and pledge stream, and one global
 * feed across them. One compact record per event serves both; pledge lines are kept by reference
 * and pledge diffs are worked out when a stream's history is read, so the feed stays small. Plan
 * diffs are folded with the domain's own plan state, so the status after each event and the
 * amended contributions follow the write side's rules.
 */
import { pledgeStreamId, type PledgeEvent } from '../domain/pledge/pledgeEvents';
import {
  contributionChanges,
  contributionsTotal,
  lineKey,
  sameLineIdentity,
  totalPersons,
  type Contribution,
  type ContributionChange,
  type PledgeLine,
} from '../domain/shared/pledgeLine';
import {
  unionPlanDecider,
  unionPlanStreamId,
  type UnionPlanEvent,
  type UnionPlanState,
  type UnionPlanStatus,
} from '../domain/unionPlan/unionPlan';
import type { Actor } from '../domain/shared/messages';
import type { GlobalPosition } from '../eventStore/port';
import type { TrackerRecordedEvent } from '../events/trackerRecordedEvent';
import type { Projection } from './projection';
import { TRACKER_EVENT_TYPES, type TrackerEventType } from '../domain/events';
import { inScope, type ReadScope } from './readScope';

type PlanStatus = Exclude<UnionPlanStatus, 'none'>;
type PlanEventType = UnionPlanEvent['type'];
type PledgeEventType = PledgeEvent['type'];

export type EventActor = Actor;
export type MemberStateContributionChange = ContributionChange;

export interface PlanDiff {
  readonly statusBefore: PlanStatus | null;
  readonly statusAfter: PlanStatus;
  readonly deadline?: string;
  /** Proposal: against the previous proposal; adoption: against the proposal; amendment: the participants it names. */
  readonly contributions?: MemberStateContributionChange[];
  readonly totalBefore?: number;
  readonly totalAfter?: number;
  readonly totalDelta?: number;
  readonly priorityCountriesAdded?: string[];
  readonly priorityRegionsAdded?: string[];
  readonly planRegionsAdded?: string[];
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

export interface StreamLog {
  readonly streamId: string;
  readonly planId: string;
  readonly memberState: string | undefined;
  /** Where this stream's records sit in the feed, in version order. */
  readonly feedIndexes: number[];
  /** Plan streams: the domain's plan state after the stream's latest event. */
  planState: UnionPlanState | undefined;
}

export interface AuditHistoryState {
  position: GlobalPosition;
  readonly streams: Map<string, StreamLog>;
  /** In position order. */
  readonly feed: AuditRecord[];
  /** Actors interned by identity, so records share them. */
  readonly actors: Map<string, EventActor>;
}

const NO_LINES: readonly PledgeLine[] = Object.freeze([]);

/**
 * Each type name as one constant string: a record keeps its type for ever, and a million records
 * should share a handful of strings, not hold a copy each read from the store.
 */
const TYPE_NAMES: ReadonlyMap<string, TrackerEventType> = new Map(
  TRACKER_EVENT_TYPES.map((type) => [type, type] as const),
);

function internActor(state: AuditHistoryState, actor: EventActor): EventActor {
  const key = `${actor.id}\u0000${actor.role}\u0000${actor.memberState ?? ''}`;
  const interned = state.actors.get(key);
  if (interned !== undefined) return interned;
  const copy: EventActor = {
    id: actor.id,
    role: actor.role,
    ...(actor.memberState !== undefined && { memberState: actor.memberState }),
  };
  state.actors.set(key, copy);
  return copy;
}

function streamLogFor(
  state: AuditHistoryState,
  recorded: TrackerRecordedEvent,
  planId: string,
  memberState: string | undefined,
): StreamLog {
  let log = state.streams.get(recorded.streamId);
  if (log === undefined) {
    log = {
      streamId: recorded.streamId,
      planId,
      memberState,
      feedIndexes: [],
      planState: undefined,
    };
    state.streams.set(recorded.streamId, log);
  }
  return log;
}

function added(before: readonly string[], after: readonly string[]): string[] {
  const known = new Set(before);
  return after.filter((item) => !known.has(item));
}

/** Per participant and in total, from one set of contributions to another. */
function contributionDiff(
  statusBefore: PlanStatus | null,
  statusAfter: PlanStatus,
  before: readonly Contribution[],
  after: readonly Contribution[],
  named?: readonly string[],
): PlanDiff {
  const totalBefore = contributionsTotal(before);
  const totalAfter = contributionsTotal(after);
  return {
    statusBefore,
    statusAfter,
    contributions: contributionChanges(before, after, named),
    totalBefore,
    totalAfter,
    totalDelta: totalAfter - totalBefore,
  };
}

/** The diff one plan event makes, from the domain's plan state before and after it. */
function planDiffFor(
  before: UnionPlanState,
  after: UnionPlanState,
  event: UnionPlanEvent,
): PlanDiff {
  const statusBefore = before.status === 'none' ? null : before.status;
  // The status the domain's own evolve leaves the plan in (a plan's first event creates it).
  const statusAfter: PlanStatus = after.status === 'none' ? 'draft' : after.status;
  switch (event.type) {
    case 'UnionPlanCreated':
      return {
        statusBefore,
        statusAfter,
        priorityCountriesAdded: [...event.data.priorityCountries],
        priorityRegionsAdded: [...event.data.priorityRegions],
        planRegionsAdded: event.data.regions.map((region) => region.id),
      };
    case 'PledgingOpened':
      return {
        statusBefore,
        statusAfter,
        ...(event.data.deadline !== undefined && { deadline: event.data.deadline }),
      };
    case 'PledgingClosed':
      return { statusBefore, statusAfter };
    case 'PlanProposed': {
      // Measured against the previous proposal (none: a first proposal starts from nothing).
      const previous =
        before.status === 'proposed' || before.status === 'adopted'
          ? before.proposal.contributions
          : [];
      return contributionDiff(statusBefore, statusAfter, previous, event.data.contributions);
    }
    case 'PlanAdopted': {
      const proposed = before.status === 'proposed' ? before.proposal.contributions : [];
      return contributionDiff(statusBefore, statusAfter, proposed, event.data.contributions);
    }
    case 'PlanAmended': {
      const was = before.status === 'adopted' ? before.contributions : [];
      const now = after.status === 'adopted' ? after.contributions : was;
      const named = event.data.contributions.map((contribution) => contribution.memberState);
      const beforePlan = before.status === 'none' ? undefined : before.plan;
      return {
        ...contributionDiff(statusBefore, statusAfter, was, now, named),
        priorityCountriesAdded: added(
          beforePlan?.priorityCountries ?? [],
          event.data.addPriorityCountries,
        ),
        priorityRegionsAdded: added(
          beforePlan?.priorityRegions ?? [],
          event.data.addPriorityRegions,
        ),
        planRegionsAdded: event.data.addRegions.map((region) => region.id),
      };
    }
  }
}

function pledgeLinesAfter(event: PledgeEvent): readonly PledgeLine[] {
  switch (event.type) {
    case 'PledgeSubmitted':
    case 'PledgeRevised':
      return event.data.lines;
    case 'PledgeWithdrawn':
      return NO_LINES;
  }
}

function reasonOf(recorded: TrackerRecordedEvent): string | undefined {
  const event = recorded;
  switch (event.type) {
    case 'PledgeRevised':
    case 'PledgeWithdrawn':
    case 'PlanAmended':
      return event.data.reason;
    case 'UnionPlanCreated':
    case 'PledgingOpened':
    case 'PledgingClosed':
    case 'PlanProposed':
    case 'PlanAdopted':
    case 'PledgeSubmitted':
      return recorded.metadata.reason;
  }
}

function changeOf(
  state: AuditHistoryState,
  log: StreamLog,
  recorded: TrackerRecordedEvent,
): readonly PledgeLine[] | PlanDiff {
  const event = recorded;
  switch (event.type) {
    case 'PledgeSubmitted':
    case 'PledgeRevised':
    case 'PledgeWithdrawn':
      return sharingUnchangedLines(pledgeLinesAfter(event), previousLines(state, log));
    case 'UnionPlanCreated':
    case 'PledgingOpened':
    case 'PledgingClosed':
    case 'PlanProposed':
    case 'PlanAdopted':
    case 'PlanAmended': {
      const before = log.planState ?? unionPlanDecider.initialState();
      const after = unionPlanDecider.evolve(before, event);
      log.planState = after;
      return planDiffFor(before, after, event);
    }
  }
}

export const auditHistory: Projection<AuditHistoryState> = {
  name: 'auditHistory',
  initialState: () => ({ position: 0, streams: new Map(), feed: [], actors: new Map() }),
  apply(state, recorded) {
    if (recorded.globalPosition <= state.position) return state;
    state.position = recorded.globalPosition;
    const event = recorded;
    const memberState = 'memberState' in event.data ? event.data.memberState : undefined;
    const log = streamLogFor(state, recorded, event.data.planId, memberState);
    const change = changeOf(state, log, recorded);
    // Keys in alphabetical order: the canonical digest then need not sort them for each record.
    const record: AuditRecord = {
      actor: internActor(state, recorded.metadata.actor),
      change,
      correlationId: recorded.metadata.correlationId,
      memberState: log.memberState,
      planId: log.planId,
      position: recorded.globalPosition,
      reason: reasonOf(recorded),
      recordedAt: recorded.metadata.recordedAt,
      streamId: log.streamId,
      streamVersion: recorded.streamVersion,
      type: TYPE_NAMES.get(event.type) ?? event.type,
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
      (candidate) => sameLineIdentity(candidate, line) && sameLine(candidate, line),
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
  const left = a ?? [];
  const right = b ?? [];
  if (left.length !== right.length) return false;
  // Stored sorted (the deciders normalise them): equal element by element in the usual case.
  if (left.every((group, index) => group === right[index])) return true;
  const sortedRight = [...right].sort();
  return [...left].sort().every((group, index) => group === sortedRight[index]);
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

/**
 * A plan version's diff as a scope may see it. An amendment compares two Council acts: whole once
 * the plan is adopted. An adoption compares the act with the proposal, compiled from every
 * indication: a participant sees its own row and the adopted total. A proposal shows a participant
 * its own row and no total.
 */
function planDiffInScope(
  record: AuditRecord,
  diff: PlanDiff,
  scope: ReadScope,
  planAdopted: boolean,
): PlanDiff {
  if (scope.kind === 'all' || diff.contributions === undefined) return diff;
  if (record.type === 'PlanAmended' && planAdopted) return diff;
  const { totalBefore: _before, totalAfter, totalDelta: _delta, ...rest } = diff;
  return {
    ...rest,
    contributions: diff.contributions.filter((row) => inScope(scope, row.memberState)),
    ...(record.type === 'PlanAdopted' && planAdopted && totalAfter !== undefined && { totalAfter }),
  };
}

/** Every version of one stream, oldest first, as a scope may see it; undefined for a stream never seen. */
export function getStreamHistory(
  state: AuditHistoryState,
  streamId: string,
  scope: ReadScope = { kind: 'all' },
): StreamHistoryEntry[] | undefined {
  const log = state.streams.get(streamId);
  if (log === undefined) return undefined;
  let previousLines: readonly PledgeLine[] = NO_LINES;
  const records = log.feedIndexes.flatMap((index) => state.feed[index] ?? []);
  const planAdopted = log.planState?.status === 'adopted';
  return records.map((record) => {
    let diff: PledgeDiff | PlanDiff;
    if (isLines(record.change)) {
      diff = diffLines(previousLines, record.change);
      previousLines = record.change;
    } else {
      diff = planDiffInScope(record, record.change, scope, planAdopted);
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
  scope: ReadScope = { kind: 'all' },
): StreamHistoryEntry[] | undefined {
  return getStreamHistory(state, unionPlanStreamId(planId), scope);
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
