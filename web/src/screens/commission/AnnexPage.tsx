import { useParams } from 'react-router';
import { useState, type ReactNode } from 'react';
import { DataTable, type DataTableColumn } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatCount, formatDate, formatDateTime, formatPercent } from '../../lib/format';
import { AdmissionTypeMatrix } from './AdmissionTypeMatrix';
import {
  ADMISSION_TYPE_LABELS,
  ADMISSION_TYPES,
  defaultView,
  EXTRA_REGION_LABELS,
  type FiguresView,
  type Plan,
  type Totals,
} from './labels';
import { useCompliance, useMemberStates, usePlan, useTotals, useUnhcrRegions } from './planApi';
import { PlanTabs } from './PlanTabs';

type Region = Totals['regions'][number];

/** What a draft annex is drawn from, before the Council adopts the plan. */
const DRAFT_SOURCES: Readonly<Record<FiguresView, string>> = {
  pledges: "the Member States' latest pledges",
  proposal: "the Commission's proposal",
  adopted: 'the adopted plan',
};

/** `/commission/plans/:planId/annex`: the plan as the annex of the act, ready to print. */
export function AnnexPage() {
  const { planId = '' } = useParams();
  const plan = usePlan(planId);
  const title = `Annex: Union Resettlement and Humanitarian Admission Plan ${planId}`;
  return (
    <>
      <PageHeader
        title={title}
        actions={
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
        }
      />
      <PlanTabs planId={planId} />
      {plan.isPending ? (
        <Loading label="Loading the plan" />
      ) : plan.isError ? (
        <ProblemAlert problem={plan.error.problem} title="The plan could not be read" />
      ) : (
        <Annex plan={plan.data} />
      )}
    </>
  );
}

function Annex({ plan }: { readonly plan: Plan }) {
  const view = defaultView(plan.status);
  const totals = useTotals(plan.planId, view);
  const compliance = useCompliance(plan.planId, view);
  const memberStates = useMemberStates();
  const regions = useUnhcrRegions();
  const memberStateName = (code: string) =>
    memberStates.data?.memberStates.find((ms) => ms.code === code)?.name ?? code;
  const regionName = (id: string) =>
    regions.data?.regions.find((region) => region.id === id)?.name ?? EXTRA_REGION_LABELS[id] ?? id;

  let body: ReactNode;
  if (totals.isPending || compliance.isPending) body = <Loading label="Loading the figures" />;
  else if (totals.isError)
    body = <ProblemAlert problem={totals.error.problem} title="The totals could not be read" />;
  else if (compliance.isError)
    body = <ProblemAlert problem={compliance.error.problem} title="The checks could not be read" />;
  else {
    const share = compliance.data.resettlementSharePercent;
    const regionColumns: DataTableColumn<Region>[] = [
      {
        key: 'region',
        header: 'UNHCR region',
        rowHeader: true,
        value: (row) => regionName(row.region),
      },
      ...ADMISSION_TYPES.map((type): DataTableColumn<Region> => ({
        key: type,
        header: ADMISSION_TYPE_LABELS[type],
        numeric: true,
        value: (row) => row.byAdmissionType[type],
      })),
      { key: 'total', header: 'Total', numeric: true, value: (row) => row.total },
    ];
    body = (
      <>
        <section aria-labelledby="annex-contributions">
          <h2 id="annex-contributions">
            1. Participation and contributions (Art. 8(3)(a) and (b))
          </h2>
          <p>
            Total: <strong>{formatCount(totals.data.total)} persons</strong>. Resettlement:{' '}
            <strong>{share === null ? 'no places' : formatPercent(share)}</strong> of the total
            (floor {formatPercent(compliance.data.resettlementFloorPercent)}).
          </p>
          <AdmissionTypeMatrix
            caption="Contributions by Member State and admission type"
            rows={totals.data.byMemberState}
            nameOf={memberStateName}
            csvFileName={`annex ${plan.planId} contributions`}
          />
        </section>
        <section aria-labelledby="annex-regions">
          <h2 id="annex-regions">2. Regions (Art. 8(3)(c))</h2>
          <DataTable<Region>
            caption="Places by UNHCR region"
            rows={totals.data.regions}
            rowKey={(row) => row.region}
            columns={regionColumns}
            csvFileName={`annex ${plan.planId} regions`}
            emptyMessage="No places tied to a host country."
          />
          {totals.data.notRegionBound.total > 0 && (
            <p>
              {formatCount(totals.data.notRegionBound.total)} emergency admission places are not
              tied to a region (Art. 8(5)).
            </p>
          )}
          {plan.regions.length > 0 && (
            <p>
              Regions of the plan:{' '}
              {plan.regions.map((r) => `${r.name} (${r.countries.join(', ')})`).join('; ')}.
            </p>
          )}
        </section>
        <p className="annex-generated">
          Generated from the log as of position {totals.data.asOfPosition} on <GeneratedAt />.
        </p>
      </>
    );
  }

  return (
    <article className="annex">
      <header className="annex-header">
        {plan.adoption ? (
          <p>
            Annex to {plan.adoption.actReference} of{' '}
            <time dateTime={plan.adoption.adoptedOn}>{formatDate(plan.adoption.adoptedOn)}</time>
            {plan.amendments.length > 0 &&
              `, as amended by ${plan.amendments.map((a) => `${a.actReference} of ${formatDate(a.adoptedOn)}`).join(', ')}`}
            .
          </p>
        ) : (
          <p className="note">Not adopted yet: this draft shows {DRAFT_SOURCES[view]}.</p>
        )}
        <p>
          Period: <time dateTime={plan.periodStart}>{formatDate(plan.periodStart)}</time> to{' '}
          <time dateTime={plan.periodEnd}>{formatDate(plan.periodEnd)}</time>.
        </p>
      </header>
      {body}
    </article>
  );
}

/** The moment the page was drawn, fixed for the page's life. */
function GeneratedAt() {
  const [now] = useState(() => new Date().toISOString());
  return <time dateTime={now}>{formatDateTime(now)}</time>;
}
