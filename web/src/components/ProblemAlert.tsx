import { useEffect, useId, useRef, type MouseEvent } from 'react';
import { FORM_LEVEL, fieldErrors, fieldId, problemSummary, type Problem } from '../api/problems';

/** Moves to the field without touching the URL (the router owns it): focus, then scroll. */
function focusField(event: MouseEvent<HTMLAnchorElement>, path: string): void {
  const field = document.getElementById(fieldId(path));
  if (!field) return;
  event.preventDefault();
  field.focus();
  field.scrollIntoView?.({ block: 'center' });
}

/**
 * A refusal at the top of a form: its summary, then every message, each linking to the field its
 * `path` names (`labels` gives the field's name for people: `{ 'lines.0.persons': 'Line 1,
 * persons' }`). Takes focus when it appears so keyboard and screen-reader users land on it.
 */
export function ProblemAlert({
  problem,
  labels = {},
  title = 'There is a problem',
  focusOnShow = true,
}: {
  readonly problem: Problem | undefined | null;
  readonly labels?: Readonly<Record<string, string>>;
  readonly title?: string;
  readonly focusOnShow?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (problem && focusOnShow) ref.current?.focus();
  }, [problem, focusOnShow]);
  if (!problem) return null;
  const byPath = Object.entries(fieldErrors(problem));
  return (
    <div className="problem-alert" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <h2 id={titleId} className="problem-alert__title">
        {title}
      </h2>
      <p>{problemSummary(problem)}</p>
      {byPath.length > 0 && (
        <ul className="problem-alert__list">
          {byPath.flatMap(([path, messages]) =>
            messages.map((message, index) => (
              <li key={`${path}:${index}`}>
                {path === FORM_LEVEL ? (
                  message
                ) : (
                  <a href={`#${fieldId(path)}`} onClick={(event) => focusField(event, path)}>
                    {labels[path] ?? path}: {message}
                  </a>
                )}
              </li>
            )),
          )}
        </ul>
      )}
    </div>
  );
}
