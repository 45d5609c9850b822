import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Problem } from '../../api/problems';
import { useAsOf } from '../../asOf';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProblemAlert } from '../../components/ProblemAlert';

/**
 * One lifecycle step as a form: its fields, a button that asks first (a ConfirmDialog saying
 * exactly what will be recorded), and the refusal, if any, with every message at its field.
 * `run` performs the write; the dialog closes when it settles either way.
 */
export function StepForm({
  title,
  intro,
  submitLabel,
  confirmTitle,
  confirmBody,
  confirmLabel,
  problem,
  labels,
  busy,
  run,
  children,
}: {
  readonly title: string;
  readonly intro?: ReactNode;
  readonly submitLabel: string;
  readonly confirmTitle: string;
  readonly confirmBody: ReactNode;
  readonly confirmLabel: string;
  readonly problem: Problem | undefined;
  readonly labels?: Readonly<Record<string, string>>;
  readonly busy: boolean;
  readonly run: () => Promise<unknown>;
  readonly children?: ReactNode;
}) {
  const { isPast } = useAsOf();
  const [confirming, setConfirming] = useState(false);
  const headingId = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setConfirming(true);
  };
  const confirm = () => {
    run()
      .catch(() => undefined) // the refusal shows through `problem`
      .finally(() => setConfirming(false));
  };
  return (
    <form className="form step-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {intro}
      <ProblemAlert problem={problem} labels={labels} title={`${title}: not recorded`} />
      <fieldset disabled={isPast || busy}>
        <legend className="visually-hidden">{title}</legend>
        {children}
        <p>
          <button type="submit" className="button">
            {submitLabel}
          </button>
        </p>
      </fieldset>
      <ConfirmDialog
        open={confirming}
        title={confirmTitle}
        confirmLabel={confirmLabel}
        busy={busy}
        onConfirm={confirm}
        onCancel={() => setConfirming(false)}
      >
        {confirmBody}
      </ConfirmDialog>
    </form>
  );
}
