/**
 * Tampering with a real SQLite file behind the tracker's back: each way of rewriting the log is
 * found by the store's check when the file is opened again (with its position), and the store then
 * refuses to append on top of it. A rewrite that recomputes the whole tree keeps the store's check
 * quiet by construction; it is caught by consistency with a tree head saved before (last test).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v4 as uuidv4 } from 'uuid';
import { createTracker } from '../../src/application/tracker';
import { loadIllustrativePlan } from '../../src/demo/demoStore';
import { verifyConsistency } from '../../src/auditLog/merkleTree';
import type { TreeCheck } from '../../src/eventStore/port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import { extendAuditTree, postOrderNumber } from '../../src/eventStore/sqlite/sqliteAuditTree';
import { anEvent, aStreamId } from '../eventStore/eventStoreContract';
import { expectAppendsRefused } from './appendsRefused';

let template: string;
let dir: string;
let file: string;

// One realistic log (the illustrative plan, written through the tracker), copied for each test.
beforeAll(async () => {
  template = mkdtempSync(join(tmpdir(), 'tamper-template-'));
  const store = openSqliteEventStore(join(template, 'pledges.db'));
  const tracker = createTracker({
    store,
    clock: () => new Date('2026-11-30T10:00:00Z'),
    newId: uuidv4,
  });
  await loadIllustrativePlan(store, tracker, uuidv4);
  await store.close();
});

afterAll(() => {
  rmSync(template, { recursive: true, force: true });
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tamper-'));
  file = join(dir, 'pledges.db');
  copyFileSync(join(template, 'pledges.db'), file);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Changes the file with a plain SQLite connection, as anyone holding the file could. */
function tamper(sql: string, ...params: unknown[]): void {
  const db = new Database(file);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

function positions(): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], number>('SELECT global_position FROM events ORDER BY global_position')
      .pluck()
      .all();
  } finally {
    db.close();
  }
}

async function reopenAndCheck(): Promise<{ store: SqliteEventStore; check: TreeCheck }> {
  const store = openSqliteEventStore(file);
  return { store, check: await store.auditTree.check() };
}

describe('the SQLite store checks its log against its tree', () => {
  it('finds nothing wrong in an untouched file, and appends', async () => {
    const { store, check } = await reopenAndCheck();
    expect(check.ok).toBe(true);
    expect(check.treeSize).toBeGreaterThan(100);
    expect(check.checkedLeaves).toBe(check.treeSize);
    await store.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
    expect((await store.auditTree.check()).ok).toBe(true);
    await store.close();
  });

  it('finds an edited data field, at its position', async () => {
    const target = positions()[40]!;
    tamper(
      `UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE global_position = ?`,
      target,
    );
    const { store, check } = await reopenAndCheck();
    expect(check).toMatchObject({
      ok: false,
      mismatch: { kind: 'edited', position: target, leafIndex: 40 },
    });
    expect(check.mismatch?.message).toContain(`position ${target}`);
    await expectAppendsRefused(store);
    await store.close();
  });

  it('finds a deleted event, at its position', async () => {
    const target = positions()[17]!;
    tamper('DELETE FROM events WHERE global_position = ?', target);
    const { store, check } = await reopenAndCheck();
    expect(check).toMatchObject({
      ok: false,
      mismatch: { kind: 'deleted', position: target, leafIndex: 17 },
    });
    await expectAppendsRefused(store);
    await store.close();
  });

  it('finds two swapped events, naming both positions', async () => {
    const all = positions();
    const [a, b] = [all[10]!, all[30]!];
    const db = new Database(file);
    db.transaction(() => {
      // Move row a out of the way, b into a's place, then a into b's.
      db.prepare('UPDATE events SET global_position = -1 WHERE global_position = ?').run(a);
      db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?').run(a, b);
      db.prepare('UPDATE events SET global_position = ? WHERE global_position = -1').run(b);
    })();
    db.close();
    const { store, check } = await reopenAndCheck();
    expect(check).toMatchObject({
      ok: false,
      mismatch: { kind: 'reordered', position: a, recordedAt: b },
    });
    await expectAppendsRefused(store);
    await store.close();
  });

  it('finds an event appended behind its back, while it runs and after a restart', async () => {
    const running = openSqliteEventStore(file);
    const head = await running.headPosition();
    tamper(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
       VALUES (?, 'forged-stream', 1, 'PledgeSubmitted', '{}', '{}')`,
      uuidv4(),
    );
    // The running store refuses its next append rather than build the tree over the forged event.
    await expectAppendsRefused(running);
    expect((await running.auditTree.check({ tail: 16 })).mismatch).toMatchObject({
      kind: 'inserted',
      position: head + 1,
    });
    await running.close();

    const { store, check } = await reopenAndCheck();
    expect(check).toMatchObject({ ok: false, mismatch: { kind: 'inserted', position: head + 1 } });
    await store.close();
  });

  it('finds an edited node of the tree itself', async () => {
    tamper('UPDATE audit_tree SET hash = zeroblob(32) WHERE node = ?', postOrderNumber(2, 3));
    const { store, check } = await reopenAndCheck();
    expect(check).toMatchObject({ ok: false, mismatch: { kind: 'tree_node' } });
    expect(check.mismatch?.message).toContain('level 2, index 3');
    await store.close();
  });

  it('leaves a rewrite with a recomputed tree to a head saved earlier', async () => {
    const store = openSqliteEventStore(file);
    const savedSize = await store.auditTree.size();
    const savedRoot = await store.auditTree.root(savedSize);
    await store.close();

    // An event changed and the whole tree recomputed to match it.
    const target = positions()[3]!;
    const db = new Database(file);
    db.transaction(() => {
      db.prepare(
        `UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE global_position = ?`,
      ).run(target);
      db.exec('DELETE FROM audit_tree');
      extendAuditTree(db);
    })();
    db.close();
    const { store: rewritten, check } = await reopenAndCheck();
    expect(check.ok).toBe(true); // the file agrees with itself
    await rewritten.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
    const size = await rewritten.auditTree.size();
    const proof = await rewritten.auditTree.consistencyProof(savedSize, size);
    // Whatever the rewritten log offers as proof, it does not lead from the saved root to its own.
    expect(
      verifyConsistency(savedSize, size, proof, savedRoot, await rewritten.auditTree.root(size)),
    ).toBe(false);
    await rewritten.close();
  });

  it('leaves a rollback to an earlier copy to a head saved earlier', async () => {
    const earlier = join(dir, 'earlier.db');
    copyFileSync(file, earlier);
    const store = openSqliteEventStore(file);
    await store.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
    const savedSize = await store.auditTree.size();
    const savedRoot = await store.auditTree.root(savedSize);
    await store.close();

    copyFileSync(earlier, file);
    const { store: rolledBack, check } = await reopenAndCheck();
    expect(check.ok).toBe(true); // the copy agrees with itself
    // The saved head's size is beyond the log: no proof can extend it.
    expect(await rolledBack.auditTree.size()).toBe(savedSize - 1);
    await expect(rolledBack.auditTree.root(savedSize)).rejects.toThrow(RangeError);
    // Writing on after the rollback gives the saved size another root.
    await rolledBack.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' });
    const again = await rolledBack.auditTree.root(savedSize);
    expect(verifyConsistency(savedSize, savedSize, [], savedRoot, again)).toBe(false);
    await rolledBack.close();
  });
});
