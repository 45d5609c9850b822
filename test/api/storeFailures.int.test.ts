/**
 * When the store fails under the API (a damaged file, a full disk, a lock held too long, a stream
 * with a gap), every request gets a problem that says so, with Retry-After, never a bare 500;
 * nothing is appended, /ready answers 503 with the store's problem, and the server keeps serving.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import { commitElsewhere, copyOfRealStore, wreckEventsTable } from '../eventStore/damagedStore';
import {
  aPlanBody,
  anOpenPledgingBody,
  createTestApp,
  expectProblem,
  planStream,
  streams,
  urls,
  type TestApp,
} from './testApp';

/** A plan of its own two calendar years, so each request writes a new stream. */
function aPlanFor(firstYear: number) {
  return aPlanBody({
    planId: `${firstYear}-${firstYear + 1}`,
    periodStart: `${firstYear}-01-01`,
    periodEnd: `${firstYear + 1}-12-31`,
  });
}

async function expectStillServing(t: TestApp): Promise<void> {
  expect((await t.anonymous.get(urls.health)).status).toBe(200);
  expect((await t.anonymous.get('/api/v1/reference/member-states')).status).toBe(200);
}

describe('the API when the store fails', () => {
  let dir: string;
  let t: TestApp | undefined;
  const raw: Database.Database[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'api-store-failures-'));
  });

  afterEach(async () => {
    for (const db of raw.splice(0)) db.close();
    await t?.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 507 insufficient_storage with Retry-After when the disk is full, appending nothing', async () => {
    const app = createTestApp({ store: openSqliteEventStore(':memory:', { maxSizeBytes: 1 }) });
    t = app;
    let refusedStatus: number | undefined;
    // Plans until the capped store is full: the first request that does not fit is the one checked.
    for (let firstYear = 2100; firstYear < 2400 && refusedStatus === undefined; firstYear += 2) {
      const mark = await app.mark();
      const response = await app.as('commission').post(urls.plans).send(aPlanFor(firstYear));
      if (response.status === 201) continue;
      refusedStatus = response.status;
      expectProblem(response, 507, 'insufficient_storage');
      expect(response.headers['retry-after']).toBe('60');
      expect(await app.eventsSince(mark)).toEqual([]);
    }
    expect(refusedStatus).toBe(507);

    // Reads go on: the plans recorded before are served.
    const earlier = await app.as('commission').get(urls.plan('2100-2101'));
    expect(earlier.status).toBe(200);
    const ready = await app.as('operator').get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      ready: false,
      storeReachable: true,
      storeHealth: {
        ok: false,
        answering: true,
        problem: { kind: 'full', code: 'SQLITE_FULL', active: true },
      },
    });
    await expectStillServing(app);
  });

  it('answers 503 store_corrupted with Retry-After when the file is damaged under it', async () => {
    const filePath = copyOfRealStore(join(dir, 'pledges.db'));
    const app = createTestApp({ store: openSqliteEventStore(filePath) });
    t = app;
    wreckEventsTable(filePath);
    commitElsewhere(filePath);

    const read = await app.as('commission').get(urls.plans);
    const write = await app.as('commission').post(urls.plans).send(aPlanFor(2030));

    for (const response of [read, write]) {
      expectProblem(response, 503, 'store_corrupted');
      expect(response.headers['retry-after']).toBe('300');
      expect(JSON.stringify(response.body)).not.toContain(filePath);
    }
    const ready = await app.as('operator').get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      ready: false,
      storeHealth: { ok: false, problem: { kind: 'corrupted', code: 'SQLITE_CORRUPT' } },
    });
    await expectStillServing(app);
  });

  it('answers 503 store_busy with Retry-After: 1 when another writer holds the lock, appending nothing', async () => {
    const filePath = join(dir, 'pledges.db');
    const app = createTestApp({ store: openSqliteEventStore(filePath, { busyTimeoutMs: 0 }) });
    t = app;
    await app.given(planStream('draft'));
    const mark = await app.mark();
    const other = new Database(filePath);
    raw.push(other);
    other.exec('BEGIN IMMEDIATE');

    const response = await app
      .as('commission')
      .post(urls.open())
      .set('If-Match', '"1"')
      .send(anOpenPledgingBody());

    expectProblem(response, 503, 'store_busy');
    expect(response.headers['retry-after']).toBe('1');
    other.exec('ROLLBACK');
    expect(await app.eventsSince(mark)).toEqual([]);
    await expectStillServing(app);
    // Once the lock is released the same request goes through, and the store is ready again.
    const retried = await app
      .as('commission')
      .post(urls.open())
      .set('If-Match', '"1"')
      .send(anOpenPledgingBody());
    expect(retried.status).toBe(200);
    expect((await app.anonymous.get('/ready')).status).toBe(200);
  });

  it('answers 503 store_integrity when a stream has a gap, and /ready reports it', async () => {
    const filePath = join(dir, 'pledges.db');
    const app = createTestApp({ store: openSqliteEventStore(filePath) });
    t = app;
    await app.given(planStream('draft'));
    const mark = await app.mark();
    // A row written past the store, skipping version 2 of the plan's stream.
    const other = new Database(filePath);
    raw.push(other);
    other
      .prepare(
        "INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) SELECT 'stray', stream_id, 3, type, data, metadata FROM events WHERE stream_id = ? AND stream_version = 1",
      )
      .run(streams.plan());

    const response = await app
      .as('commission')
      .post(urls.open())
      .set('If-Match', '"3"')
      .send(anOpenPledgingBody());

    expectProblem(response, 503, 'store_integrity');
    expect(response.headers['retry-after']).toBe('300');
    const stray = await app.eventsSince(mark);
    expect(stray.map((event) => event.id)).toEqual(['stray']);
    const ready = await app.as('operator').get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      storeHealth: {
        ok: false,
        answering: true,
        problem: {
          kind: 'integrity',
          code: 'STREAM_VERSION_GAP',
          message: `Stream ${streams.plan()} is not contiguous: expected version 2, found 3 (a version is missing)`,
        },
      },
    });
    await expectStillServing(app);
  });
});
