import {
  START,
  excludeSystemEvents,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { SubscribeOptions, Subscription } from '../port';
import { reportSubscriptionError } from '../catchUpSubscription';
import { isPortEvent } from './idempotency';
import { toRecordedEvent } from './recordedEvent';
import { isAfter, toReadPosition } from './translation';

export interface ResubscribeBackoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** Reported through `onError` when a subscription dropped; it resubscribes after `retryInMs`. */
export class SubscriptionDroppedError extends Error {
  override readonly name = 'SubscriptionDroppedError';
  constructor(
    readonly retryInMs: number,
    cause: unknown,
  ) {
    super(`EventStoreDB subscription dropped; resubscribing in ${retryInMs} ms`, { cause });
  }
}

/** Wraps what must stop a subscription for good (as opposed to a dropped connection). */
class DeliveryFailure extends Error {
  constructor(readonly failure: unknown) {
    super('The subscriber failed');
  }
}

/**
 * A catch-up subscription to `$all` (server-side `excludeSystemEvents` filter, then the port's
 * own filter for key records). Events are delivered one at a time, awaiting `onEvent`. When the
 * subscription errors or ends while open, it resubscribes from the last event it saw, after a
 * delay that doubles from `initialDelayMs` to `maxDelayMs` and resets on progress, reporting each
 * drop as a `SubscriptionDroppedError`. An error from `onEvent` (or an event it cannot convert)
 * stops it and goes to `onError`, or is rethrown as an uncaught exception without one.
 */
export class EventStoreDbSubscription implements Subscription {
  private closed = false;
  private live: AllStreamSubscription | undefined;
  private wake: (() => void) | undefined;
  private readonly start: typeof START | Position;
  private readonly done: Promise<void>;

  constructor(
    private readonly client: Pick<EventStoreDBClient, 'subscribeToAll'>,
    private readonly options: SubscribeOptions,
    private readonly backoff: ResubscribeBackoff,
    private readonly onStopped: (subscription: EventStoreDbSubscription) => void,
  ) {
    this.start = toReadPosition(options.fromPosition);
    this.done = this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    if (this.live !== undefined) await stop(this.live);
    await this.done;
  }

  private async run(): Promise<void> {
    let resumeFrom: ReadPosition = this.start;
    let watermark = this.start === START ? undefined : this.start;
    let delayMs = this.backoff.initialDelayMs;
    // Start a tick later, so the owner has registered this subscription before it can stop.
    await Promise.resolve();
    try {
      while (!this.closed) {
        const live = this.client.subscribeToAll({
          fromPosition: resumeFrom,
          filter: excludeSystemEvents(),
        });
        this.live = live;
        let dropped: unknown = new Error('The subscription ended');
        try {
          for await (const resolved of live) {
            if (this.closed) break;
            const event = resolved.event;
            if (event === undefined || !isAfter(event.position, watermark)) continue;
            delayMs = this.backoff.initialDelayMs;
            if (isPortEvent(event)) await this.deliver(event);
            watermark = event.position;
            resumeFrom = event.position;
          }
        } catch (error) {
          if (error instanceof DeliveryFailure) throw error;
          dropped = error;
        } finally {
          this.live = undefined;
          await stop(live);
        }
        if (this.closed) return;
        this.options.onError?.(new SubscriptionDroppedError(delayMs, dropped));
        await this.sleep(delayMs);
        delayMs = Math.min(delayMs * 2, this.backoff.maxDelayMs);
      }
    } catch (failure) {
      this.closed = true;
      reportSubscriptionError(
        this.options,
        failure instanceof DeliveryFailure ? failure.failure : failure,
      );
    } finally {
      this.onStopped(this);
    }
  }

  private async deliver(event: EsdbRecordedEvent): Promise<void> {
    try {
      await this.options.onEvent(toRecordedEvent(event));
    } catch (error) {
      throw new DeliveryFailure(error);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      timer.unref();
      this.wake = finish;
    });
  }
}

/** Cancels the server call and ends the stream, so a pending iteration finishes. */
async function stop(subscription: AllStreamSubscription): Promise<void> {
  try {
    await subscription.unsubscribe();
  } catch {
    // Already failed or cancelled: nothing left to stop.
  }
  subscription.destroy();
}
