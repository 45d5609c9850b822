import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import type { Schema } from '../../api/client';
import { fieldId, type FieldErrors, type Problem } from '../../api/problems';
import { FieldError } from '../../components/FieldError';
import {
  editorPath,
  emptyLine,
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
import { compareNames } from '../../lib/text';

/** A Member State's contribution being edited: its lines as the line editor holds them. */
export interface ContributionDraft {
  readonly memberState: string;
  readonly lines: readonly LineDraft[];
}

export function toContributionDrafts(contributions: readonly Contribution[]): ContributionDraft[] {
  return contributions.map((c) => ({ memberState: c.memberState, lines: toDrafts(c.lines) }));
}

/** A participant as the reference list names it (`GET /api/v1/reference/member-states`). */
export type Participant = Schema<'MemberStates'>['memberStates'][number];

/**
 * Who the Council may add to the contributions: Member States bound by the Framework. Denmark
 * is not bound; associated states' indications stand beside the plan, outside its contributions
 * (Art. 12), and the Council's act does not decide them.
 */
export function addableMemberStates(participants: readonly Participant[]): Participant[] {
  return participants
    .filter((participant) => participant.kind === 'member_state' && participant.mayPledge)
    .sort((a, b) => compareNames(a.name, b.name));
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
  addable,
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
  /**
   * The Member States that may be added (a contribution the starting point did not have);
   * those already listed are left out. Without it, no Member State can be added.
   */
  readonly addable?: readonly Participant[];
}) {
  // The Member State just added: its first field takes the focus once it is drawn.
  const [added, setAdded] = useState<string | undefined>();
  const pickerRef = useRef<HTMLSelectElement>(null);
  const [focusPicker, setFocusPicker] = useState(false);
  const addedPath = added === undefined ? undefined : linesPath(added, pathOf(added));
  useEffect(() => {
    if (addedPath === undefined) return;
    document.getElementById(fieldId(`${addedPath}.0.admissionType`))?.focus();
    setAdded(undefined);
  }, [addedPath]);
  useEffect(() => {
    if (!focusPicker) return;
    pickerRef.current?.focus();
    setFocusPicker(false);
  }, [focusPicker]);

  const listed = new Set(contributions.map((contribution) => contribution.memberState));
  const candidates = addable?.filter((participant) => !listed.has(participant.code));
  const add = (memberState: string) => {
    onChange([...contributions, { memberState, lines: [emptyLine()] }]);
    setAdded(memberState);
  };
  // A Member State added here and removed again leaves no trace: there is nothing to restore.
  const drop = (memberState: string) => {
    onChange(contributions.filter((contribution) => contribution.memberState !== memberState));
    setFocusPicker(true);
  };
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
            onRemove={() =>
              before === undefined
                ? drop(contribution.memberState)
                : replaceLines(contribution.memberState, [])
            }
            onRestore={() => replaceLines(contribution.memberState, toDrafts(before?.lines ?? []))}
          />
        );
      })}
      {candidates !== undefined && (
        <AddMemberState candidates={candidates} onAdd={add} selectRef={pickerRef} />
      )}
    </div>
  );
}

/** A picker of the Member States not yet listed and a button adding the one chosen. */
function AddMemberState({
  candidates,
  onAdd,
  selectRef,
}: {
  readonly candidates: readonly Participant[];
  readonly onAdd: (memberState: string) => void;
  readonly selectRef: RefObject<HTMLSelectElement | null>;
}) {
  const id = useId();
  const [chosen, setChosen] = useState('');
  // The choice stays valid as the list shrinks: what was added is no longer offered.
  const value = candidates.some((c) => c.code === chosen) ? chosen : (candidates[0]?.code ?? '');
  if (candidates.length === 0) {
    return (
      <p className="note contributions-editor__add">
        Every Member State bound by the Framework is in the list.
      </p>
    );
  }
  return (
    <div className="contributions-editor__add">
      <label htmlFor={`${id}-picker`}>Member State to add</label>
      <p className="hint" id={`${id}-hint`}>
        The Council&apos;s act may include a Member State the list above does not.
      </p>
      <div className="contributions-editor__add-row">
        <select
          id={`${id}-picker`}
          ref={selectRef}
          aria-describedby={`${id}-hint`}
          value={value}
          onChange={(event) => setChosen(event.target.value)}
        >
          {candidates.map((participant) => (
            <option key={participant.code} value={participant.code}>
              {participant.name} ({participant.code})
            </option>
          ))}
        </select>
        <button type="button" className="button button--secondary" onClick={() => onAdd(value)}>
          Add
        </button>
      </div>
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
  onRemove,
  onRestore,
}: {
  readonly contribution: ContributionDraft;
  readonly before: Contribution | undefined;
  readonly path: string | undefined;
  readonly errors: FieldErrors;
  readonly locked: string | undefined;
  readonly reference: LineReference;
  readonly onLines: (lines: LineDraft[]) => void;
  readonly onRemove: () => void;
  readonly onRestore: () => void;
}) {
  const { memberState, lines } = contribution;
  const total = personsOf(toPledgeLines(lines));
  const beforeTotal = before ? personsOf(before.lines) : 0;

  // One added here with no line left stays in its editor: there is no earlier figure to restore.
  if (lines.length === 0 && before !== undefined) {
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
      {path !== undefined && (
        // The target of messages about the Member State itself, from the problem's summary too.
        <div id={fieldId(path)} tabIndex={-1}>
          <FieldError path={path} errors={errors} />
        </div>
      )}
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
          before === undefined
            ? ' (added)'
            : total !== beforeTotal
              ? ` (was ${formatCount(beforeTotal)})`
              : ''
        }`}
      />
      <p>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={locked !== undefined}
          onClick={onRemove}
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
      if (index < 0 || index >= sentCount) {
        // A refused Member State (`contributions.2.memberState`) is told above its lines.
        const memberState = new RegExp(`^(${prefix}\\.\\d+)\\.memberState$`).exec(entry.path);
        return memberState?.[1] === undefined ? entry : { ...entry, path: memberState[1] };
      }
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
