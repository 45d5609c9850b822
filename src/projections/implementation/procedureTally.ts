/**
 * The single admission procedure's counts over several months (Art. 9): flows (registrations,
 * conclusions, ...) add up; stocks (cases still open past 7 or 10 months) are a month-end figure,
 * so the latest month that reported one gives it. A field no month reported stays absent: "not
 * reported" is not 0.
 */
import {
  PROCEDURE_FIELDS,
  PROCEDURE_STOCK_FIELDS,
  type ProcedureCounts,
  type ProcedureField,
} from '../../domain/implementation/implementationReport';

const STOCKS: ReadonlySet<ProcedureField> = new Set(PROCEDURE_STOCK_FIELDS);

export interface ProcedureTally {
  readonly values: Partial<Record<ProcedureField, number>>;
  /** For each stock, the month (`YYYY-MM`) its value was taken from. */
  readonly stockMonths: Partial<Record<ProcedureField, string>>;
  /** Months whose report gave procedure counts. */
  monthsReported: number;
}

export function newProcedureTally(): ProcedureTally {
  return { values: {}, stockMonths: {}, monthsReported: 0 };
}

/** Adds one month's counts; months may come in any order. */
export function addProcedure(
  tally: ProcedureTally,
  month: string,
  counts: ProcedureCounts | undefined,
): void {
  if (counts === undefined) return;
  tally.monthsReported += 1;
  for (const field of PROCEDURE_FIELDS) {
    const value = counts[field];
    if (value === undefined) continue;
    if (STOCKS.has(field)) {
      const from = tally.stockMonths[field];
      if (from !== undefined && from > month) continue;
      tally.values[field] = value;
      tally.stockMonths[field] = month;
    } else {
      tally.values[field] = (tally.values[field] ?? 0) + value;
    }
  }
}

/** The counts reported, in the fields' order; absent where no month reported the field. */
export function procedureCountsOf(tally: ProcedureTally): ProcedureCounts {
  const counts: Partial<Record<ProcedureField, number>> = {};
  for (const field of PROCEDURE_FIELDS) {
    const value = tally.values[field];
    if (value !== undefined) counts[field] = value;
  }
  return counts;
}

/** Several participants' counts together: each participant's stock is its own latest, so they add up. */
export function sumProcedureCounts(all: Iterable<ProcedureCounts>): ProcedureCounts {
  const counts: Partial<Record<ProcedureField, number>> = {};
  for (const one of all) {
    for (const field of PROCEDURE_FIELDS) {
      const value = one[field];
      if (value !== undefined) counts[field] = (counts[field] ?? 0) + value;
    }
  }
  return procedureCountsOf({ values: counts, stockMonths: {}, monthsReported: 0 });
}

/** Every field, 0 where not reported: for tables that need a number in each column. */
export function procedureCountsOrZero(counts: ProcedureCounts): Record<ProcedureField, number> {
  return Object.fromEntries(PROCEDURE_FIELDS.map((field) => [field, counts[field] ?? 0])) as Record<
    ProcedureField,
    number
  >;
}
