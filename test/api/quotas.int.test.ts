/**
 * One client must not be able to hurt the others: writes and reads per minute per token (429 with
 * Retry-After), a cap on one pledge's size (413), and a storage quota per Member State over what
 * its pledge streams hold (429). The rate limiter runs on the test clock, moved by hand: no sleeps.
 */
import type { Response } from 'supertest';
import { HOST_COUNTRIES } from '../../src/domain/reference/hostCountries';
import type { PledgeLine } from '../../src/domain/shared/pledgeLine';
import { DEFAULT_QUOTA_SETTINGS, STORAGE_QUOTA_RETRY_AFTER_SECONDS } from '../../src/api/quotas';
import {
  aLine,
  aPledgeBody,
  aWithdrawalBody,
  createTestApp,
  expectProblem,
  expectRejected,
  planStream,
  urls,
  type TestApp,
  type TestAppOptions,
} from './testApp';

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** A pledge body whose one line carries a note of `noteLength` characters. */
const pledgeWithNote = (noteLength: number, persons = 100) =>
  aPledgeBody([aLine({ persons, note: 'n'.repeat(noteLength) })]);

describe('quotas per token', () => {
  let t: TestApp;

  const start = async (options: TestAppOptions) => {
    t = createTestApp(options);
    await t.given(planStream('pledging_open'));
  };

  afterEach(async () => {
    await t.close();
  });

  /** Germany's pledge: submitted at version 0, revised after. */
  const writePledge = (version: number, persons: number, principal: 'de' | 'fr' = 'de') => {
    const memberState = principal.toUpperCase();
    const request = t.as(principal).put(urls.pledge(memberState));
    return version === 0
      ? request.set('If-None-Match', '*').send(aPledgeBody([aLine({ persons })]))
      : request
          .set('If-Match', `"${version}"`)
          .send(aPledgeBody([aLine({ persons })], { reason: 'Capacity changed' }));
  };

  describe('writes per minute', () => {
    it('refuses the write over the limit with 429, Retry-After and the limit, appending nothing', async () => {
      await start({ quotas: { writesPerMinute: 3 } });
      for (const [version, persons] of [
        [0, 100],
        [1, 110],
        [2, 120],
      ] as const) {
        expect((await writePledge(version, persons)).status).toBeLessThan(300);
      }
      const mark = await t.mark();

      const refused = await writePledge(3, 130);

      await expectRejected(t, mark, refused, 429, 'rate_limited');
      // Three a minute: one slot frees every 20 seconds.
      expect(refused.headers['retry-after']).toBe('20');
      expect(refused.body).toMatchObject({ limit: 3, windowSeconds: 60 });
      expect(refused.headers['ratelimit-limit']).toBe('3');
      expect(refused.headers['ratelimit-remaining']).toBe('0');
    });

    it('counts before the body is read: a malformed body over the limit is still a 429', async () => {
      await start({ quotas: { writesPerMinute: 1 } });
      expect((await writePledge(0, 100)).status).toBe(201);
      const mark = await t.mark();

      const refused = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('Content-Type', 'application/json')
        .set('If-Match', '"1"')
        .send('{"lines": [');

      await expectRejected(t, mark, refused, 429, 'rate_limited');
    });

    it('leaves every other principal’s writes and the writer’s own reads alone', async () => {
      await start({ quotas: { writesPerMinute: 1 } });
      expect((await writePledge(0, 100)).status).toBe(201);
      expectProblem(await writePledge(1, 110), 429, 'rate_limited');

      const french = await writePledge(0, 40, 'fr');
      const ownRead = await t.as('de').get(urls.pledge('DE'));
      const plan = await t.as('commission').post(urls.close()).send({});

      expect(french.status).toBe(201);
      expect(ownRead.status).toBe(200);
      expect(plan.status).toBe(200);
    });

    it('lets the writer write again once the slot it was told of frees, and fully after the window', async () => {
      await start({ quotas: { writesPerMinute: 3 } });
      for (const [version, persons] of [
        [0, 100],
        [1, 110],
        [2, 120],
      ] as const) {
        await writePledge(version, persons);
      }
      const refused = await writePledge(3, 130);
      expect(refused.status).toBe(429);

      t.clock.advance(Number(refused.headers['retry-after']) * 1_000 - 1);
      expectProblem(await writePledge(3, 130), 429, 'rate_limited');
      t.clock.advance(1);
      expect((await writePledge(3, 130)).status).toBe(200);
      expectProblem(await writePledge(4, 140), 429, 'rate_limited');

      t.clock.advance(60_000);
      const again = [
        await writePledge(4, 140),
        await writePledge(5, 150),
        await writePledge(6, 160),
      ];
      expect(again.map((response) => response.status)).toEqual([200, 200, 200]);
      expect(await t.store.headPosition()).toBe(2 + 7);
    });

    it('gives the Commission its own write limit', async () => {
      await start({ quotas: { writesPerMinute: 1, commissionWritesPerMinute: 2 } });

      const close = await t.as('commission').post(urls.close()).send({});
      const reopen = await t.as('commission').post(urls.open()).send({});
      const third = await t.as('commission').post(urls.close()).send({});

      expect(close.headers['ratelimit-limit']).toBe('2');
      expect([close.status, reopen.status]).not.toContain(429);
      expectProblem(third, 429, 'rate_limited');
    });

    it('tells the caller where it stands on every API response (draft IETF RateLimit fields)', async () => {
      await start({ quotas: { writesPerMinute: 3, readsPerMinute: 10 } });

      const write = await writePledge(0, 100);
      const read = await t.as('de').get(urls.pledge('DE'));

      expect(write.headers).toMatchObject({
        'ratelimit-limit': '3',
        'ratelimit-remaining': '2',
        // The whole quota is back 20 seconds after the one write.
        'ratelimit-reset': '20',
        'ratelimit-policy': '3;w=60',
      });
      expect(read.headers).toMatchObject({
        'ratelimit-limit': '10',
        'ratelimit-remaining': '9',
        'ratelimit-reset': '6',
      });
      expect(write.headers['retry-after']).toBeUndefined();
    });
  });

  describe('reads per minute', () => {
    it('limits reads apart from writes, with the same 429', async () => {
      await start({ quotas: { readsPerMinute: 2 } });
      await t.as('de').get(urls.plan());
      await t.as('de').get(urls.plan());

      const refused = await t.as('de').get(urls.plan());
      const write = await writePledge(0, 100);
      const otherReader = await t.as('fr').get(urls.plan());

      expectProblem(refused, 429, 'rate_limited');
      expect(refused.headers['retry-after']).toBe('30');
      expect(refused.body).toMatchObject({ limit: 2, windowSeconds: 60 });
      expect(write.status).toBe(201);
      expect(otherReader.status).toBe(200);
    });
  });

  describe('the size of one pledge', () => {
    it('refuses a pledge over the cap with 413, its size and the limit, appending nothing', async () => {
      const fits = pledgeWithNote(500);
      await start({ quotas: { maxPledgeBytes: bytesOf(fits) } });
      const mark = await t.mark();
      const tooLarge = pledgeWithNote(501);

      const refused = await t
        .as('fr')
        .put(urls.pledge('FR'))
        .set('If-None-Match', '*')
        .send(tooLarge);

      await expectRejected(t, mark, refused, 413, 'pledge_too_large');
      expect(refused.body).toMatchObject({ limit: bytesOf(fits), size: bytesOf(tooLarge) });
      const atTheCap = await t.as('de').put(urls.pledge('DE')).set('If-None-Match', '*').send(fits);
      expect(atTheCap.status).toBe(201);
    });

    it('weighs the pledge, not the whitespace it was sent with', async () => {
      const body = pledgeWithNote(500);
      await start({ quotas: { maxPledgeBytes: bytesOf(body) } });

      const response = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body, null, 8));

      expect(response.status).toBe(201);
    });

    it('takes a large real pledge under the default cap: 200 lines with short notes', async () => {
      await start({});
      const lines: PledgeLine[] = HOST_COUNTRIES.slice(0, 100).flatMap((country) =>
        (['resettlement', 'humanitarian_admission'] as const).map((admissionType) =>
          aLine({
            admissionType,
            hostCountry: country.code,
            persons: 10,
            note: `Referrals via UNHCR ${country.name}; families with children first, as agreed`,
          }),
        ),
      );
      const body = aPledgeBody(lines);
      expect(bytesOf(body)).toBeLessThan(DEFAULT_QUOTA_SETTINGS.maxPledgeBytes);

      const response = await t.as('de').put(urls.pledge('DE')).set('If-None-Match', '*').send(body);

      expect(response.status).toBe(201);
      expect(response.body.lines).toHaveLength(200);
    });
  });

  describe('stored bytes per Member State', () => {
    const QUOTA = 1_024;

    it('refuses a pledge that would take the Member State over its quota: 429, usage, nothing appended', async () => {
      await start({ quotas: { storedBytesPerMemberState: QUOTA } });
      const first = await t
        .as('de')
        .put(urls.pledge('DE'))
        .set('If-None-Match', '*')
        .send(pledgeWithNote(100));
      expect(first.status).toBe(201);
      const [stored] = await t.eventsSince({ position: 2, eventIdsIssued: 0 });
      const used = bytesOf(stored?.data);
      const mark = await t.mark();
      // Just too large to fit beside what Germany's streams already hold.
      const revision = aPledgeBody([aLine({ persons: 90, note: '' })], { reason: 'r' });
      const overhead = bytesOf(revision);
      const tooLarge = aPledgeBody(
        [aLine({ persons: 90, note: 'n'.repeat(QUOTA - used - overhead + 1) })],
        {
          reason: 'r',
        },
      );
      expect(used + bytesOf(tooLarge)).toBe(QUOTA + 1);

      const refused = await t.as('de').put(urls.pledge('DE')).set('If-Match', '"1"').send(tooLarge);

      await expectRejected(t, mark, refused, 429, 'storage_quota_exceeded');
      expect(refused.headers['retry-after']).toBe(String(STORAGE_QUOTA_RETRY_AFTER_SECONDS));
      expect(refused.body).toMatchObject({
        memberState: 'DE',
        used,
        incoming: bytesOf(tooLarge),
        limit: QUOTA,
      });
    });

    it('takes a pledge that exactly fills the quota, and counts each Member State apart', async () => {
      await start({ quotas: { storedBytesPerMemberState: QUOTA } });
      await t.as('de').put(urls.pledge('DE')).set('If-None-Match', '*').send(pledgeWithNote(100));
      const [stored] = await t.eventsSince({ position: 2, eventIdsIssued: 0 });
      const used = bytesOf(stored?.data);
      const overhead = bytesOf(aPledgeBody([aLine({ persons: 90, note: '' })], { reason: 'r' }));
      const fills = aPledgeBody(
        [aLine({ persons: 90, note: 'n'.repeat(QUOTA - used - overhead) })],
        {
          reason: 'r',
        },
      );

      const revised = await t.as('de').put(urls.pledge('DE')).set('If-Match', '"1"').send(fills);
      const french = await t
        .as('fr')
        .put(urls.pledge('FR'))
        .set('If-None-Match', '*')
        .send(pledgeWithNote(500));

      expect(revised.status).toBe(200);
      expect(french.status).toBe(201);
    });

    it('still lets a Member State at its quota withdraw its pledge', async () => {
      await start({ quotas: { storedBytesPerMemberState: QUOTA } });
      await t.as('de').put(urls.pledge('DE')).set('If-None-Match', '*').send(pledgeWithNote(700));
      expectProblem(
        await t
          .as('de')
          .put(urls.pledge('DE'))
          .set('If-Match', '"1"')
          .send(aPledgeBody([aLine({ persons: 90, note: 'n'.repeat(300) })], { reason: 'r' })),
        429,
        'storage_quota_exceeded',
      );

      const withdrawn = await t
        .as('de')
        .delete(urls.pledge('DE'))
        .set('If-Match', '"1"')
        .send(aWithdrawalBody());

      expect(withdrawn.status).toBe(200);
    });
  });

  describe('GET /api/v1/quota', () => {
    it('tells a Member State its writes left this minute and what its pledges store', async () => {
      await start({ quotas: { writesPerMinute: 3, storedBytesPerMemberState: 50_000 } });
      await writePledge(0, 100);
      const [stored] = await t.eventsSince({ position: 2, eventIdsIssued: 0 });

      const response: Response = await t.as('de').get(urls.quota);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        writesPerMinute: { limit: 3, remaining: 2, resetSeconds: 20 },
        readsPerMinute: {
          limit: DEFAULT_QUOTA_SETTINGS.readsPerMinute,
          remaining: DEFAULT_QUOTA_SETTINGS.readsPerMinute - 1,
          resetSeconds: 1,
        },
        storedBytes: { memberState: 'DE', used: bytesOf(stored?.data), limit: 50_000 },
      });
    });

    it('answers the Commission and auditors without stored bytes: they store no pledges', async () => {
      await start({ quotas: { commissionWritesPerMinute: 7 } });

      const commission = await t.as('commission').get(urls.quota);
      const auditor = await t.as('auditor').get(urls.quota);

      expect(commission.body).toEqual({
        writesPerMinute: { limit: 7, remaining: 7, resetSeconds: 0 },
        readsPerMinute: expect.any(Object),
      });
      expect(auditor.status).toBe(200);
      expect(auditor.body).not.toHaveProperty('storedBytes');
    });

    it('names the canonical code of the caller’s Member State (Greece registered as GR is EL)', async () => {
      await start({});

      const response = await t.as('el').get(urls.quota);

      expect(response.body.storedBytes).toEqual({
        memberState: 'EL',
        used: 0,
        limit: DEFAULT_QUOTA_SETTINGS.storedBytesPerMemberState,
      });
    });

    it('needs a token like every other API route', async () => {
      await start({});

      expectProblem(await t.anonymous.get(urls.quota), 401, 'unauthenticated');
    });
  });
});
