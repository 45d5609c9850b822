/** AMIF lump sums per person admitted under the Union Plan. */
import type { EmergencyBasis, PledgeLine } from '../shared/pledgeLine';
import { findTargetGroup } from './targetGroups';

// Source: Reg. (EU) 2021/1147 (AMIF) Art. 19, as amended by Art. 14 of Reg. (EU) 2024/1350.
export const AMIF_LUMP_SUM_EUR = {
  resettlement: 10_000,
  humanitarian_admission: 6_000,
  humanitarian_admission_vulnerable: 8_000,
} as const;

// Source: AMIF Art. 19 as amended: the vulnerable uplift applies to humanitarian admission only.
const LUMP_SUM_BY_BASIS: Readonly<
  Record<EmergencyBasis, { readonly standard: number; readonly vulnerable: number }>
> = {
  resettlement: {
    standard: AMIF_LUMP_SUM_EUR.resettlement,
    vulnerable: AMIF_LUMP_SUM_EUR.resettlement,
  },
  humanitarian_admission: {
    standard: AMIF_LUMP_SUM_EUR.humanitarian_admission,
    vulnerable: AMIF_LUMP_SUM_EUR.humanitarian_admission_vulnerable,
  },
};

/**
 * The admission an emergency place rests on (Art. 2). A line without a basis is invalid and
 * rejected by the deciders; here it falls back to humanitarian admission, the lower amount, so
 * a fold over recorded data never throws and never overstates funding.
 */
function fundingBasis(line: PledgeLine): EmergencyBasis {
  return line.admissionType === 'emergency_admission'
    ? (line.emergencyBasis ?? 'humanitarian_admission')
    : line.admissionType;
}

function targetsVulnerableGroup(line: PledgeLine): boolean {
  return (line.targetGroups ?? []).some((id) => findTargetGroup(id)?.amifVulnerable === true);
}

export function lumpSumPerPerson(line: PledgeLine): number {
  const amounts = LUMP_SUM_BY_BASIS[fundingBasis(line)];
  return targetsVulnerableGroup(line) ? amounts.vulnerable : amounts.standard;
}

export function lumpSumForLine(line: PledgeLine): number {
  return lumpSumPerPerson(line) * line.persons;
}
