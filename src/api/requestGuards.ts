import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpProblem } from './problems';
import type { RouteTable } from './routeTable';

/**
 * A path that does not percent-decode (`/api/v1/plans/%E0%A4%A`) is the client's error: refused
 * as 400 before any route tries, and fails, to decode it.
 */
export function rejectMalformedUrl(
  request: Request,
  _response: Response,
  next: NextFunction,
): void {
  try {
    decodeURIComponent(request.path);
  } catch {
    next(
      new HttpProblem(400, 'malformed_url', 'The request path is not valid percent-encoded UTF-8'),
    );
    return;
  }
  next();
}

/**
 * A known path asked with a method none of its routes takes: 405 with `Allow`, from the routes
 * express registered (HEAD comes with GET). OPTIONS on a known path answers the same list. Where
 * it is mounted below the root, `pathOf` gives the request's whole path (`baseUrl` and `path`).
 */
export function methodNotAllowed(
  routes: RouteTable,
  pathOf: (request: Request) => string = (request) => request.path,
): RequestHandler {
  return (request, response, next) => {
    const path = pathOf(request);
    const match = routes.matchOf(request, path);
    if (match === undefined || match.methodAllowed) {
      next();
      return;
    }
    const allow = [...match.allowed, 'OPTIONS'].sort().join(', ');
    response.setHeader('Allow', allow);
    if (request.method === 'OPTIONS') {
      response.status(204).end();
      return;
    }
    next(
      new HttpProblem(405, 'method_not_allowed', `${path} accepts ${allow}`, {
        allowed: allow.split(', '),
      }),
    );
  };
}

/** A request that sends a body must send JSON (415 otherwise); one without a body passes. */
export function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  const hasBody =
    Number(request.get('content-length') ?? 0) > 0 ||
    request.get('transfer-encoding') !== undefined;
  if (hasBody && !request.is('application/json')) {
    next(
      new HttpProblem(415, 'unsupported_media_type', 'Send the request body as application/json'),
    );
    return;
  }
  next();
}
