/**
 * The plan's figures in the Art. 8(3) structure: total, proportions by admission type, each Member
 * State's contribution, and where places come from. A line that names several countries or one of
 * the plan's regions is reported under that group, never split between countries by invention;
 * under the UNHCR bureaux such a group sits in its bureau, or in an "across several bureaux" row
 * when its countries span more than one.
 */
import { findHostCountry, type UnhcrRegionId } from '../../domain/reference';
import {
  hostOf,
  hostKey,
  zeroAdmissionTypeCounts,
  type AdmissionType,
  type AdmissionTypeCounts,
  type Contribution,
  type EmergencyBasis,
  type PledgeLine,
} from '../../domain/shared/pledgeLine';
import type { PlanRegion } from '../../domain/unionPlan/unionPlan';
import { ALL_PARTICIPANTS, type ReadScope } from '../readScope';
import { contributionsForView } from './contributions';
import type { ContributionView, PlanReadModelState } from './model';

/** Where a host country missing from the reference table is counted, so no place is dropped. */
export const UNKNOWN_REGION = 'unknown';
/** The bureau row for groups of countries that span more than one UNHCR bureau. */
export const ACROSS_SEVERAL_BUREAUX = 'across_several_bureaux';
export type RegionBucket = UnhcrRegionId | typeof UNKNOWN_REGION | typeof ACROSS_SEVERAL_BUREAUX;

export const UNSPECIFIED_YEAR = 'unspecified';

export interface MemberStateTotals {
  readonly memberState: string;
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
}

interface Figures {
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly byMemberState: Record<string, number>;
}

export interface CountryTotals extends Figures {
  readonly country: string;
  readonly name: string;
}

/** Lines naming several countries, or one of the plan's regions: one figure for the group. */
export interface HostGroupTotals extends Figures {
  /** `EG+KE` for several countries, `region:<id>` for a plan region. */
  readonly group: string;
  readonly kind: 'countries' | 'plan_region';
  readonly planRegion?: string;
  readonly name: string;
  readonly countries: readonly string[];
}

export interface RegionTotals {
  readonly region: RegionBucket;
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly countries: CountryTotals[];
  readonly groups: HostGroupTotals[];
}

export interface PlanRegionTotals extends Figures {
  readonly planRegion: string;
  readonly name: string;
  readonly countries: readonly string[];
}

export type NotRegionBoundTotals = Figures;

export interface TotalsFigures {
  readonly total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly emergencyByBasis: Record<EmergencyBasis, number>;
  /** Keyed by year; lines without a year under `unspecified`. */
  readonly byYear: Record<string, number>;
  readonly byMemberState: MemberStateTotals[];
  /** UNHCR bureaux with places, largest first. */
  readonly regions: RegionTotals[];
  /** The lines that name one of the plan's own regions, by region. */
  readonly planRegions: PlanRegionTotals[];
  /** Emergency places without a host (Art. 8(5) does not tie them to a region). */
  readonly notRegionBound: NotRegionBoundTotals;
}

export interface Totals extends TotalsFigures {
  readonly planId: string;
  readonly view: ContributionView;
  /** `all`, or the one participant whose figures these are. */
  readonly scope: ReadScope;
  /** Associated states' indications (Art. 12), outside every figure above. */
  readonly associatedStates: TotalsFigures;
}

interface Tally {
  total: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly byMemberState: Map<string, number>;
}

const newTally = (): Tally => ({
  total: 0,
  byAdmissionType: zeroAdmissionTypeCounts(),
  byMemberState: new Map(),
});

function add(tally: Tally, memberState: string, type: AdmissionType, persons: number): void {
  tally.total += persons;
  tally.byAdmissionType[type] += persons;
  tally.byMemberState.set(memberState, (tally.byMemberState.get(memberState) ?? 0) + persons);
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function figures(tally: Tally): Figures {
  return {
    total: tally.total,
    byAdmissionType: tally.byAdmissionType,
    byMemberState: sortedRecord(tally.byMemberState),
  };
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

/** The UNHCR bureau a host country reports under, or `unknown` when the table lacks it. */
export function bureauOfCountry(country: string): UnhcrRegionId | typeof UNKNOWN_REGION {
  return findHostCountry(country)?.unhcrRegion ?? UNKNOWN_REGION;
}

/** A host country's name, or its code when the table lacks it. */
export function hostCountryName(country: string): string {
  return findHostCountry(country)?.name ?? country;
}

/** The one bureau all the countries sit in, or the "across several bureaux" row. */
export function bureauOfGroup(countries: readonly string[]): RegionBucket {
  const bureaux = new Set(countries.map(bureauOfCountry));
  const [only] = bureaux;
  return bureaux.size === 1 && only !== undefined ? only : ACROSS_SEVERAL_BUREAUX;
}

/** A line's host when it is not one country: several countries, or one of the plan's regions. */
export interface HostGroup {
  readonly kind: 'countries' | 'plan_region';
  readonly planRegion?: string;
  readonly name: string;
  readonly countries: readonly string[];
}

/** The countries and label of a line's group (several countries, or a plan region). */
export function hostGroupOf(
  line: PledgeLine,
  regions: ReadonlyMap<string, PlanRegion>,
): HostGroup | undefined {
  const host = hostOf(line);
  switch (host.kind) {
    case 'countries':
      return {
        kind: 'countries',
        name: host.countries.map(hostCountryName).join(', '),
        countries: host.countries,
      };
    case 'plan_region': {
      const region = regions.get(host.region);
      return {
        kind: 'plan_region',
        planRegion: host.region,
        name: region?.name ?? host.region,
        countries: region?.countries ?? [],
      };
    }
    case 'country':
    case 'none':
      return undefined;
  }
}

/**
 * The UNHCR bureau row a line's host sits under (a group of countries in its one bureau, or across
 * several); undefined for a line without a host (emergency admission, Art. 8(5)).
 */
export function regionBucketOf(
  line: PledgeLine,
  regions: ReadonlyMap<string, PlanRegion>,
): RegionBucket | undefined {
  const host = hostOf(line);
  switch (host.kind) {
    case 'none':
      return undefined;
    case 'country':
      return bureauOfCountry(host.country);
    case 'countries':
    case 'plan_region':
      return bureauOfGroup(hostGroupOf(line, regions)?.countries ?? []);
  }
}

/** One pass over the lines; every breakdown sums to `total`. */
export function computeTotals(
  contributions: readonly Contribution[],
  planRegions: readonly PlanRegion[],
): TotalsFigures {
  const regionsById = new Map(planRegions.map((region) => [region.id, region]));
  const overall = newTally();
  const emergencyByBasis: Record<EmergencyBasis, number> = {
    resettlement: 0,
    humanitarian_admission: 0,
  };
  const byYear = new Map<string, number>();
  const byMemberState = new Map<string, Tally>();
  const countries = new Map<string, Tally>();
  const groups = new Map<string, { group: HostGroup; tally: Tally }>();
  const notRegionBound = newTally();

  for (const { memberState, lines } of contributions) {
    let memberStateTally = byMemberState.get(memberState);
    if (memberStateTally === undefined) {
      memberStateTally = newTally();
      byMemberState.set(memberState, memberStateTally);
    }
    for (const line of lines) {
      const { admissionType, persons } = line;
      add(overall, memberState, admissionType, persons);
      add(memberStateTally, memberState, admissionType, persons);
      if (admissionType === 'emergency_admission' && line.emergencyBasis !== undefined) {
        emergencyByBasis[line.emergencyBasis] += persons;
      }
      const year = line.year === undefined ? UNSPECIFIED_YEAR : String(line.year);
      byYear.set(year, (byYear.get(year) ?? 0) + persons);

      const host = hostOf(line);
      if (host.kind === 'none') {
        add(notRegionBound, memberState, admissionType, persons);
        continue;
      }
      if (host.kind === 'country') {
        let country = countries.get(host.country);
        if (country === undefined) {
          country = newTally();
          countries.set(host.country, country);
        }
        add(country, memberState, admissionType, persons);
        continue;
      }
      const key = hostKey(line);
      let group = groups.get(key);
      if (group === undefined) {
        const described = hostGroupOf(line, regionsById);
        if (described === undefined) continue;
        group = { group: described, tally: newTally() };
        groups.set(key, group);
      }
      add(group.tally, memberState, admissionType, persons);
    }
  }

  const regions = new Map<
    RegionBucket,
    { tally: Tally; countries: CountryTotals[]; groups: HostGroupTotals[] }
  >();
  const regionFor = (bucket: RegionBucket) => {
    let region = regions.get(bucket);
    if (region === undefined) {
      region = { tally: newTally(), countries: [], groups: [] };
      regions.set(bucket, region);
    }
    return region;
  };
  const addInto = (target: Tally, source: Tally) => {
    target.total += source.total;
    for (const type of Object.keys(source.byAdmissionType) as AdmissionType[]) {
      target.byAdmissionType[type] += source.byAdmissionType[type];
    }
  };
  for (const [code, tally] of countries) {
    const region = regionFor(bureauOfCountry(code));
    addInto(region.tally, tally);
    region.countries.push({
      country: code,
      name: hostCountryName(code),
      ...figures(tally),
    });
  }
  for (const [key, { group, tally }] of groups) {
    const region = regionFor(bureauOfGroup(group.countries));
    addInto(region.tally, tally);
    region.groups.push({
      group: key,
      kind: group.kind,
      ...(group.planRegion !== undefined && { planRegion: group.planRegion }),
      name: group.name,
      countries: group.countries,
      ...figures(tally),
    });
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
      .map(([region, { tally, countries: regionCountries, groups: regionGroups }]) => ({
        region,
        total: tally.total,
        byAdmissionType: tally.byAdmissionType,
        countries: regionCountries.sort(byTotalThenId((country) => country.country)),
        groups: regionGroups.sort(byTotalThenId((group) => group.group)),
      }))
      .sort(byTotalThenId((region) => region.region)),
    planRegions: [...groups.values()]
      .flatMap(({ group, tally }) =>
        group.kind === 'plan_region' && group.planRegion !== undefined
          ? [
              {
                planRegion: group.planRegion,
                name: group.name,
                countries: group.countries,
                ...figures(tally),
              },
            ]
          : [],
      )
      .sort(byTotalThenId((region) => region.planRegion)),
    notRegionBound: figures(notRegionBound),
  };
}

/** Undefined when the plan or the view (no proposal yet, not adopted yet) does not exist. */
export function getTotals(
  state: PlanReadModelState,
  planId: string,
  view: ContributionView,
  scope: ReadScope,
): Totals | undefined {
  const plan = state.plans.get(planId)?.plan;
  const viewed = contributionsForView(state, planId, view, scope);
  if (plan === undefined || viewed === undefined) return undefined;
  const { regions } = plan.state.plan;
  return {
    planId,
    view,
    // The adopted plan is a Council act: its figures are whole for every participant.
    scope: view === 'adopted' ? ALL_PARTICIPANTS : scope,
    ...computeTotals(viewed.contributions, regions),
    associatedStates: computeTotals(viewed.associatedStates, regions),
  };
}
