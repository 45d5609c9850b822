/**
 * Sign-in through an OpenID Connect provider, end to end against a provider in this process: the
 * app redirects with PKCE S256, state and nonce; the way back is checked (state, the code exchange
 * with the verifier, the ID token's signature, issuer, audience, expiry and nonce); the person's
 * role and Member State come from the claims; every failure lands on the sign-in page with a code.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/domain/shared/messages';
import { BrowserSignIn } from '../../src/api/session/browserSignIn';
import { createLogger } from '../../src/observability/logging';
import { OidcRelyingParty, type OidcSettings } from '../../src/api/session/oidc';
import { SESSION_KEY_BYTES } from '../../src/api/session/seal';
import {
  startFakeIdentityProvider,
  type FakeIdentityProvider,
  type FakeProviderOptions,
  type IssuedCode,
} from './fakeIdentityProvider';
import {
  aPledgeBody,
  createTestApp,
  expectProblem,
  planStream,
  urls,
  type TestApp,
} from './testApp';

const PUBLIC_URL = 'http://tracker.test';
const CLIENT_ID = 'pledge-tracker';
const CSRF = { 'X-Requested-With': 'pledge-tracker' } as const;
const DEFAULT_ROLES: Readonly<Record<string, Role>> = {
  commission: 'commission',
  auditor: 'auditor',
  member_state: 'member_state',
  operator: 'operator',
};

const GERMAN_DESK_OFFICER = {
  email: 'anna.schmidt@bmi.bund.de',
  name: 'Anna Schmidt',
  roles: ['member_state'],
  member_state: 'DE',
};

interface Harness {
  readonly provider: FakeIdentityProvider;
  readonly t: TestApp;
  readonly logged: Record<string, unknown>[];
  close(): Promise<void>;
}

async function start(
  settings: Partial<OidcSettings> = {},
  providerOptions: Partial<FakeProviderOptions> = {},
  requestLog?: string[],
): Promise<Harness> {
  const provider = await startFakeIdentityProvider({ clientId: CLIENT_ID, ...providerOptions });
  const logged: Record<string, unknown>[] = [];
  const log = (entry: Record<string, unknown>) => logged.push(entry);
  const oidc = new OidcRelyingParty(
    {
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      scopes: 'openid profile email',
      label: 'Sign in with EU Login',
      roleClaim: 'roles',
      roleMap: DEFAULT_ROLES,
      memberStateClaim: 'member_state',
      idClaim: 'email',
      ...settings,
    },
    () => `${PUBLIC_URL}/auth/callback`,
    () => `${PUBLIC_URL}/signin`,
    log,
  );
  const signIn = new BrowserSignIn({
    sessionKey: randomBytes(SESSION_KEY_BYTES),
    publicUrl: () => PUBLIC_URL,
    oidc,
    log,
  });
  const t = createTestApp({
    deps: {
      signIn,
      ...(requestLog !== undefined && {
        logger: createLogger('info', { write: (line: string) => requestLog.push(line) }),
      }),
    },
  });
  return {
    provider,
    t,
    logged,
    close: async () => {
      await t.close();
      await provider.close();
    },
  };
}

function cookieOf(setCookie: unknown, name: string): string | undefined {
  const lines = Array.isArray(setCookie) ? (setCookie as string[]) : [];
  return lines.find((line) => line.startsWith(`${name}=`));
}

interface Attempt {
  readonly location: string;
  readonly sessionCookie?: string;
  readonly setCookies: readonly string[];
}

/** The browser's round trip: /auth/login, the provider (the person signs in), /auth/callback. */
async function signInThrough(
  h: Harness,
  issued: IssuedCode = { claims: GERMAN_DESK_OFFICER },
  tamper: { state?: (state: string) => string; extra?: string; dropCookie?: boolean } = {},
  returnTo = '/ministry',
): Promise<Attempt> {
  const login = await h.t.anonymous.get(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(login.status).toBe(302);
  const authorizationUrl = login.headers['location'] as string;
  const pendingCookie = cookieOf(login.headers['set-cookie'], 'pledges_oidc')?.split(';')[0] ?? '';
  const state = new URL(authorizationUrl).searchParams.get('state') ?? '';
  const code = h.provider.issueCode(authorizationUrl, issued);
  const query = new URLSearchParams({ code, state: tamper.state?.(state) ?? state });
  const callback = await h.t
    .withHeaders(tamper.dropCookie === true ? {} : { Cookie: pendingCookie })
    .get(`/auth/callback?${query.toString()}${tamper.extra ?? ''}`);
  expect(callback.status).toBe(302);
  const setCookies = (callback.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  const session = cookieOf(setCookies, 'pledges_session')?.split(';')[0];
  return {
    location: callback.headers['location'] as string,
    setCookies,
    ...(session !== undefined && { sessionCookie: session }),
  };
}

describe('signing in through an OpenID Connect provider', () => {
  let h: Harness;
  afterEach(() => h.close());

  describe('a public client (PKCE alone)', () => {
    beforeEach(async () => {
      h = await start();
    });

    it('offers the provider on the sign-in page, with its label', async () => {
      const options = await h.t.anonymous.get('/auth/options');
      expect(options.body).toEqual({
        oidc: { enabled: true, label: 'Sign in with EU Login' },
        development: null,
      });
    });

    it('redirects to the provider with PKCE S256, state and nonce kept in a short-lived sealed cookie', async () => {
      const login = await h.t.anonymous.get('/auth/login?returnTo=/ministry');

      expect(login.status).toBe(302);
      const url = new URL(login.headers['location'] as string);
      expect(`${url.origin}${url.pathname}`).toBe(`${h.provider.issuer}/authorize`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: `${PUBLIC_URL}/auth/callback`,
        scope: 'openid profile email',
        state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        code_challenge_method: 'S256',
      });
      const pending = cookieOf(login.headers['set-cookie'], 'pledges_oidc') ?? '';
      expect(pending.split('; ').slice(1)).toEqual([
        'Path=/auth',
        'Max-Age=600',
        'HttpOnly',
        'SameSite=Lax',
      ]);
      // Sealed: neither the state nor the nonce reads in the cookie.
      expect(pending).not.toContain(url.searchParams.get('state'));
    });

    it('signs the person in: the code exchanged with the verifier, the session set, back where sign-in began', async () => {
      const attempt = await signInThrough(
        h,
        { claims: GERMAN_DESK_OFFICER },
        {},
        '/ministry/plans/2026-2027?asOf=12',
      );

      expect(attempt.location).toBe('/ministry/plans/2026-2027?asOf=12');
      expect(h.provider.tokenRequests).toEqual([
        { clientAuthentication: 'none', verifierMatched: true },
      ]);
      // The pending sign-in is spent.
      expect(attempt.setCookies.find((line) => line.startsWith('pledges_oidc='))).toMatch(
        /^pledges_oidc=; Path=\/auth; Max-Age=0; /,
      );
      const session = await h.t
        .withHeaders({ Cookie: attempt.sessionCookie ?? '' })
        .get('/api/v1/session');
      expect(session.body).toEqual({
        actor: {
          id: 'anna.schmidt@bmi.bund.de',
          role: 'member_state',
          memberState: 'DE',
          name: 'Anna Schmidt',
        },
        method: 'oidc',
        expiresAt: expect.any(String),
      });
    });

    it('records the signed-in person with what they write', async () => {
      await h.t.given(planStream('pledging_open'));
      const { sessionCookie = '' } = await signInThrough(h);
      const mark = await h.t.mark();

      const write = await h.t
        .withHeaders({ Cookie: sessionCookie, ...CSRF, Origin: PUBLIC_URL })
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      expect(write.status).toBe(201);
      const [event] = await h.t.eventsSince(mark);
      expect(event?.metadata.actor).toEqual({
        id: 'anna.schmidt@bmi.bund.de',
        role: 'member_state',
        memberState: 'DE',
        name: 'Anna Schmidt',
      });
    });

    it('names the person by sub when the id claim is absent, and by id when there is no name', async () => {
      const { sessionCookie = '' } = await signInThrough(h, { claims: { roles: 'auditor' } });
      const session = await h.t.withHeaders({ Cookie: sessionCookie }).get('/api/v1/session');
      expect(session.body.actor).toEqual({
        id: 'subject-1234',
        role: 'auditor',
        name: 'subject-1234',
      });
    });

    it.each([
      ['another site', 'https://evil.example/phish'],
      ['a protocol-relative URL', '//evil.example/phish'],
      ['a backslash trick', '/\\evil.example'],
      ['no path at all', 'ministry'],
    ])('lands on / rather than %s', async (_case, returnTo) => {
      const attempt = await signInThrough(h, { claims: GERMAN_DESK_OFFICER }, {}, returnTo);
      expect(attempt.location).toBe('/');
    });

    it.each<[string, IssuedCode, string]>([
      [
        'a nonce that is not this sign-in’s',
        { claims: GERMAN_DESK_OFFICER, nonce: 'replayed' },
        'oidc_failed',
      ],
      [
        'an ID token for another client',
        { claims: GERMAN_DESK_OFFICER, audience: 'another-app' },
        'oidc_failed',
      ],
      [
        'an ID token also for another party, without azp',
        { claims: GERMAN_DESK_OFFICER, audience: [CLIENT_ID, 'another-app'] },
        'oidc_failed',
      ],
      ['an expired ID token', { claims: GERMAN_DESK_OFFICER, expiresIn: -3600 }, 'oidc_failed'],
      [
        'another issuer',
        { claims: GERMAN_DESK_OFFICER, issuer: 'https://evil.example' },
        'oidc_failed',
      ],
      [
        'a signature by an unpublished key',
        { claims: GERMAN_DESK_OFFICER, foreignKey: true },
        'oidc_failed',
      ],
      ['no role claim', { claims: { email: 'x@example.org' } }, 'no_role'],
      ['a role claim the map does not know', { claims: { roles: ['admin', 'staff'] } }, 'no_role'],
      ['several roles', { claims: { roles: ['auditor', 'commission'] } }, 'no_role'],
      [
        'a ministry with no Member State',
        { claims: { roles: ['member_state'] } },
        'no_member_state',
      ],
      [
        'a ministry of no Member State',
        { claims: { roles: ['member_state'], member_state: 'XX' } },
        'no_member_state',
      ],
    ])('refuses %s: back to the sign-in page, no session', async (_case, issued, code) => {
      const attempt = await signInThrough(h, issued);

      expect(attempt.location).toBe(`/signin?error=${code}`);
      expect(attempt.sessionCookie).toBeUndefined();
    });

    it('refuses a state that is not this browser’s sign-in', async () => {
      const attempt = await signInThrough(h, undefined, { state: (state) => `${state}x` });
      expect(attempt).toMatchObject({ location: '/signin?error=state_mismatch' });
      expect(attempt.sessionCookie).toBeUndefined();
      // The code was never exchanged.
      expect(h.provider.tokenRequests).toEqual([]);
    });

    it('refuses a callback without the pending sign-in’s cookie', async () => {
      const attempt = await signInThrough(h, undefined, { dropCookie: true });
      expect(attempt.location).toBe('/signin?error=state_mismatch');
    });

    it('refuses a callback naming another issuer (RFC 9207)', async () => {
      const attempt = await signInThrough(h, undefined, {
        extra: `&iss=${encodeURIComponent('https://evil.example')}`,
      });
      expect(attempt.location).toBe('/signin?error=oidc_failed');
    });

    it('refuses the provider’s own refusal', async () => {
      const login = await h.t.anonymous.get('/auth/login');
      const pending = cookieOf(login.headers['set-cookie'], 'pledges_oidc')?.split(';')[0] ?? '';
      const state = new URL(login.headers['location'] as string).searchParams.get('state') ?? '';

      const callback = await h.t
        .withHeaders({ Cookie: pending })
        .get(`/auth/callback?error=access_denied&state=${state}`);

      expect(callback.headers['location']).toBe('/signin?error=oidc_failed');
    });

    it('logs why a sign-in failed, and never the code, the tokens or the verifier', async () => {
      await signInThrough(h, { claims: GERMAN_DESK_OFFICER, audience: 'another-app' });
      const { sessionCookie } = await signInThrough(h);

      const lines = JSON.stringify(h.logged);
      expect(h.logged).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ msg: 'sign-in failed', code: 'oidc_failed' }),
          expect.objectContaining({ msg: 'signed in', actor: 'anna.schmidt@bmi.bund.de' }),
        ]),
      );
      expect(lines).not.toMatch(/eyJ/); // no JWT
      expect(lines).not.toContain(sessionCookie?.split('=')[1]);
    });

    it('signs out of the app only when the provider has no end-session endpoint', async () => {
      const { sessionCookie = '' } = await signInThrough(h);
      const logout = await h.t.withHeaders({ Cookie: sessionCookie, ...CSRF }).post('/auth/logout');
      expect(logout.body).toEqual({});
    });
  });

  it('keeps the code and state out of the request log', async () => {
    const lines: string[] = [];
    h = await start({}, {}, lines);

    await signInThrough(h);

    const callback = lines.find((line) => line.includes('/auth/callback'));
    expect(callback).toBeDefined();
    expect(callback).not.toMatch(/code=|state=/);
    expect(callback).toContain('"query":"[redacted]"');
    expect(lines.join('\n')).not.toMatch(/pledges_(session|oidc)=v1\./);
  });

  it('maps roles from a nested claim through the configured map', async () => {
    h = await start({
      roleClaim: 'realm_access.roles',
      roleMap: { 'eu-home-commission': 'commission', 'eu-home-desk': 'member_state' },
      memberStateClaim: 'org.country',
      idClaim: 'preferred_username',
    });

    const { sessionCookie = '' } = await signInThrough(h, {
      claims: {
        preferred_username: 'jdupont',
        name: 'Jeanne Dupont',
        realm_access: { roles: ['offline_access', 'eu-home-desk'] },
        org: { country: 'fr' },
      },
    });

    const session = await h.t.withHeaders({ Cookie: sessionCookie }).get('/api/v1/session');
    expect(session.body.actor).toEqual({
      id: 'jdupont',
      role: 'member_state',
      memberState: 'FR',
      name: 'Jeanne Dupont',
    });
  });

  it('authenticates as a confidential client with client_secret_basic when it has a secret', async () => {
    h = await start(
      { clientSecret: 's3cret:with/odd&chars' },
      { clientSecret: 's3cret:with/odd&chars' },
    );

    const attempt = await signInThrough(h);

    expect(attempt.location).toBe('/ministry');
    expect(h.provider.tokenRequests).toEqual([
      { clientAuthentication: 'basic', verifierMatched: true },
    ]);
    expect(JSON.stringify(h.logged)).not.toContain('s3cret');
  });

  it('offers the provider’s end-session URL on sign-out', async () => {
    h = await start({}, { endSession: true });
    const { sessionCookie = '' } = await signInThrough(h);

    const logout = await h.t.withHeaders({ Cookie: sessionCookie, ...CSRF }).post('/auth/logout');

    const url = new URL(logout.body.logoutUrl as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${h.provider.issuer}/logout`);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/signin`);
    expect(url.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
  });

  it('starts while the provider is down, and signs in once it is back', async () => {
    h = await start();
    const port = h.provider.port;
    await h.provider.close();

    const whileDown = await h.t.anonymous.get('/auth/login');
    expect(whileDown.headers['location']).toBe('/signin?error=oidc_failed');
    expect(h.logged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'warn', issuer: `http://127.0.0.1:${port}` }),
      ]),
    );

    const back = await startFakeIdentityProvider({ clientId: CLIENT_ID, port });
    const { t } = h;
    h = {
      ...h,
      provider: back,
      close: async () => {
        await t.close();
        await back.close();
      },
    };
    const attempt = await signInThrough(h);
    expect(attempt.location).toBe('/ministry');
  });

  it('answers 404 on its routes when no provider is configured', async () => {
    h = await start();
    const plain = createTestApp();
    expectProblem(await plain.anonymous.get('/auth/login'), 404, 'not_found');
    expectProblem(await plain.anonymous.get('/auth/callback?code=x&state=y'), 404, 'not_found');
    await plain.close();
  });
});
