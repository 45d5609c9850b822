/** A plan in implementation, our reports, their history and the fulfilment view, for the ministry's screens. */
import type {
  AdmissionLine,
  Fulfilment,
  ReportHistoryEntry,
  ReportView,
} from '../../../web/src/api/implementation';
import type { components } from '../../../web/src/api/generated/schema';
import { HOST_COUNTRIES, PLAN, TARGET_GROUPS, UNHCR_REGIONS } from './lineEditorFixtures';
import type { StubHandler, StubResponse } from './support/fetchStub';

type Schemas = components['schemas'];

export const ADOPTED_PLAN: Schemas['Plan'] = { ...PLAN, status: 'adopted' };

/** The reads every implementation screen makes besides its own. */
export const PLAN_ROUTES: Record<string, StubResponse | StubHandler> = {
  'GET /api/v1/plans/p1': { body: ADOPTED_PLAN },
  'GET /api/v1/reference/host-countries': { body: HOST_COUNTRIES },
  'GET /api/v1/reference/regions': { body: UNHCR_REGIONS },
  'GET /api/v1/reference/target-groups': { body: TARGET_GROUPS },
};

export function reportWith(
  month: string,
  version: number,
  admissions: AdmissionLine[],
  extra: Partial<ReportView> = {},
): ReportView {
  const byAdmissionType = { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0 };
  let vulnerablePersons = 0;
  let familyMembers = 0;
  for (const line of admissions) {
    byAdmissionType[line.admissionType] += line.persons;
    vulnerablePersons += line.vulnerablePersons ?? 0;
    familyMembers += line.familyMembers ?? 0;
  }
  return {
    planId: 'p1',
    memberState: 'DE',
    participantKind: 'member_state',
    month,
    version,
    admissions,
    admitted: admissions.reduce((sum, line) => sum + line.persons, 0),
    byAdmissionType,
    vulnerablePersons,
    familyMembers,
    procedure: {},
    onBehalf: false,
    submittedAt: `${month}-28T09:00:00.000Z`,
    updatedAt: `${month}-28T09:00:00.000Z`,
    asOfPosition: 40,
    ...extra,
  } as ReportView;
}

export const MARCH: ReportView = reportWith(
  '2026-03',
  1,
  [
    { admissionType: 'resettlement', hostCountry: 'TR', persons: 40, vulnerablePersons: 12 },
    {
      admissionType: 'humanitarian_admission',
      hostCountry: 'LB',
      persons: 10,
      vulnerablePersons: 4,
      familyMembers: 3,
      bySex: { female: 6, male: 4, nonBinary: 0 },
    },
  ],
  { procedure: { registered: 70, positiveConclusions: 50 } },
);

const ANNA = {
  id: 'anna@bmi.example.de',
  name: 'Anna Schmidt',
  role: 'member_state',
  memberState: 'DE',
} as const;

const EVA = { id: 'eva@ec.example.eu', name: 'Eva Lindqvist', role: 'commission' } as const;

export const MARCH_HISTORY: ReportHistoryEntry[] = [
  {
    version: 1,
    position: 31,
    type: 'ImplementationReportSubmitted',
    recordedAt: '2026-04-02T09:00:00.000Z',
    actor: ANNA,
    correlationId: 'c-1',
    onBehalf: false,
    admitted: 45,
    admissions: [
      { admissionType: 'resettlement', hostCountry: 'TR', persons: 35, vulnerablePersons: 12 },
      { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 10 },
    ],
    procedure: { registered: 70 },
    diff: {
      added: [
        { admissionType: 'resettlement', hostCountry: 'TR', persons: 35, vulnerablePersons: 12 },
        { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 10 },
      ],
      removed: [],
      changed: [],
      admittedBefore: 0,
      admittedAfter: 45,
      admittedDelta: 45,
      procedure: [{ field: 'registered', before: null, after: 70 }],
    },
  },
  {
    version: 2,
    position: 37,
    type: 'ImplementationReportCorrected',
    recordedAt: '2026-04-09T14:30:00.000Z',
    actor: EVA,
    reason: 'Five arrivals were counted in April by mistake',
    correlationId: 'c-2',
    onBehalf: true,
    admitted: 50,
    admissions: MARCH.admissions,
    procedure: { registered: 70, positiveConclusions: 50 },
    diff: {
      added: [],
      removed: [],
      changed: [
        {
          key: 'resettlement|TR|-|-',
          before: {
            admissionType: 'resettlement',
            hostCountry: 'TR',
            persons: 35,
            vulnerablePersons: 12,
          },
          after: {
            admissionType: 'resettlement',
            hostCountry: 'TR',
            persons: 40,
            vulnerablePersons: 12,
          },
          persons: { before: 35, after: 40, delta: 5 },
          vulnerablePersons: { before: 12, after: 12, delta: 0 },
          familyMembers: { before: 0, after: 0, delta: 0 },
        },
      ],
      admittedBefore: 45,
      admittedAfter: 50,
      admittedDelta: 5,
      procedure: [{ field: 'positiveConclusions', before: null, after: 50 }],
    },
  },
] as ReportHistoryEntry[];

const progress = (adopted: number, admitted: number) => ({
  adopted,
  admitted,
  percent: adopted === 0 ? null : Math.round((admitted / adopted) * 10_000) / 100,
  remaining: Math.max(0, adopted - admitted),
});

/** Measured on 15 May 2026: 4 months ended, about 18.7 % of the two years elapsed. */
export const FULFILMENT = {
  planId: 'p1',
  scope: { kind: 'all' },
  referenceInstant: '2026-05-15T12:00:00.000Z',
  period: {
    start: '2026-01-01',
    end: '2027-12-31',
    months: 24,
    monthsEnded: 4,
    elapsedFraction: 0.1867,
  },
  total: { ...progress(10_000, 1_500), expectedByNow: 1_867, projectedAtEnd: 8_034 },
  byAdmissionType: {
    resettlement: progress(7_000, 1_100),
    humanitarian_admission: progress(2_500, 350),
    emergency_admission: progress(500, 50),
  },
  memberStates: [
    {
      memberState: 'DE',
      ...progress(2_000, 150),
      expectedByNow: 373,
      projectedAtEnd: 803,
      byAdmissionType: {
        resettlement: progress(1_400, 120),
        humanitarian_admission: progress(500, 30),
        emergency_admission: progress(100, 0),
      },
      vulnerablePersons: 40,
      familyMembers: 6,
      monthsReported: ['2026-01', '2026-03'],
      monthsMissing: ['2026-02', '2026-04'],
      lastReportedMonth: '2026-03',
      procedure: { registered: 140, positiveConclusions: 90, openBeyond7Months: 3 },
      amifEarnedEur: 1_416_000,
    },
    {
      memberState: 'FR',
      ...progress(1_000, 400),
      expectedByNow: 187,
      projectedAtEnd: 2_142,
      byAdmissionType: {
        resettlement: progress(1_000, 400),
        humanitarian_admission: progress(0, 0),
        emergency_admission: progress(0, 0),
      },
      vulnerablePersons: 0,
      familyMembers: 0,
      monthsReported: ['2026-01', '2026-02', '2026-03', '2026-04'],
      monthsMissing: [],
      lastReportedMonth: '2026-04',
      procedure: {},
      amifEarnedEur: 4_000_000,
    },
  ],
  regions: [],
  notRegionBound: progress(0, 0),
  byYear: [{ year: 2026, admitted: 1_500 }],
  byMonth: [],
  vulnerablePersons: 40,
  familyMembers: 6,
  procedure: {},
  amif: {
    forecast: false,
    rates: {
      resettlementEur: 10_000,
      humanitarianAdmissionEur: 6_000,
      humanitarianAdmissionArticle19GroupsEur: 8_000,
    },
    totalEur: 5_416_000,
    byMemberStateAndYear: [
      {
        memberState: 'DE',
        year: 2026,
        resettled: 120,
        humanitarian: 30,
        humanitarianAtGroupRate: 12,
        eur: 1_416_000,
      },
      {
        memberState: 'FR',
        year: 2026,
        resettled: 400,
        humanitarian: 0,
        humanitarianAtGroupRate: 0,
        eur: 4_000_000,
      },
    ],
  },
  checks: [
    {
      id: 'behind_pace',
      status: 'warn',
      message: '1 Member State has admitted less than 80 % of what the time elapsed would give',
      rows: [{ memberState: 'DE', admitted: 150, expectedByNow: 373 }],
    },
    {
      id: 'totals_reconcile',
      status: 'pass',
      message: 'Every total reconciles with the reports',
      rows: [],
    },
  ],
  associatedStates: {
    total: progress(0, 0),
    byParticipant: [],
    note: 'Associated states report in their own section.',
  },
  asOfPosition: 60,
} as unknown as Fulfilment;
