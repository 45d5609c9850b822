import { fieldProps, type FieldErrors } from '../../../api/problems';
import { FieldError } from '../../../components/FieldError';
import {
  PROCEDURE_COUNT_HINTS,
  PROCEDURE_COUNT_LABELS,
  type ProcedureCountField,
} from '../../../lib/labels';
import { PROCEDURE_PATH, type ProcedureDraft } from './reportModel';

/** Counts of what happened in the month. */
const FLOWS: readonly ProcedureCountField[] = [
  'registered',
  'positiveConclusions',
  'negativeConclusions',
  'discontinued',
  'emergencyConcludedBeyond1Month',
  'enteredBeyond12Months',
];

/** Cases standing open at the month's end: the Art. 9(9) deadlines. */
const STOCKS: readonly ProcedureCountField[] = ['openBeyond7Months', 'openBeyond10Months'];

function CountField({
  field,
  value,
  errors,
  disabled,
  onChange,
}: {
  readonly field: ProcedureCountField;
  readonly value: string;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (value: string) => void;
}) {
  const path = `${PROCEDURE_PATH}.${field}`;
  const props = fieldProps(path, errors);
  const hintId = `${props.id}-hint`;
  return (
    <div className="procedure-field">
      <label htmlFor={props.id}>{PROCEDURE_COUNT_LABELS[field]}</label>
      <p className="procedure-field__hint" id={hintId}>
        {PROCEDURE_COUNT_HINTS[field]}
      </p>
      <input
        {...props}
        aria-describedby={[hintId, props['aria-describedby']].filter(Boolean).join(' ')}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className="procedure-field__input"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldError path={path} errors={errors} />
    </div>
  );
}

/**
 * The single admission procedure's counts for the month (Art. 9): what happened in the month, and
 * the cases still open at its end past the 7-month deadline and past its 3-month extension. Every
 * count is optional: a ministry reports what its systems count.
 */
export function ProcedureFields({
  procedure,
  onChange,
  errors,
  disabled,
}: {
  readonly procedure: ProcedureDraft;
  readonly onChange: (procedure: ProcedureDraft) => void;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
}) {
  const field = (name: ProcedureCountField) => (
    <CountField
      key={name}
      field={name}
      value={procedure[name]}
      errors={errors}
      disabled={disabled}
      onChange={(value) => onChange({ ...procedure, [name]: value })}
    />
  );
  return (
    <div className="procedure-fields">
      <fieldset className="procedure-fields__group">
        <legend>In the month</legend>
        {FLOWS.map(field)}
      </fieldset>
      <fieldset className="procedure-fields__group">
        <legend>Still open at the end of the month</legend>
        {STOCKS.map(field)}
      </fieldset>
    </div>
  );
}
