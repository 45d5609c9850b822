/**
 * The browser session's calls: who is signed in, the ways to sign in, the development sign-in and
 * sign-out. Types and paths come from the generated client like every other call.
 */
import { api, type Schema } from '../api/client';
import { unwrap } from '../api/hooks';

export type Session = Schema<'Session'>;
export type SessionActor = Session['actor'];
export type Role = SessionActor['role'];
export type AuthOptions = Schema<'AuthOptions'>;
export type DevelopmentIdentity = Schema<'DevelopmentIdentity'>;

/** The cache key of the ways to sign in (`GET /auth/options`). */
export const AUTH_OPTIONS_QUERY_KEY = ['auth-options'] as const;

/** The signed-in person; an `ApiError` with status 401 when nobody is signed in. */
export async function fetchSession(): Promise<Session> {
  return unwrap(api.GET('/api/v1/session'));
}

export async function fetchAuthOptions(): Promise<AuthOptions> {
  return unwrap(api.GET('/auth/options'));
}

/** Signs in as a demo identity (development only); the server sets the session cookie. */
export async function signInAsDevelopmentIdentity(identity: string): Promise<Session> {
  return unwrap(api.POST('/auth/development', { body: { identity } }));
}

/** Ends the session; the identity provider's end-session URL when it has one. */
export async function signOut(): Promise<Schema<'Logout'>> {
  return unwrap(api.POST('/auth/logout'));
}

/** Where the OIDC sign-in starts: a full page navigation, not a fetch. */
export function oidcLoginUrl(returnTo: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}
