/**
 * Who changed what, when and why: every version of a plan or pledge stream, and one global feed
 * across them and the monthly reports, read from the store itself, page by page, never from an in-memory copy of the log:
 * a pledge revised half a million times costs the server nothing until someone reads its history,
 * and then only the page read. Pledge diffs compare each version with the one before it; plan
 * diffs are folded with the domain's own plan state (plan streams are short: one event per act),
 * so the status after each event and the amended contributions follow the write side's rules.
 */
import { pledgeStreamId, type PledgeEvent } from '../domain/pledge/pledgeEvents';
import { implementationReportStreamId } from '../domain/implementation/implementationReportEvents';
import {
  contributionChanges,
  contributionsTotal,
  lineKey,
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
import type { EventStore, GlobalPosition, RecordedEvent } from '../eventStore/port';
import {
  decodeRecordedEvent,
  storedSchemaVersion,
  type TrackerRecordedEvent,
} from '../events/trackerRecordedEvent';
import { inScope, type ReadScope } from './readScope';
import type { PlanEntry, PlanReadModelState } from './planReadModel/model';

type PlanStatus = Exclude<UnionPlanStatus, 'none'>;

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

/** Why the event was recorded: the reason its data carries, else one sent with the request. */
export function reasonOf(recorded: TrackerRecordedEvent): string | undefined {
  const event = recorded;
  switch (event.type) {
    case 'PledgeRevised':
    case 'PledgeWithdrawn':
    case 'PlanAmended':
    case 'ImplementationReportCorrected':
      return event.data.reason;
    case 'UnionPlanCreated':
    case 'PledgingOpened':
    case 'PledgingClosed':
    case 'PlanProposed':
    case 'PlanAdopted':
    case 'PledgeSubmitted':
    case 'ImplementationReportSubmitted':
      return recorded.metadata.reason;
  }
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
  record: { readonly type: string },
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
  /** The person's display name, when a signed-in person recorded the event. */
  readonly actorName?: string;
  readonly recordedAt: string;
  readonly reason?: string;
  readonly correlationId: string;
  /** The schema version the event was written with (it is served upcast to today's). */
  readonly schemaVersion: number;
  /** The event's content, as today's schema reads it. */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface AuditFeedPage {
  readonly entries: AuditFeedEntry[];
  /**
   * Pass as `after` for the next page; null when there is none. A filtered page may hold fewer
   * entries than asked for (even none) and still name a next page: each request scans a bounded
   * stretch of the log.
   */
  readonly nextAfterPosition: number | null;
}

const NO_LINES: readonly PledgeLine[] = Object.freeze([]);

// ---- stream histories ----

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** A page's size as asked for, within 1 and `MAX_PAGE_LIMIT`; `DEFAULT_PAGE_LIMIT` if not asked. */
export function pageLimit(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return DEFAULT_PAGE_LIMIT;
  return Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.floor(requested)));
}

export interface HistoryPageOptions {
  /** Exclusive: versions after this one. Default 0. */
  readonly after?: number;
  /** Default 100, at most 1000. */
  readonly limit?: number;
  /** Only events at or before this log position (an `asOf` read). */
  readonly upToPosition?: GlobalPosition;
}

export interface HistoryPage {
  readonly versions: StreamHistoryEntry[];
  /** Pass as `after` for the next page; null when this page ends the history. */
  readonly nextAfterVersion: number | null;
}

/** The store reads a history needs: streams by version, the log by position. */
export type HistorySource = Pick<EventStore, 'readStream' | 'readAll'>;

/** Who recorded the event, as a history shows them (the person's name when one signed in). */
export function recordedActor(recorded: TrackerRecordedEvent): EventActor {
  const actor = recorded.metadata.actor;
  return {
    id: actor.id,
    role: actor.role,
    ...(actor.memberState !== undefined && { memberState: actor.memberState }),
    ...(actor.name !== undefined && { name: actor.name }),
  };
}

function historyEntry(
  recorded: TrackerRecordedEvent,
  diff: PledgeDiff | PlanDiff,
): StreamHistoryEntry {
  const reason = reasonOf(recorded);
  return {
    version: recorded.streamVersion,
    position: recorded.globalPosition,
    type: recorded.type,
    recordedAt: recorded.metadata.recordedAt,
    actor: recordedActor(recorded),
    ...(reason === undefined ? {} : { reason }),
    correlationId: recorded.metadata.correlationId,
    diff,
  };
}

function linesAfter(recorded: TrackerRecordedEvent | undefined): readonly PledgeLine[] {
  switch (recorded?.type) {
    case 'PledgeSubmitted':
    case 'PledgeRevised':
    case 'PledgeWithdrawn':
      return pledgeLinesAfter(recorded);
    default:
      return NO_LINES;
  }
}

/** The events recorded at or before the cut (all of them without one). */
export function withinCut(
  events: readonly RecordedEvent[],
  upToPosition: GlobalPosition | undefined,
) {
  return upToPosition === undefined
    ? events
    : events.filter((event) => event.globalPosition <= upToPosition);
}

/** Whether the stream had begun at the cut (it has, when there is no cut). */
export async function existedAt(
  source: HistorySource,
  streamId: string,
  upToPosition: GlobalPosition | undefined,
): Promise<boolean> {
  const first = await source.readStream(streamId, { upToVersion: 1 });
  const event = first.events[0];
  return (
    event !== undefined && (upToPosition === undefined || event.globalPosition <= upToPosition)
  );
}

/**
 * One page of a pledge's versions, oldest first, each with its diff against the version before
 * it: the page and the version before it are all that is read. Undefined for a pledge that did not
 * exist (at the cut).
 */
export async function pledgeHistoryPage(
  source: HistorySource,
  planId: string,
  memberState: string,
  options: HistoryPageOptions = {},
): Promise<HistoryPage | undefined> {
  const streamId = pledgeStreamId(planId, memberState);
  if (!(await existedAt(source, streamId, options.upToPosition))) return undefined;
  const after = Math.max(0, Math.floor(options.after ?? 0));
  const limit = pageLimit(options.limit);
  // The version before the page (for the first diff) and one past it (is there a next page?).
  const read = await source.readStream(streamId, {
    fromVersion: Math.max(0, after - 1),
    upToVersion: after + limit + 1,
  });
  const events = withinCut(read.events, options.upToPosition).map(decodeRecordedEvent);
  let previous = linesAfter(events.find((event) => event.streamVersion === after));
  const page = events.filter((event) => event.streamVersion > after);
  const versions = page.slice(0, limit).map((recorded) => {
    const lines = linesAfter(recorded);
    const diff = diffLines(previous, lines);
    previous = lines;
    return historyEntry(recorded, diff);
  });
  const last = versions[versions.length - 1];
  return {
    versions,
    nextAfterVersion: page.length > limit && last !== undefined ? last.version : null,
  };
}

/**
 * One page of a plan's versions, as a scope may see them. A plan stream holds one event per act of
 * the Commission or the Council, so it is folded whole (up to the cut) for the diffs and for
 * whether the plan is adopted, which decides what a Member State sees of the Council's acts.
 */
export async function planHistoryPage(
  source: HistorySource,
  planId: string,
  scope: ReadScope = { kind: 'all' },
  options: HistoryPageOptions = {},
): Promise<HistoryPage | undefined> {
  const read = await source.readStream(unionPlanStreamId(planId));
  const events = withinCut(read.events, options.upToPosition).map(decodeRecordedEvent);
  if (events.length === 0) return undefined;
  const after = Math.max(0, Math.floor(options.after ?? 0));
  const limit = pageLimit(options.limit);
  let state: UnionPlanState = unionPlanDecider.initialState();
  const entries: StreamHistoryEntry[] = [];
  const diffs: { recorded: TrackerRecordedEvent; diff: PlanDiff }[] = [];
  for (const recorded of events) {
    if (!isPlanEvent(recorded)) continue;
    const before = state;
    state = unionPlanDecider.evolve(before, recorded);
    diffs.push({ recorded, diff: planDiffFor(before, state, recorded) });
  }
  const planAdopted = state.status === 'adopted';
  const page = diffs.filter(({ recorded }) => recorded.streamVersion > after);
  for (const { recorded, diff } of page.slice(0, limit)) {
    entries.push(historyEntry(recorded, planDiffInScope(recorded, diff, scope, planAdopted)));
  }
  const last = entries[entries.length - 1];
  return {
    versions: entries,
    nextAfterVersion: page.length > limit && last !== undefined ? last.version : null,
  };
}

function isPlanEvent(event: TrackerRecordedEvent): event is TrackerRecordedEvent & UnionPlanEvent {
  switch (event.type) {
    case 'UnionPlanCreated':
    case 'PledgingOpened':
    case 'PledgingClosed':
    case 'PlanProposed':
    case 'PlanAdopted':
    case 'PlanAmended':
      return true;
    case 'PledgeSubmitted':
    case 'PledgeRevised':
    case 'PledgeWithdrawn':
    case 'ImplementationReportSubmitted':
    case 'ImplementationReportCorrected':
      return false;
  }
}

// ---- the audit feed ----

/** At most this many events are scanned for one page of a filtered feed. */
export const FEED_SCAN_BUDGET = 10_000;
const FEED_CHUNK = 500;

export const DEFAULT_FEED_LIMIT = DEFAULT_PAGE_LIMIT;
export const MAX_FEED_LIMIT = MAX_PAGE_LIMIT;

function toFeedEntry(recorded: TrackerRecordedEvent): AuditFeedEntry {
  const memberState = 'memberState' in recorded.data ? recorded.data.memberState : undefined;
  const reason = reasonOf(recorded);
  return {
    position: recorded.globalPosition,
    streamId: recorded.streamId,
    streamVersion: recorded.streamVersion,
    type: recorded.type,
    planId: recorded.data.planId,
    ...(memberState === undefined ? {} : { memberState }),
    actorId: recorded.metadata.actor.id,
    actorRole: recorded.metadata.actor.role,
    ...(recorded.metadata.actor.name !== undefined && { actorName: recorded.metadata.actor.name }),
    recordedAt: recorded.metadata.recordedAt,
    ...(reason === undefined ? {} : { reason }),
    correlationId: recorded.metadata.correlationId,
    schemaVersion: storedSchemaVersion(recorded),
    data: recorded.data,
  };
}

function instantOf(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) throw new RangeError(`${name} is not an ISO 8601 instant: ${value}`);
  return instant;
}

/** What the feed needs besides the store: the live log's extent and time, and which streams exist. */
export interface FeedContext {
  /** The live checkpoint: the feed never reads past what the read models have seen. */
  readonly checkpoint: GlobalPosition;
  /** The position of the log as of an instant (see `Projector.positionOf`). */
  positionAt(instant: string): Promise<GlobalPosition>;
  readonly plans: PlanReadModelState;
}

/**
 * How many of a stream's events sit at or before a log position (the stream's version then), and
 * its version now: by binary search on versions, so a long stream costs a few reads.
 */
export async function streamVersionAt(
  source: HistorySource,
  streamId: string,
  position: GlobalPosition,
): Promise<{ readonly versionAt: number; readonly version: number }> {
  const { version } = await source.readStream(streamId, { fromVersion: Number.MAX_SAFE_INTEGER });
  // The last event alone settles the usual case: a stream with nothing after the position.
  const [last] = (
    await source.readStream(streamId, {
      fromVersion: Math.max(0, version - 1),
      upToVersion: version,
    })
  ).events;
  if (last === undefined || last.globalPosition <= position) return { versionAt: version, version };
  let low = 1;
  let high = version;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const { events: read } = await source.readStream(streamId, {
      fromVersion: middle - 1,
      upToVersion: middle,
    });
    if ((read[0]?.globalPosition ?? Infinity) <= position) low = middle + 1;
    else high = middle;
  }
  return { versionAt: low - 1, version };
}

/**
 * Events in log order from a set of streams, each read page by page from its first event (after
 * `seek`, from its first event after a position).
 */
export class StreamMerge {
  private readonly cursors: {
    streamId: string;
    next: number;
    buffer: RecordedEvent[];
    done: boolean;
  }[];

  constructor(
    private readonly source: HistorySource,
    streamIds: readonly string[],
  ) {
    this.cursors = streamIds.map((streamId) => ({ streamId, next: 1, buffer: [], done: false }));
  }

  /** Positions each stream on its first version after `after`. */
  async seek(after: GlobalPosition): Promise<void> {
    for (const cursor of this.cursors) {
      const { versionAt, version } = await streamVersionAt(this.source, cursor.streamId, after);
      cursor.next = versionAt + 1;
      cursor.done = versionAt >= version;
    }
  }

  /** The next event across the streams in position order, or undefined when all are exhausted. */
  async next(): Promise<RecordedEvent | undefined> {
    let best: (typeof this.cursors)[number] | undefined;
    for (const cursor of this.cursors) {
      if (cursor.buffer.length === 0 && !cursor.done) {
        const { events } = await this.source.readStream(cursor.streamId, {
          fromVersion: cursor.next - 1,
          upToVersion: cursor.next - 1 + FEED_CHUNK,
        });
        cursor.buffer = [...events];
        cursor.next += events.length;
        if (events.length < FEED_CHUNK) cursor.done = true;
      }
      const head = cursor.buffer[0];
      if (head === undefined) continue;
      if (
        best === undefined ||
        head.globalPosition < (best.buffer[0]?.globalPosition ?? Infinity)
      ) {
        best = cursor;
      }
    }
    return best?.buffer.shift();
  }
}

/** A participant's monthly report streams in one plan, month by month. */
function reportStreams(
  entry: PlanEntry | undefined,
  planId: string,
  memberState: string,
): string[] {
  return [...(entry?.reports.get(memberState)?.keys() ?? [])]
    .sort()
    .map((month) => implementationReportStreamId(planId, memberState, month));
}

/**
 * The streams a plan or Member State filter names, from the read model's plans, pledges and
 * monthly reports.
 */
function streamsNamed(
  plans: PlanReadModelState,
  planId: string | undefined,
  memberState: string | undefined,
): string[] | undefined {
  if (planId !== undefined && memberState !== undefined) {
    const entry = plans.plans.get(planId);
    return [pledgeStreamId(planId, memberState), ...reportStreams(entry, planId, memberState)];
  }
  if (planId !== undefined) {
    const entry = plans.plans.get(planId);
    return [
      unionPlanStreamId(planId),
      ...[...(entry?.pledges.keys() ?? [])].map((code) => pledgeStreamId(planId, code)),
      ...[...(entry?.reports.keys() ?? [])].flatMap((code) => reportStreams(entry, planId, code)),
    ];
  }
  if (memberState !== undefined) {
    return [...plans.plans.entries()].flatMap(([id, entry]) => [
      ...(entry.pledges.has(memberState) ? [pledgeStreamId(id, memberState)] : []),
      ...reportStreams(entry, id, memberState),
    ]);
  }
  return undefined;
}

/**
 * One page of the global feed, in position order, read from the store. A plan or Member State
 * filter reads only the streams it names (merged by position); any other filter scans the log
 * from `after`, at most `FEED_SCAN_BUDGET` events per page. `from` and `to` bound the scan with
 * the time index: the log as of `to`, after the log as of just before `from`.
 * Throws RangeError on an unparsable `from`/`to`.
 */
export async function queryAuditFeed(
  source: HistorySource,
  context: FeedContext,
  filter: AuditFeedFilter = {},
): Promise<AuditFeedPage> {
  const limit = pageLimit(filter.limit);
  const from = instantOf(filter.from, 'from');
  const to = instantOf(filter.to, 'to');
  const types = filter.types === undefined ? undefined : new Set(filter.types);
  const { planId, memberState, actorId } = filter;
  const until =
    filter.to === undefined
      ? context.checkpoint
      : Math.min(context.checkpoint, await context.positionAt(filter.to));
  let after = filter.afterPosition ?? 0;
  if (from !== undefined) {
    after = Math.max(after, await context.positionAt(new Date(from - 1).toISOString()));
  }

  const matches = (recorded: TrackerRecordedEvent): boolean => {
    if (planId !== undefined && recorded.data.planId !== planId) return false;
    const code = 'memberState' in recorded.data ? recorded.data.memberState : undefined;
    if (memberState !== undefined && code !== memberState) return false;
    if (actorId !== undefined && recorded.metadata.actor.id !== actorId) return false;
    if (types !== undefined && !types.has(recorded.type)) return false;
    if (from !== undefined || to !== undefined) {
      const instant = Date.parse(recorded.metadata.recordedAt);
      if (from !== undefined && !(instant >= from)) return false;
      if (to !== undefined && !(instant <= to)) return false;
    }
    return true;
  };

  const entries: AuditFeedEntry[] = [];
  const streams = streamsNamed(context.plans, planId, memberState);
  const nextEvent = await feedSource(source, streams, after, until);
  let scanned = 0;
  let lastScanned = after;
  // Past a full page, the scan goes on (within the budget) only to learn whether a next page exists.
  let nextAfterPosition: number | null = null;
  for (;;) {
    if (scanned >= FEED_SCAN_BUDGET) {
      // The budget is spent: the next page starts after the last event looked at.
      nextAfterPosition =
        entries.length === limit ? (entries[limit - 1]?.position ?? null) : lastScanned;
      break;
    }
    const recorded = await nextEvent();
    if (recorded === undefined || recorded.globalPosition > until) break;
    scanned++;
    lastScanned = recorded.globalPosition;
    const decoded = decodeRecordedEvent(recorded);
    if (!matches(decoded)) continue;
    if (entries.length === limit) {
      nextAfterPosition = entries[limit - 1]?.position ?? null;
      break;
    }
    entries.push(toFeedEntry(decoded));
  }
  return { entries, nextAfterPosition };
}

/** A pull source of events after `after`: merged named streams, or the log itself. */
async function feedSource(
  source: HistorySource,
  streams: readonly string[] | undefined,
  after: GlobalPosition,
  until: GlobalPosition,
): Promise<() => Promise<RecordedEvent | undefined>> {
  if (streams !== undefined) {
    const merge = new StreamMerge(source, streams);
    await merge.seek(after);
    return () => merge.next();
  }
  let buffer: readonly RecordedEvent[] = [];
  let index = 0;
  let position = after;
  let ended = false;
  return async () => {
    if (index >= buffer.length) {
      if (ended || position >= until) return undefined;
      buffer = await source.readAll({ fromPosition: position, maxCount: FEED_CHUNK });
      index = 0;
      if (buffer.length < FEED_CHUNK) ended = true;
      const last = buffer[buffer.length - 1];
      if (last === undefined) return undefined;
      position = last.globalPosition;
    }
    return buffer[index++];
  };
}
