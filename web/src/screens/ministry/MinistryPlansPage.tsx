import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import type { ApiError } from '../../api/problems';
import { AsOfLink, useAsOf } from '../../asOf';
import { DataTable, type DataTableColumn } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StatusBadge, type StatusTone } from '../../components/StatusBadge';
import { formatCount } from '../../lib/format';
import { ministryPlansQuery, ownPledgeQuery, type PlanView, type Pledge } from './pledgeApi';
import { PLAN_STATUS_LABELS, PLAN_STATUS_TONES, periodText } from './planLabels';
import { useMemberState } from './useMemberState';

interface PlanRow {
  readonly plan: PlanView;
  /** undefined while loading, null when there is no pledge (yet), else the pledge. */
  readonly pledge: Pledge | null | undefined;
  readonly pledgeError: ApiError | null;
}

/** The state of our own pledge in words and a tone. */
function pledgeState(row: PlanRow): { readonly label: string; readonly tone: StatusTone } {
  // Looking at the past, a plan created later did not exist yet.
  if (row.pledgeError?.code === 'plan_not_found')
    return { label: 'Plan not created yet', tone: 'neutral' };
  if (row.pledgeError !== null) return { label: 'Could not be read', tone: 'danger' };
  if (row.pledge === undefined) return { label: 'Loading…', tone: 'neutral' };
  if (row.pledge === null) {
    return row.plan.status === 'pledging_open'
      ? { label: 'Not pledged yet', tone: 'warning' }
      : { label: 'No pledge', tone: 'neutral' };
  }
  const { pledge } = row;
  if (pledge.status === 'withdrawn')
    return { label: `Withdrawn (version ${pledge.version})`, tone: 'neutral' };
  const persons = `${formatCount(pledge.total)} persons, version ${pledge.version}`;
  if (pledge.pendingAmendment)
    return { label: `${persons}, awaiting an amendment`, tone: 'warning' };
  return { label: `Pledged: ${persons}`, tone: 'success' };
}

/** `/ministry`: every plan, its state, and where our own pledge stands in it. */
export function MinistryPlansPage() {
  const memberState = useMemberState();
  const { asOf, isPast } = useAsOf();
  const plans = useInfiniteQuery(ministryPlansQuery(asOf));
  const planList = plans.data?.pages.flatMap((page) => page.plans) ?? [];
  const pledges = useQueries({
    queries: planList.map((plan) => ownPledgeQuery(plan.planId, memberState, asOf)),
  });
  const rows: PlanRow[] = planList.map((plan, index) => {
    const pledge = pledges[index];
    return {
      plan,
      pledge: pledge?.data,
      pledgeError: pledge?.error ?? null,
    };
  });

  const columns: DataTableColumn<PlanRow>[] = [
    {
      key: 'plan',
      header: 'Plan',
      rowHeader: true,
      value: (row) => row.plan.planId,
      cell: (row) => (
        <AsOfLink to={`/ministry/plans/${encodeURIComponent(row.plan.planId)}`}>
          {row.plan.planId}
        </AsOfLink>
      ),
    },
    {
      key: 'status',
      header: `Plan status${isPast ? ' (then)' : ''}`,
      value: (row) => PLAN_STATUS_LABELS[row.plan.status],
      cell: (row) => (
        <StatusBadge
          label={PLAN_STATUS_LABELS[row.plan.status]}
          tone={PLAN_STATUS_TONES[row.plan.status]}
        />
      ),
    },
    { key: 'period', header: 'Period', value: (row) => periodText(row.plan) },
    {
      key: 'pledge',
      header: `Pledge of ${memberState}${isPast ? ' (then)' : ''}`,
      value: (row) => pledgeState(row).label,
      cell: (row) => {
        const state = pledgeState(row);
        return <StatusBadge label={state.label} tone={state.tone} />;
      },
    },
    {
      key: 'implementation',
      header: 'Implementation',
      value: (row) => (row.plan.status === 'adopted' ? 'Monthly reports' : 'Once adopted'),
      cell: (row) =>
        row.plan.status === 'adopted' ? (
          <AsOfLink to={`/ministry/plans/${encodeURIComponent(row.plan.planId)}/implementation`}>
            Monthly reports<span className="visually-hidden"> for plan {row.plan.planId}</span>
          </AsOfLink>
        ) : (
          'Once adopted'
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Our pledges"
        lead={`The plans of the Union Resettlement and Humanitarian Admission Framework and the pledge of ${memberState} in each.`}
      />
      {plans.isPending && <Loading label="Loading the plans" />}
      {plans.error && (
        <ProblemAlert problem={plans.error.problem} title="The plans could not be loaded" />
      )}
      {plans.data && (
        <>
          <DataTable
            caption={`Plans and the pledge of ${memberState}`}
            columns={columns}
            rows={rows}
            rowKey={(row) => row.plan.planId}
            csvFileName={`pledges-${memberState}`}
            emptyMessage="There are no plans yet. The Commission creates them."
          />
          {plans.hasNextPage && (
            <p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void plans.fetchNextPage()}
                disabled={plans.isFetchingNextPage}
              >
                {plans.isFetchingNextPage ? 'Loading more plans…' : 'Load more plans'}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
