/**
 * Persisted snapshots of the read models: derived data, never facts. A snapshot may be lost or
 * deleted at any time (the log rebuilds it); it is kept apart from the event store so that the
 * store holds only what was recorded. A snapshot records the read models after exactly
 * `eventCount` events, the last of them at `position`.
 */
import type { GlobalPosition } from '../eventStore/port';

export interface SnapshotRecord {
  readonly position: GlobalPosition;
  /** How many events of the log the snapshot has folded (its rank in the log). */
  readonly eventCount: number;
  /** Which code wrote it: a snapshot of another format is ignored and rebuilt. */
  readonly format: string;
  /** The canonical state digest of every read model in it, for the replay check. */
  readonly digest: string;
  readonly createdAt: string;
  readonly payload: Buffer;
}

export type SnapshotSummary = Omit<SnapshotRecord, 'payload'>;

/** Synchronous by design: a snapshot is written between two events, with the state as it stands. */
export interface SnapshotStore {
  save(snapshot: SnapshotRecord): void;
  /** The latest snapshot of this format at or before `position` (undefined: the latest of all). */
  latest(format: string, atOrBefore?: GlobalPosition): SnapshotRecord | undefined;
  /** Every snapshot of this format, oldest first, without payloads. */
  list(format: string): SnapshotSummary[];
  /** Fetches one snapshot's payload again (the replay check reads them one at a time). */
  load(format: string, position: GlobalPosition): SnapshotRecord | undefined;
  close(): void;
}

/** For the in-memory and `:memory:` stores: snapshots live as long as the process. */
export class InMemorySnapshotStore implements SnapshotStore {
  private readonly snapshots: SnapshotRecord[] = [];

  save(snapshot: SnapshotRecord): void {
    const index = this.snapshots.findIndex(
      (existing) => existing.format === snapshot.format && existing.position === snapshot.position,
    );
    if (index >= 0) this.snapshots[index] = snapshot;
    else this.snapshots.push(snapshot);
    this.snapshots.sort((a, b) => a.position - b.position);
  }

  latest(format: string, atOrBefore?: GlobalPosition): SnapshotRecord | undefined {
    for (let index = this.snapshots.length - 1; index >= 0; index--) {
      const snapshot = this.snapshots[index];
      if (snapshot === undefined || snapshot.format !== format) continue;
      if (atOrBefore === undefined || snapshot.position <= atOrBefore) return snapshot;
    }
    return undefined;
  }

  list(format: string): SnapshotSummary[] {
    return this.snapshots
      .filter((snapshot) => snapshot.format === format)
      .map(({ payload: _payload, ...summary }) => summary);
  }

  load(format: string, position: GlobalPosition): SnapshotRecord | undefined {
    return this.snapshots.find(
      (snapshot) => snapshot.format === format && snapshot.position === position,
    );
  }

  close(): void {
    // Nothing to release.
  }
}
