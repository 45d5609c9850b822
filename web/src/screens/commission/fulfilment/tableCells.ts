import type { DataTableColumn } from '../../../components/DataTable';
import { formatCount, formatMonth, formatPercent } from '../../../lib/format';
import type { Progress } from './fulfilmentApi';
import type { Names } from './useNames';

export const dash = '–';
export const percentOrDash = (value: number | null) =>
  value === null ? dash : formatPercent(value);
export const countOrDash = (value: number | null) => (value === null ? dash : formatCount(value));
export const signed = (value: number) =>
  value > 0 ? `+${formatCount(value)}` : formatCount(value);

/** The columns every progress table shares: adopted, admitted, percent, remaining. */
export function progressColumns<Row extends Progress>(): DataTableColumn<Row>[] {
  return [
    { key: 'adopted', header: 'Adopted', numeric: true, value: (row) => row.adopted },
    { key: 'admitted', header: 'Admitted', numeric: true, value: (row) => row.admitted },
    {
      key: 'percent',
      header: 'Admitted (%)',
      numeric: true,
      value: (row) => row.percent,
      cell: (row) => percentOrDash(row.percent),
    },
    { key: 'remaining', header: 'Remaining', numeric: true, value: (row) => row.remaining },
  ];
}

/** The row header naming the participant of a row: `Germany (DE)`, the code in the CSV. */
export function participantColumn<Row extends { readonly memberState: string }>(
  names: Names,
  key = 'ms',
  header = 'Member State',
): DataTableColumn<Row> {
  return {
    key,
    header,
    rowHeader: true,
    value: (row) => row.memberState,
    cell: (row) => names.participant(row.memberState),
  };
}

/** The month of a participant's latest report, or `None`. */
export function lastReportColumn<
  Row extends { readonly lastReportedMonth: string | null },
>(): DataTableColumn<Row> {
  return {
    key: 'last',
    header: 'Last report',
    value: (row) => row.lastReportedMonth,
    cell: (row) => (row.lastReportedMonth === null ? 'None' : formatMonth(row.lastReportedMonth)),
  };
}
