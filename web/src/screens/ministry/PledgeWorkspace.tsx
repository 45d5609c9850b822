import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, fieldErrors, type Problem } from '../../api/problems';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProblemAlert } from '../../components/ProblemAlert';
import {
  draftTotals,
  emptyLine,
  LineEditor,
  lineFieldLabels,
  LineTotalsTable,
  problemForEditor,
  useProblemForRows,
  toDrafts,
  toPledgeLines,
  withShare,
  type LineDraft,
  type LineReference,
} from '../../components/lines';
import { formatCount, formatDateTime } from '../../lib/format';
import {
  EditorForm,
  ReasonField,
  reasonMissing,
  VIEWING_THE_PAST,
  type Outcome,
  type Refusal,
} from './editing/EditorForm';
import { PledgeConflict, type EditBase } from './PledgeConflict';
import {
  isConflict,
  pledgeHistoryKey,
  pledgeKey,
  revisePledge,
  submitPledge,
  withdrawPledge,
  type Plan,
  type Pledge,
  type PledgeLine,
  type WriteOutcome,
} from './pledgeApi';

type Mode = 'submit' | 'resubmit' | 'revise';

function modeOf(base: EditBase | null): Mode {
  if (base === null) return 'submit';
  return base.status === 'withdrawn' ? 'resubmit' : 'revise';
}

function baseOf(pledge: Pledge | null): EditBase | null {
  return pledge === null
    ? null
    : { version: pledge.version, lines: pledge.lines, status: pledge.status };
}

/** Lines to edit: the pledge's, or one empty line to start from. */
function draftsOf(lines: readonly PledgeLine[] | undefined): LineDraft[] {
  return lines === undefined || lines.length === 0 ? [emptyLine()] : toDrafts(lines);
}

const REASON_PATH = 'reason';
const WITHDRAWAL_REASON_PATH = 'withdrawalReason';

function outcomeOf(verb: string, { write, logPosition }: WriteOutcome): Outcome {
  const where =
    logPosition === undefined ? '' : `, recorded at log position ${formatCount(logPosition)}`;
  const details: string[] = [];
  if (write.pendingAmendment) {
    details.push(
      write.message ??
        'The plan is adopted: this change takes effect only when the Council amends the plan (Art. 8(6)).',
    );
  } else if (write.message !== undefined) {
    details.push(write.message);
  }
  return {
    headline: `${verb}: version ${write.version} of the pledge of ${write.memberState}, ${formatCount(
      write.total,
    )} persons${where}.`,
    details,
  };
}

/**
 * The pledge of one Member State for one plan, being edited: the lines, the live totals, submit or
 * revise (If-None-Match / If-Match on the version the edit started from) and withdraw; each
 * answer shown; a refusal at its fields; a concurrent change as a conflict to resolve.
 */
export function PledgeWorkspace({
  plan,
  memberState,
  savedPledge,
  initialPledge,
  reference,
  readOnly,
  onRecorded,
}: {
  readonly plan: Plan;
  readonly memberState: string;
  /** The pledge as the server holds it now (refreshed after writes). */
  readonly savedPledge: Pledge | null;
  /** The pledge the editing starts from (read once, when the page opened). */
  readonly initialPledge: Pledge | null;
  readonly reference: LineReference;
  /** Looking at the past: nothing can be changed. */
  readonly readOnly: boolean;
  /** A write was recorded at this log position: reads should see at least it. */
  readonly onRecorded: (logPosition: number | undefined) => void;
}) {
  const queryClient = useQueryClient();
  const planId = plan.planId;
  const target = { planId, memberState };
  const [base, setBase] = useState<EditBase | null>(() => baseOf(initialPledge));
  const [drafts, setDrafts] = useState<LineDraft[]>(() => draftsOf(initialPledge?.lines));
  const [reason, setReason] = useState('');
  const [refusal, setRefusal] = useState<Refusal | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [conflict, setConflict] = useState<{ readonly startedFrom: EditBase | null }>();
  const [withdrawalReason, setWithdrawalReason] = useState('');
  const [withdrawalRefusal, setWithdrawalRefusal] = useState<Problem | undefined>();
  const [confirmingWithdrawal, setConfirmingWithdrawal] = useState(false);
  const mode = modeOf(base);

  // "As recorded" follows the server: after a write, and after learning that someone else wrote.
  const refreshSaved = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: pledgeKey(planId, memberState) }),
      queryClient.invalidateQueries({ queryKey: pledgeHistoryKey(planId, memberState) }),
    ]);

  const afterWrite = async (result: WriteOutcome, verb: string) => {
    const { write } = result;
    setBase({ version: write.version, lines: write.lines, status: write.status });
    setDrafts(draftsOf(write.lines));
    setReason('');
    setWithdrawalReason('');
    setRefusal(undefined);
    setWithdrawalRefusal(undefined);
    setOutcome(outcomeOf(verb, result));
    onRecorded(result.logPosition);
    await refreshSaved();
  };

  const save = useMutation<WriteOutcome, ApiError, { readonly sentKeys: readonly string[] }>({
    mutationFn: () => {
      if (readOnly) return Promise.reject(new ApiError(VIEWING_THE_PAST));
      const lines = toPledgeLines(drafts);
      if (mode === 'revise' && base !== null) {
        return revisePledge({ ...target, version: base.version, lines, reason: reason.trim() });
      }
      return submitPledge({ ...target, lines });
    },
    onSuccess: (result) => afterWrite(result, mode === 'revise' ? 'Revised' : 'Submitted'),
    onError: (error, { sentKeys }) => {
      setOutcome(undefined);
      if (isConflict(error)) {
        setRefusal(undefined);
        setConflict({ startedFrom: base });
        void refreshSaved();
        return;
      }
      setRefusal({ problem: problemForEditor(error.problem), sentKeys });
    },
  });

  const withdraw = useMutation<WriteOutcome, ApiError, void>({
    mutationFn: () => {
      if (readOnly || base === null) return Promise.reject(new ApiError(VIEWING_THE_PAST));
      return withdrawPledge({ ...target, version: base.version, reason: withdrawalReason.trim() });
    },
    onSuccess: (result) => afterWrite(result, 'Withdrawn'),
    onError: (error) => {
      setOutcome(undefined);
      if (isConflict(error)) {
        setConflict({ startedFrom: base });
        void refreshSaved();
        return;
      }
      setWithdrawalRefusal(error.problem);
    },
    onSettled: () => setConfirmingWithdrawal(false),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const sentKeys = drafts.map((draft) => draft.key);
    if (mode === 'revise' && reason.trim() === '') {
      setOutcome(undefined);
      setRefusal({ problem: reasonMissing(REASON_PATH, 'revision'), sentKeys });
      return;
    }
    save.mutate({ sentKeys });
  };

  const askToWithdraw = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (withdrawalReason.trim() === '') {
      setWithdrawalRefusal(reasonMissing(WITHDRAWAL_REASON_PATH, 'withdrawal'));
      return;
    }
    setWithdrawalRefusal(undefined);
    setConfirmingWithdrawal(true);
  };

  const reapply = (current: Pledge | null, merged: LineDraft[]) => {
    setBase(baseOf(current));
    setDrafts(merged.length === 0 ? [emptyLine()] : merged);
    setConflict(undefined);
    // The refusal's paths named rows of the lines as sent; those rows have moved.
    setRefusal(undefined);
    setOutcome({
      headline:
        current === null
          ? 'Your edits are kept. Nothing has been sent yet: check them and submit again.'
          : `Your edits are kept on top of version ${current.version}, with the lines they added or changed. Nothing has been sent yet: check them and save again.`,
      details: [],
    });
  };
  const discard = (current: Pledge | null) => {
    setBase(baseOf(current));
    setDrafts(draftsOf(current?.lines));
    setConflict(undefined);
    setRefusal(undefined);
    setOutcome({
      headline:
        current === null
          ? 'Your edits were discarded.'
          : `Your edits were discarded: the editor shows version ${current.version}.`,
      details: [],
    });
  };

  const shownRefusal = useProblemForRows(
    refusal,
    drafts.map((draft) => draft.key),
  );
  const errors = fieldErrors(shownRefusal);
  const labels = {
    ...lineFieldLabels(drafts.length),
    lines: 'Lines',
    [REASON_PATH]: 'Reason for the change',
  };
  const withdrawalErrors = fieldErrors(withdrawalRefusal);
  const writesOff = readOnly || conflict !== undefined;
  const heading =
    mode === 'revise'
      ? 'Revise our pledge'
      : mode === 'resubmit'
        ? 'Submit our pledge again'
        : 'Submit our pledge';

  return (
    <>
      <SavedPledge savedPledge={savedPledge} />

      <EditorForm
        headingId="pledge-editor-heading"
        heading={heading}
        noun="pledge"
        readOnly={readOnly}
        notices={
          <>
            {plan.status === 'draft' && (
              <p className="ministry-notice">
                Pledging has not opened for this plan yet: the Commission opens it.
              </p>
            )}
            {plan.status === 'adopted' && (
              <p className="ministry-notice ministry-notice--warning">
                The plan is adopted: a change you save now is recorded, but takes effect only
                through an amendment of the plan (Art. 8(6)).
              </p>
            )}
          </>
        }
        savedVersion={savedPledge?.version}
        baseVersion={base?.version}
        conflict={
          conflict === undefined ? undefined : (
            <PledgeConflict
              planId={planId}
              memberState={memberState}
              startedFrom={conflict.startedFrom}
              myLines={drafts}
              reference={reference}
              onReapply={reapply}
              onDiscard={discard}
            />
          )
        }
        outcome={outcome}
        onSubmit={submit}
        problem={shownRefusal}
        labels={labels}
        failureTitle="The pledge was not saved"
        reason={
          mode === 'revise'
            ? {
                path: REASON_PATH,
                label: 'Reason for the change (required)',
                rows: 3,
                maxLength: 1000,
                value: reason,
                onChange: setReason,
                errors,
                disabled: readOnly,
              }
            : undefined
        }
        submitLabel={mode === 'revise' ? 'Save the revision' : 'Submit the pledge'}
        pending={save.isPending}
      >
        <LineEditor
          lines={drafts}
          onChange={setDrafts}
          errors={errors}
          pathPrefix="lines"
          reference={reference}
          disabled={readOnly}
          caption={`Lines of the pledge of ${memberState}${
            base === null ? '' : `, starting from version ${base.version}`
          }`}
        />
        <LineTotalsTable
          caption="Totals: being edited and as saved"
          columns={[
            { label: 'Being edited', totals: draftTotals(drafts) },
            {
              label:
                savedPledge === null
                  ? 'As saved (no pledge yet)'
                  : `As saved (version ${savedPledge.version}${
                      savedPledge.status === 'withdrawn' ? ', withdrawn' : ''
                    })`,
              totals: savedPledge === null ? undefined : withShare(savedPledge.byAdmissionType),
            },
          ]}
        />
        <p className="line-editor__hint">
          The plan’s resettlement floor ({plan.resettlementFloorPercent}%) applies to the Union’s
          total, not to one Member State’s pledge.
        </p>
      </EditorForm>

      {mode === 'revise' && (
        <section aria-labelledby="withdraw-heading">
          <h2 id="withdraw-heading">Withdraw our pledge</h2>
          <p>
            A withdrawal takes every line of the pledge out of the plan’s figures. It is recorded
            with its reason; the pledge can be submitted again later while pledging is open.
          </p>
          <form onSubmit={askToWithdraw} noValidate aria-labelledby="withdraw-heading">
            <ProblemAlert
              problem={withdrawalRefusal}
              labels={{ [WITHDRAWAL_REASON_PATH]: 'Reason for withdrawing' }}
              title="The pledge was not withdrawn"
            />
            <ReasonField
              path={WITHDRAWAL_REASON_PATH}
              label="Reason for withdrawing (required)"
              rows={2}
              maxLength={1000}
              value={withdrawalReason}
              onChange={setWithdrawalReason}
              errors={withdrawalErrors}
              disabled={readOnly}
            />
            <p>
              <button
                type="submit"
                className="button button--danger"
                disabled={writesOff || withdraw.isPending}
              >
                Withdraw the pledge…
              </button>
            </p>
          </form>
          <ConfirmDialog
            open={confirmingWithdrawal}
            title="Withdraw the pledge?"
            confirmLabel="Withdraw the pledge"
            destructive
            busy={withdraw.isPending}
            onConfirm={() => withdraw.mutate()}
            onCancel={() => setConfirmingWithdrawal(false)}
          >
            <p>
              The pledge of {memberState} for plan {planId} (version {base?.version},{' '}
              {formatCount(base?.lines.reduce((sum, line) => sum + line.persons, 0) ?? 0)} persons)
              will be withdrawn with the reason “{withdrawalReason.trim()}”.
            </p>
          </ConfirmDialog>
        </section>
      )}
    </>
  );
}

/** The pledge as the server holds it. */
function SavedPledge({ savedPledge }: { readonly savedPledge: Pledge | null }) {
  return (
    <section aria-labelledby="saved-pledge-heading">
      <h2 id="saved-pledge-heading">Our pledge as recorded</h2>
      {savedPledge === null ? (
        <p>No pledge recorded yet.</p>
      ) : (
        <dl className="ministry-summary">
          <dt>Status</dt>
          <dd>
            {savedPledge.status === 'withdrawn' ? 'Withdrawn' : 'Active'}
            {savedPledge.pendingAmendment && ', latest change awaiting an amendment'}
          </dd>
          <dt>Version</dt>
          <dd>{savedPledge.version}</dd>
          <dt>Total</dt>
          <dd>{formatCount(savedPledge.total)} persons</dd>
          <dt>Last changed</dt>
          <dd>
            <time dateTime={savedPledge.updatedAt}>{formatDateTime(savedPledge.updatedAt)}</time>
          </dd>
          {savedPledge.lastReason !== undefined && (
            <>
              <dt>Reason given</dt>
              <dd>{savedPledge.lastReason}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
