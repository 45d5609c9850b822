/**
 * A monthly report's change in words: lines added, removed and changed (persons, the Art. 19(3)
 * and Art. 19(5) counts, the breakdowns, target groups, note) and the procedure counts that moved.
 * The history's diffs come from the server; the conflict view compares what is being edited with
 * the same rule (lines matched by the pledge line's key: type, host, year, basis).
 */
import type { AdmissionLine, ProcedureCounts } from '../../../api/implementation';
import { describeHost, lineKey, type LineReference } from '../../../components/lines';
import { formatCount } from '../../../lib/format';
import {
  ADMISSION_TYPE_LABELS,
  EMERGENCY_BASIS_LABELS,
  PROCEDURE_COUNT_FIELDS,
  PROCEDURE_COUNT_LABELS,
  type ProcedureCountField,
} from '../../../lib/labels';
import { AGE_BAND_FIELDS, AGE_BAND_LABELS, SEX_FIELDS, SEX_LABELS } from './reportModel';

export interface AdmissionsDiff {
  readonly added: readonly AdmissionLine[];
  readonly removed: readonly AdmissionLine[];
  readonly changed: readonly { readonly before: AdmissionLine; readonly after: AdmissionLine }[];
  readonly procedure?: readonly {
    readonly field: ProcedureCountField;
    readonly before: number | null;
    readonly after: number | null;
  }[];
}

type Reference = Pick<LineReference, 'hostCountries' | 'planRegions' | 'targetGroups'>;

/** "Emergency admission (resettlement basis), Niger": a report line's year is its month's. */
export function describeAdmissionLine(line: AdmissionLine, reference: Reference): string {
  const admission =
    line.admissionType === 'emergency_admission' && line.emergencyBasis !== undefined
      ? `${ADMISSION_TYPE_LABELS[line.admissionType]} (${EMERGENCY_BASIS_LABELS[
          line.emergencyBasis
        ].toLowerCase()} basis)`
      : ADMISSION_TYPE_LABELS[line.admissionType];
  return `${admission}, ${describeHost(line, reference)}`;
}

/** "12 persons, of whom 5 in the Art. 19(3) groups and 2 family members". */
export function admittedText(line: AdmissionLine): string {
  const ofWhom = [
    line.vulnerablePersons !== undefined &&
      `${formatCount(line.vulnerablePersons)} in the Art. 19(3) groups`,
    line.familyMembers !== undefined && `${formatCount(line.familyMembers)} family members`,
  ].filter((part): part is string => typeof part === 'string');
  return `${formatCount(line.persons)} persons${
    ofWhom.length === 0 ? '' : `, of whom ${ofWhom.join(' and ')}`
  }`;
}

/** A count in words: "1,250", or "not given". */
export const countText = (value: number | null | undefined) =>
  value === null || value === undefined ? 'not given' : formatCount(value);

function breakdownText<Field extends string>(
  fields: readonly Field[],
  labels: Readonly<Record<Field, string>>,
  values: Readonly<Record<Field, number>> | undefined,
): string {
  return values === undefined
    ? 'not given'
    : fields.map((field) => `${labels[field]} ${formatCount(values[field])}`).join(', ');
}

/** The values of a matched line that differ, in words: "persons 40 → 45", "note … → …". */
export function lineChanges(
  before: AdmissionLine,
  after: AdmissionLine,
  reference: Reference,
): string[] {
  const changes: string[] = [];
  const push = (what: string, was: string, now: string) => {
    if (was !== now) changes.push(`${what} ${was} → ${now}`);
  };
  push('persons', formatCount(before.persons), formatCount(after.persons));
  push(
    'in the Art. 19(3) groups',
    countText(before.vulnerablePersons),
    countText(after.vulnerablePersons),
  );
  push('family members', countText(before.familyMembers), countText(after.familyMembers));
  push(
    'by sex',
    breakdownText(SEX_FIELDS, SEX_LABELS, before.bySex),
    breakdownText(SEX_FIELDS, SEX_LABELS, after.bySex),
  );
  push(
    'by age',
    breakdownText(AGE_BAND_FIELDS, AGE_BAND_LABELS, before.byAgeBand),
    breakdownText(AGE_BAND_FIELDS, AGE_BAND_LABELS, after.byAgeBand),
  );
  const groups = (line: AdmissionLine) =>
    line.targetGroups === undefined || line.targetGroups.length === 0
      ? 'none'
      : line.targetGroups
          .map((id) => reference.targetGroups.find((group) => group.id === id)?.name ?? id)
          .sort()
          .join(', ');
  push('target groups', groups(before), groups(after));
  push('note', before.note ?? 'none', after.note ?? 'none');
  return changes;
}

/**
 * Every value of a line in words, for choosing between two versions of it: "12 persons, of whom 5
 * in the Art. 19(3) groups; by sex: female 7, male 5, non-binary 0; note: via Ankara".
 */
export function admissionValuesText(line: AdmissionLine, reference: Reference): string {
  const groups = (line.targetGroups ?? []).map(
    (id) => reference.targetGroups.find((group) => group.id === id)?.name ?? id,
  );
  return [
    admittedText(line),
    ...(line.bySex === undefined
      ? []
      : [`by sex: ${breakdownText(SEX_FIELDS, SEX_LABELS, line.bySex)}`]),
    ...(line.byAgeBand === undefined
      ? []
      : [`by age: ${breakdownText(AGE_BAND_FIELDS, AGE_BAND_LABELS, line.byAgeBand)}`]),
    ...(groups.length > 0 ? [`target groups: ${groups.join(', ')}`] : []),
    ...(line.note !== undefined && line.note !== '' ? [`note: ${line.note}`] : []),
  ].join('; ');
}

/** "Positive conclusions on admission (Art. 9): 10 → 12". */
export function procedureChangeText(change: NonNullable<AdmissionsDiff['procedure']>[number]) {
  return `${PROCEDURE_COUNT_LABELS[change.field]}: ${countText(change.before)} → ${countText(
    change.after,
  )}`;
}

/** The same change as lines of text (a CSV cell joins them with "; "). */
export function admissionsDiffLines(diff: AdmissionsDiff, reference: Reference): string[] {
  return [
    ...diff.added.map(
      (line) => `Added: ${describeAdmissionLine(line, reference)}: ${admittedText(line)}`,
    ),
    ...diff.removed.map(
      (line) => `Removed: ${describeAdmissionLine(line, reference)}: ${admittedText(line)}`,
    ),
    ...diff.changed.map(
      ({ before, after }) =>
        `Changed: ${describeAdmissionLine(after, reference)}: ${lineChanges(
          before,
          after,
          reference,
        ).join('; ')}`,
    ),
    ...(diff.procedure ?? []).map((change) => `Procedure: ${procedureChangeText(change)}`),
  ];
}

/** JSON with sorted keys and target groups as a set: two equal lines read the same. */
function canonical(line: AdmissionLine): string {
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

/**
 * The same line with the same values: what the server's history diff counts as unchanged. An empty
 * list of target groups or an empty note is no value, as the form sends it.
 */
export function sameAdmission(a: AdmissionLine, b: AdmissionLine): boolean {
  const normal = ({ targetGroups, note, ...rest }: AdmissionLine): AdmissionLine => ({
    ...rest,
    ...(targetGroups !== undefined && targetGroups.length > 0 && { targetGroups }),
    ...(note !== undefined && note !== '' && { note }),
  });
  return canonical(normal(a)) === canonical(normal(b));
}

/** What changed from `before` to `after`, as the server's history diff computes it. */
export function diffAdmissions(
  before: {
    readonly admissions: readonly AdmissionLine[];
    readonly procedure?: ProcedureCounts | undefined;
  },
  after: {
    readonly admissions: readonly AdmissionLine[];
    readonly procedure?: ProcedureCounts | undefined;
  },
): AdmissionsDiff {
  const unmatched = new Map(before.admissions.map((line) => [lineKey(line), line]));
  const added: AdmissionLine[] = [];
  const changed: { before: AdmissionLine; after: AdmissionLine }[] = [];
  for (const line of after.admissions) {
    const previous = unmatched.get(lineKey(line));
    if (previous === undefined) {
      added.push(line);
      continue;
    }
    unmatched.delete(lineKey(line));
    if (canonical(previous) !== canonical(line)) changed.push({ before: previous, after: line });
  }
  const procedure = PROCEDURE_COUNT_FIELDS.flatMap((field) => {
    const was = before.procedure?.[field] ?? null;
    const now = after.procedure?.[field] ?? null;
    return was === now ? [] : [{ field, before: was, after: now }];
  });
  return { added, removed: [...unmatched.values()], changed, procedure };
}
