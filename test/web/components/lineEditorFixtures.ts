/** Reference data, a plan and pledges for the line editor's and the conflict view's tests. */
import type { components } from '../../../web/src/api/generated/schema';
import type { LineReference } from '../../../web/src/components/lines';

type Schemas = components['schemas'];

export const HOST_COUNTRIES: Schemas['HostCountries'] = {
  hostCountries: [
    { code: 'TR', name: 'Türkiye', unhcrRegion: 'europe' },
    { code: 'EG', name: 'Egypt', unhcrRegion: 'middle_east_north_africa' },
    { code: 'LB', name: 'Lebanon', unhcrRegion: 'middle_east_north_africa' },
    { code: 'KE', name: 'Kenya', unhcrRegion: 'east_horn_great_lakes' },
    { code: 'NE', name: 'Niger', unhcrRegion: 'west_central_africa' },
  ],
};

export const UNHCR_REGIONS: Schemas['UnhcrRegions'] = {
  regions: [
    { id: 'europe', name: 'Europe' },
    { id: 'middle_east_north_africa', name: 'Middle East and North Africa' },
    { id: 'east_horn_great_lakes', name: 'East and Horn of Africa, and the Great Lakes' },
    { id: 'west_central_africa', name: 'West and Central Africa' },
  ],
};

export const TARGET_GROUPS: Schemas['TargetGroups'] = {
  targetGroups: [
    {
      id: 'women_and_girls_at_risk',
      name: 'Women and girls at risk',
      amifVulnerable: true,
      humanitarianAdmissionOnly: false,
    },
    { id: 'children', name: 'Children', amifVulnerable: true, humanitarianAdmissionOnly: false },
    {
      id: 'family_members',
      name: 'Family members',
      amifVulnerable: false,
      humanitarianAdmissionOnly: true,
    },
  ],
};

export const PLAN_REGIONS: Schemas['PlanRegion'][] = [
  { id: 'central_med', name: 'Central Mediterranean route', countries: ['LY', 'TN', 'NE'] },
];

export const REFERENCE: LineReference = {
  hostCountries: HOST_COUNTRIES.hostCountries,
  unhcrRegions: UNHCR_REGIONS.regions,
  targetGroups: TARGET_GROUPS.targetGroups,
  planRegions: PLAN_REGIONS,
  years: [2026, 2027],
};

export const PLAN: Schemas['Plan'] = {
  planId: 'p1',
  status: 'pledging_open',
  periodStart: '2026-01-01',
  periodEnd: '2027-12-31',
  resettlementFloorPercent: 60,
  priorityCountries: ['TR'],
  priorityRegions: [],
  regions: PLAN_REGIONS,
  amendments: [],
  version: 2,
  position: 2,
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-02T09:00:00.000Z',
  asOfPosition: 10,
};

type PledgeLine = Schemas['PledgeLine'];

export function pledgeWith(version: number, lines: PledgeLine[]): Schemas['Pledge'] {
  const byAdmissionType = { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0 };
  for (const line of lines) byAdmissionType[line.admissionType] += line.persons;
  return {
    planId: 'p1',
    memberState: 'DE',
    participantKind: 'member_state',
    status: 'active',
    version,
    lines,
    total: lines.reduce((sum, line) => sum + line.persons, 0),
    byAdmissionType,
    planStatusAtLastChange: 'pledging_open',
    afterAdoption: false,
    pendingAmendment: false,
    submittedAt: '2026-11-03T09:00:00.000Z',
    updatedAt: '2026-11-03T09:00:00.000Z',
    asOfPosition: 20,
  };
}

export function problem(
  status: number,
  code: string,
  errors?: { path: string; message: string }[],
): Schemas['Problem'] {
  return {
    type: `urn:pledge-tracker:problem:${code}`,
    title: status === 412 ? 'Precondition failed' : 'Unprocessable content',
    status,
    detail: `Refused: ${code}`,
    instance: '/api/v1/plans/p1/pledges/DE',
    code,
    ...(errors !== undefined && {
      errors: errors.map((entry) => ({ ...entry, code, location: 'body' })),
    }),
  };
}
