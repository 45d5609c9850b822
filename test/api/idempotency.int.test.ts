import {
  aLine,
  aPlanBody,
  aPlanCreated,
  aPledgeBody,
  aPledgeRevised,
  aPledgeSubmitted,
  aWithdrawalBody,
  anOpenPledgingBody,
  createTestApp,
  expectRejected,
  planStream,
  pledgeStream,
  streams,
  urls,
  type TestApp,
} from './testApp';

describe('Idempotency-Key over HTTP', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('the same POST twice: same status, ETag and body, Idempotent-Replayed on the second, one event', async () => {
    const mark = await t.mark();
    const post = () =>
      t
        .as('commission')
        .post(urls.plans)
        .set('Idempotency-Key', 'create-2026-2027')
        .send(aPlanBody());

    const first = await post();
    const second = await post();

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(first.status);
    expect(second.headers['etag']).toBe(first.headers['etag']);
    expect(second.headers['location']).toBe(first.headers['location']);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, first, [
        {
          streamId: streams.plan(),
          streamVersion: 1,
          type: 'UnionPlanCreated',
          data: aPlanCreated().data,
          actor: 'commission',
          idempotencyKey: 'create-2026-2027',
        },
      ]),
    );
  });

  it('the same pledge PUT twice: 201 both times, ETag "1", one PledgeSubmitted', async () => {
    await t.given(planStream('pledging_open'));
    const mark = await t.mark();
    const put = () =>
      t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .set('Idempotency-Key', 'de-pledge-1')
        .send(aPledgeBody());

    const first = await put();
    const second = await put();

    expect([first.status, second.status]).toEqual([201, 201]);
    expect([first.headers['etag'], second.headers['etag']]).toEqual(['"1"', '"1"']);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await t.eventsSince(mark)).toEqual(
      t.recorded(mark, first, [
        {
          streamId: streams.pledge('DE'),
          streamVersion: 1,
          type: 'PledgeSubmitted',
          data: aPledgeSubmitted().data,
          actor: 'de',
          idempotencyKey: 'de-pledge-1',
        },
      ]),
    );
  });

  it('a replay answers what the first request did even after the pledge moved on', async () => {
    await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
    const revise = () =>
      t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .set('Idempotency-Key', 'revise-1')
        .send(aPledgeBody([aLine({ persons: 150 })], { reason: 'More places' }));

    const first = await revise();
    await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-Match', '"2"')
      .send(aPledgeBody([aLine({ persons: 175 })], { reason: 'Even more places' }));
    const mark = await t.mark();
    const replay = await revise();

    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.headers['etag']).toBe('"2"');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(replay.body).toMatchObject({ version: 2, total: 150 });
    expect(await t.eventsSince(mark)).toEqual([]);
  });

  it('the same DELETE twice withdraws once', async () => {
    await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
    const mark = await t.mark();
    const withdraw = () =>
      t
        .as('de')
        .delete(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .set('Idempotency-Key', 'withdraw-1')
        .send(aWithdrawalBody());

    const first = await withdraw();
    const second = await withdraw();

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect((await t.eventsSince(mark)).map((event) => event.type)).toEqual(['PledgeWithdrawn']);
  });

  it('the same key with a different body is 422 idempotency_key_reused and appends nothing', async () => {
    await t.given(planStream('pledging_open'));
    await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-None-Match', '*')
      .set('Idempotency-Key', 'de-pledge-1')
      .send(aPledgeBody([aLine({ persons: 100 })]));
    const mark = await t.mark();

    const response = await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-None-Match', '*')
      .set('Idempotency-Key', 'de-pledge-1')
      .send(aPledgeBody([aLine({ persons: 999 })]));

    await expectRejected(t, mark, response, 422, 'idempotency_key_reused');
  });

  it('the same key on another route is 422 idempotency_key_reused', async () => {
    await t.given(planStream('draft'));
    await t
      .as('commission')
      .post(urls.open())
      .set('Idempotency-Key', 'step')
      .send(anOpenPledgingBody());
    const mark = await t.mark();

    const response = await t
      .as('commission')
      .post(urls.close())
      .set('Idempotency-Key', 'step')
      .send({});

    await expectRejected(t, mark, response, 422, 'idempotency_key_reused');
  });

  it('the same key used by two principals does not collide', async () => {
    await t.given(planStream('pledging_open'));
    const mark = await t.mark();
    const put = (who: 'de' | 'fr', memberState: string) =>
      t
        .as(who)
        .put(urls.pledge(memberState))
        .set('If-None-Match', '*')
        .set('Idempotency-Key', 'pledge-2026')
        .send(aPledgeBody());

    const de = await put('de', 'DE');
    const fr = await put('fr', 'FR');

    expect([de.status, fr.status]).toEqual([201, 201]);
    expect(fr.headers['idempotent-replayed']).toBeUndefined();
    expect(fr.body).toMatchObject({ memberState: 'FR', version: 1 });
    const events = await t.eventsSince(mark);
    expect(events.map((event) => [event.streamId, event.metadata['idempotencyKey']])).toEqual([
      [streams.pledge('DE'), 'de-ministry:pledge-2026'],
      [streams.pledge('FR'), 'fr-ministry:pledge-2026'],
    ]);
  });

  it('a request that failed did not use up its key: the corrected retry runs', async () => {
    await t.given(
      planStream('pledging_open'),
      pledgeStream('DE', [aPledgeSubmitted(), aPledgeRevised()]),
    );
    const put = (ifMatch: string) =>
      t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-Match', ifMatch)
        .set('Idempotency-Key', 'retry-me')
        .send(aPledgeBody([aLine({ persons: 10 })], { reason: 'Down to ten' }));

    const stale = await put('"1"');
    const mark = await t.mark();
    const fresh = await put('"2"');

    expect(stale.status).toBe(412);
    // The fingerprint covers If-Match, so the corrected request is a different request under the key.
    expect(fresh.status).toBe(200);
    expect(fresh.headers['etag']).toBe('"3"');
    expect((await t.eventsSince(mark)).map((event) => event.type)).toEqual(['PledgeRevised']);
  });

  it('a malformed Idempotency-Key is 400 invalid_idempotency_key', async () => {
    await t.given(planStream('pledging_open'));
    const mark = await t.mark();

    const response = await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-None-Match', '*')
      .set('Idempotency-Key', 'x'.repeat(201))
      .send(aPledgeBody());

    await expectRejected(t, mark, response, 400, 'invalid_idempotency_key');
  });

  it('replays for the principal that made the request, not for another reading the result', async () => {
    await t.given(planStream('pledging_open'));
    await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-None-Match', '*')
      .set('Idempotency-Key', 'shared')
      .send(aPledgeBody());
    const mark = await t.mark();

    // FR reusing DE's key for DE's pledge is its own request, refused on authorization.
    const response = await t
      .as('fr')
      .put(urls.pledge('DE'))
      .set('If-None-Match', '*')
      .set('Idempotency-Key', 'shared')
      .send(aPledgeBody());

    await expectRejected(t, mark, response, 403, 'forbidden');
    expect(response.body.planId).toBeUndefined();
  });
});
