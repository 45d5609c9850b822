/**
 * The app as an OpenID Connect relying party: authorization code flow with PKCE (S256), state and
 * nonce, the ID token verified with jose against the provider's published keys. The provider's
 * metadata is fetched on first use and kept; a failed fetch is not kept, so the next sign-in tries
 * again (the server starts, and serves bearer clients, while the provider is down).
 *
 * Secrets (the client secret, codes, tokens, the PKCE verifier) never reach a log line or an error
 * message: failures are logged by what failed, with the provider's error code at most.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Actor, Role } from '../../domain/shared/messages';
import { canonicalParticipantCode } from '../../domain/reference';
import type { Logger } from '../../observability/logging';

export const ID_TOKEN_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

/** Why a sign-in through the provider failed, as the sign-in page is told (`/signin?error=`). */
export type SignInFailure = 'oidc_failed' | 'no_role' | 'no_member_state' | 'state_mismatch';

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly code: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  /** Absent: a public client, authenticated by PKCE alone. */
  readonly clientSecret?: string;
  readonly scopes: string;
  readonly label: string;
  /** A claim name or dotted path; its value a string or an array of strings. */
  readonly roleClaim: string;
  /** Claim value → role. */
  readonly roleMap: Readonly<Record<string, Role>>;
  readonly memberStateClaim: string;
  /** The claim naming the person (default `email`); `sub` when it is absent. */
  readonly idClaim: string;
}

interface ProviderMetadata {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint?: string;
  readonly jwks: ReturnType<typeof createRemoteJWKSet>;
}

/** What the browser keeps, sealed, between the redirect to the provider and the way back. */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly returnTo: string;
}

export interface CompletedSignIn {
  readonly actor: Actor;
  readonly idToken: string;
}

export interface CallbackParameters {
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
  readonly iss?: string;
}

const FETCH_TIMEOUT_MS = 10_000;

const randomToken = () => randomBytes(32).toString('base64url');

function absoluteUrl(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`the provider's metadata lacks ${what}`);
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`the provider's ${what} is not an http(s) URL`);
  }
  return url.toString();
}

const withoutTrailingSlash = (value: string) => value.replace(/\/+$/, '');

export class OidcRelyingParty {
  private metadataPromise: Promise<ProviderMetadata> | undefined;

  constructor(
    readonly settings: OidcSettings,
    private readonly redirectUri: () => string,
    private readonly postLogoutRedirectUri: () => string,
    private readonly log: Logger = () => undefined,
  ) {}

  get label(): string {
    return this.settings.label;
  }

  /** The provider's origin: the sign-in form posts nowhere else, but the CSP names it. */
  get issuerOrigin(): string {
    return new URL(this.settings.issuer).origin;
  }

  /** Fetches the metadata in the background (at start), logging a failure instead of throwing. */
  prefetch(): void {
    this.metadata().catch(() => undefined);
  }

  private metadata(): Promise<ProviderMetadata> {
    this.metadataPromise ??= this.discover().catch((error: unknown) => {
      // Not kept: the next sign-in asks again.
      this.metadataPromise = undefined;
      this.log({
        level: 'warn',
        msg: 'cannot read the identity provider metadata; sign-in through it fails until it answers',
        issuer: this.settings.issuer,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    });
    return this.metadataPromise;
  }

  private async discover(): Promise<ProviderMetadata> {
    const url = `${withoutTrailingSlash(this.settings.issuer)}/.well-known/openid-configuration`;
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const document = (await response.json()) as Record<string, unknown>;
    const issuer = document['issuer'];
    if (
      typeof issuer !== 'string' ||
      withoutTrailingSlash(issuer) !== withoutTrailingSlash(this.settings.issuer)
    ) {
      throw new Error(
        `the provider names its issuer ${String(issuer)}, not ${this.settings.issuer}`,
      );
    }
    const endSession = document['end_session_endpoint'];
    return {
      issuer,
      authorizationEndpoint: absoluteUrl(
        document['authorization_endpoint'],
        'authorization_endpoint',
      ),
      tokenEndpoint: absoluteUrl(document['token_endpoint'], 'token_endpoint'),
      ...(endSession !== undefined && {
        endSessionEndpoint: absoluteUrl(endSession, 'end_session_endpoint'),
      }),
      jwks: createRemoteJWKSet(new URL(absoluteUrl(document['jwks_uri'], 'jwks_uri')), {
        timeoutDuration: FETCH_TIMEOUT_MS,
      }),
    };
  }

  /** Where to send the browser, and what it must bring back (kept sealed in a cookie). */
  async begin(
    returnTo: string,
  ): Promise<{ readonly url: string; readonly pending: PendingSignIn }> {
    const metadata = await this.metadata();
    const pending: PendingSignIn = {
      state: randomToken(),
      nonce: randomToken(),
      verifier: randomToken(),
      returnTo,
    };
    const url = new URL(metadata.authorizationEndpoint);
    const challenge = createHash('sha256').update(pending.verifier, 'ascii').digest('base64url');
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.redirectUri(),
      scope: this.settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) {
      url.searchParams.set(name, value);
    }
    return { url: url.toString(), pending };
  }

  /** The way back from the provider: the code exchanged, the ID token checked, the person mapped. */
  async complete(
    parameters: CallbackParameters,
    pending: PendingSignIn | undefined,
  ): Promise<CompletedSignIn> {
    if (
      pending === undefined ||
      parameters.state === undefined ||
      parameters.state !== pending.state
    ) {
      throw new SignInError(
        'state_mismatch',
        'the state does not match the sign-in this browser began',
      );
    }
    if (parameters.error !== undefined) {
      throw new SignInError(
        'oidc_failed',
        `the identity provider refused the sign-in: ${parameters.error.slice(0, 100)}`,
      );
    }
    if (parameters.code === undefined || parameters.code === '') {
      throw new SignInError('oidc_failed', 'the identity provider sent no code');
    }
    let metadata: ProviderMetadata;
    try {
      metadata = await this.metadata();
    } catch {
      throw new SignInError('oidc_failed', 'the identity provider metadata cannot be read');
    }
    if (parameters.iss !== undefined && parameters.iss !== metadata.issuer) {
      throw new SignInError('oidc_failed', 'the callback names another issuer');
    }
    const idToken = await this.exchange(metadata, parameters.code, pending.verifier);
    const claims = await this.verify(metadata, idToken, pending.nonce);
    return { actor: this.actorOf(claims), idToken };
  }

  private async exchange(
    metadata: ProviderMetadata,
    code: string,
    verifier: string,
  ): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUri(),
      code_verifier: verifier,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const secret = this.settings.clientSecret;
    if (secret === undefined) {
      body.set('client_id', this.settings.clientId);
    } else {
      // client_secret_basic: both parts form-urlencoded first (RFC 6749 §2.3.1).
      const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
      headers['authorization'] =
        `Basic ${Buffer.from(`${encode(this.settings.clientId)}:${encode(secret)}`).toString('base64')}`;
    }
    let answer: Response;
    try {
      answer = await fetch(metadata.tokenEndpoint, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch {
      throw new SignInError('oidc_failed', 'the token endpoint cannot be reached');
    }
    let tokens: Record<string, unknown> = {};
    try {
      tokens = (await answer.json()) as Record<string, unknown>;
    } catch {
      // Described below by the status.
    }
    if (!answer.ok) {
      const error =
        typeof tokens['error'] === 'string' ? tokens['error'].slice(0, 100) : 'no error code';
      throw new SignInError(
        'oidc_failed',
        `the token endpoint answered ${answer.status} (${error})`,
      );
    }
    const idToken = tokens['id_token'];
    if (typeof idToken !== 'string' || idToken === '') {
      throw new SignInError('oidc_failed', 'the token endpoint sent no ID token');
    }
    return idToken;
  }

  private async verify(
    metadata: ProviderMetadata,
    idToken: string,
    nonce: string,
  ): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, metadata.jwks, {
        issuer: metadata.issuer,
        audience: this.settings.clientId,
        algorithms: [...ID_TOKEN_ALGORITHMS],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 60,
      }));
    } catch (error) {
      const reason =
        error instanceof Error
          ? ((error as Error & { code?: string }).code ?? error.name)
          : 'invalid';
      throw new SignInError('oidc_failed', `the ID token was refused (${reason})`);
    }
    if (payload['nonce'] !== nonce) {
      throw new SignInError('oidc_failed', 'the ID token nonce does not match the sign-in');
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const azp = payload['azp'];
    if ((azp !== undefined || audiences.length > 1) && azp !== this.settings.clientId) {
      throw new SignInError('oidc_failed', 'the ID token was issued to another party (azp)');
    }
    return payload;
  }

  /** The person as an actor: one role from the role claim, a Member State for a ministry. */
  actorOf(claims: JWTPayload): Actor {
    const { roleClaim, roleMap, memberStateClaim, idClaim } = this.settings;
    const values = claimStrings(claimAt(claims, roleClaim));
    const roles = [
      ...new Set(
        values.flatMap((value) => (Object.hasOwn(roleMap, value) ? [roleMap[value]] : [])),
      ),
    ].filter((role): role is Role => role !== undefined);
    const role = roles[0];
    if (role === undefined || roles.length > 1) {
      throw new SignInError(
        'no_role',
        roles.length > 1
          ? `the ${roleClaim} claim maps to several roles (${roles.join(', ')})`
          : `the ${roleClaim} claim maps to no role`,
      );
    }
    const named = claimAt(claims, idClaim);
    const id = typeof named === 'string' && named.trim() !== '' ? named.trim() : claims.sub;
    if (id === undefined || id === '')
      throw new SignInError('oidc_failed', 'the ID token names no one');
    const nameClaim = claims['name'];
    const name = (
      typeof nameClaim === 'string' && nameClaim.trim() !== '' ? nameClaim.trim() : id
    ).slice(0, 200);
    if (role !== 'member_state') return { id, role, name };
    const claimed = claimAt(claims, memberStateClaim);
    const memberState =
      typeof claimed === 'string' ? canonicalParticipantCode(claimed.trim()) : undefined;
    if (memberState === undefined) {
      throw new SignInError(
        'no_member_state',
        `a Member State ministry's ${memberStateClaim} claim names no Member State`,
      );
    }
    return { id, role, memberState, name };
  }

  /** The provider's end-session URL (RP-initiated logout), when it has one. */
  async logoutUrl(idTokenHint: string | undefined): Promise<string | undefined> {
    let metadata: ProviderMetadata;
    try {
      metadata = await this.metadata();
    } catch {
      return undefined;
    }
    if (metadata.endSessionEndpoint === undefined) return undefined;
    const url = new URL(metadata.endSessionEndpoint);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('post_logout_redirect_uri', this.postLogoutRedirectUri());
    if (idTokenHint !== undefined) url.searchParams.set('id_token_hint', idTokenHint);
    return url.toString();
  }
}

/** A claim by name, or by dotted path into nested objects (`realm_access.roles`). */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let node: unknown = claims;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function claimStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}
