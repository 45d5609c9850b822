import { AuditTreeMismatchError } from '../../src/eventStore/port';
import type { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import { anEvent, aStreamId, rejectionOf } from '../eventStore/eventStoreContract';

/** A store that found its log and tree apart: it appends nothing more and says why. */
export async function expectAppendsRefused(store: SqliteEventStore): Promise<void> {
  const before = await store.headPosition();
  const error = await rejectionOf(
    store.append(aStreamId(), [anEvent()], { expectedVersion: 'no_stream' }),
  );
  expect(error).toBeInstanceOf(AuditTreeMismatchError);
  expect(await store.headPosition()).toBe(before);
  expect(await store.health()).toMatchObject({
    ok: false,
    problem: { kind: 'integrity', code: 'AUDIT_TREE_MISMATCH', active: true },
  });
}
