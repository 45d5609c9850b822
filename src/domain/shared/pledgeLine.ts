/**
 * A pledge line: one admission type, from where (one host country, several, or one of the plan's
 * own regions; none for emergency admission, which Art. 8(5) does not tie to the plan's regions),
 * a number of persons, optionally a year. Pledges (indications) and plan contributions (proposal,
 * adoption, amendment) are both lists of such lines. The zod schemas here are the only definition
 * of these shapes: the events, the domain's types and the API's request bodies derive from them.
 */
import { z } from 'zod';

export const ADMISSION_TYPES = [
  'resettlement',
  'humanitarian_admission',
  'emergency_admission',
] as const;
export type AdmissionType = (typeof ADMISSION_TYPES)[number];

/** An emergency place is resettlement or humanitarian admission underneath (Art. 2). */
export const EMERGENCY_BASES = ['resettlement', 'humanitarian_admission'] as const;
export type EmergencyBasis = (typeof EMERGENCY_BASES)[number];

export const MAX_HOST_COUNTRIES_PER_LINE = 60;

export const countryCodeSchema = z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code');

/** The id of one of the plan's own regions (Art. 8(3)(c)), e.g. `central_mediterranean`. */
export const planRegionIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'a region id: lower-case letters, digits, _ or -');

const HOST_FIELDS = ['hostCountry', 'hostCountries', 'planRegion'] as const;

/**
 * The fields of a pledge line, shared with the lines that report admissions against it
 * (`../implementation`): one definition of type, host, basis and target groups.
 */
export const pledgeLineShape = {
  admissionType: z.enum(ADMISSION_TYPES),
  /** ISO 3166-1 alpha-2; stored upper case. */
  hostCountry: countryCodeSchema.optional(),
  /** Several host countries for one figure ("from Egypt and/or Kenya"); stored sorted, unique. */
  hostCountries: z.array(countryCodeSchema).min(1).max(MAX_HOST_COUNTRIES_PER_LINE).optional(),
  /** The id of one of the plan's regions. */
  planRegion: planRegionIdSchema.optional(),
  /** Positive whole number. */
  persons: z.number().int().positive(),
  /** A calendar year inside the plan period. */
  year: z.number().int().optional(),
  /** Required for, and only for, emergency admission. */
  emergencyBasis: z.enum(EMERGENCY_BASES).optional(),
  /** Art. 5(3) target group ids. */
  targetGroups: z.array(z.string().max(60)).max(20).optional(),
  note: z.string().max(1000).optional(),
};

/** At most one of `hostCountry`, `hostCountries` or `planRegion` (zod and JSON Schema alike). */
export function withOneHost<
  T extends z.ZodType<Partial<Record<(typeof HOST_FIELDS)[number], unknown>>>,
>(schema: T) {
  return (
    schema
      .refine((line) => HOST_FIELDS.filter((field) => line[field] !== undefined).length <= 1, {
        message: 'name at most one of hostCountry, hostCountries or planRegion',
        path: ['hostCountry'],
      })
      // The refinement in JSON Schema, for the validators compiled from this schema.
      .meta({
        not: {
          anyOf: [
            { required: ['hostCountry', 'hostCountries'] },
            { required: ['hostCountry', 'planRegion'] },
            { required: ['hostCountries', 'planRegion'] },
          ],
        },
      })
  );
}

export const pledgeLineSchema = withOneHost(z.strictObject(pledgeLineShape)).readonly();

export type PledgeLine = z.output<typeof pledgeLineSchema>;

export const MAX_LINES = 500;

export const linesSchema = z.array(pledgeLineSchema).max(MAX_LINES).readonly();

/** One participant's share of the plan: a Member State's, or an associated state's indication. */
export const contributionSchema = z
  .strictObject({ memberState: countryCodeSchema, lines: linesSchema })
  .readonly();
export type Contribution = z.output<typeof contributionSchema>;

export const contributionsSchema = z.array(contributionSchema).max(40).readonly();

/** Where a line's persons come from, as one value. */
export type LineHost =
  | { readonly kind: 'country'; readonly country: string }
  | { readonly kind: 'countries'; readonly countries: readonly string[] }
  | { readonly kind: 'plan_region'; readonly region: string }
  | { readonly kind: 'none' };

export function hostOf(line: PledgeLine): LineHost {
  if (line.hostCountry !== undefined) return { kind: 'country', country: line.hostCountry };
  if (line.hostCountries !== undefined) return { kind: 'countries', countries: line.hostCountries };
  if (line.planRegion !== undefined) return { kind: 'plan_region', region: line.planRegion };
  return { kind: 'none' };
}

/** `TR`, `EG+KE`, `region:central_med` or `-`: the line's host as one comparable string. */
export function hostKey(line: PledgeLine): string {
  const host = hostOf(line);
  switch (host.kind) {
    case 'country':
      return host.country;
    case 'countries':
      return host.countries.join('+');
    case 'plan_region':
      return `region:${host.region}`;
    case 'none':
      return '-';
  }
}

/**
 * Two lines with the same key are the same line: a pledge may not hold both, and history diffs
 * match lines by this key (persons, target groups and note are the line's values).
 */
export function lineKey(line: PledgeLine): string {
  return [
    line.admissionType,
    hostKey(line),
    line.year === undefined ? '-' : String(line.year),
    line.emergencyBasis ?? '-',
  ].join('|');
}

function sameCodes(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((code, index) => code === b[index]);
}

/** `lineKey(a) === lineKey(b)`, without building the keys: for hot loops over long histories. */
export function sameLineIdentity(a: PledgeLine, b: PledgeLine): boolean {
  return (
    a.admissionType === b.admissionType &&
    a.hostCountry === b.hostCountry &&
    a.planRegion === b.planRegion &&
    sameCodes(a.hostCountries, b.hostCountries) &&
    a.year === b.year &&
    a.emergencyBasis === b.emergencyBasis
  );
}

export function totalPersons(lines: readonly PledgeLine[]): number {
  let total = 0;
  for (const line of lines) total += line.persons;
  return total;
}

export function contributionsTotal(contributions: readonly Contribution[]): number {
  let total = 0;
  for (const contribution of contributions) total += totalPersons(contribution.lines);
  return total;
}

/** The order contributions and pledges are kept and shown in: by participant code. */
export function compareByMemberState(
  a: { readonly memberState: string },
  b: { readonly memberState: string },
): number {
  return a.memberState < b.memberState ? -1 : a.memberState > b.memberState ? 1 : 0;
}

export type AdmissionTypeCounts = Record<AdmissionType, number>;

export function zeroAdmissionTypeCounts(): AdmissionTypeCounts {
  return { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0 };
}

export function countByAdmissionType(lines: readonly PledgeLine[]): AdmissionTypeCounts {
  const counts = zeroAdmissionTypeCounts();
  for (const line of lines) counts[line.admissionType] += line.persons;
  return counts;
}

/** Persons per participant across a set of contributions. */
export function totalsByMemberState(contributions: readonly Contribution[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { memberState, lines } of contributions) {
    totals.set(memberState, (totals.get(memberState) ?? 0) + totalPersons(lines));
  }
  return totals;
}

export interface ContributionChange {
  readonly memberState: string;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
}

/** Per participant, persons before and after, for the participants named (sorted, unique). */
export function contributionChanges(
  before: readonly Contribution[],
  after: readonly Contribution[],
  memberStates: Iterable<string> = [
    ...before.map((contribution) => contribution.memberState),
    ...after.map((contribution) => contribution.memberState),
  ],
): ContributionChange[] {
  const beforeTotals = totalsByMemberState(before);
  const afterTotals = totalsByMemberState(after);
  return [...new Set(memberStates)].sort().map((memberState) => {
    const beforePersons = beforeTotals.get(memberState) ?? 0;
    const afterPersons = afterTotals.get(memberState) ?? 0;
    return {
      memberState,
      before: beforePersons,
      after: afterPersons,
      delta: afterPersons - beforePersons,
    };
  });
}

/** Same lines, in any order: compared by every field. */
export function sameLines(a: readonly PledgeLine[], b: readonly PledgeLine[]): boolean {
  if (a.length !== b.length) return false;
  const canonical = (lines: readonly PledgeLine[]) =>
    lines.map((line) => JSON.stringify(line, Object.keys(line).sort())).sort();
  const left = canonical(a);
  const right = canonical(b);
  return left.every((value, index) => value === right[index]);
}

/**
 * Same figures: the same lines by admission type, host, year, basis and persons, in any order.
 * Notes and target groups are left out on purpose: a pledge whose figures match the adopted
 * contribution needs no amendment.
 */
export function sameFigures(a: readonly PledgeLine[], b: readonly PledgeLine[]): boolean {
  if (a.length !== b.length) return false;
  const counts = new Map<string, number>();
  for (const line of a) {
    const key = `${lineKey(line)}#${line.persons}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const line of b) {
    const key = `${lineKey(line)}#${line.persons}`;
    const count = counts.get(key);
    if (count === undefined || count === 0) return false;
    counts.set(key, count - 1);
  }
  return true;
}

/** Persons by admission type that `after` holds above `before`, for the types where it does. */
export function raisedAdmissionTypes(
  before: readonly PledgeLine[],
  after: readonly PledgeLine[],
): { admissionType: AdmissionType; before: number; after: number }[] {
  const was = countByAdmissionType(before);
  const now = countByAdmissionType(after);
  return ADMISSION_TYPES.filter((type) => now[type] > was[type]).map((admissionType) => ({
    admissionType,
    before: was[admissionType],
    after: now[admissionType],
  }));
}
