import { useParams } from 'react-router';
import { useReportHistory, type ReportHistoryEntry } from '../../../api/implementation';
import { usePlan } from '../../../api/plans';
import { PageHeader } from '../../../components/PageHeader';
import { useLineReference } from '../../../components/lines';
import { formatCountChange, formatMonth } from '../../../lib/format';
import { REPORT_EVENT_LABELS } from '../../../lib/labels';
import { VersionHistory } from '../editing/VersionHistory';
import { PledgeTabs } from '../PledgePage';
import { useMemberState } from '../useMemberState';
import { admissionsDiffLines } from './reportDiff';
import { ReportDiffList } from './ReportDiffList';
import { ReportTabs } from './shared';

function admittedChange(entry: ReportHistoryEntry): string {
  return formatCountChange(entry.diff.admittedBefore, entry.diff.admittedAfter);
}

/** `/ministry/plans/:planId/implementation/:month/history`: every version of one month's report. */
export function ReportHistoryPage() {
  const { planId = '', month = '' } = useParams();
  const memberState = useMemberState();
  const plan = usePlan(planId);
  const reference = useLineReference(plan.data);
  const history = useReportHistory(planId, memberState, month);
  // A month not reported yet has no history: said as such, not as an error.
  const notReported = history.error?.code === 'report_not_found';
  const monthName = formatMonth(month);

  return (
    <>
      <PageHeader
        title={`History of our report for ${monthName}`}
        lead={`Every version of the report of ${memberState} for ${monthName} under plan ${planId}, oldest first: who recorded it, when, why, and what changed.`}
      />
      <PledgeTabs planId={planId} adopted={plan.data?.status === 'adopted'} />
      <ReportTabs planId={planId} month={month} />
      {notReported && <p>No report has been recorded for {monthName} yet.</p>}
      <VersionHistory
        history={history}
        reference={reference.reference}
        problem={plan.error ?? reference.error ?? (notReported ? null : history.error)}
        isPending={!notReported && (history.isPending || reference.isPending)}
        typeLabels={REPORT_EVENT_LABELS}
        count={{ header: 'Persons admitted', change: admittedChange }}
        diff={{
          text: (entry, lineReference) => admissionsDiffLines(entry.diff, lineReference).join('; '),
          cell: (entry, lineReference) => (
            <ReportDiffList
              diff={entry.diff}
              reference={lineReference}
              emptyMessage={
                entry.version === 1
                  ? 'Reported with no admissions.'
                  : 'Nothing changed in the counts.'
              }
            />
          ),
        }}
        caption={`Versions of the report of ${memberState} for ${monthName}`}
        csvFileName={`report-history-${planId}-${memberState}-${month}`}
        emptyMessage="No report has been recorded for this month yet."
      />
    </>
  );
}
