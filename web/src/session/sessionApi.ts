/**
 * TEMPORARY, LOOSELY TYPED: the Session routes (`/auth/options`, `/auth/development`,
 * `/auth/logout`, `/api/v1/session`) are not yet in the OpenAPI document this branch generates
 * from. These calls go through the same openapi-fetch client, with the shapes of the shared brief
 * checked at run time. Once the Session routes land, regenerate (`npm run generate:api`), replace
 * the interfaces below with `Schema<'Session'>` etc. and the `looseRequest` calls with `api.GET` /
 * `api.POST`; nothing outside this module needs to change.
 */
import { api } from '../api/client';
import { unwrap, type ApiResult } from '../api/hooks';
import { ApiError, toProblem } from '../api/problems';

export type Role = 'member_state' | 'commission' | 'auditor' | 'operator';

export interface SessionActor {
  readonly id: string;
  readonly name?: string;
  readonly role: Role;
  readonly memberState?: string;
}

export interface Session {
  readonly actor: SessionActor;
  readonly method: 'oidc' | 'development' | 'bearer';
  readonly expiresAt?: string;
}

export interface DevelopmentIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly memberState?: string;
}

export interface AuthOptions {
  readonly oidc: { readonly enabled: boolean; readonly label: string };
  readonly development: { readonly identities: readonly DevelopmentIdentity[] } | null;
}

type LooseRequest = (
  method: 'get' | 'post',
  url: string,
  init?: { readonly body?: unknown },
) => Promise<ApiResult>;

// The generated `paths` do not list these URLs yet, so the typed signature would refuse them.
const looseRequest = api.request.bind(api) as unknown as LooseRequest;

const ROLES: readonly string[] = ['member_state', 'commission', 'auditor', 'operator'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function malformed(what: string): ApiError {
  return new ApiError({
    ...toProblem(undefined, { status: 502, statusText: 'Bad Gateway', url: '' }),
    title: `The tracker sent a malformed ${what}`,
    code: 'malformed_response',
  });
}

function parseActor(value: unknown): SessionActor | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.role !== 'string') {
    return undefined;
  }
  if (!ROLES.includes(value.role)) return undefined;
  return {
    id: value.id,
    role: value.role as Role,
    ...(typeof value.name === 'string' && { name: value.name }),
    ...(typeof value.memberState === 'string' && { memberState: value.memberState }),
  };
}

function parseSession(value: unknown): Session {
  const actor = isRecord(value) ? parseActor(value.actor) : undefined;
  if (!isRecord(value) || actor === undefined) throw malformed('session');
  const method =
    value.method === 'oidc' || value.method === 'development' ? value.method : 'bearer';
  return {
    actor,
    method,
    ...(typeof value.expiresAt === 'string' && { expiresAt: value.expiresAt }),
  };
}

function parseAuthOptions(value: unknown): AuthOptions {
  if (!isRecord(value) || !isRecord(value.oidc)) throw malformed('sign-in options');
  const identities =
    isRecord(value.development) && Array.isArray(value.development.identities)
      ? value.development.identities.flatMap((entry: unknown) => {
          const actor = parseActor(entry);
          return actor && isRecord(entry) && typeof entry.name === 'string'
            ? [{ ...actor, name: entry.name }]
            : [];
        })
      : undefined;
  return {
    oidc: {
      enabled: value.oidc.enabled === true,
      label:
        typeof value.oidc.label === 'string'
          ? value.oidc.label
          : 'Sign in with your organisation account',
    },
    development: identities === undefined ? null : { identities },
  };
}

/** The signed-in person; an `ApiError` with status 401 when nobody is signed in. */
export async function fetchSession(): Promise<Session> {
  return parseSession(await unwrap(looseRequest('get', '/api/v1/session')));
}

export async function fetchAuthOptions(): Promise<AuthOptions> {
  return parseAuthOptions(await unwrap(looseRequest('get', '/auth/options')));
}

/** Signs in as a demo identity (development only); the server sets the session cookie. */
export async function signInAsDevelopmentIdentity(identity: string): Promise<Session> {
  return parseSession(
    await unwrap(looseRequest('post', '/auth/development', { body: { identity } })),
  );
}

/** Ends the session; the identity provider's end-session URL when it has one. */
export async function signOut(): Promise<{ readonly logoutUrl?: string }> {
  const body = await unwrap(looseRequest('post', '/auth/logout'));
  return isRecord(body) && typeof body.logoutUrl === 'string' ? { logoutUrl: body.logoutUrl } : {};
}

/** Where the OIDC sign-in starts: a full page navigation, not a fetch. */
export function oidcLoginUrl(returnTo: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}
