import {
  ConcurrencyConflictError,
  type AppendOptions,
  type AppendResult,
  type AuditTree,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type IdempotencyClaim,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type StoreHealth,
  type SubscribeOptions,
  type Subscription,
} from '../eventStore/port';
import type { AppendOutcome, TrackerMetrics } from './metrics';

/** An event store that times every append into the metrics; everything else passes through. */
export class InstrumentedEventStore implements EventStore {
  readonly sizeBytes?: () => Promise<number>;

  constructor(
    private readonly inner: EventStore,
    private readonly metrics: Pick<TrackerMetrics, 'observeAppend'>,
  ) {
    if (inner.sizeBytes !== undefined)
      this.sizeBytes = () => inner.sizeBytes?.() ?? Promise.resolve(0);
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await this.inner.append(streamId, events, options);
      this.metrics.observeAppend(seconds(), result.replayed ? 'replayed' : 'appended');
      return result;
    } catch (error) {
      const outcome: AppendOutcome =
        error instanceof ConcurrencyConflictError ? 'conflict' : 'error';
      this.metrics.observeAppend(seconds(), outcome);
      throw error;
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  headPosition(): Promise<GlobalPosition> {
    return this.inner.headPosition();
  }

  findIdempotentResult(claim: IdempotencyClaim): Promise<AppendResult | undefined> {
    return this.inner.findIdempotentResult(claim);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  health(): Promise<StoreHealth> {
    return this.inner.health();
  }

  get auditTree(): AuditTree {
    return this.inner.auditTree;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
