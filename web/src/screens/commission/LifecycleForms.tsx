import { useMemo, useState, type ReactNode } from 'react';
import { api, type Schema } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { implementationKey } from '../../api/implementation';
import { fieldErrors, type Problem } from '../../api/problems';
import { FieldError } from '../../components/FieldError';
import { LazyDetails } from '../../components/LazyDetails';
import { formatCount, formatDate, formatDateTime } from '../../lib/format';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { toPledgeLines, useLineReference } from '../../components/lines';
import {
  addableMemberStates,
  contributionLabels,
  ContributionsEditor,
  problemForContributions,
  sameLines,
  toContribution,
  toContributionDrafts,
  toSentContributions,
  type ContributionDraft,
} from './ContributionsEditor';
import { TextField } from './CreatePlanForm';
import { atFormFields } from './fieldPaths';
import { countsOfLines, countsTotal, type Contribution, type Plan } from './labels';
import { ifMatch, planKey, PLANS_KEY, useMemberStates } from './planApi';
import { StepForm } from './StepForm';

type PledgeView = Schema<'PledgeView'>;

/** Tells the page what the server recorded, so the answer outlives the form that asked. */
export type OnRecorded = (what: string, plan: Plan) => void;

interface StepProps {
  readonly plan: Plan;
  readonly onRecorded: OnRecorded;
}

/**
 * A plan write that refreshes everything read about the plan (its implementation reads too: the
 * fulfilment view follows the adopted plan) and the list of plans.
 */
function usePlanWrite<Body>(
  planId: string,
  write: (body: Body) => Promise<{ data?: Plan; error?: unknown; response: Response }>,
) {
  return useApiMutation(write, {
    invalidates: [planKey(planId), implementationKey(planId), PLANS_KEY],
  });
}

/**
 * The Member States the Council may add to the contributions; none while the list is read (or if
 * it cannot be: the contributions listed stay editable).
 */
function useAddableMemberStates() {
  const memberStates = useMemberStates();
  const participants = memberStates.data?.memberStates;
  return useMemo(
    () => (participants === undefined ? undefined : addableMemberStates(participants)),
    [participants],
  );
}

function personsOf(contributions: readonly Contribution[]): number {
  return contributions.reduce((sum, c) => sum + countsTotal(countsOfLines(c.lines)), 0);
}

/** A deadline from a date and an optional UTC time: `2027-03-31` or `2027-03-31T17:00:00Z`. */
export function deadlineOf(date: string, time: string): string | undefined {
  if (date.trim() === '') return undefined;
  return time.trim() === '' ? date : `${date}T${time}:00Z`;
}

function describeDeadline(deadline: string | undefined): string {
  if (deadline === undefined) return 'no deadline';
  return deadline.includes('T')
    ? `deadline ${formatDateTime(deadline)}`
    : `deadline ${formatDate(deadline)} (end of day)`;
}

export function OpenPledgingForm({ plan, onRecorded }: StepProps) {
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const open = usePlanWrite(plan.planId, (body: Schema<'OpenPledgingRequest'>) =>
    api.POST('/api/v1/plans/{planId}/pledging/open', {
      params: { path: { planId: plan.planId }, header: ifMatch(plan.version) },
      body,
    }),
  );
  const deadline = deadlineOf(date, time);
  const problem = open.error ? atFormFields(open.error.problem, ['deadline']) : undefined;
  const errors = fieldErrors(problem);
  const reopening = plan.status === 'pledging_closed';
  return (
    <StepForm
      title={reopening ? 'Reopen pledging' : 'Open pledging'}
      intro={
        <p>
          Member States may then submit and revise their indications (Art. 11(5)). The deadline is
          optional; a date alone runs to the end of that day.
        </p>
      }
      submitLabel={reopening ? 'Reopen pledging…' : 'Open pledging…'}
      confirmTitle={`${reopening ? 'Reopen' : 'Open'} pledging for ${plan.planId} with ${describeDeadline(deadline)}?`}
      confirmBody={
        <p>
          Member States will be able to pledge for plan {plan.planId}
          {deadline === undefined
            ? ' until you close pledging'
            : ` until ${describeDeadline(deadline)}`}
          .
        </p>
      }
      confirmLabel={reopening ? 'Reopen pledging' : 'Open pledging'}
      problem={problem}
      labels={{ deadline: 'Deadline' }}
      busy={open.isPending}
      run={() =>
        open
          .mutateAsync(deadline === undefined ? {} : { deadline })
          .then((recorded) =>
            onRecorded(reopening ? 'Pledging reopened' : 'Pledging opened', recorded),
          )
      }
    >
      <div className="form-grid">
        <TextField
          path="deadline"
          label="Deadline date (optional)"
          type="date"
          value={date}
          onChange={setDate}
          errors={errors}
        />
        <TextField
          path="deadlineTime"
          label="Deadline time, UTC (optional)"
          hint="Without a time, the whole day counts."
          type="time"
          value={time}
          onChange={setTime}
          errors={errors}
        />
      </div>
    </StepForm>
  );
}

export function ClosePledgingForm({ plan, onRecorded }: StepProps) {
  const close = usePlanWrite(plan.planId, (body: Schema<'ClosePledgingRequest'>) =>
    api.POST('/api/v1/plans/{planId}/pledging/close', {
      params: { path: { planId: plan.planId }, header: ifMatch(plan.version) },
      body,
    }),
  );
  return (
    <StepForm
      title="Close pledging"
      intro={<p>Closing ends the round; the Commission then compiles its proposal.</p>}
      submitLabel="Close pledging…"
      confirmTitle={`Close pledging for ${plan.planId}?`}
      confirmBody={<p>Member States will no longer submit new pledges to this round.</p>}
      confirmLabel="Close pledging"
      problem={close.error?.problem}
      busy={close.isPending}
      run={() => close.mutateAsync({}).then((recorded) => onRecorded('Pledging closed', recorded))}
    />
  );
}

export function ProposalForm({
  plan,
  onRecorded,
  pledges,
}: StepProps & { readonly pledges: readonly PledgeView[] }) {
  const [reference, setReference] = useState('');
  const [proposedOn, setProposedOn] = useState('');
  const propose = usePlanWrite(plan.planId, (body: Schema<'ProposalRequest'>) =>
    api.POST('/api/v1/plans/{planId}/proposal', {
      params: { path: { planId: plan.planId }, header: ifMatch(plan.version) },
      body,
    }),
  );
  const problem = propose.error
    ? atFormFields(propose.error.problem, ['reference', 'proposedOn'])
    : undefined;
  const errors = fieldErrors(problem);
  const active = pledges.filter((pledge) => pledge.status === 'active');
  const total = active.reduce((sum, pledge) => sum + pledge.total, 0);
  return (
    <StepForm
      title="Record the Commission's proposal"
      intro={
        <p>
          The proposal is compiled from the active pledges (Art. 8(1)): {active.length} Member
          States, {formatCount(total)} persons.
        </p>
      }
      submitLabel="Record the proposal…"
      confirmTitle={`Record proposal ${reference.trim() || '(no reference)'} for ${plan.planId}?`}
      confirmBody={
        <p>
          The proposal{proposedOn ? ` of ${formatDate(proposedOn)}` : ''} will take the{' '}
          {active.length} active pledges as they stand: {formatCount(total)} persons.
        </p>
      }
      confirmLabel="Record the proposal"
      problem={problem}
      labels={{ reference: 'Reference', proposedOn: 'Date of the proposal' }}
      busy={propose.isPending}
      run={() =>
        propose
          .mutateAsync({ reference: reference.trim(), proposedOn })
          .then((recorded) => onRecorded('Proposal recorded', recorded))
      }
    >
      <div className="form-grid">
        <TextField
          path="reference"
          label="Reference"
          hint="Like COM(2027) 512."
          value={reference}
          onChange={setReference}
          errors={errors}
        />
        <TextField
          path="proposedOn"
          label="Date of the proposal"
          type="date"
          value={proposedOn}
          onChange={setProposedOn}
          errors={errors}
        />
      </div>
    </StepForm>
  );
}

/** The position of each contribution in the request body, by Member State. */
function pathsBy(sent: readonly Contribution[]): (memberState: string) => string | undefined {
  const at = new Map(sent.map((c, index) => [c.memberState, `contributions.${index}`]));
  return (memberState) => at.get(memberState);
}

/**
 * The Council's adoption: the act, its date, and the contributions as adopted, starting from the
 * proposal's. Unchanged, the request names no contributions and the proposal's are adopted.
 */
export function AdoptionForm({ plan, onRecorded }: StepProps) {
  const proposed = useMemo(
    () => (plan.proposal?.contributions ?? []).map(toContribution),
    [plan.proposal],
  );
  const [actReference, setActReference] = useState('');
  const [adoptedOn, setAdoptedOn] = useState('');
  const [contributions, setContributions] = useState<ContributionDraft[]>(() =>
    toContributionDrafts(proposed),
  );
  const lineReference = useLineReference(plan);
  const addable = useAddableMemberStates();
  const adopt = usePlanWrite(plan.planId, (body: Schema<'AdoptionRequest'>) =>
    api.POST('/api/v1/plans/{planId}/adoption', {
      params: { path: { planId: plan.planId }, header: ifMatch(plan.version) },
      body,
    }),
  );
  const sent = toSentContributions(contributions);
  const unchanged =
    sent.length === proposed.length &&
    sent.every((c, index) => {
      const before = proposed[index];
      return (
        before !== undefined &&
        before.memberState === c.memberState &&
        sameLines(before.lines, c.lines)
      );
    });
  const labels = {
    actReference: 'Act reference',
    adoptedOn: 'Date of adoption',
    contributions: 'Contributions',
    ...contributionLabels(sent),
  };
  const problem: Problem | undefined = adopt.error
    ? problemForContributions(
        atFormFields(adopt.error.problem, ['actReference', 'adoptedOn']),
        sent.length,
      )
    : undefined;
  const errors = fieldErrors(problem);
  const total = personsOf(sent);
  return (
    <StepForm
      title="Record the Council's adoption"
      intro={
        <p>
          The Council adopts the plan by implementing act. The contributions start from the
          proposal&apos;s ({formatCount(personsOf(proposed))} persons); change what the Council
          changed.
        </p>
      }
      submitLabel="Record the adoption…"
      confirmTitle={`Record the adoption of ${plan.planId}?`}
      confirmBody={
        <p>
          {actReference.trim() || 'The act'}
          {adoptedOn ? ` of ${formatDate(adoptedOn)}` : ''} adopts {formatCount(total)} persons from{' '}
          {sent.length} Member States
          {unchanged ? ', as proposed.' : ` (proposal: ${formatCount(personsOf(proposed))}).`}
        </p>
      }
      confirmLabel="Record the adoption"
      problem={problem}
      labels={labels}
      busy={adopt.isPending}
      run={() =>
        adopt
          .mutateAsync({
            actReference: actReference.trim(),
            adoptedOn,
            ...(!unchanged && { contributions: sent }),
          })
          .then((recorded) => onRecorded('Adoption recorded', recorded))
      }
    >
      <div className="form-grid">
        <TextField
          path="actReference"
          label="Act reference"
          hint="Like Council Implementing Decision (EU) 2027/1234."
          value={actReference}
          onChange={setActReference}
          errors={errors}
        />
        <TextField
          path="adoptedOn"
          label="Date of adoption"
          type="date"
          value={adoptedOn}
          onChange={setAdoptedOn}
          errors={errors}
        />
      </div>
      <FieldError path="contributions" errors={errors} />
      <LinesEditorOrStatus state={lineReference}>
        {(reference) => (
          <ContributionsEditor
            caption="Adopted contributions"
            contributions={contributions}
            original={proposed}
            onChange={setContributions}
            pathOf={pathsBy(sent)}
            errors={errors}
            reference={reference}
            addable={addable}
          />
        )}
      </LinesEditorOrStatus>
      <p>
        <button
          type="button"
          className="button button--secondary"
          disabled={unchanged}
          onClick={() => setContributions(toContributionDrafts(proposed))}
        >
          Start again from the proposal
        </button>
      </p>
    </StepForm>
  );
}

/**
 * An amendment (Art. 8(6)): the act, its date and reason; the revisions Member States made after
 * adoption that it takes into the plan (named, never implied); and any other contribution change.
 */
export function AmendmentForm({
  plan,
  onRecorded,
  pledges,
}: StepProps & { readonly pledges: readonly PledgeView[] }) {
  const current = useMemo(
    () => (plan.adoptedContributions ?? []).map(toContribution),
    [plan.adoptedContributions],
  );
  const [actReference, setActReference] = useState('');
  const [adoptedOn, setAdoptedOn] = useState('');
  const [reason, setReason] = useState('');
  const [adoptPendingFrom, setAdoptPendingFrom] = useState<string[]>([]);
  const [contributions, setContributions] = useState<ContributionDraft[]>(() =>
    toContributionDrafts(current),
  );
  const lineReference = useLineReference(plan);
  const addable = useAddableMemberStates();
  const amend = usePlanWrite(plan.planId, (body: Schema<'AmendmentRequest'>) =>
    api.POST('/api/v1/plans/{planId}/amendments', {
      params: { path: { planId: plan.planId }, header: ifMatch(plan.version) },
      body,
    }),
  );
  const pending = pledges.filter((pledge) => pledge.pendingAmendment);
  // Only what changed is sent: the amendment replaces the contributions it names.
  const changed = contributions
    .map((c) => ({ memberState: c.memberState, lines: toPledgeLines(c.lines) }))
    .filter((c) => {
      if (adoptPendingFrom.includes(c.memberState)) return false;
      const before = current.find((b) => b.memberState === c.memberState);
      // A Member State added without a line yet changes nothing.
      return before === undefined ? c.lines.length > 0 : !sameLines(before.lines, c.lines);
    });
  const labels: Record<string, string> = {
    actReference: 'Act reference',
    adoptedOn: 'Date of the amendment',
    reason: 'Reason',
    adoptPendingFrom: 'Pending revisions to adopt',
    ...contributionLabels(changed),
  };
  const problem = amend.error
    ? problemForContributions(
        atFormFields(amend.error.problem, [
          'actReference',
          'adoptedOn',
          'reason',
          'adoptPendingFrom',
        ]),
        changed.length,
      )
    : undefined;
  const errors = fieldErrors(problem);
  const pendingByMemberState = new Map(pending.map((pledge) => [pledge.memberState, pledge]));
  const adoptedTotalOf = (memberState: string) =>
    plan.adoptedContributions?.find((c) => c.memberState === memberState)?.total ?? 0;
  const summary = [
    adoptPendingFrom.length > 0 && `adopts the pending revisions of ${adoptPendingFrom.join(', ')}`,
    changed.length > 0 &&
      `changes the contributions of ${changed.map((c) => c.memberState).join(', ')}`,
  ].filter(Boolean);
  return (
    <StepForm
      title="Record an amendment"
      intro={
        <p>
          After adoption only a Council amendment changes the plan (Art. 8(6)). Revisions Member
          States made since wait for one: name those it adopts.
        </p>
      }
      submitLabel="Record the amendment…"
      confirmTitle={`Record amendment ${actReference.trim() || '(no reference)'} to ${plan.planId}?`}
      confirmBody={
        <p>
          The amendment{adoptedOn ? ` of ${formatDate(adoptedOn)}` : ''}{' '}
          {summary.length > 0 ? summary.join(' and ') : 'changes no contribution'}.
        </p>
      }
      confirmLabel="Record the amendment"
      problem={problem}
      labels={labels}
      busy={amend.isPending}
      run={() =>
        amend
          .mutateAsync({
            actReference: actReference.trim(),
            adoptedOn,
            reason: reason.trim(),
            ...(adoptPendingFrom.length > 0 && { adoptPendingFrom }),
            ...(changed.length > 0 && { contributions: changed }),
          })
          .then((recorded) => {
            setAdoptPendingFrom([]);
            onRecorded('Amendment recorded', recorded);
          })
      }
    >
      <div className="form-grid">
        <TextField
          path="actReference"
          label="Act reference"
          value={actReference}
          onChange={setActReference}
          errors={errors}
        />
        <TextField
          path="adoptedOn"
          label="Date of the amendment"
          type="date"
          value={adoptedOn}
          onChange={setAdoptedOn}
          errors={errors}
        />
        <TextField
          path="reason"
          label="Reason"
          hint="Why the Council amends the plan; recorded with it."
          value={reason}
          onChange={setReason}
          errors={errors}
        />
      </div>
      <fieldset className="checkbox-group">
        <legend>Adopt pending revisions</legend>
        <FieldError path="adoptPendingFrom" errors={errors} />
        {pending.length === 0 ? (
          <p className="note" id="field-adoptPendingFrom" tabIndex={-1}>
            No Member State has revised its pledge since the adoption.
          </p>
        ) : (
          <ul id="field-adoptPendingFrom" tabIndex={-1}>
            {pending.map((pledge) => (
              <li key={pledge.memberState}>
                <label>
                  <input
                    type="checkbox"
                    checked={adoptPendingFrom.includes(pledge.memberState)}
                    onChange={(event) =>
                      setAdoptPendingFrom((chosen) =>
                        event.target.checked
                          ? [...chosen, pledge.memberState]
                          : chosen.filter((code) => code !== pledge.memberState),
                      )
                    }
                  />{' '}
                  {pledge.memberState}: now {formatCount(pledge.total)} persons, adopted{' '}
                  {formatCount(adoptedTotalOf(pledge.memberState))}
                  {pledge.lastReason ? ` (reason given: ${pledge.lastReason})` : ''}
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <LazyDetails
        className="amendment-changes"
        summary="Change other contributions (optional)"
        open={Object.keys(errors).some((path) => /^\/?contributions\b/.test(path))}
      >
        <LinesEditorOrStatus state={lineReference}>
          {(reference) => (
            <ContributionsEditor
              caption="Contributions after the amendment"
              contributions={contributions}
              original={current}
              onChange={setContributions}
              pathOf={pathsBy(changed)}
              errors={errors}
              reference={reference}
              addable={addable}
              lockedReason={(memberState) =>
                pendingByMemberState.has(memberState) && adoptPendingFrom.includes(memberState)
                  ? `${memberState}'s pending revision is adopted above.`
                  : undefined
              }
            />
          )}
        </LinesEditorOrStatus>
      </LazyDetails>
    </StepForm>
  );
}

/** The contributions editor once the reference lists it offers are read; else why not yet. */
function LinesEditorOrStatus({
  state,
  children,
}: {
  readonly state: ReturnType<typeof useLineReference>;
  readonly children: (
    reference: NonNullable<ReturnType<typeof useLineReference>['reference']>,
  ) => ReactNode;
}) {
  if (state.reference !== undefined) return children(state.reference);
  if (state.error !== null) {
    return (
      <ProblemAlert
        problem={state.error.problem}
        title="The lists of host countries and target groups could not be read"
        focusOnShow={false}
      />
    );
  }
  return <Loading label="Loading the lists of host countries and target groups" />;
}
