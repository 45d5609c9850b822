/**
 * A stored event the read side cannot decode stops it there: reads answer 503 naming the log
 * position, writes on the stream that holds it are refused the same way, and nothing is appended.
 */
import {
  createTestApp,
  expectProblem,
  planStream,
  pledgeStream,
  aPledgeSubmitted,
  aPledgeBody,
  urls,
  type TestApp,
} from './testApp';

describe('an undecodable stored event', () => {
  let t: TestApp;
  let goodHead: number;

  beforeEach(async () => {
    t = createTestApp();
    await t.given(planStream('pledging_open'), pledgeStream('DE', [aPledgeSubmitted()]));
    goodHead = await t.store.headPosition();
    // Written by something other than the tracker's command handler: no schema knows this shape.
    await t.store.append(
      'pledge-2026-2027-FR',
      [
        {
          id: '00000000-0000-4000-8000-00000000bad1',
          type: 'PledgeSubmitted',
          data: { planId: '2026-2027', memberState: 'FR', lines: 'three hundred' },
          metadata: {
            actor: { id: 'fr-ministry', role: 'member_state', memberState: 'FR' },
            recordedAt: '2025-09-15T09:30:00.000Z',
            correlationId: 'c',
            causationId: 'c',
            schemaVersion: 2,
          },
        },
      ],
      { expectedVersion: 'no_stream' },
    );
  });

  afterEach(() => t.close());

  it.each([
    ['the totals', urls.totals()],
    ['the plan', urls.plan()],
    ['the pledges', urls.pledges()],
  ])('stops %s with 503 read_model_stopped naming the position', async (_what, url) => {
    const response = await t.as('commission').get(url);
    expectProblem(response, 503, 'read_model_stopped');
    expect(response.body).toMatchObject({ position: goodHead + 1, eventType: 'PledgeSubmitted' });
    expect(t.projector.checkpoint).toBe(goodHead);
  });

  it('refuses a write on the stream that holds it, appending nothing', async () => {
    const mark = await t.mark();
    const response = await t
      .as('fr')
      .put(urls.pledge('FR'))
      .set('If-Match', '"1"')
      .send(aPledgeBody(undefined, { reason: 'Correcting the record' }));
    expectProblem(response, 503, 'read_model_stopped');
    expect(await t.eventsSince(mark)).toEqual([]);
  });
});
