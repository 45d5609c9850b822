/** Formatting for the benchmark output: one table, right-aligned figures, thousands separators. */

export interface ResultRow {
  /** Short id, e.g. `1`, `3b`. */
  readonly id: string;
  readonly what: string;
  readonly unit: string;
  readonly tracker: number;
  /** Undefined for a row without a baseline (a diagnostic figure). */
  readonly baseline: number | undefined;
  readonly notes: string;
  /** Fraction digits for tracker and baseline. Default 0. */
  readonly digits?: number;
}

/** tracker / baseline, or undefined when there is no baseline to compare with. */
export function ratioOf(row: Pick<ResultRow, 'tracker' | 'baseline'>): number | undefined {
  return row.baseline === undefined || row.baseline === 0 ? undefined : row.tracker / row.baseline;
}

export function formatNumber(value: number, fractionDigits = 0): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  });
}

export function formatMegabytes(bytes: number): string {
  return `${formatNumber(bytes / (1024 * 1024), 1)} MiB`;
}

export function formatMs(ms: number): string {
  return `${formatNumber(ms, ms < 10 ? 2 : 1)} ms`;
}

/** Renders rows as a fixed-width text table with a header and a rule under it. */
export function renderTable(rows: readonly ResultRow[]): string {
  const header = ['#', 'measure', 'unit', 'tracker', 'baseline', 'ratio', 'notes'];
  const body = rows.map((row) => {
    const ratio = ratioOf(row);
    return [
      row.id,
      row.what,
      row.unit,
      formatNumber(row.tracker, row.digits),
      row.baseline === undefined ? '-' : formatNumber(row.baseline, row.digits),
      ratio === undefined ? '-' : formatNumber(ratio, 2),
      row.notes,
    ];
  });
  const rightAligned = new Set([3, 4, 5]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return rightAligned.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** Nearest-rank percentile of an unsorted sample (p in 0..100). */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** A progress line on stderr, so stdout holds only the report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
