/** The money and the procedure: AMIF lump sums earned, and the Art. 9 counts by Member State. */
import { DataTable, type DataTableColumn } from '../../../components/DataTable';
import { formatCount } from '../../../lib/format';
import { PROCEDURE_COUNT_FIELDS, PROCEDURE_COUNT_LABELS } from '../../../lib/labels';
import { ChartFigure } from '../figures/charts';
import type { Fulfilment, MemberStateFulfilment } from './fulfilmentApi';
import { AmifChart, formatEur } from './fulfilmentCharts';
import { amifPivot, periodYears, type AmifPivotRow } from './fulfilmentModel';
import { participantColumn } from './tableCells';
import type { Names } from './useNames';

export function AmifSection({
  fulfilment,
  names,
}: {
  readonly fulfilment: Fulfilment;
  readonly names: Names;
}) {
  const { amif } = fulfilment;
  const years = periodYears(fulfilment.period);
  const pivot = amifPivot(amif.byMemberStateAndYear, years);
  const byMemberState = new Map(fulfilment.memberStates.map((row) => [row.memberState, row]));
  const pivotTable = (caption: string, csv: string) => (
    <DataTable<AmifPivotRow>
      caption={caption}
      rows={pivot}
      rowKey={(row) => row.memberState}
      csvFileName={csv}
      emptyMessage="No admissions reported yet: nothing earned."
      columns={[
        participantColumn(names),
        ...years.map((year): DataTableColumn<AmifPivotRow> => ({
          key: String(year),
          header: `${year} (EUR)`,
          numeric: true,
          value: (row) => row.byYear[year] ?? 0,
          cell: (row) => formatEur(row.byYear[year] ?? 0),
        })),
        {
          key: 'total',
          header: 'Total (EUR)',
          numeric: true,
          value: (row) => row.totalEur,
          cell: (row) => formatEur(row.totalEur),
        },
        {
          key: 'vulnerable',
          header: 'Admitted in Art. 19(3) groups',
          numeric: true,
          value: (row) => byMemberState.get(row.memberState)?.vulnerablePersons,
        },
        {
          key: 'family',
          header: 'Their family members',
          numeric: true,
          value: (row) => byMemberState.get(row.memberState)?.familyMembers,
        },
      ]}
      footer={
        <tr>
          <th scope="row">Total</th>
          {years.map((year) => (
            <td key={year} className="numeric">
              {formatEur(pivot.reduce((sum, row) => sum + (row.byYear[year] ?? 0), 0))}
            </td>
          ))}
          <td className="numeric">{formatEur(amif.totalEur)}</td>
          <td className="numeric">{formatCount(fulfilment.vulnerablePersons)}</td>
          <td className="numeric">{formatCount(fulfilment.familyMembers)}</td>
        </tr>
      }
    />
  );
  const bars = amif.byMemberStateAndYear.map((row) => ({
    name: `${row.memberState} ${row.year}`,
    eur: row.eur,
  }));
  return (
    <section aria-labelledby="amif">
      <h2 id="amif">AMIF lump sums earned</h2>
      <p>
        <strong data-testid="fulfilment-amif-total">{formatEur(amif.totalEur)}</strong> earned by
        the admissions reported: {formatEur(amif.rates.resettlementEur)} per person resettled,{' '}
        {formatEur(amif.rates.humanitarianAdmissionEur)} per person admitted on humanitarian
        grounds, {formatEur(amif.rates.humanitarianAdmissionArticle19GroupsEur)} for those in the
        Art. 19(3) groups and their family members (AMIF Art. 19(2), (3) and (5)); emergency
        admissions at the rate of their basis. Exact, not a forecast: the counts are reported, each
        person payable once (Art. 19(7)). Member States only.
      </p>
      {pivotTable(
        `AMIF lump sums earned by Member State and year, plan ${fulfilment.planId}`,
        `amif earned ${fulfilment.planId}`,
      )}
      {bars.length > 0 && (
        <ChartFigure
          caption="AMIF lump sums earned by Member State and year"
          summary={`Bar chart of ${bars.length} Member State years, ${formatEur(amif.totalEur)} in all.`}
          table={
            <DataTable
              caption="Data of the chart: AMIF lump sums by Member State and year"
              rows={amif.byMemberStateAndYear}
              rowKey={(row) => `${row.memberState}-${row.year}`}
              csvFileName={`chart amif earned ${fulfilment.planId}`}
              columns={[
                {
                  key: 'ms',
                  header: 'Member State',
                  rowHeader: true,
                  value: (row) => row.memberState,
                },
                { key: 'year', header: 'Year', value: (row) => row.year },
                {
                  key: 'resettled',
                  header: 'Resettled',
                  numeric: true,
                  value: (row) => row.resettled,
                },
                {
                  key: 'humanitarian',
                  header: 'Humanitarian',
                  numeric: true,
                  value: (row) => row.humanitarian,
                },
                {
                  key: 'group',
                  header: 'Of those, at the group rate',
                  numeric: true,
                  value: (row) => row.humanitarianAtGroupRate,
                },
                {
                  key: 'eur',
                  header: 'Earned (EUR)',
                  numeric: true,
                  value: (row) => row.eur,
                  cell: (row) => formatEur(row.eur),
                },
              ]}
            />
          }
        >
          <AmifChart rows={bars} />
        </ChartFigure>
      )}
    </section>
  );
}

export function ProcedureSection({
  fulfilment,
  names,
}: {
  readonly fulfilment: Fulfilment;
  readonly names: Names;
}) {
  return (
    <section aria-labelledby="procedure">
      <h2 id="procedure">The admission procedure (Art. 9)</h2>
      <p className="note">
        Flows (registered, conclusions, discontinued, late emergency conclusions and entries) are
        summed over the months; the cases still open past 7 and 10 months are the latest month that
        reported them. A blank cell: not reported.
      </p>
      <DataTable<MemberStateFulfilment>
        caption={`Procedure counts by Member State, plan ${fulfilment.planId}`}
        rows={fulfilment.memberStates}
        rowKey={(row) => row.memberState}
        csvFileName={`procedure ${fulfilment.planId}`}
        columns={[
          participantColumn(names),
          ...PROCEDURE_COUNT_FIELDS.map((field): DataTableColumn<MemberStateFulfilment> => ({
            key: field,
            header: PROCEDURE_COUNT_LABELS[field],
            numeric: true,
            value: (row) => row.procedure[field],
          })),
        ]}
        footer={
          <tr>
            <th scope="row">Plan</th>
            {PROCEDURE_COUNT_FIELDS.map((field) => (
              <td key={field} className="numeric">
                {fulfilment.procedure[field] === undefined
                  ? ''
                  : formatCount(fulfilment.procedure[field])}
              </td>
            ))}
          </tr>
        }
      />
    </section>
  );
}
