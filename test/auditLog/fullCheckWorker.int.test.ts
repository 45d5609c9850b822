/**
 * The start's full check of a large SQLite log runs in a worker thread on its own read-only
 * connection, while this thread answers requests: what the worker finds fails the service as a
 * check on this thread would (writes refused by the service and by the store, no head signed), and
 * `close()` during the check ends the worker instead of waiting for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  AuditLogMismatchError,
  AuditLogService,
  READY_CHECK_TAIL,
  type RunningTreeCheck,
} from '../../src/auditLog/auditLogService';
import { generateTreeHeadKeyPair } from '../../src/auditLog/treeHead';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import { workerTreeCheck } from '../../src/workers/treeCheckRunner';
import { anEvent, aStreamId } from '../eventStore/eventStoreContract';
import { expectAppendsRefused } from './appendsRefused';

/** More than the tail `/ready` and the start check read, so an early edit is outside it. */
const EVENTS = READY_CHECK_TAIL + 36;
/** Below the log's size: the start checks the tail, and the whole log in the background. */
const INLINE_FULL_CHECK_EVENTS = 10;

describe("the start's full check of a large SQLite log, in a worker thread", () => {
  let directory: string;
  let file: string;
  let store: SqliteEventStore;
  const services: AuditLogService[] = [];

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-full-check-'));
    file = join(directory, 'pledges.db');
    store = openSqliteEventStore(file);
    for (let written = 0; written < EVENTS; written += 25) {
      const events = Array.from({ length: Math.min(25, EVENTS - written) }, () => anEvent());
      await store.append(aStreamId(), events, { expectedVersion: 'no_stream' });
    }
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()));
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** The service as main.ts builds it on a file store, with every check the runner started. */
  const serviceOnStore = () => {
    const logged: Record<string, unknown>[] = [];
    const started: RunningTreeCheck[] = [];
    const inWorker = workerTreeCheck(file);
    const service = new AuditLogService({
      tree: store.auditTree,
      privateKey: generateTreeHeadKeyPair().privateKey,
      signIntervalMs: 0,
      inlineFullCheckEvents: INLINE_FULL_CHECK_EVENTS,
      fullCheckRunner: () => {
        const running = inWorker();
        started.push(running);
        return running;
      },
      log: (entry) => logged.push(entry),
    });
    services.push(service);
    // What this thread's tree is asked to check: the worker's check is not among them.
    const checkedHere = jest.spyOn(store.auditTree, 'check');
    return { service, logged, started, checkedHere };
  };

  /** Changes the file with a plain SQLite connection, as anyone holding the file could. */
  function editEventAt(index: number): number {
    const db = new Database(file);
    try {
      const position = db
        .prepare<[number], number>(
          'SELECT global_position FROM events ORDER BY global_position LIMIT 1 OFFSET ?',
        )
        .pluck()
        .get(index)!;
      db.prepare(
        `UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE global_position = ?`,
      ).run(position);
      return position;
    } finally {
      db.close();
    }
  }

  it('passes on an untouched log, checked in full off this thread, and signs after it', async () => {
    const { service, started, checkedHere } = serviceOnStore();

    const status = await service.start();

    expect(status).toMatchObject({ ok: true, lastCheck: 'tail', fullCheck: 'running' });
    expect((await service.latestHead()).treeSize).toBe(EVENTS);
    expect(await service.readiness()).toMatchObject({ ok: true, fullCheck: 'passed' });
    expect(started).toHaveLength(1);
    expect(checkedHere.mock.calls.every(([options]) => options?.tail !== undefined)).toBe(true);
  });

  it('fails the service on an edit the worker finds: writes refused, no head signed', async () => {
    const position = editEventAt(2);
    const { service, logged, started, checkedHere } = serviceOnStore();

    const status = await service.start();

    // The edit is before the tail: serving starts, and the worker finds it.
    expect(status).toMatchObject({ ok: true, lastCheck: 'tail', fullCheck: 'running' });
    await expect(service.latestHead()).rejects.toThrow(AuditLogMismatchError);
    const mismatch = { kind: 'edited', position, leafIndex: 2 };
    expect(service.mismatch).toMatchObject(mismatch);
    expect(() => service.assertWritable()).toThrow(AuditLogMismatchError);
    expect(await service.readiness()).toMatchObject({
      ok: false,
      lastCheck: 'full',
      fullCheck: 'failed',
      mismatch,
    });
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', kind: 'edited', position }),
    );
    // The store holds the mismatch as after its own check: it appends nothing more.
    await expectAppendsRefused(store);
    // This thread read the tail only; the whole log was read by the worker.
    expect(started).toHaveLength(1);
    expect(checkedHere.mock.calls).toEqual([[{ tail: READY_CHECK_TAIL }]]);
  });

  it('ends the worker when closed during the check: no head signed, nothing found', async () => {
    const { service, logged, started } = serviceOnStore();
    await service.start();
    const head = service.latestHead();

    await service.close();

    await expect(head).rejects.toThrow(/ended before it passed/);
    expect(started).toHaveLength(1);
    await expect(started[0]!.result).resolves.toBeUndefined();
    expect(service.mismatch).toBeUndefined();
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'the full check of the log against its Merkle tree was ended by the shutdown',
      }),
    );
    // The store was not touched by the ended check: it still appends.
    await store.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
  });
});
