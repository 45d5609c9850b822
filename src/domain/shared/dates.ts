const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (so 2027-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

/** An ISO 8601 instant with an offset; its date part must be a real calendar date. */
export function isIsoInstant(value: string): boolean {
  // Date.parse rolls 2027-02-30T00:00Z over to 2 March instead of refusing it.
  return (
    ISO_INSTANT.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value))
  );
}

/**
 * The last instant a date or instant still covers: a deadline given as a date runs to the end of
 * that day (UTC), so pledging "until 2025-10-31" accepts a pledge made late on the 31st.
 */
export function endOfDeadline(deadline: string): number {
  return isIsoDate(deadline) ? Date.parse(`${deadline}T23:59:59.999Z`) : Date.parse(deadline);
}

export function yearOf(isoDate: string): number {
  return Number(isoDate.slice(0, 4));
}

/** `2026-03` for a date or instant in March 2026 (UTC). */
export function monthOf(isoDateOrInstant: string): string {
  return isoDateOrInstant.slice(0, 7);
}

/** Epoch ms of the first instant of a `YYYY-MM` month (UTC). */
export function startOfMonth(month: string): number {
  return Date.parse(`${month}-01T00:00:00.000Z`);
}

/** Every `YYYY-MM` month from the one holding `firstDate` to the one holding `lastDate`, in order. */
export function monthsBetween(firstDate: string, lastDate: string): string[] {
  const months: string[] = [];
  let year = Number(firstDate.slice(0, 4));
  let month = Number(firstDate.slice(5, 7));
  const last = monthOf(lastDate);
  for (let guard = 0; guard < 1200; guard++) {
    const current = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    if (current > last) break;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
