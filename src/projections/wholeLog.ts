/**
 * Whole-log work (the replay check) as a function of a store and a list of projections, so it runs
 * the same in process and in a worker thread, which has its own connection to the store.
 */
import type { EventStore, GlobalPosition, RecordedEvent } from '../eventStore/port';
import { decodeRecordedEvent } from '../events/trackerRecordedEvent';
import type { SnapshotStore, SnapshotSummary } from '../snapshots/snapshotStore';
import { decodeHeader, decodeValue, type ReadModelSnapshot } from '../snapshots/snapshotCodec';
import type { Projection } from './projection';
import { stateDigest } from './stateDigest';

export interface SnapshotCheck {
  readonly position: GlobalPosition;
  readonly eventCount: number;
  /** The snapshot and the parts it wrote can be read and decoded. */
  readonly payloadIntact: boolean;
  /** What it holds is what the log, rebuilt from nothing, holds at its position. */
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

/**
 * Reads the log ahead of a fold, e.g. in a worker thread with its own connection to the store, so
 * reading and folding overlap. What it yields is what the store's `readAll` returns.
 */
export interface LogReadAhead {
  /** Fewer events than this to fold are read from the store directly. */
  readonly minEvents: number;
  /** The events after `after` up to and including `until`, in order, page by page. */
  batches(after: GlobalPosition, until: GlobalPosition): AsyncIterable<readonly RecordedEvent[]>;
}

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

/**
 * The log after `from` up to `until`, page by page: through the read-ahead when there is one and
 * enough to fold, else from the store. The store stays the authority: should the read-ahead fail or
 * stop short, the store's own reads go on from the last page folded (and report any failure of the
 * store as theirs).
 */
export async function* logBatches(
  store: Pick<EventStore, 'readAll'>,
  readAhead: LogReadAhead | undefined,
  from: GlobalPosition,
  until: GlobalPosition,
  batchSize = BATCH_SIZE,
): AsyncGenerator<readonly RecordedEvent[]> {
  let position = from;
  if (readAhead !== undefined && until - from >= readAhead.minEvents) {
    try {
      for await (const batch of readAhead.batches(from, until)) {
        const last = batch[batch.length - 1];
        // Pages in order, or the store takes over from the last one that was.
        if (last === undefined || (batch[0]?.globalPosition ?? 0) <= position) break;
        yield batch;
        position = last.globalPosition;
      }
    } catch {
      // The read-ahead is a shortcut: the store reads the rest.
    }
  }
  yield* batchesAfter(store, position, until, batchSize);
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Every projection from empty up to `until`, checking each listed snapshot on the way against the
 * rebuilt state at its position: a whole read model compared whole, a read model in parts part by
 * part, each part where it was written (and, where a later snapshot reuses it, that no event
 * changed it since). The cost is that of what the snapshots wrote, not of every state at every one.
 */
export async function rebuildFromLog(
  store: Pick<EventStore, 'readAll'>,
  projections: readonly Projection<unknown>[],
  request: WholeLogRequest,
  snapshotStore: SnapshotStore | undefined,
  readAhead?: LogReadAhead,
): Promise<WholeLogRebuild> {
  const states = projections.map((projection) => projection.initialState());
  /** Per read model in parts: the position of the last event that changed each part. */
  const lastChanged = projections.map(() => new Map<string, GlobalPosition>());
  const pending = [...request.snapshots];
  const checks: SnapshotCheck[] = [];
  let position: GlobalPosition = 0;
  let eventCount = 0;
  const checkDue = () => {
    while (pending.length > 0 && (pending[0]?.eventCount ?? Infinity) <= eventCount) {
      const summary = pending.shift();
      if (summary === undefined) break;
      const check =
        summary.eventCount === eventCount && summary.position === position
          ? checkSnapshot(
              snapshotStore,
              request.snapshotFormat,
              summary,
              projections,
              states,
              lastChanged,
            )
          : { payloadIntact: true, matchesLog: false };
      checks.push({ position: summary.position, eventCount: summary.eventCount, ...check });
    }
  };
  for await (const batch of logBatches(store, readAhead, 0, request.until)) {
    for (const recorded of batch) {
      if (recorded.globalPosition <= position || recorded.globalPosition > request.until) continue;
      const event = decodeRecordedEvent(recorded);
      for (let index = 0; index < projections.length; index++) {
        const projection = projections[index];
        if (projection === undefined) continue;
        states[index] = projection.apply(states[index], event);
        if (projection.parts !== undefined) {
          lastChanged[index]?.set(projection.parts.keyOf(event), recorded.globalPosition);
        }
      }
      position = recorded.globalPosition;
      eventCount++;
      if (pending.length > 0) checkDue();
    }
    // In process, other requests are served between batches.
    await yieldToEventLoop();
  }
  // Snapshots beyond the rebuilt log describe events that are not there.
  for (const summary of pending) {
    checks.push({
      position: summary.position,
      eventCount: summary.eventCount,
      payloadIntact: true,
      matchesLog: false,
    });
  }
  return { digests: states.map((state) => stateDigest(state)), eventCount, snapshots: checks };
}

function checkSnapshot(
  snapshotStore: SnapshotStore | undefined,
  format: string,
  summary: SnapshotSummary,
  projections: readonly Projection<unknown>[],
  states: readonly unknown[],
  lastChanged: readonly Map<string, GlobalPosition>[],
): { payloadIntact: boolean; matchesLog: boolean } {
  const stored = snapshotStore?.load(format, summary.position);
  if (snapshotStore === undefined || stored === undefined) {
    return { payloadIntact: false, matchesLog: false };
  }
  let header: ReadModelSnapshot;
  try {
    header = decodeHeader(stored.payload);
  } catch {
    return { payloadIntact: false, matchesLog: false };
  }
  if (header.states.length !== projections.length) {
    return { payloadIntact: true, matchesLog: false };
  }
  let payloadIntact = true;
  let matchesLog = true;
  header.states.forEach((entry, index) => {
    const projection = projections[index];
    const rebuilt = states[index];
    if (entry.kind === 'whole' || projection?.parts === undefined) {
      matchesLog &&= entry.kind === 'whole' && stateDigest(entry.state) === stateDigest(rebuilt);
      return;
    }
    const split = projection.parts.split(rebuilt);
    matchesLog &&= stateDigest(entry.rest) === stateDigest(split.rest);
    matchesLog &&= entry.parts.length === split.parts.size;
    for (const [key, writtenAt] of entry.parts) {
      if (!split.parts.has(key)) {
        matchesLog = false;
        continue;
      }
      if (writtenAt !== summary.position) {
        // Written by an earlier snapshot, checked there: no event may have changed it since.
        matchesLog &&= (lastChanged[index]?.get(key) ?? 0) <= writtenAt;
        continue;
      }
      const payload = snapshotStore.loadPart(format, projection.name, key, writtenAt);
      let part: unknown;
      try {
        if (payload === undefined) throw new Error('missing');
        part = decodeValue(payload);
      } catch {
        payloadIntact = false;
        continue;
      }
      matchesLog &&= stateDigest(part) === stateDigest(split.parts.get(key));
    }
  });
  return { payloadIntact, matchesLog };
}
