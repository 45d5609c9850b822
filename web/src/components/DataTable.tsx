import { useId, type ReactNode } from 'react';
import { csvDocument, csvFileName, type CsvCell } from '../lib/csv';
import { downloadText } from '../lib/download';
import { formatCount } from '../lib/format';

export interface DataTableColumn<Row> {
  /** Stable React key of the column. */
  readonly key: string;
  /** The header, as read out and written to the CSV. */
  readonly header: string;
  /** The value, for the CSV and (unless `cell` is given) the screen. */
  readonly value: (row: Row) => CsvCell;
  /** What the screen shows when it is more than the value (a link, a badge). */
  readonly cell?: (row: Row) => ReactNode;
  /** Right-aligned, tabular figures; numbers are grouped (`1,234`) on screen, plain in the CSV. */
  readonly numeric?: boolean;
  /** This column names the row: its cells are `<th scope="row">`. */
  readonly rowHeader?: boolean;
}

function screenValue(value: CsvCell, numeric: boolean | undefined): ReactNode {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && numeric) return formatCount(value);
  return String(value);
}

/**
 * A real table with a caption and scoped headers, and a "Download CSV" button that exports exactly
 * the rows shown (no button without `csvFileName`). Wide tables scroll inside their own box.
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  csvFileName: fileName,
  emptyMessage = 'Nothing to show.',
  footer,
}: {
  readonly caption: ReactNode;
  readonly columns: readonly DataTableColumn<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row, index: number) => string;
  readonly csvFileName?: string;
  readonly emptyMessage?: string;
  /** Rows for a `<tfoot>` (totals); not exported, since they are derived from the rows. */
  readonly footer?: ReactNode;
}) {
  const captionId = useId();
  const exportCsv = () => {
    if (fileName === undefined) return;
    const records = [
      columns.map((column) => column.header),
      ...rows.map((row) => columns.map((column) => column.value(row))),
    ];
    downloadText(csvFileName(fileName), csvDocument(records), 'text/csv;charset=utf-8');
  };
  return (
    <div className="data-table">
      {/* Focusable so a keyboard can scroll a table wider than the screen. */}
      <div className="data-table__scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
        <table>
          <caption id={captionId}>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.key} scope="col" className={column.numeric ? 'numeric' : undefined}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="data-table__empty">
                  {emptyMessage}
                </td>
              </tr>
            ) : (
              rows.map((row, index) => (
                <tr key={rowKey(row, index)}>
                  {columns.map((column) => {
                    const content = column.cell
                      ? column.cell(row)
                      : screenValue(column.value(row), column.numeric);
                    const className = column.numeric ? 'numeric' : undefined;
                    return column.rowHeader ? (
                      <th key={column.key} scope="row" className={className}>
                        {content}
                      </th>
                    ) : (
                      <td key={column.key} className={className}>
                        {content}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
          {footer !== undefined && <tfoot>{footer}</tfoot>}
        </table>
      </div>
      {fileName !== undefined && (
        <p className="data-table__actions no-print">
          <button type="button" className="button button--secondary" onClick={exportCsv}>
            Download CSV<span className="visually-hidden"> of {csvFileName(fileName)}</span>
          </button>
        </p>
      )}
    </div>
  );
}
