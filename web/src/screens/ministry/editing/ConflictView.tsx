import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { ApiError } from '../../../api/problems';
import { Loading } from '../../../components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import type { MergeChoice } from '../../../components/lines';
import { formatDateTime } from '../../../lib/format';
import { actorLabel, type EventActor } from '../pledgeApi';

/** The write that moved the record on: who, when, why. */
export interface ConflictEntry {
  /** The kind of write in words: "Revised", "Correction". */
  readonly label: string;
  readonly actor: EventActor;
  /** Recorded by the Commission on the Member State's behalf. */
  readonly onBehalf?: boolean;
  readonly recordedAt: string;
  readonly reason?: string | undefined;
}

/** One thing both sides changed differently, in words, waiting for the person's choice. */
export interface ConflictItem {
  /** Names the decision. */
  readonly key: string;
  /** The fieldset's name: the line, or the count. */
  readonly name: string;
  /** What it is, for the messages: "line", "count". */
  readonly noun: string;
  /** Its values in the version the edits started from; undefined when it was not there. */
  readonly base: string | undefined;
  readonly theirs: string;
  readonly mine: string;
}

/** What the view shows once the current version is read. */
export interface ConflictContent {
  /** "Their change: version 1 → version 2". */
  readonly theirHeading: string;
  readonly entry: ConflictEntry | undefined;
  /** Said under the entry: a withdrawal, a total. */
  readonly theirNotes?: ReactNode;
  readonly theirDiff: ReactNode;
  readonly myNotes?: ReactNode;
  readonly myDiff: ReactNode;
  /** What reapplying keeps of theirs, in words: "lines", "lines and counts". */
  readonly theirThings: string;
  readonly items: readonly ConflictItem[];
  /** Called once every item has its choice. */
  readonly onReapply: (choices: Readonly<Record<string, MergeChoice>>) => void;
  readonly onDiscard: () => void;
}

function choiceId(prefix: string, key: string, choice: MergeChoice): string {
  return `${prefix}-${key.replace(/[^A-Za-z0-9_-]/g, '_')}-${choice}`;
}

/** "line", "count", or "line or count" when the items are of both kinds. */
function nounOf(items: readonly ConflictItem[], plural: boolean): string {
  const nouns = [...new Set(items.map((item) => (plural ? `${item.noun}s` : item.noun)))];
  return nouns.join(' or ');
}

/**
 * Shown when a write was refused because the record changed since it was loaded (412): what the
 * other change was (who, when, why, and what it changed) beside the edits not sent, and the two
 * ways on: my changes applied onto the current version (what both changed differently waits for a
 * choice, so nothing is lost unseen), or the current version as it is. Nothing is sent from here.
 */
export function ConflictView({
  heading,
  intro,
  isPending,
  error,
  content,
}: {
  /** "Someone else changed this pledge while you were editing". */
  readonly heading: string;
  /** Why nothing was saved, and that the edits are kept. */
  readonly intro: ReactNode;
  readonly isPending: boolean;
  readonly error: ApiError | null;
  /** Undefined until the current version is read. */
  readonly content: ConflictContent | undefined;
}) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The refusal interrupts the person: take them to the explanation.
  useEffect(() => headingRef.current?.focus(), []);
  const [choices, setChoices] = useState<Readonly<Record<string, MergeChoice>>>({});
  const [undecided, setUndecided] = useState(false);

  const reapply = () => {
    if (content === undefined) return;
    const open = content.items.find((item) => choices[item.key] === undefined);
    if (open !== undefined) {
      setUndecided(true);
      document.getElementById(choiceId(headingId, open.key, 'theirs'))?.focus();
      return;
    }
    content.onReapply(choices);
  };

  return (
    <section className="conflict-view" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {heading}
      </h2>
      <p>{intro}</p>
      {isPending && <Loading label="Loading the current version" />}
      {error && (
        <ProblemAlert
          problem={error.problem}
          title="The current version could not be loaded"
          focusOnShow={false}
        />
      )}
      {content && (
        <>
          <div className="ministry-columns">
            <div>
              <h3>{content.theirHeading}</h3>
              {content.entry !== undefined && <EntryText entry={content.entry} />}
              {content.theirNotes}
              {content.theirDiff}
            </div>
            <div>
              <h3>Your edits (not sent)</h3>
              {content.myNotes}
              {content.myDiff}
            </div>
          </div>
          <MergeChoices
            idPrefix={headingId}
            items={content.items}
            theirThings={content.theirThings}
            choices={choices}
            undecided={undecided}
            onChoose={(key, choice) => setChoices((chosen) => ({ ...chosen, [key]: choice }))}
          />
          <div className="ministry-actions">
            <button type="button" className="button" onClick={reapply}>
              Reload their version and reapply my changes
            </button>
            <button type="button" className="button button--secondary" onClick={content.onDiscard}>
              Discard my changes
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** "Revised by Anna Schmidt on 4 Nov 2026, 10:15 UTC, giving the reason “…”." */
function EntryText({ entry }: { readonly entry: ConflictEntry }) {
  return (
    <p>
      {entry.label} by <strong>{actorLabel(entry.actor)}</strong>
      {entry.onBehalf === true && ' (the Commission, on our behalf)'} on{' '}
      <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt)}</time>
      {entry.reason !== undefined && <>, giving the reason “{entry.reason}”</>}.
    </p>
  );
}

/**
 * What reapplying does: my changes go onto their version, and what they changed that I did not
 * touch stays. What both of us changed (or one changed and the other removed) waits for a choice.
 */
function MergeChoices({
  idPrefix,
  items,
  theirThings,
  choices,
  undecided,
  onChoose,
}: {
  readonly idPrefix: string;
  readonly items: readonly ConflictItem[];
  readonly theirThings: string;
  readonly choices: Readonly<Record<string, MergeChoice>>;
  /** The person asked to reapply before choosing for every item. */
  readonly undecided: boolean;
  readonly onChoose: (key: string, choice: MergeChoice) => void;
}) {
  if (items.length === 0) {
    return (
      <p>
        Reapplying puts your changes on top of their version: the {theirThings} they added or
        changed and you did not touch are kept as they saved them.
      </p>
    );
  }
  return (
    <div className="conflict-view__choices">
      <h3>
        {items.length === 1
          ? `One ${nounOf(items, false)} was changed by both of you: choose which to keep`
          : `${items.length} ${nounOf(items, true)} were changed by both of you: choose which to keep`}
      </h3>
      <p>
        Your other changes go on top of their version, and the {theirThings} they added or changed
        that you did not touch are kept.
      </p>
      {items.map((item) => {
        const open = undecided && choices[item.key] === undefined;
        const errorId = `${choiceId(idPrefix, item.key, 'theirs')}-error`;
        const option = (choice: MergeChoice, text: string) => (
          <label className="line-editor__choice">
            <input
              type="radio"
              id={choiceId(idPrefix, item.key, choice)}
              name={`${idPrefix}-${item.key}`}
              value={choice}
              checked={choices[item.key] === choice}
              aria-invalid={open || undefined}
              aria-describedby={open ? errorId : undefined}
              onChange={() => onChoose(item.key, choice)}
            />
            <span>{text}</span>
          </label>
        );
        return (
          <fieldset key={item.key} className="conflict-view__choice">
            <legend>{item.name}</legend>
            {item.base !== undefined && (
              <p className="line-editor__hint">In the version you started from: {item.base}.</p>
            )}
            {option('theirs', `Theirs: ${item.theirs}`)}
            {option('mine', `Mine: ${item.mine}`)}
            {open && (
              <p className="field-error" id={errorId}>
                <span className="visually-hidden">Error: </span>Choose which version of this{' '}
                {item.noun} to keep.
              </p>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}
