/**
 * The end-to-end harness on its own, without a browser: the OpenID provider issues ID tokens
 * carrying the roles and the Member State, the tracker starts on a temporary store, the web app
 * is built once per run. (browser.e2e.test.ts covers Chromium, axe-core and the sign-in.)
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  obtainAuthorizationCode,
  redeemAuthorizationCode,
  type AuthorizationCodeRequest,
} from '../support/authorizationCode';
import {
  buildOncePerRun,
  E2E_TIMEOUT_MS,
  OIDC_PEOPLE,
  startOidcProvider,
  startTracker,
  type RunningOidcProvider,
} from '../support/harness';

jest.setTimeout(E2E_TIMEOUT_MS);

const REDIRECT_URI = 'http://127.0.0.1:3999/auth/callback';

describe('the test OpenID provider', () => {
  let provider: RunningOidcProvider;

  beforeAll(async () => {
    provider = await startOidcProvider({ redirectUris: [REDIRECT_URI] });
  });
  afterAll(() => provider.stop());

  const codeRequest = (login: string): AuthorizationCodeRequest => ({
    issuer: provider.issuer,
    clientId: provider.clientId,
    redirectUri: REDIRECT_URI,
    login,
  });

  async function verifiedIdToken(idToken: string, nonce: string) {
    const discovery = (await (
      await fetch(`${provider.issuer}/.well-known/openid-configuration`)
    ).json()) as { jwks_uri: string };
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: provider.issuer,
      audience: provider.clientId,
    });
    expect(payload['nonce']).toBe(nonce);
    return payload;
  }

  it('serves its discovery document: code flow, S256 PKCE, end session', async () => {
    const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: provider.issuer,
      authorization_endpoint: `${provider.issuer}/auth`,
      token_endpoint: `${provider.issuer}/token`,
      end_session_endpoint: `${provider.issuer}/session/end`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery['claims_supported']).toEqual(
      expect.arrayContaining(['roles', 'member_state', 'email', 'name']),
    );
  });

  it('gives a ministry official an ID token with the roles and the Member State', async () => {
    const request = codeRequest('anna.schmidt');
    const code = await obtainAuthorizationCode(request);
    expect(code.callbackUrl.searchParams.get('iss')).toBe(provider.issuer);
    expect(code.consented).toBe(false);
    const tokens = await redeemAuthorizationCode(request, code);
    const claims = await verifiedIdToken(tokens.id_token, code.nonce);
    expect(claims).toMatchObject({
      sub: 'anna.schmidt',
      email: OIDC_PEOPLE['anna.schmidt'].email,
      name: 'Anna Schmidt',
      roles: ['member_state'],
      member_state: 'DE',
    });
  });

  it('gives a person without roles an ID token without a roles claim', async () => {
    const request = codeRequest('no.role');
    const code = await obtainAuthorizationCode(request);
    const claims = await verifiedIdToken(
      (await redeemAuthorizationCode(request, code)).id_token,
      code.nonce,
    );
    expect(claims['email']).toBe('no.role@example.org');
    expect(claims).not.toHaveProperty('roles');
    expect(claims).not.toHaveProperty('member_state');
  });

  it('refuses to redeem a code without its PKCE verifier', async () => {
    const request = codeRequest('eva.lindqvist');
    const code = await obtainAuthorizationCode(request);
    await expect(
      redeemAuthorizationCode(request, { ...code, codeVerifier: 'x'.repeat(43) }),
    ).rejects.toThrow(/invalid_grant/);
  });
});

describe('a confidential client that is asked for consent', () => {
  it('passes the consent screen and authenticates with client_secret_basic', async () => {
    const provider = await startOidcProvider({
      redirectUris: [REDIRECT_URI],
      clientSecret: 'a-client-secret-for-the-tests',
      consent: 'prompt',
    });
    try {
      const request: AuthorizationCodeRequest = {
        issuer: provider.issuer,
        clientId: provider.clientId,
        redirectUri: REDIRECT_URI,
        login: 'jan.devries',
        clientSecret: 'a-client-secret-for-the-tests',
      };
      const code = await obtainAuthorizationCode(request);
      expect(code.consented).toBe(true);
      const tokens = await redeemAuthorizationCode(request, code);
      const [, payload = ''] = tokens.id_token.split('.');
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toMatchObject({
        roles: ['auditor'],
        email: 'jan.devries@audit.example.eu',
      });
      await expect(
        redeemAuthorizationCode({ ...request, clientSecret: 'wrong' }, code),
      ).rejects.toThrow(/invalid_client/);
    } finally {
      await provider.stop();
    }
  });
});

describe('the tracker in a child process', () => {
  it('starts on a temporary store with the illustrative plan, answers /health, and stops', async () => {
    const tracker = await startTracker();
    try {
      expect(tracker.env['PLEDGES_DB_FILE']?.startsWith(tracker.dataDir)).toBe(true);
      const health = await fetch(`${tracker.baseUrl}/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const commission = tracker.demoTokens().find((token) => token.role === 'commission');
      const plans = await fetch(`${tracker.baseUrl}/api/v1/plans`, {
        headers: { authorization: `Bearer ${commission?.token ?? ''}` },
      });
      expect(plans.status).toBe(200);
      expect(JSON.stringify(await plans.json())).toContain('2026');
    } finally {
      await tracker.stop();
    }
    expect(existsSync(tracker.dataDir)).toBe(false);
    await expect(fetch(`${tracker.baseUrl}/health`)).rejects.toThrow();
  });

  it('fails to start with what the tracker printed', async () => {
    await expect(startTracker({ env: { PLEDGES_BODY_LIMIT: 'lots' } })).rejects.toThrow(
      /the tracker exited \(code 1[\s\S]*PLEDGES_BODY_LIMIT/,
    );
  });
});

describe('building the web app', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'pledges-build-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  /** A tiny Vite project: one page, one module. */
  function tinyApp(): string {
    const root = join(scratch, 'app');
    mkdirSync(root);
    writeFileSync(
      join(root, 'index.html'),
      '<!DOCTYPE html><html lang="en"><head><title>Tiny</title></head><body><main id="root"></main><script type="module" src="./main.js"></script></body></html>',
    );
    writeFileSync(
      join(root, 'main.js'),
      "document.getElementById('root').textContent = 'Tiny app';\n",
    );
    const config = join(scratch, 'vite.config.mjs');
    writeFileSync(config, `export default { root: ${JSON.stringify(root)} };\n`);
    return config;
  }

  it('builds once for every caller of the run, and reports a failed build to each', async () => {
    const config = tinyApp();
    const runDir = join(scratch, 'run');
    mkdirSync(runDir);
    const [first, second] = await Promise.all([
      buildOncePerRun(config, runDir),
      buildOncePerRun(config, runDir),
    ]);
    expect(second).toBe(first);
    expect(readFileSync(join(first, 'index.html'), 'utf8')).toContain('<title>Tiny</title>');
    expect(readdirSync(join(first, 'assets')).some((file) => file.endsWith('.js'))).toBe(true);

    const brokenRun = join(scratch, 'broken');
    mkdirSync(brokenRun);
    writeFileSync(join(scratch, 'app', 'main.js'), 'import "./nowhere.js";\n');
    const broken = [buildOncePerRun(config, brokenRun), buildOncePerRun(config, brokenRun)];
    await expect(broken[0]).rejects.toThrow(/vite build --config .* failed[\s\S]*nowhere/);
    await expect(broken[1]).rejects.toThrow(/nowhere/);
  });

  it('says plainly when there is no web app to build', async () => {
    await expect(buildOncePerRun(join(scratch, 'web', 'vite.config.mts'), scratch)).rejects.toThrow(
      /vite\.config\.mts does not exist, so there is no web app to build/,
    );
  });

  it('hands the tracker a built app in PLEDGES_WEB_DIR, served at / once the server serves it', async () => {
    const webDir = join(scratch, 'web');
    mkdirSync(join(webDir, 'assets'), { recursive: true });
    writeFileSync(
      join(webDir, 'index.html'),
      '<!DOCTYPE html><html lang="en"><head><title>Fake app</title></head><body><main>Fake app</main></body></html>',
    );
    const tracker = await startTracker({ webDir, demoData: false });
    try {
      expect(tracker.env['PLEDGES_WEB_DIR']).toBe(webDir);
      const response = await fetch(`${tracker.baseUrl}/ministry`, {
        headers: { accept: 'text/html' },
      });
      if (response.status === 404) {
        process.stdout.write('\nharness.e2e: the server does not serve PLEDGES_WEB_DIR yet.\n');
        return;
      }
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Fake app');
    } finally {
      await tracker.stop();
    }
  });
});
