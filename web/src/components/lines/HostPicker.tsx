import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { compareNames, searchable } from '../../lib/text';
import type { HostCountry, LineReference } from './lineModel';

interface RegionGroup {
  readonly id: string;
  readonly name: string;
  readonly countries: readonly HostCountry[];
}

/** The countries matching `query` (name or code), grouped by UNHCR region in the reference order. */
function matchingGroups(
  reference: Pick<LineReference, 'hostCountries' | 'unhcrRegions'>,
  query: string,
): RegionGroup[] {
  const wanted = searchable(query.trim());
  const matches = reference.hostCountries.filter(
    (country) =>
      wanted === '' ||
      searchable(country.name).includes(wanted) ||
      country.code.toLowerCase() === wanted,
  );
  return reference.unhcrRegions
    .map((region) => ({
      id: region.id,
      name: region.name,
      countries: matches
        .filter((country) => country.unhcrRegion === region.id)
        .sort((a, b) => compareNames(a.name, b.name)),
    }))
    .filter((group) => group.countries.length > 0);
}

/**
 * A searchable host-country picker: an ARIA combobox whose list is grouped by UNHCR region. Type
 * to filter (name or ISO code), arrow keys to move, Enter to choose, Escape to close. With
 * `multiple`, Enter adds or removes a country and the list stays open; without, it replaces the
 * choice. The chosen countries are listed under it, each with a button to remove it.
 */
export function HostPicker({
  inputId,
  label,
  multiple,
  selected,
  onChange,
  reference,
  disabled = false,
  invalid = false,
  describedBy,
}: {
  /** The input's id: the error summary links to it. */
  readonly inputId: string;
  /** The accessible name, e.g. "Line 2: host country". */
  readonly label: string;
  readonly multiple: boolean;
  readonly selected: readonly string[];
  readonly onChange: (countries: string[]) => void;
  readonly reference: Pick<LineReference, 'hostCountries' | 'unhcrRegions'>;
  readonly disabled?: boolean;
  readonly invalid?: boolean;
  readonly describedBy?: string;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [activeCode, setActiveCode] = useState<string | undefined>();
  const groups = useMemo(() => matchingGroups(reference, query), [reference, query]);
  const flat = useMemo(() => groups.flatMap((group) => group.countries), [groups]);
  const active = flat.find((country) => country.code === activeCode);
  const optionId = (code: string) => `${id}-option-${code}`;
  const nameOf = (code: string) =>
    reference.hostCountries.find((country) => country.code === code)?.name ?? code;

  const choose = (code: string) => {
    if (multiple) {
      onChange(
        selected.includes(code)
          ? selected.filter((chosen) => chosen !== code)
          : [...selected, code],
      );
      return;
    }
    onChange([code]);
    setOpen(false);
    setQuery('');
    setActiveCode(undefined);
  };

  const move = (step: 1 | -1) => {
    if (flat.length === 0) return;
    const at = active === undefined ? -1 : flat.indexOf(active);
    const next =
      at < 0 ? (step === 1 ? 0 : flat.length - 1) : (at + step + flat.length) % flat.length;
    const country = flat[next];
    if (country === undefined) return;
    setActiveCode(country.code);
    document.getElementById(optionId(country.code))?.scrollIntoView?.({ block: 'nearest' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        move(1);
        return;
      case 'ArrowUp':
        event.preventDefault();
        if (!open) setOpen(true);
        move(-1);
        return;
      case 'Enter':
        // Enter picks from the list; it never submits the form from here.
        event.preventDefault();
        if (open && active !== undefined) choose(active.code);
        else setOpen(true);
        return;
      case 'Escape':
        if (open) {
          event.preventDefault();
          event.stopPropagation();
          setOpen(false);
        } else if (query !== '') {
          event.preventDefault();
          setQuery('');
        }
        return;
      default:
        return;
    }
  };

  const describedByIds = [hintId, describedBy].filter(Boolean).join(' ');
  const showList = open && !disabled;

  return (
    <div className="host-picker">
      <label htmlFor={inputId} className="visually-hidden">
        {label}
      </label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        className="host-picker__input"
        autoComplete="off"
        placeholder={multiple ? 'Type to add countries' : 'Type to find a country'}
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active !== undefined ? optionId(active.code) : undefined}
        aria-describedby={describedByIds}
        aria-invalid={invalid || undefined}
        value={query}
        disabled={disabled}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
          setActiveCode(undefined);
        }}
        onKeyDown={onKeyDown}
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
      />
      <span id={hintId} className="visually-hidden">
        Type to filter, arrow keys to move through the countries grouped by UNHCR region, Enter to
        {multiple ? ' add or remove the country' : ' choose it'}.
      </span>
      <div
        id={listId}
        role="listbox"
        aria-label={`${label}: countries`}
        aria-multiselectable={multiple || undefined}
        className="host-picker__list"
        hidden={!showList}
      >
        {showList && groups.length === 0 && (
          <div role="presentation" className="host-picker__empty">
            No host country matches “{query}”.
          </div>
        )}
        {showList &&
          groups.map((group) => (
            <div key={group.id} role="group" aria-labelledby={`${id}-group-${group.id}`}>
              <div
                role="presentation"
                id={`${id}-group-${group.id}`}
                className="host-picker__group"
              >
                {group.name}
              </div>
              {group.countries.map((country) => {
                const isSelected = selected.includes(country.code);
                return (
                  <div
                    key={country.code}
                    id={optionId(country.code)}
                    role="option"
                    aria-selected={isSelected}
                    className={
                      country.code === activeCode
                        ? 'host-picker__option host-picker__option--active'
                        : 'host-picker__option'
                    }
                    // Keep the focus in the input: the list is driven from there.
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => choose(country.code)}
                  >
                    <span aria-hidden="true" className="host-picker__check">
                      {isSelected ? '✓' : ''}
                    </span>
                    {country.name} <span className="host-picker__code">({country.code})</span>
                  </div>
                );
              })}
            </div>
          ))}
      </div>
      <div aria-live="polite" className="visually-hidden">
        {showList && query.trim() !== ''
          ? `${flat.length} ${flat.length === 1 ? 'country matches' : 'countries match'}`
          : ''}
      </div>
      {selected.length > 0 ? (
        <ul className="host-picker__chosen" aria-label={`${label}: chosen`}>
          {selected.map((code) => (
            <li key={code}>
              <span>
                {nameOf(code)} <span className="host-picker__code">({code})</span>
              </span>
              {!disabled && (
                <button
                  type="button"
                  className="host-picker__remove"
                  onClick={() => onChange(selected.filter((chosen) => chosen !== code))}
                >
                  <span aria-hidden="true">×</span>
                  <span className="visually-hidden">
                    Remove {nameOf(code)} from {label}
                  </span>
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="host-picker__none">None chosen yet.</p>
      )}
    </div>
  );
}
