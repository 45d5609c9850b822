import { totalPersons, type Contribution } from '../domain/shared/pledgeLine';

/** Persons per Member State across a set of contributions. */
export function totalsByMemberState(contributions: readonly Contribution[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { memberState, lines } of contributions) {
    totals.set(memberState, (totals.get(memberState) ?? 0) + totalPersons(lines));
  }
  return totals;
}

export function sumValues(map: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const value of map.values()) sum += value;
  return sum;
}
