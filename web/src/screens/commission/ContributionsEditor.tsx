import type { FieldErrors, Problem } from '../../api/problems';
import { FieldError } from '../../components/FieldError';
import {
  editorPath,
  LINE_FIELD_LABELS,
  LineEditor,
  sameLine,
  toDrafts,
  toPledgeLines,
  type LineDraft,
  type LineReference,
} from '../../components/lines';
import { formatCount } from '../../lib/format';
import { countsOfLines, countsTotal, type Contribution, type PledgeLine } from './labels';

/** A Member State's contribution being edited: its lines as the line editor holds them. */
export interface ContributionDraft {
  readonly memberState: string;
  readonly lines: readonly LineDraft[];
}

export function toContributionDrafts(contributions: readonly Contribution[]): ContributionDraft[] {
  return contributions.map((c) => ({ memberState: c.memberState, lines: toDrafts(c.lines) }));
}

/** The contributions as the request sends them; a Member State with no line left is out. */
export function toSentContributions(drafts: readonly ContributionDraft[]): Contribution[] {
  return drafts
    .filter((draft) => draft.lines.length > 0)
    .map((draft) => ({ memberState: draft.memberState, lines: toPledgeLines(draft.lines) }));
}

/**
 * Contributions being decided: per Member State its lines in the same line editor the ministries
 * use (persons, host, year, target groups, note editable; lines added and removed), or the whole
 * Member State removed. A Member State with no line left is out of the plan.
 */
export function ContributionsEditor({
  contributions,
  original,
  onChange,
  pathOf,
  errors,
  lockedReason,
  caption,
  reference,
}: {
  readonly contributions: readonly ContributionDraft[];
  /** Where editing started (the proposal's contributions): for "was" figures and Restore. */
  readonly original: readonly Contribution[];
  readonly onChange: (next: ContributionDraft[]) => void;
  /** The request path of a Member State's contribution (`contributions.2`), when it is sent. */
  readonly pathOf: (memberState: string) => string | undefined;
  readonly errors: FieldErrors;
  /** Why a Member State cannot be edited here (named elsewhere in the same request). */
  readonly lockedReason?: (memberState: string) => string | undefined;
  readonly caption: string;
  readonly reference: LineReference;
}) {
  const replaceLines = (memberState: string, lines: readonly LineDraft[]) =>
    onChange(
      contributions.map((contribution) =>
        contribution.memberState === memberState ? { memberState, lines } : contribution,
      ),
    );
  const total = contributions.reduce(
    (sum, contribution) => sum + personsOf(toPledgeLines(contribution.lines)),
    0,
  );
  const originalTotal = original.reduce(
    (sum, contribution) => sum + personsOf(contribution.lines),
    0,
  );

  return (
    <div className="contributions-editor">
      <p className="contributions-editor__summary" aria-live="polite">
        {caption}: <strong>{formatPersons(total)}</strong> in all (started from{' '}
        {formatPersons(originalTotal)}).
      </p>
      {contributions.map((contribution) => {
        const before = original.find((c) => c.memberState === contribution.memberState);
        const locked = lockedReason?.(contribution.memberState);
        return (
          <MemberStateLines
            key={contribution.memberState}
            contribution={contribution}
            before={before}
            path={pathOf(contribution.memberState)}
            errors={errors}
            locked={locked}
            reference={reference}
            onLines={(lines) => replaceLines(contribution.memberState, lines)}
            onRestore={() => replaceLines(contribution.memberState, toDrafts(before?.lines ?? []))}
          />
        );
      })}
    </div>
  );
}

function personsOf(lines: readonly PledgeLine[]): number {
  return countsTotal(countsOfLines(lines));
}

function formatPersons(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'person' : 'persons'}`;
}

/** Where a Member State's lines sit: its request path when sent, else a path of its own. */
function linesPath(memberState: string, path: string | undefined): string {
  return path === undefined ? `editor.${memberState}.lines` : `${path}.lines`;
}

/** One Member State's lines in the line editor, with its total and a way out of the plan. */
function MemberStateLines({
  contribution,
  before,
  path,
  errors,
  locked,
  reference,
  onLines,
  onRestore,
}: {
  readonly contribution: ContributionDraft;
  readonly before: Contribution | undefined;
  readonly path: string | undefined;
  readonly errors: FieldErrors;
  readonly locked: string | undefined;
  readonly reference: LineReference;
  readonly onLines: (lines: LineDraft[]) => void;
  readonly onRestore: () => void;
}) {
  const { memberState, lines } = contribution;
  const total = personsOf(toPledgeLines(lines));
  const beforeTotal = before ? personsOf(before.lines) : 0;

  if (lines.length === 0) {
    return (
      <div className="contributions-editor__removed">
        <p>
          <strong>{memberState}</strong> is out of the plan (was {formatPersons(beforeTotal)}).{' '}
          <button type="button" className="button button--secondary" onClick={onRestore}>
            Restore {memberState}
          </button>
        </p>
      </div>
    );
  }
  return (
    <div className="contributions-editor__member-state">
      {path !== undefined && <FieldError path={path} errors={errors} />}
      {locked !== undefined && <p className="note">{locked}</p>}
      <LineEditor
        lines={lines}
        onChange={onLines}
        errors={errors}
        pathPrefix={linesPath(memberState, path)}
        reference={reference}
        disabled={locked !== undefined}
        owner={memberState}
        caption={`${memberState}: ${formatPersons(total)}${
          total !== beforeTotal ? ` (was ${formatCount(beforeTotal)})` : ''
        }`}
      />
      <p>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={locked !== undefined}
          onClick={() => onLines([])}
        >
          Remove {memberState} from the plan
        </button>
      </p>
    </div>
  );
}

/**
 * The problem with each path into a sent contribution's lines pointing at the editor's input
 * (`contributions.1.lines.0.hostCountry` → `contributions.1.lines.0.host`).
 */
export function problemForContributions(
  problem: Problem,
  sentCount: number,
  prefix = 'contributions',
): Problem {
  if (problem.errors === undefined) return problem;
  return {
    ...problem,
    errors: problem.errors.map((entry) => {
      if (typeof entry.path !== 'string') return entry;
      const match = new RegExp(`^${prefix}\\.(\\d+)\\.lines\\.`).exec(entry.path);
      const index = match === null ? -1 : Number(match[1]);
      if (index < 0 || index >= sentCount) return entry;
      return { ...entry, path: editorPath(entry.path, `${prefix}.${index}.lines`) };
    }),
  };
}

/** Labels for the problem summary: `contributions.0.lines.1.persons` → "DE, line 2: persons". */
export function contributionLabels(
  sent: readonly Contribution[],
  prefix = 'contributions',
): Record<string, string> {
  const labels: Record<string, string> = {};
  sent.forEach((contribution, index) => {
    labels[`${prefix}.${index}`] = contribution.memberState;
    labels[`${prefix}.${index}.lines`] = `${contribution.memberState}, lines`;
    contribution.lines.forEach((_, line) => {
      const name = `${contribution.memberState}, line ${line + 1}`;
      labels[`${prefix}.${index}.lines.${line}`] = name;
      for (const [field, label] of Object.entries(LINE_FIELD_LABELS)) {
        labels[`${prefix}.${index}.lines.${line}.${field}`] = `${name}: ${label}`;
      }
    });
  });
  return labels;
}

/** Whether two lists of lines say the same, line by line (the order is the line numbering). */
export function sameLines(a: readonly PledgeLine[], b: readonly PledgeLine[]): boolean {
  return (
    a.length === b.length &&
    a.every((line, index) => {
      const other = b[index];
      return other !== undefined && sameLine(line, other);
    })
  );
}

/** A contribution as the request sends it: the lines only, without the view's derived total. */
export function toContribution(contribution: {
  readonly memberState: string;
  readonly lines: readonly PledgeLine[];
}): Contribution {
  return {
    memberState: contribution.memberState,
    lines: contribution.lines.map((l) => ({ ...l })),
  };
}
