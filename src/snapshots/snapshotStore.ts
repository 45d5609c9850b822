/**
 * Persisted snapshots of the read models: derived data, never facts. A snapshot may be lost or
 * deleted at any time (the log rebuilds it); it is kept apart from the event store so that the
 * store holds only what was recorded. A snapshot records the read models after exactly
 * `eventCount` events, the last of them at `position`. A read model made of parts (one per plan)
 * is stored part by part: a snapshot names, for each part, the snapshot position at which that
 * part was last written, and writes only the parts changed since the snapshot before it.
 */
import type { GlobalPosition } from '../eventStore/port';

export interface SnapshotRecord {
  readonly position: GlobalPosition;
  /** How many events of the log the snapshot has folded (its rank in the log). */
  readonly eventCount: number;
  /** Which code wrote it: a snapshot of another format is ignored and rebuilt. */
  readonly format: string;
  readonly createdAt: string;
  /** The encoded header (`ReadModelSnapshot`): whole states, and references to parts. */
  readonly payload: Buffer;
}

export type SnapshotSummary = Omit<SnapshotRecord, 'payload'>;

/** One part of a read model as it stood at `position`. */
export interface SnapshotPart {
  readonly projection: string;
  readonly key: string;
  readonly position: GlobalPosition;
  readonly payload: Buffer;
}

/** The time index's samples: a position and the latest `recordedAt` (epoch ms) up to it. */
export interface TimeSamples {
  readonly positions: number[];
  readonly times: number[];
}

/** Synchronous by design: a snapshot is written between two events, with the state as it stands. */
export interface SnapshotStore {
  /** The header, the parts written with it and the new time samples, all or nothing. */
  save(snapshot: SnapshotRecord, parts: readonly SnapshotPart[], samples: TimeSamples): void;
  /** The latest snapshot of this format at or before `position` (undefined: the latest of all). */
  latest(format: string, atOrBefore?: GlobalPosition): SnapshotRecord | undefined;
  /** Every snapshot of this format, oldest first, without payloads. */
  list(format: string): SnapshotSummary[];
  load(format: string, position: GlobalPosition): SnapshotRecord | undefined;
  loadPart(
    format: string,
    projection: string,
    key: string,
    position: GlobalPosition,
  ): Buffer | undefined;
  /** The time samples at or before a position, in order. */
  timeSamples(format: string, upToPosition: GlobalPosition): TimeSamples;
  /** Forgets every snapshot of a format (they describe another log). */
  clear(format: string): void;
  close(): void;
}

const partId = (format: string, projection: string, key: string, position: number) =>
  JSON.stringify([format, projection, key, position]);

/** For the in-memory and `:memory:` stores: snapshots live as long as the process. */
export class InMemorySnapshotStore implements SnapshotStore {
  private snapshots: SnapshotRecord[] = [];
  private readonly parts = new Map<string, Buffer>();
  private readonly samples = new Map<string, Map<number, number>>();

  save(snapshot: SnapshotRecord, parts: readonly SnapshotPart[], samples: TimeSamples): void {
    this.snapshots = this.snapshots.filter(
      (existing) => existing.format !== snapshot.format || existing.position !== snapshot.position,
    );
    this.snapshots.push(snapshot);
    this.snapshots.sort((a, b) => a.position - b.position);
    for (const part of parts) {
      this.parts.set(
        partId(snapshot.format, part.projection, part.key, part.position),
        part.payload,
      );
    }
    let byPosition = this.samples.get(snapshot.format);
    if (byPosition === undefined) {
      byPosition = new Map();
      this.samples.set(snapshot.format, byPosition);
    }
    samples.positions.forEach((position, index) => {
      byPosition.set(position, samples.times[index] ?? 0);
    });
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

  loadPart(format: string, projection: string, key: string, position: number): Buffer | undefined {
    return this.parts.get(partId(format, projection, key, position));
  }

  timeSamples(format: string, upToPosition: GlobalPosition): TimeSamples {
    const entries = [...(this.samples.get(format) ?? new Map<number, number>()).entries()]
      .filter(([position]) => position <= upToPosition)
      .sort((a, b) => a[0] - b[0]);
    return {
      positions: entries.map(([position]) => position),
      times: entries.map(([, time]) => time),
    };
  }

  clear(format: string): void {
    this.snapshots = this.snapshots.filter((snapshot) => snapshot.format !== format);
    for (const id of [...this.parts.keys()]) {
      if ((JSON.parse(id) as unknown[])[0] === format) this.parts.delete(id);
    }
    this.samples.delete(format);
  }

  close(): void {
    // Nothing to release.
  }
}
