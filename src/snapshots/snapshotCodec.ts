import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';

/** How one read model is held in a snapshot's header. */
export type SnapshotState =
  | { readonly kind: 'whole'; readonly state: unknown }
  | {
      readonly kind: 'parts';
      readonly rest: unknown;
      /** Each part's key and the snapshot position at which it was last written. */
      readonly parts: readonly (readonly [string, number])[];
    };

/** A snapshot's header: every read model after `eventCount` events. */
export interface ReadModelSnapshot {
  readonly states: readonly SnapshotState[];
  /** The id of the event at the snapshot's position: a snapshot of another log is never used. */
  readonly lastEventId: string;
  /** The time index's running state; its samples are stored apart, once each. */
  readonly timeIndex: { readonly latest: number; readonly sinceSample: number };
}

/**
 * The structured-clone format keeps Maps, Sets and shared references as they are, and is decoded
 * far faster than the events could be folded again. Whatever cannot be decoded counts as no
 * snapshot.
 */
export function encodeValue(value: unknown): Buffer {
  return deflateRawSync(serialize(value), { level: constants.Z_BEST_SPEED });
}

export function decodeValue(payload: Buffer): unknown {
  return deserialize(inflateRawSync(payload));
}

export function decodeHeader(payload: Buffer): ReadModelSnapshot {
  const decoded = decodeValue(payload) as Partial<ReadModelSnapshot>;
  if (
    !Array.isArray(decoded.states) ||
    typeof decoded.timeIndex !== 'object' ||
    typeof decoded.lastEventId !== 'string'
  ) {
    throw new TypeError('Not a read-model snapshot');
  }
  return decoded as ReadModelSnapshot;
}
