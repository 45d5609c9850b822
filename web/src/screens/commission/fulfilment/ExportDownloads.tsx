import { useId, useState } from 'react';
import { ApiError, type Problem } from '../../../api/problems';
import { describeAsOf, useAsOf } from '../../../asOf';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { downloadExport, type ExportFormat, type ExportRequest } from './fulfilmentApi';

type Outcome =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy'; readonly what: string }
  | { readonly kind: 'done'; readonly fileName: string }
  | { readonly kind: 'failed'; readonly problem: Problem };

const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = { csv: 'CSV', json: 'JSON' };

/**
 * The two exports the API prepares, as files: the AMIF annual performance figures for one year,
 * and the dataset of the Commission's report on the Framework. Both read as of the global `asOf`.
 */
export function ExportDownloads({
  planId,
  years,
}: {
  readonly planId: string;
  readonly years: readonly number[];
}) {
  const { asOf, value } = useAsOf();
  const yearId = useId();
  const [year, setYear] = useState(() => years[0] ?? new Date().getUTCFullYear());
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  const fetchFile = async (request: ExportRequest, what: string) => {
    setOutcome({ kind: 'busy', what });
    try {
      const fileName = await downloadExport(planId, request, asOf);
      setOutcome({ kind: 'done', fileName });
    } catch (error) {
      setOutcome({
        kind: 'failed',
        problem:
          error instanceof ApiError
            ? error.problem
            : {
                type: 'about:blank',
                title: 'The file could not be saved',
                status: 500,
                detail: String(error),
                instance: '',
                code: 'download_failed',
              },
      });
    }
  };
  const busy = outcome.kind === 'busy';

  const amifButton = (format: ExportFormat) => (
    <button
      type="button"
      className="button button--secondary"
      disabled={busy}
      onClick={() =>
        void fetchFile(
          { kind: 'amif-annual', year, format },
          `the AMIF figures for ${year} as ${FORMAT_LABELS[format]}`,
        )
      }
    >
      Download {FORMAT_LABELS[format]}
      <span className="visually-hidden"> of the AMIF annual figures for {year}</span>
    </button>
  );
  const frameworkButton = (
    label: string,
    request: Extract<ExportRequest, { kind: 'framework-report' }>,
    hidden: string,
  ) => (
    <button
      type="button"
      className="button button--secondary"
      disabled={busy}
      onClick={() => void fetchFile(request, hidden)}
    >
      {label}
      <span className="visually-hidden"> of {hidden}</span>
    </button>
  );

  return (
    <section aria-labelledby="exports">
      <h2 id="exports">Exports</h2>
      {value !== undefined && (
        <p className="note">
          The files read the log as of {describeAsOf(value)}, like everything on this page.
        </p>
      )}
      <div className="exports">
        <div className="exports__item">
          <h3>AMIF annual performance figures</h3>
          <p>
            Per Member State for one calendar year: persons resettled and admitted on humanitarian
            grounds, those in the Art. 19(3) groups and their family members, by sex and age band,
            and the lump sums earned. The AMIF annual performance report is due by 15 February of
            the following year (AMIF Art. 35(2)(g)).
          </p>
          <div className="exports__controls">
            <div className="field">
              <label htmlFor={yearId}>Year</label>
              <select
                id={yearId}
                value={year}
                onChange={(event) => setYear(Number(event.target.value))}
              >
                {years.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            </div>
            {amifButton('csv')}
            {amifButton('json')}
          </div>
        </div>
        <div className="exports__item">
          <h3>Dataset for the report on the Framework (Art. 15)</h3>
          <p>
            Admissions by Member State, admission type, host country and year, and the procedure
            counts of Art. 9, for the Commission&apos;s report due 12 June 2028. The associated
            states&apos; (Art. 12) are in tables of their own.
          </p>
          <div className="exports__controls">
            {frameworkButton(
              'Admissions (CSV)',
              { kind: 'framework-report', table: 'admissions', format: 'csv' },
              'the Art. 15 admissions as CSV',
            )}
            {frameworkButton(
              'Procedure counts (CSV)',
              { kind: 'framework-report', table: 'procedure', format: 'csv' },
              'the Art. 15 procedure counts as CSV',
            )}
            {frameworkButton(
              'Associated states: admissions (CSV)',
              { kind: 'framework-report', table: 'associated_admissions', format: 'csv' },
              "the Art. 15 associated states' admissions as CSV",
            )}
            {frameworkButton(
              'Associated states: procedure counts (CSV)',
              { kind: 'framework-report', table: 'associated_procedure', format: 'csv' },
              "the Art. 15 associated states' procedure counts as CSV",
            )}
            {frameworkButton(
              'Whole dataset (JSON)',
              { kind: 'framework-report', table: 'admissions', format: 'json' },
              'the Art. 15 dataset as JSON',
            )}
          </div>
        </div>
      </div>
      <p role="status" className="exports__status">
        {outcome.kind === 'busy' && `Preparing ${outcome.what}…`}
        {outcome.kind === 'done' && `Downloaded ${outcome.fileName}.`}
      </p>
      {outcome.kind === 'failed' && (
        <ProblemAlert problem={outcome.problem} title="The export could not be downloaded" />
      )}
    </section>
  );
}
