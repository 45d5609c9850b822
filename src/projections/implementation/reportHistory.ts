/**
 * Every version of a monthly report, read from the store page by page like a pledge's history:
 * who recorded it (the Commission on the participant's behalf is marked), when, why, what the
 * report then said, and what the version changed.
 */
import { totalPersons } from '../../domain/shared/pledgeLine';
import {
  implementationReportStreamId,
  type AdmissionLine,
  type ImplementationReportEvent,
  type ProcedureCounts,
} from '../../domain/implementation/implementationReport';
import type { GlobalPosition } from '../../eventStore/port';
import { decodeRecordedEvent, type TrackerRecordedEvent } from '../../events/trackerRecordedEvent';
import {
  existedAt,
  pageLimit,
  reasonOf,
  recordedActor,
  withinCut,
  type EventActor,
  type HistoryPageOptions,
  type HistorySource,
} from '../auditHistory';
import { diffReport, NO_REPORT, type ReportContent, type ReportDiff } from './reportDiff';

export interface ReportHistoryEntry {
  readonly version: number;
  readonly position: GlobalPosition;
  readonly type: ImplementationReportEvent['type'];
  readonly recordedAt: string;
  readonly actor: EventActor;
  readonly reason?: string;
  readonly correlationId: string;
  /** Recorded by the Commission on the participant's behalf. */
  readonly onBehalf: boolean;
  /** Persons admitted in the month, as this version reports them. */
  readonly admitted: number;
  readonly admissions: readonly AdmissionLine[];
  /** `{}` when this version gave no procedure counts. */
  readonly procedure: ProcedureCounts;
  readonly diff: ReportDiff;
}

export interface ReportHistoryPage {
  readonly versions: ReportHistoryEntry[];
  /** Pass as `after` for the next page; null when this page ends the history. */
  readonly nextAfterVersion: number | null;
}

type RecordedReportEvent = TrackerRecordedEvent & ImplementationReportEvent;

function isReportEvent(recorded: TrackerRecordedEvent): recorded is RecordedReportEvent {
  switch (recorded.type) {
    case 'ImplementationReportSubmitted':
    case 'ImplementationReportCorrected':
      return true;
    case 'UnionPlanCreated':
    case 'PledgingOpened':
    case 'PledgingClosed':
    case 'PlanProposed':
    case 'PlanAdopted':
    case 'PlanAmended':
    case 'PledgeSubmitted':
    case 'PledgeRevised':
    case 'PledgeWithdrawn':
      return false;
  }
}

function contentOf(recorded: RecordedReportEvent | undefined): ReportContent {
  if (recorded === undefined) return NO_REPORT;
  return { admissions: recorded.data.admissions, procedure: recorded.data.procedure ?? {} };
}

/**
 * One page of a report's versions, oldest first, each with its diff against the version before
 * it: the page and the version before it are all that is read. Undefined for a report that did
 * not exist (at the cut).
 */
export async function reportHistoryPage(
  source: HistorySource,
  planId: string,
  memberState: string,
  month: string,
  options: HistoryPageOptions = {},
): Promise<ReportHistoryPage | undefined> {
  const streamId = implementationReportStreamId(planId, memberState, month);
  if (!(await existedAt(source, streamId, options.upToPosition))) return undefined;
  const after = Math.max(0, Math.floor(options.after ?? 0));
  const limit = pageLimit(options.limit);
  // The version before the page (for the first diff) and one past it (is there a next page?).
  const read = await source.readStream(streamId, {
    fromVersion: Math.max(0, after - 1),
    upToVersion: after + limit + 1,
  });
  const events = withinCut(read.events, options.upToPosition)
    .map(decodeRecordedEvent)
    .filter(isReportEvent);
  let previous = contentOf(events.find((event) => event.streamVersion === after));
  const page = events.filter((event) => event.streamVersion > after);
  const versions = page.slice(0, limit).map((recorded): ReportHistoryEntry => {
    const content = contentOf(recorded);
    const diff = diffReport(previous, content);
    previous = content;
    const reason = reasonOf(recorded);
    return {
      version: recorded.streamVersion,
      position: recorded.globalPosition,
      type: recorded.type,
      recordedAt: recorded.metadata.recordedAt,
      actor: recordedActor(recorded),
      ...(reason === undefined ? {} : { reason }),
      correlationId: recorded.metadata.correlationId,
      onBehalf: recorded.data.onBehalf,
      admitted: totalPersons(content.admissions),
      admissions: content.admissions,
      procedure: content.procedure,
      diff,
    };
  });
  const last = versions[versions.length - 1];
  return {
    versions,
    nextAfterVersion: page.length > limit && last !== undefined ? last.version : null,
  };
}
