import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

type Directives = Readonly<Record<string, readonly string[]>>;

/** The API serves JSON only: nothing may load, frame it or be framed by it. */
const API_CONTENT_SECURITY_POLICY: Directives = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

function toHelmetDirectives(directives: Directives): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(directives).map(([name, values]) => [name, [...values]]),
  );
}

/**
 * What a helmet middleware does to a response, recorded once: with static directives it sets the
 * same headers on every response whatever the request, so replaying the record costs one loop
 * instead of helmet's chain of a dozen middlewares on every request.
 */
interface RecordedHeaders {
  readonly set: readonly (readonly [string, string])[];
  readonly removed: readonly string[];
}

function recordHeaders(middleware: RequestHandler): RecordedHeaders {
  const set = new Map<string, string>();
  const removed: string[] = [];
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return response;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.push(name);
    },
  };
  let done = false;
  let failure: unknown;
  middleware({} as Request, response as unknown as Response, (error?: unknown) => {
    done = true;
    failure = error;
  });
  // A helmet that ever answers late, or per request, must not be replayed from a record.
  if (!done || failure !== undefined) {
    throw new Error('The security headers could not be recorded once for every response');
  }
  return { set: [...set], removed };
}

/** helmet's headers for every response, with a strict Content-Security-Policy for a JSON API. */
export function securityHeaders(): RequestHandler {
  const { set, removed } = recordHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: toHelmetDirectives(API_CONTENT_SECURITY_POLICY),
      },
    }),
  );
  return (_request, response, next) => {
    for (const name of removed) response.removeHeader(name);
    for (const [name, value] of set) response.setHeader(name, value);
    next();
  };
}

/**
 * A looser policy for one HTML page served beside the API (say `/docs`): mounted on that path
 * only (`app.use('/docs', pageContentSecurityPolicy({...}), docs)`), it runs after
 * `securityHeaders()` and replaces the header for that path; every other path keeps the strict one.
 */
export function pageContentSecurityPolicy(directives: Directives): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: true,
    directives: toHelmetDirectives(directives),
  });
}
