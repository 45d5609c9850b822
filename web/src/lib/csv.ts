/** One CSV field before quoting: numbers stay numbers, nothing is an empty field. */
export type CsvCell = string | number | boolean | null | undefined;

/** The UTF-8 byte order mark: without it Excel reads UTF-8 as the local code page. */
export const UTF8_BOM = '\uFEFF';

/**
 * A spreadsheet runs a text field starting like a formula; such text gets a leading apostrophe
 * (shown by no spreadsheet) so a country name or a comment can never become a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field per RFC 4180: quoted when it holds a comma, a quote or a line break. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records joined by CRLF, as RFC 4180 says; a header row is just the first record. */
export function toCsv(records: readonly (readonly CsvCell[])[]): string {
  return records.map((record) => record.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A whole file for download: BOM, then the records. */
export function csvDocument(records: readonly (readonly CsvCell[])[]): string {
  return UTF8_BOM + toCsv(records);
}

/** A file name safe on every system: `Annex II — 2026.csv` → `annex-ii-2026.csv`. */
export function csvFileName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\.csv$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'table'}.csv`;
}
