/**
 * The verifiable log over HTTP, checked as an auditor who trusts only the published key would:
 * the head's signature with node:crypto and the JWK from /key, every event's inclusion from its raw
 * record, consistency between heads of several sizes, and the export recomputed line by line. Then
 * the refusals: bad parameters, callers without the right, and a log that was rolled back or
 * rewritten behind the server's back (no write, no head, /ready not ready).
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { AuditLogService } from '../../src/auditLog/auditLogService';
import { eventLeafHash, loggedEventOf, parseAuditRecord } from '../../src/auditLog/auditRecord';
import { canonicalJson } from '../../src/auditLog/canonicalJson';
import {
  leafHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/auditLog/merkleTree';
import { generateTreeHeadKeyPair } from '../../src/auditLog/treeHead';
import { AuditTreeMismatchError } from '../../src/eventStore/port';
import { toProblem } from '../../src/api/problems';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import {
  aPlanBody,
  aPledgeSubmitted,
  createTestApp,
  expectProblem,
  expectRejected,
  planStream,
  pledgeStream,
  urls,
  type GivenStream,
  type TestApp,
} from './testApp';

interface Jwk {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  readonly kid: string;
  readonly alg: string;
  readonly use: string;
}

interface Head {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: string;
  readonly signature: string;
}

const fromBase64 = (hashes: readonly string[]) => hashes.map((hash) => Buffer.from(hash, 'base64'));

/** Checked with node:crypto alone: the JWK as published, the signed bytes rebuilt from the fields. */
function signatureVerifies(head: Head, jwk: Jwk): boolean {
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  const signed = Buffer.from(
    canonicalJson({ rootHash: head.rootHash, timestamp: head.timestamp, treeSize: head.treeSize }),
    'utf8',
  );
  return verify(null, signed, key, Buffer.from(head.signature, 'base64'));
}

/** The app over a real SQLite store, its tree the store's own, heads signed with a key of this run. */
function auditedApp(
  options: { readonly auditLog?: AuditLogService; store?: SqliteEventStore } = {},
) {
  const store = options.store ?? openSqliteEventStore(':memory:');
  const auditLog = options.auditLog ?? AuditLogService.withEphemeralKey(store.auditTree);
  return { t: createTestApp({ store, deps: { auditLog } }), auditLog };
}

/** A small log: the plan up to open pledging, and three pledges. */
const SMALL_LOG = [
  planStream('pledging_open'),
  pledgeStream('DE', [aPledgeSubmitted()]),
  pledgeStream('FR', [aPledgeSubmitted({ memberState: 'FR' })]),
  pledgeStream('NL', [aPledgeSubmitted({ memberState: 'NL' })]),
];

describe('the verifiable log over HTTP', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = auditedApp().t;
    await t.given(...SMALL_LOG);
  });
  afterEach(async () => {
    await t.close();
  });

  const positions = async (): Promise<number[]> =>
    (await t.store.readAll({ maxCount: 1000 })).map((event) => event.globalPosition);

  it('publishes the key to anyone: an RFC 8037 JWK with its RFC 7638 thumbprint, cacheable', async () => {
    const response = await t.anonymous.get(urls.auditKey);

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const jwk = response.body as Jwk;
    expect(jwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: expect.any(String),
      alg: 'EdDSA',
      use: 'sig',
    });
    const thumbprint = createHash('sha256')
      .update(`{"crv":"Ed25519","kty":"OKP","x":"${jwk.x}"}`)
      .digest('base64url');
    expect(jwk.kid).toBe(thumbprint);
  });

  it('signs the head of the whole log, and the signature verifies with the published key', async () => {
    const jwk = (await t.anonymous.get(urls.auditKey)).body as Jwk;
    const response = await t.as('auditor').get(urls.treeHead);

    expect(response.status).toBe(200);
    const head = response.body as Head;
    const events = await t.store.readAll({ maxCount: 1000 });
    expect(head).toEqual({
      treeSize: events.length,
      rootHash: Buffer.from(rootFromLeafHashes(events.map(eventLeafHash))).toString('base64'),
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      signature: expect.any(String),
    });
    expect(signatureVerifies(head, jwk)).toBe(true);
    expect(signatureVerifies({ ...head, treeSize: head.treeSize - 1 }, jwk)).toBe(false);
  });

  it('answers the same head until the log grows, then a head of the new size', async () => {
    const first = (await t.as('commission').get(urls.treeHead)).body as Head;
    t.clock.advance(60_000);
    expect((await t.as('auditor').get(urls.treeHead)).body).toEqual(first);

    await t.given(pledgeStream('SE', [aPledgeSubmitted({ memberState: 'SE' })]));
    const grown = (await t.as('auditor').get(urls.treeHead)).body as Head;
    expect(grown.treeSize).toBe(first.treeSize + 1);
    expect(grown.rootHash).not.toBe(first.rootHash);
  });

  it("proves every event's inclusion from its raw record, against the signed head's root", async () => {
    const head = (await t.as('auditor').get(urls.treeHead)).body as Head;
    const root = Buffer.from(head.rootHash, 'base64');

    for (const [leafIndex, position] of (await positions()).entries()) {
      const record = await t.as('auditor').get(urls.auditRecord(position));
      expect(record.status).toBe(200);
      expect(record.headers['content-type']).toMatch(/^application\/json/);
      // The leaf is the hash of the bytes as served; they are the canonical record of the event.
      const leaf = leafHash(Buffer.from(record.text, 'utf8'));
      const parsed = parseAuditRecord(JSON.parse(record.text));
      expect(parsed).toBeDefined();
      expect(record.text).toBe(canonicalJson(parsed));
      expect(Buffer.from(eventLeafHash(loggedEventOf(parsed!)))).toEqual(Buffer.from(leaf));

      const proof = await t.as('auditor').get(urls.inclusionProof(`?position=${position}`));
      expect(proof.status).toBe(200);
      expect(proof.body).toEqual({ leafIndex, treeSize: head.treeSize, path: expect.any(Array) });
      const path = fromBase64((proof.body as { path: string[] }).path);
      expect(verifyInclusion(leaf, leafIndex, head.treeSize, path, root)).toBe(true);
      // Any other leaf fails against the same path.
      expect(
        verifyInclusion(leafHash(Buffer.from('x')), leafIndex, head.treeSize, path, root),
      ).toBe(false);
    }
  });

  it('proves an event in an earlier tree that holds it, named by treeSize', async () => {
    const events = await t.store.readAll({ maxCount: 1000 });
    const hashes = events.map(eventLeafHash);
    const second = events[1]!;
    const proof = await t
      .as('auditor')
      .get(urls.inclusionProof(`?position=${second.globalPosition}&treeSize=3`));

    expect(proof.body).toMatchObject({ leafIndex: 1, treeSize: 3 });
    const path = fromBase64((proof.body as { path: string[] }).path);
    expect(verifyInclusion(hashes[1]!, 1, 3, path, rootFromLeafHashes(hashes.slice(0, 3)))).toBe(
      true,
    );
  });

  it('proves every head it signed consistent with every later one', async () => {
    const heads: Head[] = [(await t.as('auditor').get(urls.treeHead)).body as Head];
    for (const memberState of ['SE', 'IT', 'IE']) {
      await t.given(pledgeStream(memberState, [aPledgeSubmitted({ memberState })]));
      heads.push((await t.as('auditor').get(urls.treeHead)).body as Head);
    }

    for (const [i, older] of heads.entries()) {
      for (const newer of heads.slice(i)) {
        const response = await t
          .as('auditor')
          .get(urls.consistencyProof(`?from=${older.treeSize}&to=${newer.treeSize}`));
        expect(response.status).toBe(200);
        const body = response.body as { from: number; to: number; path: string[] };
        expect({ from: body.from, to: body.to }).toEqual({
          from: older.treeSize,
          to: newer.treeSize,
        });
        const verified = verifyConsistency(
          older.treeSize,
          newer.treeSize,
          fromBase64(body.path),
          Buffer.from(older.rootHash, 'base64'),
          Buffer.from(newer.rootHash, 'base64'),
        );
        expect(verified).toBe(true);
      }
    }
    // `to` defaults to the latest signed head.
    const latest = heads[heads.length - 1]!;
    const byDefault = await t
      .as('auditor')
      .get(urls.consistencyProof(`?from=${heads[0]!.treeSize}`));
    expect(byDefault.body).toMatchObject({ from: heads[0]!.treeSize, to: latest.treeSize });
  });

  it('exports the records exactly as served one by one, then a head signed for exactly them', async () => {
    const jwk = (await t.anonymous.get(urls.auditKey)).body as Jwk;
    const response = await t.as('auditor').get(urls.auditExport()).buffer(true);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const all = await positions();
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="audit-log-${all.length}.ndjson"`,
    );
    expect(response.text.endsWith('\n')).toBe(true);
    const lines = response.text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(all.length + 1);
    const records = lines.slice(0, -1);
    for (const [index, position] of all.entries()) {
      expect(records[index]).toBe((await t.as('auditor').get(urls.auditRecord(position))).text);
    }
    const last = JSON.parse(lines[lines.length - 1]!) as { treeHead: Head; publicKey: Jwk };
    expect(lines[lines.length - 1]).toBe(canonicalJson(last));
    expect(last.publicKey).toEqual(jwk);
    expect(last.treeHead.treeSize).toBe(all.length);
    expect(signatureVerifies(last.treeHead, jwk)).toBe(true);
    const recomputed = rootFromLeafHashes(records.map((line) => leafHash(Buffer.from(line))));
    expect(last.treeHead.rootHash).toBe(Buffer.from(recomputed).toString('base64'));
  });

  it('exports up to a position: the events there and before, and a head of their size', async () => {
    const all = await positions();
    const upTo = all[2]!;
    const response = await t
      .as('commission')
      .get(urls.auditExport(`?upTo=${upTo}`))
      .buffer(true);

    const lines = response.text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(4);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="audit-log-3.ndjson"',
    );
    const last = JSON.parse(lines[3]!) as { treeHead: Head };
    const recomputed = rootFromLeafHashes(
      lines.slice(0, 3).map((line) => leafHash(Buffer.from(line))),
    );
    expect(last.treeHead).toMatchObject({
      treeSize: 3,
      rootHash: Buffer.from(recomputed).toString('base64'),
    });
  });

  it.each([
    [
      'a position that is not a number',
      urls.inclusionProof('?position=first'),
      400,
      'invalid_request',
    ],
    ['no position', urls.inclusionProof(), 400, 'invalid_request'],
    ['an unknown parameter', urls.inclusionProof('?position=1&size=2'), 400, 'invalid_request'],
    [
      'a position no event sits at',
      urls.inclusionProof('?position=9999'),
      404,
      'position_not_in_log',
    ],
    [
      'a tree larger than the log',
      urls.inclusionProof('?position=1&treeSize=9999'),
      422,
      'tree_size_too_large',
    ],
    [
      'a tree that does not hold the event yet',
      urls.inclusionProof('?position=5&treeSize=2'),
      422,
      'leaf_not_in_tree',
    ],
    ['a negative size', urls.consistencyProof('?from=-1'), 400, 'invalid_request'],
    ['no from', urls.consistencyProof('?to=2'), 400, 'invalid_request'],
    [
      'a later tree larger than the log',
      urls.consistencyProof('?from=1&to=9999'),
      422,
      'tree_size_too_large',
    ],
    ['from after to', urls.consistencyProof('?from=4&to=2'), 422, 'invalid_tree_range'],
    ['a record position that is not a number', urls.auditRecord('last'), 400, 'invalid_request'],
    ['a record position no event sits at', urls.auditRecord(9999), 404, 'position_not_in_log'],
    ['an export bound that is not a number', urls.auditExport('?upTo=now'), 400, 'invalid_request'],
    ['a parameter the head does not take', `${urls.treeHead}?size=1`, 400, 'invalid_request'],
  ])('refuses %s', async (_name, url, status, code) => {
    expectProblem(await t.as('auditor').get(url), status, code);
  });

  const AUDIT_ROUTES = [
    urls.treeHead,
    urls.inclusionProof('?position=1'),
    urls.consistencyProof('?from=1'),
    urls.auditRecord(1),
    urls.auditExport(),
  ];

  it.each(AUDIT_ROUTES)('asks a token for %s, and refuses it to a ministry', async (url) => {
    expectProblem(await t.anonymous.get(url), 401, 'unauthenticated');
    expectProblem(await t.as('de').get(url), 403, 'forbidden');
    expectProblem(await t.as('operator').get(url), 403, 'forbidden');
  });

  it('reports the log as matching its tree in /ready, with the latest head', async () => {
    const head = (await t.as('auditor').get(urls.treeHead)).body as Head;
    const ready = await t.as('operator').get('/ready');

    expect(ready.status).toBe(200);
    expect((ready.body as { checks: unknown }).checks).toEqual({
      auditLog: {
        ok: true,
        treeSize: head.treeSize,
        eventCount: head.treeSize,
        lastCheck: 'tail',
        checkedAt: expect.any(String),
        // The test app's service was never started: only main.ts runs the start check.
        fullCheck: 'not_run',
        latestHead: { treeSize: head.treeSize, timestamp: head.timestamp },
      },
    });
  });
});

describe('a log that does not extend the head signed before', () => {
  let directory: string;
  const open: TestApp[] = [];
  const services: AuditLogService[] = [];

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-audit-log-'));
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()));
    await Promise.all(open.splice(0).map((app) => app.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  const { privateKey } = generateTreeHeadKeyPair();

  /** A service over `store` keeping its head in the test's folder, started as main.ts starts it. */
  async function startedOn(store: SqliteEventStore) {
    const auditLog = new AuditLogService({
      tree: store.auditTree,
      privateKey,
      headFile: join(directory, 'audit-signing-key.pem.head.json'),
      signIntervalMs: 0,
    });
    services.push(auditLog);
    const status = await auditLog.start();
    const { t } = auditedApp({ store, auditLog });
    open.push(t);
    return { t, auditLog, status };
  }

  /** The first run: the log given, a head signed for it (and saved). */
  async function firstRun(...streams: GivenStream[]) {
    const { t } = await startedOn(openSqliteEventStore(':memory:'));
    await t.given(...streams);
    return (await t.as('auditor').get(urls.treeHead)).body as Head;
  }

  const expectRefusedWrite = async (t: TestApp, kind: string) => {
    const mark = await t.mark();
    const response: Response = await t
      .as('commission')
      .post(urls.plans)
      .send(aPlanBody({ planId: '2028-2029' }));
    await expectRejected(t, mark, response, 503, 'audit_log_mismatch');
    expect(response.headers['retry-after']).toBe('300');
    expect(response.body).toMatchObject({
      mismatch: { kind, treeSize: expect.any(Number), message: expect.any(String) },
    });
  };

  it('starts on a log that extends it, and signs heads that extend it', async () => {
    const saved = await firstRun(...SMALL_LOG);
    const grown = await storeWith(
      ...SMALL_LOG,
      pledgeStream('SE', [aPledgeSubmitted({ memberState: 'SE' })]),
    );
    const { t, status, auditLog } = await startedOn(grown);

    expect(status).toMatchObject({
      ok: true,
      lastCheck: 'full',
      treeSize: saved.treeSize + 1,
      latestHead: { treeSize: saved.treeSize, timestamp: saved.timestamp },
    });
    expect(auditLog.lastSignedHead()).toEqual(saved);
    const head = (await t.as('auditor').get(urls.treeHead)).body as Head;
    expect(head.treeSize).toBe(saved.treeSize + 1);
    const proof = await t
      .as('auditor')
      .get(urls.consistencyProof(`?from=${saved.treeSize}&to=${head.treeSize}`));
    const path = fromBase64((proof.body as { path: string[] }).path);
    const [from, to] = [saved, head].map((h) => Buffer.from(h.rootHash, 'base64'));
    expect(verifyConsistency(saved.treeSize, head.treeSize, path, from!, to!)).toBe(true);
  });

  it('finds a rolled-back log (shorter than a head it signed): no write, no head, not ready', async () => {
    const saved = await firstRun(...SMALL_LOG);
    const { t, status } = await startedOn(await storeWith(planStream('pledging_open')));

    expect(status).toMatchObject({
      ok: false,
      lastCheck: 'full',
      mismatch: { kind: 'rolled_back', treeSize: saved.treeSize },
    });
    await expectRefusedWrite(t, 'rolled_back');
    expectProblem(await t.as('auditor').get(urls.treeHead), 503, 'audit_log_mismatch');
    expectProblem(await t.as('auditor').get(urls.auditExport()), 503, 'audit_log_mismatch');
    const ready = await t.as('operator').get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'not_ready',
      checks: { auditLog: { ok: false, mismatch: { kind: 'rolled_back' } } },
    });
    // Anyone else learns only that the server is not ready.
    expect((await t.anonymous.get('/ready')).body).toEqual({ status: 'not_ready' });
    // Reads and proofs stay open, to look into what happened.
    expect((await t.as('auditor').get(urls.auditRecord(1))).status).toBe(200);
    expect((await t.as('auditor').get(urls.consistencyProof('?from=1&to=2'))).status).toBe(200);
  });

  it('finds a rewritten log (another root at the signed size): writes refused', async () => {
    const saved = await firstRun(...SMALL_LOG);
    const rewritten = [
      ...SMALL_LOG.slice(0, -1),
      pledgeStream('SE', [aPledgeSubmitted({ memberState: 'SE' })]),
    ];
    const { t, status } = await startedOn(await storeWith(...rewritten));

    expect(status.mismatch).toMatchObject({ kind: 'rewritten', treeSize: saved.treeSize });
    await expectRefusedWrite(t, 'rewritten');
  });

  async function storeWith(...streams: GivenStream[]): Promise<SqliteEventStore> {
    const store = openSqliteEventStore(':memory:');
    // Given through a throwaway app over the same store, so the metadata is as the tests write it.
    const { t } = auditedApp({ store });
    await t.given(...streams);
    return store;
  }
});

describe("the store's own refusal", () => {
  it('is the same problem: 503 audit_log_mismatch, Retry-After 300, the mismatch in the body', () => {
    const mismatch = {
      kind: 'edited',
      position: 7,
      leafIndex: 6,
      message: 'event 7 was edited',
    } as const;
    const problem = toProblem(new AuditTreeMismatchError(mismatch));

    expect(problem).toMatchObject({
      status: 503,
      code: 'audit_log_mismatch',
      extensions: { mismatch },
      retryAfterSeconds: 300,
    });
  });
});
