/**
 * The calendar months of a plan period as reports name them (`YYYY-MM`), and where each stands at
 * a reference instant: reports are made for months of the period that have begun; a month that
 * has ended without one is missing.
 */

/** `2026-01-01`..`2027-12-31` → `2026-01` … `2027-12`. */
export function periodMonths(periodStart: string, periodEnd: string): string[] {
  const months: string[] = [];
  let year = Number(periodStart.slice(0, 4));
  let month = Number(periodStart.slice(5, 7));
  const last = periodEnd.slice(0, 7);
  if (!Number.isInteger(year) || !Number.isInteger(month)) return months;
  // Two calendar years make 24 months; the bound only guards against a malformed period.
  for (let guard = 0; guard < 1200; guard += 1) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
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

/** The instant a month begins, in UTC as the server counts it. */
export function monthStart(month: string): number {
  return Date.parse(`${month}-01T00:00:00Z`);
}

/** The instant the month after it begins. */
export function monthEnd(month: string): number {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  return Date.UTC(index === 12 ? year + 1 : year, index === 12 ? 0 : index, 1);
}

export type MonthTiming = 'not_begun' | 'in_progress' | 'ended';

export function monthTiming(month: string, reference: number): MonthTiming {
  if (reference < monthStart(month)) return 'not_begun';
  return reference < monthEnd(month) ? 'in_progress' : 'ended';
}

/** The months of the period begun at `reference`, newest first. */
export function monthsBegun(
  plan: { readonly periodStart: string; readonly periodEnd: string },
  reference: number,
): string[] {
  return periodMonths(plan.periodStart, plan.periodEnd)
    .filter((month) => monthTiming(month, reference) !== 'not_begun')
    .reverse();
}

/** Whether `month` is written `YYYY-MM` and lies in the plan period. */
export function isPeriodMonth(
  month: string,
  plan: { readonly periodStart: string; readonly periodEnd: string },
): boolean {
  return (
    /^\d{4}-(0[1-9]|1[0-2])$/.test(month) &&
    month >= plan.periodStart.slice(0, 7) &&
    month <= plan.periodEnd.slice(0, 7)
  );
}
