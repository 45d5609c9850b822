/** AMIF lump sums per person admitted under the Union Plan: forecasts until persons are admitted. */
import type { EmergencyBasis, PledgeLine } from '../shared/pledgeLine';
import { findTargetGroup } from './targetGroups';

// Source: Reg. (EU) 2021/1147 (AMIF) Art. 19(2)-(3), as amended by Art. 14 of Reg. (EU) 2024/1350.
export const AMIF_LUMP_SUM_EUR = {
  resettlement: 10_000,
  humanitarian_admission: 6_000,
  /** Per humanitarian-admission person who belongs to one of the Art. 19(3) groups. */
  humanitarian_admission_vulnerable: 8_000,
} as const;

// Art. 19(3): the higher rate applies to humanitarian admission only.
const LUMP_SUM_BY_BASIS: Readonly<
  Record<EmergencyBasis, { readonly standard: number; readonly group: number }>
> = {
  resettlement: {
    standard: AMIF_LUMP_SUM_EUR.resettlement,
    group: AMIF_LUMP_SUM_EUR.resettlement,
  },
  humanitarian_admission: {
    standard: AMIF_LUMP_SUM_EUR.humanitarian_admission,
    group: AMIF_LUMP_SUM_EUR.humanitarian_admission_vulnerable,
  },
};

/** The admission an emergency place rests on (Art. 2); every stored emergency line states it. */
export function fundingBasis(
  line: Pick<PledgeLine, 'admissionType' | 'emergencyBasis'>,
): EmergencyBasis {
  return line.admissionType === 'emergency_admission'
    ? (line.emergencyBasis ?? 'humanitarian_admission')
    : line.admissionType;
}

/** The line says its persons include at least one Art. 19(3) group. */
export function namesArticle19Group(line: PledgeLine): boolean {
  return (line.targetGroups ?? []).some((id) => findTargetGroup(id)?.amifVulnerable === true);
}

/** A range in euros: nothing known about how many persons belong to a group gives both ends. */
export interface EuroRange {
  readonly minEur: number;
  readonly maxEur: number;
}

/**
 * A line only says its persons include an Art. 19(3) group, not how many: the forecast runs from
 * every person at the base rate to every person at the group rate (family members, Art. 19(5),
 * count like the person they join). Payable only after actual admission (Art. 19(7)).
 */
export function lumpSumRangeForLine(line: PledgeLine): EuroRange {
  const rates = LUMP_SUM_BY_BASIS[fundingBasis(line)];
  return {
    minEur: rates.standard * line.persons,
    maxEur: (namesArticle19Group(line) ? rates.group : rates.standard) * line.persons,
  };
}

export function lumpSumRange(lines: readonly PledgeLine[]): EuroRange {
  let minEur = 0;
  let maxEur = 0;
  for (const line of lines) {
    const range = lumpSumRangeForLine(line);
    minEur += range.minEur;
    maxEur += range.maxEur;
  }
  return { minEur, maxEur };
}

/** What a reported admission line needs for its lump sum: the pledge line's type and basis, and its counts. */
export interface AdmittedLineCounts extends Pick<PledgeLine, 'admissionType' | 'emergencyBasis'> {
  readonly persons: number;
  /** Of `persons`, those in the Art. 19(3) groups. */
  readonly vulnerablePersons?: number | undefined;
  /** Of `persons`, the family members of such persons (Art. 19(5)). */
  readonly familyMembers?: number | undefined;
}

/** The lump sums one reported line of admissions earns. */
export interface EarnedLumpSum {
  /** Resettlement or humanitarian admission: the line's type, or an emergency line's basis. */
  readonly basis: EmergencyBasis;
  readonly persons: number;
  /**
   * Of `persons`, those paid at the Art. 19(3) rate (humanitarian basis only; 0 on a resettlement
   * basis, where every person earns the resettlement rate).
   */
  readonly atGroupRate: number;
  readonly eur: number;
}

/**
 * Exact, once admissions are reported with their counts (AMIF Art. 19(2)-(3), (5)): on a
 * resettlement basis every person earns the resettlement rate; on a humanitarian basis the persons
 * in the Art. 19(3) groups and their family members earn the group rate, the rest the standard
 * rate. The two counts are reported apart and each is at most the line's persons; together they
 * are capped at the persons, so no person is paid twice (Art. 19(7): once per person).
 */
export function earnedForAdmissionLine(line: AdmittedLineCounts): EarnedLumpSum {
  const basis = fundingBasis(line);
  const rates = LUMP_SUM_BY_BASIS[basis];
  const { persons } = line;
  const inGroups = Math.min(persons, (line.vulnerablePersons ?? 0) + (line.familyMembers ?? 0));
  const atGroupRate = rates.group === rates.standard ? 0 : inGroups;
  return {
    basis,
    persons,
    atGroupRate,
    eur: rates.group * atGroupRate + rates.standard * (persons - atGroupRate),
  };
}
