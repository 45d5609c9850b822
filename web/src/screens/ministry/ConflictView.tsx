import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { ApiError } from '../../api/problems';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import {
  describeLine,
  diffLines,
  LineDiffList,
  mergedDrafts,
  mergeLines,
  toPledgeLine,
  toPledgeLines,
  type LineDraft,
  type LineMergeConflict,
  type LineReference,
  type MergeChoice,
  type PledgeLine as EditedLine,
} from '../../components/lines';
import { formatCount, formatDateTime } from '../../lib/format';
import {
  actorLabel,
  fetchOwnPledge,
  fetchVersionEntry,
  type PledgeHistoryEntry,
  type PledgeLine,
  type Pledge,
} from './pledgeApi';
import { EVENT_TYPE_LABELS } from './planLabels';

/** The version an edit started from: none when it was a first submission. */
export interface EditBase {
  readonly version: number;
  readonly lines: readonly PledgeLine[];
  readonly status: Pledge['status'];
}

/** The pledge as it stands now and the entry that made it, read afresh after a refusal. */
interface CurrentState {
  readonly pledge: Pledge | null;
  readonly entry: PledgeHistoryEntry | undefined;
}

async function fetchCurrentState(planId: string, memberState: string): Promise<CurrentState> {
  const pledge = await fetchOwnPledge(planId, memberState, undefined);
  const entry =
    pledge === null ? undefined : await fetchVersionEntry(planId, memberState, pledge.version);
  return { pledge, entry };
}

/**
 * Shown when a write was refused because the pledge changed since it was loaded (412): what the
 * other change was (lines added, removed, changed; who, when, why) beside the edits not sent, and
 * the two ways on: keep my edits on top of the current version, or take the current version.
 * Nothing is sent from here.
 */
export function ConflictView({
  planId,
  memberState,
  startedFrom,
  myLines,
  reference,
  onReapply,
  onDiscard,
}: {
  readonly planId: string;
  readonly memberState: string;
  /** The version the edits started from, or null for a first submission. */
  readonly startedFrom: EditBase | null;
  readonly myLines: readonly LineDraft[];
  readonly reference: LineReference;
  /** Move the base to `current`, with my edits applied onto its lines (`merged`). */
  readonly onReapply: (current: Pledge | null, merged: LineDraft[]) => void;
  /** Take `current` as it is: my edits are dropped. */
  readonly onDiscard: (current: Pledge | null) => void;
}) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const current = useQuery<CurrentState, ApiError>({
    queryKey: ['pledge-conflict', planId, memberState, startedFrom?.version ?? 0],
    queryFn: () => fetchCurrentState(planId, memberState),
    staleTime: 0,
    gcTime: 0,
  });
  // The refusal interrupts the person: take them to the explanation.
  useEffect(() => headingRef.current?.focus(), []);

  const [choices, setChoices] = useState<Readonly<Record<string, MergeChoice>>>({});
  const [undecided, setUndecided] = useState(false);
  const baseLines = startedFrom?.lines ?? [];
  const mine = toPledgeLines(myLines);
  const theirLines = current.data?.pledge?.lines ?? [];
  const merge = current.data === undefined ? undefined : mergeLines(baseLines, theirLines, myLines);
  const reapply = (pledge: Pledge | null) => {
    if (merge === undefined) return;
    const merged = mergedDrafts(merge, choices);
    if (merged === undefined) {
      setUndecided(true);
      const open = merge.conflicts.find((conflict) => choices[conflict.key] === undefined);
      if (open !== undefined) document.getElementById(choiceId(headingId, open, 'theirs'))?.focus();
      return;
    }
    onReapply(pledge, merged);
  };

  return (
    <section className="conflict-view" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        Someone else changed this pledge while you were editing
      </h2>
      <p>
        Your change was not saved: it was made to{' '}
        {startedFrom === null
          ? 'a pledge that did not exist yet'
          : `version ${startedFrom.version}`}
        , and the pledge has moved on since. Nothing is lost: your edits are still in the editor.
      </p>
      {current.isPending && <Loading label="Loading the current version" />}
      {current.error && (
        <ProblemAlert
          problem={current.error.problem}
          title="The current version could not be loaded"
          focusOnShow={false}
        />
      )}
      {current.data && (
        <>
          <div className="ministry-columns">
            <div>
              <h3>
                Their change:{' '}
                {startedFrom === null ? 'no pledge' : `version ${startedFrom.version}`} →{' '}
                {current.data.pledge === null
                  ? 'no pledge'
                  : `version ${current.data.pledge.version}`}
              </h3>
              {current.data.entry !== undefined && (
                <p>
                  {EVENT_TYPE_LABELS[current.data.entry.type] ?? current.data.entry.type} by{' '}
                  <strong>{actorLabel(current.data.entry.actor)}</strong> on{' '}
                  <time dateTime={current.data.entry.recordedAt}>
                    {formatDateTime(current.data.entry.recordedAt)}
                  </time>
                  {current.data.entry.reason !== undefined && (
                    <>, giving the reason “{current.data.entry.reason}”</>
                  )}
                  .
                </p>
              )}
              {current.data.pledge?.status === 'withdrawn' && (
                <p>
                  <strong>The pledge is now withdrawn.</strong> Saving your lines submits it again.
                </p>
              )}
              <LineDiffList
                diff={diffLines(baseLines, current.data.pledge?.lines ?? [])}
                reference={reference}
                emptyMessage="The lines are the same; only the version moved on."
              />
            </div>
            <div>
              <h3>Your edits (not sent)</h3>
              <LineDiffList
                diff={diffLines(baseLines, mine)}
                reference={reference}
                emptyMessage="You have not changed any line."
              />
            </div>
          </div>
          {merge !== undefined && (
            <MergeChoices
              idPrefix={headingId}
              conflicts={merge.conflicts}
              choices={choices}
              undecided={undecided}
              reference={reference}
              onChoose={(key, choice) => setChoices((chosen) => ({ ...chosen, [key]: choice }))}
            />
          )}
          <div className="ministry-actions">
            <button type="button" className="button" onClick={() => reapply(current.data.pledge)}>
              Reload their version and reapply my changes
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => onDiscard(current.data.pledge)}
            >
              Discard my changes
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function choiceId(prefix: string, conflict: LineMergeConflict, choice: MergeChoice): string {
  return `${prefix}-${conflict.key.replace(/[^A-Za-z0-9_-]/g, '_')}-${choice}`;
}

/** A line's values in words: "70 persons; target groups: Children; note: …". */
function valuesText(line: EditedLine, reference: Pick<LineReference, 'targetGroups'>): string {
  const groups = (line.targetGroups ?? []).map(
    (id) => reference.targetGroups.find((group) => group.id === id)?.name ?? id,
  );
  return [
    `${formatCount(line.persons)} ${line.persons === 1 ? 'person' : 'persons'}`,
    ...(groups.length > 0 ? [`target groups: ${groups.join(', ')}`] : []),
    ...(line.note !== undefined && line.note !== '' ? [`note: ${line.note}`] : []),
  ].join('; ');
}

/**
 * What reapplying does: my changes go onto their version, and their lines I did not touch stay.
 * A line both of us changed (or one changed and the other removed) waits for the person's choice.
 */
function MergeChoices({
  idPrefix,
  conflicts,
  choices,
  undecided,
  reference,
  onChoose,
}: {
  readonly idPrefix: string;
  readonly conflicts: readonly LineMergeConflict[];
  readonly choices: Readonly<Record<string, MergeChoice>>;
  /** The person asked to reapply before choosing for every line. */
  readonly undecided: boolean;
  readonly reference: LineReference;
  readonly onChoose: (key: string, choice: MergeChoice) => void;
}) {
  if (conflicts.length === 0) {
    return (
      <p>
        Reapplying puts your changes on top of their version: the lines they added or changed and
        you did not touch are kept as they saved them.
      </p>
    );
  }
  return (
    <div className="conflict-view__choices">
      <h3>
        {conflicts.length === 1
          ? 'One line was changed by both of you: choose which to keep'
          : `${conflicts.length} lines were changed by both of you: choose which to keep`}
      </h3>
      <p>
        Your other changes go on top of their version, and the lines they added or changed that you
        did not touch are kept.
      </p>
      {conflicts.map((conflict) => {
        const shown = conflict.mine === undefined ? conflict.theirs : toPledgeLine(conflict.mine);
        const name = shown === undefined ? conflict.key : describeLine(shown, reference);
        const open = undecided && choices[conflict.key] === undefined;
        const errorId = `${choiceId(idPrefix, conflict, 'theirs')}-error`;
        const option = (choice: MergeChoice, text: string) => (
          <label className="line-editor__choice">
            <input
              type="radio"
              id={choiceId(idPrefix, conflict, choice)}
              name={`${idPrefix}-${conflict.key}`}
              value={choice}
              checked={choices[conflict.key] === choice}
              aria-invalid={open || undefined}
              aria-describedby={open ? errorId : undefined}
              onChange={() => onChoose(conflict.key, choice)}
            />
            <span>{text}</span>
          </label>
        );
        return (
          <fieldset key={conflict.key} className="conflict-view__choice">
            <legend>{name}</legend>
            {conflict.base !== undefined && (
              <p className="line-editor__hint">
                In the version you started from: {valuesText(conflict.base, reference)}.
              </p>
            )}
            {option(
              'theirs',
              conflict.theirs === undefined
                ? 'Theirs: the line removed'
                : `Theirs: ${valuesText(conflict.theirs, reference)}`,
            )}
            {option(
              'mine',
              conflict.mine === undefined
                ? 'Mine: the line removed'
                : `Mine: ${valuesText(toPledgeLine(conflict.mine), reference)}`,
            )}
            {open && (
              <p className="field-error" id={errorId}>
                <span className="visually-hidden">Error: </span>Choose which version of this line to
                keep.
              </p>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}
