/**
 * A pledge line: one admission type, from one host country (optional for emergency admission, which
 * Art. 8(5) does not tie to the plan's regions), a number of persons, optionally a year.
 * Pledges (Member State indications) and plan contributions (proposal, adoption, amendment) are
 * both lists of such lines.
 */
export const ADMISSION_TYPES = [
  'resettlement',
  'humanitarian_admission',
  'emergency_admission',
] as const;
export type AdmissionType = (typeof ADMISSION_TYPES)[number];

/** An emergency place is resettlement or humanitarian admission underneath (Art. 2). */
export const EMERGENCY_BASES = ['resettlement', 'humanitarian_admission'] as const;
export type EmergencyBasis = (typeof EMERGENCY_BASES)[number];

export interface PledgeLine {
  readonly admissionType: AdmissionType;
  /** ISO 3166-1 alpha-2, upper case; required unless `admissionType` is `emergency_admission`. */
  readonly hostCountry?: string;
  /** Positive whole number. */
  readonly persons: number;
  /** A calendar year inside the plan period (e.g. 2026 or 2027). */
  readonly year?: number;
  /** Required for, and only for, emergency admission. */
  readonly emergencyBasis?: EmergencyBasis;
  /** Art. 5(3) target group ids. */
  readonly targetGroups?: readonly string[];
  readonly note?: string;
}

/** One Member State's (or associated state's) share of the plan. */
export interface Contribution {
  readonly memberState: string;
  readonly lines: readonly PledgeLine[];
}

/**
 * Two lines with the same key are the same line: a pledge may not hold both, and history diffs
 * match lines by this key (persons, target groups and note are the line's values).
 */
export function lineKey(line: PledgeLine): string {
  return [
    line.admissionType,
    line.hostCountry ?? '-',
    line.year === undefined ? '-' : String(line.year),
    line.emergencyBasis ?? '-',
  ].join('|');
}

export function totalPersons(lines: readonly PledgeLine[]): number {
  return lines.reduce((sum, line) => sum + line.persons, 0);
}
