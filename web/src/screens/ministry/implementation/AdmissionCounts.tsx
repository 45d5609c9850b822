import { fieldErrorId, fieldProps, type FieldErrors } from '../../../api/problems';
import { FieldError } from '../../../components/FieldError';
import type { LineEditorCellProps } from '../../../components/lines';
import {
  AGE_BAND_FIELDS,
  AGE_BAND_LABELS,
  GROUP_FIELDS,
  GROUP_LABELS,
  SEX_FIELDS,
  SEX_LABELS,
  breakdownPath,
  type AdmissionDraft,
} from './reportModel';

/** "Line 2: " read out before a field's visible name, as the line editor does. */
function LinePrefix({ number }: { readonly number: number }) {
  return <span className="visually-hidden">Line {number}: </span>;
}

function hasMessages(errors: FieldErrors, path: string): boolean {
  return (errors[path]?.length ?? 0) > 0;
}

/** A figure's input: invalid and described by its own message, or by its group's. */
function CountInput({
  path,
  groupPath,
  label,
  number,
  value,
  errors,
  disabled,
  onChange,
}: {
  readonly path: string;
  readonly groupPath?: string;
  readonly label: string;
  readonly number: number;
  readonly value: string;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (value: string) => void;
}) {
  const own = fieldProps(path, errors);
  const groupInvalid = groupPath !== undefined && hasMessages(errors, groupPath);
  const describedBy = [own['aria-describedby'], groupInvalid ? fieldErrorId(groupPath) : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="report-count">
      <label htmlFor={own.id}>
        <LinePrefix number={number} />
        {label}
      </label>
      <input
        id={own.id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className="report-count__input"
        aria-invalid={own['aria-invalid'] ?? (groupInvalid || undefined)}
        aria-describedby={describedBy || undefined}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldError path={path} errors={errors} />
    </div>
  );
}

/**
 * The counts a report line adds to a pledge line, in the line editor's extra column: of the persons
 * admitted, how many belong to the Art. 19(3) groups and how many are their family members
 * (Art. 19(5)), both setting the AMIF lump sum; and, optionally, the AMIF indicators' breakdown by
 * sex and by age band, each adding up to the line's persons.
 */
export function AdmissionCounts({
  line,
  number,
  rowPath,
  errors,
  disabled,
  onUpdate,
}: LineEditorCellProps<AdmissionDraft>) {
  const sexPath = breakdownPath(rowPath, 'bySex');
  const agePath = breakdownPath(rowPath, 'byAgeBand');
  const breakdownTyped = [
    ...SEX_FIELDS.map((field) => line.bySex[field]),
    ...AGE_BAND_FIELDS.map((field) => line.byAgeBand[field]),
  ].some((value) => value.trim() !== '');
  const breakdownInvalid = Object.keys(errors).some(
    (path) => path.startsWith(sexPath) || path.startsWith(agePath),
  );
  return (
    <div className="report-counts">
      {GROUP_FIELDS.map((field) => (
        <CountInput
          key={field}
          path={`${rowPath}.${field}`}
          label={capitalised(GROUP_LABELS[field])}
          number={number}
          value={line[field]}
          errors={errors}
          disabled={disabled}
          onChange={(value) => onUpdate({ [field]: value })}
        />
      ))}
      <details
        className="report-counts__breakdown"
        open={breakdownInvalid || breakdownTyped || undefined}
      >
        <summary>
          <LinePrefix number={number} />
          Breakdown by sex and age (optional)
        </summary>
        <fieldset {...fieldProps(sexPath, errors)} tabIndex={-1} className="report-counts__group">
          <legend>
            <LinePrefix number={number} />
            By sex
          </legend>
          {SEX_FIELDS.map((field) => (
            <CountInput
              key={field}
              path={`${sexPath}.${field}`}
              groupPath={sexPath}
              label={SEX_LABELS[field]}
              number={number}
              value={line.bySex[field]}
              errors={errors}
              disabled={disabled}
              onChange={(value) => onUpdate({ bySex: { ...line.bySex, [field]: value } })}
            />
          ))}
        </fieldset>
        <FieldError path={sexPath} errors={errors} />
        <fieldset {...fieldProps(agePath, errors)} tabIndex={-1} className="report-counts__group">
          <legend>
            <LinePrefix number={number} />
            By age
          </legend>
          {AGE_BAND_FIELDS.map((field) => (
            <CountInput
              key={field}
              path={`${agePath}.${field}`}
              groupPath={agePath}
              label={AGE_BAND_LABELS[field]}
              number={number}
              value={line.byAgeBand[field]}
              errors={errors}
              disabled={disabled}
              onChange={(value) => onUpdate({ byAgeBand: { ...line.byAgeBand, [field]: value } })}
            />
          ))}
        </fieldset>
        <FieldError path={agePath} errors={errors} />
      </details>
    </div>
  );
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
