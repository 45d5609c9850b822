/**
 * Monthly implementation reports over HTTP (Art. 9; AMIF Art. 19): submitted with
 * If-None-Match: *, corrected with If-Match and a reason, read as they stand, as of a cut, in a
 * list and version by version, by the participant's own ministry or by the Commission on its
 * behalf. Every refusal appends nothing. The plan is the default one adopted in December 2025
 * (Germany 500 from Türkiye, France 300 from Lebanon); the clock stands in March 2026.
 */
import type { Response } from 'supertest';
import { lineKey } from '../../src/domain/shared/pledgeLine';
import type { AdmissionLine } from '../../src/domain/implementation/implementationReportEvents';
import {
  PLAN_ID,
  aReportBody,
  aReportSubmitted,
  aReportCorrected,
  actorOf,
  anAdmission,
  createTestApp,
  expectProblem,
  expectRejected,
  planStream,
  reportStream,
  streams,
  urls,
  type GivenStream,
  type Principal,
  type TestApp,
} from './testApp';

const IN_MARCH = '2026-03-10T09:00:00.000Z';
const NEXT_DAY = '2026-03-11T09:00:00.000Z';
const MONTH = '2026-02';

const humanitarian = (overrides: Partial<AdmissionLine> = {}) =>
  anAdmission({ admissionType: 'humanitarian_admission', hostCountry: 'LB', ...overrides });

/** Germany's report for February, as first sent: host codes in any case, normalised on the way in. */
const FIRST_SENT = [
  anAdmission({ hostCountry: 'tr', persons: 40, vulnerablePersons: 12, familyMembers: 5 }),
  humanitarian({ hostCountry: 'lb', persons: 10, bySex: { female: 6, male: 4, nonBinary: 0 } }),
];
const FIRST = [
  anAdmission({ persons: 40, vulnerablePersons: 12, familyMembers: 5 }),
  humanitarian({ persons: 10, bySex: { female: 6, male: 4, nonBinary: 0 } }),
];
const FIRST_PROCEDURE = { registered: 60, positiveConclusions: 45 };
/** The correction: two more resettled, one more in the Art. 19(3) groups, procedure counts revised. */
const CORRECTED = [
  anAdmission({ persons: 42, vulnerablePersons: 13, familyMembers: 5 }),
  humanitarian({ persons: 10, bySex: { female: 6, male: 4, nonBinary: 0 } }),
];
const CORRECTED_PROCEDURE = { registered: 62, positiveConclusions: 45, negativeConclusions: 3 };
const REASON = 'Two arrivals of 27 February were counted in March by mistake';

describe('monthly implementation reports over HTTP', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp({ clockStart: IN_MARCH });
  });

  afterEach(async () => {
    await t.close();
  });

  const submit = (principal: Principal, memberState: string, month: string, body: object) =>
    t.as(principal).put(urls.report(memberState, month)).set('If-None-Match', '*').send(body);

  const correct = (
    principal: Principal,
    memberState: string,
    month: string,
    version: number,
    body: object,
  ) =>
    t.as(principal).put(urls.report(memberState, month)).set('If-Match', `"${version}"`).send(body);

  describe('the life of a report', () => {
    it('a Member State submits a month: 201, ETag "1", Location, one ImplementationReportSubmitted', async () => {
      await t.given(planStream('adopted'));
      const mark = await t.mark();

      const response = await submit(
        'de',
        'DE',
        MONTH,
        aReportBody(FIRST_SENT, { procedure: FIRST_PROCEDURE }),
      );

      expect(response.status).toBe(201);
      expect(response.headers['etag']).toBe('"1"');
      expect(response.headers['x-log-position']).toBe(String(mark.position + 1));
      expect(response.headers['location']).toBe(
        `/api/v1/plans/${PLAN_ID}/implementation/DE/${MONTH}`,
      );
      expect(response.body).toEqual({
        planId: PLAN_ID,
        memberState: 'DE',
        month: MONTH,
        version: 1,
        position: mark.position + 1,
        admissions: FIRST,
        admitted: 50,
        procedure: FIRST_PROCEDURE,
        onBehalf: false,
      });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.report('DE', MONTH),
            streamVersion: 1,
            type: 'ImplementationReportSubmitted',
            data: aReportSubmitted({
              month: MONTH,
              admissions: FIRST,
              procedure: FIRST_PROCEDURE,
            }).data,
            actor: 'de',
          },
        ]),
      );
    });

    it('corrects it with If-Match and a reason, and reads it, its history and the list, also as of before the correction', async () => {
      await t.given(planStream('adopted'));
      const submitted = await submit(
        'de',
        'DE',
        MONTH,
        aReportBody(FIRST, { procedure: FIRST_PROCEDURE }),
      );
      const firstPosition = submitted.body.position as number;
      t.clock.set(NEXT_DAY);
      const mark = await t.mark();

      const corrected = await correct(
        'de',
        'DE',
        MONTH,
        1,
        aReportBody(CORRECTED, { procedure: CORRECTED_PROCEDURE, reason: REASON }),
      );

      expect(corrected.status).toBe(200);
      expect(corrected.headers['etag']).toBe('"2"');
      expect(corrected.headers['location']).toBeUndefined();
      expect(corrected.body).toEqual({
        planId: PLAN_ID,
        memberState: 'DE',
        month: MONTH,
        version: 2,
        position: mark.position + 1,
        admissions: CORRECTED,
        admitted: 52,
        procedure: CORRECTED_PROCEDURE,
        onBehalf: false,
      });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, corrected, [
          {
            streamId: streams.report('DE', MONTH),
            streamVersion: 2,
            type: 'ImplementationReportCorrected',
            data: aReportCorrected({
              month: MONTH,
              admissions: CORRECTED,
              procedure: CORRECTED_PROCEDURE,
              reason: REASON,
            }).data,
            actor: 'de',
            reason: REASON,
          },
        ]),
      );

      const view = {
        planId: PLAN_ID,
        memberState: 'DE',
        participantKind: 'member_state',
        month: MONTH,
        version: 2,
        admissions: CORRECTED,
        admitted: 52,
        byAdmissionType: { resettlement: 42, humanitarian_admission: 10, emergency_admission: 0 },
        vulnerablePersons: 13,
        familyMembers: 5,
        procedure: CORRECTED_PROCEDURE,
        onBehalf: false,
        lastReason: REASON,
        submittedAt: IN_MARCH,
        updatedAt: NEXT_DAY,
      };
      const read = await t.as('de').get(urls.report('DE', MONTH));
      expect(read.status).toBe(200);
      expect(read.headers['etag']).toBe('"2"');
      expect(read.body).toEqual({ ...view, asOfPosition: mark.position + 1 });

      const list = await t.as('commission').get(urls.reports());
      expect(list.body).toEqual({
        planId: PLAN_ID,
        reports: [view],
        associatedStates: [],
        asOfPosition: mark.position + 1,
      });

      const history = await t.as('auditor').get(urls.reportHistory('DE', MONTH));
      expect(history.status).toBe(200);
      expect(history.body).toEqual({
        planId: PLAN_ID,
        memberState: 'DE',
        month: MONTH,
        versions: [
          {
            version: 1,
            position: firstPosition,
            type: 'ImplementationReportSubmitted',
            recordedAt: IN_MARCH,
            actor: actorOf('de'),
            correlationId: submitted.headers['x-correlation-id'],
            onBehalf: false,
            admitted: 50,
            admissions: FIRST,
            procedure: FIRST_PROCEDURE,
            diff: {
              added: FIRST,
              removed: [],
              changed: [],
              admittedBefore: 0,
              admittedAfter: 50,
              admittedDelta: 50,
              procedure: [
                { field: 'registered', before: null, after: 60 },
                { field: 'positiveConclusions', before: null, after: 45 },
              ],
            },
          },
          {
            version: 2,
            position: mark.position + 1,
            type: 'ImplementationReportCorrected',
            recordedAt: NEXT_DAY,
            actor: actorOf('de'),
            reason: REASON,
            correlationId: corrected.headers['x-correlation-id'],
            onBehalf: false,
            admitted: 52,
            admissions: CORRECTED,
            procedure: CORRECTED_PROCEDURE,
            diff: {
              added: [],
              removed: [],
              changed: [
                {
                  key: lineKey(anAdmission()),
                  before: FIRST[0],
                  after: CORRECTED[0],
                  persons: { before: 40, after: 42, delta: 2 },
                  vulnerablePersons: { before: 12, after: 13, delta: 1 },
                  familyMembers: { before: 5, after: 5, delta: 0 },
                },
              ],
              admittedBefore: 50,
              admittedAfter: 52,
              admittedDelta: 2,
              procedure: [
                { field: 'registered', before: 60, after: 62 },
                { field: 'negativeConclusions', before: null, after: 3 },
              ],
            },
          },
        ],
        nextAfterVersion: null,
      });

      // As of the submission, by log position and by instant: the first version alone.
      for (const asOf of [String(firstPosition), IN_MARCH]) {
        const then = await t
          .as('de')
          .get(`${urls.report('DE', MONTH)}?asOf=${encodeURIComponent(asOf)}`);
        expect(then.body).toMatchObject({
          version: 1,
          admissions: FIRST,
          admitted: 50,
          asOfPosition: firstPosition,
        });
        expect(then.body).not.toHaveProperty('lastReason');
        expect(then.headers['etag']).toBe('"1"');
        const historyThen = await t
          .as('de')
          .get(urls.reportHistory('DE', MONTH, `?asOf=${encodeURIComponent(asOf)}`));
        expect((historyThen.body.versions as unknown[]).length).toBe(1);
        const listThen = await t.as('de').get(urls.reports(`?asOf=${encodeURIComponent(asOf)}`));
        expect(listThen.body.reports).toEqual([
          expect.objectContaining({ version: 1, admitted: 50 }),
        ]);
      }
      // Before the report existed there was nothing to read.
      const before = await t.as('de').get(urls.report('DE', MONTH) + `?asOf=${firstPosition - 1}`);
      expectProblem(before, 404, 'report_not_found');
      const noHistory = await t
        .as('de')
        .get(urls.reportHistory('DE', MONTH, `?asOf=${firstPosition - 1}`));
      expectProblem(noHistory, 404, 'report_not_found');
    });

    it('pages a long history, with a Link to the next page', async () => {
      await t.given(
        planStream('adopted'),
        reportStream('DE', MONTH, [
          aReportSubmitted({ month: MONTH, admissions: [anAdmission({ persons: 1 })] }),
          ...[2, 3, 4, 5].map((persons) =>
            aReportCorrected({ month: MONTH, admissions: [anAdmission({ persons })] }),
          ),
        ]),
      );

      const first = await t.as('de').get(urls.reportHistory('DE', MONTH, '?limit=2'));
      const second = await t.as('de').get(urls.reportHistory('DE', MONTH, '?limit=2&after=2'));

      expect(first.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      expect(first.body.nextAfterVersion).toBe(2);
      expect(first.headers['link']).toBe(
        `</api/v1/plans/${PLAN_ID}/implementation/DE/${MONTH}/history?limit=2&after=2>; rel="next"`,
      );
      expect(second.body.versions.map((v: { version: number }) => v.version)).toEqual([3, 4]);
      // The page's first diff is against the version before it.
      expect(second.body.versions[0].diff).toMatchObject({ admittedBefore: 2, admittedAfter: 3 });
    });

    it('lists a Member State’s own reports only, a month or a participant at a time, associated states apart', async () => {
      await t.given(
        planStream('adopted'),
        reportStream('DE', '2026-01', [aReportSubmitted({ month: '2026-01' })]),
        reportStream('DE', MONTH, [aReportSubmitted({ month: MONTH })]),
        reportStream('FR', '2026-01', [
          aReportSubmitted({
            memberState: 'FR',
            month: '2026-01',
            admissions: [anAdmission({ hostCountry: 'LB', persons: 30 })],
          }),
        ]),
        reportStream('NO', '2026-01', [
          aReportSubmitted({
            memberState: 'NO',
            month: '2026-01',
            admissions: [anAdmission({ hostCountry: 'JO', persons: 20 })],
          }),
        ]),
      );
      const keys = (response: Response) => ({
        reports: (response.body.reports as { memberState: string; month: string }[]).map(
          (report) => `${report.memberState} ${report.month}`,
        ),
        associatedStates: (
          response.body.associatedStates as { memberState: string; month: string }[]
        ).map((report) => `${report.memberState} ${report.month}`),
      });

      const all = await t.as('commission').get(urls.reports());
      const january = await t.as('auditor').get(urls.reports('?month=2026-01'));
      const france = await t.as('auditor').get(urls.reports('?memberState=fr'));
      const own = await t.as('de').get(urls.reports());
      const ownByName = await t.as('de').get(urls.reports('?memberState=DE'));
      const norway = await t.as('no').get(urls.reports());

      expect(keys(all)).toEqual({
        reports: ['DE 2026-01', 'DE 2026-02', 'FR 2026-01'],
        associatedStates: ['NO 2026-01'],
      });
      expect(keys(january)).toEqual({
        reports: ['DE 2026-01', 'FR 2026-01'],
        associatedStates: ['NO 2026-01'],
      });
      expect(keys(france)).toEqual({ reports: ['FR 2026-01'], associatedStates: [] });
      expect(keys(own)).toEqual({ reports: ['DE 2026-01', 'DE 2026-02'], associatedStates: [] });
      expect(keys(ownByName)).toEqual(keys(own));
      expect(keys(norway)).toEqual({ reports: [], associatedStates: ['NO 2026-01'] });
      expect(all.body.associatedStates[0]).toMatchObject({ participantKind: 'associated_state' });
    });

    it('an associated state reports like a Member State, in its own section', async () => {
      await t.given(planStream('adopted'));

      const response = await submit(
        'no',
        'NO',
        MONTH,
        aReportBody([anAdmission({ hostCountry: 'JO', persons: 20 })]),
      );

      expect(response.status).toBe(201);
      const read = await t.as('commission').get(urls.report('NO', MONTH));
      expect(read.body).toMatchObject({ participantKind: 'associated_state', admitted: 20 });
    });

    it('GR and EL both name Greece: the report is recorded and read under EL', async () => {
      await t.given(planStream('adopted'));

      const response = await submit('el', 'GR', MONTH, aReportBody());
      const read = await t.as('el').get(urls.report('gr', MONTH));

      expect(response.status).toBe(201);
      expect(response.headers['location']).toBe(
        `/api/v1/plans/${PLAN_ID}/implementation/EL/${MONTH}`,
      );
      expect(read.body).toMatchObject({ memberState: 'EL', version: 1 });
    });

    it('a month that has begun may be reported before it ends', async () => {
      await t.given(planStream('adopted'));
      t.clock.set('2026-03-01T00:00:00.000Z');

      const response = await submit('de', 'DE', '2026-03', aReportBody());

      expect(response.status).toBe(201);
    });

    it('an Idempotency-Key repeat answers as the first time and records nothing more', async () => {
      await t.given(planStream('adopted'));
      const mark = await t.mark();
      const send = () =>
        t
          .as('de')
          .put(urls.report('DE', MONTH))
          .set('If-None-Match', '*')
          .set('Idempotency-Key', 'de-report-2026-02')
          .send(aReportBody());

      const first = await send();
      const again = await send();

      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await t.eventsSince(mark)).toHaveLength(1);
    });
  });

  describe('on a Member State’s behalf', () => {
    it('the Commission records a report for a Member State, marked as such, which the Member State then corrects itself', async () => {
      await t.given(planStream('adopted'));
      const mark = await t.mark();
      const admissions = [anAdmission({ hostCountry: 'LB', persons: 30 })];

      const response = await submit('commission', 'FR', MONTH, aReportBody(admissions));

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ memberState: 'FR', onBehalf: true });
      expect(await t.eventsSince(mark)).toEqual(
        t.recorded(mark, response, [
          {
            streamId: streams.report('FR', MONTH),
            streamVersion: 1,
            type: 'ImplementationReportSubmitted',
            data: aReportSubmitted({ memberState: 'FR', month: MONTH, admissions, onBehalf: true })
              .data,
            actor: 'commission',
          },
        ]),
      );
      const read = await t.as('fr').get(urls.report('FR', MONTH));
      expect(read.body).toMatchObject({ onBehalf: true, version: 1 });

      const own = await correct(
        'fr',
        'FR',
        MONTH,
        1,
        aReportBody([anAdmission({ hostCountry: 'LB', persons: 31 })], {
          reason: 'One more arrival',
        }),
      );
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ onBehalf: false, version: 2 });

      const history = await t.as('fr').get(urls.reportHistory('FR', MONTH));
      expect(
        (history.body.versions as { actor: { id: string }; onBehalf: boolean }[]).map((version) => [
          version.actor.id,
          version.onBehalf,
        ]),
      ).toEqual([
        [actorOf('commission').id, true],
        [actorOf('fr').id, false],
      ]);
    });
  });

  describe('who may write and read', () => {
    it.each([
      ['a Member State reporting for another', 'de', 'FR'],
      ['an auditor', 'auditor', 'DE'],
      ['an operator', 'operator', 'DE'],
    ] as const)('%s: 403, nothing recorded', async (_name, principal, memberState) => {
      await t.given(planStream('adopted'));
      const mark = await t.mark();

      const response = await submit(principal, memberState, MONTH, aReportBody());

      await expectRejected(t, mark, response, 403, 'forbidden');
    });

    it('authorization comes before the body: a refused caller with a malformed body learns only 403', async () => {
      await t.given(planStream('adopted'));
      const mark = await t.mark();

      const auditor = await t
        .as('auditor')
        .put(urls.report('DE', MONTH))
        .send({ admissions: 'none' });
      const other = await t.as('de').put(urls.report('FR', MONTH)).send({});

      await expectRejected(t, mark, auditor, 403, 'forbidden');
      await expectRejected(t, mark, other, 403, 'forbidden');
    });

    it('a Member State reads its own reports, never another’s, whether or not it exists', async () => {
      await t.given(
        planStream('adopted'),
        reportStream('FR', MONTH, [aReportSubmitted({ memberState: 'FR', month: MONTH })]),
      );

      const report = await t.as('de').get(urls.report('FR', MONTH));
      const missing = await t.as('de').get(urls.report('NL', MONTH));
      const history = await t.as('de').get(urls.reportHistory('FR', MONTH));
      const list = await t.as('de').get(urls.reports('?memberState=FR'));

      for (const response of [report, missing, history, list]) {
        expectProblem(response, 403, 'forbidden');
      }
    });

    it('answers 404 for a report or a plan that does not exist', async () => {
      await t.given(planStream('adopted'));

      expectProblem(await t.as('de').get(urls.report('DE', MONTH)), 404, 'report_not_found');
      expectProblem(await t.as('de').get(urls.reportHistory('DE', MONTH)), 404, 'report_not_found');
      expectProblem(
        await t.as('commission').get(urls.reports('', '2030-2031')),
        404,
        'plan_not_found',
      );
    });
  });

  describe('quotas', () => {
    it('refuses a report body over the size cap with 413, appending nothing', async () => {
      await t.close();
      t = createTestApp({ clockStart: IN_MARCH, quotas: { maxPledgeBytes: 200 } });
      await t.given(planStream('adopted'));
      const mark = await t.mark();
      const large = aReportBody([anAdmission({ note: 'x'.repeat(190) })]);

      const response = await submit('de', 'DE', MONTH, large);

      await expectRejected(t, mark, response, 413, 'report_too_large');
    });

    it('counts report bytes against the Member State’s storage quota, also when the Commission writes on its behalf', async () => {
      const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
      const own = bytesOf(aReportSubmitted({ month: '2026-01' }).data);
      const onBehalf = bytesOf(aReportSubmitted({ month: '2026-02', onBehalf: true }).data);
      const body = aReportBody();
      // Room for the two reports and the third's body, but one byte short.
      const quota = own + onBehalf + bytesOf(body) - 1;
      await t.close();
      t = createTestApp({ clockStart: IN_MARCH, quotas: { storedBytesPerMemberState: quota } });
      await t.given(planStream('adopted'));

      const first = await submit('de', 'DE', '2026-01', body);
      const second = await submit('commission', 'DE', '2026-02', body);
      const mark = await t.mark();
      const third = await submit('de', 'DE', '2026-03', body);

      expect([first.status, second.status]).toEqual([201, 201]);
      await expectRejected(t, mark, third, 429, 'storage_quota_exceeded');
      expect(third.body).toMatchObject({ memberState: 'DE', used: own + onBehalf, limit: quota });
      expect(third.headers['retry-after']).toBeDefined();
    });
  });

  describe('in the audit feed', () => {
    it('report events are found by plan and Member State, with the correction’s reason', async () => {
      await t.given(
        planStream('adopted'),
        reportStream('FR', '2026-01', [aReportSubmitted({ memberState: 'FR', month: '2026-01' })]),
      );
      await submit('de', 'DE', MONTH, aReportBody());
      await correct(
        'de',
        'DE',
        MONTH,
        1,
        aReportBody([anAdmission({ persons: 90 })], { reason: REASON }),
      );

      const germany = await t.as('auditor').get(urls.auditEvents('?memberState=DE'));
      const germanyInPlan = await t
        .as('auditor')
        .get(urls.auditEvents(`?planId=${PLAN_ID}&memberState=de`));
      const plan = await t.as('auditor').get(urls.auditEvents(`?planId=${PLAN_ID}`));
      const corrections = await t
        .as('auditor')
        .get(urls.auditEvents('?type=ImplementationReportCorrected'));

      const types = (response: Response) =>
        (response.body.entries as { type: string; memberState?: string }[]).map(
          (entry) => `${entry.memberState ?? '-'} ${entry.type}`,
        );
      expect(types(germany)).toEqual([
        'DE ImplementationReportSubmitted',
        'DE ImplementationReportCorrected',
      ]);
      expect(types(germanyInPlan)).toEqual(types(germany));
      expect(types(plan)).toEqual([
        ...planStream('adopted').events.map((event) => `- ${event.type}`),
        'FR ImplementationReportSubmitted',
        'DE ImplementationReportSubmitted',
        'DE ImplementationReportCorrected',
      ]);
      expect(corrections.body.entries).toEqual([
        expect.objectContaining({
          streamId: streams.report('DE', MONTH),
          streamVersion: 2,
          planId: PLAN_ID,
          memberState: 'DE',
          actorId: actorOf('de').id,
          reason: REASON,
        }),
      ]);
    });
  });
});

// ---- refusals ----

interface Refusal {
  readonly name: string;
  /** The log before the request: the default plan adopted, unless said otherwise. */
  readonly given?: readonly GivenStream[];
  /** The clock when the request is sent; March 2026 by default. */
  readonly clock?: string;
  readonly as?: Principal;
  readonly planId?: string;
  readonly memberState?: string;
  readonly month?: string;
  /** Preconditions; `If-None-Match: *` by default. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly status: number;
  readonly code: string;
  /** The offending field, where the refusal names one. */
  readonly path?: string;
}

const reported: readonly GivenStream[] = [
  planStream('adopted'),
  reportStream('DE', MONTH, [aReportSubmitted({ month: MONTH })]),
];
const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });
const oneLine = (overrides: Partial<AdmissionLine>) => aReportBody([anAdmission(overrides)]);

const REFUSALS: readonly Refusal[] = [
  {
    name: 'a report before the plan is adopted',
    given: [planStream('proposed')],
    status: 409,
    code: 'plan_not_adopted',
  },
  {
    name: 'a report for a plan that does not exist',
    planId: '2030-2031',
    status: 404,
    code: 'plan_not_found',
  },
  {
    name: 'a month before the plan period',
    month: '2025-12',
    status: 422,
    code: 'month_outside_plan_period',
    path: 'month',
  },
  {
    name: 'a month after the plan period',
    month: '2028-01',
    clock: '2028-02-01T00:00:00.000Z',
    status: 422,
    code: 'month_outside_plan_period',
    path: 'month',
  },
  {
    name: 'a month that has not begun (the last instant before it)',
    month: '2026-04',
    clock: '2026-03-31T23:59:59.999Z',
    status: 422,
    code: 'month_not_begun',
    path: 'month',
  },
  {
    name: 'a malformed month',
    month: '2026-3',
    status: 400,
    code: 'invalid_request',
    path: 'month',
  },
  { name: 'month 13', month: '2026-13', status: 400, code: 'invalid_request', path: 'month' },
  {
    name: 'negative persons',
    body: oneLine({ persons: -1 }),
    status: 400,
    code: 'invalid_request',
    path: 'admissions.0.persons',
  },
  {
    name: 'fractional family members',
    body: oneLine({ familyMembers: 2.5 }),
    status: 400,
    code: 'invalid_request',
    path: 'admissions.0.familyMembers',
  },
  {
    name: 'a negative procedure count',
    body: aReportBody([anAdmission()], { procedure: { registered: -1 } }),
    status: 400,
    code: 'invalid_request',
    path: 'procedure.registered',
  },
  {
    name: 'a fractional procedure count',
    body: aReportBody([anAdmission()], { procedure: { discontinued: 0.5 } }),
    status: 400,
    code: 'invalid_request',
    path: 'procedure.discontinued',
  },
  {
    name: 'a field for a name: the report holds counts only',
    body: { admissions: [{ ...anAdmission(), name: 'Amina' }] },
    status: 400,
    code: 'invalid_request',
    path: 'admissions.0',
  },
  {
    name: 'more persons in the Art. 19(3) groups than in the line',
    body: oneLine({ persons: 10, vulnerablePersons: 11 }),
    status: 422,
    code: 'group_count_exceeds_persons',
    path: 'admissions.0.vulnerablePersons',
  },
  {
    name: 'more family members than persons in the line',
    body: oneLine({ persons: 10, familyMembers: 12 }),
    status: 422,
    code: 'group_count_exceeds_persons',
    path: 'admissions.0.familyMembers',
  },
  {
    name: 'a breakdown by sex that does not add up to the persons',
    body: oneLine({ persons: 10, bySex: { female: 5, male: 4, nonBinary: 0 } }),
    status: 422,
    code: 'breakdown_mismatch',
    path: 'admissions.0.bySex',
  },
  {
    name: 'a breakdown by age band that does not add up to the persons',
    body: oneLine({ persons: 10, byAgeBand: { under18: 5, from18To60: 6, over60: 0 } }),
    status: 422,
    code: 'breakdown_mismatch',
    path: 'admissions.0.byAgeBand',
  },
  {
    name: 'an unknown host country',
    body: oneLine({ hostCountry: 'ZZ' }),
    status: 422,
    code: 'unknown_host_country',
    path: 'admissions.0.hostCountry',
  },
  {
    name: 'a line for another year than the month’s',
    body: oneLine({ year: 2027 }),
    status: 422,
    code: 'invalid_admission_line',
    path: 'admissions.0.year',
  },
  {
    name: 'two lines with the same type, host, year and basis',
    body: aReportBody([anAdmission({ persons: 10 }), anAdmission({ persons: 20 })]),
    status: 422,
    code: 'duplicate_admission_line',
    path: 'admissions.1',
  },
  {
    name: 'a case number in a note',
    body: oneLine({ note: 'Family of case ABC-123456' }),
    status: 422,
    code: 'personal_data_suspected',
    path: 'admissions.0.note',
  },
  {
    name: 'a date of birth in a note',
    body: oneLine({ note: 'Child born 03/04/2019' }),
    status: 422,
    code: 'personal_data_suspected',
    path: 'admissions.0.note',
  },
  {
    name: 'cases open past 10 months outnumbering those open past 7',
    body: aReportBody([anAdmission()], {
      procedure: { openBeyond7Months: 3, openBeyond10Months: 4 },
    }),
    status: 422,
    code: 'invalid_procedure_counts',
    path: 'procedure.openBeyond10Months',
  },
  {
    name: 'a write without a precondition',
    headers: {},
    status: 428,
    code: 'precondition_required',
  },
  {
    name: 'both preconditions',
    headers: { 'If-None-Match': '*', 'If-Match': '"1"' },
    status: 400,
    code: 'conflicting_preconditions',
  },
  {
    name: 'a second submission of the same month',
    given: reported,
    status: 412,
    code: 'report_already_submitted',
  },
  {
    name: 'a correction against a stale version',
    given: reported,
    headers: ifMatch(2),
    body: oneLine({ persons: 90 }),
    status: 412,
    code: 'version_conflict',
  },
  {
    name: 'a correction without a reason',
    given: reported,
    headers: ifMatch(1),
    body: oneLine({ persons: 90 }),
    status: 422,
    code: 'reason_required',
    path: 'reason',
  },
  {
    name: 'a correction with a blank reason',
    given: reported,
    headers: ifMatch(1),
    body: aReportBody([anAdmission({ persons: 90 })], { reason: '   ' }),
    status: 400,
    code: 'invalid_request',
    path: 'reason',
  },
  {
    name: 'a reason longer than 500 characters',
    given: reported,
    headers: ifMatch(1),
    body: aReportBody([anAdmission({ persons: 90 })], { reason: 'x'.repeat(501) }),
    status: 400,
    code: 'invalid_request',
    path: 'reason',
  },
  {
    name: 'an e-mail address in a correction’s reason',
    given: reported,
    headers: ifMatch(1),
    body: aReportBody([anAdmission({ persons: 90 })], {
      reason: 'As agreed with jan.novak@example.org',
    }),
    status: 422,
    code: 'personal_data_suspected',
    path: 'reason',
  },
  {
    name: 'a correction identical to the report',
    given: reported,
    headers: ifMatch(1),
    body: aReportBody([anAdmission()], { reason: 'Checked again' }),
    status: 422,
    code: 'no_op_correction',
  },
  {
    name: 'an unknown Member State',
    as: 'commission',
    memberState: 'ZZ',
    status: 422,
    code: 'unknown_member_state',
  },
  {
    name: 'Denmark, not bound by the Framework (Protocol 22)',
    as: 'dk',
    memberState: 'DK',
    status: 422,
    code: 'participant_not_bound',
  },
];

describe('monthly reports refused over HTTP: the problem, its field, and nothing recorded', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp({ clockStart: IN_MARCH });
  });

  afterEach(async () => {
    await t.close();
  });

  it.each(REFUSALS.map((refusal) => [refusal.name, refusal] as const))(
    '%s',
    async (_name, refusal) => {
      await t.given(...(refusal.given ?? [planStream('adopted')]));
      if (refusal.clock !== undefined) t.clock.set(refusal.clock);
      const mark = await t.mark();

      let request = t
        .as(refusal.as ?? 'de')
        .put(
          urls.report(
            refusal.memberState ?? 'DE',
            refusal.month ?? MONTH,
            refusal.planId ?? PLAN_ID,
          ),
        );
      for (const [name, value] of Object.entries(refusal.headers ?? { 'If-None-Match': '*' })) {
        request = request.set(name, value);
      }
      const response = await request.send(refusal.body ?? aReportBody());

      await expectRejected(t, mark, response, refusal.status, refusal.code);
      if (refusal.path !== undefined) {
        expect(response.body.errors?.[0]).toMatchObject({ path: refusal.path });
      }
    },
  );
});
