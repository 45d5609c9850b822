/**
 * Browser sign-in as the server starts it from its configuration: a development run makes its
 * session key beside the store and offers the development sign-in; a production run with an
 * identity provider that is down still starts, and serves the app and its sign-in options.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { startTracker, type RunningTracker } from '../../src/main';
import { writeAuditKeyFile } from '../auditLog/auditKeyFile';

describe('browser sign-in at start', () => {
  let directory: string;
  let running: RunningTracker | undefined;

  const start = async (environment: Record<string, string>) => {
    running = await startTracker(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        PLEDGES_DB_FILE: join(directory, 'pledges.db'),
        PLEDGES_WEB_DIR: join(directory, 'web'),
        ...environment,
      }),
      () => undefined,
    );
    return running;
  };
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${running?.port ?? 0}${path}`, { headers, redirect: 'manual' });

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-sign-in-'));
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  it('in development: a session key beside the store (0600), the development sign-in, the unbuilt app’s page', async () => {
    const tracker = await start({ NODE_ENV: 'test' });

    expect(statSync(join(directory, 'session.key')).mode & 0o777).toBe(0o600);
    expect(tracker.publicUrl).toBe(`http://localhost:${tracker.port}`);
    const options = (await (await get('/auth/options')).json()) as {
      development: { identities: unknown[] } | null;
    };
    expect(options.development?.identities).toHaveLength(8);
    const page = await get('/', { Accept: 'text/html' });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
  });

  it('serves the built app once it is there', async () => {
    mkdirSync(join(directory, 'web'));
    writeFileSync(join(directory, 'web', 'index.html'), '<!doctype html><title>app</title>');
    await start({ NODE_ENV: 'test' });

    const page = await get('/commission/plans/2026-2027', { Accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
  });

  it('in production with an identity provider that is down: starts, offers it, no development sign-in', async () => {
    const keyFile = join(directory, 'session.key');
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
    await start({
      NODE_ENV: 'production',
      PLEDGES_PUBLIC_URL: 'https://pledges.example.eu',
      PLEDGES_OIDC_ISSUER: 'http://127.0.0.1:9/realms/none',
      PLEDGES_OIDC_CLIENT_ID: 'pledge-tracker',
      PLEDGES_SESSION_KEY_FILE: keyFile,
      PLEDGES_AUDIT_KEY_FILE: writeAuditKeyFile(directory),
    });

    const options = await (await get('/auth/options')).json();
    expect(options).toEqual({
      oidc: { enabled: true, label: 'Sign in with your organisation account' },
      development: null,
    });
    const login = await get('/auth/login');
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/signin?error=oidc_failed');
    // No token file: bearer tokens authenticate no one.
    expect((await get('/api/v1/session', { Authorization: 'Bearer anything' })).status).toBe(401);
  });
});
