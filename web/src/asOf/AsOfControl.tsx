import { useEffect, useId, useState, type FormEvent } from 'react';
import { isoToLocalDateTime, localDateTimeToIso } from './asOf';
import { useAsOf } from './AsOfProvider';

type Mode = 'instant' | 'position';

/**
 * Time travel: choose a date and time or a log position, Apply, and every view reads the log as
 * it stood then; "Back to now" leaves the past.
 */
export function AsOfControl() {
  const { value, isPast, setAsOf } = useAsOf();
  const id = useId();
  const [mode, setMode] = useState<Mode>(value?.kind ?? 'instant');
  const [instant, setInstant] = useState(
    value?.kind === 'instant' ? isoToLocalDateTime(value.instant) : '',
  );
  const [position, setPosition] = useState(value?.kind === 'position' ? value.raw : '');
  const [error, setError] = useState<string | undefined>();

  // Follow the URL when it changes elsewhere (a link, Back to now in the banner).
  useEffect(() => {
    if (value?.kind === 'instant') setInstant(isoToLocalDateTime(value.instant));
    if (value?.kind === 'position') setPosition(value.raw);
    if (value) setMode(value.kind);
  }, [value]);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mode === 'instant') {
      const iso = localDateTimeToIso(instant);
      if (iso === undefined) return setError('Enter a date and time, like 30/11/2026 10:00.');
      setError(undefined);
      return setAsOf(iso);
    }
    if (!/^\d+$/.test(position.trim())) return setError('Enter a log position: a whole number.');
    setError(undefined);
    setAsOf(position.trim());
  };

  const errorId = `${id}-error`;
  return (
    <form className="as-of-control no-print" onSubmit={apply}>
      <fieldset>
        <legend>View the log as of</legend>
        <div className="as-of-control__modes">
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              value="instant"
              checked={mode === 'instant'}
              onChange={() => setMode('instant')}
            />{' '}
            Date and time
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              value="position"
              checked={mode === 'position'}
              onChange={() => setMode('position')}
            />{' '}
            Log position
          </label>
        </div>
        {mode === 'instant' ? (
          <label className="as-of-control__field">
            <span>Date and time (your time zone)</span>
            <input
              type="datetime-local"
              value={instant}
              onChange={(event) => setInstant(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
            />
          </label>
        ) : (
          <label className="as-of-control__field">
            <span>Log position</span>
            <input
              type="text"
              inputMode="numeric"
              pattern="[0-9]*"
              value={position}
              onChange={(event) => setPosition(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
            />
          </label>
        )}
        {error && (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        )}
        <div className="as-of-control__actions">
          <button type="submit" className="button button--secondary">
            Apply
          </button>
          {isPast && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setAsOf(undefined)}
            >
              Back to now
            </button>
          )}
        </div>
      </fieldset>
    </form>
  );
}
