import { eventStoreDbConnectionString } from '../eventStore/eventStoreDbSettings';
import type { Config } from '../config/config';
import type { WholeLogStoreSpec } from '../workers/wholeLogRunner';
import { InMemorySnapshotStore, type SnapshotStore } from './snapshotStore';
import { SqliteSnapshotStore, snapshotFileFor } from './sqliteSnapshotStore';

export interface OpenedSnapshotStore {
  readonly snapshots: SnapshotStore;
  /** Where a worker finds the same store and snapshots; undefined when only this process can. */
  readonly workerSpec: WholeLogStoreSpec | undefined;
}

const IN_MEMORY = ':memory:';

/**
 * Snapshots beside the store they describe: `pledges.snapshots.db` next to `pledges.db`; with
 * EventStoreDB, a file local to each replica. A private in-memory store keeps them in memory.
 */
export function openSnapshotStore(config: Config): OpenedSnapshotStore {
  if (config.EVENT_STORE === 'eventstoredb') {
    const snapshotFile = config.PLEDGES_SNAPSHOT_FILE ?? './data/snapshots.db';
    return {
      snapshots: SqliteSnapshotStore.open(snapshotFile),
      workerSpec: {
        kind: 'eventstoredb',
        connectionString: eventStoreDbConnectionString(config),
        snapshotFile,
      },
    };
  }
  if (config.PLEDGES_DB_FILE === IN_MEMORY) {
    return { snapshots: new InMemorySnapshotStore(), workerSpec: undefined };
  }
  const snapshotFile = config.PLEDGES_SNAPSHOT_FILE ?? snapshotFileFor(config.PLEDGES_DB_FILE);
  return {
    snapshots: SqliteSnapshotStore.open(snapshotFile),
    workerSpec: { kind: 'sqlite', file: config.PLEDGES_DB_FILE, snapshotFile },
  };
}
