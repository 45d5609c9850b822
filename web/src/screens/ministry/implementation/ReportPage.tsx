import { useRef } from 'react';
import { useParams } from 'react-router';
import { useReport, type ReportView } from '../../../api/implementation';
import { usePlan } from '../../../api/plans';
import { useAsOf } from '../../../asOf';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useLineReference } from '../../../components/lines';
import { formatCount, formatDateTime, formatMonth } from '../../../lib/format';
import { periodText } from '../planLabels';
import { PledgeTabs } from '../PledgePage';
import { useMemberState } from '../useMemberState';
import { isPeriodMonth, monthTiming } from './months';
import { ReportForm } from './ReportForm';
import { CountsOnlyNotice, ReportTabs, useReferenceInstant } from './shared';

/** Who recorded the latest version: our ministry, or the Commission on our behalf. */
export function recordedBy(report: Pick<ReportView, 'onBehalf'>): string {
  return report.onBehalf ? 'The Commission, on our behalf' : 'Our ministry';
}

function SavedReport({ report }: { readonly report: ReportView | null }) {
  return (
    <section aria-labelledby="saved-report-heading">
      <h2 id="saved-report-heading">The report as recorded</h2>
      {report === null ? (
        <p>No report recorded for this month yet.</p>
      ) : (
        <dl className="ministry-summary">
          <dt>Version</dt>
          <dd>
            {report.version}
            {report.version > 1 && ' (corrected)'}
          </dd>
          <dt>Persons admitted</dt>
          <dd>{formatCount(report.admitted)}</dd>
          <dt>Of whom in the Art. 19(3) groups</dt>
          <dd>{formatCount(report.vulnerablePersons)}</dd>
          <dt>Of whom family members (Art. 19(5))</dt>
          <dd>{formatCount(report.familyMembers)}</dd>
          <dt>Recorded by</dt>
          <dd>{recordedBy(report)}</dd>
          <dt>Last changed</dt>
          <dd>
            <time dateTime={report.updatedAt}>{formatDateTime(report.updatedAt)}</time>
          </dd>
          {report.lastReason !== undefined && (
            <>
              <dt>Reason given</dt>
              <dd>{report.lastReason}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}

/**
 * `/ministry/plans/:planId/implementation/:month`: our report of the persons admitted in one month
 * of an adopted plan's period, and the form to submit or correct it.
 */
export function ReportPage() {
  const { planId = '', month = '' } = useParams();
  const memberState = useMemberState();
  const { asOf, isPast } = useAsOf();
  const reference = useReferenceInstant();
  // After our own write, reads wait for the read models to reach it (X-Min-Position).
  const minPosition = useRef<number | undefined>(undefined);
  const plan = usePlan(planId);
  const adopted = plan.data?.status === 'adopted';
  const inPeriod = plan.data !== undefined && isPeriodMonth(month, plan.data);
  const report = useReport(planId, memberState, month, {
    minPosition: () => minPosition.current,
    enabled: adopted && inPeriod,
  });
  const lineReference = useLineReference(plan.data);
  const problem = plan.error ?? report.error ?? lineReference.error;
  const monthName = formatMonth(month);
  const begun = monthTiming(month, reference) !== 'not_begun';

  return (
    <>
      <PageHeader
        title={`Admissions of ${memberState} in ${monthName}`}
        lead={`The monthly implementation report for plan ${planId}: the persons admitted and the admission procedure’s counts (Art. 9; AMIF Art. 19).`}
      />
      <PledgeTabs planId={planId} adopted={adopted} />
      <ReportTabs planId={planId} month={month} />
      {problem && <ProblemAlert problem={problem.problem} title="The report could not be loaded" />}
      {!problem && plan.isPending && <Loading label="Loading the plan" />}
      {plan.data && !adopted && (
        <p className="ministry-notice">
          Plan {planId} is not adopted yet: admissions are reported once the Council has adopted it.
        </p>
      )}
      {plan.data && adopted && !inPeriod && (
        <p className="ministry-notice ministry-notice--warning">
          {monthName} is not a month of the plan period ({periodText(plan.data)}).
        </p>
      )}
      {plan.data && adopted && inPeriod && (
        <>
          <CountsOnlyNotice />
          {!problem && (report.isPending || lineReference.isPending) && (
            <Loading label="Loading our report" />
          )}
          {report.data !== undefined && <SavedReport report={report.data} />}
          {report.data !== undefined &&
            lineReference.reference &&
            (begun || report.data !== null ? (
              <ReportForm
                // Another point in time is another starting point for the edit.
                key={`${planId}:${month}:${asOf ?? 'now'}`}
                planId={planId}
                memberState={memberState}
                month={month}
                savedReport={report.data}
                initialReport={report.data}
                reference={lineReference.reference}
                readOnly={isPast}
                onRecorded={(position) => {
                  minPosition.current = position;
                }}
              />
            ) : (
              <p className="ministry-notice">
                {monthName} has not begun: a month is reported once it has begun.
              </p>
            ))}
        </>
      )}
    </>
  );
}
