/**
 * How figures and dates read on every screen, so three screens never show the same number three
 * ways. British English conventions, as the Commission's English documents use.
 */
const countFormat = new Intl.NumberFormat('en-GB');
const percentFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** `12345` → `12,345`. */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** A count between two versions: `40 → 60`, or `60 (unchanged)`. */
export function formatCountChange(before: number, after: number): string {
  return before === after
    ? `${formatCount(after)} (unchanged)`
    : `${formatCount(before)} → ${formatCount(after)}`;
}

/** `42.25` → `42.3%` (the value is already a percentage). */
export function formatPercent(value: number): string {
  return `${percentFormat.format(value)}%`;
}

/** `2026-11-30` or an instant → `30 November 2026` (the calendar day in UTC). */
export function formatDate(isoDateOrInstant: string): string {
  const date = new Date(isoDateOrInstant);
  return Number.isNaN(date.getTime()) ? isoDateOrInstant : dateFormat.format(date);
}

/** An instant → `30 Nov 2026, 10:05 UTC`: the log records UTC, so the screen says UTC. */
export function formatDateTime(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : `${dateTimeFormat.format(date)} UTC`;
}

const monthFormat = new Intl.DateTimeFormat('en-GB', {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A report month `2026-03` → `March 2026`. */
export function formatMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return /^\d{4}-\d{2}$/.test(month) && !Number.isNaN(date.getTime())
    ? monthFormat.format(date)
    : month;
}

/** Euros as the EU's style guide writes them, whole as the AMIF lump sums are: `EUR 80,000`. */
export function formatEuros(value: number): string {
  return `EUR ${countFormat.format(value)}`;
}
