import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import type { TimeIndexData } from '../projections/timeIndex';

/** What one snapshot holds: every read model after `eventCount` events, and the time index. */
export interface ReadModelSnapshot {
  readonly states: readonly unknown[];
  /** The id of the event at the snapshot's position: a snapshot of another log is never used. */
  readonly lastEventId: string;
  readonly timeIndex: TimeIndexData;
}

/**
 * The structured-clone format keeps Maps, Sets and shared references as they are, and is decoded
 * far faster than JSON would be re-folded. Whatever cannot be decoded is treated as no snapshot.
 */
export function encodeSnapshot(snapshot: ReadModelSnapshot): Buffer {
  return deflateRawSync(serialize(snapshot), { level: constants.Z_BEST_SPEED });
}

export function decodeSnapshot(payload: Buffer): ReadModelSnapshot {
  const decoded = deserialize(inflateRawSync(payload)) as Partial<ReadModelSnapshot>;
  if (
    !Array.isArray(decoded.states) ||
    typeof decoded.timeIndex !== 'object' ||
    typeof decoded.lastEventId !== 'string'
  ) {
    throw new TypeError('Not a read-model snapshot');
  }
  return decoded as ReadModelSnapshot;
}
