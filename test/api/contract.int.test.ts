/**
 * The published contract: the OpenAPI document names exactly the routes the app serves, is a
 * well-formed OpenAPI 3.1 document whose references all resolve, is served publicly with its
 * interactive documentation, and the validator every API test runs its responses through does
 * catch a response that departs from it.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { Express } from 'express';
import { ACCESS_RULES } from '../../src/application/accessPolicy';
import { DomainError, type DomainErrorCode } from '../../src/domain/shared/domainError';
import { toProblem } from '../../src/api/problems';
import { DOCS_CSP } from '../../src/api/openapi/contractRoutes';
import {
  buildOpenApiDocument,
  openApiDocument,
  type OpenApiDocument,
} from '../../src/api/openapi/document';
import { ROUTES, UNDOCUMENTED_ROUTES } from '../../src/api/openapi/routes';
import { createContractValidator, type ObservedResponse } from './contractValidator';
import { createTestApp, planStream, urls, type TestApp } from './testApp';

// ---- the routes the app serves, from its router stack ----

interface RouterLayer {
  readonly rawPath?: unknown;
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle: { readonly stack?: readonly RouterLayer[] };
}

interface Endpoint {
  readonly method: string;
  readonly path: string;
}

/** `/api/v1/plans/:planId/` → `/api/v1/plans/{planId}`. */
function openApiPath(expressPath: string): string {
  const path = expressPath.replace(/\/{2,}/g, '/').replace(/:(\w+)/g, '{$1}');
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

/** Every method and path the app routes, nested routers included, as OpenAPI names them. */
function servedEndpoints(stack: readonly RouterLayer[], prefix = ''): Endpoint[] {
  return stack.flatMap((layer): Endpoint[] => {
    if (layer.route !== undefined) {
      const { path, methods } = layer.route;
      if (typeof path !== 'string') throw new Error('A route with a non-string path');
      return Object.keys(methods).map((method) => ({
        method,
        path: openApiPath(`${prefix}${path}`),
      }));
    }
    if (layer.handle.stack === undefined) return [];
    if (typeof layer.rawPath !== 'string') throw new Error('A router mounted at a non-string path');
    const mount = layer.rawPath === '/' ? '' : layer.rawPath;
    return servedEndpoints(layer.handle.stack, `${prefix}${mount}`);
  });
}

const key = (endpoint: Endpoint) => `${endpoint.method.toUpperCase()} ${endpoint.path}`;

function documentedEndpoints(document: OpenApiDocument): Endpoint[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({ method, path })),
  );
}

// ---- walking the document ----

function* walk(value: unknown, at: string[] = []): Generator<[string[], unknown]> {
  yield [at, value];
  if (value === null || typeof value !== 'object') return;
  for (const [name, item] of Object.entries(value)) yield* walk(item, [...at, name]);
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, part) =>
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[part]
          : undefined,
      document,
    );
}

/**
 * The parts of the OpenAPI 3.1 document structure this builder produces, as JSON Schema: enough
 * to catch a malformed operation, parameter, response or header without the official schema.
 */
const OPENAPI_STRUCTURE = {
  type: 'object',
  required: ['openapi', 'info', 'paths', 'components'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' } },
    },
    tags: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] },
        additionalProperties: { $ref: '#/$defs/operation' },
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: ['object', 'boolean'] } },
        headers: { type: 'object', additionalProperties: { $ref: '#/$defs/header' } },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: {
              type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] },
            },
          },
        },
      },
    },
  },
  $defs: {
    reference: {
      type: 'object',
      required: ['$ref'],
      properties: { $ref: { type: 'string', pattern: '^#/components/' } },
    },
    header: {
      type: 'object',
      required: ['schema'],
      properties: { required: { type: 'boolean' }, schema: { type: 'object' } },
      not: { anyOf: [{ required: ['name'] }, { required: ['in'] }] },
    },
    operation: {
      type: 'object',
      required: ['operationId', 'responses'],
      properties: {
        operationId: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
        summary: { type: 'string' },
        description: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        security: {
          type: 'array',
          items: { type: 'object', additionalProperties: { type: 'array' } },
        },
        parameters: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'in', 'schema'],
            properties: {
              name: { type: 'string', minLength: 1 },
              in: { enum: ['path', 'query', 'header', 'cookie'] },
              required: { type: 'boolean' },
              schema: { type: 'object' },
            },
            if: { properties: { in: { const: 'path' } } },
            then: { required: ['required'], properties: { required: { const: true } } },
          },
        },
        requestBody: {
          type: 'object',
          required: ['content'],
          properties: {
            content: {
              type: 'object',
              minProperties: 1,
              additionalProperties: { type: 'object', required: ['schema'] },
            },
          },
        },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5][0-9]{2}|default)$' },
          additionalProperties: {
            type: 'object',
            required: ['description'],
            properties: {
              description: { type: 'string' },
              headers: { type: 'object', additionalProperties: { $ref: '#/$defs/reference' } },
              content: {
                type: 'object',
                additionalProperties: { type: 'object', required: ['schema'] },
              },
            },
            patternProperties: { '^x-': true },
          },
        },
      },
    },
  },
} as const;

// ---- the tests ----

describe('the published contract', () => {
  const document = openApiDocument();

  describe('names exactly the routes the app serves', () => {
    let t: TestApp;
    beforeAll(() => {
      t = createTestApp();
    });
    afterAll(() => t.close());

    const served = () =>
      servedEndpoints((t.app as Express & { router: { stack: RouterLayer[] } }).router.stack);
    const undocumented = new Set(UNDOCUMENTED_ROUTES.map(key));

    it('finds the nested routers under /api/v1 when walking the app', () => {
      const keys = served().map(key);
      expect(keys).toEqual(
        expect.arrayContaining([
          'GET /health',
          'POST /api/v1/plans',
          'PUT /api/v1/plans/{planId}/pledges/{memberState}',
          'GET /api/v1/audit/events',
          'GET /api/v1/reference/member-states',
        ]),
      );
    });

    it('documents every route the app serves', () => {
      const documented = new Set(documentedEndpoints(document).map(key));
      const missing = served()
        .map(key)
        .filter((endpoint) => !documented.has(endpoint) && !undocumented.has(endpoint));
      expect(missing).toEqual([]);
    });

    it('documents no route the app does not serve', () => {
      const served_ = new Set(served().map(key));
      const phantom = documentedEndpoints(document)
        .map(key)
        .filter((endpoint) => !served_.has(endpoint));
      expect(phantom).toEqual([]);
    });

    it('serves the routes it leaves out of the contract (the documentation UI)', () => {
      const served_ = new Set(served().map(key));
      expect([...undocumented].filter((endpoint) => !served_.has(endpoint))).toEqual([]);
    });
  });

  describe('is a well-formed OpenAPI 3.1 document', () => {
    it('has the structure of an OpenAPI 3.1 document', () => {
      const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
      const validate = ajv.compile(OPENAPI_STRUCTURE);
      expect(validate(document) ? [] : validate.errors).toEqual([]);
    });

    it('resolves every $ref', () => {
      const unresolved = [...walk(document)]
        .filter(([at]) => at[at.length - 1] === '$ref')
        .map(([, ref]) => ref as string)
        .filter((ref) => resolvePointer(document, ref) === undefined);
      expect(unresolved).toEqual([]);
    });

    it('declares each path parameter of a path, and only those, on every operation', () => {
      const mismatched = Object.entries(document.paths).flatMap(([path, operations]) => {
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
        return Object.entries(operations).flatMap(([method, operation]) => {
          const declared = operation.parameters
            .filter((parameter) => parameter.in === 'path')
            .map((parameter) => parameter.name)
            .sort();
          return JSON.stringify(declared) === JSON.stringify(inPath)
            ? []
            : [`${method} ${path}: ${declared.join(',')} vs ${inPath.join(',')}`];
        });
      });
      expect(mismatched).toEqual([]);
    });

    it('names every operation once', () => {
      const ids = documentedEndpoints(document).map(
        ({ method, path }) => document.paths[path]?.[method]?.operationId,
      );
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('has component schemas that compile as JSON Schema 2020-12', () => {
      // Strict: an unknown keyword or a schema the 2020-12 meta-schema refuses fails here. A
      // `required` naming properties another branch defines is valid JSON Schema (PledgeLine's `not`).
      const ajv = new Ajv2020({ strict: true, strictRequired: false, validateFormats: false });
      // Where the document keeps them, so their references resolve as they do in the document.
      ajv.addKeyword('components');
      ajv.addSchema({ $id: 'urn:pledge-tracker:openapi', components: document.components });
      const failing = Object.keys(document.components.schemas).flatMap((name) => {
        try {
          ajv.compile({ $ref: `urn:pledge-tracker:openapi#/components/schemas/${name}` });
          return [];
        } catch (error) {
          return [`${name}: ${(error as Error).message}`];
        }
      });
      expect(failing).toEqual([]);
    });

    it('is built the same every time', () => {
      expect(buildOpenApiDocument()).toEqual(document);
    });
  });

  describe('says what each kind of route answers', () => {
    const operations = ROUTES.map((route) => ({
      route,
      operation: document.paths[route.path]?.[route.method],
    }));

    it('asks a bearer token (or, under /api/v1, a browser session) of every route but the public ones, with 401 and its challenge', () => {
      const wrong = operations.filter(({ route, operation }) => {
        const bearer = route.access !== 'public';
        const session = bearer && route.access !== 'operator';
        const security = [
          ...(bearer ? [{ bearer: [] }] : []),
          ...(session ? [{ session: [] }] : []),
        ];
        const unauthorized = operation?.responses['401'];
        return (
          JSON.stringify(operation?.security) !== JSON.stringify(security) ||
          (bearer && unauthorized?.headers?.['WWW-Authenticate'] === undefined) ||
          (!bearer && unauthorized !== undefined)
        );
      });
      expect(wrong.map(({ route }) => route.operationId)).toEqual([]);
    });

    it('keeps public exactly /health, /ready, the reference tables, the contract, the audit key and signing in', () => {
      const open = ROUTES.filter((route) => route.access === 'public').map((route) => route.path);
      expect(
        open.filter(
          (path) =>
            !/^\/(health|ready|auth\/(options|development|login|callback|logout)|api\/v1\/(reference\/.+|openapi\.json|audit\/key))$/.test(
              path,
            ),
        ),
      ).toEqual([]);
    });

    it('answers every write with ETag and X-Log-Position, and Location on 201', () => {
      const wrong = operations.flatMap(({ route, operation }) =>
        route.effect !== 'write'
          ? []
          : route.responses.flatMap((response) => {
              const headers = operation?.responses[String(response.status)]?.headers ?? {};
              const needed = [
                'ETag',
                'X-Log-Position',
                ...(response.status === 201 ? ['Location'] : []),
              ];
              return needed
                .filter((name) => headers[name] === undefined)
                .map((name) => `${route.operationId} ${response.status} ${name}`);
            }),
      );
      expect(wrong).toEqual([]);
    });

    it('lists the codes of every problem response, each under the status the app gives it', () => {
      const wrong = operations.flatMap(({ route, operation }) =>
        Object.entries(operation?.responses ?? {}).flatMap(([status, response]) => {
          if (response.content?.['application/problem+json'] === undefined) return [];
          const codes = response['x-problem-codes'] ?? [];
          if (codes.length === 0) return [`${route.operationId} ${status}: no codes`];
          return codes
            .filter((code) => {
              // A code that is not the domain's has no status here: the edge's own are listed by hand.
              const domainStatus = toProblem(new DomainError(code as DomainErrorCode, ''))
                .status as number | undefined;
              return domainStatus !== undefined && domainStatus !== Number(status);
            })
            .map((code) => `${route.operationId} ${status}: ${code}`);
        }),
      );
      expect(wrong).toEqual([]);
    });

    it("names for each route the access policy's action that lists it", () => {
      const policy = Object.entries(ACCESS_RULES).flatMap(([action, rule]) =>
        rule.routes.map((route) => `${route.replace('{ms}', '{memberState}')} ${action}`),
      );
      // Operations routes (an operator's token) stand outside the policy's /api/v1 actions.
      const table = ROUTES.filter(
        (route) => route.access !== 'public' && route.access !== 'operator',
      ).map(
        (route) =>
          `${route.method.toUpperCase()} ${route.path.replace('/api/v1', '')} ${route.access}`,
      );
      expect(table.sort()).toEqual(policy.sort());
    });
  });

  describe('is served to anyone, with its documentation', () => {
    let t: TestApp;
    beforeEach(() => {
      t = createTestApp();
    });
    afterEach(() => t.close());

    it('serves the document at /api/v1/openapi.json without a token', async () => {
      const response = await t.anonymous.get('/api/v1/openapi.json');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual(JSON.parse(JSON.stringify(document)));
    });

    it('serves the interactive documentation at /docs, under a CSP, loading the document', async () => {
      const page = await t.anonymous.get('/docs');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toBe(DOCS_CSP);
      // Nothing from another origin: every asset is this server's.
      expect(page.text).not.toMatch(/(https?:)?\/\/[a-z]/i);
      expect(page.text).not.toMatch(/<script>|<style>|\son\w+=/i);
      const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
      expect(assets).toEqual(
        expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']),
      );
      for (const asset of assets) {
        const response = await t.anonymous.get(asset ?? '');
        expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
        expect(response.headers['content-security-policy']).toBe(DOCS_CSP);
      }
      const initializer = await t.anonymous.get('/docs/swagger-initializer.js');
      expect(initializer.headers['content-type']).toMatch(/javascript/);
      expect(initializer.text).toContain("url: '/api/v1/openapi.json'");
    });

    it('allows scripts, styles, images and requests from this origin only', () => {
      const directives = Object.fromEntries(
        DOCS_CSP.split(';').map((directive) => {
          const [name, ...values] = directive.trim().split(/\s+/);
          return [name, values];
        }),
      );
      expect(directives).toEqual({
        'default-src': ["'none'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'base-uri': ["'none'"],
        'form-action': ["'none'"],
        'frame-ancestors': ["'none'"],
      });
    });

    it.each(['/docs/index.html', '/docs/package.json', '/docs/..%2Fpackage.json'])(
      'serves no other file of the package (%s)',
      async (url) => {
        const response = await t.anonymous.get(url);
        expect(response.status).toBe(404);
      },
    );
  });

  describe('catches a response that departs from it', () => {
    const validator = createContractValidator(document);
    const aPlan = async () => {
      const t = createTestApp();
      await t.given(planStream('draft'));
      const response = await t.as('commission').get(urls.plan());
      await t.close();
      return response;
    };
    const observed = async (change: (response: ObservedResponse) => ObservedResponse) => {
      const response = await aPlan();
      return change({
        method: 'get',
        url: urls.plan(),
        status: response.status,
        headers: response.headers,
        text: response.text,
      });
    };
    const withBody = (
      response: ObservedResponse,
      edit: (body: Record<string, unknown>) => void,
    ) => {
      const body = JSON.parse(response.text ?? '{}') as Record<string, unknown>;
      edit(body);
      return { ...response, text: JSON.stringify(body) };
    };

    it('passes the answer the app gives', async () => {
      expect(validator.mismatches(await observed((response) => response))).toEqual([]);
    });

    it.each([
      [
        'a missing member',
        (response: ObservedResponse) => withBody(response, (body) => delete body['status']),
        /body: \(root\) must have required property 'status'/,
      ],
      [
        'a member the contract does not name',
        (response: ObservedResponse) => withBody(response, (body) => (body['secret'] = 1)),
        /must NOT have additional properties/,
      ],
      [
        'a member of the wrong type',
        (response: ObservedResponse) => withBody(response, (body) => (body['version'] = '1')),
        /\/version must be integer/,
      ],
      [
        'a status the operation does not declare',
        (response: ObservedResponse) => ({ ...response, status: 418 }),
        /status 418 is not declared for getPlan/,
      ],
      [
        'a required header missing',
        (response: ObservedResponse) => ({
          ...response,
          headers: { ...response.headers, etag: undefined },
        }),
        /header ETag is missing/,
      ],
      [
        'another media type',
        (response: ObservedResponse) => ({
          ...response,
          headers: { ...response.headers, 'content-type': 'text/plain' },
        }),
        /media type text\/plain is not declared for 200/,
      ],
      [
        'a problem code the route does not list',
        (response: ObservedResponse) => ({
          ...response,
          status: 404,
          headers: { ...response.headers, 'content-type': 'application/problem+json' },
          text: JSON.stringify({
            type: 'urn:pledge-tracker:problem:pledge_not_found',
            title: 'Not Found',
            status: 404,
            detail: 'no',
            instance: urls.plan(),
            code: 'pledge_not_found',
          }),
        }),
        /\/code must be equal to one of the allowed values/,
      ],
    ])('reports %s', async (_what, change, expected) => {
      const found = validator.mismatches(await observed(change));
      expect(found.join('\n')).toMatch(expected);
    });

    it('fails the request of an API test whose answer the contract does not allow', async () => {
      // The same app, held to a contract in which the health check answers something else.
      const health = document.components.schemas['Health'];
      const strayed: OpenApiDocument = {
        ...document,
        components: {
          ...document.components,
          schemas: {
            ...document.components.schemas,
            Health: { ...health, properties: { status: { const: 'degraded' } } },
          },
        },
      };
      const t = createTestApp({ contract: strayed });
      try {
        await expect(t.anonymous.get(urls.health)).rejects.toThrow(
          /GET \/health answered 200, which the contract .* does not allow:\n- body: \/status must be equal to constant/,
        );
      } finally {
        await t.close();
      }
      const unchecked = createTestApp({ contract: strayed, checkContract: false });
      expect((await unchecked.anonymous.get(urls.health)).status).toBe(200);
      await unchecked.close();
    });

    it('holds an answer to an unknown route to the problem shape', () => {
      expect(
        validator.mismatches({
          method: 'get',
          url: '/api/v1/nowhere',
          status: 200,
          headers: { 'content-type': 'application/json' },
          text: '{}',
        }),
      ).toEqual(['no operation in the contract, and the answer is application/json']);
    });
  });
});
