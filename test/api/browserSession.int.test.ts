/**
 * Browser sessions: the development sign-in sets a sealed cookie that `/api/v1` accepts when no
 * bearer token is sent; a cookie-authenticated write needs the CSRF header and the app's own
 * Origin; an event written through a session records the person; a tampered, foreign or expired
 * cookie is no session at all; and a refused request changes nothing.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { BrowserSignIn } from '../../src/api/session/browserSignIn';
import { SESSION_KEY_BYTES } from '../../src/api/session/seal';
import {
  NOW,
  aPledgeBody,
  createTestApp,
  expectProblem,
  expectRejected,
  planStream,
  streams,
  urls,
  type TestApp,
} from './testApp';

const PUBLIC_URL = 'http://tracker.test';
const CSRF = { 'X-Requested-With': 'pledge-tracker' } as const;
const HOUR_MS = 3_600_000;

describe('browser sessions', () => {
  let t: TestApp;
  let now: number;
  const key = randomBytes(SESSION_KEY_BYTES);

  const signInWith = (options: Partial<ConstructorParameters<typeof BrowserSignIn>[0]> = {}) =>
    new BrowserSignIn({
      sessionKey: key,
      publicUrl: () => PUBLIC_URL,
      developmentSignIn: true,
      clock: () => now,
      ...options,
    });

  beforeEach(() => {
    now = Date.parse(NOW);
    t = createTestApp({ deps: { signIn: signInWith() } });
  });
  afterEach(() => t.close());

  /** Signs in as a development identity; the session cookie, as a browser sends it back. */
  async function signInAs(identity: string): Promise<string> {
    const response = await t.anonymous.post('/auth/development').set(CSRF).send({ identity });
    expect(response.status).toBe(200);
    const cookie = sessionCookieOf(response.headers['set-cookie']);
    expect(cookie).toBeDefined();
    return cookie ?? '';
  }

  function sessionCookieOf(setCookie: unknown): string | undefined {
    const lines = Array.isArray(setCookie) ? (setCookie as string[]) : [];
    return lines.find((line) => line.startsWith('pledges_session='))?.split(';')[0];
  }

  describe('the development sign-in', () => {
    it('lists its identities in the sign-in options: the Commission, an auditor, each demo ministry', async () => {
      const response = await t.anonymous.get('/auth/options');

      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body.oidc).toEqual({
        enabled: false,
        label: 'Sign in with your organisation account',
      });
      expect(response.body.development.identities).toEqual([
        { id: 'commission-official', name: 'Commission official (demo)', role: 'commission' },
        { id: 'auditor', name: 'Auditor (demo)', role: 'auditor' },
        ...['DE', 'FR', 'NL', 'SE', 'IE', 'NO'].map((memberState) => ({
          id: `${memberState.toLowerCase()}-desk-officer`,
          name: `Desk officer, ${memberState} ministry (demo)`,
          role: 'member_state',
          memberState,
        })),
      ]);
    });

    it('signs in: a sealed, HttpOnly, SameSite=Lax cookie for 8 hours, and the session', async () => {
      const response = await t.anonymous
        .post('/auth/development')
        .set(CSRF)
        .send({ identity: 'de-desk-officer' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        actor: {
          id: 'dev:de-desk-officer',
          role: 'member_state',
          memberState: 'DE',
          name: 'Desk officer, DE ministry (demo)',
        },
        method: 'development',
        expiresAt: new Date(now + 8 * HOUR_MS).toISOString(),
      });
      const setCookie = (response.headers['set-cookie'] as unknown as string[])[0] ?? '';
      expect(setCookie).toMatch(/^pledges_session=v1\.[A-Za-z0-9_-]+; /);
      expect(setCookie.split('; ').slice(1)).toEqual([
        'Path=/',
        'Max-Age=28800',
        'HttpOnly',
        'SameSite=Lax',
      ]);
      // Sealed: nothing of the person reads in the clear, in the value or in its decoded bytes.
      // (Short patterns such as `DE` turn up in random base64url by chance; whole fields do not.)
      const sealed = /^pledges_session=v1\.([A-Za-z0-9_-]+);/.exec(setCookie)?.[1] ?? '';
      const bytes = Buffer.from(sealed, 'base64url').toString('latin1');
      for (const clear of ['dev:de-desk-officer', 'member_state', 'Desk officer']) {
        expect(setCookie).not.toContain(clear);
        expect(bytes).not.toContain(clear);
      }
    });

    it('marks the cookie Secure when the app is reached over https', async () => {
      const secure = createTestApp({
        deps: { signIn: signInWith({ publicUrl: () => 'https://pledges.example.org' }) },
      });
      const response = await secure.anonymous
        .post('/auth/development')
        .set(CSRF)
        .send({ identity: 'auditor' });
      await secure.close();

      expect(response.headers['set-cookie']?.[0]).toMatch(/; Secure$/);
    });

    it('is off unless asked for: no identities, and 404 on its route', async () => {
      const off = createTestApp();
      const options = await off.anonymous.get('/auth/options');
      const attempt = await off.anonymous
        .post('/auth/development')
        .set(CSRF)
        .send({ identity: 'auditor' });
      await off.close();

      expect(options.body).toEqual({
        oidc: { enabled: false, label: 'Sign in with your organisation account' },
        development: null,
      });
      expectProblem(attempt, 404, 'not_found');
      expect(attempt.headers['set-cookie']).toBeUndefined();
    });

    it.each([
      ['no CSRF header', {}, { identity: 'auditor' }, 403, 'csrf_header_required'],
      [
        'another site’s Origin',
        { ...CSRF, Origin: 'https://evil.example' },
        { identity: 'auditor' },
        403,
        'cross_origin_request',
      ],
      ['an unknown identity', CSRF, { identity: 'president' }, 422, 'unknown_identity'],
      ['no identity', CSRF, {}, 400, 'invalid_request'],
      [
        'an unknown field',
        CSRF,
        { identity: 'auditor', role: 'commission' },
        400,
        'invalid_request',
      ],
    ] as const)('refuses %s, setting no cookie', async (_case, headers, body, status, code) => {
      const mark = await t.mark();
      const response = await t.anonymous.post('/auth/development').set(headers).send(body);

      await expectRejected(t, mark, response, status, code);
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('refuses a body that is not JSON', async () => {
      const response = await t.anonymous
        .post('/auth/development')
        .set(CSRF)
        .set('Content-Type', 'text/plain')
        .send('identity=auditor');

      expectProblem(response, 415, 'unsupported_media_type');
    });

    it('accepts the app’s own Origin', async () => {
      const response = await t.anonymous
        .post('/auth/development')
        .set({ ...CSRF, Origin: PUBLIC_URL })
        .send({ identity: 'auditor' });

      expect(response.status).toBe(200);
    });
  });

  describe('GET /api/v1/session', () => {
    it('names the person of a browser session, with its method and end', async () => {
      const cookie = await signInAs('commission-official');

      const response = await t.withHeaders({ Cookie: cookie }).get('/api/v1/session');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        actor: {
          id: 'dev:commission-official',
          role: 'commission',
          name: 'Commission official (demo)',
        },
        method: 'development',
        expiresAt: new Date(now + 8 * HOUR_MS).toISOString(),
      });
      // Counted per principal, as a token is.
      expect(response.headers['ratelimit-limit']).toBeDefined();
    });

    it('names the principal of a bearer token', async () => {
      const response = await t.as('de').get('/api/v1/session');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        actor: { id: 'de-ministry', role: 'member_state', memberState: 'DE' },
        method: 'bearer',
      });
    });

    it('answers an operator too', async () => {
      const response = await t.as('operator').get('/api/v1/session');
      expect(response.body).toMatchObject({ actor: { role: 'operator' }, method: 'bearer' });
    });

    it('is 401 without a session or token', async () => {
      const response = await t.anonymous.get('/api/v1/session');
      expectProblem(response, 401, 'unauthenticated');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="pledge-tracker"');
    });

    it('takes the bearer token over the cookie, and a wrong token is a 401 whatever the cookie', async () => {
      const cookie = await signInAs('de-desk-officer');

      const withToken = await t.as('commission').get('/api/v1/session').set('Cookie', cookie);
      const withWrongToken = await t
        .withHeaders({ Cookie: cookie, Authorization: 'Bearer not-a-token' })
        .get('/api/v1/session');

      expect(withToken.body).toMatchObject({ actor: { id: 'dg-home' }, method: 'bearer' });
      expectProblem(withWrongToken, 401, 'unauthenticated');
    });

    it('treats a tampered cookie as no session', async () => {
      const cookie = await signInAs('auditor');
      const [name, sealed = ''] = cookie.split('=');
      const flipped = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`;

      for (const value of [flipped, sealed.slice(0, -4), `${sealed}x`, 'v1.', 'garbage']) {
        const response = await t.withHeaders({ Cookie: `${name}=${value}` }).get('/api/v1/session');
        expectProblem(response, 401, 'unauthenticated');
      }
    });

    it('treats a cookie sealed under another key as no session', async () => {
      const other = createTestApp({
        deps: { signIn: signInWith({ sessionKey: randomBytes(SESSION_KEY_BYTES) }) },
      });
      const signedElsewhere = await other.anonymous
        .post('/auth/development')
        .set(CSRF)
        .send({ identity: 'auditor' });
      await other.close();
      const cookie = sessionCookieOf(signedElsewhere.headers['set-cookie']) ?? '';

      const response = await t.withHeaders({ Cookie: cookie }).get('/api/v1/session');
      expectProblem(response, 401, 'unauthenticated');
    });

    it('ends the session after its 8 hours', async () => {
      const cookie = await signInAs('auditor');

      now += 8 * HOUR_MS - 1_000;
      expect((await t.withHeaders({ Cookie: cookie }).get('/api/v1/session')).status).toBe(200);
      now += 1_000;
      expectProblem(
        await t.withHeaders({ Cookie: cookie }).get('/api/v1/session'),
        401,
        'unauthenticated',
      );
    });

    it('refuses a query', async () => {
      const response = await t.as('de').get('/api/v1/session?who=else');
      expectProblem(response, 400, 'invalid_request');
    });
  });

  describe('writing through a browser session', () => {
    beforeEach(() => t.given(planStream('pledging_open')));

    it('records the person who wrote: actor id and name, in the log, the history and the audit feed', async () => {
      const cookie = await signInAs('de-desk-officer');
      const mark = await t.mark();

      const response = await t
        .withHeaders({ Cookie: cookie, ...CSRF, Origin: PUBLIC_URL })
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      expect(response.status).toBe(201);
      const [event] = await t.eventsSince(mark);
      expect(event?.streamId).toBe(streams.pledge('DE'));
      expect(event?.metadata).toMatchObject({
        actor: {
          id: 'dev:de-desk-officer',
          role: 'member_state',
          memberState: 'DE',
          name: 'Desk officer, DE ministry (demo)',
        },
      });
      const history = await t.withHeaders({ Cookie: cookie }).get(urls.pledgeHistory('DE'));
      expect(history.body.versions[0].actor).toEqual(event?.metadata.actor);
      const feed = await t.as('commission').get(urls.auditEvents());
      expect(feed.body.entries.at(-1)).toMatchObject({
        actorId: 'dev:de-desk-officer',
        actorName: 'Desk officer, DE ministry (demo)',
      });
      // Events written by a token carry no name, and read as before.
      expect(feed.body.entries[0].actorName).toBeUndefined();
    });

    it.each([
      ['without the CSRF header', { Origin: PUBLIC_URL }, 'csrf_header_required'],
      ['from another site', { ...CSRF, Origin: 'https://evil.example' }, 'cross_origin_request'],
      ['from an opaque origin', { ...CSRF, Origin: 'null' }, 'cross_origin_request'],
    ])('refuses a write %s and records nothing', async (_case, headers, code) => {
      const cookie = await signInAs('de-desk-officer');
      const mark = await t.mark();

      const response = await t
        .withHeaders({ Cookie: cookie, ...headers })
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      await expectRejected(t, mark, response, 403, code);
    });

    it('needs no CSRF header for a read, nor for a bearer token’s write', async () => {
      const cookie = await signInAs('de-desk-officer');

      expect((await t.withHeaders({ Cookie: cookie }).get(urls.plan())).status).toBe(200);
      const write = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());
      expect(write.status).toBe(201);
    });

    it('holds a session to its role like a token: an auditor cannot write', async () => {
      const cookie = await signInAs('auditor');
      const mark = await t.mark();

      const response = await t
        .withHeaders({ Cookie: cookie, ...CSRF })
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(aPledgeBody());

      await expectRejected(t, mark, response, 403, 'forbidden');
    });
  });

  describe('signing out', () => {
    it('clears the cookie; the app has no provider to sign out of', async () => {
      const cookie = await signInAs('auditor');

      const response = await t.withHeaders({ Cookie: cookie, ...CSRF }).post('/auth/logout');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({});
      expect(response.headers['set-cookie']?.[0]).toMatch(
        /^pledges_session=; Path=\/; Max-Age=0; /,
      );
    });

    it('needs the CSRF header', async () => {
      const response = await t.anonymous.post('/auth/logout');
      expectProblem(response, 403, 'csrf_header_required');
      expect(response.headers['set-cookie']).toBeUndefined();
    });
  });

  it('keeps the API’s strict CSP on the sign-in routes', async () => {
    const response = await request(t.app).get('/auth/options');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
