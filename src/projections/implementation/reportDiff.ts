/**
 * What one version of a monthly report changed against the version before it: the admissions
 * lines added, removed and changed (matched by the pledge line's own key: type, host, year,
 * basis), with the persons, Art. 19(3) group and family-member counts before and after, and the
 * procedure counts that changed (Art. 9).
 */
import { lineKey, totalPersons } from '../../domain/shared/pledgeLine';
import {
  PROCEDURE_FIELDS,
  type AdmissionLine,
  type ProcedureCounts,
  type ProcedureField,
} from '../../domain/implementation/implementationReport';

export interface CountChange {
  readonly before: number;
  readonly after: number;
  readonly delta: number;
}

export interface AdmissionLineChange {
  /** `lineKey`: the line's identity across versions. */
  readonly key: string;
  readonly before: AdmissionLine;
  readonly after: AdmissionLine;
  readonly persons: CountChange;
  readonly vulnerablePersons: CountChange;
  readonly familyMembers: CountChange;
}

export interface ProcedureChange {
  readonly field: ProcedureField;
  /** Null: not reported in that version. */
  readonly before: number | null;
  readonly after: number | null;
}

export interface ReportDiff {
  readonly added: AdmissionLine[];
  readonly removed: AdmissionLine[];
  readonly changed: AdmissionLineChange[];
  readonly admittedBefore: number;
  readonly admittedAfter: number;
  readonly admittedDelta: number;
  /** The procedure counts that changed, given or withdrawn, in `PROCEDURE_FIELDS` order. */
  readonly procedure: ProcedureChange[];
}

/** A report's content at one version; the empty report before the first. */
export interface ReportContent {
  readonly admissions: readonly AdmissionLine[];
  readonly procedure: ProcedureCounts;
}

export const NO_REPORT: ReportContent = Object.freeze({
  admissions: Object.freeze([]),
  procedure: Object.freeze({}),
});

const countChange = (before: number, after: number): CountChange => ({
  before,
  after,
  delta: after - before,
});

/** JSON with object keys sorted and target groups as a set: two equal lines read the same. */
function canonicalLine(line: AdmissionLine): string {
  const { targetGroups, ...rest } = line;
  return JSON.stringify(
    { ...rest, ...(targetGroups !== undefined && { targetGroups: [...targetGroups].sort() }) },
    (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
              a < b ? -1 : a > b ? 1 : 0,
            ),
          )
        : value,
  );
}

export function diffReport(before: ReportContent, after: ReportContent): ReportDiff {
  const unmatched = new Map<string, AdmissionLine>();
  for (const line of before.admissions) unmatched.set(lineKey(line), line);
  const added: AdmissionLine[] = [];
  const changed: AdmissionLineChange[] = [];
  for (const line of after.admissions) {
    const key = lineKey(line);
    const previous = unmatched.get(key);
    if (previous === undefined) {
      added.push(line);
      continue;
    }
    unmatched.delete(key);
    if (canonicalLine(previous) === canonicalLine(line)) continue;
    changed.push({
      key,
      before: previous,
      after: line,
      persons: countChange(previous.persons, line.persons),
      vulnerablePersons: countChange(previous.vulnerablePersons ?? 0, line.vulnerablePersons ?? 0),
      familyMembers: countChange(previous.familyMembers ?? 0, line.familyMembers ?? 0),
    });
  }
  const procedure: ProcedureChange[] = [];
  for (const field of PROCEDURE_FIELDS) {
    const was = before.procedure[field] ?? null;
    const now = after.procedure[field] ?? null;
    if (was !== now) procedure.push({ field, before: was, after: now });
  }
  const admittedBefore = totalPersons(before.admissions);
  const admittedAfter = totalPersons(after.admissions);
  return {
    added,
    removed: [...unmatched.values()],
    changed,
    admittedBefore,
    admittedAfter,
    admittedDelta: admittedAfter - admittedBefore,
    procedure,
  };
}
