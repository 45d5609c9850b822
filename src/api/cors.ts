import type { RequestHandler } from 'express';

const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'].join(', ');
/** What a browser client may send: the token, JSON, the preconditions and the API's own headers. */
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'X-Min-Position',
  'X-Correlation-Id',
].join(', ');
/** What a browser client may read back beyond the CORS-safelisted headers. */
const EXPOSED_HEADERS = [
  'ETag',
  'X-Log-Position',
  'X-Request-Id',
  'Location',
  'Retry-After',
  'Idempotent-Replayed',
  'Link',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
].join(', ');
/** How long a browser may reuse a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

/**
 * Cross-origin access for the exact origins configured, and none otherwise: with no origin
 * configured no CORS header is ever sent. Tokens travel in `Authorization`, set by the client
 * script, never as browser credentials, so no `Access-Control-Allow-Credentials`.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  if (allowed.size === 0) return (_request, _response, next) => next();
  return (request, response, next) => {
    // The answer depends on the Origin: caches must keep one per origin.
    response.vary('Origin');
    const origin = request.get('origin');
    if (origin === undefined || !allowed.has(origin)) {
      next();
      return;
    }
    response.setHeader('Access-Control-Allow-Origin', origin);
    const preflight =
      request.method === 'OPTIONS' && request.get('access-control-request-method') !== undefined;
    if (preflight) {
      response.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      response.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
      response.status(204).end();
      return;
    }
    response.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    next();
  };
}
