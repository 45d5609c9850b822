/** The worker thread's side of `workerWholeLogRunner`: open, rebuild, report, close. */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventStore } from '../eventStore/port';
import { TRACKER_STREAM_CATEGORIES } from '../eventStore/eventStoreDbSettings';
import { openSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore';
import { SqliteSnapshotStore } from '../snapshots/sqliteSnapshotStore';
import { ALL_PROJECTIONS } from '../projections';
import { rebuildFromLog } from '../projections/wholeLog';
import { sqliteLogReadAhead } from './logReadAhead';
import type { WholeLogWorkerData } from './wholeLogRunner';

async function run(data: WholeLogWorkerData): Promise<void> {
  const store: EventStore =
    data.spec.kind === 'sqlite'
      ? openSqliteEventStore(data.spec.file, { quickCheck: 'skip' })
      : await openEventStoreDb(data.spec.connectionString);
  const snapshots =
    data.spec.snapshotFile === undefined
      ? undefined
      : openSnapshotsIfPresent(data.spec.snapshotFile);
  try {
    // Reading runs a page ahead in a thread of its own, while this one folds.
    const readAhead = data.spec.kind === 'sqlite' ? sqliteLogReadAhead(data.spec.file) : undefined;
    const result = await rebuildFromLog(store, ALL_PROJECTIONS, data.request, snapshots, readAhead);
    parentPort?.postMessage({ result });
  } finally {
    snapshots?.close();
    await store.close();
  }
}

/** The gRPC client is loaded only by a worker that needs it: it is slow to load. */
async function openEventStoreDb(connectionString: string): Promise<EventStore> {
  const adapter = await import('../eventStore/eventstoredb/eventStoreDbEventStore');
  // The same events as the main thread folds: other writers' events are not the tracker's.
  return adapter.openEventStoreDbEventStore(connectionString, {
    ownStreamCategories: TRACKER_STREAM_CATEGORIES,
  });
}

function openSnapshotsIfPresent(file: string): SqliteSnapshotStore | undefined {
  try {
    return SqliteSnapshotStore.open(file, { readonly: true });
  } catch {
    return undefined;
  }
}

run(workerData as WholeLogWorkerData).catch((error: unknown) => {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
});
