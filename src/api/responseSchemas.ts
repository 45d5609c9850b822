/**
 * Response shapes: what every route answers, as zod schemas, so the published contract
 * (`GET /api/v1/openapi.json`) and the tests that hold the app to it come from one definition.
 * Lines, contributions, plan regions and actors are the domain's own schemas, the ones its events
 * use. Objects are strict: a field the app starts sending without a line here fails the API tests.
 *
 * Where the read side declares a TypeScript type for a view, a compile-time check at the end of
 * this file holds the schema and the type to the same JSON shape, so drift fails `npm run typecheck`.
 */
import { z } from 'zod';
import {
  ADMISSION_TYPES,
  EMERGENCY_BASES,
  contributionSchema,
  linesSchema,
  pledgeLineSchema,
  type ContributionChange,
} from '../domain/shared/pledgeLine';
import { ROLES, actorSchema } from '../domain/shared/messages';
import { planRegionSchema } from '../domain/unionPlan/unionPlanEvents';
import { PLEDGE_PLAN_STATUSES } from '../domain/pledge/pledgeEvents';
import {
  PROCEDURE_FIELDS,
  admissionLineSchema,
  admissionsSchema,
  procedureCountsSchema,
  reportMonthSchema,
} from '../domain/implementation/implementationReportEvents';
import {
  AMIF_LUMP_SUM_EUR,
  TARGET_GROUP_IDS,
  UNHCR_REGION_IDS,
  type HostCountry,
  type Participant,
  type TargetGroup,
  type UnhcrRegion,
} from '../domain/reference';
import type {
  AuditFeedEntry,
  PlanDiff,
  PledgeDiff,
  StreamHistoryEntry,
} from '../projections/auditHistory';
import type { ReplayCheckResult } from '../projections/projector';
import type { AuditLogStatus } from '../auditLog/auditLogService';
import type { AuditRecord } from '../auditLog/auditRecord';
import type { PublishedJwk } from '../auditLog/signingKey';
import type { SignedTreeHead } from '../auditLog/treeHead';
import type { ProjectionStatus } from '../projections/projectionFeed';
import type { ReadScope } from '../projections/readScope';
import { MAX_TIMELINE_POINTS, type PledgeTimeline } from '../projections/pledgeTimeline';
import {
  ACROSS_SEVERAL_BUREAUX,
  CONTRIBUTION_VIEWS,
  UNKNOWN_REGION,
  type Compliance,
  type PlanView,
  type PledgeList,
  type PledgeView,
  type Totals,
} from '../projections/planReadModel';
import type {
  AmifAnnualExport,
  Fulfilment,
  FrameworkReportExport,
  ReportList,
  ReportView,
} from '../projections/implementation';
import type { ReportDiff } from '../projections/implementation/reportDiff';
import type { ReportHistoryEntry } from '../projections/implementation/reportHistory';
import type { pledgeWriteResult, reportWriteResult } from './writeResults';

/**
 * The named response schemas: each becomes `#/components/schemas/<id>` in the document. A schema
 * used by a route must be named here (or be one of the request side's shared schemas).
 */
export const responseComponents = z.registry<{ readonly id: string }>();

function named<S extends z.ZodType>(id: string, schema: S): S {
  responseComponents.add(schema, { id });
  return schema;
}

// ---- building blocks ----

const count = z.number().int().nonnegative();
const signedCount = z.number().int();
const position = z.number().int().nonnegative();
const streamVersion = z.number().int().positive();
const instant = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
const planId = z.string().regex(/^\d{4}-\d{4}$/);
const participantCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'a canonical participant code, e.g. DE or EL');
const planStatus = z.enum(['draft', 'pledging_open', 'pledging_closed', 'proposed', 'adopted']);
const asOfPosition = position.describe('The log position this answer reflects');

// The domain's own shapes, named once for both sides of the contract.
named('PledgeLine', pledgeLineSchema);
named('Contribution', contributionSchema);
named('PlanRegion', planRegionSchema);
export const actorResponseSchema = named('Actor', actorSchema);

export const admissionTypeCountsSchema = named(
  'AdmissionTypeCounts',
  z.strictObject({
    resettlement: count,
    humanitarian_admission: count,
    emergency_admission: count,
  }),
);

export const readScopeSchema = named(
  'ReadScope',
  z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('all') }),
      z.strictObject({ kind: z.literal('own'), memberState: z.string() }),
    ])
    .describe("`all`, or the one participant whose figures these are (the caller's own)"),
);

// ---- operations ----

export const healthSchema = named('Health', z.strictObject({ status: z.literal('ok') }));

// ---- browser sign-in ----

export const sessionSchema = named(
  'Session',
  z.strictObject({
    actor: actorSchema,
    method: z
      .enum(['oidc', 'development', 'bearer'])
      .describe(
        'How the caller signed in: the identity provider, the development sign-in, or a token',
      ),
    expiresAt: instant.optional().describe('When a browser session ends'),
  }),
);

export const developmentIdentitySchema = named(
  'DevelopmentIdentity',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    memberState: participantCode.optional(),
  }),
);

export const authOptionsSchema = named(
  'AuthOptions',
  z.strictObject({
    oidc: z.strictObject({ enabled: z.boolean(), label: z.string() }),
    development: z
      .strictObject({ identities: z.array(developmentIdentitySchema) })
      .nullable()
      .describe('Null unless the development sign-in is on'),
  }),
);

export const logoutSchema = named(
  'Logout',
  z.strictObject({
    logoutUrl: z
      .string()
      .optional()
      .describe("The identity provider's end-session URL: navigate there to sign out of it too"),
  }),
);

const storeProblemSchema = z.strictObject({
  kind: z.enum(['corrupted', 'full', 'unavailable', 'busy', 'integrity']),
  code: z.string(),
  message: z.string(),
  firstSeenAt: instant,
  lastSeenAt: instant,
  occurrences: count,
  active: z.boolean(),
});

/** What the store says of itself (`EventStore.health()`). */
export const storeHealthSchema = named(
  'StoreHealth',
  z.strictObject({
    ok: z.boolean(),
    answering: z.boolean(),
    problem: storeProblemSchema.optional(),
    foreignEvents: z
      .strictObject({
        skipped: count,
        lastSkipped: z
          .strictObject({ position, streamId: z.string(), type: z.string() })
          .optional(),
      })
      .optional()
      .describe(
        'A database shared with other writers (EventStoreDB): their events, which reads of the log skip, each counted once since the store was opened, and the last one seen',
      ),
  }),
);

const auditLogMismatchSchema = z.strictObject({
  kind: z.enum([
    'edited',
    'reordered',
    'deleted',
    'inserted',
    'tree_node',
    'rolled_back',
    'rewritten',
  ]),
  position: position.optional(),
  leafIndex: count.optional(),
  recordedAt: position.optional(),
  treeSize: count.optional(),
  message: z.string(),
});

/** The log against its Merkle tree and the heads signed before (`AuditLogService`). */
export const auditLogStatusSchema = named(
  'AuditLogStatus',
  z.strictObject({
    ok: z.boolean(),
    treeSize: count,
    eventCount: count,
    lastCheck: z.enum(['full', 'tail']),
    checkedAt: instant,
    fullCheck: z
      .enum(['passed', 'running', 'failed', 'not_run'])
      .describe(
        'The full check of the log against its tree: at start, in the background for a large log',
      ),
    mismatch: auditLogMismatchSchema
      .optional()
      .describe('Where the log departs from its tree: writes are refused until a restart'),
    latestHead: z.strictObject({ treeSize: count, timestamp: instant }).optional(),
    error: z.string().optional(),
  }),
);

const readinessVerdict = z.enum(['ready', 'not_ready']);

/** Readiness as an operator sees it: the verdict and why. */
export const readinessDetailsSchema = named(
  'ReadinessDetails',
  z
    .strictObject({
      status: readinessVerdict,
      store: z.string(),
      ready: z.boolean(),
      storeReachable: z.boolean(),
      headPosition: position.nullable(),
      checkpoint: position,
      lag: z.number().int().nonnegative().nullable(),
      /** Only with a live subscription feeding the projections. */
      behindForMs: z.number().nonnegative().optional(),
      subscriptionRestarts: count.optional(),
      lastError: z.string().optional(),
      storeHealth: storeHealthSchema.optional(),
      checks: z.strictObject({ auditLog: auditLogStatusSchema }),
    })
    .describe(
      'With an operator token: the verdict, the positions, the lag, the store health and the log-against-tree check',
    ),
);

export const readinessSchema = named(
  'Readiness',
  z
    .union([z.strictObject({ status: readinessVerdict }), readinessDetailsSchema])
    .describe(
      'Readiness: 200 when ready, 503 (with this same body) when not; the details with an operator token only',
    ),
);

export const openApiDocumentSchema = named(
  'OpenApiDocument',
  z
    .looseObject({
      openapi: z.string().regex(/^3\.1\.\d+$/),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    })
    .describe('This document: OpenAPI 3.1'),
);

// ---- reference data ----

export const memberStatesSchema = named(
  'MemberStates',
  z.strictObject({
    memberStates: z.array(
      z.strictObject({
        code: z.string(),
        name: z.string(),
        kind: z.enum(['member_state', 'associated_state']),
        participation: z.enum(['bound', 'not_bound']),
        aliases: z.array(z.string()),
        mayPledge: z.boolean(),
      }),
    ),
  }),
);

export const hostCountriesSchema = named(
  'HostCountries',
  z.strictObject({
    hostCountries: z.array(
      z.strictObject({ code: z.string(), name: z.string(), unhcrRegion: z.enum(UNHCR_REGION_IDS) }),
    ),
  }),
);

export const unhcrRegionsSchema = named(
  'UnhcrRegions',
  z.strictObject({
    regions: z.array(z.strictObject({ id: z.enum(UNHCR_REGION_IDS), name: z.string() })),
  }),
);

export const targetGroupsSchema = named(
  'TargetGroups',
  z.strictObject({
    targetGroups: z.array(
      z.strictObject({
        id: z.enum(TARGET_GROUP_IDS),
        name: z.string(),
        amifVulnerable: z.boolean(),
        humanitarianAdmissionOnly: z.boolean(),
      }),
    ),
  }),
);

export const amifLumpSumsSchema = named(
  'AmifLumpSums',
  z.strictObject({
    currency: z.literal('EUR'),
    perPerson: z.strictObject({
      resettlement: count,
      humanitarian_admission: count,
      humanitarian_admission_vulnerable: count,
    }),
  }),
);

// ---- the plan ----

const contributionWithTotal = named(
  'ContributionWithTotal',
  z.strictObject({ memberState: participantCode, lines: linesSchema, total: count }),
);

const amendmentRecord = named(
  'AmendmentRecord',
  z.strictObject({
    position,
    recordedAt: instant,
    actReference: z.string(),
    adoptedOn: isoDate,
    reason: z.string(),
    addPriorityCountries: z.array(z.string()),
    addPriorityRegions: z.array(z.string()),
    addRegionIds: z.array(z.string()),
    memberStates: z
      .array(z.string())
      .describe('The participants whose contribution the amendment replaced or removed'),
  }),
);

/** The plan's one shape, as a write and a read answer it (`asOfPosition` aside). */
export const planViewSchema = named(
  'PlanView',
  z.strictObject({
    planId,
    status: planStatus,
    periodStart: z.string(),
    periodEnd: z.string(),
    resettlementFloorPercent: z.number(),
    priorityCountries: z.array(z.string()),
    priorityRegions: z.array(z.string()),
    regions: z.array(planRegionSchema),
    pledgingDeadline: z.string().describe('A date (YYYY-MM-DD) or an ISO 8601 instant').optional(),
    proposal: z
      .strictObject({
        reference: z.string(),
        proposedOn: isoDate,
        total: count
          .describe('Absent when the caller may not see the whole proposal (a Member State)')
          .optional(),
        contributions: z.array(contributionWithTotal),
        associatedStates: z.array(contributionWithTotal),
        position,
        recordedAt: instant,
      })
      .optional(),
    adoption: z
      .strictObject({
        actReference: z.string(),
        adoptedOn: isoDate,
        total: count.describe('As the Council adopted the plan, before amendments'),
        contributions: z.array(contributionWithTotal),
        associatedStates: z.array(contributionWithTotal),
        position,
        recordedAt: instant,
      })
      .optional(),
    amendments: z.array(amendmentRecord),
    adoptedContributions: z.array(contributionWithTotal).optional(),
    adoptedTotal: count.optional(),
    associatedStates: z.array(contributionWithTotal).optional(),
    version: streamVersion,
    position,
    createdAt: instant,
    updatedAt: instant,
  }),
);

export const planSchema = named('Plan', planViewSchema.extend({ asOfPosition }));

export const planListSchema = named(
  'PlanList',
  z.strictObject({
    plans: z.array(planViewSchema),
    nextAfter: planId
      .nullable()
      .describe(
        'Pass as `after` for the next page (also in a `Link: rel="next"` header); null at the end',
      ),
    asOfPosition,
  }),
);

// ---- pledges ----

export const pledgeViewSchema = named(
  'PledgeView',
  z.strictObject({
    planId,
    memberState: participantCode,
    participantKind: z.enum(['member_state', 'associated_state']),
    status: z.enum(['active', 'withdrawn']),
    version: streamVersion,
    lines: linesSchema,
    total: count,
    byAdmissionType: admissionTypeCountsSchema,
    planStatusAtLastChange: z.enum(PLEDGE_PLAN_STATUSES),
    afterAdoption: z.boolean(),
    pendingAmendment: z.boolean(),
    lastReason: z.string().optional(),
    submittedAt: instant,
    updatedAt: instant,
  }),
);

export const pledgeSchema = named('Pledge', pledgeViewSchema.extend({ asOfPosition }));

export const pledgeListSchema = named(
  'PledgeList',
  z.strictObject({
    planId,
    asOfPosition,
    pledges: z.array(pledgeViewSchema).describe("Member States' pledges, withdrawn ones included"),
    associatedStates: z
      .array(pledgeViewSchema)
      .describe("Associated states' indications (Art. 12), in their own section"),
  }),
);

/** A pledge write's answer, built from the stream at the written version. */
export const pledgeWriteSchema = named(
  'PledgeWrite',
  z.strictObject({
    planId,
    memberState: participantCode,
    status: z.enum(['active', 'withdrawn']),
    version: streamVersion,
    position,
    lines: linesSchema,
    total: count,
    pendingAmendment: z
      .boolean()
      .describe('True when the plan is adopted: the change waits for an amendment to take effect'),
    message: z.string().optional(),
  }),
);

// ---- history ----

const contributionChange = named(
  'ContributionChange',
  z.strictObject({ memberState: participantCode, before: count, after: count, delta: signedCount }),
);

export const planDiffSchema = named(
  'PlanDiff',
  z.strictObject({
    statusBefore: planStatus.nullable(),
    statusAfter: planStatus,
    deadline: z.string().optional(),
    contributions: z.array(contributionChange).optional(),
    totalBefore: count.optional(),
    totalAfter: count.optional(),
    totalDelta: signedCount.optional(),
    priorityCountriesAdded: z.array(z.string()).optional(),
    priorityRegionsAdded: z.array(z.string()).optional(),
    planRegionsAdded: z.array(z.string()).optional(),
  }),
);

export const pledgeDiffSchema = named(
  'PledgeDiff',
  z.strictObject({
    added: z.array(pledgeLineSchema),
    removed: z.array(pledgeLineSchema),
    changed: z.array(
      z.strictObject({ key: z.string(), before: pledgeLineSchema, after: pledgeLineSchema }),
    ),
    personsBefore: count,
    personsAfter: count,
    personsDelta: signedCount,
  }),
);

/** One version of a stream: who, when, why, and what changed. */
function historyEntry<D extends z.ZodType>(diff: D) {
  return z.strictObject({
    version: streamVersion,
    position,
    type: z.string().describe('The event type'),
    recordedAt: instant,
    actor: actorSchema,
    reason: z.string().optional(),
    correlationId: z.string(),
    diff,
  });
}

export const planHistorySchema = named(
  'PlanHistory',
  z.strictObject({
    planId,
    versions: z.array(named('PlanHistoryEntry', historyEntry(planDiffSchema))),
    nextAfterVersion: streamVersion
      .nullable()
      .describe(
        'Pass as `after` for the next page (also in a `Link: rel="next"` header); null at the end',
      ),
  }),
);

export const pledgeHistorySchema = named(
  'PledgeHistory',
  z.strictObject({
    planId,
    memberState: participantCode,
    versions: z.array(named('PledgeHistoryEntry', historyEntry(pledgeDiffSchema))),
    nextAfterVersion: streamVersion
      .nullable()
      .describe(
        'Pass as `after` for the next page (also in a `Link: rel="next"` header); null at the end',
      ),
  }),
);

// ---- figures ----

const figures = {
  total: count,
  byAdmissionType: admissionTypeCountsSchema,
  byMemberState: z.record(z.string(), count),
};

const memberStateTotals = named(
  'MemberStateTotals',
  z.strictObject({
    memberState: participantCode,
    total: count,
    byAdmissionType: admissionTypeCountsSchema,
  }),
);

const countryTotals = z.strictObject({ country: z.string(), name: z.string(), ...figures });

const hostGroupTotals = z.strictObject({
  group: z.string().describe('`EG+KE` for several countries, `region:<id>` for a plan region'),
  kind: z.enum(['countries', 'plan_region']),
  planRegion: z.string().optional(),
  name: z.string(),
  countries: z.array(z.string()),
  ...figures,
});

const regionTotals = z.strictObject({
  region: z.enum([...UNHCR_REGION_IDS, UNKNOWN_REGION, ACROSS_SEVERAL_BUREAUX]),
  total: count,
  byAdmissionType: admissionTypeCountsSchema,
  countries: z.array(countryTotals),
  groups: z.array(hostGroupTotals),
});

const planRegionTotals = z.strictObject({
  planRegion: z.string(),
  name: z.string(),
  countries: z.array(z.string()),
  ...figures,
});

const totalsFiguresFields = {
  total: count,
  byAdmissionType: admissionTypeCountsSchema,
  emergencyByBasis: z.strictObject(
    Object.fromEntries(EMERGENCY_BASES.map((basis) => [basis, count])) as Record<
      (typeof EMERGENCY_BASES)[number],
      typeof count
    >,
  ),
  byYear: z
    .record(z.string(), count)
    .describe('Keyed by year; lines without a year under `unspecified`'),
  byMemberState: z.array(memberStateTotals),
  regions: z.array(regionTotals).describe('UNHCR bureaux with places, largest first'),
  planRegions: z.array(planRegionTotals),
  notRegionBound: z
    .strictObject(figures)
    .describe('Emergency places without a host (Art. 8(5) ties them to no region)'),
};

const totalsFigures = named('TotalsFigures', z.strictObject(totalsFiguresFields));

const contributionView = z.enum(CONTRIBUTION_VIEWS);

/** Totals without `asOfPosition`: the read model's `Totals`. */
export const totalsViewSchema = z.strictObject({
  planId,
  view: contributionView,
  scope: readScopeSchema,
  ...totalsFiguresFields,
  associatedStates: totalsFigures.describe(
    "Associated states' indications (Art. 12), outside every figure above",
  ),
});

export const totalsSchema = named('Totals', totalsViewSchema.extend({ asOfPosition }));

const timelinePoint = named(
  'TimelinePoint',
  z.strictObject({
    position,
    recordedAt: instant,
    memberState: participantCode.describe('The Member State whose pledge event this point follows'),
    type: z.enum(['PledgeSubmitted', 'PledgeRevised', 'PledgeWithdrawn']),
    total: count.describe("Every Member State's active pledges (in scope) right after the event"),
    byAdmissionType: admissionTypeCountsSchema,
  }),
);

/** The timeline without `asOfPosition`: the read side's `PledgeTimeline`. */
export const pledgeTimelineViewSchema = z.strictObject({
  planId,
  scope: readScopeSchema,
  points: z
    .array(timelinePoint)
    .max(MAX_TIMELINE_POINTS)
    .describe(
      `One per pledge event in log order; more than ${MAX_TIMELINE_POINTS} are thinned evenly, the first and the last kept`,
    ),
});

export const pledgeTimelineSchema = named(
  'PledgeTimeline',
  pledgeTimelineViewSchema.extend({ asOfPosition }),
);

const checkStatus = z.enum(['pass', 'info', 'warn', 'fail']);
const checkBase = { status: checkStatus, message: z.string() };
const nullablePercent = z.number().nullable();

const complianceCheck = named(
  'ComplianceCheck',
  z.discriminatedUnion('id', [
    z.strictObject({
      id: z.literal('resettlement_share'),
      ...checkBase,
      resettlement: count,
      total: count,
      sharePercent: nullablePercent,
      floorPercent: z.number(),
      bandPercentagePoints: z.number(),
      bandIsInterpretation: z.literal(true),
      emergencyOnResettlementBasis: count,
      shareIncludingEmergencyOnResettlementBasisPercent: nullablePercent,
    }),
    z.strictObject({
      id: z.literal('priority_host_countries'),
      ...checkBase,
      priorityCountries: z.array(z.string()),
      priorityRegions: z.array(z.string()),
      planRegions: z.array(z.string()),
      outsidePersons: count,
      outside: z.array(
        z.strictObject({
          memberState: z.string(),
          host: z.string(),
          countriesOutside: z.array(z.string()),
          admissionType: z.enum(ADMISSION_TYPES),
          persons: count,
        }),
      ),
    }),
    z.strictObject({
      id: z.literal('totals_reconcile'),
      ...checkBase,
      total: count,
      linesSum: count,
      byMemberStateSum: count,
      byAdmissionTypeSum: count,
      byRegionSum: count,
      byCountrySum: count,
    }),
    z.strictObject({
      id: z.literal('pending_revisions'),
      ...checkBase,
      pending: z.array(
        z.strictObject({
          memberState: z.string(),
          adopted: count,
          pledged: count,
          delta: signedCount,
        }),
      ),
    }),
    z.strictObject({
      id: z.literal('proposal_to_adoption'),
      ...checkBase,
      proposedTotal: count.nullable(),
      adoptedTotal: count.nullable(),
      delta: signedCount.nullable(),
      adoptedAfterAmendmentsTotal: count.nullable(),
      byMemberState: z.array(
        z.strictObject({
          memberState: z.string(),
          proposed: count,
          adopted: count,
          delta: signedCount,
        }),
      ),
      aboveProposal: z.array(z.string()),
    }),
    z.strictObject({
      id: z.literal('indications_respected'),
      ...checkBase,
      rows: z.array(
        z.strictObject({
          memberState: z.string(),
          admissionType: z.enum(ADMISSION_TYPES),
          contribution: count,
          indication: count,
          delta: signedCount,
          status: z.enum(['fail', 'info']),
          actReference: z.string(),
        }),
      ),
    }),
    z.strictObject({
      id: z.literal('amif_lump_sums'),
      ...checkBase,
      forecast: z.literal(true),
      minEur: count,
      maxEur: count,
      byMemberState: z.array(
        z.strictObject({ memberState: z.string(), persons: count, minEur: count, maxEur: count }),
      ),
    }),
  ]),
);

/** Compliance without `asOfPosition`: the read model's `Compliance`. */
export const complianceViewSchema = z.strictObject({
  planId,
  view: contributionView,
  scope: readScopeSchema,
  total: count,
  resettlementSharePercent: nullablePercent,
  resettlementFloorPercent: z.number(),
  checks: z.array(complianceCheck),
  associatedStates: z.strictObject({
    total: count,
    byAdmissionType: admissionTypeCountsSchema,
    byParticipant: z.array(memberStateTotals),
    note: z.string(),
  }),
});

export const complianceSchema = named('Compliance', complianceViewSchema.extend({ asOfPosition }));

// ---- implementation ----

named('AdmissionLine', admissionLineSchema);
named('ProcedureCounts', procedureCountsSchema);

const participantKind = z.enum(['member_state', 'associated_state']);

/** One month's report as it stands (`asOfPosition` aside): the read side's `ReportView`. */
export const reportViewSchema = named(
  'ReportView',
  z.strictObject({
    planId,
    memberState: participantCode,
    participantKind: participantKind.describe(
      '`associated_state` (Art. 12): reported in their own section, outside every plan figure',
    ),
    month: reportMonthSchema,
    version: streamVersion,
    admissions: admissionsSchema,
    admitted: count.describe('Persons admitted in the month: the sum of the lines'),
    byAdmissionType: admissionTypeCountsSchema,
    vulnerablePersons: count.describe('Of the admitted, those in the Art. 19(3) groups'),
    familyMembers: count.describe('Of the admitted, their family members (Art. 19(5))'),
    procedure: procedureCountsSchema.describe('`{}` when the report gave no procedure counts'),
    onBehalf: z
      .boolean()
      .describe("The latest version was recorded by the Commission on the participant's behalf"),
    lastReason: z.string().optional().describe('The reason of the latest correction'),
    submittedAt: instant,
    updatedAt: instant,
  }),
);

export const reportSchema = named('Report', reportViewSchema.extend({ asOfPosition }));

export const reportListSchema = named(
  'ReportList',
  z.strictObject({
    planId,
    asOfPosition,
    reports: z
      .array(reportViewSchema)
      .describe("Member States' reports, by Member State then month"),
    associatedStates: z
      .array(reportViewSchema)
      .describe("Associated states' reports (Art. 12), in their own section"),
  }),
);

/** A report write's answer, built from the stream at the written version. */
export const reportWriteSchema = named(
  'ReportWrite',
  z.strictObject({
    planId,
    memberState: participantCode,
    month: reportMonthSchema,
    version: streamVersion,
    position,
    admissions: admissionsSchema,
    admitted: count,
    procedure: procedureCountsSchema,
    onBehalf: z
      .boolean()
      .describe("Recorded by the Commission on the participant's behalf, not by its ministry"),
  }),
);

const countChangeSchema = z.strictObject({ before: count, after: count, delta: signedCount });

export const reportDiffSchema = named(
  'ReportDiff',
  z.strictObject({
    added: z.array(admissionLineSchema),
    removed: z.array(admissionLineSchema),
    changed: z
      .array(
        z.strictObject({
          key: z.string().describe('The line, as type|host|year|basis'),
          before: admissionLineSchema,
          after: admissionLineSchema,
          persons: countChangeSchema,
          vulnerablePersons: countChangeSchema,
          familyMembers: countChangeSchema,
        }),
      )
      .describe('Lines matched by type, host, year and basis whose counts, groups or note changed'),
    admittedBefore: count,
    admittedAfter: count,
    admittedDelta: signedCount,
    procedure: z
      .array(
        z.strictObject({
          field: z.enum(PROCEDURE_FIELDS),
          before: count.nullable().describe('Null: not reported in the version before'),
          after: count.nullable().describe('Null: not reported in this version'),
        }),
      )
      .describe('The procedure counts this version changed'),
  }),
);

export const reportHistoryEntrySchema = named(
  'ReportHistoryEntry',
  z.strictObject({
    version: streamVersion,
    position,
    type: z.enum(['ImplementationReportSubmitted', 'ImplementationReportCorrected']),
    recordedAt: instant,
    actor: actorSchema,
    reason: z.string().optional(),
    correlationId: z.string(),
    onBehalf: z.boolean().describe("Recorded by the Commission on the participant's behalf"),
    admitted: count,
    admissions: admissionsSchema.describe('The report as this version has it'),
    procedure: procedureCountsSchema,
    diff: reportDiffSchema,
  }),
);

export const reportHistorySchema = named(
  'ReportHistory',
  z.strictObject({
    planId,
    memberState: participantCode,
    month: reportMonthSchema,
    versions: z.array(reportHistoryEntrySchema),
    nextAfterVersion: streamVersion
      .nullable()
      .describe(
        'Pass as `after` for the next page (also in a `Link: rel="next"` header); null at the end',
      ),
  }),
);

const progressFields = {
  adopted: count.describe('The adopted contribution, as amended'),
  admitted: count,
  percent: nullablePercent.describe('admitted / adopted x 100, 2 decimals; null when adopted is 0'),
  remaining: count.describe('adopted - admitted, never below 0'),
};
const progressSchema = named('Progress', z.strictObject(progressFields));
const pacedFields = {
  ...progressFields,
  expectedByNow: count.describe('adopted x the share of the period elapsed, rounded'),
  projectedAtEnd: count
    .nullable()
    .describe('Where the current pace ends: admitted / the share elapsed; null before the period'),
};
const pacedProgressSchema = named('PacedProgress', z.strictObject(pacedFields));
const progressByAdmissionType = named(
  'ProgressByAdmissionType',
  z.strictObject(
    Object.fromEntries(ADMISSION_TYPES.map((type) => [type, progressSchema])) as Record<
      (typeof ADMISSION_TYPES)[number],
      typeof progressSchema
    >,
  ),
);

const memberStateFulfilment = named(
  'MemberStateFulfilment',
  z.strictObject({
    memberState: participantCode,
    ...pacedFields,
    byAdmissionType: progressByAdmissionType,
    vulnerablePersons: count,
    familyMembers: count,
    monthsReported: z.array(reportMonthSchema),
    monthsMissing: z
      .array(reportMonthSchema)
      .describe('Months of the period ended by the reference instant with no report'),
    lastReportedMonth: reportMonthSchema.nullable(),
    procedure: procedureCountsSchema.describe(
      'Flows summed over the months; the open-case stocks from the latest month reporting them',
    ),
    amifEarnedEur: count.describe('0 for an associated state: AMIF pays Member States only'),
  }),
);

const regionFulfilment = named(
  'RegionFulfilment',
  z.strictObject({
    region: z
      .string()
      .describe(
        `A UNHCR bureau id, \`${ACROSS_SEVERAL_BUREAUX}\` or \`${UNKNOWN_REGION}\`, as in the totals`,
      ),
    ...progressFields,
    countries: z.array(
      z.strictObject({ country: z.string(), name: z.string(), ...progressFields }),
    ),
    groups: z.array(
      z.strictObject({
        group: z
          .string()
          .describe('`EG+KE` for several countries, `region:<id>` for a plan region'),
        kind: z.enum(['countries', 'plan_region']),
        planRegion: z.string().optional(),
        name: z.string(),
        countries: z.array(z.string()),
        ...progressFields,
      }),
    ),
  }),
);

const fulfilmentCheck = named(
  'FulfilmentCheck',
  z.strictObject({
    id: z.enum([
      'admissions_above_contribution',
      'behind_pace',
      'months_without_report',
      'procedure_deadlines',
      'admissions_outside_plan_regions',
      'totals_reconcile',
    ]),
    ...checkBase,
    rows: z
      .array(
        z.record(
          z.string(),
          z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]),
        ),
      )
      .describe('The figures behind the check'),
  }),
);

/** The fulfilment view without `asOfPosition`: the read side's `Fulfilment`. */
export const fulfilmentViewSchema = z.strictObject({
  planId,
  scope: readScopeSchema,
  referenceInstant: instant.describe(
    'When pace and missing months are measured: the asOf instant; for an asOf position, when its last event was recorded; else now',
  ),
  period: z.strictObject({
    start: isoDate,
    end: isoDate,
    months: count,
    monthsEnded: count,
    elapsedFraction: z.number().min(0).max(1),
  }),
  total: pacedProgressSchema,
  byAdmissionType: progressByAdmissionType,
  memberStates: z.array(memberStateFulfilment),
  regions: z.array(regionFulfilment),
  notRegionBound: progressSchema.describe(
    'Emergency admissions without a host (Art. 8(5) ties them to no region)',
  ),
  byYear: z.array(z.strictObject({ year: z.number().int(), admitted: count })),
  byMonth: z
    .array(
      z.strictObject({
        month: reportMonthSchema,
        admitted: count,
        cumulative: count,
        expectedCumulative: count,
      }),
    )
    .describe('The pace line: every month of the period up to the reference month'),
  vulnerablePersons: count,
  familyMembers: count,
  procedure: procedureCountsSchema,
  amif: named(
    'AmifEarned',
    z.strictObject({
      forecast: z.literal(false),
      rates: z.strictObject({
        resettlementEur: count,
        humanitarianAdmissionEur: count,
        humanitarianAdmissionArticle19GroupsEur: count,
      }),
      totalEur: count,
      byMemberStateAndYear: z.array(
        z.strictObject({
          memberState: participantCode,
          year: z.number().int(),
          resettled: count,
          humanitarian: count,
          humanitarianAtGroupRate: count,
          eur: count,
        }),
      ),
    }),
  ),
  checks: z.array(fulfilmentCheck),
  associatedStates: z
    .strictObject({
      total: progressSchema,
      byParticipant: z.array(memberStateFulfilment),
      note: z.string(),
    })
    .describe('Associated states (Art. 12): their own section, in no figure above'),
});

export const fulfilmentSchema = named('Fulfilment', fulfilmentViewSchema.extend({ asOfPosition }));

/** The AMIF annual figures without `asOfPosition`: the read side's `AmifAnnualExport`. */
export const amifAnnualExportViewSchema = z.strictObject({
  planId,
  year: z.number().int(),
  dueBy: isoDate.describe(
    'The AMIF annual performance report is due by 15 February of the next year (AMIF Art. 35(2)(g))',
  ),
  rows: z.array(
    z.strictObject({
      memberState: participantCode,
      year: z.number().int(),
      resettled: count,
      humanitarian: count,
      humanitarianAtGroupRate: count,
      vulnerablePersons: count,
      familyMembers: count,
      female: count,
      male: count,
      nonBinary: count,
      sexNotReported: count,
      under18: count,
      from18To60: count,
      over60: count,
      ageNotReported: count,
      lumpSumEur: count,
      monthsReported: count.describe(
        'Months of the year with a report (0: a contribution and nothing reported yet)',
      ),
    }),
  ),
});

export const amifAnnualExportSchema = named(
  'AmifAnnualExport',
  amifAnnualExportViewSchema.extend({ asOfPosition }),
);

const frameworkAdmissionRows = z.array(
  z.strictObject({
    memberState: participantCode,
    year: z.number().int(),
    admissionType: z.enum(ADMISSION_TYPES),
    emergencyBasis: z.string().nullable(),
    host: z.string().describe('`TR`, `EG+KE`, `region:<id>`, or `-` for none'),
    unhcrRegion: z.string(),
    persons: count,
    vulnerablePersons: count,
    familyMembers: count,
  }),
);

const frameworkProcedureRows = z
  .array(
    z.strictObject({
      memberState: participantCode,
      year: z.number().int(),
      monthsReported: count.describe('Months of the year whose report gave procedure counts'),
      ...(Object.fromEntries(PROCEDURE_FIELDS.map((field) => [field, count])) as Record<
        (typeof PROCEDURE_FIELDS)[number],
        typeof count
      >),
    }),
  )
  .describe(
    'Flows summed over the year, open cases as at the latest month reporting them; 0 where never reported',
  );

/** The Art. 15 dataset without `asOfPosition`: the read side's `FrameworkReportExport`. */
export const frameworkReportExportViewSchema = z.strictObject({
  planId,
  dueBy: isoDate.describe("The Commission's report on the Framework is due 12 June 2028 (Art. 15)"),
  admissions: frameworkAdmissionRows.describe("The Member States' admissions"),
  procedure: frameworkProcedureRows,
  associatedStates: z
    .strictObject({ admissions: frameworkAdmissionRows, procedure: frameworkProcedureRows })
    .describe(
      "The associated states' (Art. 12) admissions and procedure counts, apart: never inside the Member States' rows",
    ),
});

export const frameworkReportExportSchema = named(
  'FrameworkReportExport',
  frameworkReportExportViewSchema.extend({ asOfPosition }),
);

export const csvSchema = named(
  'Csv',
  z.string().describe('RFC 4180 CSV (CRLF line ends, a header row), sent as a download'),
);

// ---- audit ----

export const auditFeedEntrySchema = named(
  'AuditFeedEntry',
  z.strictObject({
    position,
    streamId: z.string(),
    streamVersion,
    type: z.string(),
    planId,
    memberState: participantCode.optional(),
    actorId: z.string(),
    actorRole: z.string(),
    actorName: z
      .string()
      .optional()
      .describe('The display name of the person who recorded the event, when a person signed in'),
    recordedAt: instant,
    reason: z.string().optional(),
    correlationId: z.string(),
    schemaVersion: z
      .number()
      .int()
      .positive()
      .describe('The schema version the event was written with; `data` is upcast to today'),
    data: z
      .record(z.string(), z.unknown())
      .describe("The event's content, as today's schema of its type reads it"),
  }),
);

export const auditFeedSchema = named(
  'AuditFeed',
  z.strictObject({
    entries: z.array(auditFeedEntrySchema),
    nextAfterPosition: position
      .nullable()
      .describe(
        'Pass as `after` for the next page; null when no further matching event exists. A filtered page may hold fewer entries than asked for: each request scans a bounded stretch of the log',
      ),
    headPosition: position,
  }),
);

export const replayCheckSchema = named(
  'ReplayCheck',
  z.strictObject({
    ok: z.boolean(),
    position,
    eventCount: count,
    durationMs: z.number().nonnegative(),
    projections: z.array(
      z.strictObject({
        name: z.string(),
        equal: z.boolean(),
        liveDigest: z.string(),
        rebuiltDigest: z.string(),
      }),
    ),
    snapshots: z
      .array(
        z.strictObject({
          position,
          eventCount: count,
          payloadIntact: z.boolean(),
          matchesLog: z.boolean(),
        }),
      )
      .describe('Every persisted snapshot of the read models, checked against the rebuilt log'),
  }),
);

// ---- the verifiable log ----

const base64Hash = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/)
  .describe('A SHA-256 hash, standard base64 with padding');
const base64url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const auditPublicKeySchema = named(
  'AuditPublicKey',
  z
    .strictObject({
      kty: z.literal('OKP'),
      crv: z.literal('Ed25519'),
      x: base64url32.describe('The 32-byte public key, base64url without padding (RFC 8037)'),
      kid: base64url32.describe("The key's RFC 7638 thumbprint (SHA-256, base64url)"),
      alg: z.literal('EdDSA'),
      use: z.literal('sig'),
    })
    .describe('The Ed25519 public key that signs tree heads, as a JWK (RFC 8037)'),
);

export const signedTreeHeadSchema = named(
  'SignedTreeHead',
  z
    .strictObject({
      treeSize: count.describe('Events in the tree (leaves)'),
      rootHash: base64Hash.describe('The RFC 9162 root hash of those events, standard base64'),
      timestamp: instant.describe('When the head was signed (toISOString form, UTC)'),
      signature: z
        .string()
        .regex(/^[A-Za-z0-9+/]{86}==$/)
        .describe(
          'Ed25519 over the RFC 8785 canonical JSON of {rootHash, timestamp, treeSize}, standard base64',
        ),
    })
    .describe("The log's signed commitment to its first `treeSize` events"),
);

export const inclusionProofSchema = named(
  'InclusionProof',
  z.strictObject({
    leafIndex: count.describe("The event's rank in the log, from 0"),
    treeSize: count,
    path: z.array(base64Hash).describe('The RFC 9162 §2.1.3 audit path, leaf to root'),
  }),
);

export const consistencyProofSchema = named(
  'ConsistencyProof',
  z.strictObject({
    from: count,
    to: count,
    path: z.array(base64Hash).describe('The RFC 9162 §2.1.4 consistency proof'),
  }),
);

export const auditRecordSchema = named(
  'AuditRecord',
  z
    .strictObject({
      position,
      stream: z.string(),
      version: streamVersion,
      id: z.string(),
      type: z.string(),
      schemaVersion: z.number().int().positive(),
      data: z.record(z.string(), z.unknown()).describe("The event's content as stored"),
      metadata: z.record(z.string(), z.unknown()),
      recordedAt: instant.nullable(),
    })
    .describe(
      'One event as the log holds it, in RFC 8785 canonical JSON: its UTF-8 bytes are the leaf input (leaf hash = SHA-256(0x00 || bytes))',
    ),
);

export const auditExportSchema = named(
  'AuditExport',
  z
    .string()
    .describe(
      'NDJSON: one AuditRecord a line (canonical JSON, exactly as `GET /api/v1/audit/records/{position}` answers), in log order; the last line is `{"publicKey": <AuditPublicKey>, "treeHead": <SignedTreeHead>}` signed for exactly those events',
    ),
);

const quotaCounter = z.strictObject({
  limit: count,
  remaining: count,
  resetSeconds: z.number().nonnegative(),
});

export const quotaSchema = named(
  'Quota',
  z.strictObject({
    writesPerMinute: quotaCounter,
    readsPerMinute: quotaCounter,
    storedBytes: z
      .strictObject({ memberState: participantCode, used: count, limit: count })
      .optional(),
  }),
);

export const metricsSchema = named(
  'Metrics',
  z.string().describe('Prometheus text exposition format'),
);

// ---- problems ----

/** One offending field of an `invalid_request`. */
const fieldError = z.strictObject({
  location: z.string().describe('`path`, `query` or `body`'),
  path: z.string(),
  message: z.string(),
  unknownFields: z.array(z.string()).optional(),
});

/**
 * RFC 9457 problem details. Extensions (the facts behind the refusal) sit beside the standard
 * members, so the object stays open.
 */
export const problemSchema = named(
  'Problem',
  z.looseObject({
    type: z.string().describe('`urn:pledge-tracker:problem:<code>`'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string().describe('The request path'),
    code: z.string().describe('A stable, machine-readable code'),
    errors: z
      .array(
        z.union([
          fieldError,
          z
            .looseObject({ code: z.string(), path: z.string().optional(), message: z.string() })
            .describe('One rule the request broke, with its facts; every one is listed'),
        ]),
      )
      .optional(),
  }),
);

// ---- the schemas and the read side's types, kept in step ----

/**
 * `readonly` everywhere: a view's `readonly` arrays and zod's mutable ones describe the same JSON.
 * Homomorphic, so optional members stay optional and intersections flatten.
 */
type Frozen<T> = T extends readonly (infer Item)[]
  ? readonly Frozen<Item>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;
/** True only when both describe the same JSON: same members, optionality and member types. */
type SameJson<A, B> =
  (<T>() => T extends Frozen<A> ? 1 : 2) extends <T>() => T extends Frozen<B> ? 1 : 2
    ? true
    : false;
/** Every value of A is a value of B (for a view whose type is wider than what it sends). */
type Fits<A, B> = [Frozen<A>] extends [Frozen<B>] ? true : false;
type SameKeys<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? true
    : false
  : false;
/** Fails to compile when given `false`: the schema and the type have drifted apart. */
type InStep<T extends true> = T;

export type ResponseSchemasInStep = [
  InStep<SameJson<z.output<typeof planViewSchema>, PlanView>>,
  InStep<SameJson<z.output<typeof pledgeViewSchema>, PledgeView>>,
  InStep<SameJson<Omit<z.output<typeof pledgeListSchema>, 'planId' | 'asOfPosition'>, PledgeList>>,
  InStep<SameJson<z.output<typeof totalsViewSchema>, Totals>>,
  InStep<SameJson<z.output<typeof complianceViewSchema>, Compliance>>,
  InStep<SameJson<z.output<typeof pledgeTimelineViewSchema>, PledgeTimeline>>,
  InStep<SameJson<z.output<typeof readScopeSchema>, ReadScope>>,
  InStep<SameJson<z.output<typeof planDiffSchema>, PlanDiff>>,
  InStep<SameJson<z.output<typeof pledgeDiffSchema>, PledgeDiff>>,
  InStep<SameJson<z.output<typeof contributionChange>, ContributionChange>>,
  InStep<
    SameJson<
      z.output<ReturnType<typeof historyEntry<typeof planDiffSchema | typeof pledgeDiffSchema>>>,
      StreamHistoryEntry
    >
  >,
  InStep<SameJson<z.output<typeof auditFeedEntrySchema>, AuditFeedEntry>>,
  InStep<SameJson<z.output<typeof reportViewSchema>, ReportView>>,
  InStep<SameJson<Omit<z.output<typeof reportListSchema>, 'planId' | 'asOfPosition'>, ReportList>>,
  InStep<SameJson<z.output<typeof reportDiffSchema>, ReportDiff>>,
  InStep<SameJson<z.output<typeof reportHistoryEntrySchema>, ReportHistoryEntry>>,
  InStep<SameJson<z.output<typeof fulfilmentViewSchema>, Fulfilment>>,
  InStep<SameJson<z.output<typeof amifAnnualExportViewSchema>, AmifAnnualExport>>,
  InStep<SameJson<z.output<typeof frameworkReportExportViewSchema>, FrameworkReportExport>>,
  InStep<Fits<z.output<typeof reportWriteSchema>, ReturnType<typeof reportWriteResult>>>,
  InStep<SameKeys<z.output<typeof reportWriteSchema>, ReturnType<typeof reportWriteResult>>>,
  InStep<SameJson<z.output<typeof replayCheckSchema>, ReplayCheckResult>>,
  InStep<SameJson<z.output<typeof auditLogStatusSchema>, AuditLogStatus>>,
  InStep<SameJson<z.output<typeof signedTreeHeadSchema>, SignedTreeHead>>,
  InStep<SameJson<z.output<typeof auditPublicKeySchema>, PublishedJwk>>,
  // A record's `data` is whatever the event holds (`unknown`); the tracker's events are objects.
  InStep<SameKeys<z.output<typeof auditRecordSchema>, AuditRecord>>,
  // A write answers with the stream's state after the write: never `none`, which the type allows.
  InStep<Fits<z.output<typeof pledgeWriteSchema>, ReturnType<typeof pledgeWriteResult>>>,
  InStep<SameKeys<z.output<typeof pledgeWriteSchema>, ReturnType<typeof pledgeWriteResult>>>,
  // /ready without a subscription reports fewer fields than a replica fed by one.
  InStep<
    Fits<
      ProjectionStatus & {
        store: string;
        status: 'ready' | 'not_ready';
        checks: { auditLog: AuditLogStatus };
      },
      z.output<typeof readinessDetailsSchema>
    >
  >,
  InStep<
    Fits<
      Participant & { mayPledge: boolean },
      z.output<typeof memberStatesSchema>['memberStates'][number]
    >
  >,
  InStep<SameJson<HostCountry, z.output<typeof hostCountriesSchema>['hostCountries'][number]>>,
  InStep<SameJson<UnhcrRegion, z.output<typeof unhcrRegionsSchema>['regions'][number]>>,
  InStep<SameJson<TargetGroup, z.output<typeof targetGroupsSchema>['targetGroups'][number]>>,
  InStep<Fits<typeof AMIF_LUMP_SUM_EUR, z.output<typeof amifLumpSumsSchema>['perPerson']>>,
];
