/**
 * After adoption a pledge change is recorded but pending: only a Council amendment brings it into
 * the plan (Art. 8(6)). The write says so, the read model says the same, and an amendment can
 * adopt a participant's pending change by naming it.
 */
import { PENDING_AMENDMENT_MESSAGE } from '../../src/api/writeResults';
import {
  aContribution,
  aLine,
  anAmendmentBody,
  aPlanAmended,
  aPledgeBody,
  aPledgeRevised,
  aPledgeSubmitted,
  aWithdrawalBody,
  createTestApp,
  expectRejected,
  planStream,
  pledgeStream,
  streams,
  urls,
  type TestApp,
} from './testApp';

/** The adopted plan holds DE 500 and FR 300 (TR and LB); both pledged exactly that before adoption. */
const germanyAsAdopted = pledgeStream('DE', [
  aPledgeSubmitted({ lines: [aLine({ persons: 500 })] }),
]);
const franceAsAdopted = pledgeStream('FR', [
  aPledgeSubmitted({ memberState: 'FR', lines: [aLine({ hostCountry: 'LB', persons: 300 })] }),
]);

describe('a pledge write after adoption', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  const revise = (persons: number, key?: string) => {
    const request = t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-Match', '"1"')
      .send(aPledgeBody([aLine({ persons })], { reason: 'Reception capacity cut' }));
    return key === undefined ? request : request.set('Idempotency-Key', key);
  };

  it('says it is pending an amendment, and the pledge view agrees', async () => {
    await t.given(planStream('adopted'), germanyAsAdopted);

    const write = await revise(400);
    const read = await t.as('de').get(urls.pledge('DE'));

    expect(write.status).toBe(200);
    expect(write.body).toMatchObject({
      status: 'active',
      total: 400,
      pendingAmendment: true,
      message: PENDING_AMENDMENT_MESSAGE,
    });
    expect(write.body.message).toMatch(/recorded.*only when the Council amends the plan/);
    expect(read.body.pendingAmendment).toBe(true);
  });

  it('a withdrawal after adoption is pending too, on both sides', async () => {
    await t.given(planStream('adopted'), germanyAsAdopted);

    const write = await t
      .as('de')
      .delete(urls.pledge('DE'))
      .set('If-Match', '"1"')
      .send(aWithdrawalBody());
    const read = await t.as('de').get(urls.pledge('DE'));

    expect(write.body).toMatchObject({ status: 'withdrawn', pendingAmendment: true });
    expect(read.body.pendingAmendment).toBe(true);
  });

  it('before adoption a write is not pending and carries no message', async () => {
    await t.given(planStream('pledging_open'), germanyAsAdopted);

    const write = await revise(400);
    const read = await t.as('de').get(urls.pledge('DE'));

    expect(write.status).toBe(200);
    expect(write.body.pendingAmendment).toBe(false);
    expect(write.body).not.toHaveProperty('message');
    expect(read.body.pendingAmendment).toBe(false);
  });

  it('a change after adoption back to the adopted figures is not pending, on both sides', async () => {
    await t.given(
      planStream('adopted'),
      pledgeStream('DE', [
        aPledgeSubmitted({ lines: [aLine({ persons: 500 })] }),
        aPledgeRevised({ lines: [aLine({ persons: 450 })], planStatus: 'adopted' }),
      ]),
    );

    const write = await t
      .as('de')
      .put(urls.pledge('DE'))
      .set('If-Match', '"2"')
      .send(aPledgeBody([aLine({ persons: 500 })], { reason: 'Back to the adopted figure' }));
    const read = await t.as('de').get(urls.pledge('DE'));

    expect(write.status).toBe(200);
    expect(write.body.pendingAmendment).toBe(false);
    expect(read.body.pendingAmendment).toBe(false);
  });

  it('an idempotent repeat answers as the first write did, even after an amendment adopted it', async () => {
    await t.given(planStream('adopted'), germanyAsAdopted);
    const first = await revise(400, 'cut-1');
    await t.given({
      streamId: streams.plan(),
      actor: { id: 'dg-home', role: 'commission' },
      events: [aPlanAmended({ contributions: [aContribution('DE', [aLine({ persons: 400 })])] })],
    });

    const repeat = await revise(400, 'cut-1');
    const read = await t.as('de').get(urls.pledge('DE'));

    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(repeat.body.pendingAmendment).toBe(true);
    expect(read.body.pendingAmendment).toBe(false);
  });
});

describe('an amendment adopting pending changes (adoptPendingFrom)', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });
  afterEach(() => t.close());

  const amend = (body: Record<string, unknown>) =>
    t.as('commission').post(urls.amendments()).send(body);
  const changeAfterAdoption = async (principal: 'de' | 'fr', body: object, version = '"1"') => {
    const response = await t
      .as(principal)
      .put(urls.pledge(principal.toUpperCase()))
      .set('If-Match', version)
      .send(body);
    expect(response.body.pendingAmendment).toBe(true);
  };

  it("records each named participant's pledge as its contribution, in an ordinary PlanAmended", async () => {
    await t.given(planStream('adopted'), germanyAsAdopted, franceAsAdopted);
    const germanyNow = [aLine({ persons: 400 }), aLine({ hostCountry: 'EG', persons: 50 })];
    const franceNow = [aLine({ hostCountry: 'LB', persons: 250 })];
    await changeAfterAdoption('de', aPledgeBody(germanyNow, { reason: 'Shifted to Egypt' }));
    await changeAfterAdoption('fr', aPledgeBody(franceNow, { reason: 'Capacity cut' }));
    const mark = await t.mark();

    const response = await amend(
      anAmendmentBody({
        addPriorityCountries: undefined,
        reason: 'Adopt the revised indications of DE and FR',
        adoptPendingFrom: ['DE', 'FR'],
      }),
    );

    expect(response.status).toBe(200);
    const recorded = await t.eventsSince(mark);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      type: 'PlanAmended',
      data: aPlanAmended({
        reason: 'Adopt the revised indications of DE and FR',
        contributions: [aContribution('DE', germanyNow), aContribution('FR', franceNow)],
      }).data,
    });
    const pledges = await t.as('commission').get(urls.pledges());
    expect(
      (pledges.body.pledges as { memberState: string; pendingAmendment: boolean }[]).map(
        ({ memberState, pendingAmendment }) => [memberState, pendingAmendment],
      ),
    ).toEqual([
      ['DE', false],
      ['FR', false],
    ]);
  });

  it('adopts beside explicit contributions, and a pending withdrawal removes the participant', async () => {
    await t.given(planStream('adopted'), germanyAsAdopted, franceAsAdopted);
    const withdrawal = await t
      .as('fr')
      .delete(urls.pledge('FR'))
      .set('If-Match', '"1"')
      .send(aWithdrawalBody());
    expect(withdrawal.body.pendingAmendment).toBe(true);
    const mark = await t.mark();

    const response = await amend(
      anAmendmentBody({
        addPriorityCountries: undefined,
        contributions: [aContribution('NL', [aLine({ persons: 80 })])],
        adoptPendingFrom: ['FR'],
      }),
    );

    expect(response.status).toBe(200);
    const [event] = await t.eventsSince(mark);
    expect((event?.data as { contributions: unknown }).contributions).toEqual([
      aContribution('FR', []),
      aContribution('NL', [aLine({ persons: 80 })]),
    ]);
    expect(
      (response.body.adoptedContributions as { memberState: string }[]).map((c) => c.memberState),
    ).toEqual(['DE', 'NL']);
  });

  it('a named participant without a pending change is 422 naming it, and appends nothing', async () => {
    await t.given(planStream('adopted'), germanyAsAdopted, franceAsAdopted);
    await changeAfterAdoption('de', aPledgeBody([aLine({ persons: 400 })], { reason: 'Cut' }));
    const mark = await t.mark();

    const response = await amend(
      anAmendmentBody({ addPriorityCountries: undefined, adoptPendingFrom: ['DE', 'FR', 'SE'] }),
    );

    await expectRejected(t, mark, response, 422, 'no_pending_change');
    expect(response.body).toMatchObject({ memberState: 'FR' });
    expect(response.body.detail).toContain('FR');
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        code: 'no_pending_change',
        path: 'adoptPendingFrom.1',
        memberState: 'FR',
      }),
      expect.objectContaining({
        code: 'no_pending_change',
        path: 'adoptPendingFrom.2',
        memberState: 'SE',
      }),
    ]);
  });

  it('a participant named both in contributions and adoptPendingFrom is 422', async () => {
    await t.given(planStream('adopted'), germanyAsAdopted);
    await changeAfterAdoption('de', aPledgeBody([aLine({ persons: 400 })], { reason: 'Cut' }));
    const mark = await t.mark();

    const response = await amend(
      anAmendmentBody({
        contributions: [aContribution('DE', [aLine({ persons: 350 })])],
        adoptPendingFrom: ['de'],
      }),
    );

    await expectRejected(t, mark, response, 422, 'duplicate_contribution');
    expect(response.body).toMatchObject({ memberState: 'DE' });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: 'adoptPendingFrom.0', memberState: 'DE' }),
    ]);
  });

  it('an unknown or non-participating code in adoptPendingFrom is 422 naming where', async () => {
    await t.given(planStream('adopted'), germanyAsAdopted);
    const mark = await t.mark();

    const response = await amend(anAmendmentBody({ adoptPendingFrom: ['XX', 'DK'] }));

    await expectRejected(t, mark, response, 422, 'unknown_member_state');
    expect((response.body.errors as { code: string; path: string }[]).map((e) => e.path)).toEqual([
      'adoptPendingFrom.0',
      'adoptPendingFrom.1',
    ]);
  });

  it('an empty adoptPendingFrom is a malformed body: 400', async () => {
    await t.given(planStream('adopted'));
    const mark = await t.mark();

    const response = await amend(anAmendmentBody({ adoptPendingFrom: [] }));

    await expectRejected(t, mark, response, 400, 'invalid_request');
  });
});
