import type { StreamVersion } from '../eventStore/port';

/** How many streams' folded states a tracker keeps by default. */
export const STREAM_STATE_CACHE_CAPACITY = 10_000;

/** A stream's state folded up to and including `version`. */
export interface FoldedState<State> {
  readonly version: StreamVersion;
  readonly state: State;
}

/** What folds a stream's states (a decider); its `initialState` ties the state's type to it. */
export interface StateOwner<State> {
  readonly initialState: () => State;
}

interface Entry {
  readonly owner: object;
  readonly version: StreamVersion;
  readonly state: unknown;
}

/**
 * Folded states of the streams used last, so a command reads only the events after the cached
 * version. A state at a version never goes stale (events are immutable, `evolve` is pure); what
 * other writers appended since is read by the caller. The entries are shared, so states must be
 * immutable values. An LRU bounded by `capacity` (0 keeps nothing): a Map iterates in insertion
 * order, so moving an entry to the end on each use keeps the least recently used one first.
 */
export class StreamStateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly capacity: number = STREAM_STATE_CACHE_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`capacity must be a non-negative integer, got ${String(capacity)}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The state `owner` folded for the stream, if kept; marks the stream as used. */
  get<State>(streamId: string, owner: StateOwner<State>): FoldedState<State> | undefined {
    const entry = this.entries.get(streamId);
    if (entry?.owner !== owner) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    // Only `owner` stores states under itself, and they are its own State.
    return { version: entry.version, state: entry.state as State };
  }

  /**
   * Keeps the folded state unless a later version of it is kept already (a slower read finishing
   * last must not move it back); beyond capacity, forgets the least recently used stream.
   */
  set<State>(streamId: string, owner: StateOwner<State>, folded: FoldedState<State>): void {
    if (this.capacity === 0) return;
    const existing = this.entries.get(streamId);
    if (existing?.owner === owner && existing.version > folded.version) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { owner, version: folded.version, state: folded.state });
    if (this.entries.size > this.capacity) {
      const leastRecentlyUsed = this.entries.keys().next();
      if (leastRecentlyUsed.done !== true) this.entries.delete(leastRecentlyUsed.value);
    }
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
