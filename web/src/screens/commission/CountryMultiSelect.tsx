import { useId, useState } from 'react';
import { fieldErrorId, fieldId, type FieldErrors } from '../../api/problems';
import { FieldError } from '../../components/FieldError';

export interface Choice {
  readonly code: string;
  readonly name: string;
  /** Shown after the name, smaller: the UNHCR bureau of a country. */
  readonly detail?: string;
}

const SHOWN_AT_ONCE = 60;

/**
 * A searchable multi-select built from native checkboxes: type to narrow the list, tick to choose,
 * and the chosen ones stay listed above with a button each to take them out. Every control is a
 * real input, so keyboards and screen readers need nothing special.
 */
export function CountryMultiSelect({
  path,
  legend,
  hint,
  choices,
  selected,
  onChange,
  errors,
  disabled = false,
}: {
  /** The request path the server names in its errors (`priorityCountries`). */
  readonly path: string;
  readonly legend: string;
  readonly hint?: string;
  readonly choices: readonly Choice[];
  readonly selected: readonly string[];
  readonly onChange: (next: string[]) => void;
  readonly errors: FieldErrors;
  readonly disabled?: boolean;
}) {
  const [filter, setFilter] = useState('');
  const hintId = useId();
  const countId = useId();
  const needle = filter.trim().toLowerCase();
  const matching = choices.filter(
    (choice) =>
      needle === '' ||
      choice.code.toLowerCase() === needle ||
      choice.name.toLowerCase().includes(needle),
  );
  const shown = matching.slice(0, SHOWN_AT_ONCE);
  const nameOf = (code: string) => choices.find((choice) => choice.code === code)?.name ?? code;
  const toggle = (code: string, on: boolean) =>
    onChange(on ? [...selected, code] : selected.filter((chosen) => chosen !== code));
  const hasError = (errors[path]?.length ?? 0) > 0;
  const describedBy = [
    hint ? hintId : undefined,
    countId,
    hasError ? fieldErrorId(path) : undefined,
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <fieldset className="multi-select" disabled={disabled}>
      <legend>{legend}</legend>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <FieldError path={path} errors={errors} />
      {selected.length > 0 && (
        <ul className="multi-select__chosen" aria-label={`Chosen: ${legend}`}>
          {selected.map((code) => (
            <li key={code}>
              <span>
                {nameOf(code)} ({code})
              </span>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => toggle(code, false)}
              >
                Remove<span className="visually-hidden"> {nameOf(code)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="field">
        <span>Search by name or code</span>
        <input
          type="search"
          id={fieldId(path)}
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          aria-invalid={hasError || undefined}
          aria-describedby={describedBy}
          autoComplete="off"
        />
      </label>
      <p className="hint" id={countId} aria-live="polite">
        {matching.length === 0
          ? 'No country matches.'
          : matching.length > shown.length
            ? `${matching.length} match; the first ${shown.length} are listed. Type more to narrow.`
            : `${matching.length} listed.`}
      </p>
      <ul className="multi-select__options">
        {shown.map((choice) => (
          <li key={choice.code}>
            <label>
              <input
                type="checkbox"
                checked={selected.includes(choice.code)}
                onChange={(event) => toggle(choice.code, event.target.checked)}
              />{' '}
              {choice.name} ({choice.code})
              {choice.detail && <span className="multi-select__detail"> · {choice.detail}</span>}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
