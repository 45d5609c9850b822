import type { ReactNode } from 'react';
import { useReport, useReportHistory } from '../../../api/implementation';
import { usePlan } from '../../../api/plans';
import { AsOfLink, describeAsOf, useAsOf } from '../../../asOf';
import { DataTable, type DataTableColumn } from '../../../components/DataTable';
import { useLineReference } from '../../../components/lines';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatCount, formatCountChange, formatDateTime, formatMonth } from '../../../lib/format';
import {
  PROCEDURE_COUNT_FIELDS,
  PROCEDURE_COUNT_LABELS,
  REPORT_EVENT_LABELS,
} from '../../../lib/labels';
import { ADMISSION_TYPE_LABELS, ADMISSION_TYPES } from '../labels';
import { type AdmissionLine, type ReportHistoryEntry, type ReportView } from './fulfilmentApi';
import { describeAdmissionLine, describeReportDiff, type LineReader } from './reportHistoryModel';
import { useNames } from './useNames';
import './fulfilment.css';

/**
 * `<root>/plans/:planId/reports/:memberState/:month`: one monthly report as the log has it (as of
 * the global `asOf`), read-only: its lines, its procedure counts, and every version with what it
 * changed, who recorded it and why.
 */
export function ReportPage({
  planId,
  memberState,
  month,
  basePath,
  tabs,
}: {
  readonly planId: string;
  readonly memberState: string;
  readonly month: string;
  readonly basePath: string;
  readonly tabs: ReactNode;
}) {
  const names = useNames();
  const plan = usePlan(planId);
  const { reference } = useLineReference(plan.data);
  const report = useReport(planId, memberState, month);
  const { value } = useAsOf();
  // Names of hosts once the reference lists are in; codes until then.
  const reader: LineReader = {
    hostCountries: reference?.hostCountries ?? [],
    planRegions: plan.data?.regions ?? [],
  };
  const title = `Report of ${memberState} for ${formatMonth(month)}`;
  return (
    <>
      <PageHeader
        title={title}
        documentTitle={`${title}, plan ${planId}`}
        lead={`Plan ${planId}, ${names.participant(memberState)}. Read only${
          value === undefined ? '' : `, as of ${describeAsOf(value)}`
        }.`}
      />
      {tabs}
      <p className="no-print">
        <AsOfLink to={`${basePath}/fulfilment#reports`}>Back to the monthly reports</AsOfLink>
      </p>
      {report.isPending ? (
        <Loading label="Loading the report" />
      ) : report.isError ? (
        <ProblemAlert problem={report.error.problem} title="The report could not be read" />
      ) : report.data === null ? (
        <p>
          {memberState} had no report for {formatMonth(month)}
          {value === undefined ? '' : ' at this point of the log'}.
        </p>
      ) : (
        <>
          <ReportFacts report={report.data} />
          <AdmissionLines report={report.data} reader={reader} />
          <ProcedureTable report={report.data} />
          <ReportHistory planId={planId} memberState={memberState} month={month} reader={reader} />
        </>
      )}
    </>
  );
}

function ReportFacts({ report }: { readonly report: ReportView }) {
  return (
    <dl className="facts">
      <div>
        <dt>Persons admitted</dt>
        <dd data-testid="report-admitted">{formatCount(report.admitted)}</dd>
      </div>
      {ADMISSION_TYPES.map((type) => (
        <div key={type}>
          <dt>{ADMISSION_TYPE_LABELS[type]}</dt>
          <dd>{formatCount(report.byAdmissionType[type])}</dd>
        </div>
      ))}
      <div>
        <dt>In the Art. 19(3) groups</dt>
        <dd>{formatCount(report.vulnerablePersons)}</dd>
      </div>
      <div>
        <dt>Their family members (Art. 19(5))</dt>
        <dd>{formatCount(report.familyMembers)}</dd>
      </div>
      <div>
        <dt>Recorded by</dt>
        <dd>
          {report.onBehalf
            ? `The Commission, on ${report.participantKind === 'associated_state' ? 'the associated state' : 'the Member State'}'s behalf`
            : report.participantKind === 'associated_state'
              ? 'The associated state'
              : 'The Member State'}
        </dd>
      </div>
      <div>
        <dt>Version</dt>
        <dd>{report.version}</dd>
      </div>
      <div>
        <dt>First submitted</dt>
        <dd>
          <time dateTime={report.submittedAt}>{formatDateTime(report.submittedAt)}</time>
        </dd>
      </div>
      <div>
        <dt>Last changed</dt>
        <dd>
          <time dateTime={report.updatedAt}>{formatDateTime(report.updatedAt)}</time>
        </dd>
      </div>
      {report.lastReason !== undefined && (
        <div>
          <dt>Reason of the last correction</dt>
          <dd>{report.lastReason}</dd>
        </div>
      )}
      <div>
        <dt>Read at log position</dt>
        <dd>{report.asOfPosition}</dd>
      </div>
    </dl>
  );
}

const optionalCount = (value: number | undefined) => value;

function AdmissionLines({
  report,
  reader,
}: {
  readonly report: ReportView;
  readonly reader: LineReader;
}) {
  const columns: DataTableColumn<AdmissionLine>[] = [
    {
      key: 'line',
      header: 'Line',
      rowHeader: true,
      value: (line) => describeAdmissionLine(line, reader),
    },
    { key: 'persons', header: 'Persons', numeric: true, value: (line) => line.persons },
    {
      key: 'vulnerable',
      header: 'Art. 19(3) groups',
      numeric: true,
      value: (line) => optionalCount(line.vulnerablePersons),
    },
    {
      key: 'family',
      header: 'Family members',
      numeric: true,
      value: (line) => optionalCount(line.familyMembers),
    },
    {
      key: 'female',
      header: 'Female',
      numeric: true,
      value: (line) => line.bySex?.female,
    },
    { key: 'male', header: 'Male', numeric: true, value: (line) => line.bySex?.male },
    {
      key: 'nonBinary',
      header: 'Non-binary',
      numeric: true,
      value: (line) => line.bySex?.nonBinary,
    },
    {
      key: 'under18',
      header: 'Under 18',
      numeric: true,
      value: (line) => line.byAgeBand?.under18,
    },
    {
      key: 'from18To60',
      header: '18 to 60',
      numeric: true,
      value: (line) => line.byAgeBand?.from18To60,
    },
    { key: 'over60', header: 'Over 60', numeric: true, value: (line) => line.byAgeBand?.over60 },
    { key: 'note', header: 'Note', value: (line) => line.note ?? '' },
  ];
  return (
    <section aria-labelledby="report-lines">
      <h2 id="report-lines">Admissions</h2>
      <DataTable<AdmissionLine>
        caption={`Admissions of ${report.memberState} in ${formatMonth(report.month)}`}
        rows={report.admissions}
        rowKey={(_, index) => String(index)}
        columns={columns}
        csvFileName={`report ${report.planId} ${report.memberState} ${report.month}`}
        emptyMessage="No one admitted this month."
      />
      <p className="note">A blank count was not reported on that line.</p>
    </section>
  );
}

function ProcedureTable({ report }: { readonly report: ReportView }) {
  return (
    <section aria-labelledby="report-procedure">
      <h2 id="report-procedure">The admission procedure (Art. 9)</h2>
      <DataTable
        caption={`Procedure counts of ${report.memberState} for ${formatMonth(report.month)}`}
        rows={PROCEDURE_COUNT_FIELDS.map((field) => ({ field, count: report.procedure[field] }))}
        rowKey={(row) => row.field}
        csvFileName={`report procedure ${report.planId} ${report.memberState} ${report.month}`}
        columns={[
          {
            key: 'field',
            header: 'Count',
            rowHeader: true,
            value: (row) => PROCEDURE_COUNT_LABELS[row.field],
          },
          {
            key: 'count',
            header: 'Reported',
            numeric: true,
            value: (row) => row.count,
            cell: (row) => (row.count === undefined ? 'Not reported' : formatCount(row.count)),
          },
        ]}
      />
    </section>
  );
}

function ReportHistory({
  planId,
  memberState,
  month,
  reader,
}: {
  readonly planId: string;
  readonly memberState: string;
  readonly month: string;
  readonly reader: LineReader;
}) {
  const history = useReportHistory(planId, memberState, month);
  const entries = history.data?.pages.flatMap((page) => page.versions) ?? [];
  const columns: DataTableColumn<ReportHistoryEntry>[] = [
    {
      key: 'version',
      header: 'Version',
      numeric: true,
      rowHeader: true,
      value: (entry) => entry.version,
    },
    {
      key: 'change',
      header: 'Change',
      value: (entry) => REPORT_EVENT_LABELS[entry.type],
    },
    {
      key: 'actor',
      header: 'By',
      value: (entry) =>
        `${entry.actor.name ?? entry.actor.id}${entry.onBehalf ? ' (on behalf)' : ''}`,
    },
    {
      key: 'time',
      header: 'When',
      value: (entry) => entry.recordedAt,
      cell: (entry) => <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt)}</time>,
    },
    { key: 'reason', header: 'Reason', value: (entry) => entry.reason ?? '' },
    {
      key: 'admitted',
      header: 'Persons admitted',
      numeric: true,
      value: (entry) => entry.admitted,
      cell: (entry) => formatCountChange(entry.diff.admittedBefore, entry.diff.admittedAfter),
    },
    {
      key: 'diff',
      header: 'What changed',
      value: (entry) => describeReportDiff(entry.diff, reader).join('; '),
      cell: (entry) => {
        const changes = describeReportDiff(entry.diff, reader);
        return changes.length === 0 ? (
          'Nothing changed.'
        ) : (
          <ul className="line-diff">
            {changes.map((change, index) => (
              <li key={index}>{change}</li>
            ))}
          </ul>
        );
      },
    },
    { key: 'position', header: 'Log position', numeric: true, value: (entry) => entry.position },
  ];
  return (
    <section aria-labelledby="report-history">
      <h2 id="report-history">History</h2>
      {history.isPending ? (
        <Loading label="Loading the history" />
      ) : history.isError ? (
        <ProblemAlert
          problem={history.error.problem}
          title="The history could not be read"
          focusOnShow={false}
        />
      ) : (
        <>
          <DataTable<ReportHistoryEntry>
            caption={`Versions of the report of ${memberState} for ${formatMonth(month)}`}
            rows={entries}
            rowKey={(entry) => String(entry.version)}
            columns={columns}
            csvFileName={`report history ${planId} ${memberState} ${month}`}
          />
          {history.hasNextPage && (
            <p className="report-history__more">
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void history.fetchNextPage()}
                disabled={history.isFetchingNextPage}
              >
                {history.isFetchingNextPage ? 'Loading more versions…' : 'Load more versions'}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
