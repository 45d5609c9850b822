import { AsOfLink } from '../../asOf/AsOfLink';
import { describeAsOf, useAsOf } from '../../asOf';
import { ApiError } from '../../api/problems';
import { DataTable } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/format';
import { LazyDetails } from '../../components/LazyDetails';
import { CreatePlanForm } from './CreatePlanForm';
import { PLAN_STATUS_LABELS, PLAN_STATUS_TONES, type PlanView } from './labels';
import { usePlanPages } from './planApi';

/** `/commission`: every plan with its stage, and the form that starts the next one. */
export function PlansPage() {
  const { value } = useAsOf();
  return (
    <>
      <PageHeader
        title="Plans"
        lead="The Union Resettlement and Humanitarian Admission Plans, from draft to adoption."
      />
      {value !== undefined && (
        <p className="note">
          The plans and their stages as they stood at {describeAsOf(value)}; a plan created later is
          not listed. Each plan opens as of the same time.
        </p>
      )}
      <PlanList />
      {/* A plan is created once in two years: its form (and its date fields, costly for a page
          to build) waits behind its summary until wanted. */}
      <LazyDetails className="create-plan-panel" summary="Create a plan">
        <CreatePlanForm />
      </LazyDetails>
    </>
  );
}

function PlanList() {
  const plans = usePlanPages();
  if (plans.isPending) return <Loading label="Loading the plans" />;
  if (plans.isError) {
    const problem = plans.error instanceof ApiError ? plans.error.problem : undefined;
    return <ProblemAlert problem={problem} title="The plans could not be read" />;
  }
  const rows: PlanView[] = plans.data.pages.flatMap((page) => page.plans);
  return (
    <section aria-labelledby="plan-list">
      <h2 id="plan-list">The plans</h2>
      <DataTable<PlanView>
        caption={`Plans (${rows.length}${plans.hasNextPage ? ' so far' : ''})`}
        rows={rows}
        rowKey={(plan) => plan.planId}
        emptyMessage="No plan yet: create the first one below."
        csvFileName="plans"
        columns={[
          {
            key: 'planId',
            header: 'Plan',
            rowHeader: true,
            value: (plan) => plan.planId,
            cell: (plan) => (
              <AsOfLink to={`/commission/plans/${encodeURIComponent(plan.planId)}`}>
                Plan {plan.planId}
              </AsOfLink>
            ),
          },
          {
            key: 'status',
            header: 'Stage',
            value: (plan) => PLAN_STATUS_LABELS[plan.status],
            cell: (plan) => (
              <StatusBadge
                label={PLAN_STATUS_LABELS[plan.status]}
                tone={PLAN_STATUS_TONES[plan.status]}
              />
            ),
          },
          {
            key: 'period',
            header: 'Period',
            value: (plan) => `${plan.periodStart} to ${plan.periodEnd}`,
            cell: (plan) => (
              <>
                <time dateTime={plan.periodStart}>{formatDate(plan.periodStart)}</time> to{' '}
                <time dateTime={plan.periodEnd}>{formatDate(plan.periodEnd)}</time>
              </>
            ),
          },
          {
            key: 'deadline',
            header: 'Pledging deadline',
            value: (plan) => plan.pledgingDeadline ?? '',
            cell: (plan) =>
              plan.pledgingDeadline ? (
                <time dateTime={plan.pledgingDeadline}>{formatDate(plan.pledgingDeadline)}</time>
              ) : (
                'None'
              ),
          },
          {
            key: 'floor',
            header: 'Resettlement floor (%)',
            numeric: true,
            value: (plan) => plan.resettlementFloorPercent,
          },
        ]}
      />
      {plans.hasNextPage && (
        <p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void plans.fetchNextPage()}
            disabled={plans.isFetchingNextPage}
          >
            {plans.isFetchingNextPage ? 'Loading more plans…' : 'Show more plans'}
          </button>
        </p>
      )}
    </section>
  );
}
