import { useParams } from 'react-router';
import { useReportHistory, type ReportHistoryEntry } from '../../../api/implementation';
import { usePlan } from '../../../api/plans';
import { DataTable, type DataTableColumn } from '../../../components/DataTable';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useLineReference, type LineReference } from '../../../components/lines';
import { formatCountChange, formatDateTime, formatMonth } from '../../../lib/format';
import { REPORT_EVENT_LABELS } from '../../../lib/labels';
import { PledgeTabs } from '../PledgePage';
import { actorLabel } from '../pledgeApi';
import { useMemberState } from '../useMemberState';
import { admissionsDiffLines } from './reportDiff';
import { ReportDiffList } from './ReportDiffList';
import { ReportTabs } from './shared';

function admittedChange(entry: ReportHistoryEntry): string {
  return formatCountChange(entry.diff.admittedBefore, entry.diff.admittedAfter);
}

function historyColumns(reference: LineReference): DataTableColumn<ReportHistoryEntry>[] {
  return [
    {
      key: 'version',
      header: 'Version',
      numeric: true,
      rowHeader: true,
      value: (entry) => entry.version,
    },
    {
      key: 'change',
      header: 'Change',
      value: (entry) => REPORT_EVENT_LABELS[entry.type] ?? entry.type,
    },
    {
      key: 'actor',
      header: 'By',
      value: (entry) =>
        entry.onBehalf
          ? `${actorLabel(entry.actor)} (the Commission, on our behalf)`
          : actorLabel(entry.actor),
    },
    {
      key: 'time',
      header: 'When',
      value: (entry) => entry.recordedAt,
      cell: (entry) => <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt)}</time>,
    },
    { key: 'reason', header: 'Reason', value: (entry) => entry.reason ?? '' },
    { key: 'admitted', header: 'Persons admitted', numeric: true, value: admittedChange },
    {
      key: 'diff',
      header: 'What changed',
      value: (entry) => admissionsDiffLines(entry.diff, reference).join('; '),
      cell: (entry) => (
        <ReportDiffList
          diff={entry.diff}
          reference={reference}
          emptyMessage={
            entry.version === 1 ? 'Reported with no admissions.' : 'Nothing changed in the counts.'
          }
        />
      ),
    },
  ];
}

/** `/ministry/plans/:planId/implementation/:month/history`: every version of one month's report. */
export function ReportHistoryPage() {
  const { planId = '', month = '' } = useParams();
  const memberState = useMemberState();
  const plan = usePlan(planId);
  const reference = useLineReference(plan.data);
  const history = useReportHistory(planId, memberState, month);
  const entries = history.data?.pages.flatMap((page) => page.versions) ?? [];
  const notReported = history.error?.code === 'report_not_found';
  const problem = plan.error ?? reference.error ?? (notReported ? null : history.error);
  const monthName = formatMonth(month);

  return (
    <>
      <PageHeader
        title={`History of our report for ${monthName}`}
        lead={`Every version of the report of ${memberState} for ${monthName} under plan ${planId}, oldest first: who recorded it, when, why, and what changed.`}
      />
      <PledgeTabs planId={planId} adopted={plan.data?.status === 'adopted'} />
      <ReportTabs planId={planId} month={month} />
      {problem && (
        <ProblemAlert problem={problem.problem} title="The history could not be loaded" />
      )}
      {notReported && <p>No report has been recorded for {monthName} yet.</p>}
      {!problem && !notReported && (history.isPending || reference.isPending) && (
        <Loading label="Loading the history" />
      )}
      {history.data && reference.reference && (
        <>
          <DataTable
            caption={`Versions of the report of ${memberState} for ${monthName}`}
            columns={historyColumns(reference.reference)}
            rows={entries}
            rowKey={(entry) => String(entry.version)}
            csvFileName={`report-history-${planId}-${memberState}-${month}`}
            emptyMessage="No report has been recorded for this month yet."
          />
          {history.hasNextPage && (
            <p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void history.fetchNextPage()}
                disabled={history.isFetchingNextPage}
              >
                {history.isFetchingNextPage ? 'Loading more versions…' : 'Load more'}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
