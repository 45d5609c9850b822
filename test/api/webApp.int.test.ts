/**
 * The web app served beside the API: its page for every client route a browser opens, its hashed
 * assets cached for good, its own Content-Security-Policy (the API keeps its strict one), and a
 * page that says how to build it when it is not built; its text files compressed for a browser
 * that accepts brotli or gzip.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { OidcRelyingParty } from '../../src/api/session/oidc';
import { BrowserSignIn } from '../../src/api/session/browserSignIn';
import { preferredCoding } from '../../src/api/compressedFiles';
import { webAppContentSecurityPolicy } from '../../src/api/webApp';
import { jsonForScript, ROUTE_CHUNKS } from '../../src/api/webAppPage';
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
    'serves the app’s page for %s, never stored, under the app’s CSP',
    async (path) => {
      const response = await page(path);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toBe(INDEX);
      expect(response.headers['cache-control']).toBe('no-store');
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

/** A GET or HEAD as the bytes came on the wire: supertest would decompress them. */
async function rawRequest(
  app: TestApp['app'],
  path: string,
  headers: Record<string, string>,
  method: 'GET' | 'HEAD' = 'GET',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { host: '127.0.0.1', port, path, method, headers },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              body: Buffer.concat(chunks),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('the web app, compressed', () => {
  const SCRIPT = `export const plans = [${Array.from({ length: 400 }, (_, index) => `{ id: "plan-${index}", title: "Plan number ${index}" }`).join(', ')}];\n`;
  const PAGE = `<!doctype html><html lang="en"><title>Pledge tracker</title><div id="root">${'<p>Resettlement pledges</p>'.repeat(50)}</div>`;
  const CHROMIUM_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';
  let dir: string;
  let t: TestApp;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pledges-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), PAGE);
    writeFileSync(join(dir, 'assets', 'index-3f2a1b.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'tiny-1.js'), 'x');
    t = createTestApp({ deps: { webDir: dir } });
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a script gzip-compressed to a browser that takes gzip, still immutable, under the CSP', async () => {
    const response = await rawRequest(t.app, '/assets/index-3f2a1b.js', {
      'Accept-Encoding': 'gzip',
    });

    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-security-policy']).toBe(APP_CSP);
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 4);
    expect(gunzipSync(response.body).toString('utf8')).toBe(SCRIPT);
  });

  it('prefers brotli when the browser weighs the codings equally, whatever its order', async () => {
    const response = await rawRequest(t.app, '/assets/index-3f2a1b.js', {
      'Accept-Encoding': CHROMIUM_ACCEPT_ENCODING,
    });

    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(response.body).toString('utf8')).toBe(SCRIPT);
  });

  it('follows the browser’s q-values', async () => {
    const response = await rawRequest(t.app, '/assets/index-3f2a1b.js', {
      'Accept-Encoding': 'br;q=0.5, gzip',
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(response.body).toString('utf8')).toBe(SCRIPT);
  });

  it.each([
    ['identity', 'identity'],
    ['no coding at all', undefined],
    ['refusing both', 'br;q=0, gzip;q=0'],
  ])('sends the file as it is for %s, varying by Accept-Encoding', async (_case, accept) => {
    const response = await rawRequest(
      t.app,
      '/assets/index-3f2a1b.js',
      accept === undefined ? {} : { 'Accept-Encoding': accept },
    );

    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.body.toString('utf8')).toBe(SCRIPT);
  });

  it('sends the app’s page for a client route as it is (it differs per person), never stored', async () => {
    const response = await rawRequest(t.app, '/ministry/plans/2026-2027', {
      Accept: BROWSER_ACCEPT,
      'Accept-Encoding': CHROMIUM_ACCEPT_ENCODING,
    });

    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['etag']).toBeUndefined();
    expect(response.headers['content-security-policy']).toBe(APP_CSP);
    expect(response.body.toString('utf8')).toBe(PAGE);
  });

  it('answers a HEAD with the compressed headers and no body', async () => {
    const get = await rawRequest(t.app, '/assets/index-3f2a1b.js', { 'Accept-Encoding': 'gzip' });
    const head = await rawRequest(
      t.app,
      '/assets/index-3f2a1b.js',
      { 'Accept-Encoding': 'gzip' },
      'HEAD',
    );

    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(String(get.body.length));
    expect(head.body.length).toBe(0);
  });

  it('gives each coding its own ETag and answers a revalidation with 304', async () => {
    const gzip = await rawRequest(t.app, '/index.html', { 'Accept-Encoding': 'gzip' });
    const br = await rawRequest(t.app, '/index.html', { 'Accept-Encoding': 'br' });
    const plain = await rawRequest(t.app, '/index.html', { 'Accept-Encoding': 'identity' });
    const etags = [gzip, br, plain].map((response) => response.headers['etag']);
    expect(new Set(etags).size).toBe(3);
    expect(gzip.headers['last-modified']).toBeDefined();

    const revalidated = await rawRequest(t.app, '/index.html', {
      'Accept-Encoding': 'gzip',
      'If-None-Match': String(gzip.headers['etag']),
    });

    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
  });

  it('sends a file that compression would not shrink as it is', async () => {
    const response = await rawRequest(t.app, '/assets/tiny-1.js', {
      'Accept-Encoding': CHROMIUM_ACCEPT_ENCODING,
    });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString('utf8')).toBe('x');
  });

  it('compresses a file again when it is rebuilt in place', async () => {
    await rawRequest(t.app, '/index.html', { 'Accept-Encoding': 'gzip' });
    const rebuilt = `${PAGE}<p>rebuilt, and longer than before</p>`;
    writeFileSync(join(dir, 'index.html'), rebuilt);

    const response = await rawRequest(t.app, '/index.html', { 'Accept-Encoding': 'gzip' });

    expect(gunzipSync(response.body).toString('utf8')).toBe(rebuilt);
  });

  it('still refuses to leave the build directory', async () => {
    const response = await rawRequest(t.app, '/assets/..%2f..%2f..%2fetc%2fpasswd', {
      'Accept-Encoding': 'gzip',
      Accept: BROWSER_ACCEPT,
    });
    expect(response.body.toString('latin1')).not.toMatch(/root:/);
  });
});

describe('preferredCoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.2, gzip;q=0.8', 'gzip'],
    ['*', 'br'],
    ['identity;q=0, gzip;q=0.1', 'gzip'],
    ['x-gzip', 'gzip'],
    ['deflate', 'identity'],
  ] as const)('%s → %s', (header, coding) => {
    expect(preferredCoding(header)).toBe(coding);
  });

  it('picks only a coding the file has', () => {
    expect(preferredCoding('br, gzip', new Set(['gzip']))).toBe('gzip');
  });
});

describe('the app’s page, as each browser gets it', () => {
  const BUILT_INDEX = `<!doctype html>
<html lang="en">
  <head>
    <title>Pledge tracker</title>
    <script type="module" crossorigin src="/assets/index-aaa.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/hooks-bbb.js">
    <link rel="stylesheet" crossorigin href="/assets/index-ccc.css">
  </head>
  <body><div id="root"></div></body>
</html>
`;
  const MANIFEST = {
    'index.html': {
      file: 'assets/index-aaa.js',
      imports: ['_hooks-bbb.js'],
      css: ['assets/index-ccc.css'],
    },
    '_hooks-bbb.js': { file: 'assets/hooks-bbb.js' },
    '_lines-ddd.js': {
      file: 'assets/lines-ddd.js',
      imports: ['_hooks-bbb.js'],
      css: ['assets/lines-eee.css'],
    },
    'src/screens/ministry/index.tsx': {
      file: 'assets/ministry-fff.js',
      imports: ['_hooks-bbb.js', 'index.html', '_lines-ddd.js'],
      css: ['assets/ministry-ggg.css'],
    },
    'src/screens/commission/index.tsx': {
      file: 'assets/commission-hhh.js',
      imports: ['_hooks-bbb.js', 'index.html'],
    },
  };
  const CSRF = { 'X-Requested-With': 'pledge-tracker' } as const;
  let dir: string;
  let t: TestApp;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pledges-web-'));
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, '.vite'));
    writeFileSync(join(dir, 'index.html'), BUILT_INDEX);
    writeFileSync(join(dir, '.vite', 'manifest.json'), JSON.stringify(MANIFEST));
    t = createTestApp({
      deps: { webDir: dir, signIn: new BrowserSignIn({ developmentSignIn: true }) },
    });
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signInAs(identity: string): Promise<string> {
    const response = await t.anonymous.post('/auth/development').set(CSRF).send({ identity });
    expect(response.status).toBe(200);
    const lines = response.headers['set-cookie'] as unknown as string[];
    return lines.find((line) => line.startsWith('pledges_session='))?.split(';')[0] ?? '';
  }

  function bootstrapOf(html: string): unknown {
    const found = /<script type="application\/json" id="app-bootstrap">(.*?)<\/script>/s.exec(html);
    expect(found).not.toBeNull();
    return JSON.parse(found?.[1] ?? 'null');
  }

  it('carries who is signed in, as GET /api/v1/session answers, never stored', async () => {
    const cookie = await signInAs('de-desk-officer');
    const session = await request(t.app).get('/api/v1/session').set('Cookie', cookie);

    const response = await request(t.app)
      .get('/ministry')
      .set('Accept', BROWSER_ACCEPT)
      .set('Cookie', cookie);

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(bootstrapOf(response.text)).toEqual({ session: session.body });
  });

  it('preloads the chunks of the screen the path opens, each once, and their styles', async () => {
    const cookie = await signInAs('de-desk-officer');

    const response = await request(t.app)
      .get('/ministry/plans/2026-2027')
      .set('Accept', BROWSER_ACCEPT)
      .set('Cookie', cookie);

    const head = response.text.slice(0, response.text.indexOf('</head>'));
    expect(head).toContain('<link rel="modulepreload" crossorigin href="/assets/ministry-fff.js">');
    expect(head).toContain('<link rel="modulepreload" crossorigin href="/assets/lines-ddd.js">');
    expect(head).toContain('<link rel="stylesheet" crossorigin href="/assets/ministry-ggg.css">');
    expect(head).toContain('<link rel="stylesheet" crossorigin href="/assets/lines-eee.css">');
    // What the built page loads already is not named twice.
    expect(head.match(/hooks-bbb\.js/g)).toHaveLength(1);
    expect(head.match(/index-aaa\.js/g)).toHaveLength(1);
    expect(head).not.toContain('commission-hhh');
  });

  it('preloads the role’s start screen for `/`', async () => {
    const cookie = await signInAs('commission-official');

    const response = await request(t.app)
      .get('/')
      .set('Accept', BROWSER_ACCEPT)
      .set('Cookie', cookie);

    expect(response.text).toContain('href="/assets/commission-hhh.js"');
    expect(response.text).not.toContain('ministry-fff');
  });

  it('carries the ways to sign in, and preloads no screen, for a browser signed out', async () => {
    const options = await t.anonymous.get('/auth/options');

    const response = await request(t.app).get('/ministry').set('Accept', BROWSER_ACCEPT);

    expect(bootstrapOf(response.text)).toEqual({ authOptions: options.body });
    expect(response.text).not.toContain('ministry-fff');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('carries nothing of a cookie that does not open', async () => {
    const response = await request(t.app)
      .get('/ministry')
      .set('Accept', BROWSER_ACCEPT)
      .set('Cookie', 'pledges_session=forged');

    expect(bootstrapOf(response.text)).not.toHaveProperty('session');
  });

  it('serves the build’s own index.html and manifest as they are, without anyone’s session', async () => {
    const cookie = await signInAs('de-desk-officer');

    const index = await request(t.app).get('/index.html').set('Cookie', cookie);
    const manifest = await request(t.app).get('/.vite/manifest.json');

    expect(index.text).toBe(BUILT_INDEX);
    expect(manifest.status).toBe(404);
  });

  it('writes the data block so that no text in it can end the script', () => {
    const json = jsonForScript({ name: '</script><script>alert(1)</script> & \u2028' });

    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ name: '</script><script>alert(1)</script> & \u2028' });
  });

  it('names, for each screen, chunks the web app’s sources have', () => {
    const sources = new Set(ROUTE_CHUNKS.flatMap((route) => route.sources));
    for (const source of sources) {
      expect(existsSync(join(__dirname, '../../web', source))).toBe(true);
    }
  });
});
