import type { ReactNode } from 'react';
import { useFulfilment, useReportList } from '../../../api/implementation';
import { usePlan } from '../../../api/plans';
import { describeAsOf, useAsOf } from '../../../asOf';
import { DataTable } from '../../../components/DataTable';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatCount, formatDateTime, formatPercent } from '../../../lib/format';
import { AmifSection, ProcedureSection } from './amifProcedureSections';
import { ExportDownloads } from './ExportDownloads';
import type { Fulfilment, MemberStateFulfilment } from './fulfilmentApi';
import { FulfilmentChecks } from './FulfilmentChecks';
import { headlineFigures, periodYears, reportGrid, type HeadlineFigure } from './fulfilmentModel';
import {
  AdmissionTypeSection,
  MemberStatesSection,
  PaceSection,
  RegionsSection,
} from './progressSections';
import { ReportsGrid } from './ReportsGrid';
import {
  dash,
  lastReportColumn,
  participantColumn,
  percentOrDash,
  progressColumns,
} from './tableCells';
import { useNames, type Names } from './useNames';
import './fulfilment.css';

/**
 * `/commission/plans/:planId/fulfilment` and `/audit/plans/:planId/fulfilment`: what has been
 * admitted against the adopted plan, read as of the global `asOf`. `basePath` is the plan's path
 * in the role's screens (report links hang under it); `tabs` the role's plan sections.
 */
export function FulfilmentPage({
  planId,
  basePath,
  tabs,
}: {
  readonly planId: string;
  readonly basePath: string;
  readonly tabs: ReactNode;
}) {
  const plan = usePlan(planId);
  const { value } = useAsOf();
  return (
    <>
      <PageHeader
        title={`Fulfilment of plan ${planId}`}
        lead={
          value === undefined
            ? 'What has been admitted against the adopted plan, from the monthly reports.'
            : `What had been admitted against the adopted plan as of ${describeAsOf(value)}.`
        }
      />
      {tabs}
      {plan.isPending ? (
        <Loading label="Loading the plan" />
      ) : plan.isError ? (
        <ProblemAlert problem={plan.error.problem} title="The plan could not be read" />
      ) : plan.data.status !== 'adopted' ? (
        <p className="note">
          The plan is not adopted{value === undefined ? '' : ' at this point of the log'}:
          admissions are reported, and fulfilment measured, once the Council has adopted it.
        </p>
      ) : (
        <FulfilmentSections planId={planId} basePath={basePath} />
      )}
    </>
  );
}

function FulfilmentSections({
  planId,
  basePath,
}: {
  readonly planId: string;
  readonly basePath: string;
}) {
  const fulfilment = useFulfilment(planId);
  const reports = useReportList(planId);
  const names = useNames();
  if (fulfilment.isPending) return <Loading label="Loading the fulfilment" />;
  if (fulfilment.isError) {
    return (
      <ProblemAlert problem={fulfilment.error.problem} title="The fulfilment could not be read" />
    );
  }
  const data = fulfilment.data;
  const reportPath = (memberState: string, month: string) =>
    `${basePath}/reports/${encodeURIComponent(memberState)}/${encodeURIComponent(month)}`;
  return (
    <>
      <nav className="on-this-page no-print" aria-label="On this page">
        <ul>
          <li>
            <a href="#progress">Member States</a>
          </li>
          <li>
            <a href="#pace">Pace</a>
          </li>
          <li>
            <a href="#by-type">Admission types</a>
          </li>
          <li>
            <a href="#regions">Regions and host countries</a>
          </li>
          <li>
            <a href="#amif">AMIF lump sums</a>
          </li>
          <li>
            <a href="#procedure">Procedure</a>
          </li>
          <li>
            <a href="#checks">Checks</a>
          </li>
          <li>
            <a href="#reports">Monthly reports</a>
          </li>
          <li>
            <a href="#exports">Exports</a>
          </li>
          <li>
            <a href="#associated-states">Associated states</a>
          </li>
        </ul>
      </nav>
      <Headline fulfilment={data} />
      <MemberStatesSection fulfilment={data} names={names} />
      <PaceSection fulfilment={data} />
      <AdmissionTypeSection fulfilment={data} />
      <RegionsSection fulfilment={data} names={names} />
      <AmifSection fulfilment={data} names={names} />
      <ProcedureSection fulfilment={data} names={names} />
      <section aria-labelledby="checks">
        <h2 id="checks">Checks</h2>
        <p className="note">
          Reported, never enforced: participation is voluntary (Art. 1(3)-(4)). &ldquo;Behind the
          pace&rdquo; warns below 80&nbsp;% of the admissions expected by now: the threshold is this
          tracker&apos;s choice, not the Regulation&apos;s.
        </p>
        <FulfilmentChecks checks={data.checks} planId={planId} />
      </section>
      <section aria-labelledby="reports">
        <h2 id="reports">Monthly reports</h2>
        {reports.isPending ? (
          <Loading label="Loading the reports" />
        ) : reports.isError ? (
          <ProblemAlert
            problem={reports.error.problem}
            title="The reports could not be read"
            focusOnShow={false}
          />
        ) : (
          <ReportsSection
            fulfilment={data}
            grid={reportGrid(data, reports.data)}
            reportPath={reportPath}
            names={names}
          />
        )}
      </section>
      <ExportDownloads planId={planId} years={periodYears(data.period)} />
      <AssociatedStatesSection
        fulfilment={data}
        names={names}
        reportGrid={reports.data ? reportGrid(data, reports.data) : undefined}
        reportPath={reportPath}
      />
    </>
  );
}

function figureText(figure: HeadlineFigure): string {
  if (figure.value === null) return dash;
  return figure.unit === 'percent' ? formatPercent(figure.value) : formatCount(figure.value);
}

function Headline({ fulfilment }: { readonly fulfilment: Fulfilment }) {
  return (
    <section aria-labelledby="headline">
      <h2 id="headline">Where the plan stands</h2>
      <dl className="headline">
        {headlineFigures(fulfilment).map((figure) => (
          <div key={figure.id} className="headline__figure">
            <dt>{figure.label}</dt>
            <dd data-testid={`fulfilment-${figure.id}`}>{figureText(figure)}</dd>
            {figure.hint !== undefined && <dd className="headline__hint">{figure.hint}</dd>}
          </div>
        ))}
      </dl>
      <p className="note">
        Measured at{' '}
        <time dateTime={fulfilment.referenceInstant}>
          {formatDateTime(fulfilment.referenceInstant)}
        </time>{' '}
        in a period of {fulfilment.period.months} months; read at log position{' '}
        <span data-testid="fulfilment-position">{fulfilment.asOfPosition}</span>. The expected
        figures assume admissions spread evenly over the period; the projection carries the pace so
        far to its end. Persons in the Art. 19(3) groups:{' '}
        {formatCount(fulfilment.vulnerablePersons)}; their family members (Art. 19(5)):{' '}
        {formatCount(fulfilment.familyMembers)}.
      </p>
    </section>
  );
}

function ReportsSection({
  fulfilment,
  grid,
  reportPath,
  names,
}: {
  readonly fulfilment: Fulfilment;
  readonly grid: ReturnType<typeof reportGrid>;
  readonly reportPath: (memberState: string, month: string) => string;
  readonly names: Names;
}) {
  const missing = grid.memberStates.reduce((sum, row) => sum + row.missing, 0);
  return (
    <>
      <p>
        One report a month per Member State, from the plan period&apos;s first month to the
        reference month. {formatCount(missing)} {missing === 1 ? 'month has' : 'months have'} ended
        without a report. Open a report for its lines and its history; &ldquo;on behalf&rdquo; marks
        one the Commission recorded for the Member State.
      </p>
      {grid.months.length === 0 ? (
        <p>The period has not begun: no report is due yet.</p>
      ) : (
        <ReportsGrid
          caption={`Monthly reports by Member State, plan ${fulfilment.planId}`}
          rows={grid.memberStates}
          months={grid.months}
          reportPath={reportPath}
          names={names}
          csvFileName={`monthly reports ${fulfilment.planId}`}
        />
      )}
    </>
  );
}

function AssociatedStatesSection({
  fulfilment,
  names,
  reportGrid: grid,
  reportPath,
}: {
  readonly fulfilment: Fulfilment;
  readonly names: Names;
  readonly reportGrid: ReturnType<typeof reportGrid> | undefined;
  readonly reportPath: (memberState: string, month: string) => string;
}) {
  const associated = fulfilment.associatedStates;
  return (
    <section aria-labelledby="associated-states">
      <h2 id="associated-states">Associated states (Art. 12)</h2>
      <p className="note">{associated.note}</p>
      <DataTable<MemberStateFulfilment>
        caption={`Associated states: admitted against their indications, plan ${fulfilment.planId}`}
        rows={associated.byParticipant}
        rowKey={(row) => row.memberState}
        csvFileName={`associated states fulfilment ${fulfilment.planId}`}
        emptyMessage="No associated state takes part in this plan."
        columns={[
          participantColumn(names, 'participant', 'Associated state'),
          ...progressColumns<MemberStateFulfilment>(),
          lastReportColumn(),
        ]}
        footer={
          associated.byParticipant.length > 0 ? (
            <tr>
              <th scope="row">Total</th>
              <td className="numeric">{formatCount(associated.total.adopted)}</td>
              <td className="numeric">{formatCount(associated.total.admitted)}</td>
              <td className="numeric">{percentOrDash(associated.total.percent)}</td>
              <td className="numeric">{formatCount(associated.total.remaining)}</td>
              <td />
            </tr>
          ) : undefined
        }
      />
      {grid !== undefined && grid.associatedStates.length > 0 && grid.months.length > 0 && (
        <ReportsGrid
          caption={`Monthly reports by associated state, plan ${fulfilment.planId}`}
          participantHeader="Associated state"
          rows={grid.associatedStates}
          months={grid.months}
          reportPath={reportPath}
          names={names}
          csvFileName={`monthly reports associated states ${fulfilment.planId}`}
        />
      )}
    </section>
  );
}
