import type { EventStore, GlobalPosition, RecordedEvent } from '../eventStore/port';
import type { Projection } from './projection';
import { stateDigest } from './stateDigest';
import { decodeRecordedEvent, type TrackerRecordedEvent } from '../events/trackerRecordedEvent';

/** The projector only reads the global log. */
export type ProjectorSource = Pick<EventStore, 'readAll' | 'headPosition'>;

export interface ProjectorOptions {
  /** Events per `readAll` call. Default 500. */
  readonly batchSize?: number;
}

/** Up to and including a global position, or every event recorded at or before an instant. */
export type StateCut = { readonly position: GlobalPosition } | { readonly timestamp: string };

export interface RebuildResult {
  readonly states: Map<string, unknown>;
  readonly position: GlobalPosition;
  readonly eventCount: number;
  readonly durationMs: number;
}

export interface ProjectionReplayResult {
  readonly name: string;
  readonly equal: boolean;
  readonly liveDigest: string;
  readonly rebuiltDigest: string;
}

export interface ReplayCheckResult {
  readonly ok: boolean;
  readonly position: GlobalPosition;
  readonly eventCount: number;
  readonly durationMs: number;
  readonly projections: ProjectionReplayResult[];
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Keeps projections up to date with the global log and rebuilds them on demand. The checkpoint
 * moves with the state, event by event, so nothing at or below it is ever applied twice.
 */
export class Projector {
  private readonly batchSize: number;
  private readonly liveStates: unknown[];
  private readonly indexByProjection = new Map<Projection<unknown>, number>();
  private position: GlobalPosition = 0;
  private progressAt = 0;
  private waiters: { readonly position: GlobalPosition; readonly resolve: () => void }[] = [];
  private running: Promise<GlobalPosition> | undefined;
  private followUp: Promise<GlobalPosition> | undefined;

  constructor(
    private readonly store: ProjectorSource,
    private readonly projections: readonly Projection<unknown>[],
    options: ProjectorOptions = {},
  ) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    this.batchSize = batchSize;
    const names = new Set<string>();
    projections.forEach((projection, index) => {
      if (names.has(projection.name)) {
        throw new Error(`Two projections are named ${projection.name}`);
      }
      names.add(projection.name);
      this.indexByProjection.set(projection, index);
    });
    this.liveStates = projections.map((projection) => projection.initialState());
  }

  get checkpoint(): GlobalPosition {
    return this.position;
  }

  /** The position of the log's last committed event: how far the projections can get now. */
  headPosition(): Promise<GlobalPosition> {
    return this.store.headPosition();
  }

  /** When the checkpoint last moved (epoch ms; 0 = never). */
  get lastProgressAt(): number {
    return this.progressAt;
  }

  /**
   * Applies one event from any ordered source (a catch-up read or a live subscription). Check and
   * apply happen without an await between them, so two sources that each start at or below the
   * checkpoint and deliver in order can feed the same projector: whichever delivers an event first
   * applies it, the other skips it. Returns false for an event at or below the checkpoint.
   */
  applyEvent(event: RecordedEvent): boolean {
    if (event.globalPosition <= this.position) return false;
    // Decoded once for every projection; an undecodable event throws here, naming its position,
    // and the checkpoint stays before it: the read side stops rather than skip a fact.
    const decoded = decodeRecordedEvent(event);
    for (let index = 0; index < this.projections.length; index++) {
      const projection = this.projections[index];
      if (projection === undefined) continue;
      this.liveStates[index] = projection.apply(this.liveStates[index], decoded);
    }
    this.position = event.globalPosition;
    this.progressAt = Date.now();
    if (this.waiters.length > 0) this.releaseWaiters();
    return true;
  }

  /**
   * Resolves true once the checkpoint reaches `position`, or false after `timeoutMs`: how a read
   * waits, briefly and boundedly, for the projections to reach a write it has been told about.
   */
  waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      const entry = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(entry);
    });
  }

  private releaseWaiters(): void {
    const reached = this.waiters.filter((waiter) => waiter.position <= this.position);
    if (reached.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.position > this.position);
    for (const waiter of reached) waiter.resolve();
  }

  state<S>(projection: Projection<S>): S {
    const index = this.indexByProjection.get(projection);
    if (index === undefined) {
      throw new Error(`Projection ${projection.name} is not registered with this projector`);
    }
    return this.liveStates[index] as S;
  }

  /**
   * Applies every event after the checkpoint. Callers arriving while a run is in flight share one
   * follow-up run, since the run in flight may have read the log before their own writes landed.
   */
  catchUp(): Promise<GlobalPosition> {
    if (this.running === undefined) {
      this.running = this.runCatchUp().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.followUp ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.followUp = undefined;
        return this.catchUp();
      });
    return this.followUp;
  }

  private async runCatchUp(): Promise<GlobalPosition> {
    const head = await this.store.headPosition();
    for await (const batch of this.batchesAfter(this.position, head)) {
      for (const event of batch) this.applyEvent(event);
    }
    return this.position;
  }

  /** Rebuilds one projection from an empty state up to and including the cut. */
  async stateAsOf<S>(
    projection: Projection<S>,
    cut: StateCut,
  ): Promise<{ state: S; position: GlobalPosition; eventCount: number }> {
    let include: (event: TrackerRecordedEvent) => boolean;
    let until: GlobalPosition;
    if ('position' in cut) {
      until = cut.position;
      include = (event) => event.globalPosition <= cut.position;
    } else {
      const instant = Date.parse(cut.timestamp);
      if (Number.isNaN(instant)) {
        throw new RangeError(`timestamp is not an ISO 8601 instant: ${cut.timestamp}`);
      }
      // Writers' clocks may disagree slightly, so recordedAt is not monotonic in position: scan to the head.
      until = await this.store.headPosition();
      include = (event) => Date.parse(event.metadata.recordedAt) <= instant;
    }
    let state = projection.initialState();
    let position: GlobalPosition = 0;
    let eventCount = 0;
    for await (const batch of this.batchesAfter(0, until)) {
      for (const recorded of batch) {
        if (recorded.globalPosition <= position) continue;
        const event = decodeRecordedEvent(recorded);
        if (!include(event)) continue;
        state = projection.apply(state, event);
        position = event.globalPosition;
        eventCount++;
      }
    }
    return { state, position, eventCount };
  }

  /** Every projection rebuilt from empty up to the current checkpoint. */
  async rebuildAll(): Promise<RebuildResult> {
    const started = performance.now();
    const position = this.position;
    const { states, eventCount } = await this.rebuildTo(position);
    return {
      states: new Map(
        this.projections.map((projection, index) => [projection.name, states[index]]),
      ),
      position,
      eventCount,
      durationMs: performance.now() - started,
    };
  }

  /** Rebuilds every projection up to the live checkpoint and compares it with the live state. */
  async replayCheck(): Promise<ReplayCheckResult> {
    const started = performance.now();
    // Digested together with the checkpoint, before any await, so a concurrent catch-up cannot skew the comparison.
    const position = this.position;
    const liveDigests = this.liveStates.map((state) => stateDigest(state));
    const { states, eventCount } = await this.rebuildTo(position);
    const projections = this.projections.map((projection, index) => {
      const liveDigest = liveDigests[index] ?? '';
      const rebuiltDigest = stateDigest(states[index]);
      return {
        name: projection.name,
        equal: liveDigest === rebuiltDigest,
        liveDigest,
        rebuiltDigest,
      };
    });
    return {
      ok: projections.every((projection) => projection.equal),
      position,
      eventCount,
      durationMs: performance.now() - started,
      projections,
    };
  }

  private async rebuildTo(
    until: GlobalPosition,
  ): Promise<{ states: unknown[]; eventCount: number }> {
    const states = this.projections.map((projection) => projection.initialState());
    let position: GlobalPosition = 0;
    let eventCount = 0;
    for await (const batch of this.batchesAfter(0, until)) {
      for (const recorded of batch) {
        if (recorded.globalPosition <= position || recorded.globalPosition > until) continue;
        const event = decodeRecordedEvent(recorded);
        for (let index = 0; index < this.projections.length; index++) {
          const projection = this.projections[index];
          if (projection === undefined) continue;
          states[index] = projection.apply(states[index], event);
        }
        position = recorded.globalPosition;
        eventCount++;
      }
    }
    return { states, eventCount };
  }

  /** Batches of events after `from`, until a batch reaches `until` or the log ends. */
  private async *batchesAfter(
    from: GlobalPosition,
    until: GlobalPosition,
  ): AsyncGenerator<readonly RecordedEvent[]> {
    let position = from;
    while (position < until) {
      const batch = await this.store.readAll({ fromPosition: position, maxCount: this.batchSize });
      const last = batch[batch.length - 1];
      if (last === undefined || last.globalPosition <= position) return;
      yield batch;
      position = last.globalPosition;
    }
  }
}
