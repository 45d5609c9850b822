import type { EventStore, GlobalPosition, RecordedEvent } from '../eventStore/port';
import type { Projection } from './projection';
import { stateDigest } from './stateDigest';
import { decodeRecordedEvent } from '../events/trackerRecordedEvent';
import type { SnapshotPart, SnapshotStore, SnapshotSummary } from '../snapshots/snapshotStore';
import {
  decodeHeader,
  decodeValue,
  encodeValue,
  type ReadModelSnapshot,
  type SnapshotState,
} from '../snapshots/snapshotCodec';
import { TimeIndex, TIME_INDEX_EVERY } from './timeIndex';
import {
  logBatches,
  rebuildFromLog,
  type LogReadAhead,
  type SnapshotCheck,
  type WholeLogRunner,
} from './wholeLog';

/** The projector only reads the global log. */
export type ProjectorSource = Pick<EventStore, 'readAll' | 'headPosition' | 'readStream'>;

export interface ProjectorOptions {
  /** Events per `readAll` call. Default 500. */
  readonly batchSize?: number;
  /**
   * Where the read models are persisted every `snapshotEvery` events: a restart starts from the
   * latest snapshot, and an `asOf` read folds at most `snapshotEvery` events from the one before it.
   * Without it every `asOf` read folds from the start of the log.
   */
  readonly snapshots?: SnapshotStore;
  /** Default 1000 events. */
  readonly snapshotEvery?: number;
  /** Runs the replay check's rebuild (e.g. in a worker thread); default: in process. */
  readonly wholeLog?: WholeLogRunner;
  /**
   * Reads long stretches of the log (a rebuild, a first start, an `asOf` read with no snapshot
   * before it) ahead of the fold, e.g. in a worker thread; default: the store's `readAll`, page by
   * page, between folds.
   */
  readonly readAhead?: LogReadAhead;
  /** Bumped whenever a projection's state shape or fold changes, so older snapshots are ignored. */
  readonly readModelVersion?: number;
}

/** Read models' code version: part of every snapshot's format. Bump when a fold changes. */
// 2: the plan read model holds implementation reports; stored bytes count report streams too.
export const READ_MODEL_VERSION = 2;

/**
 * Up to and including a global position, or the log as of an instant: its longest prefix in which
 * no event was recorded after it (see `TimeIndex`).
 */
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
  /** Every persisted snapshot: readable, and holding what the log rebuilt from nothing holds there. */
  readonly snapshots: SnapshotCheck[];
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_SNAPSHOT_EVERY = 1000;

/**
 * Keeps projections up to date with the global log and rebuilds them on demand. The checkpoint
 * moves with the state, event by event, so nothing at or below it is ever applied twice.
 */
export class Projector {
  private readonly batchSize: number;
  private liveStates: unknown[];
  private readonly indexByProjection = new Map<Projection<unknown>, number>();
  private position: GlobalPosition = 0;
  /** How many events the live states have folded: the next event's rank in the log. */
  private eventCount = 0;
  private progressAt = 0;
  private waiters: { readonly position: GlobalPosition; readonly resolve: () => void }[] = [];
  private running: Promise<GlobalPosition> | undefined;
  private followUp: Promise<GlobalPosition> | undefined;
  private readonly timeIndex = new TimeIndex();
  private readonly snapshots: SnapshotStore | undefined;
  private readonly snapshotEvery: number;
  private readonly wholeLog: WholeLogRunner;
  private readonly readAhead: LogReadAhead | undefined;
  private eventsSinceSnapshot = 0;
  /** For read models made of parts: where each part was last written, and what changed since. */
  private readonly partWrittenAt: (Map<string, GlobalPosition> | undefined)[];
  private readonly dirtyParts: (Set<string> | undefined)[];
  /**
   * For read models made of parts: the position of the last event each part folded, so a view of
   * one part (a plan's figures) stays valid while events of other parts move the checkpoint.
   * Parts absent here last changed at or before `partsTrackedFrom`.
   */
  private readonly partChanges: (Map<string, GlobalPosition> | undefined)[];
  private partsTrackedFrom: GlobalPosition = 0;
  private persistedSamples = 0;
  private lastEventId = '';
  private restored = false;
  private replayInFlight: Promise<ReplayCheckResult> | undefined;
  /** The persisted snapshots' format: which projections, in which code version. */
  readonly snapshotFormat: string;

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
    const snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    if (!Number.isInteger(snapshotEvery) || snapshotEvery < 1) {
      throw new RangeError(`snapshotEvery must be a positive integer, got ${snapshotEvery}`);
    }
    this.snapshotEvery = snapshotEvery;
    this.snapshots = options.snapshots;
    const names = new Set<string>();
    projections.forEach((projection, index) => {
      if (names.has(projection.name)) {
        throw new Error(`Two projections are named ${projection.name}`);
      }
      names.add(projection.name);
      this.indexByProjection.set(projection, index);
    });
    this.liveStates = projections.map((projection) => projection.initialState());
    this.partWrittenAt = projections.map((projection) =>
      projection.parts === undefined ? undefined : new Map(),
    );
    this.dirtyParts = projections.map((projection) =>
      projection.parts === undefined ? undefined : new Set(),
    );
    this.partChanges = projections.map((projection) =>
      projection.parts === undefined ? undefined : new Map(),
    );
    this.snapshotFormat = `readmodels/${options.readModelVersion ?? READ_MODEL_VERSION}/${projections
      .map((projection) => projection.name)
      .join(',')}`;
    this.readAhead = options.readAhead;
    this.wholeLog = options.wholeLog ?? {
      rebuild: (request) =>
        rebuildFromLog(this.store, this.projections, request, this.snapshots, this.readAhead),
    };
  }

  get checkpoint(): GlobalPosition {
    return this.position;
  }

  /** The log the read models fold: histories and the audit feed read it page by page. */
  get source(): ProjectorSource {
    return this.store;
  }

  /** How many events the live read models have folded. */
  get eventsFolded(): number {
    return this.eventCount;
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
   * Starts the live read models from the latest persisted snapshot, once, before the first catch-up.
   * A snapshot that cannot be decoded, or that was taken of another log (the event at its position
   * is not the one it names), is ignored: the log is the truth, the snapshot only a shortcut.
   * Returns the position restored to (0: none).
   */
  async restoreFromSnapshot(): Promise<GlobalPosition> {
    if (this.restored) return this.position;
    this.restored = true;
    if (this.position !== 0 || this.snapshots === undefined) return this.position;
    const loaded = await this.latestUsableSnapshot(this.snapshots);
    if (loaded === undefined) return this.position;
    if (this.position !== 0) return this.position;
    const { header } = loaded;
    this.liveStates = [...loaded.states];
    header.states.forEach((entry, index) => {
      if (entry.kind === 'parts') this.partWrittenAt[index] = new Map(entry.parts);
    });
    const samples = this.snapshots.timeSamples(this.snapshotFormat, loaded.position);
    this.timeIndex.reset({ ...samples, ...header.timeIndex });
    this.persistedSamples = samples.positions.length;
    this.position = loaded.position;
    // What the snapshot holds changed at its position at the latest.
    this.partsTrackedFrom = loaded.position;
    this.eventCount = loaded.eventCount;
    this.lastEventId = header.lastEventId;
    this.eventsSinceSnapshot = 0;
    this.progressAt = Date.now();
    return this.position;
  }

  /**
   * The latest snapshot that can be restored: a damaged one is passed over for the one before it
   * (a few at most); one taken of another log (the event at its position is not the one it names)
   * means every snapshot in the file is of that log, and they are all forgotten.
   */
  private async latestUsableSnapshot(snapshots: SnapshotStore) {
    let atOrBefore: GlobalPosition | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = snapshots.latest(this.snapshotFormat, atOrBefore);
      if (stored === undefined) return undefined;
      let lastEventId: string | undefined;
      try {
        lastEventId = decodeHeader(stored.payload).lastEventId;
      } catch {
        lastEventId = undefined;
      }
      if (lastEventId !== undefined && !(await this.isEventAt(stored.position, lastEventId))) {
        snapshots.clear(this.snapshotFormat);
        return undefined;
      }
      const loaded = await this.loadSnapshot(stored.position, undefined);
      if (loaded !== undefined) return loaded;
      atOrBefore = stored.position - 1;
    }
    return undefined;
  }

  /** Whether the log's event at `position` is the one with this id. */
  private async isEventAt(position: GlobalPosition, eventId: string): Promise<boolean> {
    const [atPosition] = await this.store.readAll({ fromPosition: position - 1, maxCount: 1 });
    return atPosition?.globalPosition === position && atPosition.id === eventId;
  }

  /**
   * The latest usable snapshot at or before a position (undefined: the latest of all): decoded,
   * its parts loaded (only one part of one read model, for a one-part read), and checked against
   * the log: the event at its position must be the one it names.
   */
  private async loadSnapshot(
    atOrBefore: GlobalPosition | undefined,
    onlyPart: { readonly index: number; readonly key: string } | undefined,
  ): Promise<
    | {
        readonly header: ReadModelSnapshot;
        readonly states: unknown[];
        readonly position: GlobalPosition;
        readonly eventCount: number;
      }
    | undefined
  > {
    const snapshots = this.snapshots;
    const stored = snapshots?.latest(this.snapshotFormat, atOrBefore);
    if (snapshots === undefined || stored === undefined) return undefined;
    let header: ReadModelSnapshot;
    let states: unknown[];
    try {
      header = decodeHeader(stored.payload);
      if (header.states.length !== this.projections.length) return undefined;
      states = header.states.map((entry, index) =>
        onlyPart !== undefined && onlyPart.index !== index
          ? undefined
          : this.decodeState(snapshots, entry, index, onlyPart?.key),
      );
    } catch {
      return undefined;
    }
    if (!(await this.isEventAt(stored.position, header.lastEventId))) return undefined;
    return { header, states, position: stored.position, eventCount: stored.eventCount };
  }

  /** One read model from a snapshot header; throws when a part it names is missing. */
  private decodeState(
    snapshots: SnapshotStore,
    entry: SnapshotState,
    index: number,
    onlyKey: string | undefined,
  ): unknown {
    const projection = this.projections[index];
    if (entry.kind === 'whole' || projection?.parts === undefined) {
      if (entry.kind !== 'whole') throw new TypeError('A snapshot in parts of a whole read model');
      return entry.state;
    }
    const parts = new Map<string, unknown>();
    for (const [key, writtenAt] of entry.parts) {
      if (onlyKey !== undefined && key !== onlyKey) continue;
      const payload = snapshots.loadPart(this.snapshotFormat, projection.name, key, writtenAt);
      if (payload === undefined) throw new Error(`Snapshot part ${key}@${writtenAt} is missing`);
      parts.set(key, decodeValue(payload));
    }
    return projection.parts.join(entry.rest, parts);
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
      if (projection.parts !== undefined) {
        const key = projection.parts.keyOf(decoded);
        this.dirtyParts[index]?.add(key);
        this.partChanges[index]?.set(key, event.globalPosition);
      }
    }
    this.timeIndex.record(event.globalPosition, decoded.metadata.recordedAt);
    this.position = event.globalPosition;
    this.lastEventId = event.id;
    this.eventCount++;
    this.progressAt = Date.now();
    if (this.snapshots !== undefined && ++this.eventsSinceSnapshot >= this.snapshotEvery) {
      this.saveSnapshot(this.snapshots);
    }
    if (this.waiters.length > 0) this.releaseWaiters();
    return true;
  }

  /**
   * Persists the live states as they stand, between two events: whole read models whole, and of
   * a read model in parts only the parts changed since the last snapshot.
   */
  /**
   * Persists the live read models now, if any event came since the last snapshot: on a graceful
   * stop, so the next start folds nothing.
   */
  snapshotNow(): void {
    if (this.snapshots !== undefined && this.eventsSinceSnapshot > 0) {
      this.saveSnapshot(this.snapshots);
    }
  }

  private saveSnapshot(snapshots: SnapshotStore): void {
    this.eventsSinceSnapshot = 0;
    try {
      const parts: SnapshotPart[] = [];
      const written = this.partWrittenAt.map((map) =>
        map === undefined ? undefined : new Map(map),
      );
      const states = this.projections.map((projection, index): SnapshotState => {
        const state = this.liveStates[index];
        const writtenAt = written[index];
        if (projection.parts === undefined || writtenAt === undefined) {
          return { kind: 'whole', state };
        }
        const dirty = this.dirtyParts[index];
        const split = projection.parts.split(state);
        for (const [key, value] of split.parts) {
          if (dirty?.has(key) !== true && writtenAt.has(key)) continue;
          parts.push({
            projection: projection.name,
            key,
            position: this.position,
            payload: encodeValue(value),
          });
          writtenAt.set(key, this.position);
        }
        const present = [...writtenAt.entries()].filter(([key]) => split.parts.has(key));
        return { kind: 'parts', rest: split.rest, parts: present };
      });
      const header: ReadModelSnapshot = {
        states,
        lastEventId: this.lastEventId,
        timeIndex: this.timeIndex.running,
      };
      const sampleCount = this.timeIndex.sampleCount;
      snapshots.save(
        {
          position: this.position,
          eventCount: this.eventCount,
          format: this.snapshotFormat,
          createdAt: new Date().toISOString(),
          payload: encodeValue(header),
        },
        parts,
        this.timeIndex.samplesFrom(this.persistedSamples),
      );
      // Only once it is stored do the parts count as written.
      written.forEach((map, index) => {
        if (map !== undefined) this.partWrittenAt[index] = map;
        this.dirtyParts[index]?.clear();
      });
      this.persistedSamples = sampleCount;
    } catch {
      // A snapshot is a shortcut: failing to write one slows the next restart, nothing more. The
      // parts stay dirty, so the next snapshot writes them.
    }
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
    return this.liveStates[this.indexOf(projection)] as S;
  }

  /**
   * The position of the last event folded into one part of a read model in parts (a plan's entry):
   * a view computed from that part alone at a checkpoint at or after it is still the view now. For
   * a read model not in parts, any event may change it: the checkpoint itself.
   */
  partChangedAt(projection: Projection<unknown>, key: string): GlobalPosition {
    const changed = this.partChanges[this.indexOf(projection)];
    if (changed === undefined) return this.position;
    return changed.get(key) ?? this.partsTrackedFrom;
  }

  private indexOf(projection: Projection<unknown>): number {
    const index = this.indexByProjection.get(projection);
    if (index === undefined) {
      throw new Error(`Projection ${projection.name} is not registered with this projector`);
    }
    return index;
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
    if (!this.restored) await this.restoreFromSnapshot();
    const head = await this.store.headPosition();
    // Nothing new (the common case under reads, the subscription having folded every write):
    // one head read and no log read.
    if (head <= this.position) return this.position;
    for await (const batch of this.batches(this.position, head)) {
      for (const event of batch) this.applyEvent(event);
    }
    return this.position;
  }

  /** The log after `from` up to `until`, read ahead of the fold when it is long. */
  private batches(from: GlobalPosition, until: GlobalPosition) {
    return logBatches(this.store, this.readAhead, from, until, this.batchSize);
  }

  /**
   * The position a cut names. A timestamp names the longest prefix of the log in which no event
   * was recorded after it (see `TimeIndex`): found by binary search and a scan of at most
   * `TIME_INDEX_EVERY` events, up to the live checkpoint.
   */
  async positionOf(cut: StateCut): Promise<GlobalPosition> {
    if ('position' in cut) return cut.position;
    const instant = Date.parse(cut.timestamp);
    if (Number.isNaN(instant)) {
      throw new RangeError(`timestamp is not an ISO 8601 instant: ${cut.timestamp}`);
    }
    const start = this.timeIndex.scanStart(instant);
    let position = start.position;
    let latest = start.latest;
    const batch = await this.store.readAll({
      fromPosition: start.position,
      maxCount: TIME_INDEX_EVERY,
    });
    for (const recorded of batch) {
      if (recorded.globalPosition > this.position) break;
      const recordedAt = Date.parse(decodeRecordedEvent(recorded).metadata.recordedAt);
      if (recordedAt > latest) latest = recordedAt;
      if (latest > instant) break;
      position = recorded.globalPosition;
    }
    return position;
  }

  /**
   * One projection as it stood at the cut: from the latest snapshot at or before it, folding at
   * most `snapshotEvery` events (from the start of the log when there is no snapshot). With a part
   * key (a plan id, for a read model in parts), only that part is loaded and folded: the answer
   * holds that part alone.
   */
  async stateAsOf<S>(
    projection: Projection<S>,
    cut: StateCut,
    partKey?: string,
  ): Promise<{ state: S; position: GlobalPosition; eventCount: number }> {
    const index = this.indexOf(projection);
    const parts = partKey === undefined ? undefined : projection.parts;
    const until = await this.positionOf(cut);
    let state = projection.initialState();
    let position: GlobalPosition = 0;
    let eventCount = 0;
    const loaded =
      until > 0
        ? await this.loadSnapshot(
            until,
            parts === undefined || partKey === undefined ? undefined : { index, key: partKey },
          )
        : undefined;
    if (loaded !== undefined) {
      state = loaded.states[index] as S;
      position = loaded.position;
      eventCount = loaded.eventCount;
    }
    for await (const batch of this.batches(position, until)) {
      for (const recorded of batch) {
        if (recorded.globalPosition <= position || recorded.globalPosition > until) continue;
        const event = decodeRecordedEvent(recorded);
        position = recorded.globalPosition;
        eventCount++;
        if (parts !== undefined && parts.keyOf(event) !== partKey) continue;
        state = projection.apply(state, event);
      }
    }
    return { state, position, eventCount };
  }

  /** Every projection rebuilt from empty up to the current checkpoint, in process. */
  async rebuildAll(): Promise<RebuildResult> {
    const started = performance.now();
    const position = this.position;
    const states = this.projections.map((projection) => projection.initialState());
    let folded: GlobalPosition = 0;
    let eventCount = 0;
    for await (const batch of this.batches(0, position)) {
      for (const recorded of batch) {
        if (recorded.globalPosition <= folded || recorded.globalPosition > position) continue;
        const event = decodeRecordedEvent(recorded);
        this.projections.forEach((projection, index) => {
          states[index] = projection.apply(states[index], event);
        });
        folded = recorded.globalPosition;
        eventCount++;
      }
    }
    return {
      states: new Map(
        this.projections.map((projection, index) => [projection.name, states[index]]),
      ),
      position,
      eventCount,
      durationMs: performance.now() - started,
    };
  }

  /**
   * Rebuilds every projection up to the live checkpoint (off the event loop when a worker runner
   * is configured), compares it with the live state, and checks every persisted snapshot. One
   * check runs at a time: a caller arriving while one runs gets its result (the log up to where
   * that check started), so a burst of requests folds the log once, not once each.
   */
  replayCheck(): Promise<ReplayCheckResult> {
    this.replayInFlight ??= this.runReplayCheck().finally(() => {
      this.replayInFlight = undefined;
    });
    return this.replayInFlight;
  }

  private async runReplayCheck(): Promise<ReplayCheckResult> {
    const started = performance.now();
    // Digested together with the checkpoint, before any await, so a concurrent catch-up cannot skew the comparison.
    const position = this.position;
    const liveDigests = this.liveStates.map((state) => stateDigest(state));
    const snapshots: SnapshotSummary[] =
      this.snapshots
        ?.list(this.snapshotFormat)
        .filter((snapshot) => snapshot.position <= position) ?? [];
    const rebuilt = await this.wholeLog.rebuild({
      until: position,
      snapshots,
      snapshotFormat: this.snapshotFormat,
    });
    const projections = this.projections.map((projection, index) => {
      const liveDigest = liveDigests[index] ?? '';
      const rebuiltDigest = rebuilt.digests[index] ?? '';
      return {
        name: projection.name,
        equal: liveDigest === rebuiltDigest,
        liveDigest,
        rebuiltDigest,
      };
    });
    return {
      ok:
        projections.every((projection) => projection.equal) &&
        rebuilt.snapshots.every((check) => check.payloadIntact && check.matchesLog),
      position,
      eventCount: rebuilt.eventCount,
      durationMs: performance.now() - started,
      projections,
      snapshots: rebuilt.snapshots,
    };
  }
}
