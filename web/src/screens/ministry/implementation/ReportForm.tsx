import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  implementationKey,
  isReportConflict,
  putReport,
  type AdmissionLine,
  type ProcedureCounts,
  type ReportOutcome,
  type ReportView,
} from '../../../api/implementation';
import { ApiError, fieldErrors, fieldId } from '../../../api/problems';
import { FieldError } from '../../../components/FieldError';
import {
  draftTotals,
  LineEditor,
  LineTotalsTable,
  useProblemForRows,
  withShare,
  type LineReference,
} from '../../../components/lines';
import { formatCount, formatMonth } from '../../../lib/format';
import {
  EditorForm,
  reasonMissing,
  VIEWING_THE_PAST,
  type Outcome,
  type Refusal,
} from '../editing/EditorForm';
import { AdmissionCounts } from './AdmissionCounts';
import { ProcedureFields } from './ProcedureFields';
import { ReportConflict } from './ReportConflict';
import {
  ADMISSIONS_PATH,
  countProblems,
  emptyAdmission,
  MONTH_PATH,
  problemForReport,
  REASON_PATH,
  reportFieldLabels,
  toAdmissionDrafts,
  toAdmissionLine,
  toProcedureCounts,
  toProcedureDraft,
  type AdmissionDraft,
  type ProcedureDraft,
} from './reportModel';

/** The version an edit started from: none for the month's first report. */
export interface ReportBase {
  readonly version: number;
  readonly admissions: readonly AdmissionLine[];
  readonly procedure: ProcedureCounts | undefined;
}

function baseOf(report: ReportView | null): ReportBase | null {
  return report === null
    ? null
    : { version: report.version, admissions: report.admissions, procedure: report.procedure };
}

function outcomeOf(verb: string, { write, logPosition }: ReportOutcome): Outcome {
  const where =
    logPosition === undefined ? '' : `, recorded at log position ${formatCount(logPosition)}`;
  return {
    headline: `${verb}: version ${write.version} of the report of ${write.memberState} for ${formatMonth(
      write.month,
    )}, ${formatCount(write.admitted)} persons admitted${where}.`,
    details: write.onBehalf
      ? [`Recorded by the Commission on behalf of ${write.memberState}.`]
      : [],
  };
}

/**
 * One month's implementation report of one participant, being edited: the admission lines in the
 * pledge's line editor with each line's counts, the procedure counts, submit (`If-None-Match: *`)
 * or correct (`If-Match` on the version the edit started from, with a reason); the answer shown,
 * every refusal at its field, a concurrent change as a conflict to resolve.
 */
export function ReportForm({
  planId,
  memberState,
  month,
  savedReport,
  initialReport,
  reference,
  readOnly,
  onRecorded,
}: {
  readonly planId: string;
  readonly memberState: string;
  readonly month: string;
  /** The report as the server holds it now (refreshed after writes). */
  readonly savedReport: ReportView | null;
  /** The report the editing starts from (read once, when the page opened). */
  readonly initialReport: ReportView | null;
  readonly reference: LineReference;
  /** Looking at the past: nothing can be changed. */
  readonly readOnly: boolean;
  /** A write was recorded at this log position: reads should see at least it. */
  readonly onRecorded: (logPosition: number | undefined) => void;
}) {
  const queryClient = useQueryClient();
  const target = { planId, memberState, month };
  const [base, setBase] = useState<ReportBase | null>(() => baseOf(initialReport));
  const [drafts, setDrafts] = useState<AdmissionDraft[]>(() => toAdmissionDrafts(initialReport));
  const [procedure, setProcedure] = useState<ProcedureDraft>(() =>
    toProcedureDraft(initialReport?.procedure),
  );
  const [reason, setReason] = useState('');
  const [refusal, setRefusal] = useState<Refusal | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [conflict, setConflict] = useState<{ readonly startedFrom: ReportBase | null }>();
  const correcting = base !== null;
  const monthName = formatMonth(month);

  const refreshSaved = () => queryClient.invalidateQueries({ queryKey: implementationKey(planId) });

  const save = useMutation<ReportOutcome, ApiError, { readonly sentKeys: readonly string[] }>({
    mutationFn: () => {
      if (readOnly) return Promise.reject(new ApiError(VIEWING_THE_PAST));
      const admissions = drafts.map(toAdmissionLine);
      const counts = toProcedureCounts(procedure);
      const body = { admissions, ...(counts !== undefined && { procedure: counts }) };
      return base === null
        ? putReport({ ...target, body })
        : putReport({ ...target, version: base.version, body: { ...body, reason: reason.trim() } });
    },
    onSuccess: async (result) => {
      const { write } = result;
      setBase({ version: write.version, admissions: write.admissions, procedure: write.procedure });
      setDrafts(toAdmissionDrafts(write));
      setProcedure(toProcedureDraft(write.procedure));
      setReason('');
      setRefusal(undefined);
      setOutcome(outcomeOf(correcting ? 'Corrected' : 'Submitted', result));
      onRecorded(result.logPosition);
      await refreshSaved();
    },
    onError: (error, { sentKeys }) => {
      setOutcome(undefined);
      if (isReportConflict(error)) {
        setRefusal(undefined);
        setConflict({ startedFrom: base });
        void refreshSaved();
        return;
      }
      setRefusal({ problem: problemForReport(error.problem), sentKeys });
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const sentKeys = drafts.map((draft) => draft.key);
    const local =
      countProblems(drafts, procedure) ??
      (correcting && reason.trim() === '' ? reasonMissing(REASON_PATH, 'correction') : undefined);
    if (local !== undefined) {
      setOutcome(undefined);
      setRefusal({ problem: local, sentKeys });
      return;
    }
    save.mutate({ sentKeys });
  };

  const reapply = (
    current: ReportView | null,
    merged: { readonly drafts: AdmissionDraft[]; readonly procedure: ProcedureDraft },
  ) => {
    setBase(baseOf(current));
    setDrafts(merged.drafts);
    setProcedure(merged.procedure);
    setConflict(undefined);
    // The refusal's paths named rows of the lines as sent; those rows have moved.
    setRefusal(undefined);
    setOutcome({
      headline:
        current === null
          ? 'Your edits are kept. Nothing has been sent yet: check them and submit again.'
          : `Your edits are kept on top of version ${current.version}, with the lines and counts they added or changed. Nothing has been sent yet: check them, give a reason and save again.`,
      details: [],
    });
  };
  const discard = (current: ReportView | null) => {
    setBase(baseOf(current));
    setDrafts(toAdmissionDrafts(current));
    setProcedure(toProcedureDraft(current?.procedure));
    setConflict(undefined);
    setRefusal(undefined);
    setOutcome({
      headline:
        current === null
          ? 'Your edits were discarded.'
          : `Your edits were discarded: the form shows version ${current.version}.`,
      details: [],
    });
  };

  const shownRefusal = useProblemForRows(
    refusal,
    drafts.map((draft) => draft.key),
    ADMISSIONS_PATH,
  );
  const errors = fieldErrors(shownRefusal);
  const heading = correcting
    ? `Correct the report for ${monthName}`
    : `Report the admissions of ${monthName}`;

  return (
    <EditorForm
      headingId="report-editor-heading"
      heading={heading}
      noun="report"
      readOnly={readOnly}
      savedVersion={savedReport?.version}
      baseVersion={base?.version}
      conflict={
        conflict === undefined ? undefined : (
          <ReportConflict
            planId={planId}
            memberState={memberState}
            month={month}
            startedFrom={conflict.startedFrom}
            myDrafts={drafts}
            myProcedure={procedure}
            reference={reference}
            onReapply={reapply}
            onDiscard={discard}
          />
        )
      }
      outcome={outcome}
      onSubmit={submit}
      problem={shownRefusal}
      labels={reportFieldLabels(drafts.length)}
      failureTitle="The report was not saved"
      reason={
        correcting
          ? {
              path: REASON_PATH,
              label: 'Reason for the correction (required)',
              rows: 3,
              maxLength: 500,
              value: reason,
              onChange: setReason,
              errors,
              disabled: readOnly,
            }
          : undefined
      }
      submitLabel={correcting ? 'Save the correction' : 'Submit the report'}
      pending={save.isPending}
    >
      {/* The month is in the address: its messages (outside the period, not begun) sit here. */}
      <div id={fieldId(MONTH_PATH)} tabIndex={-1}>
        <FieldError path={MONTH_PATH} errors={errors} />
      </div>

      <h3>Persons admitted in {monthName}</h3>
      <p className="line-editor__hint">
        One line per admission type and host, as in the pledge. Of each line’s persons, say how many
        belong to the groups of Art. 19(3) of the AMIF Regulation (women and children at risk,
        unaccompanied minors, persons with medical needs, persons needing legal or physical
        protection), and how many were admitted as their family members (Art. 19(5)): they set the
        lump sum for humanitarian admission. A month with no admissions is reported with no lines.
      </p>
      <div className="report-lines">
        <LineEditor<AdmissionDraft>
          lines={drafts}
          onChange={setDrafts}
          errors={errors}
          pathPrefix={ADMISSIONS_PATH}
          reference={reference}
          disabled={readOnly}
          caption={`Admissions of ${memberState} in ${monthName}${
            base === null ? '' : `, starting from version ${base.version}`
          }`}
          newLine={emptyAdmission}
          personsLabel="persons admitted"
          showYear={false}
          noteMaxLength={200}
          emptyMessage="No admissions in this month. Add a line for each admission type and host."
          extraColumn={{ header: 'Of whom (AMIF)', Cell: AdmissionCounts }}
        />
      </div>
      <LineTotalsTable
        caption="Persons admitted by admission type: being edited and as recorded"
        columns={[
          { label: 'Being edited', totals: draftTotals(drafts) },
          {
            label:
              savedReport === null
                ? 'As recorded (no report yet)'
                : `As recorded (version ${savedReport.version})`,
            totals: savedReport === null ? undefined : withShare(savedReport.byAdmissionType),
          },
        ]}
      />

      <h3>The admission procedure in {monthName} (Art. 9)</h3>
      <p className="line-editor__hint">
        Counts of cases, all optional: give those your systems count. Leave a field empty when it is
        not counted; enter 0 when there were none.
      </p>
      <ProcedureFields
        procedure={procedure}
        onChange={setProcedure}
        errors={errors}
        disabled={readOnly}
      />
    </EditorForm>
  );
}
