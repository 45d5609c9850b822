/**
 * A monthly report's three-way merge, for a correction refused because someone else recorded the
 * month meanwhile: my edits since the version I started from, applied onto theirs. Admission lines
 * merge as the pledge's lines do (matched by their key; a line both changed differently waits for
 * a choice); each procedure count merges on its own the same way: the side that changed it wins,
 * and a count both changed differently waits for a choice.
 */
import type { AdmissionLine, ProcedureCounts } from '../../../api/implementation';
import {
  lineKey,
  mergedRows,
  mergeRows,
  type LineShape,
  type LinesMerge,
  type MergeChoice,
} from '../../../components/lines';
import { PROCEDURE_COUNT_FIELDS, type ProcedureCountField } from '../../../lib/labels';
import { sameAdmission } from './reportDiff';
import {
  PROCEDURE_PATH,
  toAdmissionDraft,
  toAdmissionLine,
  toProcedureCounts,
  type AdmissionDraft,
  type ProcedureDraft,
} from './reportModel';

/** A report's admission lines: the form's rows against the API's lines. */
export const ADMISSION_LINES: LineShape<AdmissionLine, AdmissionDraft> = {
  keyOf: lineKey,
  same: sameAdmission,
  toLine: toAdmissionLine,
  toDraft: toAdmissionDraft,
};

/** The report as saved in one version: its lines and its procedure counts. */
export interface ReportContent {
  readonly admissions: readonly AdmissionLine[];
  readonly procedure: ProcedureCounts | undefined;
}

/** A procedure count both sides changed, differently; `undefined` is a count not given. */
export interface CountConflict {
  /** Names the decision; never the key of a line. */
  readonly key: string;
  readonly field: ProcedureCountField;
  readonly base: number | undefined;
  readonly theirs: number | undefined;
  /** As typed. */
  readonly mine: string;
}

export interface ReportMerge {
  readonly lines: LinesMerge<AdmissionLine, AdmissionDraft>;
  /** The counts merged, with each conflicting count still as I typed it. */
  readonly procedure: ProcedureDraft;
  readonly counts: readonly CountConflict[];
}

const typed = (value: number | undefined) => (value === undefined ? '' : String(value));

/** Merges my rows and typed counts onto `theirs`, both descended from `base`. */
export function mergeReport(
  base: ReportContent,
  theirs: ReportContent,
  mine: { readonly drafts: readonly AdmissionDraft[]; readonly procedure: ProcedureDraft },
): ReportMerge {
  // A count typed that is not a whole number reads as NaN: a change of mine, kept as typed.
  const myCounts = toProcedureCounts(mine.procedure) ?? {};
  const procedure: Record<ProcedureCountField, string> = { ...mine.procedure };
  const counts: CountConflict[] = [];
  for (const field of PROCEDURE_COUNT_FIELDS) {
    const before = base.procedure?.[field];
    const their = theirs.procedure?.[field];
    const my = myCounts[field];
    if (my === before) procedure[field] = typed(their);
    else if (their !== before && their !== my) {
      counts.push({
        key: `${PROCEDURE_PATH}.${field}`,
        field,
        base: before,
        theirs: their,
        mine: mine.procedure[field],
      });
    }
  }
  return {
    lines: mergeRows(ADMISSION_LINES, base.admissions, theirs.admissions, mine.drafts),
    procedure,
    counts,
  };
}

/** Every decision the merge waits for, by key. */
export function conflictKeys(merge: ReportMerge): string[] {
  return [
    ...merge.lines.conflicts.map((conflict) => conflict.key),
    ...merge.counts.map((conflict) => conflict.key),
  ];
}

/** The merged rows and counts with each conflict settled; undefined while one is open. */
export function mergedReport(
  merge: ReportMerge,
  choices: Readonly<Record<string, MergeChoice>>,
): { readonly drafts: AdmissionDraft[]; readonly procedure: ProcedureDraft } | undefined {
  const drafts = mergedRows(ADMISSION_LINES, merge.lines, choices);
  if (drafts === undefined) return undefined;
  const procedure: Record<ProcedureCountField, string> = { ...merge.procedure };
  for (const conflict of merge.counts) {
    const choice = choices[conflict.key];
    if (choice === undefined) return undefined;
    procedure[conflict.field] = choice === 'mine' ? conflict.mine : typed(conflict.theirs);
  }
  return { drafts, procedure };
}
