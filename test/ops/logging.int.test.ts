import { loadConfig } from '../../src/config/config';
import { createLogger, logFunction } from '../../src/observability/logging';
import { createTestApp, planStream, tokenOf, urls, type TestApp } from '../api/testApp';
import { captureLogs, eventually, requestLines, type CapturedLogs } from './support';

describe('the request log', () => {
  let logs: CapturedLogs;
  let t: TestApp;

  beforeEach(() => {
    logs = captureLogs();
    t = createTestApp({ deps: { logger: logs.logger } });
  });

  afterEach(async () => {
    await t.close();
  });

  const lineOf = async (requestId: unknown) => {
    const line = await eventually(() => requestLines(logs.lines, requestId)[0]);
    return line;
  };

  it('logs each request once: its id, method, route template, status, duration and actor', async () => {
    await t.given(planStream('pledging_open'));

    const response = await t
      .as('commission')
      .get(urls.totals('?view=pledges'))
      .set('X-Correlation-Id', 'trace-42');

    expect(response.status).toBe(200);
    const line = await lineOf(response.headers['x-request-id']);
    expect(line).toMatchObject({
      level: 'info',
      requestId: response.headers['x-request-id'],
      correlationId: 'trace-42',
      route: '/api/v1/plans/:planId/totals',
      actor: 'dg-home',
      req: { method: 'GET', url: urls.totals('?view=pledges') },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(line).not.toHaveProperty('err');
    expect(requestLines(logs.lines, response.headers['x-request-id'])).toHaveLength(1);
  });

  it('never writes the bearer token or a cookie', async () => {
    const response = await t
      .as('commission')
      .get(urls.plans)
      .set('Cookie', 'session=very-secret-cookie');

    const line = await lineOf(response.headers['x-request-id']);
    expect(line['req']).toMatchObject({
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
    });
    const everything = logs.raw.join('');
    expect(everything).not.toContain(tokenOf('commission'));
    expect(everything).not.toContain('very-secret-cookie');
  });

  it('logs a 4xx at warn with the problem code and no error or stack', async () => {
    const response = await t.as('de').get(urls.pledge('FR'));

    expect(response.status).toBe(403);
    const line = await lineOf(response.headers['x-request-id']);
    expect(line).toMatchObject({
      level: 'warn',
      code: 'forbidden',
      actor: 'de-ministry',
      res: { statusCode: 403 },
    });
    expect(line).not.toHaveProperty('err');
    expect(JSON.stringify(line)).not.toMatch(/\n\s+at /);
  });

  it('logs a 5xx at error with the error and its stack, once', async () => {
    await t.store.close();

    const response = await t.as('commission').get(urls.plans);

    expect(response.status).toBe(500);
    const line = await lineOf(response.headers['x-request-id']);
    expect(line).toMatchObject({
      level: 'error',
      code: 'internal_error',
      err: { message: 'SqliteEventStore is closed', stack: expect.stringMatching(/\n\s+at /) },
    });
    expect(logs.lines.filter((entry) => entry.level === 'error')).toHaveLength(1);
  });

  it('keeps an anonymous request anonymous, and logs its 401 at warn', async () => {
    const response = await t.anonymous.get(urls.plans);

    const line = await lineOf(response.headers['x-request-id']);
    expect(line).toMatchObject({ level: 'warn', code: 'unauthenticated' });
    expect(line['actor']).toBeUndefined();
  });
});

describe('the log({ level, msg }) call style', () => {
  it('maps onto the pino logger, level and fields kept', () => {
    const logs = captureLogs('debug');
    const log = logFunction(logs.logger);

    log({ level: 'warn', msg: 'projection lag', lag: 3 });
    log({ level: 'debug', msg: 'detail' });
    log({ msg: 'no level given' });

    expect(logs.lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'projection lag', lag: 3 }),
      expect.objectContaining({ level: 'debug', msg: 'detail' }),
      expect.objectContaining({ level: 'info', msg: 'no level given' }),
    ]);
    expect(logs.lines[0]?.['time']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('respects the level: below it nothing is written, silent writes nothing', () => {
    const written: string[] = [];
    const write = (line: string) => void written.push(line);

    logFunction(createLogger('warn', { write }))({ level: 'info', msg: 'quiet' });
    logFunction(createLogger('silent', { write }))({ level: 'error', msg: 'silenced' });

    expect(written).toEqual([]);
  });

  it('takes the level from PLEDGES_LOG_LEVEL, info by default', () => {
    expect(loadConfig({}).PLEDGES_LOG_LEVEL).toBe('info');
    expect(loadConfig({ PLEDGES_LOG_LEVEL: 'debug' }).PLEDGES_LOG_LEVEL).toBe('debug');
    expect(() => loadConfig({ PLEDGES_LOG_LEVEL: 'loud' })).toThrow(
      /^Invalid configuration: PLEDGES_LOG_LEVEL/,
    );
  });
});
