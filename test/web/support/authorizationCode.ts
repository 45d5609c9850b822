/**
 * An authorization-code + PKCE round trip against the test identity provider with plain `fetch`:
 * what a relying party and a browser do between them, without either. The server's sign-in tests
 * can use it to get a real code (or real tokens) for a person in `oidcPeople.json`.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface AuthorizationCodeRequest {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** A login from `oidcPeople.json`. */
  readonly login: string;
  readonly scope?: string;
  /** With a confidential client: sent as client_secret_basic. */
  readonly clientSecret?: string;
}

export interface AuthorizationCodeResult {
  /** Where the provider sent the browser back: the redirect URI with `code`, `state` and `iss`. */
  readonly callbackUrl: URL;
  readonly code: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Whether the provider asked for consent on the way. */
  readonly consented: boolean;
}

export interface TokenResponse {
  readonly id_token: string;
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope?: string;
}

const randomToken = (): string => randomBytes(32).toString('base64url');

/** The provider's cookies, one value per name: every path of one host is close enough here. */
class CookieJar {
  private readonly values = new Map<string, string>();

  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const pair = header.split(';', 1)[0] ?? '';
      const equals = pair.indexOf('=');
      if (equals > 0) this.values.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Logs `login` in through the development form (any password) and returns the code. */
export async function obtainAuthorizationCode(
  request: AuthorizationCodeRequest,
): Promise<AuthorizationCodeResult> {
  const codeVerifier = randomToken();
  const state = randomToken();
  const nonce = randomToken();
  const authorize = new URL('/auth', request.issuer);
  authorize.search = new URLSearchParams({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scope ?? 'openid profile email',
    state,
    nonce,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const jar = new CookieJar();
  let consented = false;
  let next: URL = authorize;
  let form: URLSearchParams | undefined;
  // Follow the redirects by hand, answering the login and consent forms, until the redirect URI.
  for (let hop = 0; hop < 12; hop += 1) {
    if (next.href.startsWith(request.redirectUri)) {
      const code = next.searchParams.get('code');
      if (code === null) {
        throw new Error(`the provider sent back no code: ${next.href}`);
      }
      if (next.searchParams.get('state') !== state) throw new Error('the state came back changed');
      return { callbackUrl: next, code, state, nonce, codeVerifier, consented };
    }
    const response = await fetch(next, {
      method: form === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form !== undefined && { body: form.toString() }),
    });
    jar.take(response);
    form = undefined;
    const location = response.headers.get('location');
    if (location !== null) {
      next = new URL(location, next);
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) {
      throw new Error(`${response.status} from ${next.href}: ${html.slice(0, 500)}`);
    }
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (prompt === 'login') {
      form = new URLSearchParams({ prompt, login: request.login, password: 'any password' });
    } else if (prompt === 'consent') {
      consented = true;
      form = new URLSearchParams({ prompt });
    } else {
      throw new Error(`unexpected page at ${next.href}: ${html.slice(0, 500)}`);
    }
  }
  throw new Error('too many redirects before the redirect URI');
}

/** Redeems the code at the token endpoint, as the tracker's callback does. */
export async function redeemAuthorizationCode(
  request: AuthorizationCodeRequest,
  result: AuthorizationCodeResult,
): Promise<TokenResponse> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: result.code,
    redirect_uri: request.redirectUri,
    code_verifier: result.codeVerifier,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (request.clientSecret === undefined) {
    body.set('client_id', request.clientId);
  } else {
    const credentials = `${encodeURIComponent(request.clientId)}:${encodeURIComponent(request.clientSecret)}`;
    headers['authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const response = await fetch(new URL('/token', request.issuer), {
    method: 'POST',
    headers,
    body,
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`token endpoint answered ${response.status}: ${text}`);
  return JSON.parse(text) as TokenResponse;
}
