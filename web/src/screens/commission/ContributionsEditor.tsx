import { fieldErrorId, fieldId, type FieldErrors } from '../../api/problems';
import { FieldError } from '../../components/FieldError';
import { formatCount } from '../../lib/format';
import {
  ADMISSION_TYPE_LABELS,
  countsOfLines,
  countsTotal,
  describeHost,
  type Contribution,
  type PledgeLine,
} from './labels';

/**
 * Contributions being decided: per Member State its lines, each line's persons editable, a line
 * or a whole Member State removable. A Member State with no line left is out of the plan.
 */
export function ContributionsEditor({
  contributions,
  original,
  onChange,
  pathOf,
  errors,
  lockedReason,
  caption,
}: {
  readonly contributions: readonly Contribution[];
  /** Where editing started (the proposal's contributions): for "was" figures and Restore. */
  readonly original: readonly Contribution[];
  readonly onChange: (next: Contribution[]) => void;
  /** The request path of a Member State's contribution (`contributions.2`), when it is sent. */
  readonly pathOf: (memberState: string) => string | undefined;
  readonly errors: FieldErrors;
  /** Why a Member State cannot be edited here (named elsewhere in the same request). */
  readonly lockedReason?: (memberState: string) => string | undefined;
  readonly caption: string;
}) {
  const replaceLines = (memberState: string, lines: PledgeLine[]) =>
    onChange(
      contributions.map((contribution) =>
        contribution.memberState === memberState ? { memberState, lines } : contribution,
      ),
    );
  const total = contributions.reduce(
    (sum, contribution) => sum + countsTotal(countsOfLines(contribution.lines)),
    0,
  );
  const originalTotal = original.reduce(
    (sum, contribution) => sum + countsTotal(countsOfLines(contribution.lines)),
    0,
  );

  return (
    <div className="contributions-editor">
      <p className="contributions-editor__summary" aria-live="polite">
        {caption}: <strong>{formatPersons(total)}</strong> in all (started from{' '}
        {formatPersons(originalTotal)}).
      </p>
      {contributions.map((contribution) => {
        const before = original.find((c) => c.memberState === contribution.memberState);
        const locked = lockedReason?.(contribution.memberState);
        return (
          <MemberStateLines
            key={contribution.memberState}
            contribution={contribution}
            before={before}
            path={pathOf(contribution.memberState)}
            errors={errors}
            locked={locked}
            onLines={(lines) => replaceLines(contribution.memberState, lines)}
            onRestore={() => replaceLines(contribution.memberState, [...(before?.lines ?? [])])}
          />
        );
      })}
    </div>
  );
}

function formatPersons(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'person' : 'persons'}`;
}

/** One Member State's lines as a small table: what it is, persons (editable), remove. */
function MemberStateLines({
  contribution,
  before,
  path,
  errors,
  locked,
  onLines,
  onRestore,
}: {
  readonly contribution: Contribution;
  readonly before: Contribution | undefined;
  readonly path: string | undefined;
  readonly errors: FieldErrors;
  readonly locked: string | undefined;
  readonly onLines: (lines: PledgeLine[]) => void;
  readonly onRestore: () => void;
}) {
  const { memberState, lines } = contribution;
  const total = countsTotal(countsOfLines(lines));
  const beforeTotal = before ? countsTotal(countsOfLines(before.lines)) : 0;
  const setPersons = (index: number, persons: number) =>
    onLines(lines.map((line, at) => (at === index ? { ...line, persons } : line)));

  if (lines.length === 0) {
    return (
      <div className="contributions-editor__removed">
        <p>
          <strong>{memberState}</strong> is out of the plan (was {formatPersons(beforeTotal)}).{' '}
          <button type="button" className="button button--secondary" onClick={onRestore}>
            Restore {memberState}
          </button>
        </p>
      </div>
    );
  }
  return (
    <div className="contributions-editor__member-state">
      {path !== undefined && <FieldError path={path} errors={errors} />}
      {locked !== undefined && <p className="note">{locked}</p>}
      <div className="data-table__scroll">
        <table>
          <caption>
            {memberState}: {formatPersons(total)}
            {total !== beforeTotal && <> (was {formatCount(beforeTotal)})</>}
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Admission type</th>
              <th scope="col">Host</th>
              <th scope="col" className="numeric">
                Persons
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, index) => {
              const linePath = path === undefined ? undefined : `${path}.lines.${index}`;
              const personsPath = linePath === undefined ? undefined : `${linePath}.persons`;
              const name = `${memberState}, line ${index + 1} (${ADMISSION_TYPE_LABELS[line.admissionType]}, ${describeHost(line)})`;
              const messages = [
                ...(personsPath ? (errors[personsPath] ?? []) : []),
                ...(linePath ? (errors[linePath] ?? []) : []),
              ];
              const inputId =
                personsPath !== undefined
                  ? fieldId(personsPath)
                  : fieldId(`editor.${memberState}.${index}`);
              const errorId = personsPath !== undefined ? fieldErrorId(personsPath) : undefined;
              return (
                <tr key={index}>
                  <th scope="row">{index + 1}</th>
                  <td>{ADMISSION_TYPE_LABELS[line.admissionType]}</td>
                  <td>{describeHost(line)}</td>
                  <td className="numeric">
                    <label className="visually-hidden" htmlFor={inputId}>
                      Persons, {name}
                    </label>
                    <input
                      id={inputId}
                      className="persons-input"
                      type="number"
                      min={0}
                      step={1}
                      inputMode="numeric"
                      disabled={locked !== undefined}
                      value={Number.isNaN(line.persons) ? '' : line.persons}
                      aria-invalid={messages.length > 0 || undefined}
                      aria-describedby={messages.length > 0 ? errorId : undefined}
                      onChange={(event) => setPersons(index, event.target.valueAsNumber)}
                    />
                    {messages.length > 0 && (
                      <p className="field-error" id={errorId}>
                        <span className="visually-hidden">Error: </span>
                        {messages.join(' ')}
                      </p>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      disabled={locked !== undefined}
                      onClick={() => onLines(lines.filter((_, at) => at !== index))}
                    >
                      Remove line<span className="visually-hidden"> {name}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={locked !== undefined}
          onClick={() => onLines([])}
        >
          Remove {memberState} from the plan
        </button>
      </p>
    </div>
  );
}

/** Labels for the problem summary: `contributions.0.lines.1.persons` → "DE, line 2, persons". */
export function contributionLabels(
  sent: readonly Contribution[],
  prefix = 'contributions',
): Record<string, string> {
  const labels: Record<string, string> = {};
  sent.forEach((contribution, index) => {
    labels[`${prefix}.${index}`] = contribution.memberState;
    contribution.lines.forEach((_, line) => {
      labels[`${prefix}.${index}.lines.${line}`] = `${contribution.memberState}, line ${line + 1}`;
      labels[`${prefix}.${index}.lines.${line}.persons`] =
        `${contribution.memberState}, line ${line + 1}, persons`;
    });
  });
  return labels;
}

/** Whether two lists of lines say the same (the order matters: it is the line numbering). */
export function sameLines(a: readonly PledgeLine[], b: readonly PledgeLine[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A contribution as the request sends it: the lines only, without the view's derived total. */
export function toContribution(contribution: {
  readonly memberState: string;
  readonly lines: readonly PledgeLine[];
}): Contribution {
  return {
    memberState: contribution.memberState,
    lines: contribution.lines.map((l) => ({ ...l })),
  };
}
