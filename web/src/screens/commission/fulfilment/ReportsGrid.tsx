import { AsOfLink } from '../../../asOf';
import { DataTable, type DataTableColumn } from '../../../components/DataTable';
import { formatCount, formatMonth } from '../../../lib/format';
import {
  formatShortMonth,
  REPORT_CELL_LABELS,
  type ReportCell,
  type ReportGridRow,
} from './fulfilmentModel';
import type { Names } from './useNames';

/** A cell in words for the CSV: `Reported: 120`, `Recorded on behalf: 40`, `Missing`. */
function cellText(cell: ReportCell | undefined): string {
  if (cell === undefined) return '';
  const label = REPORT_CELL_LABELS[cell.status];
  return cell.admitted === undefined ? label : `${label}: ${cell.admitted}`;
}

/**
 * Participant × month: each report links to its read-only view and history; a month ended
 * without a report reads "Missing". Words say the state, never colour alone.
 */
export function ReportsGrid({
  caption,
  rows,
  months,
  reportPath,
  names,
  csvFileName,
  participantHeader = 'Member State',
}: {
  readonly caption: string;
  readonly rows: readonly ReportGridRow[];
  readonly months: readonly string[];
  /** The path of a report's page, e.g. `/commission/plans/2026-2027/reports/DE/2026-03`. */
  readonly reportPath: (memberState: string, month: string) => string;
  readonly names: Names;
  readonly csvFileName: string;
  readonly participantHeader?: string;
}) {
  const columns: DataTableColumn<ReportGridRow>[] = [
    {
      key: 'memberState',
      header: participantHeader,
      rowHeader: true,
      value: (row) => row.memberState,
      cell: (row) => names.participant(row.memberState),
    },
    // The counts first: they stay in view when a long period scrolls sideways.
    { key: 'reported', header: 'Months reported', numeric: true, value: (row) => row.reported },
    { key: 'missing', header: 'Months missing', numeric: true, value: (row) => row.missing },
    ...months.map((month, index): DataTableColumn<ReportGridRow> => ({
      key: month,
      header: formatShortMonth(month),
      value: (row) => cellText(row.cells[index]),
      cell: (row) => {
        const cell = row.cells[index];
        if (cell === undefined) return null;
        const when = `${row.memberState}, ${formatMonth(month)}`;
        switch (cell.status) {
          case 'reported':
          case 'on_behalf':
            return (
              <span className="report-cell">
                <AsOfLink to={reportPath(row.memberState, month)}>
                  {formatCount(cell.admitted ?? 0)}
                  <span className="visually-hidden"> persons admitted, report of {when}</span>
                </AsOfLink>
                {cell.status === 'on_behalf' && (
                  <span className="report-cell__note">on behalf</span>
                )}
              </span>
            );
          case 'missing':
            return (
              <span className="report-cell report-cell--missing">
                Missing<span className="visually-hidden">: no report for {when}</span>
              </span>
            );
          case 'not_due':
            return (
              <span className="report-cell report-cell--not-due">
                <span aria-hidden="true">–</span>
                <span className="visually-hidden">Not due</span>
              </span>
            );
        }
      },
    })),
  ];
  return (
    <DataTable<ReportGridRow>
      caption={caption}
      rows={rows}
      rowKey={(row) => row.memberState}
      columns={columns}
      csvFileName={csvFileName}
      emptyMessage="No participant has a contribution or a report."
    />
  );
}
