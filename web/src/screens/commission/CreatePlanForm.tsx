import { useState, type FormEvent } from 'react';
import { api, type Schema } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { fieldErrors, fieldProps, type FieldErrors } from '../../api/problems';
import { useAsOf } from '../../asOf';
import { AsOfLink } from '../../asOf/AsOfLink';
import { FieldError } from '../../components/FieldError';
import { ProblemAlert } from '../../components/ProblemAlert';
import { CountryMultiSelect, type Choice } from './CountryMultiSelect';
import { atFormFields } from './fieldPaths';
import { PLANS_KEY, useHostCountries, useUnhcrRegions } from './planApi';

type CreatePlanRequest = Schema<'CreatePlanRequest'>;

interface RegionDraft {
  readonly key: number;
  readonly id: string;
  readonly name: string;
  readonly countries: string;
}

/** The law's floor (Art. 8(3)(a)): "not less than approximately 60 %". */
const DEFAULT_FLOOR = '60';

const FIELD_LABELS: Readonly<Record<string, string>> = {
  planId: 'Plan id',
  periodStart: 'Period start',
  periodEnd: 'Period end',
  resettlementFloorPercent: 'Resettlement floor',
  priorityCountries: 'Priority host countries',
  priorityRegions: 'Priority UNHCR regions',
};

function regionFields(index: number): string[] {
  return [`regions.${index}.id`, `regions.${index}.name`, `regions.${index}.countries`];
}

function regionLabels(count: number): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) {
    labels[`regions.${index}.id`] = `Plan region ${index + 1}, id`;
    labels[`regions.${index}.name`] = `Plan region ${index + 1}, name`;
    labels[`regions.${index}.countries`] = `Plan region ${index + 1}, countries`;
    labels[`regions.${index}`] = `Plan region ${index + 1}`;
  }
  return labels;
}

/** `TR, lb  jo` → `['TR', 'LB', 'JO']`. */
function countryCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
}

/** "Create a plan": every field the server checks, every refusal beside its field. */
export function CreatePlanForm() {
  const { isPast } = useAsOf();
  const hostCountries = useHostCountries();
  const unhcrRegions = useUnhcrRegions();
  const [planId, setPlanId] = useState('');
  const [periodStart, setPeriodStart] = useState('');
  const [periodEnd, setPeriodEnd] = useState('');
  const [floor, setFloor] = useState(DEFAULT_FLOOR);
  const [priorityCountries, setPriorityCountries] = useState<string[]>([]);
  const [priorityRegions, setPriorityRegions] = useState<string[]>([]);
  const [regions, setRegions] = useState<RegionDraft[]>([]);
  const [nextKey, setNextKey] = useState(1);

  const create = useApiMutation((body: CreatePlanRequest) => api.POST('/api/v1/plans', { body }), {
    invalidates: [PLANS_KEY],
  });

  const fields = [
    ...Object.keys(FIELD_LABELS),
    ...regions.flatMap((_, index) => [...regionFields(index), `regions.${index}`]),
  ];
  const problem = create.error ? atFormFields(create.error.problem, fields) : undefined;
  const errors: FieldErrors = fieldErrors(problem);
  const labels = { ...FIELD_LABELS, ...regionLabels(regions.length) };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const floorNumber = Number(floor);
    create.mutate({
      planId: planId.trim(),
      periodStart,
      periodEnd,
      ...(floor.trim() !== '' && { resettlementFloorPercent: floorNumber }),
      priorityCountries,
      priorityRegions,
      regions: regions.map((region) => ({
        id: region.id.trim(),
        name: region.name.trim(),
        countries: countryCodes(region.countries),
      })),
    });
  };

  const updateRegion = (key: number, change: Partial<Omit<RegionDraft, 'key'>>) =>
    setRegions((current) =>
      current.map((region) => (region.key === key ? { ...region, ...change } : region)),
    );

  const countryChoices: Choice[] = (hostCountries.data?.hostCountries ?? []).map((country) => ({
    code: country.code,
    name: country.name,
    detail: unhcrRegions.data?.regions.find((region) => region.id === country.unhcrRegion)?.name,
  }));

  return (
    <form className="form create-plan" onSubmit={submit} noValidate aria-labelledby="create-plan">
      <h2 id="create-plan">Create a plan</h2>
      <ProblemAlert problem={problem} labels={labels} title="The plan was not created" />
      {create.data && !create.error && (
        <div className="write-answer" role="status">
          <p>
            <strong>Plan {create.data.planId} created</strong> as a draft: version{' '}
            {create.data.version}, log position {create.data.position}.{' '}
            <AsOfLink to={`/commission/plans/${encodeURIComponent(create.data.planId)}`}>
              Open plan {create.data.planId}
            </AsOfLink>
          </p>
        </div>
      )}
      <fieldset disabled={isPast || create.isPending}>
        <legend className="visually-hidden">The plan</legend>
        <div className="form-grid">
          <TextField
            path="planId"
            label="Plan id"
            hint="The two-year period, like 2028-2029."
            value={planId}
            onChange={setPlanId}
            errors={errors}
          />
          <TextField
            path="periodStart"
            label="Period start"
            type="date"
            value={periodStart}
            onChange={setPeriodStart}
            errors={errors}
          />
          <TextField
            path="periodEnd"
            label="Period end"
            type="date"
            value={periodEnd}
            onChange={setPeriodEnd}
            errors={errors}
          />
          <TextField
            path="resettlementFloorPercent"
            label="Resettlement floor (% of the total)"
            hint="The law says not less than approximately 60 % (Art. 8(3)(a))."
            inputMode="decimal"
            value={floor}
            onChange={setFloor}
            errors={errors}
          />
        </div>
      </fieldset>
      <CountryMultiSelect
        path="priorityCountries"
        legend="Priority host countries"
        hint="The host (first-asylum) countries the plan names (Art. 8(3)(c))."
        choices={countryChoices}
        selected={priorityCountries}
        onChange={setPriorityCountries}
        errors={errors}
        disabled={isPast || create.isPending}
      />
      <fieldset className="checkbox-group" disabled={isPast || create.isPending}>
        <legend>Priority UNHCR regions</legend>
        <FieldError path="priorityRegions" errors={errors} />
        <ul id="field-priorityRegions" tabIndex={-1}>
          {(unhcrRegions.data?.regions ?? []).map((region) => (
            <li key={region.id}>
              <label>
                <input
                  type="checkbox"
                  checked={priorityRegions.includes(region.id)}
                  onChange={(event) =>
                    setPriorityRegions((current) =>
                      event.target.checked
                        ? [...current, region.id]
                        : current.filter((id) => id !== region.id),
                    )
                  }
                />{' '}
                {region.name}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset className="plan-regions" disabled={isPast || create.isPending}>
        <legend>The plan&apos;s own regions (optional)</legend>
        <p className="hint">
          A region of the plan, like &ldquo;Latin America&rdquo;: an id, a name and its host
          countries&apos; codes separated by commas.
        </p>
        {regions.map((region, index) => (
          <div className="plan-region" key={region.key}>
            <h3 className="plan-region__title">Plan region {index + 1}</h3>
            <FieldError path={`regions.${index}`} errors={errors} />
            <div className="form-grid">
              <TextField
                path={`regions.${index}.id`}
                label="Id"
                value={region.id}
                onChange={(id) => updateRegion(region.key, { id })}
                errors={errors}
              />
              <TextField
                path={`regions.${index}.name`}
                label="Name"
                value={region.name}
                onChange={(name) => updateRegion(region.key, { name })}
                errors={errors}
              />
              <TextField
                path={`regions.${index}.countries`}
                label="Countries (codes)"
                value={region.countries}
                onChange={(countries) => updateRegion(region.key, { countries })}
                errors={errors}
              />
            </div>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setRegions((current) => current.filter((r) => r.key !== region.key))}
            >
              Remove plan region {index + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setRegions((current) => [
              ...current,
              { key: nextKey, id: '', name: '', countries: '' },
            ]);
            setNextKey((key) => key + 1);
          }}
        >
          Add a plan region
        </button>
      </fieldset>
      <p>
        <button type="submit" className="button" disabled={isPast || create.isPending}>
          {create.isPending ? 'Creating…' : 'Create the plan'}
        </button>
      </p>
    </form>
  );
}

/** A labelled input with its hint and its messages, tied together for screen readers. */
export function TextField({
  path,
  label,
  hint,
  value,
  onChange,
  errors,
  type = 'text',
  inputMode,
  required = false,
}: {
  readonly path: string;
  readonly label: string;
  readonly hint?: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly errors: FieldErrors;
  readonly type?: 'text' | 'date' | 'time' | 'number';
  readonly inputMode?: 'decimal' | 'numeric';
  readonly required?: boolean;
}) {
  const props = fieldProps(path, errors);
  const hintId = `${props.id}-hint`;
  const describedBy = [hint ? hintId : undefined, props['aria-describedby']]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={props.id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <FieldError path={path} errors={errors} />
      <input
        {...props}
        type={type}
        inputMode={inputMode}
        value={value}
        required={required}
        aria-describedby={describedBy || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
