/**
 * Holds every response the API tests receive to the published contract: the operation is found
 * by method and path in the OpenAPI document, and the status, media type, required headers and
 * body must be the ones it declares for that status. The document's own schemas are compiled by
 * Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) straight from their place in the document.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type {
  OpenApiDocument,
  OpenApiOperation,
  OpenApiResponse,
} from '../../src/api/openapi/document';
import { UNDOCUMENTED_ROUTES } from '../../src/api/openapi/routes';

export interface ObservedResponse {
  readonly method: string;
  /** As requested: path and query. */
  readonly url: string;
  readonly status: number;
  /** Lower-case names, as Node gives them. */
  readonly headers: Readonly<Record<string, unknown>>;
  /** The raw body; parsed here when its media type is JSON. */
  readonly text: string | undefined;
}

export interface ContractValidator {
  /** Every way the response departs from the contract; empty when it matches. */
  mismatches(response: ObservedResponse): string[];
  /** Throws, listing the mismatches, when the response departs from the contract. */
  assertMatches(response: ObservedResponse): void;
}

const DOCUMENT_ID = 'urn:pledge-tracker:openapi';

interface Template {
  readonly method: string;
  readonly path: string;
  readonly pattern: RegExp;
  readonly literalSegments: number;
}

function templateOf(method: string, path: string): Template {
  const segments = path.split('/').filter(Boolean);
  const pattern = segments
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return {
    method,
    path,
    pattern: new RegExp(`^/${pattern}/?$`),
    literalSegments: segments.filter((segment) => !segment.startsWith('{')).length,
  };
}

/** The most specific template the path fits, if any. */
function findTemplate(
  templates: readonly Template[],
  method: string,
  path: string,
): Template | undefined {
  return templates
    .filter((template) => template.method === method && template.pattern.test(path))
    .sort((a, b) => b.literalSegments - a.literalSegments)[0];
}

const pointer = (...parts: string[]): string =>
  parts.map((part) => `/${part.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 8)
    .map(
      (error) =>
        `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
    )
    .join('; ');
}

function mediaTypeOf(headers: ObservedResponse['headers']): string {
  const value = headers['content-type'];
  return typeof value === 'string' ? (value.split(';')[0] ?? '').trim().toLowerCase() : '';
}

export function createContractValidator(document: OpenApiDocument): ContractValidator {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    // Every date and instant carries its own pattern; formats add nothing but a dependency.
    validateFormats: false,
    logger: false,
  });
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (location: string): ValidateFunction => {
    let validate = compiled.get(location);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${location}` });
      compiled.set(location, validate);
    }
    return validate;
  };

  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => templateOf(method, path)),
  );
  const undocumented = UNDOCUMENTED_ROUTES.map((route) => templateOf(route.method, route.path));

  const parsedBody = (response: ObservedResponse, mediaType: string): unknown => {
    if (!/[/+]json$/.test(mediaType)) return response.text;
    try {
      return JSON.parse(response.text ?? '') as unknown;
    } catch {
      return Symbol('not JSON');
    }
  };

  /** Not a route of the contract: the app's fall-through answers with a problem. */
  const unroutedMismatches = (response: ObservedResponse): string[] => {
    const mediaType = mediaTypeOf(response.headers);
    if (mediaType !== 'application/problem+json') {
      return [`no operation in the contract, and the answer is ${mediaType || 'no body'}`];
    }
    const validate = validatorAt(pointer('components', 'schemas', 'Problem'));
    return validate(parsedBody(response, mediaType))
      ? []
      : [`problem body: ${describeErrors(validate.errors)}`];
  };

  const headerMismatches = (declared: OpenApiResponse, response: ObservedResponse): string[] => {
    const found: string[] = [];
    for (const [name, reference] of Object.entries(declared.headers ?? {})) {
      const location = reference.$ref.replace(/^#/, '');
      const header = document.components.headers[name] as { required?: boolean } | undefined;
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header?.required === true) found.push(`header ${name} is missing`);
        continue;
      }
      const validate = validatorAt(`${location}/schema`);
      // Node gives Set-Cookie as a list, one entry per cookie: each is one header value.
      for (const each of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (!validate(each)) found.push(`header ${name}: ${describeErrors(validate.errors)}`);
      }
    }
    return found;
  };

  const operationMismatches = (
    template: Template,
    operation: OpenApiOperation,
    response: ObservedResponse,
  ): string[] => {
    const declared = operation.responses[String(response.status)];
    if (declared === undefined) {
      return [`status ${response.status} is not declared for ${operation.operationId}`];
    }
    const mediaType = mediaTypeOf(response.headers);
    if (declared.content === undefined) {
      // A redirect: no body at all, its headers as declared.
      const found = headerMismatches(declared, response);
      if ((response.text ?? '') !== '') found.push('a body where the contract declares none');
      return found;
    }
    const content = declared.content[mediaType];
    if (content === undefined) {
      return [
        `media type ${mediaType || '(none)'} is not declared for ${response.status} (${Object.keys(declared.content).join(', ')})`,
      ];
    }
    const found = headerMismatches(declared, response);
    const validate = validatorAt(
      pointer(
        'paths',
        template.path,
        template.method,
        'responses',
        String(response.status),
        'content',
        mediaType,
        'schema',
      ),
    );
    if (!validate(parsedBody(response, mediaType))) {
      found.push(`body: ${describeErrors(validate.errors)}`);
    }
    return found;
  };

  const mismatches = (response: ObservedResponse): string[] => {
    const method = response.method.toLowerCase();
    const path = new URL(response.url, 'http://contract.test').pathname;
    if (findTemplate(undocumented, method, path) !== undefined) return [];
    const template = findTemplate(documented, method, path);
    const operation = template && document.paths[template.path]?.[template.method];
    return template === undefined || operation === undefined
      ? unroutedMismatches(response)
      : operationMismatches(template, operation, response);
  };

  return {
    mismatches,
    assertMatches(response) {
      const found = mismatches(response);
      if (found.length === 0) return;
      const body = (response.text ?? '').slice(0, 600);
      throw new Error(
        `${response.method.toUpperCase()} ${response.url} answered ${response.status}, which the contract (GET /api/v1/openapi.json) does not allow:\n- ${found.join('\n- ')}\nbody: ${body}`,
      );
    },
  };
}
