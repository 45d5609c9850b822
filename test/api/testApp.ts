/**
 * The API under test, wired as in main.ts but with a real SQLite store in `:memory:`, known bearer
 * tokens, a fixed clock the test moves by hand and deterministic ids, so every recorded event can
 * be asserted exactly: given streams, when a request, then status, body and the new events.
 */
import type { Express } from 'express';
import request from 'supertest';
import type { Response, Test } from 'supertest';
import { createApp, type AppDeps } from '../../src/api/app';
import type { QuotaSettings } from '../../src/api/quotas';
import { openApiDocument, type OpenApiDocument } from '../../src/api/openapi/document';
import { registryFromDemoTokens, type DemoToken } from '../../src/api/auth';
import { createTracker } from '../../src/application/tracker';
import type { Actor } from '../../src/domain/shared/messages';
import { currentSchemaVersion, isTrackerEventType } from '../../src/domain/events';
import { canonicalParticipantCode } from '../../src/domain/reference';
import {
  totalPersons,
  type Contribution,
  type PledgeLine,
} from '../../src/domain/shared/pledgeLine';
import {
  RESETTLEMENT_FLOOR_PERCENT,
  type UnionPlanStatus,
} from '../../src/domain/unionPlan/unionPlan';
import { unionPlanStreamId, type PlanRegion } from '../../src/domain/unionPlan/unionPlanEvents';
import { pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import {
  implementationReportStreamId,
  type AdmissionLine,
  type ImplementationReportCorrected,
  type ImplementationReportSubmitted,
} from '../../src/domain/implementation/implementationReportEvents';
import type { GlobalPosition, RecordedEvent } from '../../src/eventStore/port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import { ALL_PROJECTIONS } from '../../src/projections';
import { ProjectionFeed } from '../../src/projections/projectionFeed';
import { Projector } from '../../src/projections/projector';
import {
  ADOPTED_ON,
  DEADLINE,
  NOW,
  PERIOD_END,
  PERIOD_START,
  PLAN_ID,
  PROPOSED_ON,
  aLine,
  aPledgingClosed,
  planEventsAt,
} from '../domain/builders';
import { createContractValidator, type ContractValidator } from './contractValidator';

export {
  ADOPTED_ON,
  DEADLINE,
  NOW,
  PLAN_ID,
  PROPOSED_ON,
  aContribution,
  aLine,
  anEmergencyLine,
  aPlanAdopted,
  aPlanAmended,
  aPlanCreated,
  aPlanProposed,
  aPledgeRevised,
  aPledgeSubmitted,
  aPledgeWithdrawn,
  aPledgingClosed,
  aPledgingOpened,
  planEventsAt,
} from '../domain/builders';

// ---- principals ----

export const PRINCIPALS = {
  commission: { name: 'dg-home', role: 'commission' },
  auditor: { name: 'eca-auditor', role: 'auditor' },
  // Runs the service (metrics, readiness details); no API action is open to it.
  operator: { name: 'ops-monitor', role: 'operator' },
  de: { name: 'de-ministry', role: 'member_state', memberState: 'DE' },
  fr: { name: 'fr-ministry', role: 'member_state', memberState: 'FR' },
  nl: { name: 'nl-ministry', role: 'member_state', memberState: 'NL' },
  se: { name: 'se-ministry', role: 'member_state', memberState: 'SE' },
  it: { name: 'it-ministry', role: 'member_state', memberState: 'IT' },
  // Registered under the alias GR: the registry keeps the canonical EL.
  el: { name: 'el-ministry', role: 'member_state', memberState: 'GR' },
  // Ireland is bound by the Framework (it notified its wish to take part in 2024).
  ie: { name: 'ie-ministry', role: 'member_state', memberState: 'IE' },
  // Denmark is not bound by the Framework: it holds a token but may not pledge.
  dk: { name: 'dk-ministry', role: 'member_state', memberState: 'DK' },
  // Norway may associate itself with the plan's implementation (Art. 12).
  no: { name: 'no-ministry', role: 'member_state', memberState: 'NO' },
} as const satisfies Record<string, Omit<DemoToken, 'token'>>;

export type Principal = keyof typeof PRINCIPALS;
export const ALL_PRINCIPALS = Object.keys(PRINCIPALS) as Principal[];
export const MEMBER_STATE_PRINCIPALS = [
  'de',
  'fr',
  'nl',
  'se',
  'it',
  'el',
  'ie',
  'dk',
  'no',
] as const;

/** The plain bearer token of a principal; the registry only ever sees its SHA-256. */
export const tokenOf = (principal: Principal): string => `test-token-${principal}-0123456789abcdef`;

/** The actor the registry resolves the principal's token to (Member State code canonical). */
export function actorOf(principal: Principal): Actor {
  const entry: Omit<DemoToken, 'token'> = PRINCIPALS[principal];
  const memberState =
    entry.memberState === undefined ? undefined : canonicalParticipantCode(entry.memberState);
  return {
    id: entry.name,
    role: entry.role,
    ...(memberState !== undefined && { memberState }),
  };
}

export const bearer = (principal: Principal): string => `Bearer ${tokenOf(principal)}`;

/**
 * Events are recorded with the schema version of their type (version 2 shapes): given events are
 * stored the same way, so they decode as written. An unknown type keeps no version.
 */
function schemaVersionOf(type: string): { schemaVersion?: number } {
  return isTrackerEventType(type) ? { schemaVersion: currentSchemaVersion(type) } : {};
}

// ---- clock and ids ----

export interface TestClock {
  readonly now: () => Date;
  readonly iso: () => string;
  set(iso: string): void;
  advance(ms: number): string;
}

export function createTestClock(start: string = NOW): TestClock {
  let current = Date.parse(start);
  return {
    now: () => new Date(current),
    iso: () => new Date(current).toISOString(),
    set(iso) {
      current = Date.parse(iso);
    },
    advance(ms) {
      current += ms;
      return new Date(current).toISOString();
    },
  };
}

export interface Sequence {
  readonly next: () => string;
  readonly issued: () => number;
}

export function createSequence(prefix: string): Sequence {
  let count = 0;
  return {
    next: () => `${prefix}-${String(++count).padStart(4, '0')}`,
    issued: () => count,
  };
}

// ---- the app ----

export interface GivenStream {
  readonly streamId: string;
  readonly actor: Actor;
  readonly events: readonly { readonly type: string; readonly data: unknown }[];
  readonly reason?: string;
}

/** Where the log stood before the request under test. */
export interface Mark {
  readonly position: GlobalPosition;
  readonly eventIdsIssued: number;
}

export interface ExpectedEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: unknown;
  readonly actor: Principal;
  readonly reason?: string;
  /** The key as the client sent it; the store keeps it scoped to the principal. */
  readonly idempotencyKey?: string;
  /** The clock reading when the event was recorded; the clock's current reading by default. */
  readonly recordedAt?: string;
}

export type Client = Record<'get' | 'post' | 'put' | 'delete', (url: string) => Test>;

export interface TestApp {
  readonly app: Express;
  readonly store: SqliteEventStore;
  readonly projector: Projector;
  readonly clock: TestClock;
  readonly tokens: Readonly<Record<Principal, string>>;
  /** Requests authenticated as a principal. */
  as(principal: Principal): Client;
  /** Requests without credentials. */
  readonly anonymous: Client;
  /** Requests with these headers (a session cookie, say), held to the contract like the rest. */
  withHeaders(headers: Readonly<Record<string, string>>): Client;
  /** Appends the given streams straight to the store, as recorded facts. */
  given(...streams: readonly GivenStream[]): Promise<void>;
  mark(): Promise<Mark>;
  eventsSince(mark: Mark): Promise<RecordedEvent[]>;
  /** The exact events a request should have recorded after `mark`, in order. */
  recorded(mark: Mark, response: Response, expected: readonly ExpectedEvent[]): RecordedEvent[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly clockStart?: string;
  readonly bodyLimit?: string;
  /** Feed the projections from the store's subscription, as a replica does. */
  readonly withFeed?: boolean;
  readonly readWaitMs?: number;
  /** More of the app's dependencies (logger, metrics, CORS origins...). */
  readonly deps?: Partial<
    Pick<AppDeps, 'log' | 'logger' | 'metrics' | 'corsOrigins' | 'signIn' | 'webDir' | 'auditLog'>
  >;
  /** Quotas to test; the rate limiter runs on the test clock. */
  readonly quotas?: Partial<QuotaSettings>;
  /** The store to serve (closed by `close()`); a fresh in-memory SQLite store by default. */
  readonly store?: SqliteEventStore;
  /**
   * Hold every response to the published contract (on by default): a response the OpenAPI
   * document does not allow fails the request, naming the mismatches.
   */
  readonly checkContract?: boolean;
  /** The document to hold responses to; the one the app publishes by default. */
  readonly contract?: OpenApiDocument;
}

let sharedContract: ContractValidator | undefined;

/** One validator per test file: the document and its compiled schemas do not change. */
function contractValidator(): ContractValidator {
  sharedContract ??= createContractValidator(openApiDocument());
  return sharedContract;
}

export function createTestApp(options: TestAppOptions = {}): TestApp {
  const store = options.store ?? openSqliteEventStore(':memory:');
  const clock = createTestClock(options.clockStart);
  const eventIds = createSequence('event');
  const requestIds = createSequence('request');
  const givenIds = createSequence('given');
  const demoTokens: DemoToken[] = ALL_PRINCIPALS.map((principal) => ({
    ...PRINCIPALS[principal],
    token: tokenOf(principal),
  }));
  const tracker = createTracker({ store, clock: clock.now, newId: eventIds.next });
  const projector = new Projector(store, ALL_PROJECTIONS);
  const feed = options.withFeed === true ? new ProjectionFeed(store, projector) : undefined;
  feed?.start();
  const app = createApp({
    storeName: 'sqlite',
    storeHealth: () => store.health(),
    ...(feed !== undefined && { feed }),
    ...(options.readWaitMs !== undefined && { readWaitMs: options.readWaitMs }),
    tracker,
    projector,
    tokens: registryFromDemoTokens(demoTokens),
    newId: requestIds.next,
    ...(options.bodyLimit !== undefined && { bodyLimit: options.bodyLimit }),
    ...options.deps,
    ...(options.quotas !== undefined && { quotas: options.quotas }),
    clock: clock.now,
    quotaClock: () => clock.now().getTime(),
  });

  const contract =
    options.checkContract === false
      ? undefined
      : options.contract === undefined
        ? contractValidator()
        : createContractValidator(options.contract);
  const client = (
    authorization: string | undefined,
    headers: Readonly<Record<string, string>> = {},
  ): Client => {
    const send = (method: keyof Client, url: string): Test => {
      const test = request(app)[method](url);
      if (authorization !== undefined) test.set('Authorization', authorization);
      for (const [name, value] of Object.entries(headers)) test.set(name, value);
      if (contract === undefined) return test;
      return test.expect((response: Response) =>
        contract.assertMatches({
          method,
          url,
          status: response.status,
          headers: response.headers,
          text: response.text,
        }),
      );
    };
    return {
      get: (url) => send('get', url),
      post: (url) => send('post', url),
      put: (url) => send('put', url),
      delete: (url) => send('delete', url),
    };
  };

  return {
    app,
    store,
    projector,
    clock,
    tokens: Object.fromEntries(ALL_PRINCIPALS.map((p) => [p, tokenOf(p)])) as Record<
      Principal,
      string
    >,
    as: (principal) => client(bearer(principal)),
    anonymous: client(undefined),
    withHeaders: (headers) => client(undefined, headers),

    async given(...streams) {
      for (const stream of streams) {
        if (stream.events.length === 0) continue;
        await store.append(
          stream.streamId,
          stream.events.map((event) => ({
            id: givenIds.next(),
            type: event.type,
            data: event.data,
            metadata: {
              actor: stream.actor,
              recordedAt: clock.iso(),
              correlationId: 'given',
              causationId: 'given',
              ...(stream.reason !== undefined && { reason: stream.reason }),
              ...schemaVersionOf(event.type),
            },
          })),
          { expectedVersion: 'any' },
        );
      }
    },

    async mark() {
      return { position: await store.headPosition(), eventIdsIssued: eventIds.issued() };
    },

    async eventsSince(mark) {
      return [...(await store.readAll({ fromPosition: mark.position }))];
    },

    recorded(mark, response, expected) {
      return expected.map((event, index) => ({
        id: `event-${String(mark.eventIdsIssued + index + 1).padStart(4, '0')}`,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        globalPosition: mark.position + index + 1,
        type: event.type,
        data: event.data,
        metadata: {
          actor: actorOf(event.actor),
          recordedAt: event.recordedAt ?? clock.iso(),
          correlationId: response.headers['x-correlation-id'] as string,
          causationId: response.headers['x-request-id'] as string,
          ...(event.reason !== undefined && { reason: event.reason }),
          ...(event.idempotencyKey !== undefined && {
            idempotencyKey: `${PRINCIPALS[event.actor].name}:${event.idempotencyKey}`,
          }),
          ...schemaVersionOf(event.type),
        },
      }));
    },

    close: async () => {
      await feed?.stop();
      await store.close();
    },
  };
}

// ---- given streams ----

/** The default plan's stream as the Commission recorded it up to a status, from the domain's builders. */
export function planStream(status: UnionPlanStatus): GivenStream {
  return {
    streamId: unionPlanStreamId(PLAN_ID),
    actor: actorOf('commission'),
    events: planEventsAt(status),
  };
}

/**
 * The plan at a status with pledges given in the order a real log has them: for a closed round the
 * pledges come before the closing (a proposal snapshots the pledges as they stood at the closing).
 */
export function planWithPledges(status: UnionPlanStatus, ...pledges: GivenStream[]): GivenStream[] {
  if (status !== 'pledging_closed') return [planStream(status), ...pledges];
  const closing: GivenStream = {
    streamId: unionPlanStreamId(PLAN_ID),
    actor: actorOf('commission'),
    events: [aPledgingClosed()],
  };
  return [planStream('pledging_open'), ...pledges, closing];
}

/** A Member State's pledge stream for the default plan, recorded by its own ministry. */
export function pledgeStream(memberState: string, events: GivenStream['events']): GivenStream {
  const principal = MEMBER_STATE_PRINCIPALS.find(
    (candidate) => actorOf(candidate).memberState === memberState,
  );
  return {
    streamId: pledgeStreamId(PLAN_ID, memberState),
    actor:
      principal === undefined
        ? { id: `${memberState.toLowerCase()}-ministry`, role: 'member_state', memberState }
        : actorOf(principal),
    events,
  };
}

// ---- urls ----

export const urls = {
  plans: '/api/v1/plans',
  plan: (planId: string = PLAN_ID) => `/api/v1/plans/${planId}`,
  open: (planId: string = PLAN_ID) => `/api/v1/plans/${planId}/pledging/open`,
  close: (planId: string = PLAN_ID) => `/api/v1/plans/${planId}/pledging/close`,
  proposal: (planId: string = PLAN_ID) => `/api/v1/plans/${planId}/proposal`,
  adoption: (planId: string = PLAN_ID) => `/api/v1/plans/${planId}/adoption`,
  amendments: (planId: string = PLAN_ID) => `/api/v1/plans/${planId}/amendments`,
  planHistory: (planId: string = PLAN_ID) => `/api/v1/plans/${planId}/history`,
  totals: (query = '', planId: string = PLAN_ID) => `/api/v1/plans/${planId}/totals${query}`,
  compliance: (query = '', planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/compliance${query}`,
  timeline: (query = '', planId: string = PLAN_ID) => `/api/v1/plans/${planId}/timeline${query}`,
  pledges: (planId: string = PLAN_ID) => `/api/v1/plans/${planId}/pledges`,
  pledge: (memberState: string, planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/pledges/${memberState}`,
  withdrawal: (memberState: string, planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/pledges/${memberState}/withdrawal`,
  pledgeHistory: (memberState: string, planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/pledges/${memberState}/history`,
  auditEvents: (query = '') => `/api/v1/audit/events${query}`,
  reports: (query = '', planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/implementation${query}`,
  report: (memberState: string, month: string, planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/implementation/${memberState}/${month}`,
  reportHistory: (memberState: string, month: string, query = '', planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/implementation/${memberState}/${month}/history${query}`,
  fulfilment: (query = '', planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/fulfilment${query}`,
  amifExport: (query = '', planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/exports/amif-annual${query}`,
  frameworkExport: (query = '', planId: string = PLAN_ID) =>
    `/api/v1/plans/${planId}/exports/framework-report${query}`,
  replay: '/api/v1/audit/replay',
  auditKey: '/api/v1/audit/key',
  treeHead: '/api/v1/audit/tree-head',
  inclusionProof: (query = '') => `/api/v1/audit/proof/inclusion${query}`,
  consistencyProof: (query = '') => `/api/v1/audit/proof/consistency${query}`,
  auditRecord: (position: number | string) => `/api/v1/audit/records/${position}`,
  auditExport: (query = '') => `/api/v1/audit/export${query}`,
  quota: '/api/v1/quota',
  health: '/health',
};

export const streams = {
  plan: (planId: string = PLAN_ID) => unionPlanStreamId(planId),
  pledge: (memberState: string, planId: string = PLAN_ID) => pledgeStreamId(planId, memberState),
  report: (memberState: string, month: string, planId: string = PLAN_ID) =>
    implementationReportStreamId(planId, memberState, month),
};

/** A participant's report stream for a month of the default plan, recorded by its own ministry. */
export function reportStream(
  memberState: string,
  month: string,
  events: GivenStream['events'],
): GivenStream {
  return { ...pledgeStream(memberState, events), streamId: streams.report(memberState, month) };
}

// ---- monthly reports ----

/** A line of admissions: a pledge line with the persons admitted (100 resettled from Türkiye). */
export function anAdmission(overrides: Partial<AdmissionLine> = {}): AdmissionLine {
  return { ...aLine(), ...overrides };
}

type ReportData = ImplementationReportSubmitted['data'];

export function aReportSubmitted(
  overrides: Partial<ReportData> = {},
): ImplementationReportSubmitted {
  return {
    type: 'ImplementationReportSubmitted',
    data: {
      planId: PLAN_ID,
      memberState: 'DE',
      month: '2026-01',
      admissions: [anAdmission()],
      onBehalf: false,
      ...overrides,
    },
  };
}

export function aReportCorrected(
  overrides: Partial<ImplementationReportCorrected['data']> = {},
): ImplementationReportCorrected {
  return {
    type: 'ImplementationReportCorrected',
    data: { ...aReportSubmitted().data, reason: 'Late arrivals counted', ...overrides },
  };
}

export function aReportBody(
  admissions: readonly AdmissionLine[] = [anAdmission()],
  overrides: Record<string, unknown> = {},
) {
  return { admissions, ...overrides };
}

// ---- request bodies ----

export function aPlanBody(overrides: Record<string, unknown> = {}) {
  return {
    planId: PLAN_ID,
    periodStart: PERIOD_START,
    periodEnd: PERIOD_END,
    priorityCountries: ['EG', 'JO', 'LB', 'NE', 'SD', 'TD', 'TR'],
    priorityRegions: ['americas'],
    ...overrides,
  };
}

export function anOpenPledgingBody(overrides: Record<string, unknown> = {}) {
  return { deadline: DEADLINE, ...overrides };
}

export function aProposalBody(overrides: Record<string, unknown> = {}) {
  return {
    reference: 'COM(2025) proposal for the 2026-2027 Union Plan',
    proposedOn: PROPOSED_ON,
    ...overrides,
  };
}

export function anAdoptionBody(overrides: Record<string, unknown> = {}) {
  return {
    actReference: 'Council Implementing Decision (EU) 2025/2628',
    adoptedOn: ADOPTED_ON,
    ...overrides,
  };
}

export function anAmendmentBody(overrides: Record<string, unknown> = {}) {
  return {
    actReference: 'Council Implementing Decision amending 2025/2628',
    adoptedOn: '2026-06-15',
    reason: 'Unforeseen crisis: add Ethiopia',
    addPriorityCountries: ['ET'],
    ...overrides,
  };
}

/** One of the plan's own regions (Art. 8(3)(c)), as a request names it and the plan stores it. */
export function aPlanRegion(overrides: Partial<PlanRegion> = {}): PlanRegion {
  return {
    id: 'central_mediterranean',
    name: 'Central Mediterranean route',
    countries: ['LY', 'TN'],
    ...overrides,
  };
}

export function aPledgeBody(
  lines: readonly PledgeLine[] = [aLine()],
  overrides: Record<string, unknown> = {},
) {
  return { lines, ...overrides };
}

export function aWithdrawalBody(reason = 'Reception capacity exhausted') {
  return { reason };
}

// ---- responses ----

/** A contribution as the plan's view shows it: with its persons in total. */
export function withTotal(contribution: Contribution) {
  return { ...contribution, total: totalPersons(contribution.lines) };
}

/**
 * The default plan in its one response shape (a write's answer and a GET's), as created by
 * `aPlanBody()` and recorded at the test clock's start; override what the stage changes.
 */
export function aPlanView(overrides: Record<string, unknown> = {}) {
  return {
    planId: PLAN_ID,
    status: 'draft',
    periodStart: PERIOD_START,
    periodEnd: PERIOD_END,
    resettlementFloorPercent: RESETTLEMENT_FLOOR_PERCENT,
    priorityCountries: aPlanBody().priorityCountries,
    priorityRegions: aPlanBody().priorityRegions,
    regions: [],
    amendments: [],
    version: 1,
    position: 1,
    createdAt: NOW,
    updatedAt: NOW,
    // The log position the answer reflects: with nothing written since, the plan's own latest.
    asOfPosition: overrides['position'] ?? 1,
    ...overrides,
  };
}

/** A plan write answers with exactly what the plan's GET answers right after it, ETag included. */
export async function expectSameAsPlanGet(t: TestApp, write: Response): Promise<void> {
  const read = await t.as('commission').get(urls.plan((write.body as { planId: string }).planId));
  expect(read.status).toBe(200);
  expect(write.body).toEqual(read.body);
  expect(write.headers['etag']).toBe(read.headers['etag']);
}

// ---- assertions ----

export const PROBLEM_JSON = /^application\/problem\+json/;

/** A problem+json response with the given status and code. */
export function expectProblem(response: Response, status: number, code: string): void {
  expect({ status: response.status, code: (response.body as { code?: unknown }).code }).toEqual({
    status,
    code,
  });
  expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  expect(response.body).toMatchObject({
    type: `urn:pledge-tracker:problem:${code}`,
    status,
    code,
    title: expect.any(String),
    detail: expect.any(String),
    instance: expect.any(String),
  });
}

/** A rejected request: the problem, nothing appended, and the server still answering. */
export async function expectRejected(
  t: TestApp,
  mark: Mark,
  response: Response,
  status: number,
  code: string,
): Promise<void> {
  expectProblem(response, status, code);
  expect(await t.eventsSince(mark)).toEqual([]);
  expect(await t.store.headPosition()).toBe(mark.position);
  const health = await t.anonymous.get(urls.health);
  expect(health.status).toBe(200);
}
