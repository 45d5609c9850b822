import { useId } from 'react';
import { useSearchParams } from 'react-router';
import type { Schema } from '../../../api/client';
import { DataTable, type DataTableColumn } from '../../../components/DataTable';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatCount, formatDateTime, formatPercent } from '../../../lib/format';
import { AdmissionTypeMatrix } from '../AdmissionTypeMatrix';
import {
  ADMISSION_TYPE_LABELS,
  ADMISSION_TYPES,
  availableViews,
  EXTRA_REGION_LABELS,
  shownView,
  VIEW_LABELS,
  VIEW_PARAM,
  type Compliance,
  type Plan,
  type Totals,
} from '../labels';
import {
  useCompliance,
  useMemberStates,
  usePlan,
  useTimeline,
  useTotals,
  useUnhcrRegions,
} from '../planApi';
import { PlanTabs } from '../PlanTabs';
import {
  ChartFigure,
  ChartPatterns,
  PledgedTotalChart,
  ShareAgainstFloorChart,
  StackedByTypeChart,
  type StackedRow,
} from './charts';
import { ComplianceChecks } from './ComplianceChecks';

type Region = Totals['regions'][number];
type Country = Region['countries'][number];
type TimelinePoint = Schema<'TimelinePoint'>;

/** Looks up names for codes; the code itself while the reference data loads. */
function useNames() {
  const memberStates = useMemberStates();
  const regions = useUnhcrRegions();
  return {
    memberState: (code: string) =>
      memberStates.data?.memberStates.find((ms) => ms.code === code)?.name ?? code,
    region: (id: string) =>
      regions.data?.regions.find((region) => region.id === id)?.name ??
      EXTRA_REGION_LABELS[id] ??
      id,
  };
}

/**
 * `/commission/plans/:planId/figures` and, read-only, `/audit/plans/:planId/figures`: the plan's
 * figures in the Art. 8(3) structure, for pledges, the proposal or the adopted plan, with charts
 * beside the tables they draw.
 */
export function PlanFiguresPage({
  planId,
  readOnly = false,
}: {
  readonly planId: string;
  readonly readOnly?: boolean;
}) {
  const plan = usePlan(planId);
  // Reads that need nothing from the plan start beside it, not after it (the timeline would wait
  // for the plan, then for the totals). This component does not re-render for their answers.
  useTimeline(planId, { quiet: true });
  useMemberStates({ quiet: true });
  useUnhcrRegions({ quiet: true });
  return (
    <>
      <PageHeader
        title={`Figures of plan ${planId}`}
        lead={readOnly ? 'Read only: the figures as the log records them.' : undefined}
      />
      {!readOnly && <PlanTabs planId={planId} />}
      {plan.isPending ? (
        <Loading label="Loading the plan" />
      ) : plan.isError ? (
        <ProblemAlert problem={plan.error.problem} title="The plan could not be read" />
      ) : (
        <Figures plan={plan.data} />
      )}
    </>
  );
}

function Figures({ plan }: { readonly plan: Plan }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const views = availableViews(plan.status);
  const view = shownView(plan.status, searchParams.get(VIEW_PARAM));
  const selectId = useId();
  const totals = useTotals(plan.planId, view);
  const compliance = useCompliance(plan.planId, view);
  const names = useNames();
  return (
    <>
      <ChartPatterns />
      <div className="view-selector no-print">
        <label htmlFor={selectId}>Figures of</label>
        <select
          id={selectId}
          value={view}
          onChange={(event) =>
            setSearchParams(
              (params) => {
                params.set(VIEW_PARAM, event.target.value);
                return params;
              },
              { replace: true },
            )
          }
        >
          {views.map((option) => (
            <option key={option} value={option}>
              {VIEW_LABELS[option]}
            </option>
          ))}
        </select>
      </div>
      <p className="print-only">{VIEW_LABELS[view]}</p>
      {totals.isPending || compliance.isPending ? (
        <Loading label="Loading the figures" />
      ) : totals.isError ? (
        <ProblemAlert problem={totals.error.problem} title="The totals could not be read" />
      ) : compliance.isError ? (
        <ProblemAlert problem={compliance.error.problem} title="The checks could not be read" />
      ) : (
        <>
          <p className="note">
            {VIEW_LABELS[view]}: <strong>{formatCount(totals.data.total)} persons</strong>, as of
            log position {totals.data.asOfPosition}.
          </p>
          <ContributionsSection plan={plan} totals={totals.data} names={names} />
          <ShareSection compliance={compliance.data} />
          <RegionsSection plan={plan} totals={totals.data} names={names} />
          <section aria-labelledby="checks">
            <h2 id="checks">Compliance checks</h2>
            <ComplianceChecks checks={compliance.data.checks} planId={plan.planId} />
          </section>
          {plan.proposal && <ProposalVersusAdoption plan={plan} names={names} />}
          <TimelineSection planId={plan.planId} />
          <AssociatedStatesSection plan={plan} totals={totals.data} names={names} />
        </>
      )}
    </>
  );
}

type Names = ReturnType<typeof useNames>;

function ContributionsSection({
  plan,
  totals,
  names,
}: {
  readonly plan: Plan;
  readonly totals: Totals;
  readonly names: Names;
}) {
  const rows = totals.byMemberState;
  const largest = [...rows].sort((a, b) => b.total - a.total)[0];
  return (
    <section aria-labelledby="contributions">
      <h2 id="contributions">Contributions by Member State and admission type</h2>
      <AdmissionTypeMatrix
        caption={`Member State × admission type, plan ${plan.planId}`}
        rows={rows}
        nameOf={names.memberState}
        csvFileName={`contributions ${plan.planId} ${totals.view}`}
      />
      {rows.length > 0 && (
        <ChartFigure
          caption="Contributions by Member State, stacked by admission type"
          summary={`Bar chart of ${rows.length} Member States' contributions, ${formatCount(totals.total)} persons in all; the largest is ${largest?.memberState ?? ''} with ${formatCount(largest?.total ?? 0)}.`}
          table={
            <AdmissionTypeMatrix
              caption="Data of the chart: contributions by Member State"
              rows={rows}
              nameOf={names.memberState}
              csvFileName={`chart contributions ${plan.planId} ${totals.view}`}
            />
          }
        >
          <StackedByTypeChart
            rows={rows.map((row) => ({ name: row.memberState, ...row.byAdmissionType }))}
          />
        </ChartFigure>
      )}
    </section>
  );
}

function ShareSection({ compliance }: { readonly compliance: Compliance }) {
  const check = compliance.checks.find((c) => c.id === 'resettlement_share');
  const share = compliance.resettlementSharePercent;
  const floor = compliance.resettlementFloorPercent;
  const rows = [
    ...(share === null ? [] : [{ name: 'Resettlement', share }]),
    ...(check?.id === 'resettlement_share' &&
    check.shareIncludingEmergencyOnResettlementBasisPercent !== null
      ? [
          {
            name: 'With emergency on resettlement basis',
            share: check.shareIncludingEmergencyOnResettlementBasisPercent,
          },
        ]
      : []),
  ];
  return (
    <section aria-labelledby="share">
      <h2 id="share">Resettlement share against the floor</h2>
      <p>
        Resettlement is{' '}
        <strong>{share === null ? 'not measurable (no places)' : formatPercent(share)}</strong> of
        the total; the floor is {formatPercent(floor)} (&ldquo;not less than approximately
        60&nbsp;%&rdquo;, Art. 8(3)(a)).
      </p>
      {rows.length > 0 && (
        <ChartFigure
          caption="Resettlement share of the total, with the floor"
          summary={`Horizontal bar chart: resettlement is ${formatPercent(rows[0]?.share ?? 0)} of the total, against a floor of ${formatPercent(floor)}; ${(rows[0]?.share ?? 0) >= floor ? 'at or above' : 'below'} the floor.`}
          table={
            <DataTable
              caption="Data of the chart: resettlement share"
              rows={[...rows, { name: 'Floor', share: floor }]}
              csvFileName={`chart resettlement share ${compliance.planId} ${compliance.view}`}
              rowKey={(row) => row.name}
              columns={[
                { key: 'name', header: 'Measure', rowHeader: true, value: (row) => row.name },
                {
                  key: 'share',
                  header: 'Share of the total (%)',
                  numeric: true,
                  value: (row) => Math.round(row.share * 10) / 10,
                },
              ]}
            />
          }
        >
          <ShareAgainstFloorChart rows={rows} floorPercent={floor} />
        </ChartFigure>
      )}
    </section>
  );
}

interface CountryRow extends Country {
  readonly regionName: string;
}

function RegionsSection({
  plan,
  totals,
  names,
}: {
  readonly plan: Plan;
  readonly totals: Totals;
  readonly names: Names;
}) {
  const regionColumns: DataTableColumn<Region>[] = [
    {
      key: 'region',
      header: 'UNHCR region',
      rowHeader: true,
      value: (row) => names.region(row.region),
    },
    ...ADMISSION_TYPES.map((type): DataTableColumn<Region> => ({
      key: type,
      header: ADMISSION_TYPE_LABELS[type],
      numeric: true,
      value: (row) => row.byAdmissionType[type],
    })),
    { key: 'total', header: 'Total', numeric: true, value: (row) => row.total },
  ];
  const regionTable = (caption: string, csv?: string) => (
    <DataTable<Region>
      caption={caption}
      rows={totals.regions}
      rowKey={(row) => row.region}
      columns={regionColumns}
      csvFileName={csv}
      emptyMessage="No places tied to a host country."
    />
  );
  const countries: CountryRow[] = totals.regions.flatMap((region) =>
    region.countries.map((country) => ({ ...country, regionName: names.region(region.region) })),
  );
  const top = totals.regions[0];
  return (
    <section aria-labelledby="regions">
      <h2 id="regions">By UNHCR region and host country</h2>
      {regionTable(
        `Places by UNHCR region, plan ${plan.planId}`,
        `regions ${plan.planId} ${totals.view}`,
      )}
      {totals.notRegionBound.total > 0 && (
        <p className="note">
          {formatCount(totals.notRegionBound.total)} emergency places are tied to no region (Art.
          8(5)) and appear in no region above.
        </p>
      )}
      {totals.regions.length > 0 && (
        <ChartFigure
          caption="Places by UNHCR region, stacked by admission type"
          summary={`Bar chart of places in ${totals.regions.length} UNHCR regions; the largest is ${top ? names.region(top.region) : ''} with ${formatCount(top?.total ?? 0)}.`}
          table={regionTable(
            'Data of the chart: places by UNHCR region',
            `chart regions ${plan.planId} ${totals.view}`,
          )}
        >
          <StackedByTypeChart
            layout="bars"
            rows={totals.regions.map((row): StackedRow => ({
              name: names.region(row.region),
              ...row.byAdmissionType,
            }))}
          />
        </ChartFigure>
      )}
      <DataTable<CountryRow>
        caption={`Places by host country, plan ${plan.planId}`}
        rows={countries}
        rowKey={(row) => `${row.regionName}-${row.country}`}
        csvFileName={`host countries ${plan.planId} ${totals.view}`}
        emptyMessage="No places named by host country."
        columns={[
          {
            key: 'country',
            header: 'Host country',
            rowHeader: true,
            value: (row) => `${row.name} (${row.country})`,
          },
          { key: 'region', header: 'UNHCR region', value: (row) => row.regionName },
          ...ADMISSION_TYPES.map((type): DataTableColumn<CountryRow> => ({
            key: type,
            header: ADMISSION_TYPE_LABELS[type],
            numeric: true,
            value: (row) => row.byAdmissionType[type],
          })),
          { key: 'total', header: 'Total', numeric: true, value: (row) => row.total },
        ]}
      />
    </section>
  );
}

interface ProposalAdoptionRow {
  readonly memberState: string;
  readonly proposed: number;
  readonly adopted: number | undefined;
  readonly current: number | undefined;
}

function ProposalVersusAdoption({ plan, names }: { readonly plan: Plan; readonly names: Names }) {
  const proposed = new Map(plan.proposal?.contributions.map((c) => [c.memberState, c.total]));
  const adopted = new Map(plan.adoption?.contributions.map((c) => [c.memberState, c.total]));
  const current = new Map(plan.adoptedContributions?.map((c) => [c.memberState, c.total]));
  const codes = [...new Set([...proposed.keys(), ...adopted.keys(), ...current.keys()])].sort();
  const isAdopted = plan.adoption !== undefined;
  const rows: ProposalAdoptionRow[] = codes.map((code) => ({
    memberState: code,
    proposed: proposed.get(code) ?? 0,
    adopted: isAdopted ? (adopted.get(code) ?? 0) : undefined,
    current: isAdopted ? (current.get(code) ?? 0) : undefined,
  }));
  const dash = (value: number | undefined) => (value === undefined ? '–' : formatCount(value));
  const sum = (pick: (row: ProposalAdoptionRow) => number | undefined) =>
    rows.some((row) => pick(row) !== undefined)
      ? rows.reduce((total, row) => total + (pick(row) ?? 0), 0)
      : undefined;
  const changeOf = (row: ProposalAdoptionRow) =>
    row.current === undefined ? undefined : row.current - row.proposed;
  return (
    <section aria-labelledby="proposal-adoption">
      <h2 id="proposal-adoption">Proposal and adoption by Member State</h2>
      <DataTable<ProposalAdoptionRow>
        caption={`Proposal ${plan.proposal?.reference ?? ''} against ${plan.adoption?.actReference ?? 'the adoption (not yet recorded)'}`}
        rows={rows}
        rowKey={(row) => row.memberState}
        csvFileName={`proposal and adoption ${plan.planId}`}
        columns={[
          {
            key: 'ms',
            header: 'Member State',
            rowHeader: true,
            value: (row) => row.memberState,
            cell: (row) => `${names.memberState(row.memberState)} (${row.memberState})`,
          },
          { key: 'proposed', header: 'Proposed', numeric: true, value: (row) => row.proposed },
          {
            key: 'adopted',
            header: 'Adopted',
            numeric: true,
            value: (row) => row.adopted,
            cell: (row) => dash(row.adopted),
          },
          {
            key: 'current',
            header: 'With amendments',
            numeric: true,
            value: (row) => row.current,
            cell: (row) => dash(row.current),
          },
          {
            key: 'change',
            header: 'Change from the proposal',
            numeric: true,
            value: (row) => changeOf(row),
            cell: (row) => {
              const change = changeOf(row);
              return change === undefined
                ? '–'
                : change > 0
                  ? `+${formatCount(change)}`
                  : formatCount(change);
            },
          },
        ]}
        footer={
          <tr>
            <th scope="row">Total</th>
            <td className="numeric">{dash(sum((row) => row.proposed))}</td>
            <td className="numeric">{dash(sum((row) => row.adopted))}</td>
            <td className="numeric">{dash(sum((row) => row.current))}</td>
            <td className="numeric">
              {dash(
                isAdopted
                  ? (sum((row) => row.current) ?? 0) - (sum((row) => row.proposed) ?? 0)
                  : undefined,
              )}
            </td>
          </tr>
        }
      />
    </section>
  );
}

const EVENT_LABELS: Readonly<Record<TimelinePoint['type'], string>> = {
  PledgeSubmitted: 'Submitted',
  PledgeRevised: 'Revised',
  PledgeWithdrawn: 'Withdrawn',
};

function TimelineSection({ planId }: { readonly planId: string }) {
  const timeline = useTimeline(planId);
  const points = timeline.data?.points ?? [];
  const last = points[points.length - 1];
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">Pledged total over time</h2>
      {timeline.isPending ? (
        <Loading label="Loading the timeline" />
      ) : timeline.isError ? (
        <ProblemAlert problem={timeline.error.problem} title="The timeline could not be read" />
      ) : points.length === 0 ? (
        <p>No Member State has pledged yet.</p>
      ) : (
        <ChartFigure
          caption="The Member States' pledged total after each pledge event"
          summary={`Step chart of the pledged total over ${points.length} pledge events, from ${formatCount(points[0]?.total ?? 0)} to ${formatCount(last?.total ?? 0)} persons.`}
          table={
            <DataTable<TimelinePoint>
              caption="Data of the chart: pledged total over time"
              rows={points}
              rowKey={(point) => String(point.position)}
              csvFileName={`pledged total over time ${planId}`}
              columns={[
                {
                  key: 'position',
                  header: 'Log position',
                  rowHeader: true,
                  numeric: true,
                  value: (point) => point.position,
                },
                {
                  key: 'recordedAt',
                  header: 'Recorded',
                  value: (point) => point.recordedAt,
                  cell: (point) => (
                    <time dateTime={point.recordedAt}>{formatDateTime(point.recordedAt)}</time>
                  ),
                },
                { key: 'ms', header: 'Member State', value: (point) => point.memberState },
                { key: 'type', header: 'Event', value: (point) => EVENT_LABELS[point.type] },
                ...ADMISSION_TYPES.map((type): DataTableColumn<TimelinePoint> => ({
                  key: type,
                  header: ADMISSION_TYPE_LABELS[type],
                  numeric: true,
                  value: (point) => point.byAdmissionType[type],
                })),
                {
                  key: 'total',
                  header: 'Pledged total',
                  numeric: true,
                  value: (point) => point.total,
                },
              ]}
            />
          }
        >
          <PledgedTotalChart rows={points} />
        </ChartFigure>
      )}
    </section>
  );
}

function AssociatedStatesSection({
  plan,
  totals,
  names,
}: {
  readonly plan: Plan;
  readonly totals: Totals;
  readonly names: Names;
}) {
  return (
    <section aria-labelledby="associated-states">
      <h2 id="associated-states">Associated states (Art. 12)</h2>
      <p className="note">
        Iceland, Liechtenstein, Norway and Switzerland may associate themselves with the plan. Their
        indications are shown apart: never in the plan&apos;s total, its resettlement share or the
        AMIF figures.
      </p>
      <AdmissionTypeMatrix
        caption={`Associated states × admission type, plan ${plan.planId}`}
        participantHeader="Associated state"
        rows={totals.associatedStates.byMemberState}
        nameOf={names.memberState}
        csvFileName={`associated states ${plan.planId} ${totals.view}`}
      />
    </section>
  );
}
