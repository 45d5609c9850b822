/**
 * The OpenAPI 3.1 document, built from the route table and the very zod schemas that parse the
 * requests (converted as their input) and describe the responses (as their output). OpenAPI 3.1
 * schema objects are JSON Schema 2020-12, zod's default target, so the schemas go in unchanged.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { ACCESS_RULES } from '../../application/accessPolicy';
import { contributionSchema, pledgeLineSchema } from '../../domain/shared/pledgeLine';
import { planRegionSchema } from '../../domain/unionPlan/unionPlanEvents';
import { responseComponents } from '../responseSchemas';
import {
  adoptionBody,
  amendmentBody,
  closePledgingBody,
  createPlanBody,
  developmentSignInBody,
  openPledgingBody,
  proposalBody,
  putPledgeBody,
  putReportBody,
  withdrawPledgeBody,
} from '../schemas';
import {
  admissionLineSchema,
  procedureCountsSchema,
} from '../../domain/implementation/implementationReportEvents';
import {
  mergeProblems,
  ROUTES,
  type ProblemCodes,
  type RequestHeaderName,
  type ResponseHeaderName,
  type RouteContract,
  type Tag,
} from './routes';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: Record<string, unknown>;
  readonly tags: readonly Record<string, unknown>[];
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: {
    readonly schemas: Record<string, JsonSchema>;
    readonly headers: Record<string, Record<string, unknown>>;
    readonly securitySchemes: Record<string, Record<string, unknown>>;
  };
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

export interface OpenApiResponse {
  readonly description: string;
  readonly headers?: Record<string, { readonly $ref: string }>;
  /** Absent for a redirect, which has no body. */
  readonly content?: Record<string, { readonly schema: JsonSchema }>;
  readonly 'x-problem-codes'?: readonly string[];
}

export interface OpenApiOperation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly Tag[];
  readonly security: readonly Record<string, readonly string[]>[];
  readonly parameters: readonly OpenApiParameter[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly content: { readonly 'application/json': { readonly schema: JsonSchema } };
  };
  readonly responses: Record<string, OpenApiResponse>;
}

/** The request bodies, and the domain's shapes they share with the responses. */
const requestComponents = z.registry<{ readonly id: string }>();
requestComponents.add(pledgeLineSchema, { id: 'PledgeLine' });
requestComponents.add(contributionSchema, { id: 'Contribution' });
requestComponents.add(planRegionSchema, { id: 'PlanRegion' });
requestComponents.add(createPlanBody, { id: 'CreatePlanRequest' });
requestComponents.add(openPledgingBody, { id: 'OpenPledgingRequest' });
requestComponents.add(closePledgingBody, { id: 'ClosePledgingRequest' });
requestComponents.add(proposalBody, { id: 'ProposalRequest' });
requestComponents.add(adoptionBody, { id: 'AdoptionRequest' });
requestComponents.add(amendmentBody, { id: 'AmendmentRequest' });
requestComponents.add(putPledgeBody, { id: 'PledgeRequest' });
requestComponents.add(withdrawPledgeBody, { id: 'WithdrawalRequest' });
requestComponents.add(admissionLineSchema, { id: 'AdmissionLine' });
requestComponents.add(procedureCountsSchema, { id: 'ProcedureCounts' });
requestComponents.add(putReportBody, { id: 'ImplementationReportRequest' });
requestComponents.add(developmentSignInBody, { id: 'DevelopmentSignInRequest' });

const SCHEMA_REF = '#/components/schemas/';
const PROBLEM_JSON = 'application/problem+json';

const TAGS: readonly { readonly name: Tag; readonly description: string }[] = [
  { name: 'Plans', description: 'The plan lifecycle (the Commission) and the plan itself' },
  { name: 'Pledges', description: "Member States' indications, written by their own ministry" },
  {
    name: 'Figures',
    description: 'Totals and compliance of the pledges, proposal or adopted plan',
  },
  {
    name: 'Implementation',
    description:
      'Monthly reports of admissions and of the admission procedure against the adopted plan (Art. 9), its fulfilment and the exports (AMIF, Art. 15)',
  },
  { name: 'History and audit', description: 'Who changed what, when and why' },
  {
    name: 'Audit',
    description:
      'The verifiable log (RFC 9162): signed tree heads, inclusion and consistency proofs, each event as its leaf hashes it, and the export an offline verifier checks',
  },
  { name: 'Reference data', description: 'Public tables: no token needed' },
  {
    name: 'Session',
    description:
      'Browser sign-in (the identity provider, or the development sign-in) and who the caller is',
  },
  { name: 'Operations', description: 'Liveness, readiness and this contract' },
];

const RESPONSE_HEADERS: Readonly<Record<ResponseHeaderName, Record<string, unknown>>> = {
  ETag: {
    description:
      'The stream version of the plan, pledge or monthly report, e.g. `"3"`: send it as If-Match',
    required: true,
    schema: { type: 'string', pattern: '^"\\d+"$' },
  },
  'X-Log-Position': {
    description: 'The log position the answer reflects: send it as X-Min-Position to read it back',
    required: true,
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  Location: {
    description: 'Where the created resource is read',
    required: true,
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: 'Present when the answer replays the first request with this Idempotency-Key',
    required: false,
    schema: { type: 'string', const: 'true' },
  },
  'WWW-Authenticate': {
    description: 'The bearer challenge',
    required: true,
    schema: { type: 'string' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    required: false,
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  'X-Request-Id': {
    description: 'This request, as the server logged it',
    required: true,
    schema: { type: 'string' },
  },
  'X-Correlation-Id': {
    description:
      "The caller's X-Correlation-Id when valid, else the request id; recorded with every event",
    required: true,
    schema: { type: 'string' },
  },
  Link: {
    description: 'RFC 8288: `<…>; rel="next"` for the next page, when there is one',
    required: false,
    schema: { type: 'string' },
  },
  Allow: {
    description: 'The methods the path accepts',
    required: true,
    schema: { type: 'string' },
  },
  'RateLimit-Limit': {
    description: "The token's allowance per minute for this kind of request (writes or reads)",
    required: false,
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  'RateLimit-Remaining': {
    description: 'Requests of this kind left now',
    required: false,
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the allowance is whole again',
    required: false,
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  'RateLimit-Policy': {
    description: 'The policy the request counted against, e.g. `120;w=60`',
    required: false,
    schema: { type: 'string' },
  },
  'Content-Disposition': {
    description: 'On an export: `attachment; filename="…"`, the file a browser saves',
    required: false,
    schema: { type: 'string' },
  },
  'Set-Cookie': {
    description:
      'The sealed session cookie `pledges_session` (HttpOnly, SameSite=Lax), or the short-lived `pledges_oidc` of a sign-in under way; cleared on sign-out',
    required: false,
    schema: { type: 'string' },
  },
};

const REQUEST_HEADERS: Readonly<
  Record<RequestHeaderName, { description: string; schema: JsonSchema }>
> = {
  'If-Match': {
    description: 'The ETag of the version you are changing, e.g. `"3"`',
    schema: { type: 'string', pattern: '^(\\*|(W/)?"?\\d+"?)$' },
  },
  'If-None-Match': {
    description: '`*`: only a new submission (or one after a withdrawal) is wanted',
    schema: { type: 'string', const: '*' },
  },
  'Idempotency-Key': {
    description: 'A repeat with the same key returns the first result and records nothing',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
  },
  'X-Min-Position': {
    description: "Read at least this log position (a write's X-Log-Position): read your own writes",
    schema: { type: 'string', pattern: '^\\d{1,16}$' },
  },
  'X-Correlation-Id': {
    description: 'Ties this request to others; recorded with the events it appends',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' },
  },
};

// ---- what each kind of route adds ----

const EVERY_ROUTE_PROBLEMS: ProblemCodes = {
  400: ['malformed_url'],
  405: ['method_not_allowed'],
  500: ['internal_error'],
};

/** The store's failures (`EventStore.health()`), each with a Retry-After. */
const STORE_PROBLEMS: ProblemCodes = {
  503: ['store_corrupted', 'store_unavailable', 'store_busy', 'store_integrity'],
};

const AUTHENTICATED_PROBLEMS: ProblemCodes = {
  400: ['invalid_min_position', 'malformed_json'],
  401: ['unauthenticated'],
  403: ['forbidden'],
  413: ['body_too_large'],
  415: ['unsupported_media_type', 'unsupported_encoding'],
  429: ['rate_limited'],
  503: ['read_model_stopped'],
};

/**
 * A write a browser session makes must carry `X-Requested-With: pledge-tracker`, and an Origin, if
 * sent, must be the app's own (the CSRF defence; a bearer token needs neither).
 */
const SESSION_WRITE_PROBLEMS: ProblemCodes = {
  403: ['csrf_header_required', 'cross_origin_request'],
};

/** An operator's route: a bearer token of the operator role, nothing else. */
const OPERATOR_PROBLEMS: ProblemCodes = { 401: ['unauthenticated'], 403: ['forbidden'] };

const READ_PROBLEMS: ProblemCodes = {
  400: ['min_position_beyond_head'],
  503: ['projections_behind'],
};

const WRITE_PROBLEMS: ProblemCodes = {
  400: ['invalid_if_match', 'invalid_idempotency_key'],
  412: ['version_conflict'],
  // EventStoreDB: the events of one change larger than the server's `MaxAppendSize`.
  413: ['append_too_large'],
  422: ['idempotency_key_reused'],
  // The log does not match its Merkle tree: no write until an operator repairs the store.
  // An append's outcome unknown (recorded once or not at all): `retrySafe` says if a retry may be sent.
  503: ['audit_log_mismatch', 'append_outcome_unknown'],
  507: ['insufficient_storage'],
};

const INVALID_REQUEST: ProblemCodes = { 400: ['invalid_request'] };

const PROBLEM_HEADERS: Partial<Record<number, readonly ResponseHeaderName[]>> = {
  401: ['WWW-Authenticate'],
  405: ['Allow'],
  507: ['Retry-After'],
  429: ['Retry-After'],
  503: ['Retry-After'],
};

// ---- conversion ----

/**
 * zod's `.readonly()` is TypeScript's immutability; OpenAPI's `readOnly` means "sent by the server
 * only", which would hide request fields. The component's `$id` and `$schema` are the document's.
 */
function cleanSchema(value: unknown, root = true): unknown {
  if (Array.isArray(value)) return value.map((item) => cleanSchema(item, false));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(
    ([key, item]) =>
      !(key === 'readOnly' && item === true) && !(root && (key === '$id' || key === '$schema')),
  );
  return Object.fromEntries(entries.map(([key, item]) => [key, cleanSchema(item, false)]));
}

function componentsOf(
  registry: z.core.$ZodRegistry<{ readonly id: string }>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'throw',
    uri: (id) => `${SCHEMA_REF}${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => [id, cleanSchema(schema) as JsonSchema]),
  );
}

/** Request schemas as the client sends them, responses as the server sends them; shared ones agree. */
function buildComponentSchemas(): Record<string, JsonSchema> {
  const requests = componentsOf(requestComponents, 'input');
  const responses = componentsOf(responseComponents, 'output');
  for (const [id, schema] of Object.entries(requests)) {
    const answered = responses[id];
    if (answered !== undefined && !isDeepStrictEqual(answered, schema)) {
      throw new Error(`Component ${id} differs between requests and responses: name them apart`);
    }
  }
  return Object.fromEntries(
    Object.entries({ ...requests, ...responses }).sort(([a], [b]) => a.localeCompare(b)),
  );
}

function refTo(schema: z.ZodType): JsonSchema {
  const id = responseComponents.get(schema)?.id ?? requestComponents.get(schema)?.id;
  if (id === undefined) throw new Error('A route names a schema that is not a named component');
  return { $ref: `${SCHEMA_REF}${id}` };
}

/** Path and query parameters, one per property of the route's (input) schema. */
function parametersOf(
  schema: z.ZodObject | undefined,
  where: 'path' | 'query',
): OpenApiParameter[] {
  if (schema === undefined) return [];
  const json = cleanSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' })) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema & { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(description !== undefined && { description }),
      schema: rest,
    };
  });
}

function headerParameters(route: RouteContract): OpenApiParameter[] {
  const wanted: Partial<Record<RequestHeaderName, 'required' | 'optional'>> = {
    ...(route.effect === 'read' && { 'X-Min-Position': 'optional' }),
    ...(route.effect === 'write' && { 'Idempotency-Key': 'optional' }),
    ...route.requestHeaders,
    'X-Correlation-Id': 'optional',
  };
  return (Object.entries(wanted) as [RequestHeaderName, 'required' | 'optional'][]).map(
    ([name, presence]) => ({
      name,
      in: 'header',
      required: presence === 'required',
      ...REQUEST_HEADERS[name],
    }),
  );
}

function headerRefs(names: readonly ResponseHeaderName[]): Record<string, { $ref: string }> {
  const all: ResponseHeaderName[] = [
    ...new Set([...names, 'X-Request-Id', 'X-Correlation-Id'] as const),
  ];
  return Object.fromEntries(all.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

function successResponses(route: RouteContract): Record<string, OpenApiResponse> {
  return Object.fromEntries(
    route.responses.map((response) => {
      const ok = response.status < 300;
      const headers: ResponseHeaderName[] = [
        ...(response.headers ?? []),
        ...(ok && route.effect === 'read' ? (['X-Log-Position'] as const) : []),
        ...(ok && route.effect === 'write'
          ? (['ETag', 'X-Log-Position', 'Idempotent-Replayed'] as const)
          : []),
        ...(response.status === 201 ? (['Location'] as const) : []),
        ...(route.access === 'public' || route.access === 'operator' ? [] : RATE_LIMIT_HEADERS),
      ];
      const mediaType = response.mediaType ?? 'application/json';
      return [
        String(response.status),
        {
          description: response.description,
          headers: headerRefs(headers),
          ...(response.schema !== undefined && {
            content: {
              [mediaType]: { schema: refTo(response.schema) },
              ...Object.fromEntries(
                (response.alternatives ?? []).map((alternative) => [
                  alternative.mediaType,
                  { schema: refTo(alternative.schema) },
                ]),
              ),
            },
          }),
        },
      ];
    }),
  );
}

const RATE_LIMIT_HEADERS: readonly ResponseHeaderName[] = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
];

/** A route of the access policy, under `/api/v1`: a bearer token or a browser session opens it. */
function isApiAction(route: RouteContract): boolean {
  return route.access !== 'public' && route.access !== 'operator';
}

function problemsOf(route: RouteContract): ProblemCodes {
  return mergeProblems(
    EVERY_ROUTE_PROBLEMS,
    route.access === 'public'
      ? {}
      : route.access === 'operator'
        ? OPERATOR_PROBLEMS
        : AUTHENTICATED_PROBLEMS,
    isApiAction(route) && route.method !== 'get' ? SESSION_WRITE_PROBLEMS : {},
    route.effect === undefined ? {} : STORE_PROBLEMS,
    route.effect === 'read' ? READ_PROBLEMS : {},
    route.effect === 'write' ? WRITE_PROBLEMS : {},
    route.params !== undefined || route.query !== undefined || route.body !== undefined
      ? INVALID_REQUEST
      : {},
    route.problems ?? {},
  );
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Not signed in: no valid bearer token or browser session',
  403: "The caller's role may not do this",
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict with the current state',
  412: 'Precondition failed',
  413: 'Request body too large',
  415: 'Not a JSON body',
  422: 'Refused by a rule',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Unexpected error',
  503: 'Unavailable for now',
  507: 'Insufficient storage',
};

function problemResponses(route: RouteContract): Record<string, OpenApiResponse> {
  return Object.fromEntries(
    Object.entries(problemsOf(route)).map(([statusText, codes]) => {
      const status = Number(statusText);
      return [
        statusText,
        {
          description: `${STATUS_TEXT[status] ?? 'Problem'}: ${codes.map((code) => `\`${code}\``).join(', ')}`,
          headers: headerRefs(PROBLEM_HEADERS[status] ?? []),
          content: {
            [PROBLEM_JSON]: {
              schema: {
                allOf: [
                  { $ref: `${SCHEMA_REF}Problem` },
                  {
                    type: 'object',
                    properties: { status: { const: status }, code: { enum: [...codes] } },
                  },
                ],
              },
            },
          },
          'x-problem-codes': codes,
        },
      ];
    }),
  );
}

function accessText(route: RouteContract): string {
  if (route.access === 'public') return 'Public: no token needed.';
  if (route.access === 'operator') return 'Bearer token of an operator (role `operator`).';
  const rule = ACCESS_RULES[route.access];
  const grants = Object.entries(rule.grants)
    .map(([role, grant]) => `${role}: ${grant}`)
    .join(', ');
  return `Bearer token or browser session. Access \`${route.access}\` (${grants}).`;
}

function operationOf(route: RouteContract): OpenApiOperation {
  const body = route.body;
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, accessText(route)].filter(Boolean).join('\n\n'),
    tags: [route.tag],
    security:
      route.access === 'public'
        ? []
        : isApiAction(route)
          ? [{ bearer: [] }, { session: [] }]
          : [{ bearer: [] }],
    parameters: [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
      ...headerParameters(route),
    ],
    ...(body !== undefined && {
      requestBody: {
        required: body.required,
        content: { 'application/json': { schema: refTo(body.schema) } },
      },
    }),
    responses: Object.fromEntries(
      Object.entries({ ...successResponses(route), ...problemResponses(route) }).sort(
        ([a], [b]) => Number(a) - Number(b),
      ),
    ),
  };
}

export function buildOpenApiDocument(routes: readonly RouteContract[] = ROUTES): OpenApiDocument {
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const route of routes) {
    const operations = (paths[route.path] ??= {});
    if (operations[route.method] !== undefined) {
      throw new Error(`Two routes for ${route.method.toUpperCase()} ${route.path}`);
    }
    operations[route.method] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Resettlement pledge tracker',
      version: '1',
      summary:
        'Pledges, the plan and its figures under the Union Resettlement and Humanitarian Admission Framework (Regulation (EU) 2024/1350)',
      description:
        'Errors are RFC 9457 problems (`application/problem+json`) with a stable `code`; each response lists the codes it may carry (also as `x-problem-codes`). Every write honours `Idempotency-Key` and answers with the new ETag and the log position it reached.',
    },
    tags: TAGS,
    paths,
    components: {
      schemas: buildComponentSchemas(),
      headers: RESPONSE_HEADERS,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token issued to a ministry, the Commission or an auditor',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'pledges_session',
          description:
            'A browser session (`/auth/login` or the development sign-in); its writes need `X-Requested-With: pledge-tracker`',
        },
      },
    },
  };
}

let built: OpenApiDocument | undefined;

/** Built once, on first use: the same document for every request and every test. */
export function openApiDocument(): OpenApiDocument {
  built ??= buildOpenApiDocument();
  return built;
}
