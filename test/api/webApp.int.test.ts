/**
 * The web app served beside the API: its page for every client route a browser opens, its hashed
 * assets cached for good, its own Content-Security-Policy (the API keeps its strict one), and a
 * page that says how to build it when it is not built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { OidcRelyingParty } from '../../src/api/session/oidc';
import { BrowserSignIn } from '../../src/api/session/browserSignIn';
import { webAppContentSecurityPolicy } from '../../src/api/webApp';
import { createTestApp, type TestApp } from './testApp';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INDEX = '<!doctype html><html lang="en"><title>Pledge tracker</title><div id="root"></div>';
const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

describe('the web app', () => {
  let dir: string;
  let t: TestApp;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pledges-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-3f2a1b.js'), 'console.log("app");');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = createTestApp({ deps: { webDir: dir } });
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const page = (path: string) => request(t.app).get(path).set('Accept', BROWSER_ACCEPT);

  it.each(['/', '/signin', '/ministry/plans/2026-2027/history', '/audit/replay?asOf=12'])(
    'serves the app’s page for %s, never cached, under the app’s CSP',
    async (path) => {
      const response = await page(path);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toBe(INDEX);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toBe(APP_CSP);
    },
  );

  it('serves hashed assets cached for a year, immutable', async () => {
    const response = await request(t.app).get('/assets/index-3f2a1b.js');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves other files of the build, revalidated', async () => {
    const response = await request(t.app).get('/favicon.svg');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with a 404 problem, not the page', async () => {
    const response = await page('/assets/gone-123.js');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it.each(['/api/v1/nothing', '/auth/nothing', '/docs/nothing', '/metrics/x', '/health/x'])(
    'leaves %s to the server (no page)',
    async (path) => {
      const response = await page(path);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    },
  );

  it('gives a client asking for JSON the 404 problem, not the page', async () => {
    const response = await request(t.app).get('/ministry').set('Accept', 'application/json');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a page for a HEAD, and nothing for a POST', async () => {
    expect((await request(t.app).head('/commission').set('Accept', BROWSER_ACCEPT)).status).toBe(
      200,
    );
    expect((await request(t.app).post('/commission').set('Accept', BROWSER_ACCEPT)).status).toBe(
      404,
    );
  });

  it('does not leave the build directory', async () => {
    const response = await page('/assets/..%2f..%2fetc%2fpasswd');
    expect(response.text).not.toMatch(/root:/);
  });

  it('keeps the API’s strict CSP on the API', async () => {
    const response = await request(t.app).get('/api/v1/reference/regions');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('says to build the app when it is not built: 503, a short page', async () => {
    rmSync(join(dir, 'index.html'));

    const response = await page('/');

    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('npm run build');
  });

  it('lets the sign-in form go to the identity provider', async () => {
    const oidc = new OidcRelyingParty(
      {
        issuer: 'https://login.example.org/realms/eu',
        clientId: 'x',
        scopes: 'openid',
        label: 'Sign in',
        roleClaim: 'roles',
        roleMap: {},
        memberStateClaim: 'member_state',
        idClaim: 'email',
      },
      () => 'http://tracker.test/auth/callback',
      () => 'http://tracker.test/signin',
    );
    const withProvider = createTestApp({
      deps: { webDir: dir, signIn: new BrowserSignIn({ oidc }) },
    });

    const response = await request(withProvider.app).get('/').set('Accept', BROWSER_ACCEPT);
    await withProvider.close();

    expect(response.headers['content-security-policy']).toBe(
      `${APP_CSP} https://login.example.org`,
    );
    expect(webAppContentSecurityPolicy(['https://login.example.org'])).toBe(
      `${APP_CSP} https://login.example.org`,
    );
  });

  it('serves no page at all without a web directory (the API alone)', async () => {
    const apiOnly = createTestApp();
    const response = await request(apiOnly.app).get('/').set('Accept', BROWSER_ACCEPT);
    await apiOnly.close();
    expect(response.status).toBe(404);
  });
});
