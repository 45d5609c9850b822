/**
 * The route table: one entry per route the app serves, from which the OpenAPI document is built.
 * An entry names what is particular to its route; what follows from its kind is added by the
 * builder (`document.ts`), so that a route never forgets a header or a problem its kind produces:
 *
 * - `access` other than `public`: a bearer token (401 `unauthenticated` with `WWW-Authenticate`),
 *   the access policy's action (403 `forbidden`), the JSON body parser every authenticated route
 *   sits behind (400 `malformed_json`, 413, 415), `X-Min-Position` parsing (400), and the log it
 *   reads or writes (503 `read_model_stopped`);
 * - `effect: 'read'`: a read of the projections (`X-Min-Position` honoured, `X-Log-Position`
 *   answered, 503 `projections_behind`);
 * - `effect: 'write'`: an append (`Idempotency-Key`, `ETag`, `X-Log-Position`,
 *   `Idempotent-Replayed`, `Location` on 201, 412 `version_conflict`, 422 `idempotency_key_reused`);
 * - a `params`, `query` or `body` schema: 400 `invalid_request`;
 * - every route: 500 `internal_error`, `X-Correlation-Id` in, `X-Request-Id` and `X-Correlation-Id` out.
 *
 * `problems` lists the rest: the codes the route's own handler and the domain can refuse with.
 */
import type { z } from 'zod';
import type { Action } from '../../application/accessPolicy';
import { MAX_TIMELINE_POINTS } from '../../projections/pledgeTimeline';
import {
  adoptionBody,
  amendmentBody,
  asOfQuery,
  auditExportQuery,
  auditFeedQuery,
  auditRecordParams,
  callbackQuery,
  consistencyProofQuery,
  inclusionProofQuery,
  closePledgingBody,
  developmentSignInBody,
  loginQuery,
  createPlanBody,
  emptyQuery,
  historyQuery,
  openPledgingBody,
  planListQuery,
  planParams,
  pledgeParams,
  proposalBody,
  putPledgeBody,
  putReportBody,
  amifExportQuery,
  frameworkExportQuery,
  reportListQuery,
  reportParams,
  viewQuery,
  withdrawPledgeBody,
} from '../schemas';
import {
  amifLumpSumsSchema,
  auditExportSchema,
  auditFeedSchema,
  auditPublicKeySchema,
  auditRecordSchema,
  authOptionsSchema,
  consistencyProofSchema,
  inclusionProofSchema,
  signedTreeHeadSchema,
  logoutSchema,
  sessionSchema,
  complianceSchema,
  healthSchema,
  hostCountriesSchema,
  memberStatesSchema,
  openApiDocumentSchema,
  planHistorySchema,
  planListSchema,
  planSchema,
  pledgeTimelineSchema,
  pledgeHistorySchema,
  pledgeListSchema,
  pledgeSchema,
  pledgeWriteSchema,
  metricsSchema,
  quotaSchema,
  readinessSchema,
  replayCheckSchema,
  targetGroupsSchema,
  totalsSchema,
  unhcrRegionsSchema,
  amifAnnualExportSchema,
  csvSchema,
  frameworkReportExportSchema,
  fulfilmentSchema,
  reportHistorySchema,
  reportListSchema,
  reportSchema,
  reportWriteSchema,
} from '../responseSchemas';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export type ProblemStatus =
  400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 500 | 503 | 507;

/** Per status, the problem `code`s a route may answer with. */
export type ProblemCodes = Partial<Record<ProblemStatus, readonly string[]>>;

export type RequestHeaderName =
  'If-Match' | 'If-None-Match' | 'Idempotency-Key' | 'X-Min-Position' | 'X-Correlation-Id';

export type ResponseHeaderName =
  | 'ETag'
  | 'X-Log-Position'
  | 'Location'
  | 'Idempotent-Replayed'
  | 'WWW-Authenticate'
  | 'Retry-After'
  | 'X-Request-Id'
  | 'X-Correlation-Id'
  | 'Link'
  | 'Allow'
  | 'RateLimit-Limit'
  | 'RateLimit-Remaining'
  | 'RateLimit-Reset'
  | 'RateLimit-Policy'
  | 'Set-Cookie'
  | 'Content-Disposition';

export interface SuccessResponse {
  readonly status: 200 | 201 | 302 | 503;
  readonly description: string;
  /** A schema named in `responseComponents`; none for a redirect, which has no body. */
  readonly schema?: z.ZodType;
  readonly headers?: readonly ResponseHeaderName[];
  /** Default `application/json`. */
  readonly mediaType?: string;
  /** The same answer in other media types, chosen by a query parameter (a CSV export). */
  readonly alternatives?: readonly { readonly mediaType: string; readonly schema: z.ZodType }[];
}

export type Tag =
  | 'Plans'
  | 'Pledges'
  | 'Figures'
  | 'Implementation'
  | 'History and audit'
  | 'Audit'
  | 'Reference data'
  | 'Session'
  | 'Operations';

export interface RouteContract {
  readonly method: HttpMethod;
  /** OpenAPI form: `/api/v1/plans/{planId}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: Tag;
  /**
   * `public`; `operator`: an operator's bearer token (operations, outside the access policy's
   * `/api/v1` actions); or the access policy's action a bearer token must be granted.
   */
  readonly access: 'public' | 'operator' | Action;
  readonly effect?: 'read' | 'write';
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: { readonly schema: z.ZodType; readonly required: boolean };
  readonly requestHeaders?: Partial<Record<RequestHeaderName, 'required' | 'optional'>>;
  readonly responses: readonly SuccessResponse[];
  readonly problems?: ProblemCodes;
}

/** Routes that serve the documentation UI itself (HTML and static files): not part of the contract. */
export const UNDOCUMENTED_ROUTES: readonly {
  readonly method: HttpMethod;
  readonly path: string;
}[] = [
  { method: 'get', path: '/docs' },
  { method: 'get', path: '/docs/{asset}' },
];

// ---- problems that several routes share ----

/** A pledge line's checks (`normaliseLines`). */
const LINE_PROBLEMS = {
  422: [
    'unknown_host_country',
    'unknown_target_group',
    'empty_pledge',
    'invalid_pledge_line',
    'duplicate_pledge_line',
    'unknown_plan_region',
    'year_outside_plan_period',
  ],
} as const satisfies ProblemCodes;

/** Contributions named in a request body (`normaliseContributions`): each one's lines too. */
const CONTRIBUTION_PROBLEMS = {
  422: [
    'unknown_member_state',
    'participant_not_bound',
    'duplicate_contribution',
    ...LINE_PROBLEMS[422],
  ],
} as const satisfies ProblemCodes;

/** A lifecycle step on an existing plan. If-Match is optional: without it, a lost race is a 409. */
const PLAN_STEP_PROBLEMS = {
  404: ['plan_not_found'],
  409: ['invalid_transition', 'version_conflict'],
} as const satisfies ProblemCodes;

/**
 * The verifiable log's routes read the store directly, not the projections: its failures, and
 * the refusal to sign a head while the log does not match its tree.
 */
const AUDIT_LOG_PROBLEMS = {
  503: ['audit_log_mismatch', 'store_corrupted', 'store_unavailable', 'store_busy'],
} as const satisfies ProblemCodes;

/** Combines problem tables, keeping every code of each status once. */
export function mergeProblems(...tables: readonly ProblemCodes[]): ProblemCodes {
  const merged = new Map<ProblemStatus, Set<string>>();
  for (const table of tables) {
    for (const [key, codes] of Object.entries(table)) {
      const status = Number(key) as ProblemStatus;
      const set = merged.get(status) ?? new Set<string>();
      for (const code of codes) set.add(code);
      merged.set(status, set);
    }
  }
  return Object.fromEntries(
    [...merged].sort(([a], [b]) => a - b).map(([status, codes]) => [status, [...codes]]),
  );
}

const PLAN_PATH = '/api/v1/plans/{planId}';
const PLEDGE_PATH = `${PLAN_PATH}/pledges/{memberState}`;
const REPORT_PATH = `${PLAN_PATH}/implementation/{memberState}/{month}`;

/** What the reading of a report refuses besides the access policy: an unknown participant. */
const REPORT_READ_PROBLEMS = {
  404: ['report_not_found'],
  422: ['unknown_member_state'],
} as const satisfies ProblemCodes;

/** A plan-wide view that exists once the plan is adopted. */
const ADOPTED_VIEW_PROBLEMS = {
  404: ['plan_not_found', 'view_not_available'],
} as const satisfies ProblemCodes;

/** An export: JSON by default, CSV (a download) with `format=csv`. */
function exported(description: string, schema: z.ZodType): SuccessResponse {
  return {
    status: 200,
    description,
    schema,
    headers: ['Content-Disposition'],
    alternatives: [{ mediaType: 'text/csv', schema: csvSchema }],
  };
}

const planWritten = (status: 200 | 201): SuccessResponse => ({
  status,
  description:
    status === 201
      ? 'The plan, created: the same shape `GET /api/v1/plans/{planId}` answers'
      : 'The plan as of the version written: the same shape `GET /api/v1/plans/{planId}` answers',
  schema: planSchema,
});

/** One Commission lifecycle step on a plan: POST a body, the plan answers. */
function lifecycleStep(
  step: string,
  operationId: string,
  summary: string,
  body: RouteContract['body'],
  problems: ProblemCodes,
  description?: string,
): RouteContract {
  return {
    method: 'post',
    path: `${PLAN_PATH}${step}`,
    operationId,
    summary,
    ...(description !== undefined && { description }),
    tag: 'Plans',
    access: 'plan.lifecycle',
    effect: 'write',
    params: planParams,
    ...(body !== undefined && { body }),
    requestHeaders: { 'If-Match': 'optional' },
    responses: [planWritten(200)],
    problems: mergeProblems(PLAN_STEP_PROBLEMS, problems),
  };
}

/** A withdrawal: DELETE on the pledge, or POST to its `withdrawal`; the same answer. */
function withdrawal(
  method: 'delete' | 'post',
  path: string,
  operationId: string,
  summary: string,
): RouteContract {
  return {
    method,
    path,
    operationId,
    summary,
    tag: 'Pledges',
    access: 'pledge.write',
    effect: 'write',
    params: pledgeParams,
    body: { schema: withdrawPledgeBody, required: true },
    requestHeaders: { 'If-Match': 'required' },
    responses: [{ status: 200, description: 'Withdrawn', schema: pledgeWriteSchema }],
    problems: {
      404: ['plan_not_found', 'pledge_not_found'],
      409: ['pledging_not_open', 'plan_period_ended', 'pledge_already_withdrawn'],
      422: ['unknown_member_state', 'participant_not_bound', 'reason_required'],
      428: ['precondition_required'],
    },
  };
}

export const ROUTES: readonly RouteContract[] = [
  // ---- operations ----
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness: the process answers',
    tag: 'Operations',
    access: 'public',
    responses: [{ status: 200, description: 'Alive', schema: healthSchema }],
  },
  {
    method: 'get',
    path: '/ready',
    operationId: 'getReadiness',
    summary: 'Readiness: the store answers and the projections are not stuck behind it',
    tag: 'Operations',
    access: 'public',
    responses: [
      { status: 200, description: 'Ready', schema: readinessSchema },
      {
        status: 503,
        description: 'Not ready (the same body, `ready: false`)',
        schema: readinessSchema,
      },
    ],
  },
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    operationId: 'getContract',
    summary: 'This contract, as an OpenAPI 3.1 document',
    description: 'Public reference data. Interactive documentation of it is served at `/docs`.',
    tag: 'Operations',
    access: 'public',
    responses: [{ status: 200, description: 'The document', schema: openApiDocumentSchema }],
  },

  // ---- reference data ----
  {
    method: 'get',
    path: '/api/v1/reference/member-states',
    operationId: 'listMemberStates',
    summary: 'The EU-27 and the states that may associate (Art. 12), with who may pledge',
    tag: 'Reference data',
    access: 'public',
    responses: [{ status: 200, description: 'Every participant', schema: memberStatesSchema }],
  },
  {
    method: 'get',
    path: '/api/v1/reference/host-countries',
    operationId: 'listHostCountries',
    summary: 'Host (first-asylum) countries and the UNHCR bureau each reports under',
    tag: 'Reference data',
    access: 'public',
    responses: [{ status: 200, description: 'Every host country', schema: hostCountriesSchema }],
  },
  {
    method: 'get',
    path: '/api/v1/reference/regions',
    operationId: 'listUnhcrRegions',
    summary: "UNHCR's regional bureaux",
    tag: 'Reference data',
    access: 'public',
    responses: [{ status: 200, description: 'The seven bureaux', schema: unhcrRegionsSchema }],
  },
  {
    method: 'get',
    path: '/api/v1/reference/target-groups',
    operationId: 'listTargetGroups',
    summary: 'Target groups of eligible persons (Art. 5(3))',
    tag: 'Reference data',
    access: 'public',
    responses: [{ status: 200, description: 'Every target group', schema: targetGroupsSchema }],
  },
  {
    method: 'get',
    path: '/api/v1/reference/amif-lump-sums',
    operationId: 'getAmifLumpSums',
    summary: 'AMIF lump sums per person admitted (forecasts until persons are admitted)',
    tag: 'Reference data',
    access: 'public',
    responses: [{ status: 200, description: 'The lump sums in euros', schema: amifLumpSumsSchema }],
  },

  // ---- plans ----
  {
    method: 'post',
    path: '/api/v1/plans',
    operationId: 'createPlan',
    summary: 'Create a plan (draft)',
    tag: 'Plans',
    access: 'plan.lifecycle',
    effect: 'write',
    query: emptyQuery,
    body: { schema: createPlanBody, required: true },
    requestHeaders: { 'If-Match': 'optional' },
    responses: [planWritten(201)],
    problems: {
      409: ['plan_already_exists', 'version_conflict'],
      422: [
        'unknown_host_country',
        'unknown_region',
        'invalid_plan_period',
        'invalid_resettlement_floor',
        'invalid_plan_region',
      ],
    },
  },
  {
    method: 'get',
    path: '/api/v1/plans',
    operationId: 'listPlans',
    summary: 'Every plan, as the caller may see it',
    description: '`asOf` lists the plans as they stood then, each with its status of that time.',
    tag: 'Plans',
    access: 'plan.read',
    effect: 'read',
    query: planListQuery,
    responses: [
      {
        status: 200,
        description: 'One page of the plans, by plan id',
        schema: planListSchema,
        headers: ['Link'],
      },
    ],
  },
  {
    method: 'get',
    path: PLAN_PATH,
    operationId: 'getPlan',
    summary: 'One plan: status, proposal, adoption, amendments',
    description: "The ETag is the plan stream's version. `asOf` reads the plan as it stood then.",
    tag: 'Plans',
    access: 'plan.read',
    effect: 'read',
    params: planParams,
    query: asOfQuery,
    responses: [{ status: 200, description: 'The plan', schema: planSchema, headers: ['ETag'] }],
    problems: { 404: ['plan_not_found'] },
  },
  lifecycleStep(
    '/pledging/open',
    'openPledging',
    'Open the pledging round, optionally with a deadline',
    { schema: openPledgingBody, required: false },
    { 422: ['invalid_deadline'] },
  ),
  lifecycleStep(
    '/pledging/close',
    'closePledging',
    'Close the pledging round',
    { schema: closePledgingBody, required: false },
    {},
  ),
  lifecycleStep(
    '/proposal',
    'recordProposal',
    "Record the Commission's proposal",
    { schema: proposalBody, required: true },
    { 422: ['invalid_act_date', 'proposal_without_contributions', 'reference_required'] },
    'Snapshots every active pledge as it stood when the round closed.',
  ),
  lifecycleStep(
    '/adoption',
    'recordAdoption',
    "Record the Council's adoption",
    { schema: adoptionBody, required: true },
    mergeProblems(CONTRIBUTION_PROBLEMS, {
      422: ['invalid_act_date', 'proposal_without_contributions', 'reference_required'],
    }),
    "Without `contributions`, the proposal's are adopted.",
  ),
  lifecycleStep(
    '/amendments',
    'recordAmendment',
    'Record an amendment of the adopted plan (Art. 8(6))',
    { schema: amendmentBody, required: true },
    mergeProblems(CONTRIBUTION_PROBLEMS, {
      422: [
        'unknown_region',
        'no_pending_change',
        'invalid_act_date',
        'reason_required',
        'invalid_plan_region',
        'empty_amendment',
        'proposal_without_contributions',
        'reference_required',
      ],
    }),
    "Each named contribution replaces that participant's; empty lines remove it from the plan. `adoptPendingFrom` names participants whose pending change (made after adoption) the amendment adopts as it stands.",
  ),

  // ---- pledges ----
  {
    method: 'get',
    path: `${PLAN_PATH}/pledges`,
    operationId: 'listPledges',
    summary: "A plan's pledges, as the caller may see them",
    tag: 'Pledges',
    access: 'pledges.list',
    effect: 'read',
    params: planParams,
    query: asOfQuery,
    responses: [
      {
        status: 200,
        description: "Member States' pledges and associated states' indications apart",
        schema: pledgeListSchema,
      },
    ],
    problems: { 404: ['plan_not_found'] },
  },
  {
    method: 'get',
    path: PLEDGE_PATH,
    operationId: 'getPledge',
    summary: "One participant's pledge",
    description:
      "The ETag is the pledge stream's version: send it as If-Match to change the pledge.",
    tag: 'Pledges',
    access: 'pledge.read',
    effect: 'read',
    params: pledgeParams,
    query: asOfQuery,
    responses: [
      { status: 200, description: 'The pledge', schema: pledgeSchema, headers: ['ETag'] },
    ],
    problems: { 404: ['pledge_not_found'], 422: ['unknown_member_state'] },
  },
  {
    method: 'put',
    path: PLEDGE_PATH,
    operationId: 'putPledge',
    summary: 'Submit (If-None-Match: *) or revise (If-Match) a pledge',
    description:
      'A Member State ministry, for its own Member State only. A revision states its reason.',
    tag: 'Pledges',
    access: 'pledge.write',
    effect: 'write',
    params: pledgeParams,
    body: { schema: putPledgeBody, required: true },
    requestHeaders: { 'If-Match': 'optional', 'If-None-Match': 'optional' },
    responses: [
      { status: 201, description: 'Submitted: the first version', schema: pledgeWriteSchema },
      {
        status: 200,
        description: 'Revised, or submitted again after a withdrawal',
        schema: pledgeWriteSchema,
      },
    ],
    problems: mergeProblems(LINE_PROBLEMS, {
      400: ['conflicting_preconditions'],
      404: ['plan_not_found'],
      413: ['pledge_too_large'],
      429: ['storage_quota_exceeded'],
      409: [
        'pledging_not_open',
        'pledging_closed',
        'pledge_deadline_passed',
        'indication_raised_after_closing',
        'plan_period_ended',
      ],
      412: ['pledge_already_submitted'],
      422: ['unknown_member_state', 'participant_not_bound', 'reason_required', 'no_op_revision'],
      428: ['precondition_required'],
    }),
  },
  withdrawal('delete', PLEDGE_PATH, 'withdrawPledge', 'Withdraw a pledge, stating the reason'),
  withdrawal(
    'post',
    `${PLEDGE_PATH}/withdrawal`,
    'withdrawPledgeByPost',
    'Withdraw a pledge, stating the reason (for clients that cannot send a body with DELETE)',
  ),

  // ---- figures ----
  {
    method: 'get',
    path: `${PLAN_PATH}/totals`,
    operationId: 'getTotals',
    summary: 'Totals by UNHCR bureau, plan region, admission type, Member State and year',
    tag: 'Figures',
    access: 'figures.read',
    effect: 'read',
    params: planParams,
    query: viewQuery,
    responses: [{ status: 200, description: 'The totals of the view', schema: totalsSchema }],
    problems: { 404: ['plan_not_found', 'view_not_available'] },
  },
  {
    method: 'get',
    path: `${PLAN_PATH}/compliance`,
    operationId: 'getCompliance',
    summary: "A view's consistency with the Framework's rules",
    description: 'Each check is `pass`, `info`, `warn` or `fail`, with the figures behind it.',
    tag: 'Figures',
    access: 'figures.read',
    effect: 'read',
    params: planParams,
    query: viewQuery,
    responses: [{ status: 200, description: 'The checks', schema: complianceSchema }],
    problems: { 404: ['plan_not_found', 'view_not_available'] },
  },

  {
    method: 'get',
    path: `${PLAN_PATH}/timeline`,
    operationId: 'getPledgeTimeline',
    summary: "The Member States' pledged total after every pledge event of the plan",
    description: `One point per pledge submitted, revised or withdrawn, in log order: the total of the Member States' active pledges right after it, by admission type. Associated states' indications are outside, as in the plan's figures. A Member State follows its own pledge alone (\`scope\`). At most ${MAX_TIMELINE_POINTS} points: a longer timeline is thinned evenly, the first and the last kept.`,
    tag: 'Figures',
    access: 'figures.read',
    effect: 'read',
    params: planParams,
    query: asOfQuery,
    responses: [{ status: 200, description: 'The timeline', schema: pledgeTimelineSchema }],
    problems: { 404: ['plan_not_found'] },
  },

  // ---- implementation ----
  {
    method: 'put',
    path: REPORT_PATH,
    operationId: 'putImplementationReport',
    summary: "Submit (If-None-Match: *) or correct (If-Match and a reason) a month's report",
    description:
      "A participant's monthly implementation report under the adopted plan (Art. 9; AMIF Art. 19): the persons admitted in the month by line, with those in the Art. 19(3) groups and their family members, and the single admission procedure's counts. Counts only: a note or reason that looks like personal data is refused. By the participant's own ministry, or by the Commission on its behalf (`onBehalf`). Only after adoption, for a month of the plan period that has begun.",
    tag: 'Implementation',
    access: 'implementation.write',
    effect: 'write',
    params: reportParams,
    body: { schema: putReportBody, required: true },
    requestHeaders: { 'If-Match': 'optional', 'If-None-Match': 'optional' },
    responses: [
      { status: 201, description: 'Submitted: the first version', schema: reportWriteSchema },
      { status: 200, description: 'Corrected', schema: reportWriteSchema },
    ],
    problems: mergeProblems({
      400: ['conflicting_preconditions'],
      404: ['plan_not_found'],
      409: ['plan_not_adopted'],
      412: ['report_already_submitted'],
      413: ['report_too_large'],
      422: [
        'unknown_member_state',
        'participant_not_bound',
        'month_outside_plan_period',
        'month_not_begun',
        // A line's checks are the pledge line's (`normaliseLines`), its codes renamed for reports.
        'unknown_host_country',
        'unknown_target_group',
        'unknown_plan_region',
        'year_outside_plan_period',
        'invalid_admission_line',
        'duplicate_admission_line',
        'group_count_exceeds_persons',
        'breakdown_mismatch',
        'invalid_procedure_counts',
        'personal_data_suspected',
        'reason_required',
        'no_op_correction',
      ],
      428: ['precondition_required'],
      429: ['storage_quota_exceeded'],
    }),
  },
  {
    method: 'get',
    path: `${PLAN_PATH}/implementation`,
    operationId: 'listImplementationReports',
    summary: "A plan's monthly reports, as the caller may see them",
    description:
      'A Member State lists its own reports; naming another in `memberState` is refused (403).',
    tag: 'Implementation',
    access: 'implementation.read',
    effect: 'read',
    params: planParams,
    query: reportListQuery,
    responses: [
      {
        status: 200,
        description: "Member States' reports and associated states' apart",
        schema: reportListSchema,
      },
    ],
    problems: { 404: ['plan_not_found'], 422: ['unknown_member_state'] },
  },
  {
    method: 'get',
    path: REPORT_PATH,
    operationId: 'getImplementationReport',
    summary: "One participant's report for one month",
    description:
      "The ETag is the report stream's version: send it as If-Match to correct the report.",
    tag: 'Implementation',
    access: 'implementation.read',
    effect: 'read',
    params: reportParams,
    query: asOfQuery,
    responses: [
      { status: 200, description: 'The report', schema: reportSchema, headers: ['ETag'] },
    ],
    problems: REPORT_READ_PROBLEMS,
  },
  {
    method: 'get',
    path: `${REPORT_PATH}/history`,
    operationId: 'getImplementationReportHistory',
    summary: 'Every version of a report: actor, time, reason, on whose behalf, diff',
    tag: 'Implementation',
    access: 'implementation.read',
    effect: 'read',
    params: reportParams,
    query: historyQuery,
    responses: [
      {
        status: 200,
        description: 'One page of versions, oldest first',
        schema: reportHistorySchema,
        headers: ['Link'],
      },
    ],
    problems: REPORT_READ_PROBLEMS,
  },
  {
    method: 'get',
    path: `${PLAN_PATH}/fulfilment`,
    operationId: 'getFulfilment',
    summary: 'Fulfilment of the adopted plan: admitted against adopted, pace, checks, AMIF earned',
    description:
      "Per Member State, admission type, UNHCR region and host country: the adopted contribution (as amended), the persons admitted, the percentage and what remains; the pace expected from the time elapsed in the period and the total projected at its end; checks, reported and never enforced; the AMIF lump sums earned by the admissions reported. Associated states in their own section. The adopted plan is a Council act: every role sees its fulfilment whole. `behind_pace` warns below 80 % of the expected pace: the 80 % is this tracker's choice, not the Regulation's.",
    tag: 'Implementation',
    access: 'fulfilment.read',
    effect: 'read',
    params: planParams,
    query: asOfQuery,
    responses: [{ status: 200, description: 'The fulfilment', schema: fulfilmentSchema }],
    problems: ADOPTED_VIEW_PROBLEMS,
  },
  {
    method: 'get',
    path: `${PLAN_PATH}/exports/amif-annual`,
    operationId: 'exportAmifAnnual',
    summary: 'AMIF annual performance figures for one year (JSON, or CSV with format=csv)',
    description:
      "Per Member State: persons resettled and admitted on humanitarian grounds, those in the Art. 19(3) groups and their family members, by sex and age band (AMIF Annex VIII), and the lump sums earned. Member States only (AMIF pays no associated state). A Member State's export holds its own row only.",
    tag: 'Implementation',
    access: 'exports.read',
    effect: 'read',
    params: planParams,
    query: amifExportQuery,
    responses: [exported('The figures of the year', amifAnnualExportSchema)],
    problems: mergeProblems(ADOPTED_VIEW_PROBLEMS, { 422: ['year_outside_plan_period'] }),
  },
  {
    method: 'get',
    path: `${PLAN_PATH}/exports/framework-report`,
    operationId: 'exportFrameworkReport',
    summary: "The dataset for the Commission's report on the Framework (Art. 15)",
    description:
      "Admissions by Member State, year, admission type and host country, and the procedure counts by Member State and year. JSON holds both tables; a CSV (`format=csv`) holds the one `table` names. A Member State's export holds its own rows only.",
    tag: 'Implementation',
    access: 'exports.read',
    effect: 'read',
    params: planParams,
    query: frameworkExportQuery,
    responses: [exported('The dataset', frameworkReportExportSchema)],
    problems: ADOPTED_VIEW_PROBLEMS,
  },

  // ---- history and audit ----
  {
    method: 'get',
    path: `${PLAN_PATH}/history`,
    operationId: 'getPlanHistory',
    summary: 'Every version of a plan: actor, time, reason, diff',
    tag: 'History and audit',
    access: 'plan.history',
    effect: 'read',
    params: planParams,
    query: historyQuery,
    responses: [
      {
        status: 200,
        description: 'One page of versions, oldest first',
        schema: planHistorySchema,
        headers: ['Link'],
      },
    ],
    problems: { 404: ['plan_not_found'] },
  },
  {
    method: 'get',
    path: `${PLEDGE_PATH}/history`,
    operationId: 'getPledgeHistory',
    summary: 'Every version of a pledge: actor, time, reason, diff',
    tag: 'History and audit',
    access: 'pledge.history',
    effect: 'read',
    params: pledgeParams,
    query: historyQuery,
    responses: [{ status: 200, description: 'Oldest first', schema: pledgeHistorySchema }],
    problems: { 404: ['pledge_not_found'], 422: ['unknown_member_state'] },
  },
  {
    method: 'get',
    path: '/api/v1/audit/events',
    operationId: 'listAuditEvents',
    summary: 'The global audit feed, paged by log position',
    tag: 'History and audit',
    access: 'audit.read',
    effect: 'read',
    query: auditFeedQuery,
    responses: [
      {
        status: 200,
        description: 'One page of the feed',
        schema: auditFeedSchema,
        headers: ['Link'],
      },
    ],
  },
  {
    method: 'post',
    path: '/api/v1/audit/replay',
    operationId: 'replayCheck',
    summary: 'Rebuild every projection from nothing and compare it with the live state',
    tag: 'History and audit',
    access: 'audit.read',
    query: emptyQuery,
    responses: [{ status: 200, description: 'The comparison', schema: replayCheckSchema }],
  },

  // ---- the verifiable log ----
  {
    method: 'get',
    path: '/api/v1/audit/key',
    operationId: 'getAuditKey',
    summary: 'The public key that signs tree heads (an Ed25519 JWK)',
    description:
      'Public, so anyone holding a signed tree head can check it. Compare its `kid` with the one published out of band.',
    tag: 'Audit',
    access: 'public',
    query: emptyQuery,
    responses: [{ status: 200, description: 'The key', schema: auditPublicKeySchema }],
  },
  {
    method: 'get',
    path: '/api/v1/audit/tree-head',
    operationId: 'getTreeHead',
    summary: 'The latest signed tree head: the size and RFC 9162 root of the log, signed',
    description:
      'When the log has grown since the last head was signed, a head for its current size is signed now. Save it: a later head must be consistent with it.',
    tag: 'Audit',
    access: 'audit.read',
    query: emptyQuery,
    responses: [{ status: 200, description: 'The head', schema: signedTreeHeadSchema }],
    problems: AUDIT_LOG_PROBLEMS,
  },
  {
    method: 'get',
    path: '/api/v1/audit/proof/inclusion',
    operationId: 'getInclusionProof',
    summary: 'Proof that an event is in the tree of a given size (RFC 9162 §2.1.3)',
    description:
      "Verify with the leaf hash of the event's record (`GET /api/v1/audit/records/{position}`: SHA-256 of 0x00 and its bytes) against the root of a signed head of `treeSize`.",
    tag: 'Audit',
    access: 'audit.read',
    query: inclusionProofQuery,
    responses: [{ status: 200, description: 'The audit path', schema: inclusionProofSchema }],
    problems: mergeProblems(AUDIT_LOG_PROBLEMS, {
      404: ['position_not_in_log'],
      422: ['tree_size_too_large', 'leaf_not_in_tree'],
    }),
  },
  {
    method: 'get',
    path: '/api/v1/audit/proof/consistency',
    operationId: 'getConsistencyProof',
    summary: 'Proof that the tree of one size is a prefix of the tree of another (RFC 9162 §2.1.4)',
    description:
      'Verify against the roots of two signed heads: the log only grew between them, nothing in it was changed.',
    tag: 'Audit',
    access: 'audit.read',
    query: consistencyProofQuery,
    responses: [{ status: 200, description: 'The proof', schema: consistencyProofSchema }],
    problems: mergeProblems(AUDIT_LOG_PROBLEMS, {
      422: ['tree_size_too_large', 'invalid_tree_range'],
    }),
  },
  {
    method: 'get',
    path: '/api/v1/audit/records/{position}',
    operationId: 'getAuditRecord',
    summary: "One event's record, exactly the bytes its leaf hashes",
    tag: 'Audit',
    access: 'audit.read',
    params: auditRecordParams,
    query: emptyQuery,
    responses: [{ status: 200, description: 'The record', schema: auditRecordSchema }],
    problems: mergeProblems(AUDIT_LOG_PROBLEMS, { 404: ['position_not_in_log'] }),
  },
  {
    method: 'get',
    path: '/api/v1/audit/export',
    operationId: 'exportAuditLog',
    summary: 'The log as NDJSON, with a tree head signed for exactly its events',
    description:
      'Streamed. Check it offline with `npm run audit:verify -- <file>`: it recomputes the root from the records, checks the signature and refolds the figures.',
    tag: 'Audit',
    access: 'audit.read',
    query: auditExportQuery,
    responses: [
      {
        status: 200,
        description: 'The records, then the signed head and the key',
        schema: auditExportSchema,
        mediaType: 'application/x-ndjson',
        headers: ['Content-Disposition'],
      },
    ],
    problems: AUDIT_LOG_PROBLEMS,
  },

  // ---- session ----
  {
    method: 'get',
    path: '/auth/options',
    operationId: 'getSignInOptions',
    summary: 'How a browser may sign in: the identity provider, the development sign-in',
    tag: 'Session',
    access: 'public',
    responses: [{ status: 200, description: 'The ways to sign in', schema: authOptionsSchema }],
  },
  {
    method: 'post',
    path: '/auth/development',
    operationId: 'signInForDevelopment',
    summary: 'Development only: sign in as a demo identity (sets the session cookie)',
    description:
      'Needs the header `X-Requested-With: pledge-tracker`. Off (404) unless the development sign-in is on; never in production. The actor recorded is the identity prefixed `dev:`.',
    tag: 'Session',
    access: 'public',
    body: { schema: developmentSignInBody, required: true },
    responses: [
      {
        status: 200,
        description: 'Signed in',
        schema: sessionSchema,
        headers: ['Set-Cookie'],
      },
    ],
    problems: {
      400: ['malformed_json'],
      403: ['csrf_header_required', 'cross_origin_request'],
      404: ['not_found'],
      413: ['body_too_large'],
      415: ['unsupported_media_type', 'unsupported_encoding'],
      422: ['unknown_identity'],
    },
  },
  {
    method: 'get',
    path: '/auth/login',
    operationId: 'signIn',
    summary: 'Begin signing in at the identity provider (a browser navigation)',
    description:
      'Redirects to the identity provider (authorization code, PKCE S256, state and nonce kept in a short-lived sealed cookie). When the provider cannot be reached, redirects to `/signin?error=oidc_failed`. 404 when no identity provider is configured.',
    tag: 'Session',
    access: 'public',
    query: loginQuery,
    responses: [
      {
        status: 302,
        description: 'To the identity provider',
        headers: ['Location', 'Set-Cookie'],
      },
    ],
    problems: { 404: ['not_found'] },
  },
  {
    method: 'get',
    path: '/auth/callback',
    operationId: 'completeSignIn',
    summary: 'The identity provider sends the browser back here',
    description:
      'Sets the session cookie and redirects to the path sign-in began from; on any failure redirects to `/signin?error=<code>` (`oidc_failed`, `no_role`, `no_member_state`, `state_mismatch`).',
    tag: 'Session',
    access: 'public',
    query: callbackQuery,
    responses: [
      {
        status: 302,
        description: 'Into the app, or back to the sign-in page with the error',
        headers: ['Location', 'Set-Cookie'],
      },
    ],
    problems: { 404: ['not_found'] },
  },
  {
    method: 'post',
    path: '/auth/logout',
    operationId: 'signOut',
    summary: 'End the browser session (clears the cookie)',
    description:
      "Needs the header `X-Requested-With: pledge-tracker`. `logoutUrl`, when present, is the identity provider's end-session URL: navigate there to sign out of the provider too.",
    tag: 'Session',
    access: 'public',
    responses: [
      { status: 200, description: 'Signed out', schema: logoutSchema, headers: ['Set-Cookie'] },
    ],
    problems: { 403: ['csrf_header_required', 'cross_origin_request'] },
  },
  {
    method: 'get',
    path: '/api/v1/session',
    operationId: 'getSession',
    summary: 'Who the caller is: the signed-in person or the token, and how it signed in',
    tag: 'Session',
    access: 'session.read',
    query: emptyQuery,
    responses: [{ status: 200, description: 'The caller', schema: sessionSchema }],
  },

  // ---- quotas and operations ----
  {
    method: 'get',
    path: '/api/v1/quota',
    operationId: 'getQuota',
    summary: "The caller's rate limits and its Member State's stored bytes",
    tag: 'Operations',
    access: 'quota.read',
    query: emptyQuery,
    responses: [{ status: 200, description: 'Where the caller stands', schema: quotaSchema }],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (operator token)',
    description:
      'Request rates and latencies per route, projection lag, append latency, store size. An operator token only: 401 without a token, 403 for any other role.',
    tag: 'Operations',
    access: 'operator',
    responses: [
      {
        status: 200,
        description: 'The metrics',
        schema: metricsSchema,
        mediaType: 'text/plain',
      },
    ],
  },
];
