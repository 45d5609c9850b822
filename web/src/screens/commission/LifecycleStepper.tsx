import { formatDate } from '../../lib/format';
import type { Plan, PlanStatus } from './labels';

const STAGES: readonly { readonly status: PlanStatus; readonly label: string }[] = [
  { status: 'draft', label: 'Draft' },
  { status: 'pledging_open', label: 'Pledging open' },
  { status: 'pledging_closed', label: 'Pledging closed' },
  { status: 'proposed', label: 'Proposed' },
  { status: 'adopted', label: 'Adopted' },
];

function stageIndex(status: PlanStatus): number {
  return STAGES.findIndex((stage) => stage.status === status);
}

/** What each stage says once reached: when and by which act. */
function stageDetail(plan: Plan, status: PlanStatus): string | undefined {
  switch (status) {
    case 'pledging_open':
      return plan.pledgingDeadline ? `Deadline ${formatDate(plan.pledgingDeadline)}` : undefined;
    case 'proposed':
      return plan.proposal
        ? `${plan.proposal.reference}, ${formatDate(plan.proposal.proposedOn)}`
        : undefined;
    case 'adopted':
      return plan.adoption
        ? `${plan.adoption.actReference}, ${formatDate(plan.adoption.adoptedOn)}`
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The plan's way from draft to adoption as an ordered list: done stages ticked, the current one
 * marked `aria-current="step"`, then the amendments once adopted. Words carry every state.
 */
export function LifecycleStepper({ plan }: { readonly plan: Plan }) {
  const current = stageIndex(plan.status);
  return (
    <ol className="stepper" aria-label="Stages of the plan">
      {STAGES.map((stage, index) => {
        const state = index < current ? 'done' : index === current ? 'current' : 'upcoming';
        const detail = index <= current ? stageDetail(plan, stage.status) : undefined;
        return (
          <li
            key={stage.status}
            className={`stepper__step stepper__step--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="stepper__marker" aria-hidden="true">
              {state === 'done' ? '✓' : index + 1}
            </span>
            <span className="stepper__label">
              {stage.label}
              <span className="visually-hidden">
                {state === 'done'
                  ? ' (done)'
                  : state === 'current'
                    ? ' (current stage)'
                    : ' (to come)'}
              </span>
            </span>
            {detail && <span className="stepper__detail">{detail}</span>}
          </li>
        );
      })}
      <li
        className={`stepper__step stepper__step--${plan.amendments.length > 0 ? 'done' : 'upcoming'}`}
      >
        <span className="stepper__marker" aria-hidden="true">
          +
        </span>
        <span className="stepper__label">Amendments</span>
        <span className="stepper__detail">
          {plan.amendments.length === 0
            ? 'None'
            : `${plan.amendments.length} recorded, the last ${formatDate(plan.amendments[plan.amendments.length - 1]?.adoptedOn ?? '')}`}
        </span>
      </li>
    </ol>
  );
}
