import { formatCount, formatPercent } from '../../lib/format';
import { ADMISSION_TYPE_LABELS, ADMISSION_TYPES, type LineTotals } from './lineModel';

/**
 * Persons by admission type and the resettlement share, side by side for what is being edited
 * and what the server holds, so a desk officer sees the effect of a change before sending it.
 */
export function LineTotalsTable({
  caption,
  columns,
}: {
  readonly caption: string;
  readonly columns: readonly { readonly label: string; readonly totals: LineTotals | undefined }[];
}) {
  const cell = (totals: LineTotals | undefined, value: (totals: LineTotals) => string) =>
    totals === undefined ? '—' : value(totals);
  return (
    <div className="data-table">
      <table className="line-totals">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Admission type</th>
            {columns.map((column) => (
              <th key={column.label} scope="col" className="numeric">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ADMISSION_TYPES.map((type) => (
            <tr key={type}>
              <th scope="row">{ADMISSION_TYPE_LABELS[type]}</th>
              {columns.map((column) => (
                <td key={column.label} className="numeric">
                  {cell(column.totals, (totals) => formatCount(totals.byAdmissionType[type]))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total persons</th>
            {columns.map((column) => (
              <td key={column.label} className="numeric">
                <strong>{cell(column.totals, (totals) => formatCount(totals.total))}</strong>
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">Resettlement share</th>
            {columns.map((column) => (
              <td key={column.label} className="numeric">
                {cell(column.totals, (totals) =>
                  totals.resettlementSharePercent === null
                    ? 'no places yet'
                    : formatPercent(totals.resettlementSharePercent),
                )}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
