/** UNHCR's seven regional bureaux, the grouping reports use for host countries. */

// Source: UNHCR regional bureaux (Global Appeal / Global Report regional chapters).
export const UNHCR_REGION_IDS = [
  'europe',
  'middle_east_north_africa',
  'asia_pacific',
  'east_horn_great_lakes',
  'southern_africa',
  'west_central_africa',
  'americas',
] as const;

export type UnhcrRegionId = (typeof UNHCR_REGION_IDS)[number];

export interface UnhcrRegion {
  readonly id: UnhcrRegionId;
  readonly name: string;
}

// Source: UNHCR regional bureaux, names as in DOMAIN.md "Host countries and UNHCR regions".
export const UNHCR_REGIONS: readonly UnhcrRegion[] = [
  { id: 'europe', name: 'Europe' },
  { id: 'middle_east_north_africa', name: 'Middle East and North Africa' },
  { id: 'asia_pacific', name: 'Asia and the Pacific' },
  { id: 'east_horn_great_lakes', name: 'East and Horn of Africa, and the Great Lakes' },
  { id: 'southern_africa', name: 'Southern Africa' },
  { id: 'west_central_africa', name: 'West and Central Africa' },
  { id: 'americas', name: 'The Americas' },
] as const satisfies readonly UnhcrRegion[];

const REGION_ID_SET: ReadonlySet<string> = new Set<string>(UNHCR_REGION_IDS);

export function isUnhcrRegionId(value: string): value is UnhcrRegionId {
  return REGION_ID_SET.has(value);
}
