import {
  aLine,
  aPledgeBody,
  createTestApp,
  planStream,
  urls,
  expectProblem,
  type TestApp,
} from './testApp';

/** Read-your-writes on any replica: writes tell their log position, reads may name it. */
describe.each([
  ['catch-up on read (no feed)', false],
  ['projections fed by the subscription', true],
])('read consistency with %s', (_name, withFeed) => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp({ withFeed, readWaitMs: 200 });
  });
  afterEach(() => t.close());

  it('answers a write with its log position, and a read naming it sees the write', async () => {
    await t.given(planStream('pledging_open'));
    const write = await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-None-Match', '*')
      .send(aPledgeBody([aLine({ hostCountry: 'TR', persons: 700 })]));
    expect(write.status).toBe(201);
    const position = Number(write.headers['x-log-position']);
    expect(position).toBe(await t.store.headPosition());

    const read = await t
      .as('commission')
      .get(urls.totals())
      .set('X-Min-Position', String(position));
    expect(read.status).toBe(200);
    expect(read.body.total).toBe(700);
    expect(Number(read.headers['x-log-position'])).toBeGreaterThanOrEqual(position);
  });

  it('refuses a malformed X-Min-Position', async () => {
    const response = await t.as('commission').get(urls.plans).set('X-Min-Position', 'yesterday');
    expectProblem(response, 400, 'invalid_min_position');
  });

  it("answers at once 400 for a position beyond the log's head, without waiting", async () => {
    await t.given(planStream('pledging_open'));
    const head = await t.store.headPosition();
    const waitFor = jest.spyOn(t.projector, 'waitFor');

    const response = await t
      .as('commission')
      .get(urls.plans)
      .set('X-Min-Position', String(head + 50));

    expectProblem(response, 400, 'min_position_beyond_head');
    expect(response.body).toMatchObject({ minPosition: head + 50, headPosition: head });
    expect(response.body.detail).toContain(String(head + 50));
    expect(waitFor).not.toHaveBeenCalled();
  });

  it('serves a position at the head that the projections have not applied yet', async () => {
    await t.given(planStream('pledging_open'));
    const head = await t.store.headPosition();

    const response = await t.as('commission').get(urls.plans).set('X-Min-Position', String(head));

    expect(response.status).toBe(200);
    expect(Number(response.headers['x-log-position'])).toBe(head);
  });

  it('is ready when the store answers and the projections are caught up', async () => {
    await t.given(planStream('draft'));
    await t.as('commission').get(urls.plans);
    const response = await t.as('operator').get('/ready');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ready',
      store: 'sqlite',
      ready: true,
      storeReachable: true,
      lag: 0,
    });
  });
});
