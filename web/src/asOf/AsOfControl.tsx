import { useEffect, useId, useState, type FormEvent } from 'react';
import './asOf.css';
import { describeAsOf, isoToLocalDateTime, localDateTimeToIso } from './asOf';
import { useAsOf } from './AsOfProvider';

/**
 * Time travel: a date and time, or a log position, each with its own button, so neither is hidden
 * behind a mode switch; every view then reads the log as it stood then. "Back to now" leaves the
 * past.
 */
export function AsOfControl() {
  const { value, isPast, setAsOf } = useAsOf();
  const id = useId();
  const [instant, setInstant] = useState(
    value?.kind === 'instant' ? isoToLocalDateTime(value.instant) : '',
  );
  const [position, setPosition] = useState(value?.kind === 'position' ? value.raw : '');
  const [instantError, setInstantError] = useState<string | undefined>();
  const [positionError, setPositionError] = useState<string | undefined>();

  // Follow the URL when it changes elsewhere (a link, Back to now in the banner).
  useEffect(() => {
    if (value?.kind === 'instant') setInstant(isoToLocalDateTime(value.instant));
    if (value?.kind === 'position') setPosition(value.raw);
  }, [value]);

  const applyInstant = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const iso = localDateTimeToIso(instant);
    if (iso === undefined) {
      setInstantError('Enter a date and a time, like 30/11/2026 10:00.');
      return;
    }
    setInstantError(undefined);
    setPositionError(undefined);
    setAsOf(iso);
  };
  const applyPosition = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!/^\d+$/.test(position.trim())) {
      setPositionError('Enter a log position: a whole number, like 120.');
      return;
    }
    setPositionError(undefined);
    setInstantError(undefined);
    setAsOf(position.trim());
  };

  const instantId = `${id}-instant`;
  const positionId = `${id}-position`;
  return (
    <div className="as-of-control no-print">
      <p className="as-of-control__now" aria-live="polite">
        {value === undefined
          ? 'Showing the log as it stands now.'
          : `Showing the log as of ${describeAsOf(value)}.`}
      </p>
      <div className="as-of-control__forms">
        <form onSubmit={applyInstant} aria-label="View the log as of a date and time">
          <div className="as-of-control__field">
            <label htmlFor={instantId}>Date and time (your time zone)</label>
            <input
              id={instantId}
              type="datetime-local"
              value={instant}
              onChange={(event) => setInstant(event.target.value)}
              aria-invalid={instantError ? true : undefined}
              aria-describedby={instantError ? `${instantId}-error` : undefined}
            />
            {instantError && (
              <p className="field-error" id={`${instantId}-error`} role="alert">
                {instantError}
              </p>
            )}
          </div>
          <button type="submit" className="button button--secondary">
            View at this time
          </button>
        </form>
        <form onSubmit={applyPosition} aria-label="View the log as of a log position">
          <div className="as-of-control__field">
            <label htmlFor={positionId}>Log position</label>
            <input
              id={positionId}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={position}
              onChange={(event) => setPosition(event.target.value)}
              aria-invalid={positionError ? true : undefined}
              aria-describedby={[`${positionId}-hint`, positionError && `${positionId}-error`]
                .filter(Boolean)
                .join(' ')}
            />
            <p className="as-of-control__hint" id={`${positionId}-hint`}>
              Every event has one; the audit log shows them.
            </p>
            {positionError && (
              <p className="field-error" id={`${positionId}-error`} role="alert">
                {positionError}
              </p>
            )}
          </div>
          <button type="submit" className="button button--secondary">
            View at this position
          </button>
        </form>
        {isPast && (
          <div className="as-of-control__actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setAsOf(undefined)}
            >
              Back to now
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
