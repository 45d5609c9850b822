import { assertNonNegativeInteger } from './adapterRules';
import type { GlobalPosition, RecordedEvent, SubscribeOptions, Subscription } from './port';

export interface CatchUpSubscriptionConfig {
  readonly options: SubscribeOptions;
  /** Reads committed events with `globalPosition > fromPosition`, in order. */
  readonly read: (fromPosition: GlobalPosition, maxCount: number) => readonly RecordedEvent[];
  readonly batchSize: number;
  /** Re-read this often while idle, to see writes `notify()` cannot signal (other processes). */
  readonly pollIntervalMs?: number;
  readonly onStopped: (subscription: CatchUpSubscription) => void;
}

/**
 * Catch-up then follow: reads the log in batches from `fromPosition`, awaiting `onEvent` for
 * each event, then sleeps until `notify()`, the poll timer or `close()` wakes it. Because it
 * always reads from the last delivered position, each event is delivered once and in order.
 *
 * An error from `onEvent` or a read stops the subscription and goes to `onError`; without one it
 * is rethrown as an uncaught exception, like an unhandled `'error'` event, so a dead projection is
 * not silent. Do not await `close()` from inside `onEvent`: close waits for that very delivery.
 */
export class CatchUpSubscription implements Subscription {
  private closed = false;
  private signalled = false;
  private wake: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(private readonly config: CatchUpSubscriptionConfig) {
    assertNonNegativeInteger(config.options.fromPosition, 'fromPosition');
    this.done = this.run();
  }

  /** Something was committed: read again now instead of waiting for the next poll. */
  notify(): void {
    this.signalled = true;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    const { options, read, batchSize } = this.config;
    let position = options.fromPosition;
    // Start a tick later, so the owner has registered this subscription before it can stop.
    await Promise.resolve();
    try {
      while (!this.closed) {
        this.signalled = false;
        const batch = read(position, batchSize);
        for (const event of batch) {
          if (this.closed) return;
          await options.onEvent(event);
          position = event.globalPosition;
        }
        if (batch.length < batchSize) await this.waitForSignal();
      }
    } catch (error) {
      this.closed = true;
      reportSubscriptionError(this.config.options, error);
    } finally {
      this.config.onStopped(this);
    }
  }

  private waitForSignal(): Promise<void> {
    if (this.signalled || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      if (this.config.pollIntervalMs !== undefined) {
        timer = setTimeout(finish, this.config.pollIntervalMs);
        timer.unref();
      }
      this.wake = finish;
    });
  }
}

/**
 * Hands a subscription's failure to `onError`; without one (or if it throws) the error becomes an
 * uncaught exception, like an unhandled `'error'` event, so a dead projection is never silent.
 */
export function reportSubscriptionError(
  options: Pick<SubscribeOptions, 'onError'>,
  error: unknown,
): void {
  try {
    if (options.onError === undefined) throw error;
    options.onError(error);
  } catch (uncaught) {
    process.nextTick(() => {
      throw uncaught;
    });
  }
}
