import { useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { fieldErrorId, fieldId, fieldProps, type FieldErrors } from '../../api/problems';
import { FieldError } from '../FieldError';
import { LazyDetails } from '../LazyDetails';
import { HostPicker } from './HostPicker';
import { LINE_FIELD_LABELS, type LineField } from './lineErrors';
import {
  ADMISSION_TYPE_LABELS,
  ADMISSION_TYPES,
  EMERGENCY_BASIS_LABELS,
  emptyLine,
  HOST_MODE_LABELS,
  type AdmissionType,
  type EmergencyBasis,
  type HostMode,
  type LineDraft,
  type LineReference,
} from './lineModel';
import './lines.css';

/** What a column of extra inputs gets for one line. */
export interface LineEditorCellProps<Draft extends LineDraft> {
  readonly line: Draft;
  /** The line's number for people, from 1. */
  readonly number: number;
  /** The line's request path (`admissions.2`); its inputs' paths start with it. */
  readonly rowPath: string;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onUpdate: (patch: Partial<Omit<Draft, 'key'>>) => void;
}

/** More inputs per line, in a column of their own after the figure's. */
export interface LineEditorExtraColumn<Draft extends LineDraft> {
  readonly header: string;
  readonly Cell: ComponentType<LineEditorCellProps<Draft>>;
}

export interface LineEditorProps<Draft extends LineDraft = LineDraft> {
  readonly lines: readonly Draft[];
  readonly onChange: (lines: Draft[]) => void;
  /** Messages by editor path (`lines.0.persons`, `lines.0.host`, `lines.0` for the whole line). */
  readonly errors: FieldErrors;
  /** The request path the lines sit at; their fields' ids and messages follow it. */
  readonly pathPrefix?: string;
  readonly reference: LineReference;
  readonly disabled?: boolean;
  readonly caption?: string;
  /** A new row (default: an empty pledge line); needed when the lines carry more than a pledge's. */
  readonly newLine?: () => Draft;
  /** What a line's figure counts, read out with its line ("Line 2: persons admitted"). */
  readonly personsLabel?: string;
  /** Pledge lines name a year of the period; a monthly report's lines take the month's. */
  readonly showYear?: boolean;
  readonly noteMaxLength?: number;
  readonly extraColumn?: LineEditorExtraColumn<Draft>;
  /** Shown in place of the rows when there are none. */
  readonly emptyMessage?: string;
  /**
   * Whose lines these are, when a page has several editors: "DE" makes every input read out as
   * "DE, line 2: persons" and the add button "Add a line to DE".
   */
  readonly owner?: string;
}

const ADMISSION_TYPE_VALUES: ReadonlySet<string> = new Set(ADMISSION_TYPES);

function isAdmissionType(value: string): value is AdmissionType {
  return ADMISSION_TYPE_VALUES.has(value);
}

function isEmergencyBasis(value: string): value is EmergencyBasis {
  return value === 'resettlement' || value === 'humanitarian_admission';
}

/** The host modes a line may use: a plan region only when the plan has some, none only for emergencies. */
function hostModesFor(line: LineDraft, reference: LineReference): HostMode[] {
  return [
    'country',
    'countries',
    ...(reference.planRegions.length > 0 || line.hostMode === 'plan_region'
      ? (['plan_region'] as const)
      : []),
    ...(line.admissionType === 'emergency_admission' ? (['none'] as const) : []),
  ];
}

/**
 * The lines of a pledge (or a contribution, or a month's admissions) as an editable table, one row
 * per line: admission type (with the basis of an emergency place), host (one country, several, or
 * a plan region, chosen from a searchable list grouped by UNHCR region), persons, any extra column
 * of inputs, year, target groups and a note. Every input is labelled with its line ("Line 2:
 * persons") and shows the server's messages for its path.
 */
export function LineEditor<Draft extends LineDraft = LineDraft>({
  lines,
  onChange,
  errors,
  pathPrefix = 'lines',
  reference,
  disabled = false,
  caption = 'Pledge lines',
  newLine,
  personsLabel = LINE_FIELD_LABELS.persons,
  showYear = true,
  noteMaxLength = 1000,
  extraColumn,
  emptyMessage = 'No lines yet. Add a line to start.',
  owner,
}: LineEditorProps<Draft>) {
  // After adding or removing a line, the focus goes somewhere sensible, not to the page's top.
  const [focusTarget, setFocusTarget] = useState<string | undefined>();
  useEffect(() => {
    if (focusTarget === undefined) return;
    document.getElementById(focusTarget)?.focus();
    setFocusTarget(undefined);
  }, [focusTarget]);

  const update = (
    index: number,
    patch: Partial<Omit<LineDraft, 'key'>> | Partial<Omit<Draft, 'key'>>,
  ) => {
    onChange(lines.map((line, at) => (at === index ? { ...line, ...patch } : line)));
  };
  const addLine = () => {
    // Without `newLine` the drafts are plain pledge lines (the default type argument).
    onChange([...lines, newLine === undefined ? (emptyLine() as Draft) : newLine()]);
    setFocusTarget(fieldId(`${pathPrefix}.${lines.length}.admissionType`));
  };
  const columnCount = 5 + (showYear ? 1 : 0) + (extraColumn === undefined ? 0 : 1);
  const removeLine = (index: number) => {
    onChange(lines.filter((_, at) => at !== index));
    setFocusTarget(
      lines.length > 1
        ? removeButtonId(pathPrefix, Math.min(index, lines.length - 2))
        : addButtonId(pathPrefix),
    );
  };

  return (
    <div className="line-editor">
      {/* The target of messages about the lines as a whole ("a pledge needs at least one line"). */}
      <div id={fieldId(pathPrefix)} tabIndex={-1}>
        <FieldError path={pathPrefix} errors={errors} />
      </div>
      <div className="line-editor__scroll">
        <table className="line-editor__table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Admission type</th>
              <th scope="col">Host</th>
              <th scope="col" className="numeric">
                {capitalised(personsLabel)}
              </th>
              {extraColumn !== undefined && <th scope="col">{extraColumn.header}</th>}
              {showYear && <th scope="col">Year</th>}
              <th scope="col">Target groups and note</th>
            </tr>
          </thead>
          <tbody>
            {lines.length === 0 && (
              <tr>
                <td colSpan={columnCount} className="line-editor__empty">
                  {emptyMessage}
                </td>
              </tr>
            )}
            {lines.map((line, index) => (
              <LineRow
                key={line.key}
                line={line}
                index={index}
                pathPrefix={pathPrefix}
                errors={errors}
                reference={reference}
                disabled={disabled}
                onUpdate={(patch) => update(index, patch)}
                onRemove={() => removeLine(index)}
                personsLabel={personsLabel}
                lineName={owner === undefined ? `Line ${index + 1}` : `${owner}, line ${index + 1}`}
                showYear={showYear}
                noteMaxLength={noteMaxLength}
                extra={
                  extraColumn === undefined ? undefined : (
                    <td className="line-editor__extra">
                      <extraColumn.Cell
                        line={line}
                        number={index + 1}
                        rowPath={`${pathPrefix}.${index}`}
                        errors={errors}
                        disabled={disabled}
                        onUpdate={(patch) => update(index, patch)}
                      />
                    </td>
                  )
                }
              />
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <button
          type="button"
          id={addButtonId(pathPrefix)}
          className="button button--secondary"
          onClick={addLine}
          disabled={disabled}
        >
          {owner === undefined ? 'Add a line' : `Add a line to ${owner}`}
        </button>
      </p>
    </div>
  );
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function addButtonId(pathPrefix: string): string {
  return `${fieldId(pathPrefix)}-add`;
}

function removeButtonId(pathPrefix: string, index: number): string {
  return `${fieldId(`${pathPrefix}.${index}`)}-remove`;
}

/** "Line 2: " read out before a field's visible name, so each input says which line it is in. */
function LinePrefix({ name }: { readonly name: string }) {
  return <span className="visually-hidden">{name}: </span>;
}

function LineRow({
  line,
  index,
  pathPrefix,
  errors,
  reference,
  disabled,
  onUpdate,
  onRemove,
  personsLabel,
  lineName,
  showYear,
  noteMaxLength,
  extra,
}: {
  readonly line: LineDraft;
  readonly index: number;
  readonly pathPrefix: string;
  readonly errors: FieldErrors;
  readonly reference: LineReference;
  readonly disabled: boolean;
  readonly onUpdate: (patch: Partial<Omit<LineDraft, 'key'>>) => void;
  readonly onRemove: () => void;
  readonly personsLabel: string;
  /** The line as its inputs' names start: "Line 2", or "DE, line 2". */
  readonly lineName: string;
  readonly showYear: boolean;
  readonly noteMaxLength: number;
  /** The extra column's cell, when the editor has one. */
  readonly extra: ReactNode;
}) {
  const number = index + 1;
  const rowPath = `${pathPrefix}.${index}`;
  const path = (field: LineField) => `${rowPath}.${field}`;
  const props = (field: LineField) => fieldProps(path(field), errors);
  const hasError = (field: LineField) => (errors[path(field)]?.length ?? 0) > 0;
  const rowHasError = (errors[rowPath]?.length ?? 0) > 0;
  const isEmergency = line.admissionType === 'emergency_admission';
  const hostModes = hostModesFor(line, reference);
  const hostProps = props('host');

  const changeAdmissionType = (value: string) => {
    if (!isAdmissionType(value)) return;
    onUpdate({
      admissionType: value,
      // Only an emergency place may have no host; another type asks for one again.
      ...(value !== 'emergency_admission' && line.hostMode === 'none' && { hostMode: 'country' }),
    });
  };

  return (
    <tr className={rowHasError ? 'line-editor__row line-editor__row--invalid' : 'line-editor__row'}>
      <th scope="row" className="line-editor__line">
        <span id={fieldId(rowPath)} tabIndex={-1}>
          Line {number}
        </span>
        <FieldError path={rowPath} errors={errors} />
        <button
          type="button"
          id={removeButtonId(pathPrefix, index)}
          className="button button--secondary line-editor__remove"
          onClick={onRemove}
          disabled={disabled}
        >
          Remove<span className="visually-hidden"> {lowerFirst(lineName)}</span>
        </button>
      </th>
      <td>
        <label htmlFor={props('admissionType').id} className="visually-hidden">
          {lineName}: {LINE_FIELD_LABELS.admissionType}
        </label>
        <select
          {...props('admissionType')}
          aria-describedby={
            [props('admissionType')['aria-describedby'], rowHasError ? fieldErrorId(rowPath) : '']
              .filter(Boolean)
              .join(' ') || undefined
          }
          value={line.admissionType}
          disabled={disabled}
          onChange={(event) => changeAdmissionType(event.target.value)}
        >
          {ADMISSION_TYPES.map((type) => (
            <option key={type} value={type}>
              {ADMISSION_TYPE_LABELS[type]}
            </option>
          ))}
        </select>
        <FieldError path={path('admissionType')} errors={errors} />
        {isEmergency && (
          <div className="line-editor__basis">
            <label htmlFor={props('emergencyBasis').id}>
              <LinePrefix name={lineName} />
              Emergency basis
            </label>
            <select
              {...props('emergencyBasis')}
              value={line.emergencyBasis}
              disabled={disabled}
              onChange={(event) => {
                const value = event.target.value;
                onUpdate({ emergencyBasis: isEmergencyBasis(value) ? value : '' });
              }}
            >
              <option value="">Choose the basis</option>
              {Object.entries(EMERGENCY_BASIS_LABELS).map(([basis, label]) => (
                <option key={basis} value={basis}>
                  {label}
                </option>
              ))}
            </select>
            <FieldError path={path('emergencyBasis')} errors={errors} />
          </div>
        )}
      </td>
      <td className="line-editor__host">
        <fieldset className="line-editor__host-modes">
          <legend className="visually-hidden">{lineName}: kind of host</legend>
          {hostModes.map((mode) => (
            <label key={mode} className="line-editor__choice">
              <input
                type="radio"
                name={`${line.key}-host-mode`}
                value={mode}
                checked={line.hostMode === mode}
                disabled={disabled}
                onChange={() => onUpdate({ hostMode: mode })}
              />
              <span>{HOST_MODE_LABELS[mode]}</span>
            </label>
          ))}
        </fieldset>
        {(line.hostMode === 'country' || line.hostMode === 'countries') && (
          <HostPicker
            inputId={hostProps.id}
            label={`${lineName}: ${line.hostMode === 'country' ? 'host country' : 'host countries'}`}
            multiple={line.hostMode === 'countries'}
            selected={
              line.hostMode === 'country' ? line.hostCountries.slice(0, 1) : line.hostCountries
            }
            onChange={(countries) => onUpdate({ hostCountries: countries })}
            reference={reference}
            disabled={disabled}
            invalid={hasError('host')}
            describedBy={hostProps['aria-describedby']}
          />
        )}
        {line.hostMode === 'plan_region' && (
          <>
            <label htmlFor={hostProps.id} className="visually-hidden">
              {lineName}: plan region
            </label>
            <select
              {...hostProps}
              value={line.planRegion}
              disabled={disabled}
              onChange={(event) => onUpdate({ planRegion: event.target.value })}
            >
              <option value="">Choose a plan region</option>
              {reference.planRegions.map((region) => (
                <option key={region.id} value={region.id}>
                  {region.name}
                </option>
              ))}
            </select>
          </>
        )}
        {line.hostMode === 'none' && (
          <p className="line-editor__hint" id={hostProps.id} tabIndex={-1}>
            Emergency places need no host (Art. 8(5)).
          </p>
        )}
        <FieldError path={path('host')} errors={errors} />
      </td>
      <td className="numeric">
        <label htmlFor={props('persons').id} className="visually-hidden">
          {lineName}: {personsLabel}
        </label>
        <input
          {...props('persons')}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          className="line-editor__persons"
          value={line.persons}
          disabled={disabled}
          onChange={(event) => onUpdate({ persons: event.target.value })}
        />
        <FieldError path={path('persons')} errors={errors} />
      </td>
      {extra}
      {showYear && (
        <td>
          <label htmlFor={props('year').id} className="visually-hidden">
            {lineName}: {LINE_FIELD_LABELS.year}
          </label>
          <select
            {...props('year')}
            value={line.year}
            disabled={disabled}
            onChange={(event) => onUpdate({ year: event.target.value })}
          >
            <option value="">Any year</option>
            {reference.years.map((year) => (
              <option key={year} value={String(year)}>
                {year}
              </option>
            ))}
            {line.year !== '' && !reference.years.includes(Number(line.year)) && (
              <option value={line.year}>{line.year} (outside the plan period)</option>
            )}
          </select>
          <FieldError path={path('year')} errors={errors} />
        </td>
      )}
      <td className="line-editor__more">
        <LazyDetails
          className="line-editor__groups"
          open={hasError('targetGroups')}
          summary={
            <>
              <LinePrefix name={lineName} />
              Target groups:{' '}
              {line.targetGroups.length === 0 ? 'none' : `${line.targetGroups.length} chosen`}
            </>
          }
        >
          <fieldset {...props('targetGroups')} tabIndex={-1}>
            <legend className="visually-hidden">{lineName}: target groups</legend>
            {reference.targetGroups.map((group) => (
              <label key={group.id} className="line-editor__choice">
                <input
                  type="checkbox"
                  checked={line.targetGroups.includes(group.id)}
                  disabled={disabled}
                  onChange={(event) =>
                    onUpdate({
                      targetGroups: event.target.checked
                        ? [...line.targetGroups, group.id]
                        : line.targetGroups.filter((chosen) => chosen !== group.id),
                    })
                  }
                />
                <span>
                  {group.name}
                  {group.humanitarianAdmissionOnly && (
                    <span className="line-editor__hint"> (humanitarian admission only)</span>
                  )}
                </span>
              </label>
            ))}
          </fieldset>
        </LazyDetails>
        <FieldError path={path('targetGroups')} errors={errors} />
        <label htmlFor={props('note').id} className="line-editor__note-label">
          <LinePrefix name={lineName} />
          Note
        </label>
        <input
          {...props('note')}
          type="text"
          maxLength={noteMaxLength}
          value={line.note}
          disabled={disabled}
          onChange={(event) => onUpdate({ note: event.target.value })}
        />
        <FieldError path={path('note')} errors={errors} />
      </td>
    </tr>
  );
}
