/**
 * How figures and dates read on every screen, so three screens never show the same number three
 * ways. British English conventions, as the Commission's English documents use.
 *
 * Written out rather than through `Intl`: the first `Intl` formatter a page makes loads the
 * browser's locale data, tens of milliseconds of a first load, for a handful of fixed patterns.
 * `test/web/format.unit.test.ts` checks every function against the `Intl` formatter it replaces
 * (`en-GB`, UTC), so the two never read differently.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** `en-GB`'s abbreviations (CLDR): four letters for September. */
const SHORT_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sept',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** Groups of three digits: `1234567` → `1,234,567` (the digits of a non-negative integer). */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * `value` rounded half away from zero to at most `fractionDigits` decimals, grouped, with no
 * trailing zeros: `Intl.NumberFormat('en-GB', { maximumFractionDigits })`. Like `Intl`, it rounds
 * the shortest decimal that reads back as the number (`0.15` → `0.2`), not the double's exact
 * binary value (which `toFixed` would round down); numbers `String` writes with an exponent are
 * rare enough here to hand to `Intl`.
 */
function formatNumber(value: number, fractionDigits: number): string {
  const shortest = String(Math.abs(value));
  if (!/^\d+(\.\d+)?$/.test(shortest))
    return new Intl.NumberFormat('en-GB', { maximumFractionDigits: fractionDigits }).format(value);
  const [whole = '0', fraction = ''] = shortest.split('.');
  let digits = whole + fraction.slice(0, fractionDigits).padEnd(fractionDigits, '0');
  if ((fraction[fractionDigits] ?? '0') >= '5') digits = (BigInt(digits) + 1n).toString();
  digits = digits.padStart(fractionDigits + 1, '0');
  const roundedWhole = digits.slice(0, digits.length - fractionDigits);
  const roundedFraction = digits.slice(digits.length - fractionDigits).replace(/0+$/, '');
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  return `${sign}${groupThousands(roundedWhole)}${roundedFraction === '' ? '' : `.${roundedFraction}`}`;
}

/** `12345` → `12,345`. */
export function formatCount(value: number): string {
  return formatNumber(value, 3);
}

/** A count between two versions: `40 → 60`, or `60 (unchanged)`. */
export function formatCountChange(before: number, after: number): string {
  return before === after
    ? `${formatCount(after)} (unchanged)`
    : `${formatCount(before)} → ${formatCount(after)}`;
}

/** `42.25` → `42.3%` (the value is already a percentage). */
export function formatPercent(value: number): string {
  return `${formatNumber(value, 1)}%`;
}

/** `12.345` → `12.3`: a figure with at most one decimal, grouped like a count. */
export function formatOneDecimal(value: number): string {
  return formatNumber(value, 1);
}

/** The year as `Intl` writes it in `en-GB`: years before 1 and past 9999 are rare enough to hand over. */
function yearOf(date: Date): string | undefined {
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999 ? String(year) : undefined;
}

/** `2026-11-30` or an instant → `30 November 2026` (the calendar day in UTC). */
export function formatDate(isoDateOrInstant: string): string {
  const date = new Date(isoDateOrInstant);
  if (Number.isNaN(date.getTime())) return isoDateOrInstant;
  const year = yearOf(date);
  if (year === undefined)
    return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${year}`;
}

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** An instant → `30 Nov 2026, 10:05 UTC`: the log records UTC, so the screen says UTC. */
export function formatDateTime(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const year = yearOf(date);
  if (year === undefined) {
    const format = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    return `${format.format(date)} UTC`;
  }
  const month = SHORT_MONTHS[date.getUTCMonth()];
  const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}`;
  return `${date.getUTCDate()} ${month} ${year}, ${time} UTC`;
}

/**
 * An instant to the second → `30 November 2026, 10:00:05 UTC`: the moment a past view shows, in
 * full. Written out like the rest, so it reads the same in every browser (ICU versions differ on
 * the joining word of `Intl`'s long date and time).
 */
export function formatInstantLong(instant: Date): string {
  if (Number.isNaN(instant.getTime())) return String(instant);
  const time = [instant.getUTCHours(), instant.getUTCMinutes(), instant.getUTCSeconds()]
    .map(twoDigits)
    .join(':');
  return `${formatDate(instant.toISOString())}, ${time} UTC`;
}

/** A report month `2026-03` → `March 2026`. */
export function formatMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (!/^\d{4}-\d{2}$/.test(month) || Number.isNaN(date.getTime())) return month;
  const year = yearOf(date);
  if (year === undefined)
    return new Intl.DateTimeFormat('en-GB', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(date);
  return `${MONTHS[date.getUTCMonth()]} ${year}`;
}

/** Euros as the EU's style guide writes them, whole as the AMIF lump sums are: `EUR 80,000`. */
export function formatEuros(value: number): string {
  return `EUR ${formatCount(value)}`;
}
