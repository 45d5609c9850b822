import { useParams } from 'react-router';
import { useFulfilment, useReportList, type ReportView } from '../../../api/implementation';
import { usePlan } from '../../../api/plans';
import { AsOfLink, useAsOf } from '../../../asOf';
import { DataTable, type DataTableColumn } from '../../../components/DataTable';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { StatusBadge, type StatusTone } from '../../../components/StatusBadge';
import { formatCount, formatDateTime, formatMonth, formatPercent } from '../../../lib/format';
import { PledgeTabs } from '../PledgePage';
import { useMemberState } from '../useMemberState';
import { monthsBegun, monthTiming, type MonthTiming } from './months';
import { recordedBy } from './ReportPage';
import {
  CountsOnlyNotice,
  fulfilmentPath,
  implementationPath,
  useReferenceInstant,
} from './shared';
import { ownFulfilment } from './fulfilmentModel';

interface MonthRow {
  readonly month: string;
  readonly timing: MonthTiming;
  readonly report: ReportView | undefined;
}

/** Where a month stands, in words and a tone. */
export function monthState(row: Omit<MonthRow, 'month'>): {
  readonly label: string;
  readonly tone: StatusTone;
} {
  const { report, timing } = row;
  if (report === undefined) {
    return timing === 'ended'
      ? { label: 'Not reported', tone: 'warning' }
      : { label: 'Month in progress', tone: 'neutral' };
  }
  if (report.version > 1) return { label: `Corrected (version ${report.version})`, tone: 'info' };
  return { label: 'Reported', tone: 'success' };
}

function monthColumns(planId: string): DataTableColumn<MonthRow>[] {
  return [
    {
      key: 'month',
      header: 'Month',
      rowHeader: true,
      value: (row) => row.month,
      cell: (row) => (
        <AsOfLink to={implementationPath(planId, row.month)} className="month-link">
          {formatMonth(row.month)}
        </AsOfLink>
      ),
    },
    {
      key: 'state',
      header: 'Report',
      value: (row) => monthState(row).label,
      cell: (row) => {
        const state = monthState(row);
        return <StatusBadge label={state.label} tone={state.tone} />;
      },
    },
    {
      key: 'admitted',
      header: 'Persons admitted',
      numeric: true,
      value: (row) => row.report?.admitted,
    },
    {
      key: 'groups',
      header: 'In Art. 19(3) groups',
      numeric: true,
      value: (row) => row.report?.vulnerablePersons,
    },
    {
      key: 'recorded',
      header: 'Last recorded',
      value: (row) =>
        row.report === undefined ? '' : `${row.report.updatedAt}, ${recordedBy(row.report)}`,
      cell: (row) =>
        row.report === undefined ? (
          ''
        ) : (
          <>
            <time dateTime={row.report.updatedAt}>{formatDateTime(row.report.updatedAt)}</time>
            <br />
            {row.report.onBehalf ? 'by the Commission, on our behalf' : 'by our ministry'}
          </>
        ),
    },
    {
      key: 'history',
      header: 'History',
      value: (row) => (row.report === undefined ? '' : `${row.report.version} versions`),
      cell: (row) =>
        row.report === undefined ? (
          ''
        ) : (
          <AsOfLink to={`${implementationPath(planId, row.month)}/history`}>
            {row.report.version === 1 ? '1 version' : `${row.report.version} versions`}
            <span className="visually-hidden"> of the report for {formatMonth(row.month)}</span>
          </AsOfLink>
        ),
    },
  ];
}

/**
 * `/ministry/plans/:planId/implementation`: every month of the plan period begun so far, newest
 * first, with where our report for it stands, each linking to its report.
 */
export function ImplementationPage() {
  const { planId = '' } = useParams();
  const memberState = useMemberState();
  const { isPast } = useAsOf();
  const plan = usePlan(planId);
  const adopted = plan.data?.status === 'adopted';
  const reports = useReportList(planId, memberState);
  const fulfilment = useFulfilment(planId);
  const reference = useReferenceInstant(fulfilment.data?.referenceInstant);
  const own =
    fulfilment.data === undefined ? undefined : ownFulfilment(fulfilment.data, memberState);
  const problem = plan.error ?? (adopted ? reports.error : null);

  const byMonth = new Map(
    [...(reports.data?.reports ?? []), ...(reports.data?.associatedStates ?? [])]
      .filter((report) => report.memberState === memberState)
      .map((report) => [report.month, report]),
  );
  const rows: MonthRow[] =
    plan.data === undefined
      ? []
      : monthsBegun(plan.data, reference).map((month) => ({
          month,
          timing: monthTiming(month, reference),
          report: byMonth.get(month),
        }));
  // Oldest first, as months are read in a sentence.
  const missing = rows
    .filter((row) => row.report === undefined && row.timing === 'ended')
    .reverse();

  return (
    <>
      <PageHeader
        title={`Monthly reports for plan ${planId}`}
        lead={`The persons ${memberState} admitted under the adopted plan, month by month, and the admission procedure’s counts (Art. 9).`}
      />
      <PledgeTabs planId={planId} adopted={adopted} />
      {problem && (
        <ProblemAlert problem={problem.problem} title="The reports could not be loaded" />
      )}
      {!problem && (plan.isPending || (adopted && reports.isPending)) && (
        <Loading label="Loading the reports" />
      )}
      {plan.data && !adopted && (
        <p className="ministry-notice">
          Plan {planId} is not adopted yet: admissions are reported month by month once the Council
          has adopted it.
        </p>
      )}
      {plan.data && adopted && reports.data && (
        <>
          <CountsOnlyNotice />
          <section aria-labelledby="implementation-summary">
            <h2 id="implementation-summary">So far{isPast ? ' (then)' : ''}</h2>
            <dl className="ministry-summary">
              {own !== undefined && (
                <>
                  <dt>Admitted</dt>
                  <dd>
                    {formatCount(own.row.admitted)} of the {formatCount(own.row.adopted)} persons of
                    our adopted contribution
                    {own.row.percent !== null && ` (${formatPercent(own.row.percent)})`}
                  </dd>
                </>
              )}
              <dt>Months reported</dt>
              <dd>
                {formatCount(rows.filter((row) => row.report !== undefined).length)} of{' '}
                {formatCount(rows.length)} begun
              </dd>
              <dt>Months ended without a report</dt>
              <dd>
                {missing.length === 0
                  ? 'None'
                  : missing.map((row) => formatMonth(row.month)).join(', ')}
              </dd>
            </dl>
            <p>
              <AsOfLink to={fulfilmentPath(planId)}>
                Our fulfilment of the plan: pace, admission types and AMIF lump sums
              </AsOfLink>
            </p>
          </section>
          <DataTable
            caption={`Months of plan ${planId} begun so far, newest first, and the report of ${memberState} for each`}
            columns={monthColumns(planId)}
            rows={rows}
            rowKey={(row) => row.month}
            csvFileName={`monthly-reports-${planId}-${memberState}`}
            emptyMessage="No month of the plan period has begun yet."
          />
        </>
      )}
    </>
  );
}
