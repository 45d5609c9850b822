/**
 * The plan's figures in the Art. 8(3) structure: total, proportions by admission type, each Member
 * State's contribution, and the regions and host countries places come from.
 */
import { findHostCountry, type UnhcrRegionId } from '../domain/reference';
import type { AdmissionType, Contribution, EmergencyBasis } from '../domain/shared/pledgeLine';
import {
  contributionsForView,
  zeroAdmissionTypeCounts,
  type AdmissionTypeCounts,
  type ContributionView,
  type PlanReadModelState,
} from './planReadModel';

/** Where a host country missing from the reference table is counted, so no place is dropped. */
export const UNKNOWN_REGION = 'unknown';
export type RegionBucket = UnhcrRegionId | typeof UNKNOWN_REGION;

export interface MemberStateTotals {
  readonly memberState: string;
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
}

export interface CountryTotals {
  readonly country: string;
  readonly name: string;
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly byMemberState: Record<string, number>;
}

export interface RegionTotals {
  readonly region: RegionBucket;
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly countries: CountryTotals[];
}

export interface NotRegionBoundTotals {
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly byMemberState: Record<string, number>;
}

export interface TotalsFigures {
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly emergencyByBasis: Record<EmergencyBasis, number>;
  /** Keyed by year; lines without a year under `unspecified`. */
  readonly byYear: Record<string, number>;
  readonly byMemberState: MemberStateTotals[];
  /** Only regions with places, largest first. */
  readonly regions: RegionTotals[];
  /** Emergency places without a host country (Art. 8(5) does not tie them to a region). */
  readonly notRegionBound: NotRegionBoundTotals;
}

export interface Totals extends TotalsFigures {
  readonly planId: string;
  readonly view: ContributionView;
}

export const UNSPECIFIED_YEAR = 'unspecified';

interface Tally {
  total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
}

interface CountryTally extends Tally {
  readonly name: string;
  readonly region: RegionBucket;
  readonly byMemberState: Map<string, number>;
}

interface RegionTally extends Tally {
  readonly countries: Map<string, CountryTally>;
}

const newTally = (): Tally => ({ total: 0, byAdmissionType: zeroAdmissionTypeCounts() });

function add(tally: Tally, type: AdmissionType, persons: number): void {
  tally.total += persons;
  tally.byAdmissionType[type] += persons;
}

function addTo(map: Map<string, number>, key: string, persons: number): void {
  map.set(key, (map.get(key) ?? 0) + persons);
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function byTotalThenId<T extends { total: number }>(id: (item: T) => string) {
  return (a: T, b: T): number => {
    if (a.total !== b.total) return b.total - a.total;
    const idA = id(a);
    const idB = id(b);
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
}

function yearOrder(a: string, b: string): number {
  if (a === UNSPECIFIED_YEAR) return b === UNSPECIFIED_YEAR ? 0 : 1;
  if (b === UNSPECIFIED_YEAR) return -1;
  return Number(a) - Number(b);
}

/** One pass over the lines; every breakdown sums to `total`. */
export function computeTotals(contributions: readonly Contribution[]): TotalsFigures {
  const overall = newTally();
  const emergencyByBasis: Record<EmergencyBasis, number> = {
    resettlement: 0,
    humanitarian_admission: 0,
  };
  const byYear = new Map<string, number>();
  const byMemberState = new Map<string, Tally>();
  const countries = new Map<string, CountryTally>();
  const notRegionBound = newTally();
  const notRegionBoundByMemberState = new Map<string, number>();

  for (const { memberState, lines } of contributions) {
    let memberStateTally = byMemberState.get(memberState);
    if (memberStateTally === undefined) {
      memberStateTally = newTally();
      byMemberState.set(memberState, memberStateTally);
    }
    for (const line of lines) {
      const { admissionType, persons, hostCountry } = line;
      add(overall, admissionType, persons);
      add(memberStateTally, admissionType, persons);
      if (admissionType === 'emergency_admission' && line.emergencyBasis !== undefined) {
        emergencyByBasis[line.emergencyBasis] += persons;
      }
      addTo(byYear, line.year === undefined ? UNSPECIFIED_YEAR : String(line.year), persons);

      // A non-emergency line without a host country is invalid; it is counted here rather than lost.
      if (hostCountry === undefined) {
        add(notRegionBound, admissionType, persons);
        addTo(notRegionBoundByMemberState, memberState, persons);
        continue;
      }
      let country = countries.get(hostCountry);
      if (country === undefined) {
        const known = findHostCountry(hostCountry);
        country = {
          ...newTally(),
          name: known?.name ?? hostCountry,
          region: known?.unhcrRegion ?? UNKNOWN_REGION,
          byMemberState: new Map(),
        };
        countries.set(hostCountry, country);
      }
      add(country, admissionType, persons);
      addTo(country.byMemberState, memberState, persons);
    }
  }

  const regions = new Map<RegionBucket, RegionTally>();
  for (const [code, country] of countries) {
    let region = regions.get(country.region);
    if (region === undefined) {
      region = { ...newTally(), countries: new Map() };
      regions.set(country.region, region);
    }
    region.total += country.total;
    for (const type of Object.keys(country.byAdmissionType) as AdmissionType[]) {
      region.byAdmissionType[type] += country.byAdmissionType[type];
    }
    region.countries.set(code, country);
  }

  return {
    total: overall.total,
    byAdmissionType: overall.byAdmissionType,
    emergencyByBasis,
    byYear: Object.fromEntries([...byYear].sort(([a], [b]) => yearOrder(a, b))),
    byMemberState: [...byMemberState]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([memberState, tally]) => ({
        memberState,
        total: tally.total,
        byAdmissionType: tally.byAdmissionType,
      })),
    regions: [...regions]
      .map(([region, tally]) => ({
        region,
        total: tally.total,
        byAdmissionType: tally.byAdmissionType,
        countries: [...tally.countries]
          .map(([country, countryTally]) => ({
            country,
            name: countryTally.name,
            total: countryTally.total,
            byAdmissionType: countryTally.byAdmissionType,
            byMemberState: sortedRecord(countryTally.byMemberState),
          }))
          .sort(byTotalThenId((country) => country.country)),
      }))
      .sort(byTotalThenId((region) => region.region)),
    notRegionBound: {
      total: notRegionBound.total,
      byAdmissionType: notRegionBound.byAdmissionType,
      byMemberState: sortedRecord(notRegionBoundByMemberState),
    },
  };
}

/** Undefined when the plan or the view (no proposal yet, not adopted yet) does not exist. */
export function getTotals(
  state: PlanReadModelState,
  planId: string,
  view: ContributionView,
): Totals | undefined {
  const contributions = contributionsForView(state, planId, view);
  if (contributions === undefined) return undefined;
  return { planId, view, ...computeTotals(contributions) };
}
