import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ConcurrencyConflictError, type RecordedEvent } from '../../src/eventStore/port';
import { eventLeafHash } from '../../src/auditLog/auditRecord';
import { nodeHash, rootFromLeafHashes } from '../../src/auditLog/merkleTree';
import { MIGRATIONS, migrate, readAppliedMigrations } from '../../src/eventStore/sqlite/migrations';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import {
  aClaim,
  anEvent,
  aStreamId,
  describeEventStoreContract,
  rejectionOf,
  someEvents,
  waitUntil,
} from './eventStoreContract';

function aTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'event-store-'));
}

describeEventStoreContract('SqliteEventStore (:memory:)', () => {
  const store = openSqliteEventStore(':memory:');
  return Promise.resolve({ store, cleanup: () => store.close() });
});

describeEventStoreContract('SqliteEventStore (temp file)', () => {
  const dir = aTempDir();
  const store = openSqliteEventStore(join(dir, 'events.db'));
  return Promise.resolve({
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

describe('SqliteEventStore on a file', () => {
  let dir: string;
  let filePath: string;
  const opened: SqliteEventStore[] = [];

  function open(options?: { pollIntervalMs?: number }): SqliteEventStore {
    const store = openSqliteEventStore(filePath, options);
    opened.push(store);
    return store;
  }

  beforeEach(() => {
    dir = aTempDir();
    filePath = join(dir, 'events.db');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('group commit statistics', () => {
    it('count the appends answered and the commits they came in', async () => {
      const store = open();
      expect(store.groupCommitStats()).toEqual({ batches: 0, appends: 0 });
      const streamId = aStreamId();
      await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
      await store.append(streamId, [anEvent()], { expectedVersion: 1 });
      expect(store.groupCommitStats()).toEqual({ batches: 2, appends: 2 });

      // Sixteen made in one turn, as concurrent requests make them: the writer starts on the
      // first ones while the turn makes the rest, and commits them all at once. The pause (this
      // thread blocked, the writer not) gives the writer the time to run out of appends before
      // the turn is over: it must wait for the rest rather than commit what it has.
      const pause = new Int32Array(new SharedArrayBuffer(4));
      const appended = Array.from({ length: 16 }, (_, index) => {
        if (index === 8) Atomics.wait(pause, 0, 0, 100);
        return store.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
      });
      await Promise.all(appended);

      expect(store.groupCommitStats()).toEqual({ batches: 3, appends: 18 });
    });
  });

  describe('settings', () => {
    it('uses WAL, synchronous=FULL, foreign keys and a 5 s busy timeout', () => {
      expect(open().settings()).toMatchObject({
        journalMode: 'wal',
        synchronous: 2,
        foreignKeys: true,
        busyTimeoutMs: 5000,
      });
    });

    it('uses synchronous=FULL and foreign keys in memory too', async () => {
      const store = openSqliteEventStore(':memory:');
      try {
        expect(store.settings()).toMatchObject({ synchronous: 2, foreignKeys: true });
      } finally {
        await store.close();
      }
    });

    it('creates the parent directories of a file path', () => {
      filePath = join(dir, 'nested', 'deeper', 'events.db');

      open();

      expect(existsSync(filePath)).toBe(true);
    });
  });

  describe('migrations', () => {
    it('are numbered 1, 2, 3, … in order', () => {
      expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
        MIGRATIONS.map((_, index) => index + 1),
      );
    });

    it('are all applied to a new file and not re-run on reopen', async () => {
      const first = open();
      const applied = first.settings().migrations;
      await first.append(aStreamId(), someEvents(2), { expectedVersion: 'no_stream' });
      await first.close();

      const reopened = open();

      expect(applied.map((migration) => migration.version)).toEqual(
        MIGRATIONS.map((migration) => migration.version),
      );
      for (const migration of applied) {
        expect(migration.appliedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(reopened.settings().migrations).toEqual(applied);
      expect(await reopened.headPosition()).toBe(2);
    });

    it('give every event of a file written before the audit tree its leaf, in log order', async () => {
      const db = new Database(filePath);
      migrate(db, MIGRATIONS.slice(0, 2));
      const insert = db.prepare(
        'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const streams = [aStreamId(), aStreamId(), aStreamId()];
      db.exec('BEGIN');
      for (let index = 0; index < 2500; index++) {
        insert.run(
          `old-${index}`,
          streams[index % 3],
          Math.floor(index / 3) + 1,
          'PledgeRevised',
          JSON.stringify({ index, note: 'é €' }),
          JSON.stringify({ recordedAt: '2026-01-01T00:00:00.000Z', schemaVersion: 2 }),
        );
      }
      db.exec('COMMIT');
      db.close();

      const store = open();
      const events = (await store.readAll({ maxCount: 5000 })) as RecordedEvent[];
      expect(await store.auditTree.size()).toBe(2500);
      expect(Buffer.from(await store.auditTree.root(2500))).toEqual(
        Buffer.from(rootFromLeafHashes(events.map(eventLeafHash))),
      );
      expect(await store.auditTree.check()).toMatchObject({ ok: true, checkedLeaves: 2500 });
      await store.append(streams[0]!, [anEvent()], { expectedVersion: 834 });
      expect(await store.auditTree.size()).toBe(2501);
    });

    it('upgrade an older file in place, keeping its events', async () => {
      const streamId = aStreamId();
      const db = new Database(filePath);
      migrate(db, MIGRATIONS.slice(0, 1));
      db.prepare(
        "INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES ('old-1', ?, 1, 'PledgeSubmitted', '{\"places\":10}', '{}')",
      ).run(streamId);
      db.close();

      const store = open();

      expect(store.settings().migrations.map((migration) => migration.version)).toEqual([1, 2, 3]);
      expect((await store.readStream(streamId)).events).toMatchObject([
        { id: 'old-1', streamVersion: 1, data: { places: 10 } },
      ]);
      // The earlier release's events are the tree's first leaves.
      expect(await store.auditTree.size()).toBe(1);
      expect(await store.auditTree.check()).toMatchObject({ ok: true, treeSize: 1, eventCount: 1 });
      await expect(
        store.append(streamId, [anEvent()], { expectedVersion: 1, idempotency: aClaim() }),
      ).resolves.toMatchObject({ nextExpectedVersion: 2 });
    });

    it('roll back entirely when one migration fails', () => {
      const db = new Database(filePath);
      try {
        migrate(db);
        const broken = {
          version: MIGRATIONS.length + 1,
          name: 'broken',
          sql: 'CREATE TABLE half_done (id INTEGER); SELECT nonsense FROM nowhere;',
        };

        expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/no such table/);

        expect(readAppliedMigrations(db).map((migration) => migration.version)).toEqual(
          MIGRATIONS.map((migration) => migration.version),
        );
        expect(
          db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get(),
        ).toBe(0);
      } finally {
        db.close();
      }
    });

    it('refuse a file from a newer schema', () => {
      const db = new Database(filePath);
      migrate(db);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'later')").run();
      db.close();

      expect(() => open()).toThrow(/schema version 99 is newer/);
    });
  });

  describe('durability', () => {
    it('keeps events, versions, positions and idempotency keys across a reopen', async () => {
      const streamId = aStreamId();
      const claim = aClaim();
      const writer = open();
      const firstResult = await writer.append(streamId, someEvents(2), {
        expectedVersion: 'no_stream',
        idempotency: claim,
      });
      await writer.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
      await writer.append(streamId, [anEvent()], { expectedVersion: 2 });
      const stream = await writer.readStream(streamId);
      const all = await writer.readAll();
      await writer.close();

      const reader = open();

      expect(await reader.readStream(streamId)).toEqual(stream);
      expect(await reader.readAll()).toEqual(all);
      expect(await reader.headPosition()).toBe(4);
      await expect(reader.findIdempotentResult(claim)).resolves.toEqual({
        ...firstResult,
        replayed: true,
      });
      await expect(
        reader.append(streamId, someEvents(2), {
          expectedVersion: 'no_stream',
          idempotency: claim,
        }),
      ).resolves.toEqual({ ...firstResult, replayed: true });
      await expect(
        reader.append(streamId, [anEvent()], { expectedVersion: 3 }),
      ).resolves.toMatchObject({ nextExpectedVersion: 4, lastPosition: 5 });
    });
  });

  describe('two connections on one file', () => {
    it('turn an interleaved optimistic race into a conflict for the loser', async () => {
      const alice = open();
      const bob = open();
      const streamId = aStreamId();
      await alice.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
      const aliceRead = await alice.readStream(streamId);
      const bobRead = await bob.readStream(streamId);

      await alice.append(streamId, [anEvent()], { expectedVersion: aliceRead.version });
      const error = await rejectionOf(
        bob.append(streamId, [anEvent()], { expectedVersion: bobRead.version }),
      );

      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect(error).toMatchObject({ streamId, expected: 1, actual: 2 });
      expect(error).not.toBeInstanceOf(Database.SqliteError);
    });

    it('let exactly one of many racing appends win', async () => {
      const connections = [open(), open()];
      const streamId = aStreamId();

      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, index) =>
          (connections[index % 2] as SqliteEventStore).append(streamId, [anEvent()], {
            expectedVersion: 'no_stream',
          }),
        ),
      );

      const lost = results.filter(
        (result): result is PromiseRejectedResult => result.status === 'rejected',
      );
      expect(lost).toHaveLength(9);
      for (const { reason } of lost) {
        expect(reason).toBeInstanceOf(ConcurrencyConflictError);
        expect(reason).toMatchObject({ actual: 1 });
      }
    });

    it('wait for a writer that holds the lock, then see its commit', async () => {
      const store = open();
      const streamId = aStreamId();
      await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
      const holdMs = 300;
      const eventId = anEvent().id;
      const leaf = eventLeafHash({
        id: eventId,
        streamId,
        streamVersion: 2,
        globalPosition: 2,
        type: 'PledgeRevised',
        data: {},
        metadata: {},
      });
      const firstLeaf = await store.auditTree.root(1);
      const worker = new Worker(
        `
          const { parentPort, workerData } = require('node:worker_threads');
          const Database = require(workerData.driverPath);
          const db = new Database(workerData.filePath);
          db.exec('BEGIN IMMEDIATE');
          const { lastInsertRowid } = db.prepare(
            "INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES (?, ?, 2, 'PledgeRevised', '{}', '{}')",
          ).run(workerData.eventId, workerData.streamId);
          // Another tracker process writes the event's leaf in the same transaction, as the store does.
          // Leaf 1 is node 1 in post-order, and the subtree it completes (leaves 0 and 1) node 2.
          db.prepare('INSERT INTO audit_tree (node, hash, global_position) VALUES (1, ?, ?)').run(
            Buffer.from(workerData.leafHash),
            lastInsertRowid,
          );
          db.prepare('INSERT INTO audit_tree (node, hash) VALUES (2, ?)').run(
            Buffer.from(workerData.parentHash),
          );
          parentPort.postMessage('locked');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
          db.exec('COMMIT');
          db.close();
        `,
        {
          eval: true,
          workerData: {
            driverPath: require.resolve('better-sqlite3'),
            filePath,
            streamId,
            eventId,
            holdMs,
            leafHash: leaf,
            parentHash: nodeHash(firstLeaf, leaf),
          },
        },
      );
      const exited = once(worker, 'exit');
      await once(worker, 'message');

      const started = Date.now();
      const error = await rejectionOf(store.append(streamId, [anEvent()], { expectedVersion: 1 }));
      const waitedMs = Date.now() - started;
      await exited;

      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect(error).toMatchObject({ expected: 1, actual: 2 });
      expect(waitedMs).toBeGreaterThanOrEqual(holdMs - 100);
      await expect(
        store.append(streamId, [anEvent()], { expectedVersion: 2 }),
      ).resolves.toMatchObject({ nextExpectedVersion: 3 });
      expect(await store.auditTree.check()).toMatchObject({ ok: true, treeSize: 3 });
    });

    it('translate a unique violation on the stream version into a conflict', async () => {
      const store = open();
      const streamId = aStreamId();
      await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
      // Simulates another writer inserting the same stream version between our read and insert.
      const db = new Database(filePath);
      db.exec(`
        CREATE TRIGGER steal_stream_version BEFORE INSERT ON events
        WHEN NEW.stream_id = '${streamId}' AND NEW.event_id NOT LIKE 'rival-%'
        BEGIN
          INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
          VALUES ('rival-' || NEW.event_id, NEW.stream_id, NEW.stream_version, 'Rival', '{}', '{}');
        END;
      `);
      db.close();

      const error = await rejectionOf(store.append(streamId, [anEvent()], { expectedVersion: 1 }));

      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect(error).toMatchObject({ streamId, expected: 1, actual: 1 });
      expect((await store.readStream(streamId)).version).toBe(1);
    });

    it('let a subscription follow appends made through another connection', async () => {
      const follower = open({ pollIntervalMs: 20 });
      const writer = open();
      const received: RecordedEvent[] = [];
      const subscription = follower.subscribeToAll({
        fromPosition: 0,
        onEvent: (event) => {
          received.push(event);
        },
      });
      try {
        await writer.append(aStreamId(), someEvents(2), { expectedVersion: 'no_stream' });
        await waitUntil(() => received.length >= 2, 'the other connection’s events', 2000);
        await writer.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
        await waitUntil(() => received.length >= 3, 'the next event', 2000);
      } finally {
        await subscription.close();
      }

      expect(received.map((event) => event.globalPosition)).toEqual([1, 2, 3]);
    });
  });
});
