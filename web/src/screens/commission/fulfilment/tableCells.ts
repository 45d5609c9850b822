import type { DataTableColumn } from '../../../components/DataTable';
import { formatCount, formatPercent } from '../../../lib/format';
import type { Progress } from './fulfilmentApi';

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
