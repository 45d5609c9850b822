import { Readable } from 'node:stream';
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type ReadRevision,
} from '@eventstore/db-client';
import type { EventStoreDbClient } from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';

/**
 * A stand-in for the part of `EventStoreDBClient` the adapter uses, written from the server's
 * documented and observed behaviour (no server can run here). It is NOT EventStoreDB: it lets the
 * contract exercise the adapter's own logic (version and position translation, inclusive reads,
 * key records, recovery, resubscription), while only a real server can confirm the assumptions.
 *
 * Modelled: positions are byte offsets with `commit == prepare` per event (gRPC appends); reads of
 * `$all` forwards are inclusive of `fromPosition`, backwards exclusive; subscriptions exclusive and
 * filtered server-side; revisions start at 0; a missing stream reads as `StreamNotFoundError`; a
 * stale expected revision throws the client's `WrongExpectedVersionError`, unless the batch's ids
 * match the events already at that revision (EventStoreDB's idempotent write); system events
 * (`$`-prefixed streams and types) are interleaved in the log.
 */
interface StoredEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: string;
  readonly metadata: string | undefined;
  readonly isJson: boolean;
  readonly created: Date;
  readonly position: Position;
}

/** A `readStream` call as the adapter made it, so tests can check what it asks the server for. */
export interface StreamRead {
  readonly streamName: string;
  readonly direction: string;
  readonly fromRevision: ReadRevision;
  readonly maxCount: number;
}

export class SimulatedEventStoreDbClient {
  /** Every `readStream` call so far, oldest first. */
  readonly streamReads: StreamRead[] = [];
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly subscriptions = new Set<{
    stream: Readable;
    push: (event: StoredEvent) => void;
  }>();
  private nextOffset = 1024n;
  private appends = 0;
  private readonly failures = new Map<string, { skip: number; error: Error }>();

  constructor() {
    this.writeSystemEvent('$settings', '$settings');
    this.writeSystemEvent('$$$users', '$metadata');
  }

  asClient(): EventStoreDbClient {
    return this as unknown as EventStoreDbClient;
  }

  get openStreams(): number {
    return this.subscriptions.size;
  }

  appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? ANY;
    const batch = Array.isArray(events) ? events : [events];
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(this.appendNow(streamName, batch, expected));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  }

  readStream(
    streamName: string,
    options: { direction?: string; fromRevision?: ReadRevision; maxCount?: number | bigint } = {},
  ): Readable {
    const stream = this.streams.get(streamName);
    const backwards = options.direction === BACKWARDS;
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromRevision ?? (backwards ? END : START);
    this.streamReads.push({
      streamName,
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: from,
      maxCount,
    });
    const selected =
      stream === undefined
        ? []
        : backwards
          ? stream
              .filter((event) => from === END || (from !== START && event.revision <= from))
              .reverse()
              .slice(0, maxCount)
          : stream
              .filter((event) => from === START || (from !== END && event.revision >= from))
              .slice(0, maxCount);
    return this.readable(
      stream === undefined ? new StreamNotFoundError(undefined, streamName) : undefined,
      selected,
    );
  }

  readAll(
    options: { direction?: string; fromPosition?: ReadPosition; maxCount?: number | bigint } = {},
  ): Readable {
    const backwards = options.direction === BACKWARDS;
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromPosition ?? (backwards ? END : START);
    const selected = backwards
      ? this.log
          .filter((event) => from === END || (from !== START && before(event.position, from)))
          .reverse()
          .slice(0, maxCount)
      : this.log
          .filter((event) => from === START || (from !== END && !before(event.position, from)))
          .slice(0, maxCount);
    return this.readable(undefined, selected);
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter } = {}): Readable & {
    unsubscribe(): Promise<void>;
  } {
    const from = options.fromPosition ?? START;
    const filter = options.filter;
    const pattern =
      filter !== undefined && 'regex' in filter ? new RegExp(filter.regex) : undefined;
    const allowed = (event: StoredEvent): boolean =>
      pattern === undefined ||
      pattern.test(filter?.filterOn === 'streamName' ? event.streamId : event.type);
    const stream = new Readable({ objectMode: true, read: () => undefined });
    const entry = {
      stream,
      push: (event: StoredEvent) => {
        if (allowed(event)) stream.push(toResolved(event));
      },
    };
    this.subscriptions.add(entry);
    stream.on('close', () => this.subscriptions.delete(entry));
    // Exclusive of the start position, like a catch-up subscription.
    for (const event of this.log) {
      if (from === START || (from !== END && before(from, event.position))) entry.push(event);
    }
    return Object.assign(stream, {
      unsubscribe: () => {
        stream.destroy();
        return Promise.resolve();
      },
    });
  }

  /** Makes an append to `streamName` fail with `error`, after `skip` successful ones. */
  failAppend(streamName: string, error: Error, skip = 0): void {
    this.failures.set(streamName, { skip, error });
  }

  /**
   * Hides a stream's events before `revision` from stream reads, as a `$tb` (truncate before) in
   * its metadata, followed by a scavenge, does: reads then start at a later revision than 0.
   */
  truncateBefore(streamName: string, revision: bigint): void {
    const stream = this.streams.get(streamName) ?? [];
    this.streams.set(
      streamName,
      stream.filter((event) => event.revision >= revision),
    );
  }

  /** Drops every live subscription with `error`, as a server restart or network fault would. */
  dropSubscriptions(error: Error): void {
    for (const { stream } of [...this.subscriptions]) stream.destroy(error);
  }

  dispose(): Promise<void> {
    for (const { stream } of [...this.subscriptions]) stream.destroy();
    return Promise.resolve();
  }

  private appendNow(
    streamName: string,
    batch: readonly EventData[],
    expected: AppendExpectedRevision,
  ): AppendResult {
    const failure = this.failures.get(streamName);
    if (failure !== undefined) {
      if (failure.skip === 0) {
        this.failures.delete(streamName);
        throw failure.error;
      }
      failure.skip -= 1;
    }
    const stream = this.streams.get(streamName) ?? [];
    const length = BigInt(stream.length);
    const current = stream.length === 0 ? NO_STREAM : length - 1n;
    const matches =
      expected === ANY ||
      (expected === NO_STREAM && stream.length === 0) ||
      (expected === STREAM_EXISTS && stream.length > 0) ||
      expected === current;
    if (!matches) {
      const idempotent = this.idempotentResult(stream, batch, expected);
      if (idempotent !== undefined) return idempotent;
      throw new WrongExpectedVersionError(undefined, { streamName, current, expected });
    }
    const recorded = batch.map((event, index) =>
      this.write(streamName, event, length + BigInt(index)),
    );
    this.streams.set(streamName, [...stream, ...recorded]);
    this.appends += 1;
    if (this.appends % 3 === 0) this.writeSystemEvent(`$stats-${this.appends}`, '$statsCollected');
    const last = recorded.at(-1) as StoredEvent;
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  /** EventStoreDB takes a batch whose ids match the events after the expected revision as a retry. */
  private idempotentResult(
    stream: readonly StoredEvent[],
    batch: readonly EventData[],
    expected: AppendExpectedRevision,
  ): AppendResult | undefined {
    if (expected !== NO_STREAM && typeof expected !== 'bigint') return undefined;
    const start = expected === NO_STREAM ? 0 : Number(expected) + 1;
    const existing = stream.slice(start, start + batch.length);
    if (existing.length !== batch.length) return undefined;
    if (!existing.every((event, index) => event.id === batch[index]?.id)) return undefined;
    const last = existing.at(-1) as StoredEvent;
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  private write(streamId: string, event: EventData, revision: bigint): StoredEvent {
    const data =
      event.contentType === 'application/json'
        ? JSON.stringify(event.data)
        : Buffer.from(event.data).toString('base64');
    const metadata = event.metadata === undefined ? undefined : JSON.stringify(event.metadata);
    const stored: StoredEvent = {
      streamId,
      id: event.id,
      revision,
      type: event.type,
      data,
      metadata,
      isJson: event.contentType === 'application/json',
      created: new Date(),
      position: { commit: this.nextOffset, prepare: this.nextOffset },
    };
    this.nextOffset += BigInt(128 + data.length + (metadata?.length ?? 0));
    this.log.push(stored);
    for (const subscription of this.subscriptions) subscription.push(stored);
    return stored;
  }

  private writeSystemEvent(streamId: string, type: string): void {
    const revision = BigInt(this.streams.get(streamId)?.length ?? 0);
    const stored = this.write(
      streamId,
      {
        id: crypto.randomUUID(),
        contentType: 'application/json',
        type,
        data: {},
        metadata: undefined,
      },
      revision,
    );
    this.streams.set(streamId, [...(this.streams.get(streamId) ?? []), stored]);
  }

  private readable(error: Error | undefined, events: readonly StoredEvent[]): Readable {
    async function* generate(): AsyncGenerator<unknown> {
      await Promise.resolve();
      if (error !== undefined) throw error;
      for (const event of events) yield toResolved(event);
    }
    return Readable.from(generate());
  }
}

function before(a: Position, b: Position): boolean {
  return a.commit < b.commit || (a.commit === b.commit && a.prepare < b.prepare);
}

function toResolved(event: StoredEvent): { event: unknown } {
  return {
    event: {
      streamId: event.streamId,
      id: event.id,
      revision: event.revision,
      type: event.type,
      created: event.created,
      isJson: event.isJson,
      data: event.isJson ? (JSON.parse(event.data) as unknown) : Buffer.from(event.data, 'base64'),
      metadata: event.metadata === undefined ? undefined : (JSON.parse(event.metadata) as unknown),
      position: event.position,
    },
  };
}
