/** The worker thread's side of `workerWholeLogRunner`: open, rebuild, report, close. */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventStore } from '../eventStore/port';
import { openSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore';
import { openEventStoreDbEventStore } from '../eventStore/eventstoredb/eventStoreDbEventStore';
import { SqliteSnapshotStore } from '../snapshots/sqliteSnapshotStore';
import { ALL_PROJECTIONS } from '../projections';
import { rebuildFromLog } from '../projections/wholeLog';
import type { WholeLogWorkerData } from './wholeLogRunner';

async function run(data: WholeLogWorkerData): Promise<void> {
  const store: EventStore =
    data.spec.kind === 'sqlite'
      ? openSqliteEventStore(data.spec.file)
      : openEventStoreDbEventStore(data.spec.connectionString);
  const snapshots =
    data.spec.snapshotFile === undefined
      ? undefined
      : openSnapshotsIfPresent(data.spec.snapshotFile);
  try {
    const result = await rebuildFromLog(store, ALL_PROJECTIONS, data.request, snapshots);
    parentPort?.postMessage({ result });
  } finally {
    snapshots?.close();
    await store.close();
  }
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
