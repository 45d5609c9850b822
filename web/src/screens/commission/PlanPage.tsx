import { LazyDetails } from '../../components/LazyDetails';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useAsOf } from '../../asOf';
import { DataTable } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatDate, formatPercent } from '../../lib/format';
import {
  AdoptionForm,
  AmendmentForm,
  ClosePledgingForm,
  OpenPledgingForm,
  ProposalForm,
  type OnRecorded,
} from './LifecycleForms';
import { LifecycleStepper } from './LifecycleStepper';
import { PLAN_STATUS_LABELS, PLAN_STATUS_TONES, type Plan } from './labels';
import { PlanTabs } from './PlanTabs';
import { PledgesReceived } from './PledgesReceived';
import { usePlan, usePledges } from './planApi';
import { WriteAnswer } from './WriteAnswer';

/** `/commission/plans/:planId`: where the plan stands, the next steps, and the pledges. */
export function PlanPage() {
  const { planId = '' } = useParams();
  const plan = usePlan(planId);
  return (
    <>
      <PageHeader
        title={`Plan ${planId}`}
        lead={
          plan.data ? (
            <StatusBadge
              label={PLAN_STATUS_LABELS[plan.data.status]}
              tone={PLAN_STATUS_TONES[plan.data.status]}
            />
          ) : undefined
        }
      />
      <PlanTabs planId={planId} />
      {plan.isPending ? (
        <Loading label="Loading the plan" />
      ) : plan.isError ? (
        <ProblemAlert problem={plan.error.problem} title="The plan could not be read" />
      ) : (
        <PlanLifecycle plan={plan.data} />
      )}
    </>
  );
}

function PlanLifecycle({ plan }: { readonly plan: Plan }) {
  const { isPast } = useAsOf();
  const pledges = usePledges(plan.planId);
  const [answer, setAnswer] = useState<{ what: string; plan: Plan } | undefined>();
  const onRecorded: OnRecorded = (what, recorded) => setAnswer({ what, plan: recorded });
  const memberStatePledges = pledges.data?.pledges ?? [];
  // Associated states revise after adoption too; an amendment may take their change in.
  const everyPledge = [...memberStatePledges, ...(pledges.data?.associatedStates ?? [])];
  // Each form starts afresh from the plan's latest version (a new proposal, a new adoption).
  const formKey = plan.version;
  return (
    <>
      <PlanFacts plan={plan} />
      <section aria-labelledby="lifecycle">
        <h2 id="lifecycle">Lifecycle</h2>
        <LifecycleStepper plan={plan} />
        {answer && <WriteAnswer recorded={answer.plan} error={null} what={answer.what} />}
        {isPast ? (
          <p className="note">Steps are recorded now only: go back to now to take the next one.</p>
        ) : (
          <div className="step-forms">
            {(plan.status === 'draft' || plan.status === 'pledging_closed') && (
              <OpenPledgingForm key={`open-${formKey}`} plan={plan} onRecorded={onRecorded} />
            )}
            {plan.status === 'pledging_open' && (
              <ClosePledgingForm key={`close-${formKey}`} plan={plan} onRecorded={onRecorded} />
            )}
            {plan.status === 'pledging_closed' && (
              <ProposalForm
                key={`proposal-${formKey}`}
                plan={plan}
                onRecorded={onRecorded}
                pledges={memberStatePledges}
              />
            )}
            {plan.status === 'proposed' && (
              <AdoptionForm key={`adoption-${formKey}`} plan={plan} onRecorded={onRecorded} />
            )}
            {plan.status === 'adopted' && (
              // Amendments are rare: the form (its date field costly for a page to build) waits
              // behind its summary, and opens by itself when a revision is pending adoption.
              <LazyDetails
                className="amendment-panel"
                summary="Record an amendment"
                open={everyPledge.some((pledge) => pledge.pendingAmendment)}
              >
                <AmendmentForm
                  key={`amendment-${formKey}`}
                  plan={plan}
                  onRecorded={onRecorded}
                  pledges={everyPledge}
                />
              </LazyDetails>
            )}
          </div>
        )}
      </section>
      {plan.amendments.length > 0 && <Amendments plan={plan} />}
      {pledges.isPending ? (
        <Loading label="Loading the pledges" />
      ) : pledges.isError ? (
        <ProblemAlert problem={pledges.error.problem} title="The pledges could not be read" />
      ) : (
        <PledgesReceived planId={plan.planId} pledges={pledges.data} />
      )}
    </>
  );
}

/** The plan's frame in a definition list: period, floor, priorities, acts. */
function PlanFacts({ plan }: { readonly plan: Plan }) {
  return (
    <dl className="facts">
      <div>
        <dt>Period</dt>
        <dd>
          <time dateTime={plan.periodStart}>{formatDate(plan.periodStart)}</time> to{' '}
          <time dateTime={plan.periodEnd}>{formatDate(plan.periodEnd)}</time>
        </dd>
      </div>
      <div>
        <dt>Resettlement floor</dt>
        <dd>{formatPercent(plan.resettlementFloorPercent)} of the total</dd>
      </div>
      <div>
        <dt>Priority host countries</dt>
        <dd>{plan.priorityCountries.length > 0 ? plan.priorityCountries.join(', ') : 'None'}</dd>
      </div>
      <div>
        <dt>Priority UNHCR regions</dt>
        <dd>{plan.priorityRegions.length > 0 ? plan.priorityRegions.join(', ') : 'None'}</dd>
      </div>
      <div>
        <dt>Plan regions</dt>
        <dd>
          {plan.regions.length > 0
            ? plan.regions.map((r) => `${r.name} (${r.countries.join(', ')})`).join('; ')
            : 'None'}
        </dd>
      </div>
      {plan.proposal && (
        <div>
          <dt>Proposal</dt>
          <dd>
            {plan.proposal.reference} of{' '}
            <time dateTime={plan.proposal.proposedOn}>{formatDate(plan.proposal.proposedOn)}</time>
            {plan.proposal.total !== undefined && `: ${formatCount(plan.proposal.total)} persons`}
          </dd>
        </div>
      )}
      {plan.adoption && (
        <div>
          <dt>Adoption</dt>
          <dd>
            {plan.adoption.actReference} of{' '}
            <time dateTime={plan.adoption.adoptedOn}>{formatDate(plan.adoption.adoptedOn)}</time>:{' '}
            {formatCount(plan.adoption.total)} persons
            {plan.adoptedTotal !== undefined &&
              plan.adoptedTotal !== plan.adoption.total &&
              `; ${formatCount(plan.adoptedTotal)} after amendments`}
          </dd>
        </div>
      )}
      <div>
        <dt>Version</dt>
        <dd>
          {plan.version} (log position {plan.position})
        </dd>
      </div>
    </dl>
  );
}

function Amendments({ plan }: { readonly plan: Plan }) {
  return (
    <section aria-labelledby="amendments">
      <h2 id="amendments">Amendments</h2>
      <DataTable
        caption="Amendments recorded"
        rows={plan.amendments}
        rowKey={(amendment) => String(amendment.position)}
        csvFileName={`amendments ${plan.planId}`}
        columns={[
          {
            key: 'act',
            header: 'Act',
            rowHeader: true,
            value: (amendment) => amendment.actReference,
          },
          {
            key: 'date',
            header: 'Adopted on',
            value: (amendment) => amendment.adoptedOn,
            cell: (amendment) => (
              <time dateTime={amendment.adoptedOn}>{formatDate(amendment.adoptedOn)}</time>
            ),
          },
          { key: 'reason', header: 'Reason', value: (amendment) => amendment.reason },
          {
            key: 'memberStates',
            header: 'Contributions changed',
            value: (amendment) => amendment.memberStates.join(', ') || 'None',
          },
          {
            key: 'position',
            header: 'Log position',
            numeric: true,
            value: (amendment) => amendment.position,
          },
        ]}
      />
    </section>
  );
}
