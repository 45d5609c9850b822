import type { TrackerRecordedEvent } from '../events/trackerRecordedEvent';

/**
 * A read model as a pure fold over the global log. `apply` may mutate the state it is given (the
 * projector owns it and builds a fresh one for every rebuild) but depends on nothing else, and
 * never throws on an event: an event is a recorded fact, decoded and upcast before it arrives.
 */
export interface Projection<S> {
  readonly name: string;
  initialState(): S;
  apply(state: S, event: TrackerRecordedEvent): S;
  /** A state made of independent parts is snapshotted part by part: only what changed is written. */
  readonly parts?: ProjectionParts<S>;
}

/**
 * A state split into parts that events change one at a time (e.g. one part per plan): a snapshot
 * rewrites only the parts changed since the one before, and a point-in-time read of one part loads
 * and folds only that part.
 */
export interface ProjectionParts<S> {
  /** The one part an event changes. */
  keyOf(event: TrackerRecordedEvent): string;
  /** The state as the rest (small) and its parts by key. */
  split(state: S): { readonly rest: unknown; readonly parts: ReadonlyMap<string, unknown> };
  /** The inverse of `split` (`parts` may hold only some of the keys, for a one-part read). */
  join(rest: unknown, parts: ReadonlyMap<string, unknown>): S;
}
