/**
 * Pledge lines as the editor holds them (strings for what people type, a host mode) and as the
 * API takes them, with the sums and the line-by-line comparison the screens show. Shared by the
 * ministry's pledge editor and, later, the Commission's adoption editor.
 */
import type { Schema } from '../../api/client';
import { ADMISSION_TYPES, ADMISSION_TYPE_LABELS, EMERGENCY_BASIS_LABELS } from '../../lib/labels';

export type PledgeLine = Schema<'PledgeLine'>;
export type AdmissionType = PledgeLine['admissionType'];
export type EmergencyBasis = NonNullable<PledgeLine['emergencyBasis']>;
export type AdmissionTypeCounts = Schema<'AdmissionTypeCounts'>;
export type HostCountry = Schema<'HostCountries'>['hostCountries'][number];
export type UnhcrRegion = Schema<'UnhcrRegions'>['regions'][number];
export type TargetGroup = Schema<'TargetGroups'>['targetGroups'][number];
export type PlanRegion = Schema<'PlanRegion'>;

export { ADMISSION_TYPES, ADMISSION_TYPE_LABELS, EMERGENCY_BASIS_LABELS };

/** Where a line's persons come from: one country, several, one of the plan's regions, or none. */
export type HostMode = 'country' | 'countries' | 'plan_region' | 'none';

export const HOST_MODE_LABELS: Readonly<Record<HostMode, string>> = {
  country: 'One country',
  countries: 'Several countries',
  plan_region: 'A plan region',
  none: 'No host (emergency admission)',
};

/** One line in the editor: what the person typed, before the server has judged it. */
export interface LineDraft {
  /** Stable identity of the row while lines are added and removed (never sent). */
  readonly key: string;
  readonly admissionType: AdmissionType;
  /** Empty until chosen; asked for emergency admission only. */
  readonly emergencyBasis: EmergencyBasis | '';
  readonly hostMode: HostMode;
  /** The chosen countries; "one country" uses the first. Kept across mode switches. */
  readonly hostCountries: readonly string[];
  readonly planRegion: string;
  readonly persons: string;
  /** A year of the plan period, or empty for none. */
  readonly year: string;
  readonly targetGroups: readonly string[];
  readonly note: string;
}

/** What the editor needs to offer choices: the reference lists and the plan's own terms. */
export interface LineReference {
  readonly hostCountries: readonly HostCountry[];
  readonly unhcrRegions: readonly UnhcrRegion[];
  readonly targetGroups: readonly TargetGroup[];
  readonly planRegions: readonly PlanRegion[];
  /** The calendar years of the plan period, first to last. */
  readonly years: readonly number[];
}

let nextKey = 0;

/** A fresh key for a new row; unique within this page. */
export function newLineKey(): string {
  nextKey += 1;
  return `line-${nextKey}`;
}

export function emptyLine(): LineDraft {
  return {
    key: newLineKey(),
    admissionType: 'resettlement',
    emergencyBasis: '',
    hostMode: 'country',
    hostCountries: [],
    planRegion: '',
    persons: '',
    year: '',
    targetGroups: [],
    note: '',
  };
}

/** A saved line, ready to edit. */
export function toDraft(line: PledgeLine): LineDraft {
  const hostMode: HostMode =
    line.hostCountry !== undefined
      ? 'country'
      : line.hostCountries !== undefined
        ? 'countries'
        : line.planRegion !== undefined
          ? 'plan_region'
          : line.admissionType === 'emergency_admission'
            ? 'none'
            : 'country';
  return {
    key: newLineKey(),
    admissionType: line.admissionType,
    emergencyBasis: line.emergencyBasis ?? '',
    hostMode,
    hostCountries:
      line.hostCountry !== undefined ? [line.hostCountry] : [...(line.hostCountries ?? [])],
    planRegion: line.planRegion ?? '',
    persons: String(line.persons),
    year: line.year === undefined ? '' : String(line.year),
    targetGroups: [...(line.targetGroups ?? [])],
    note: line.note ?? '',
  };
}

export function toDrafts(lines: readonly PledgeLine[]): LineDraft[] {
  return lines.map(toDraft);
}

/** The whole number typed, or undefined when it is not one. */
export function parsePersons(typed: string): number | undefined {
  const trimmed = typed.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * The line as the API takes it. Nothing is judged here: an empty or odd figure goes as 0 and an
 * unchosen host as none, so the server's answer names every problem at its field at once.
 */
export function toPledgeLine(draft: LineDraft): PledgeLine {
  const isEmergency = draft.admissionType === 'emergency_admission';
  const [firstCountry] = draft.hostCountries;
  const note = draft.note.trim();
  return {
    admissionType: draft.admissionType,
    ...(draft.hostMode === 'country' &&
      firstCountry !== undefined && { hostCountry: firstCountry }),
    ...(draft.hostMode === 'countries' &&
      draft.hostCountries.length > 0 && { hostCountries: [...draft.hostCountries] }),
    ...(draft.hostMode === 'plan_region' &&
      draft.planRegion !== '' && { planRegion: draft.planRegion }),
    persons: parsePersons(draft.persons) ?? 0,
    ...(draft.year !== '' && { year: Number(draft.year) }),
    ...(isEmergency && draft.emergencyBasis !== '' && { emergencyBasis: draft.emergencyBasis }),
    ...(draft.targetGroups.length > 0 && { targetGroups: [...draft.targetGroups] }),
    ...(note !== '' && { note }),
  };
}

export function toPledgeLines(drafts: readonly LineDraft[]): PledgeLine[] {
  return drafts.map(toPledgeLine);
}

export interface LineTotals {
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  /** Resettlement as a percentage of the total; null when there is nothing yet. */
  readonly resettlementSharePercent: number | null;
}

/** Persons by admission type; lines without a readable figure count as nothing. */
export function totalsOf(
  lines: readonly Pick<PledgeLine, 'admissionType' | 'persons'>[],
): LineTotals {
  const byAdmissionType: AdmissionTypeCounts = {
    resettlement: 0,
    humanitarian_admission: 0,
    emergency_admission: 0,
  };
  for (const line of lines) byAdmissionType[line.admissionType] += line.persons;
  return withShare(byAdmissionType);
}

export function withShare(byAdmissionType: AdmissionTypeCounts): LineTotals {
  const total =
    byAdmissionType.resettlement +
    byAdmissionType.humanitarian_admission +
    byAdmissionType.emergency_admission;
  return {
    total,
    byAdmissionType,
    resettlementSharePercent: total === 0 ? null : (byAdmissionType.resettlement / total) * 100,
  };
}

/** The live sums of what is being edited. */
export function draftTotals(drafts: readonly LineDraft[]): LineTotals {
  return totalsOf(
    drafts.map((draft) => ({
      admissionType: draft.admissionType,
      persons: parsePersons(draft.persons) ?? 0,
    })),
  );
}

/** The calendar years a plan period spans (`2026-01-01`..`2027-12-31` → 2026, 2027). */
export function periodYears(periodStart: string, periodEnd: string): number[] {
  const first = Number(periodStart.slice(0, 4));
  const last = Number(periodEnd.slice(0, 4));
  if (!Number.isInteger(first) || !Number.isInteger(last) || last < first) return [];
  return Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
}

// ---------------------------------------------------------------------------------------------
// Reading lines

/** `TR`, `EG+KE`, `region:central_med` or `-`: as the server compares hosts. */
export function hostKey(line: PledgeLine): string {
  if (line.hostCountry !== undefined) return line.hostCountry;
  if (line.hostCountries !== undefined) return [...line.hostCountries].sort().join('+');
  if (line.planRegion !== undefined) return `region:${line.planRegion}`;
  return '-';
}

/**
 * Two lines with the same key are the same line, as the server's history diff matches them:
 * admission type, host, year and emergency basis. Persons, target groups and note are its values.
 */
export function lineKey(line: PledgeLine): string {
  return [
    line.admissionType,
    hostKey(line),
    line.year === undefined ? '-' : String(line.year),
    line.emergencyBasis ?? '-',
  ].join('|');
}

export function countryName(code: string, reference: Pick<LineReference, 'hostCountries'>): string {
  return reference.hostCountries.find((country) => country.code === code)?.name ?? code;
}

/** The host in words: "Türkiye", "Egypt and Kenya", "Plan region Latin America", "No host". */
export function describeHost(
  line: PledgeLine,
  reference: Pick<LineReference, 'hostCountries' | 'planRegions'>,
): string {
  if (line.hostCountry !== undefined) return countryName(line.hostCountry, reference);
  if (line.hostCountries !== undefined) {
    const names = line.hostCountries.map((code) => countryName(code, reference));
    return names.length <= 1
      ? (names[0] ?? 'No host')
      : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
  }
  if (line.planRegion !== undefined) {
    const region = reference.planRegions.find((candidate) => candidate.id === line.planRegion);
    return `Plan region ${region?.name ?? line.planRegion}`;
  }
  return 'No host';
}

/** One line in words, without its persons: "Emergency admission (resettlement basis), Niger, 2026". */
export function describeLine(
  line: PledgeLine,
  reference: Pick<LineReference, 'hostCountries' | 'planRegions'>,
): string {
  const admission =
    line.admissionType === 'emergency_admission' && line.emergencyBasis !== undefined
      ? `${ADMISSION_TYPE_LABELS[line.admissionType]} (${EMERGENCY_BASIS_LABELS[
          line.emergencyBasis
        ].toLowerCase()} basis)`
      : ADMISSION_TYPE_LABELS[line.admissionType];
  return [
    admission,
    describeHost(line, reference),
    line.year === undefined ? 'any year' : String(line.year),
  ].join(', ');
}

export interface LineChange {
  readonly before: PledgeLine;
  readonly after: PledgeLine;
}

export interface LinesDiff {
  readonly added: readonly PledgeLine[];
  readonly removed: readonly PledgeLine[];
  readonly changed: readonly LineChange[];
}

/** What changed from `before` to `after`, lines matched by their key as the server does. */
export function diffLines(before: readonly PledgeLine[], after: readonly PledgeLine[]): LinesDiff {
  const beforeByKey = new Map(before.map((line) => [lineKey(line), line]));
  const afterByKey = new Map(after.map((line) => [lineKey(line), line]));
  const added = after.filter((line) => !beforeByKey.has(lineKey(line)));
  const removed = before.filter((line) => !afterByKey.has(lineKey(line)));
  const changed: LineChange[] = [];
  for (const line of after) {
    const previous = beforeByKey.get(lineKey(line));
    if (previous !== undefined && changedFields({ before: previous, after: line }).length > 0) {
      changed.push({ before: previous, after: line });
    }
  }
  return { added, removed, changed };
}

export function isEmptyDiff(diff: LinesDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

const listText = (values: readonly string[] | undefined) =>
  values === undefined || values.length === 0 ? 'none' : [...values].sort().join(', ');

/** The values of a matched line that differ, in words: persons 50 → 80, note … */
export function changedFields(
  change: LineChange,
  targetGroupName: (id: string) => string = (id) => id,
): FieldChange[] {
  const fields: FieldChange[] = [];
  const { before, after } = change;
  if (before.persons !== after.persons) {
    fields.push({ field: 'persons', before: String(before.persons), after: String(after.persons) });
  }
  const groupsBefore = listText(before.targetGroups?.map(targetGroupName));
  const groupsAfter = listText(after.targetGroups?.map(targetGroupName));
  if (groupsBefore !== groupsAfter) {
    fields.push({ field: 'target groups', before: groupsBefore, after: groupsAfter });
  }
  if ((before.note ?? '') !== (after.note ?? '')) {
    fields.push({ field: 'note', before: before.note ?? 'none', after: after.note ?? 'none' });
  }
  return fields;
}
