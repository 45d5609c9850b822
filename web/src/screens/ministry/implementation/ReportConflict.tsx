import { useQuery } from '@tanstack/react-query';
import {
  fetchReport,
  fetchReportHistoryPage,
  type AdmissionLine,
  type ReportHistoryEntry,
  type ReportView,
} from '../../../api/implementation';
import type { ApiError } from '../../../api/problems';
import type { LineReference } from '../../../components/lines';
import { formatCount } from '../../../lib/format';
import { PROCEDURE_COUNT_LABELS, REPORT_EVENT_LABELS } from '../../../lib/labels';
import { ConflictView, type ConflictContent, type ConflictItem } from '../editing/ConflictView';
import {
  admissionValuesText,
  countText,
  describeAdmissionLine,
  diffAdmissions,
} from './reportDiff';
import { ReportDiffList } from './ReportDiffList';
import type { ReportBase } from './ReportForm';
import { mergedReport, mergeReport, type ReportMerge } from './reportMerge';
import {
  toAdmissionLine,
  toProcedureCounts,
  type AdmissionDraft,
  type ProcedureDraft,
} from './reportModel';

/** The report as it stands now and the entry that made it, read afresh after a refusal. */
interface CurrentState {
  readonly report: ReportView | null;
  readonly entry: ReportHistoryEntry | undefined;
}

async function fetchCurrentState(
  planId: string,
  memberState: string,
  month: string,
): Promise<CurrentState> {
  const report = await fetchReport(planId, memberState, month, undefined);
  if (report === null) return { report, entry: undefined };
  const page = await fetchReportHistoryPage(
    planId,
    memberState,
    month,
    undefined,
    report.version - 1,
    1,
  );
  return { report, entry: page.versions.find((entry) => entry.version === report.version) };
}

const NO_REPORT = { admissions: [], procedure: undefined } as const;

const personsOf = (lines: readonly AdmissionLine[]) =>
  lines.reduce((sum, line) => sum + line.persons, 0);

/** What both changed differently, line by line and count by count, in words. */
function conflictItems(merge: ReportMerge, reference: LineReference): ConflictItem[] {
  const lines = merge.lines.conflicts.map((conflict): ConflictItem => {
    const shown = conflict.mine === undefined ? conflict.theirs : toAdmissionLine(conflict.mine);
    return {
      key: conflict.key,
      name: shown === undefined ? conflict.key : describeAdmissionLine(shown, reference),
      noun: 'line',
      base: conflict.base && admissionValuesText(conflict.base, reference),
      theirs:
        conflict.theirs === undefined
          ? 'the line removed'
          : admissionValuesText(conflict.theirs, reference),
      mine:
        conflict.mine === undefined
          ? 'the line removed'
          : admissionValuesText(toAdmissionLine(conflict.mine), reference),
    };
  });
  const counts = merge.counts.map((conflict): ConflictItem => ({
    key: conflict.key,
    name: PROCEDURE_COUNT_LABELS[conflict.field],
    noun: 'count',
    base: countText(conflict.base),
    theirs: countText(conflict.theirs),
    mine: conflict.mine.trim() === '' ? 'not given' : conflict.mine.trim(),
  }));
  return [...lines, ...counts];
}

/**
 * The report's conflict: their lines and counts beside mine, my edits merged onto theirs line by
 * line and count by count (see `ConflictView`).
 */
export function ReportConflict({
  planId,
  memberState,
  month,
  startedFrom,
  myDrafts,
  myProcedure,
  reference,
  onReapply,
  onDiscard,
}: {
  readonly planId: string;
  readonly memberState: string;
  readonly month: string;
  /** The version the edits started from, or null for a first report. */
  readonly startedFrom: ReportBase | null;
  readonly myDrafts: readonly AdmissionDraft[];
  readonly myProcedure: ProcedureDraft;
  readonly reference: LineReference;
  /** Move the base to `current`, with my edits applied onto its lines and counts. */
  readonly onReapply: (
    current: ReportView | null,
    merged: { readonly drafts: AdmissionDraft[]; readonly procedure: ProcedureDraft },
  ) => void;
  /** Take `current` as it is: my edits are dropped. */
  readonly onDiscard: (current: ReportView | null) => void;
}) {
  const current = useQuery<CurrentState, ApiError>({
    queryKey: ['report-conflict', planId, memberState, month, startedFrom?.version ?? 0],
    queryFn: () => fetchCurrentState(planId, memberState, month),
    staleTime: 0,
    gcTime: 0,
  });
  const base = startedFrom ?? NO_REPORT;
  const myAdmissions = myDrafts.map(toAdmissionLine);
  const mine = { admissions: myAdmissions, procedure: toProcedureCounts(myProcedure) };

  let content: ConflictContent | undefined;
  if (current.data !== undefined) {
    const { report, entry } = current.data;
    const theirs = report === null ? NO_REPORT : report;
    const merge = mergeReport(base, theirs, { drafts: myDrafts, procedure: myProcedure });
    content = {
      theirHeading: `Their change: ${
        startedFrom === null ? 'no report' : `version ${startedFrom.version}`
      } → ${report === null ? 'no report' : `version ${report.version}`}`,
      entry: entry && {
        label: REPORT_EVENT_LABELS[entry.type] ?? entry.type,
        actor: entry.actor,
        onBehalf: entry.onBehalf,
        recordedAt: entry.recordedAt,
        reason: entry.reason,
      },
      theirNotes: report !== null && <p>{formatCount(report.admitted)} persons admitted.</p>,
      theirDiff: (
        <ReportDiffList
          diff={diffAdmissions(base, theirs)}
          reference={reference}
          emptyMessage="The report is the same; only the version moved on."
        />
      ),
      myNotes: <p>{formatCount(personsOf(myAdmissions))} persons admitted.</p>,
      myDiff: (
        <ReportDiffList
          diff={diffAdmissions(base, mine)}
          reference={reference}
          emptyMessage="You have not changed anything."
        />
      ),
      theirThings: 'lines and counts',
      items: conflictItems(merge, reference),
      onReapply: (choices) => {
        const merged = mergedReport(merge, choices);
        if (merged !== undefined) onReapply(report, merged);
      },
      onDiscard: () => onDiscard(report),
    };
  }

  return (
    <ConflictView
      heading="Someone else recorded this month’s report while you were editing"
      intro={
        <>
          Your report was not saved: it was made to{' '}
          {startedFrom === null ? 'a month not reported yet' : `version ${startedFrom.version}`},
          and the report has moved on since. Nothing is lost: your edits are still in the form.
        </>
      }
      isPending={current.isPending}
      error={current.error}
      content={content}
    />
  );
}
