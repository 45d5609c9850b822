import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../domain/shared/messages';
import type { RequestContext } from '../application/tracker';
import type { IdempotencyClaim, StreamVersion } from '../eventStore/port';
import { HttpProblem } from './problems';

/** Parses one part of a request with a zod schema; failures list every offending field. */
export function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: string,
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    location,
    path: issue.path.map(String).join('.'),
    message: issue.message,
    ...(issue.code === 'unrecognized_keys' && { unknownFields: issue.keys }),
  }));
  const first = errors[0];
  throw new HttpProblem(
    400,
    'invalid_request',
    `Invalid ${location}${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}`,
    { errors },
  );
}

export function actorOf(response: Response): Actor {
  return (response.locals as { actor: Actor }).actor;
}

export function etag(version: StreamVersion): string {
  return `"${version}"`;
}

/** If-Match `"3"` (or 3, or W/"3") → 3; absent → undefined; `*` → 'any'. */
export function parseIfMatch(request: Request): StreamVersion | 'any' | undefined {
  const header = request.get('if-match');
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return 'any';
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(value);
  if (!match) {
    throw new HttpProblem(400, 'invalid_if_match', 'If-Match takes one ETag, e.g. "3"');
  }
  return Number(match[1]);
}

export function hasIfNoneMatchAny(request: Request): boolean {
  return request.get('if-none-match')?.trim() === '*';
}

/**
 * The precondition of a conditional write (pledges, reports): `If-None-Match: *` to create (when
 * allowed), `If-Match: <ETag>` to change; both is a 400, neither a 428 saying `missing`.
 */
export function writePrecondition(
  request: Request,
  options: { readonly allowCreate: boolean; readonly missing: string },
): StreamVersion | 'create' {
  const ifMatch = parseIfMatch(request);
  if (options.allowCreate && hasIfNoneMatchAny(request)) {
    if (ifMatch !== undefined) {
      throw new HttpProblem(
        400,
        'conflicting_preconditions',
        'Send If-Match or If-None-Match, not both',
      );
    }
    return 'create';
  }
  if (ifMatch === undefined || ifMatch === 'any') {
    throw new HttpProblem(428, 'precondition_required', options.missing);
  }
  return ifMatch;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Idempotency-Key, scoped to the principal (two principals may pick the same key) and bound to the
 * request's fingerprint so a key reused for another request is refused, not replayed.
 */
export function idempotencyClaim(request: Request, actor: Actor): IdempotencyClaim | undefined {
  const key = request.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpProblem(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key is 1 to 200 visible ASCII characters',
    );
  }
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        request.method,
        request.baseUrl + request.path,
        request.body ?? null,
        request.get('if-match') ?? null,
        request.get('if-none-match') ?? null,
      ]),
    )
    .digest('hex');
  return { key: `${actor.id}:${key}`, fingerprint };
}

export function requestContext(
  request: Request,
  response: Response,
  expectedVersion?: StreamVersion,
): RequestContext {
  const actor = actorOf(response);
  const idempotency = idempotencyClaim(request, actor);
  const { requestId, correlationId } = response.locals as {
    requestId: string;
    correlationId: string;
  };
  return {
    actor,
    requestId,
    correlationId,
    ...(idempotency && { idempotency }),
    ...(expectedVersion !== undefined && { expectedVersion }),
  };
}
