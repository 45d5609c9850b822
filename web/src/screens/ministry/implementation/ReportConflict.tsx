import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import {
  fetchReport,
  fetchReportHistoryPage,
  type AdmissionLine,
  type ProcedureCounts,
  type ReportHistoryEntry,
  type ReportView,
} from '../../../api/implementation';
import type { ApiError } from '../../../api/problems';
import { Loading } from '../../../components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import type { LineReference } from '../../../components/lines';
import { formatCount, formatDateTime } from '../../../lib/format';
import { REPORT_EVENT_LABELS } from '../../../lib/labels';
import { actorLabel } from '../pledgeApi';
import { diffAdmissions } from './reportDiff';
import { ReportDiffList } from './ReportDiffList';
import type { ReportBase } from './ReportForm';

/** The report as it stands now and the entry that made it, read afresh after a refusal. */
interface CurrentState {
  readonly report: ReportView | null;
  readonly entry: ReportHistoryEntry | undefined;
}

async function fetchCurrentState(
  planId: string,
  memberState: string,
  month: string,
): Promise<CurrentState> {
  const report = await fetchReport(planId, memberState, month, undefined);
  if (report === null) return { report, entry: undefined };
  const page = await fetchReportHistoryPage(
    planId,
    memberState,
    month,
    undefined,
    report.version - 1,
    1,
  );
  return { report, entry: page.versions.find((entry) => entry.version === report.version) };
}

const NO_REPORT = { admissions: [], procedure: undefined } as const;

const personsOf = (lines: readonly AdmissionLine[]) =>
  lines.reduce((sum, line) => sum + line.persons, 0);

/**
 * Shown when a report write was refused because the month's report changed since it was loaded
 * (412): who recorded what, when and why, beside the edits not sent, and the two ways on. Nothing
 * is sent from here.
 */
export function ReportConflict({
  planId,
  memberState,
  month,
  startedFrom,
  myAdmissions,
  myProcedure,
  reference,
  onReapply,
  onDiscard,
}: {
  readonly planId: string;
  readonly memberState: string;
  readonly month: string;
  /** The version the edits started from, or null for a first report. */
  readonly startedFrom: ReportBase | null;
  readonly myAdmissions: readonly AdmissionLine[];
  readonly myProcedure: ProcedureCounts | undefined;
  readonly reference: LineReference;
  readonly onReapply: (current: ReportView | null) => void;
  readonly onDiscard: (current: ReportView | null) => void;
}) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const current = useQuery<CurrentState, ApiError>({
    queryKey: ['report-conflict', planId, memberState, month, startedFrom?.version ?? 0],
    queryFn: () => fetchCurrentState(planId, memberState, month),
    staleTime: 0,
    gcTime: 0,
  });
  // The refusal interrupts the person: take them to the explanation.
  useEffect(() => headingRef.current?.focus(), []);
  const base = startedFrom ?? NO_REPORT;
  const mine = { admissions: myAdmissions, procedure: myProcedure };

  return (
    <section className="conflict-view" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        Someone else recorded this month’s report while you were editing
      </h2>
      <p>
        Your report was not saved: it was made to{' '}
        {startedFrom === null ? 'a month not reported yet' : `version ${startedFrom.version}`}, and
        the report has moved on since. Nothing is lost: your edits are still in the form.
      </p>
      {current.isPending && <Loading label="Loading the current version" />}
      {current.error && (
        <ProblemAlert
          problem={current.error.problem}
          title="The current version could not be loaded"
          focusOnShow={false}
        />
      )}
      {current.data && (
        <>
          <div className="ministry-columns">
            <div>
              <h3>
                Their change:{' '}
                {startedFrom === null ? 'no report' : `version ${startedFrom.version}`} →{' '}
                {current.data.report === null
                  ? 'no report'
                  : `version ${current.data.report.version}`}
              </h3>
              {current.data.entry !== undefined && (
                <p>
                  {REPORT_EVENT_LABELS[current.data.entry.type] ?? current.data.entry.type} by{' '}
                  <strong>{actorLabel(current.data.entry.actor)}</strong>
                  {current.data.entry.onBehalf && ' (the Commission, on our behalf)'} on{' '}
                  <time dateTime={current.data.entry.recordedAt}>
                    {formatDateTime(current.data.entry.recordedAt)}
                  </time>
                  {current.data.entry.reason !== undefined && (
                    <>, giving the reason “{current.data.entry.reason}”</>
                  )}
                  .
                </p>
              )}
              {current.data.report !== null && (
                <p>{formatCount(current.data.report.admitted)} persons admitted.</p>
              )}
              <ReportDiffList
                diff={diffAdmissions(base, current.data.report ?? NO_REPORT)}
                reference={reference}
                emptyMessage="The report is the same; only the version moved on."
              />
            </div>
            <div>
              <h3>Your edits (not sent)</h3>
              <p>{formatCount(personsOf(myAdmissions))} persons admitted.</p>
              <ReportDiffList
                diff={diffAdmissions(base, mine)}
                reference={reference}
                emptyMessage="You have not changed anything."
              />
            </div>
          </div>
          <div className="ministry-actions">
            <button type="button" className="button" onClick={() => onReapply(current.data.report)}>
              Reload their version and reapply my changes
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => onDiscard(current.data.report)}
            >
              Discard my changes
            </button>
          </div>
        </>
      )}
    </section>
  );
}
