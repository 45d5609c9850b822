import request, { type Test } from 'supertest';
import {
  aLine,
  aPledgeSubmitted,
  bearer,
  createTestApp,
  expectProblem,
  expectRejected,
  planStream,
  pledgeStream,
  urls,
  type TestApp,
} from '../api/testApp';
import { captureLogs, eventually, requestLines, type CapturedLogs } from './support';

function send(t: TestApp, method: string, url: string): Test {
  const agent = request(t.app);
  switch (method) {
    case 'GET':
      return agent.get(url);
    case 'POST':
      return agent.post(url);
    case 'PUT':
      return agent.put(url);
    case 'DELETE':
      return agent.delete(url);
    default:
      throw new Error(`no client for ${method}`);
  }
}

describe('a malformed URL', () => {
  let logs: CapturedLogs;
  let t: TestApp;

  beforeEach(() => {
    logs = captureLogs();
    t = createTestApp({ deps: { logger: logs.logger } });
  });

  afterEach(async () => {
    await t.close();
  });

  it.each([
    ['GET', '/api/v1/plans/%E0%A4%A'],
    ['GET', '/api/v1/plans/2026-2027/pledges/%FF'],
    ['PUT', '/api/v1/plans/2026-2027/pledges/%E0%A4%A'],
    ['GET', '/api/v1/reference/%C0'],
  ])('%s %s is a 400 malformed_url, logged as the caller’s error', async (method, url) => {
    const mark = await t.mark();

    const response = await send(t, method, url).set('Authorization', bearer('de'));

    await expectRejected(t, mark, response, 400, 'malformed_url');
    const line = await eventually(
      () => requestLines(logs.lines, response.headers['x-request-id'])[0],
    );
    expect(line).toMatchObject({ level: 'warn', code: 'malformed_url' });
    expect(logs.lines.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});

describe('a method the path does not take', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('is a 405 with Allow listing what the path accepts, HEAD with GET', async () => {
    const mark = await t.mark();

    const response = await request(t.app)
      .patch(urls.pledge('DE'))
      .set('Authorization', bearer('de'))
      .send({ lines: [aLine()] });

    await expectRejected(t, mark, response, 405, 'method_not_allowed');
    expect(response.headers['allow']).toBe('DELETE, GET, HEAD, OPTIONS, PUT');
    expect(response.body).toMatchObject({
      allowed: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PUT'],
    });
  });

  it.each([
    ['POST', urls.plan(), 'GET, HEAD, OPTIONS'],
    ['DELETE', urls.plans, 'GET, HEAD, OPTIONS, POST'],
    ['GET', urls.open(), 'OPTIONS, POST'],
    ['PUT', urls.totals(), 'GET, HEAD, OPTIONS'],
    ['GET', urls.replay, 'OPTIONS, POST'],
  ])('%s %s: Allow %s', async (method, url, allow) => {
    const response = await send(t, method, url).set('Authorization', bearer('commission'));

    expectProblem(response, 405, 'method_not_allowed');
    expect(response.headers['allow']).toBe(allow);
  });

  it('answers the public paths the same way, without reading a body', async () => {
    for (const url of ['/health', '/ready', '/metrics', '/api/v1/reference/regions']) {
      const response = await request(t.app)
        .post(url)
        .set('Authorization', bearer('commission'))
        .set('Content-Type', 'application/json')
        .send('{"not json');

      expectProblem(response, 405, 'method_not_allowed');
      expect(response.headers['allow']).toBe('GET, HEAD, OPTIONS');
    }
  });

  it('still asks for a token first on the API', async () => {
    const response = await request(t.app).patch(urls.pledge('DE')).send({});

    expectProblem(response, 401, 'unauthenticated');
  });

  it('keeps 404 for a path no route knows', async () => {
    const response = await t.as('commission').get('/api/v1/plans/2026-2027/nothing-here');

    expectProblem(response, 404, 'not_found');
    expect(response.headers['allow']).toBeUndefined();
  });

  it('serves HEAD wherever GET is served', async () => {
    await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));

    const response = await request(t.app)
      .head(urls.pledge('DE'))
      .set('Authorization', bearer('de'));

    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"1"');
  });

  it('answers OPTIONS on a known path with its Allow', async () => {
    const response = await request(t.app)
      .options(urls.pledge('DE'))
      .set('Authorization', bearer('de'));

    expect(response.status).toBe(204);
    expect(response.headers['allow']).toBe('DELETE, GET, HEAD, OPTIONS, PUT');
  });
});

describe('request bodies', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('are not read from an anonymous caller', async () => {
    const response = await request(t.app)
      .post(urls.plans)
      .set('Content-Type', 'application/json')
      .send('{"not json');

    expectProblem(response, 401, 'unauthenticated');
  });

  it('are read on the API once the caller is known', async () => {
    const response = await t
      .as('commission')
      .post(urls.plans)
      .set('Content-Type', 'application/json')
      .send('{"not json');

    expectProblem(response, 400, 'malformed_json');
  });
});
