/**
 * A withdrawal's reason travels in a body, which some clients and intermediaries drop from a
 * DELETE: `POST …/pledges/{ms}/withdrawal` does the same with a POST.
 */
import {
  aPledgeSubmitted,
  aWithdrawalBody,
  createTestApp,
  expectRejected,
  planStream,
  pledgeStream,
  urls,
  type TestApp,
} from './testApp';

describe('POST /plans/{planId}/pledges/{ms}/withdrawal', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = createTestApp();
    await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
  });
  afterEach(() => t.close());

  const withdrawByPost = () => t.as('de').post(urls.withdrawal('DE')).set('If-Match', '"1"');

  it('withdraws as the DELETE does: same answer, same event', async () => {
    const other = createTestApp();
    await other.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
    const markPost = await t.mark();
    const markDelete = await other.mark();

    const byPost = await withdrawByPost().send(aWithdrawalBody('Reception capacity exhausted'));
    const byDelete = await other
      .as('de')
      .delete(urls.pledge('DE'))
      .set('If-Match', '"1"')
      .send(aWithdrawalBody('Reception capacity exhausted'));

    expect(byPost.status).toBe(200);
    expect(byPost.status).toBe(byDelete.status);
    expect(byPost.body).toEqual(byDelete.body);
    expect(byPost.headers['etag']).toBe('"2"');
    expect(byPost.headers['x-log-position']).toBe(byDelete.headers['x-log-position']);
    const strip = (events: readonly { type: string; data: unknown; metadata: object }[]) =>
      events.map(({ type, data, metadata }) => ({
        type,
        data,
        reason: (metadata as { reason?: string }).reason,
      }));
    expect(strip(await t.eventsSince(markPost))).toEqual(
      strip(await other.eventsSince(markDelete)),
    );
    expect(strip(await t.eventsSince(markPost))).toEqual([
      expect.objectContaining({ type: 'PledgeWithdrawn', reason: 'Reception capacity exhausted' }),
    ]);
    await other.close();
  });

  it('needs If-Match: 428 without it, and appends nothing', async () => {
    const mark = await t.mark();

    const response = await t.as('de').post(urls.withdrawal('DE')).send(aWithdrawalBody());

    await expectRejected(t, mark, response, 428, 'precondition_required');
  });

  it('needs a reason: 400 without a body', async () => {
    const mark = await t.mark();

    const response = await withdrawByPost();

    await expectRejected(t, mark, response, 400, 'invalid_request');
  });

  it('a stale If-Match is 412', async () => {
    const mark = await t.mark();

    const response = await t
      .as('de')
      .post(urls.withdrawal('DE'))
      .set('If-Match', '"7"')
      .send(aWithdrawalBody());

    await expectRejected(t, mark, response, 412, 'version_conflict');
  });

  it("is refused for another Member State's pledge", async () => {
    const mark = await t.mark();

    const response = await t
      .as('fr')
      .post(urls.withdrawal('DE'))
      .set('If-Match', '"1"')
      .send(aWithdrawalBody());

    await expectRejected(t, mark, response, 403, 'forbidden');
  });

  it('a second withdrawal is 409 pledge_already_withdrawn, by either route', async () => {
    expect((await withdrawByPost().send(aWithdrawalBody())).status).toBe(200);
    const mark = await t.mark();

    const again = await t
      .as('de')
      .post(urls.withdrawal('DE'))
      .set('If-Match', '"2"')
      .send(aWithdrawalBody());
    const byDelete = await t
      .as('de')
      .delete(urls.pledge('DE'))
      .set('If-Match', '"2"')
      .send(aWithdrawalBody());

    await expectRejected(t, mark, again, 409, 'pledge_already_withdrawn');
    await expectRejected(t, mark, byDelete, 409, 'pledge_already_withdrawn');
  });
});
