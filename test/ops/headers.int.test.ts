import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { pageContentSecurityPolicy, securityHeaders } from '../../src/api/securityHeaders';
import { createTestApp, urls, type TestApp } from '../api/testApp';

const APP_ORIGIN = 'https://pledges.example.eu';

describe('security headers', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it.each([
    ['an API answer', urls.plans],
    ['a problem', '/api/v1/nothing'],
    ['a public path', '/health'],
  ])('come with %s', async (_what, url) => {
    const response = await t.as('commission').get(url);

    expect(response.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('are what helmet itself sets, in its order, though recorded once', async () => {
    const answer = (app: express.Express) => {
      app.get('/', (_request, response) => void response.json({}));
      return request(app).get('/');
    };
    const recorded = express();
    recorded.use(securityHeaders());
    const live = express();
    live.use(
      helmet({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'none'"],
            frameAncestors: ["'none'"],
            baseUri: ["'none'"],
            formAction: ["'none'"],
          },
        },
      }),
    );
    const withoutDate = ({ date: _date, ...headers }: Record<string, string>) => headers;

    const [ours, helmets] = await Promise.all([answer(recorded), answer(live)]);

    expect(Object.entries(withoutDate(ours.headers))).toEqual(
      Object.entries(withoutDate(helmets.headers)),
    );
  });

  it('let one page relax the policy on its own path only', async () => {
    const app = express();
    app.use(securityHeaders());
    app.use(
      '/docs',
      pageContentSecurityPolicy({ scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"] }),
    );
    app.get('/docs', (_request, response) => void response.send('<html></html>'));
    app.get('/api', (_request, response) => void response.json({}));

    const docs = await request(app).get('/docs');
    const api = await request(app).get('/api');

    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    expect(docs.headers['content-security-policy']).not.toContain("default-src 'none'");
    expect(api.headers['content-security-policy']).toContain("default-src 'none'");
  });
});

describe('CORS', () => {
  const preflight = (t: TestApp, origin: string) =>
    request(t.app)
      .options(urls.pledge('DE'))
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'authorization, content-type, if-match');

  describe('closed by default', () => {
    let t: TestApp;

    beforeEach(() => {
      t = createTestApp();
    });

    afterEach(async () => {
      await t.close();
    });

    it('sends no CORS header at all, not even to a preflight', async () => {
      const answers = [
        await t.as('commission').get(urls.plans).set('Origin', APP_ORIGIN),
        await preflight(t, APP_ORIGIN),
      ];

      for (const response of answers) {
        const cors = Object.keys(response.headers).filter((name) =>
          name.startsWith('access-control-'),
        );
        expect(cors).toEqual([]);
      }
    });
  });

  describe('opened to configured origins', () => {
    let t: TestApp;

    beforeEach(() => {
      t = createTestApp({ deps: { corsOrigins: [APP_ORIGIN, 'http://localhost:5173'] } });
    });

    afterEach(async () => {
      await t.close();
    });

    it('answers a preflight with 204, the methods and the headers the API takes', async () => {
      const response = await preflight(t, APP_ORIGIN);

      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(response.headers['access-control-allow-methods']?.split(', ')).toEqual(
        expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']),
      );
      expect(response.headers['access-control-allow-headers']?.split(', ')).toEqual([
        'Authorization',
        'Content-Type',
        'If-Match',
        'If-None-Match',
        'Idempotency-Key',
        'X-Min-Position',
        'X-Correlation-Id',
      ]);
      expect(response.headers['vary']).toContain('Origin');
    });

    it('lets the origin read the answer and the headers a client needs', async () => {
      const response = await t.as('commission').get(urls.plans).set('Origin', APP_ORIGIN);

      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(response.headers['access-control-expose-headers']?.split(', ')).toEqual([
        'ETag',
        'X-Log-Position',
        'X-Request-Id',
        'Location',
        'Retry-After',
        'Idempotent-Replayed',
        'Link',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        'RateLimit-Policy',
      ]);
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('lets the origin read a 401 too, so a client can tell a bad token', async () => {
      const response = await t.anonymous.get(urls.plans).set('Origin', APP_ORIGIN);

      expect(response.status).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    });

    it('gives another origin nothing', async () => {
      for (const response of [
        await preflight(t, 'https://evil.example.com'),
        await t.as('commission').get(urls.plans).set('Origin', 'https://evil.example.com'),
      ]) {
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
        expect(response.headers['access-control-allow-methods']).toBeUndefined();
      }
    });
  });

  it('reads PLEDGES_CORS_ORIGINS as exact origins, none by default', () => {
    expect(loadConfig({}).PLEDGES_CORS_ORIGINS).toEqual([]);
    expect(
      loadConfig({ PLEDGES_CORS_ORIGINS: `${APP_ORIGIN}, http://localhost:5173` })
        .PLEDGES_CORS_ORIGINS,
    ).toEqual([APP_ORIGIN, 'http://localhost:5173']);
    for (const wrong of ['*', 'pledges.example.eu', `${APP_ORIGIN}/`, `${APP_ORIGIN}/app`]) {
      expect(() => loadConfig({ PLEDGES_CORS_ORIGINS: wrong })).toThrow(
        /^Invalid configuration: PLEDGES_CORS_ORIGINS/,
      );
    }
  });
});
