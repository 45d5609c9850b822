import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  StoreUnavailableError,
  StreamIntegrityError,
  type StoreProblem,
} from '../../src/eventStore/port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
  type SqliteEventStoreOptions,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import {
  commitElsewhere,
  copyOfRealStore,
  pageOf,
  wreckEventsTable,
  writeGarbage,
} from './damagedStore';
import { anEvent, aStreamId, rejectionOf, someEvents } from './eventStoreContract';

/** What the SQLite store does when its file or disk fails under it: real failures, no stand-ins. */
describe('SqliteEventStore when the store fails', () => {
  let dir: string;
  let filePath: string;
  const opened: SqliteEventStore[] = [];
  const raw: Database.Database[] = [];

  function open(options?: SqliteEventStoreOptions): SqliteEventStore {
    const store = openSqliteEventStore(filePath, options);
    opened.push(store);
    return store;
  }

  function rawConnection(): Database.Database {
    const db = new Database(filePath);
    raw.push(db);
    return db;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-failures-'));
    filePath = join(dir, 'pledges.db');
  });

  afterEach(async () => {
    for (const db of raw.splice(0)) db.close();
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a damaged file is refused when it opens', () => {
    it('quotes the first problems quick_check finds, naming the file, on one line', () => {
      copyOfRealStore(filePath);
      // The cell pointers of an index page, pointing past the page's end.
      writeGarbage(filePath, pageOf(filePath, 'sqlite_autoindex_events_2'), 8, 4);

      const error = rejectionOfSync(() => open());

      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ kind: 'corrupted', code: 'QUICK_CHECK_FAILED' });
      const message = (error as Error).message;
      expect(message).toContain(`SQLite store ${filePath} is damaged: PRAGMA quick_check found`);
      expect(message).toMatch(/Tree \d+ page \d+ cell \d+: Offset \d+ out of range/);
      expect(message).not.toContain('\n');
    });

    it('names the file when quick_check itself fails on a wrecked page (SQLITE_CORRUPT)', () => {
      copyOfRealStore(filePath);
      wreckEventsTable(filePath);

      const error = rejectionOfSync(() => open());

      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ kind: 'corrupted', code: 'SQLITE_CORRUPT' });
      expect((error as Error).message).toBe(
        `SQLite store ${filePath}: open failed: database disk image is malformed (SQLITE_CORRUPT)`,
      );
    });

    it('refuses a file that is not a database (SQLITE_NOTADB)', () => {
      copyOfRealStore(filePath);
      writeGarbage(filePath, { page: 1, pageSize: 4096 }, 0, 100);

      const error = rejectionOfSync(() => open());

      expect(error).toMatchObject({ kind: 'corrupted', code: 'SQLITE_NOTADB' });
      expect((error as Error).message).toContain(filePath);
    });

    it('opens the undamaged copy', async () => {
      copyOfRealStore(filePath);

      const store = open();

      expect(await store.headPosition()).toBe(16);
      expect(await store.health()).toEqual({ ok: true, answering: true });
    });
  });

  describe('a file damaged while it is open', () => {
    it('fails reads and appends as corrupted, reports it once and stays unhealthy', async () => {
      copyOfRealStore(filePath);
      const problems: StoreProblem[] = [];
      const store = open({ onProblem: (problem) => problems.push(problem) });
      wreckEventsTable(filePath);
      commitElsewhere(filePath);

      const read = await rejectionOf(store.headPosition());
      const append = await rejectionOf(
        store.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' }),
      );

      for (const error of [read, append]) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(error).toMatchObject({ kind: 'corrupted', code: 'SQLITE_CORRUPT' });
        expect((error as Error).message).toContain(filePath);
      }
      expect(problems).toEqual([
        expect.objectContaining({ kind: 'corrupted', code: 'SQLITE_CORRUPT', occurrences: 1 }),
      ]);
      expect(await store.health()).toEqual({
        ok: false,
        answering: false,
        problem: expect.objectContaining({
          kind: 'corrupted',
          code: 'SQLITE_CORRUPT',
          active: true,
        }) as unknown,
      });
    });
  });

  describe('a full disk', () => {
    /** Appends to fresh streams until one fails; the failure, and the head before it. */
    async function appendUntilFull(store: SqliteEventStore) {
      for (let attempt = 0; attempt < 500; attempt += 1) {
        const head = await store.headPosition();
        const streamId = aStreamId();
        try {
          await store.append(streamId, someEvents(3), { expectedVersion: 'no_stream' });
        } catch (error) {
          return { error, head, streamId };
        }
      }
      throw new Error('The capped store never filled up');
    }

    it('fails the append that does not fit as full, appending none of it; reads go on', async () => {
      let now = Date.parse('2026-05-04T10:00:00.000Z');
      const store = open({ maxSizeBytes: 1, now: () => now });
      const earlier = aStreamId();
      await store.append(earlier, [anEvent()], { expectedVersion: 'no_stream' });

      const { error, head, streamId } = await appendUntilFull(store);

      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ kind: 'full', code: 'SQLITE_FULL', retryAfterSeconds: 60 });
      expect((error as Error).message).toContain(filePath);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream(streamId)).toEqual({ version: 0, events: [] });
      expect((await store.readStream(earlier)).version).toBe(1);
      expect(await store.health()).toMatchObject({
        ok: false,
        answering: true,
        problem: { kind: 'full', code: 'SQLITE_FULL', active: true },
      });

      now += 60_000;
      expect(await store.health()).toMatchObject({
        ok: true,
        problem: { code: 'SQLITE_FULL', active: false },
      });
    });
  });

  describe('a lock held longer than the busy timeout', () => {
    it('fails the append as busy, then recovers when the lock is released', async () => {
      const store = open({ busyTimeoutMs: 0 });
      const streamId = aStreamId();
      await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
      const other = rawConnection();
      other.exec('BEGIN IMMEDIATE');

      const error = await rejectionOf(store.append(streamId, [anEvent()], { expectedVersion: 1 }));

      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ kind: 'busy', code: 'SQLITE_BUSY', retryAfterSeconds: 1 });
      expect(await store.health()).toMatchObject({ ok: false, problem: { kind: 'busy' } });

      other.exec('ROLLBACK');
      await store.append(streamId, [anEvent()], { expectedVersion: 1 });

      expect((await store.readStream(streamId)).version).toBe(2);
      expect(await store.health()).toMatchObject({
        ok: true,
        problem: { code: 'SQLITE_BUSY', active: false },
      });
    });

    it('waits 5 s by default, or as long as asked', () => {
      expect(open().settings().busyTimeoutMs).toBe(5000);
      expect(open({ busyTimeoutMs: 250 }).settings().busyTimeoutMs).toBe(250);
    });
  });

  describe('a stream whose versions have a gap', () => {
    /** A row for `streamId` written straight into the table, past the store's own checks. */
    function insertRow(streamId: string, streamVersion: number): void {
      rawConnection()
        .prepare(
          "INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES (?, ?, ?, 'PledgeRevised', '{}', '{}')",
        )
        .run(`stray-${streamVersion}`, streamId, streamVersion);
    }

    it('refuses to read it, naming the stream and the versions, and reports it', async () => {
      const problems: StoreProblem[] = [];
      const store = open({ onProblem: (problem) => problems.push(problem) });
      const streamId = aStreamId();
      await store.append(streamId, someEvents(2), { expectedVersion: 'no_stream' });
      insertRow(streamId, 4);

      const whole = await rejectionOf(store.readStream(streamId));
      const after = await rejectionOf(store.readStream(streamId, { fromVersion: 2 }));

      for (const error of [whole, after]) {
        expect(error).toBeInstanceOf(StreamIntegrityError);
        expect(error).toMatchObject({ streamId, expectedVersion: 3, foundVersion: 4 });
        expect((error as Error).message).toBe(
          `Stream ${streamId} is not contiguous: expected version 3, found 4 (a version is missing)`,
        );
      }
      // The versions before the gap still read.
      expect((await store.readStream(streamId, { upToVersion: 2 })).version).toBe(2);
      expect(problems).toEqual([
        expect.objectContaining({ kind: 'integrity', code: 'STREAM_VERSION_GAP' }),
      ]);
      expect(await store.health()).toMatchObject({
        ok: false,
        answering: true,
        problem: { kind: 'integrity', active: true },
      });
    });

    it('refuses a stream that does not start at version 1', async () => {
      const store = open();
      const streamId = aStreamId();
      insertRow(streamId, 2);

      await expect(store.readStream(streamId)).rejects.toThrow(
        `Stream ${streamId} is not contiguous: expected version 1, found 2`,
      );
    });
  });
});

function rejectionOfSync(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('Expected it to throw');
}
