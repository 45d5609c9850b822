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
}
