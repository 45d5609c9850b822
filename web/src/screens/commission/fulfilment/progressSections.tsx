/**
 * The dashboard's progress sections: by Member State, the pace line, by admission type, and by
 * UNHCR region and host. Each chart sits in a <ChartFigure> with the table it draws.
 */
import { DataTable } from '../../../components/DataTable';
import { formatCount, formatMonth, formatPercent } from '../../../lib/format';
import { ChartFigure } from '../figures/charts';
import type { Fulfilment, MemberStateFulfilment, RegionFulfilment } from './fulfilmentApi';
import {
  AdoptedAdmittedChart,
  PaceChart,
  ProgressAgainstContributionChart,
} from './fulfilmentCharts';
import {
  admissionTypeRows,
  againstPace,
  elapsedPercent,
  hostRows,
  memberStateTypeRows,
  paceRows,
  progressBars,
  type CountryProgressRow,
  type MemberStateTypeRow,
  type PaceRow,
  type TypeProgressRow,
} from './fulfilmentModel';
import {
  countOrDash,
  lastReportColumn,
  participantColumn,
  percentOrDash,
  progressColumns,
  signed,
} from './tableCells';
import type { Names } from './useNames';

export function MemberStatesSection({
  fulfilment,
  names,
}: {
  readonly fulfilment: Fulfilment;
  readonly names: Names;
}) {
  const rows = fulfilment.memberStates;
  const bars = progressBars(rows);
  const pace = elapsedPercent(fulfilment);
  const behind = bars.filter((bar) => bar.percent < pace).length;
  const progressTable = (caption: string, csv: string) => (
    <DataTable<MemberStateFulfilment>
      caption={caption}
      rows={rows}
      rowKey={(row) => row.memberState}
      csvFileName={csv}
      emptyMessage="No Member State has a contribution or a report."
      columns={[
        participantColumn(names),
        ...progressColumns<MemberStateFulfilment>(),
        {
          key: 'expected',
          header: 'Expected by now',
          numeric: true,
          value: (row) => row.expectedByNow,
        },
        {
          key: 'pace',
          header: 'Against pace',
          numeric: true,
          value: (row) => againstPace(row),
          cell: (row) => signed(againstPace(row)),
        },
        {
          key: 'projected',
          header: 'Projected',
          numeric: true,
          value: (row) => row.projectedAtEnd,
          cell: (row) => countOrDash(row.projectedAtEnd),
        },
        lastReportColumn(),
      ]}
      footer={
        <tr>
          <th scope="row">Total</th>
          <td className="numeric">{formatCount(fulfilment.total.adopted)}</td>
          <td className="numeric">{formatCount(fulfilment.total.admitted)}</td>
          <td className="numeric">{percentOrDash(fulfilment.total.percent)}</td>
          <td className="numeric">{formatCount(fulfilment.total.remaining)}</td>
          <td className="numeric">{formatCount(fulfilment.total.expectedByNow)}</td>
          <td className="numeric">{signed(againstPace(fulfilment.total))}</td>
          <td className="numeric">{countOrDash(fulfilment.total.projectedAtEnd)}</td>
          <td />
        </tr>
      }
    />
  );
  return (
    <section aria-labelledby="progress">
      <h2 id="progress">Progress by Member State against its contribution</h2>
      {progressTable(
        `Admitted against the adopted contribution by Member State, plan ${fulfilment.planId}`,
        `fulfilment by member state ${fulfilment.planId}`,
      )}
      {bars.length > 0 && (
        <ChartFigure
          caption="Admitted as a share of each contribution, against the even pace"
          summary={`Bar chart of ${bars.length} Member States: the share of its contribution each has admitted, against an even pace of ${formatPercent(pace)}; ${behind} of them below it.`}
          table={
            <DataTable
              caption="Data of the chart: admitted as a share of the contribution"
              rows={[...bars, { name: 'Even pace', percent: pace }]}
              rowKey={(row) => row.name}
              csvFileName={`chart progress ${fulfilment.planId}`}
              columns={[
                { key: 'name', header: 'Member State', rowHeader: true, value: (row) => row.name },
                {
                  key: 'percent',
                  header: 'Admitted of the contribution (%)',
                  numeric: true,
                  value: (row) => row.percent,
                  cell: (row) => formatPercent(row.percent),
                },
              ]}
            />
          }
        >
          <ProgressAgainstContributionChart rows={bars} pacePercent={pace} />
        </ChartFigure>
      )}
      <DataTable<MemberStateTypeRow>
        caption={`Admitted against the adopted contribution by Member State and admission type, plan ${fulfilment.planId}`}
        rows={memberStateTypeRows(rows)}
        rowKey={(row) => `${row.memberState}-${row.admissionType}`}
        csvFileName={`fulfilment by member state and type ${fulfilment.planId}`}
        emptyMessage="No Member State has a contribution or a report."
        columns={[
          participantColumn(names),
          { key: 'type', header: 'Admission type', value: (row) => row.label },
          ...progressColumns<MemberStateTypeRow>(),
        ]}
      />
    </section>
  );
}

export function PaceSection({ fulfilment }: { readonly fulfilment: Fulfilment }) {
  const rows = paceRows(fulfilment.byMonth);
  const last = rows[rows.length - 1];
  return (
    <section aria-labelledby="pace">
      <h2 id="pace">Pace: admitted month by month against an even pace</h2>
      {rows.length === 0 ? (
        <p>The period has not begun.</p>
      ) : (
        <ChartFigure
          caption="Cumulative admissions against the even pace towards the adopted total"
          summary={`Line chart over ${rows.length} months: ${formatCount(last?.cumulative ?? 0)} admitted by ${formatMonth(last?.month ?? '')} against ${formatCount(last?.expectedCumulative ?? 0)} expected at an even pace towards ${formatCount(fulfilment.total.adopted)}.`}
          table={
            <DataTable<PaceRow>
              caption="Data of the chart: admissions by month"
              rows={rows}
              rowKey={(row) => row.month}
              csvFileName={`pace by month ${fulfilment.planId}`}
              columns={[
                {
                  key: 'month',
                  header: 'Month',
                  rowHeader: true,
                  value: (row) => row.month,
                  cell: (row) => formatMonth(row.month),
                },
                {
                  key: 'admitted',
                  header: 'Admitted in the month',
                  numeric: true,
                  value: (row) => row.admitted,
                },
                {
                  key: 'cumulative',
                  header: 'Admitted, cumulative',
                  numeric: true,
                  value: (row) => row.cumulative,
                },
                {
                  key: 'expected',
                  header: 'Expected, cumulative',
                  numeric: true,
                  value: (row) => row.expectedCumulative,
                },
                {
                  key: 'difference',
                  header: 'Against the pace',
                  numeric: true,
                  value: (row) => row.difference,
                  cell: (row) => signed(row.difference),
                },
              ]}
            />
          }
        >
          <PaceChart rows={rows} />
        </ChartFigure>
      )}
      {fulfilment.byYear.length > 0 && (
        <DataTable
          caption="Admitted by calendar year"
          rows={fulfilment.byYear}
          rowKey={(row) => String(row.year)}
          csvFileName={`admitted by year ${fulfilment.planId}`}
          columns={[
            { key: 'year', header: 'Year', rowHeader: true, value: (row) => row.year },
            { key: 'admitted', header: 'Admitted', numeric: true, value: (row) => row.admitted },
          ]}
        />
      )}
    </section>
  );
}

export function AdmissionTypeSection({ fulfilment }: { readonly fulfilment: Fulfilment }) {
  const rows = admissionTypeRows(fulfilment.byAdmissionType);
  const table = (caption: string, csv: string) => (
    <DataTable<TypeProgressRow>
      caption={caption}
      rows={rows}
      rowKey={(row) => row.admissionType}
      csvFileName={csv}
      columns={[
        { key: 'type', header: 'Admission type', rowHeader: true, value: (row) => row.label },
        ...progressColumns<TypeProgressRow>(),
      ]}
    />
  );
  return (
    <section aria-labelledby="by-type">
      <h2 id="by-type">By admission type</h2>
      {table(
        `Admitted against the adopted plan by admission type, plan ${fulfilment.planId}`,
        `fulfilment by admission type ${fulfilment.planId}`,
      )}
      <ChartFigure
        caption="Adopted and admitted by admission type"
        summary={`Bar chart: ${rows
          .map(
            (row) =>
              `${row.label} ${formatCount(row.admitted)} admitted of ${formatCount(row.adopted)}`,
          )
          .join('; ')}.`}
        table={table(
          'Data of the chart: adopted and admitted by admission type',
          `chart fulfilment by admission type ${fulfilment.planId}`,
        )}
      >
        <AdoptedAdmittedChart
          rows={rows.map((row) => ({
            name: row.label,
            adopted: row.adopted,
            admitted: row.admitted,
          }))}
        />
      </ChartFigure>
    </section>
  );
}

export function RegionsSection({
  fulfilment,
  names,
}: {
  readonly fulfilment: Fulfilment;
  readonly names: Names;
}) {
  const regionTable = (caption: string, csv: string) => (
    <DataTable<RegionFulfilment>
      caption={caption}
      rows={fulfilment.regions}
      rowKey={(row) => row.region}
      csvFileName={csv}
      emptyMessage="No admissions or places tied to a host country."
      columns={[
        {
          key: 'region',
          header: 'UNHCR region',
          rowHeader: true,
          value: (row) => names.region(row.region),
        },
        ...progressColumns<RegionFulfilment>(),
      ]}
    />
  );
  const hosts = hostRows(fulfilment.regions);
  const top = fulfilment.regions[0];
  return (
    <section aria-labelledby="regions">
      <h2 id="regions">By UNHCR region and host country</h2>
      {regionTable(
        `Admitted against the adopted plan by UNHCR region, plan ${fulfilment.planId}`,
        `fulfilment by region ${fulfilment.planId}`,
      )}
      {(fulfilment.notRegionBound.adopted > 0 || fulfilment.notRegionBound.admitted > 0) && (
        <p className="note">
          Emergency admission tied to no region (Art. 8(5)):{' '}
          {formatCount(fulfilment.notRegionBound.admitted)} admitted of{' '}
          {formatCount(fulfilment.notRegionBound.adopted)} adopted, in no region above.
        </p>
      )}
      {fulfilment.regions.length > 0 && (
        <ChartFigure
          caption="Adopted and admitted by UNHCR region"
          summary={`Bar chart of ${fulfilment.regions.length} UNHCR regions; the most admissions came from ${top ? names.region(top.region) : ''}, ${formatCount(top?.admitted ?? 0)} of ${formatCount(top?.adopted ?? 0)} adopted.`}
          table={regionTable(
            'Data of the chart: adopted and admitted by UNHCR region',
            `chart fulfilment by region ${fulfilment.planId}`,
          )}
        >
          <AdoptedAdmittedChart
            rows={fulfilment.regions.map((row) => ({
              name: names.region(row.region),
              adopted: row.adopted,
              admitted: row.admitted,
            }))}
          />
        </ChartFigure>
      )}
      <DataTable<CountryProgressRow>
        caption={`Admitted against the adopted plan by host, plan ${fulfilment.planId}`}
        rows={hosts}
        rowKey={(row) => row.key}
        csvFileName={`fulfilment by host country ${fulfilment.planId}`}
        emptyMessage="No admissions or places named by host."
        columns={[
          { key: 'host', header: 'Host', rowHeader: true, value: (row) => row.host },
          { key: 'region', header: 'UNHCR region', value: (row) => names.region(row.region) },
          ...progressColumns<CountryProgressRow>(),
        ]}
      />
      <p className="note">
        A line naming several countries or a plan region is counted as named, never split between
        countries.
      </p>
    </section>
  );
}
