/**
 * The Member States' pledged total after every pledge event of a plan: the "pledged total over
 * time" chart. Read from the store like a history, never from a copy of the log: only the plan's
 * pledge streams, merged in log order. Associated states' indications stay outside, as in the
 * plan's figures (Art. 12), and a pledge's figures are the read model's own (`countedLines`).
 *
 * At most `MAX_TIMELINE_POINTS` points: a longer timeline is thinned evenly, first and last kept.
 * Only the events that make a point are decoded and counted: every pledge event carries the
 * pledge's whole set of lines (or withdraws it), so the state after one does not depend on the
 * events skipped before it. The rest of the log between points is read, never decoded.
 */
import { isAssociatedState } from '../domain/reference';
import {
  pledgeDecider,
  pledgeStreamId,
  type PledgeEvent,
  type PledgeState,
} from '../domain/pledge/pledge';
import {
  ADMISSION_TYPES,
  countByAdmissionType,
  totalPersons,
  zeroAdmissionTypeCounts,
  type AdmissionTypeCounts,
} from '../domain/shared/pledgeLine';
import { unionPlanStreamId } from '../domain/unionPlan/unionPlanEvents';
import type { GlobalPosition, RecordedEvent } from '../eventStore/port';
import { decodeRecordedEvent, type TrackerRecordedEvent } from '../events/trackerRecordedEvent';
import { StreamMerge, streamVersionAt, type HistorySource } from './auditHistory';
import { countedLines } from './planReadModel/model';
import { inScope, type ReadScope } from './readScope';

export const MAX_TIMELINE_POINTS = 500;

export interface TimelinePoint {
  readonly position: GlobalPosition;
  readonly recordedAt: string;
  /** The Member State whose pledge event this point follows. */
  readonly memberState: string;
  readonly type: PledgeEvent['type'];
  /** Every Member State's active pledges (in scope) right after the event. */
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
}

export interface PledgeTimeline {
  readonly planId: string;
  /** `all`, or the one Member State whose pledge this timeline follows. */
  readonly scope: ReadScope;
  readonly points: TimelinePoint[];
}

/**
 * The indices (0-based, in log order) of the events that become points: all of them up to the
 * limit, else `limit` evenly spread ones, the first and the last among them.
 */
export function thinnedIndices(count: number, limit: number = MAX_TIMELINE_POINTS): number[] {
  if (count <= limit) return Array.from({ length: count }, (_, index) => index);
  if (limit <= 1) return [count - 1];
  // With count > limit the step exceeds 1, so rounding never repeats an index.
  const step = (count - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, k) => Math.round(k * step));
}

interface PledgeFigures {
  state: PledgeState;
  total: number;
  byAdmissionType: AdmissionTypeCounts;
  /** The stream's latest event read but not yet counted. */
  pending: RecordedEvent | undefined;
}

/**
 * The timeline of a plan's Member State pledges up to a log position, as a scope may see it: a
 * Member State follows its own pledge alone. `participants` names the plan's pledgers (the read
 * model's); undefined when the plan did not exist at the position.
 */
export async function pledgeTimeline(
  source: HistorySource,
  planId: string,
  participants: Iterable<string>,
  scope: ReadScope,
  upToPosition: GlobalPosition,
): Promise<PledgeTimeline | undefined> {
  const [created] = (await source.readStream(unionPlanStreamId(planId), { upToVersion: 1 })).events;
  if (created === undefined || created.globalPosition > upToPosition) return undefined;

  const streamIds = [...participants]
    .filter((code) => !isAssociatedState(code) && inScope(scope, code))
    .sort()
    .map((code) => pledgeStreamId(planId, code));
  let count = 0;
  for (const streamId of streamIds) {
    count += (await streamVersionAt(source, streamId, upToPosition)).versionAt;
  }
  const selected = thinnedIndices(count);

  const pledges = new Map<string, PledgeFigures>();
  const dirty = new Set<PledgeFigures>();
  let total = 0;
  const byAdmissionType = zeroAdmissionTypeCounts();
  const points: TimelinePoint[] = [];
  const merge = new StreamMerge(source, streamIds);
  let next = 0;
  for (let index = 0; next < selected.length; index++) {
    const recorded = await merge.next();
    if (recorded === undefined || recorded.globalPosition > upToPosition) break;
    let pledge = pledges.get(recorded.streamId);
    if (pledge === undefined) {
      pledge = {
        state: pledgeDecider.initialState(),
        total: 0,
        byAdmissionType: zeroAdmissionTypeCounts(),
        pending: undefined,
      };
      pledges.set(recorded.streamId, pledge);
    }
    pledge.pending = recorded;
    dirty.add(pledge);
    if (index !== selected[next]) continue;
    next++;

    // Bring every pledge changed since the last point up to date, this event's included.
    let event: RecordedPledgeEvent | undefined;
    for (const changed of dirty) {
      if (changed.pending === undefined) continue;
      const decoded = decodeRecordedEvent(changed.pending);
      if (!isPledgeEvent(decoded)) continue;
      changed.state = pledgeDecider.evolve(changed.state, decoded);
      const lines = countedLines(changed.state);
      const counts = countByAdmissionType(lines);
      const persons = totalPersons(lines);
      total += persons - changed.total;
      for (const type of ADMISSION_TYPES) {
        byAdmissionType[type] += counts[type] - changed.byAdmissionType[type];
      }
      changed.total = persons;
      changed.byAdmissionType = counts;
      changed.pending = undefined;
      if (changed === pledge) event = decoded;
    }
    dirty.clear();
    if (event === undefined) continue;
    points.push({
      position: recorded.globalPosition,
      recordedAt: event.metadata.recordedAt,
      memberState: event.data.memberState,
      type: event.type,
      total,
      byAdmissionType: { ...byAdmissionType },
    });
  }
  return { planId, scope, points };
}

type RecordedPledgeEvent = TrackerRecordedEvent & PledgeEvent;

function isPledgeEvent(event: TrackerRecordedEvent): event is RecordedPledgeEvent {
  switch (event.type) {
    case 'PledgeSubmitted':
    case 'PledgeRevised':
    case 'PledgeWithdrawn':
      return true;
    case 'UnionPlanCreated':
    case 'PledgingOpened':
    case 'PledgingClosed':
    case 'PlanProposed':
    case 'PlanAdopted':
    case 'PlanAmended':
    case 'ImplementationReportSubmitted':
    case 'ImplementationReportCorrected':
      return false;
  }
}
