import { useId, useState, type FormEvent } from 'react';
import { LazyDetails } from '../../components/LazyDetails';
import {
  EMPTY_FILTERS,
  PAGE_SIZES,
  validateFilters,
  type AuditFilterForm,
  type FilterErrors,
} from './auditFilters';
import {
  IMPLEMENTATION_EVENT_TYPES,
  PLAN_EVENT_TYPES,
  PLEDGE_EVENT_TYPES,
  eventTypeLabel,
} from './eventTypes';

export interface ParticipantOption {
  readonly code: string;
  readonly name: string;
}

type FieldName = keyof AuditFilterForm;

const PERIOD_FIELDS = ['fromDate', 'fromTime', 'toDate', 'toTime'] as const;

/**
 * The feed's filters as a form. Nothing is asked of the server until "Apply filters": the form
 * edits a draft, the page's URL holds what is applied (`onApply` gets the draft).
 */
export function FeedFilterForm({
  initial,
  planIds,
  participants,
  onApply,
}: {
  readonly initial: AuditFilterForm;
  readonly planIds: readonly string[];
  readonly participants: readonly ParticipantOption[];
  readonly onApply: (form: AuditFilterForm) => void;
}) {
  const id = useId();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FilterErrors>({});
  const fieldId = (name: FieldName) => `${id}-${name}`;
  const errorId = (name: FieldName) => `${id}-${name}-error`;
  const update = (name: FieldName) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [name]: event.target.value }));
  const invalid = (name: FieldName, hintId?: string) => {
    const describedBy = [hintId, errors[name] ? errorId(name) : undefined].filter(Boolean);
    return {
      id: fieldId(name),
      'aria-invalid': errors[name] ? true : undefined,
      'aria-describedby': describedBy.length > 0 ? describedBy.join(' ') : undefined,
    };
  };
  const message = (name: FieldName) =>
    errors[name] ? (
      <p className="field-error" id={errorId(name)}>
        <span className="visually-hidden">Error: </span>
        {errors[name]}
      </p>
    ) : null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateFilters(form);
    setErrors(found);
    const first = Object.keys(found)[0] as FieldName | undefined;
    if (first !== undefined) {
      document.getElementById(fieldId(first))?.focus();
      return;
    }
    onApply(form);
  };
  const clear = () => {
    setForm(EMPTY_FILTERS);
    setErrors({});
    onApply(EMPTY_FILTERS);
  };

  // Plan ids in the URL that the list does not hold (a plan created since) stay choosable.
  const planChoices =
    form.planId && !planIds.includes(form.planId) ? [form.planId, ...planIds] : planIds;
  const participantChoices =
    form.memberState && !participants.some((participant) => participant.code === form.memberState)
      ? [{ code: form.memberState, name: form.memberState }, ...participants]
      : participants;
  const timeHintId = `${id}-time-hint`;
  const errorCount = Object.keys(errors).length;

  return (
    <form
      className="feed-filters no-print"
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h2 id={`${id}-title`}>Filter the log</h2>
      {errorCount > 0 && (
        <p className="field-error" role="alert">
          {errorCount === 1
            ? 'One filter needs attention.'
            : `${errorCount} filters need attention.`}
        </p>
      )}
      <div className="feed-filters__grid">
        <div className="field">
          <label htmlFor={fieldId('planId')}>Plan</label>
          <select value={form.planId} onChange={update('planId')} {...invalid('planId')}>
            <option value="">Any plan</option>
            {planChoices.map((planId) => (
              <option key={planId} value={planId}>
                {planId}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={fieldId('memberState')}>Member State</label>
          <select
            value={form.memberState}
            onChange={update('memberState')}
            {...invalid('memberState')}
          >
            <option value="">Any Member State</option>
            {participantChoices.map((participant) => (
              <option key={participant.code} value={participant.code}>
                {participant.name} ({participant.code})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={fieldId('actor')}>Actor id</label>
          <input
            type="text"
            value={form.actor}
            onChange={update('actor')}
            autoComplete="off"
            spellCheck={false}
            {...invalid('actor', `${id}-actor-hint`)}
          />
          <p className="hint" id={`${id}-actor-hint`}>
            Exactly as recorded, e.g. dev:auditor
          </p>
        </div>
        <div className="field">
          <label htmlFor={fieldId('type')}>Event type</label>
          <select value={form.type} onChange={update('type')} {...invalid('type')}>
            <option value="">Any type</option>
            <optgroup label="Plan events">
              {PLAN_EVENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {eventTypeLabel(type)} ({type})
                </option>
              ))}
            </optgroup>
            <optgroup label="Pledge events">
              {PLEDGE_EVENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {eventTypeLabel(type)} ({type})
                </option>
              ))}
            </optgroup>
            <optgroup label="Implementation report events">
              {IMPLEMENTATION_EVENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {eventTypeLabel(type)} ({type})
                </option>
              ))}
            </optgroup>
          </select>
        </div>
      </div>
      {/* The period's day and time fields are built when it first opens: the first date field
          a page makes costs it tens of milliseconds. Open whenever a period is set or wrong. */}
      <LazyDetails
        className="feed-filters__period-panel"
        summary="Period recorded (UTC)"
        open={PERIOD_FIELDS.some((name) => form[name] !== '' || errors[name] !== undefined)}
      >
        <fieldset className="feed-filters__period">
          <legend>Recorded between (UTC)</legend>
          <p className="hint" id={timeHintId}>
            A day alone covers the whole day. Add a time to narrow it to the minute.
          </p>
          <div className="feed-filters__grid">
            <div className="field">
              <label htmlFor={fieldId('fromDate')}>From day</label>
              <input
                type="date"
                value={form.fromDate}
                onChange={update('fromDate')}
                {...invalid('fromDate', timeHintId)}
              />
              {message('fromDate')}
            </div>
            <div className="field">
              <label htmlFor={fieldId('fromTime')}>From time (optional)</label>
              <input
                type="time"
                value={form.fromTime}
                onChange={update('fromTime')}
                {...invalid('fromTime', timeHintId)}
              />
            </div>
            <div className="field">
              <label htmlFor={fieldId('toDate')}>To day</label>
              <input
                type="date"
                value={form.toDate}
                onChange={update('toDate')}
                {...invalid('toDate', timeHintId)}
              />
              {message('toDate')}
            </div>
            <div className="field">
              <label htmlFor={fieldId('toTime')}>To time (optional)</label>
              <input
                type="time"
                value={form.toTime}
                onChange={update('toTime')}
                {...invalid('toTime', timeHintId)}
              />
            </div>
          </div>
        </fieldset>
      </LazyDetails>
      <div className="feed-filters__actions">
        <div className="field field--inline">
          <label htmlFor={fieldId('limit')}>Events per page</label>
          <select value={form.limit} onChange={update('limit')} {...invalid('limit')}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Apply filters
        </button>
        <button type="button" className="button button--secondary" onClick={clear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
