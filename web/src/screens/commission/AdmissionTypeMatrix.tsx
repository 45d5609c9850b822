import type { Schema } from '../../api/client';
import { DataTable, type DataTableColumn } from '../../components/DataTable';
import { formatCount, formatPercent } from '../../lib/format';
import { ADMISSION_TYPE_LABELS, ADMISSION_TYPES, type AdmissionTypeCounts } from './labels';

type MemberStateTotals = Schema<'MemberStateTotals'>;

/** Column sums of the rows: the figures the footer shows, derived here and never trusted. */
export function columnTotals(rows: readonly MemberStateTotals[]): AdmissionTypeCounts & {
  total: number;
} {
  const sums = { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0, total: 0 };
  for (const row of rows) {
    for (const type of ADMISSION_TYPES) sums[type] += row.byAdmissionType[type];
    sums.total += row.total;
  }
  return sums;
}

/**
 * The Art. 8(3) structure: each participant's contribution by admission type, with row totals,
 * column totals and each type's share of the total.
 */
export function AdmissionTypeMatrix({
  caption,
  rows,
  csvFileName,
  nameOf = (code) => code,
  participantHeader = 'Member State',
}: {
  readonly caption: string;
  readonly rows: readonly MemberStateTotals[];
  readonly csvFileName?: string;
  readonly nameOf?: (code: string) => string;
  readonly participantHeader?: string;
}) {
  const totals = columnTotals(rows);
  const columns: DataTableColumn<MemberStateTotals>[] = [
    {
      key: 'memberState',
      header: participantHeader,
      rowHeader: true,
      value: (row) => row.memberState,
      cell: (row) => {
        const name = nameOf(row.memberState);
        return name === row.memberState ? row.memberState : `${name} (${row.memberState})`;
      },
    },
    ...ADMISSION_TYPES.map((type): DataTableColumn<MemberStateTotals> => ({
      key: type,
      header: ADMISSION_TYPE_LABELS[type],
      numeric: true,
      value: (row) => row.byAdmissionType[type],
    })),
    { key: 'total', header: 'Total', numeric: true, value: (row) => row.total },
  ];
  const share = (count: number) =>
    totals.total === 0 ? '–' : formatPercent((count / totals.total) * 100);
  return (
    <DataTable<MemberStateTotals>
      caption={caption}
      columns={columns}
      rows={rows}
      rowKey={(row) => row.memberState}
      csvFileName={csvFileName}
      emptyMessage="No contribution."
      footer={
        rows.length > 0 ? (
          <>
            <tr>
              <th scope="row">Total</th>
              {ADMISSION_TYPES.map((type) => (
                <td key={type} className="numeric">
                  {formatCount(totals[type])}
                </td>
              ))}
              <td className="numeric">{formatCount(totals.total)}</td>
            </tr>
            <tr>
              <th scope="row">Share of the total</th>
              {ADMISSION_TYPES.map((type) => (
                <td key={type} className="numeric">
                  {share(totals[type])}
                </td>
              ))}
              <td className="numeric">{share(totals.total)}</td>
            </tr>
          </>
        ) : undefined
      }
    />
  );
}
