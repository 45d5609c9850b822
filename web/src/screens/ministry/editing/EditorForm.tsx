import type { FormEvent, ReactNode } from 'react';
import { fieldProps, toProblem, type FieldErrors, type Problem } from '../../../api/problems';
import { FieldError } from '../../../components/FieldError';
import { ProblemAlert } from '../../../components/ProblemAlert';

/** A refusal, and the rows as they were sent, so its messages follow their line. */
export interface Refusal {
  readonly problem: Problem;
  readonly sentKeys: readonly string[];
}

/** What the last action did, in words, for the status line. */
export interface Outcome {
  readonly headline: string;
  readonly details: readonly string[];
}

/** Why a write is refused before it is sent while looking at the past. */
export const VIEWING_THE_PAST: Problem = {
  ...toProblem(undefined, { status: 409, statusText: 'Conflict', url: '' }),
  title: 'Changes are disabled while looking at the past',
  detail: 'Go back to now to make changes.',
  code: 'viewing_the_past',
};

/** A required reason left empty, found before sending: `what` is "revision", "correction". */
export function reasonMissing(path: string, what: string): Problem {
  return {
    type: 'about:blank',
    title: 'A reason is needed',
    status: 422,
    detail: `The reason is recorded with the ${what} for everyone who reads the history.`,
    instance: '',
    code: 'reason_required',
    errors: [{ location: 'body', path, message: `Enter the reason for this ${what}.` }],
  };
}

export interface ReasonFieldProps {
  /** The request path its messages come back on. */
  readonly path: string;
  readonly label: string;
  readonly rows: number;
  /** The longest reason the server takes. */
  readonly maxLength: number;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
}

/** A required reason, recorded with the write: a labelled textarea with its error beside it. */
export function ReasonField({
  path,
  label,
  rows,
  maxLength,
  value,
  onChange,
  errors,
  disabled,
}: ReasonFieldProps) {
  return (
    <div className="ministry-form-field">
      <label htmlFor={fieldProps(path, errors).id}>{label}</label>
      <textarea
        {...fieldProps(path, errors)}
        rows={rows}
        required
        aria-required="true"
        maxLength={maxLength}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldError path={path} errors={errors} />
    </div>
  );
}

/**
 * The skeleton of a versioned record's editor (a pledge, a monthly report): the status line saying
 * what the last action did, the heading, why nothing can be changed when looking at the past, a
 * note when someone else recorded a version after the one being edited, the conflict to resolve
 * after a refused write, and the form: the refusal's summary, the fields, the reason a change
 * needs, and the button, held while a conflict is open.
 */
export function EditorForm({
  headingId,
  heading,
  noun,
  readOnly,
  notices,
  savedVersion,
  baseVersion,
  conflict,
  outcome,
  onSubmit,
  problem,
  labels,
  failureTitle,
  children,
  reason,
  submitLabel,
  pending,
}: {
  readonly headingId: string;
  readonly heading: string;
  /** What is edited, in words: "pledge", "report". */
  readonly noun: string;
  /** Looking at the past: nothing can be changed. */
  readonly readOnly: boolean;
  /** Said under the heading: what the plan's state means for the edit. */
  readonly notices?: ReactNode;
  /** The version the server holds now, and the one the edit started from (none: no record). */
  readonly savedVersion: number | undefined;
  readonly baseVersion: number | undefined;
  /** The conflict view while a refused write waits for the person's choice. */
  readonly conflict: ReactNode | undefined;
  readonly outcome: Outcome | undefined;
  readonly onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** The refusal shown, its paths at the form's fields. */
  readonly problem: Problem | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** "The pledge was not saved". */
  readonly failureTitle: string;
  /** The fields. */
  readonly children: ReactNode;
  /** The reason field, when the write needs one. */
  readonly reason: ReasonFieldProps | undefined;
  readonly submitLabel: string;
  readonly pending: boolean;
}) {
  const conflictOpen = conflict !== undefined;
  return (
    <>
      <div role="status" aria-live="polite" className="ministry-status">
        {outcome !== undefined && (
          <div className="ministry-result">
            <p>
              <strong>{outcome.headline}</strong>
            </p>
            {outcome.details.map((detail) => (
              <p key={detail}>{detail}</p>
            ))}
          </div>
        )}
      </div>

      <section aria-labelledby={headingId}>
        <h2 id={headingId}>{heading}</h2>
        {readOnly && (
          <p className="ministry-notice">
            You are looking at the past: the {noun} is shown as it stood then and cannot be changed.
          </p>
        )}
        {!readOnly && notices}
        {savedVersion !== undefined && baseVersion !== undefined && savedVersion > baseVersion && (
          <p className="ministry-notice ministry-notice--warning">
            Version {savedVersion} was recorded after you started editing version {baseVersion}.
            Saving shows you what changed before anything is overwritten.
          </p>
        )}
        {conflict}
        <form onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
          <ProblemAlert problem={problem} labels={labels} title={failureTitle} />
          {children}
          {reason !== undefined && <ReasonField {...reason} />}
          <p className="ministry-actions">
            <button type="submit" className="button" disabled={readOnly || conflictOpen || pending}>
              {pending ? 'Saving…' : submitLabel}
            </button>
            {conflictOpen && (
              <span>Choose how to go on with the conflict above before saving.</span>
            )}
          </p>
        </form>
      </section>
    </>
  );
}
