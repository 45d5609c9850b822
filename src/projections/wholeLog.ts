/**
 * Whole-log work (the replay check) as a function of a store and a list of projections, so it runs
 * the same in process and in a worker thread, which has its own connection to the store.
 */
import type { EventStore, GlobalPosition, RecordedEvent } from '../eventStore/port';
import { decodeRecordedEvent } from '../events/trackerRecordedEvent';
import type { SnapshotStore, SnapshotSummary } from '../snapshots/snapshotStore';
import { decodeSnapshot } from '../snapshots/snapshotCodec';
import type { Projection } from './projection';
import { stateDigest } from './stateDigest';

export interface SnapshotCheck {
  readonly position: GlobalPosition;
  readonly eventCount: number;
  /** The stored payload decodes to the state its recorded digest names. */
  readonly payloadIntact: boolean;
  /** The state rebuilt from the log at that position has the recorded digest. */
  readonly matchesLog: boolean;
}

export interface WholeLogRebuild {
  readonly digests: string[];
  readonly eventCount: number;
  readonly snapshots: SnapshotCheck[];
}

export interface WholeLogRequest {
  readonly until: GlobalPosition;
  /** Snapshots to check against the rebuild, in position order. */
  readonly snapshots: readonly SnapshotSummary[];
  readonly snapshotFormat: string;
}

/** Runs the replay check's rebuild: in process, or in a worker thread. */
export interface WholeLogRunner {
  rebuild(request: WholeLogRequest): Promise<WholeLogRebuild>;
}

const BATCH_SIZE = 1000;

export async function* batchesAfter(
  store: Pick<EventStore, 'readAll'>,
  from: GlobalPosition,
  until: GlobalPosition,
  batchSize = BATCH_SIZE,
): AsyncGenerator<readonly RecordedEvent[]> {
  let position = from;
  while (position < until) {
    const batch = await store.readAll({ fromPosition: position, maxCount: batchSize });
    const last = batch[batch.length - 1];
    if (last === undefined || last.globalPosition <= position) return;
    yield batch;
    position = last.globalPosition;
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Every projection from empty up to `until`, checking each listed snapshot on the way: its payload
 * against its digest, and the rebuilt state at its position against the same digest.
 */
export async function rebuildFromLog(
  store: Pick<EventStore, 'readAll'>,
  projections: readonly Projection<unknown>[],
  request: WholeLogRequest,
  snapshotStore: SnapshotStore | undefined,
): Promise<WholeLogRebuild> {
  const states = projections.map((projection) => projection.initialState());
  const pending = [...request.snapshots];
  const checks: SnapshotCheck[] = [];
  let position: GlobalPosition = 0;
  let eventCount = 0;
  const checkSnapshotsAt = () => {
    while (pending.length > 0 && (pending[0]?.eventCount ?? Infinity) <= eventCount) {
      const summary = pending.shift();
      if (summary === undefined) break;
      const rebuiltDigest = summary.eventCount === eventCount ? stateDigest(states) : undefined;
      checks.push({
        position: summary.position,
        eventCount: summary.eventCount,
        payloadIntact: payloadIntact(snapshotStore, request.snapshotFormat, summary),
        matchesLog: rebuiltDigest === summary.digest && summary.position === position,
      });
    }
  };
  for await (const batch of batchesAfter(store, 0, request.until)) {
    for (const recorded of batch) {
      if (recorded.globalPosition <= position || recorded.globalPosition > request.until) continue;
      const event = decodeRecordedEvent(recorded);
      for (let index = 0; index < projections.length; index++) {
        const projection = projections[index];
        if (projection !== undefined) states[index] = projection.apply(states[index], event);
      }
      position = recorded.globalPosition;
      eventCount++;
      if (pending.length > 0) checkSnapshotsAt();
    }
    // In process, other requests are served between batches.
    await yieldToEventLoop();
  }
  // Snapshots beyond the rebuilt log describe events that are not there.
  for (const summary of pending) {
    checks.push({
      position: summary.position,
      eventCount: summary.eventCount,
      payloadIntact: payloadIntact(snapshotStore, request.snapshotFormat, summary),
      matchesLog: false,
    });
  }
  return { digests: states.map((state) => stateDigest(state)), eventCount, snapshots: checks };
}

function payloadIntact(
  snapshotStore: SnapshotStore | undefined,
  format: string,
  summary: SnapshotSummary,
): boolean {
  const stored = snapshotStore?.load(format, summary.position);
  if (stored === undefined) return false;
  try {
    return stateDigest(decodeSnapshot(stored.payload).states) === summary.digest;
  } catch {
    return false;
  }
}
