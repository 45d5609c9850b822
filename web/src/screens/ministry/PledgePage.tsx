import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useParams } from 'react-router';
import { usePlan } from '../../api/plans';
import { useAsOf } from '../../asOf';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { Tabs } from '../../components/Tabs';
import { useLineReference } from '../../components/lines';
import { formatDate, formatDateTime } from '../../lib/format';
import { AdoptedContribution } from './AdoptedContribution';
import { ownPledgeQuery, type Plan } from './pledgeApi';
import { PLAN_STATUS_LABELS, PLAN_STATUS_TONES, periodText } from './planLabels';
import { PledgeWorkspace } from './PledgeWorkspace';
import { useMemberState } from './useMemberState';

/**
 * The plan's own tabs: the pledge and its history; once the plan is adopted, also the monthly
 * implementation reports and the fulfilment of our contribution.
 */
export function PledgeTabs({
  planId,
  adopted = false,
}: {
  readonly planId: string;
  readonly adopted?: boolean;
}) {
  const base = `/ministry/plans/${encodeURIComponent(planId)}`;
  return (
    <Tabs
      label={
        adopted
          ? `Plan ${planId}: our pledge and its implementation`
          : `Our pledge for plan ${planId}`
      }
      items={[
        { to: base, label: 'Pledge', end: true },
        { to: `${base}/history`, label: 'History' },
        ...(adopted
          ? [
              { to: `${base}/implementation`, label: 'Monthly reports' },
              { to: `${base}/fulfilment`, label: 'Fulfilment' },
            ]
          : []),
      ]}
    />
  );
}

/** A deadline is a date or an instant; say which it is. */
function deadlineText(deadline: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(deadline) ? formatDate(deadline) : formatDateTime(deadline);
}

function PlanSummary({ plan }: { readonly plan: Plan }) {
  return (
    <dl className="ministry-summary">
      <dt>Status</dt>
      <dd>
        <StatusBadge
          label={PLAN_STATUS_LABELS[plan.status]}
          tone={PLAN_STATUS_TONES[plan.status]}
        />
      </dd>
      <dt>Period</dt>
      <dd>{periodText(plan)}</dd>
      {plan.pledgingDeadline !== undefined && (
        <>
          <dt>Pledging deadline</dt>
          <dd>
            <time dateTime={plan.pledgingDeadline}>{deadlineText(plan.pledgingDeadline)}</time>
          </dd>
        </>
      )}
      {plan.regions.length > 0 && (
        <>
          <dt>Plan regions</dt>
          <dd>{plan.regions.map((region) => region.name).join(', ')}</dd>
        </>
      )}
    </dl>
  );
}

/** `/ministry/plans/:planId`: the plan, our pledge in it, and everything we may do with it. */
export function PledgePage() {
  const { planId = '' } = useParams();
  const memberState = useMemberState();
  const { asOf, isPast } = useAsOf();
  // After our own write, reads wait for the read models to reach it (X-Min-Position).
  const minPosition = useRef<number | undefined>(undefined);
  const plan = usePlan(planId);
  const pledge = useQuery(ownPledgeQuery(planId, memberState, asOf, () => minPosition.current));
  const reference = useLineReference(plan.data);
  const problem = plan.error ?? pledge.error ?? reference.error;
  const title = `Pledge for plan ${planId}`;

  return (
    <>
      <PageHeader title={title} lead={`The pledge of ${memberState}.`} />
      <PledgeTabs planId={planId} adopted={plan.data?.status === 'adopted'} />
      {problem && <ProblemAlert problem={problem.problem} title="The pledge could not be loaded" />}
      {!problem && (plan.isPending || pledge.isPending || reference.isPending) && (
        <Loading label="Loading the plan and our pledge" />
      )}
      {plan.data && <PlanSummary plan={plan.data} />}
      {plan.data && pledge.data !== undefined && reference.reference && (
        <>
          <AdoptedContribution
            plan={plan.data}
            memberState={memberState}
            pledge={pledge.data}
            reference={reference.reference}
          />
          <PledgeWorkspace
            // Another point in time is another starting point for the edit.
            key={`${planId}:${asOf ?? 'now'}`}
            plan={plan.data}
            memberState={memberState}
            savedPledge={pledge.data}
            initialPledge={pledge.data}
            reference={reference.reference}
            readOnly={isPast}
            onRecorded={(position) => {
              minPosition.current = position;
            }}
          />
        </>
      )}
    </>
  );
}
