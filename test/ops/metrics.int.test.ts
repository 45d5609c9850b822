import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../src/api/auth';
import { loadConfig } from '../../src/config/config';
import { startTracker, type RunningTracker } from '../../src/main';
import { TrackerMetrics } from '../../src/observability/metrics';
import {
  PLAN_ID,
  aPlanBody,
  createTestApp,
  expectProblem,
  planStream,
  urls,
  type TestApp,
} from '../api/testApp';

/** The value of one series in a Prometheus text exposition, or undefined. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp({ withFeed: true, deps: { metrics: new TrackerMetrics() } });
  });

  afterEach(async () => {
    await t.close();
  });

  const scrape = async () => {
    const response = await t.as('operator').get('/metrics');
    expect(response.status).toBe(200);
    return response.text;
  };

  it('is for operators only: 401 without a token, 403 for any other role', async () => {
    const anonymous = await t.anonymous.get('/metrics');
    expectProblem(anonymous, 401, 'unauthenticated');
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    for (const who of ['commission', 'auditor', 'de'] as const) {
      expectProblem(await t.as(who).get('/metrics'), 403, 'forbidden');
    }
    const operator = await t.as('operator').get('/metrics');
    expect(operator.status).toBe(200);
    expect(operator.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts and times requests by route template, never by raw URL', async () => {
    await t.given(planStream('pledging_open'));
    await t.as('commission').get(urls.totals('?view=pledges'));
    await t.as('commission').get(urls.totals('?view=adopted', '2030-2031'));
    await t.as('de').get(urls.pledge('FR'));
    await t.as('commission').get('/api/v1/no/such/thing/12345');

    const metrics = await scrape();

    const totals = 'route="/api/v1/plans/:planId/totals"';
    expect(sample(metrics, `http_requests_total{method="GET",${totals},status="200"}`)).toBe(1);
    expect(sample(metrics, `http_requests_total{method="GET",${totals},status="404"}`)).toBe(1);
    expect(
      sample(
        metrics,
        'http_requests_total{method="GET",route="/api/v1/plans/:planId/pledges/:memberState",status="403"}',
      ),
    ).toBe(1);
    expect(
      sample(metrics, 'http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBe(1);
    expect(
      sample(metrics, `http_request_duration_seconds_count{method="GET",${totals},status="200"}`),
    ).toBe(1);
    expect(metrics).not.toContain(PLAN_ID);
    expect(metrics).not.toContain('12345');
  });

  it('reports the projection lag of the feed', async () => {
    await t.given(planStream('draft'));
    await t.projector.catchUp();

    expect(sample(await scrape(), 'pledges_projection_lag_events')).toBe(0);
  });

  it('keeps each app’s metrics to its own registry', async () => {
    const other = createTestApp({ deps: { metrics: new TrackerMetrics() } });
    await other.as('commission').get(urls.plans);

    const metrics = await scrape();
    await other.close();

    expect(metrics).not.toContain('route="/api/v1/plans"');
  });
});

describe('GET /ready', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('tells an anonymous caller, or any non-operator, only whether it is ready', async () => {
    for (const response of [
      await t.anonymous.get('/ready'),
      await t.as('commission').get('/ready'),
      await t.anonymous.get('/ready').set('Authorization', 'Bearer not-a-token'),
    ]) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ready' });
    }
  });

  it('gives an operator the details', async () => {
    const response = await t.as('operator').get('/ready');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ready',
      store: 'sqlite',
      ready: true,
      storeReachable: true,
      checkpoint: 0,
      lag: 0,
    });
  });

  it('answers 503 not_ready when the store does not answer, the reason for operators only', async () => {
    await t.store.close();

    const anonymous = await t.anonymous.get('/ready');
    const operator = await t.as('operator').get('/ready');

    expect(anonymous.status).toBe(503);
    expect(anonymous.body).toEqual({ status: 'not_ready' });
    expect(operator.status).toBe(503);
    expect(operator.body).toMatchObject({
      status: 'not_ready',
      storeReachable: false,
      lastError: 'SqliteEventStore is closed',
    });
  });
});

describe('the metrics of a running tracker', () => {
  const operatorToken = 'metrics-operator-token-0123456789';
  const commissionToken = 'metrics-commission-token-0123456789';
  let directory: string;
  let running: RunningTracker;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-metrics-'));
    writeFileSync(
      join(directory, 'tokens.json'),
      JSON.stringify({
        tokens: [
          { name: 'dg-home', role: 'commission', sha256: sha256Hex(commissionToken) },
          { name: 'prometheus', role: 'operator', sha256: sha256Hex(operatorToken) },
        ],
      }),
    );
    running = await startTracker(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        PLEDGES_DB_FILE: join(directory, 'pledges.db'),
        PLEDGES_TOKENS_FILE: join(directory, 'tokens.json'),
      }),
      () => undefined,
    );
  });

  afterAll(async () => {
    await running.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('times appends, measures the store and includes the process metrics', async () => {
    const base = `http://127.0.0.1:${running.port}`;
    const created = await fetch(`${base}${urls.plans}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${commissionToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(aPlanBody()),
    });
    expect(created.status).toBe(201);

    const response = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    const metrics = await response.text();

    expect(response.status).toBe(200);
    expect(
      sample(metrics, 'pledges_event_store_append_duration_seconds_count{outcome="appended"}'),
    ).toBe(1);
    expect(sample(metrics, 'pledges_event_store_size_bytes')).toBeGreaterThan(0);
    expect(sample(metrics, 'pledges_projection_lag_events')).toBeGreaterThanOrEqual(0);
    expect(metrics).toContain('process_cpu_user_seconds_total');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
  });

  it('refuses every API action to the operator', async () => {
    const response = await fetch(`http://127.0.0.1:${running.port}${urls.plans}`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(response.status).toBe(403);
  });
});
