import { useParams } from 'react-router';
import { usePlan } from '../../api/plans';
import { api, type Schema } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { AsOfLink, useAsOf } from '../../asOf';
import { DataTable } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { Tabs } from '../../components/Tabs';
import { formatCount, formatDateTime } from '../../lib/format';
import { PLAN_STATUS_LABELS } from '../../lib/labels';

type PledgeView = Schema<'PledgeView'>;

/**
 * The plan's sections for an auditor; links keep `asOf`. Fulfilment shows once the plan is
 * adopted at the point of the log being read.
 */
export function AuditPlanTabs({ planId }: { readonly planId: string }) {
  const plan = usePlan(planId);
  const base = `/audit/plans/${encodeURIComponent(planId)}`;
  return (
    <Tabs
      label={`Plan ${planId}`}
      items={[
        { to: base, label: 'Plan and pledges', end: true },
        { to: `${base}/figures`, label: 'Figures' },
        ...(plan.data?.status === 'adopted'
          ? [{ to: `${base}/fulfilment`, label: 'Fulfilment' }]
          : []),
      ]}
    />
  );
}

/**
 * `/audit/plans/:planId`: the plan and every pledge, read as of the global `asOf`, so an auditor
 * sees the numbers as they stood at any point of the log.
 */
export function AuditPlanPage() {
  const { planId = '' } = useParams();
  const { value } = useAsOf();
  const plan = usePlan(planId);
  const pledges = useApiQuery(['pledges', planId], (asOf) =>
    api.GET('/api/v1/plans/{planId}/pledges', { params: { path: { planId }, query: { asOf } } }),
  );
  const totals = useApiQuery(['totals', planId, 'pledges'], (asOf) =>
    api.GET('/api/v1/plans/{planId}/totals', {
      params: { path: { planId }, query: { asOf, view: 'pledges' } },
    }),
  );
  return (
    <>
      <PageHeader
        title={`Plan ${planId}`}
        lead={
          value ? 'As the log stood at the point chosen in time travel.' : 'As the log stands now.'
        }
      />
      <AuditPlanTabs planId={planId} />
      {plan.isPending && <Loading label="Reading the plan" />}
      {plan.error && (
        <ProblemAlert problem={plan.error.problem} title="The plan could not be read" />
      )}
      {plan.data && (
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge tone="info" label={PLAN_STATUS_LABELS[plan.data.status]} />
            </dd>
          </div>
          <div>
            <dt>Pledged total (Member States)</dt>
            <dd data-testid="pledged-total">
              {totals.data ? formatCount(totals.data.total) : totals.error ? 'not available' : '…'}
            </dd>
          </div>
          <div>
            <dt>Plan version</dt>
            <dd>{plan.data.version}</dd>
          </div>
          <div>
            <dt>Read at log position</dt>
            <dd data-testid="as-of-position">{plan.data.asOfPosition}</dd>
          </div>
        </dl>
      )}
      {totals.error && (
        <ProblemAlert
          problem={totals.error.problem}
          title="The totals could not be read"
          focusOnShow={false}
        />
      )}
      <h2>Pledges</h2>
      {pledges.isPending && <Loading label="Reading the pledges" />}
      {pledges.error && (
        <ProblemAlert
          problem={pledges.error.problem}
          title="The pledges could not be read"
          focusOnShow={false}
        />
      )}
      {pledges.data && (
        <>
          <PledgeTable
            caption="Member States' pledges"
            rows={pledges.data.pledges}
            planId={planId}
          />
          {pledges.data.associatedStates.length > 0 && (
            <PledgeTable
              caption="Associated states' indications (Art. 12)"
              rows={pledges.data.associatedStates}
              planId={planId}
            />
          )}
        </>
      )}
    </>
  );
}

function PledgeTable({
  caption,
  rows,
  planId,
}: {
  readonly caption: string;
  readonly rows: readonly PledgeView[];
  readonly planId: string;
}) {
  return (
    <DataTable<PledgeView>
      caption={caption}
      rows={rows}
      rowKey={(row) => row.memberState}
      emptyMessage="No pledge at this point of the log."
      csvFileName={`pledges-${planId}`}
      columns={[
        { key: 'ms', header: 'Member State', value: (row) => row.memberState, rowHeader: true },
        {
          key: 'status',
          header: 'Status',
          value: (row) => (row.status === 'active' ? 'Active' : 'Withdrawn'),
        },
        { key: 'version', header: 'Version', value: (row) => row.version, numeric: true },
        { key: 'total', header: 'Persons', value: (row) => row.total, numeric: true },
        {
          key: 'updated',
          header: 'Last changed',
          value: (row) => row.updatedAt,
          cell: (row) => <time dateTime={row.updatedAt}>{formatDateTime(row.updatedAt)}</time>,
        },
        {
          key: 'compare',
          header: 'Versions',
          value: () => '',
          cell: (row) => (
            <AsOfLink
              to={`/audit/compare?subject=pledge&planId=${encodeURIComponent(planId)}&memberState=${encodeURIComponent(row.memberState)}`}
            >
              Compare versions
              <span className="visually-hidden"> of the pledge of {row.memberState}</span>
            </AsOfLink>
          ),
        },
      ]}
    />
  );
}
