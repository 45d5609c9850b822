import type { RequestHandler } from 'express';
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

/** helmet's headers for every response, with a strict Content-Security-Policy for a JSON API. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: toHelmetDirectives(API_CONTENT_SECURITY_POLICY),
    },
  });
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
