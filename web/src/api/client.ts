import createClient, { type ClientOptions } from 'openapi-fetch';
import { API_READ_HEADERS, takeEarlyRead } from './earlyReads';
import type { components, paths } from './generated/schema';

/** The schemas of the OpenAPI document, by name: `Schema<'Problem'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/**
 * The options every call shares. The session cookie goes only to this origin, and the
 * `X-Requested-With` header is the server's CSRF defence: a cookie-authenticated write without it
 * is refused, and a cross-site form cannot set it.
 */
export const CLIENT_OPTIONS: ClientOptions = {
  // Absolute, so the same code runs where `Request` resolves no relative URL (Node, in tests).
  baseUrl: typeof location === 'undefined' ? '' : location.origin,
  credentials: 'same-origin',
  headers: { ...API_READ_HEADERS },
  // A read the page started early is answered from there, once; anything else goes out now.
  // `globalThis.fetch` is looked up at each call, not once at load, so component tests can stub it.
  fetch: (request) => takeEarlyRead(request) ?? globalThis.fetch(request),
};

/** The one client for the tracker's API, typed from the generated OpenAPI schema. */
export const api = createClient<paths>(CLIENT_OPTIONS);

export type ApiClient = typeof api;
