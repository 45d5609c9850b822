import {
  START,
  excludeSystemEvents,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import type { GlobalPosition, RecordedEvent, SubscribeOptions, Subscription } from '../port';
import { reportSubscriptionError } from '../catchUpSubscription';
import type { LogEventFilter } from './recordedEvent';
import { isAfter, toReadPosition } from './translation';

/**
 * Reported through `onError` when the server call of a subscription failed or ended while it was
 * open (a node restarting, a leader election, the network, a server that closed the call). The
 * subscription has stopped; its owner subscribes again from the last event it applied.
 */
export class SubscriptionDroppedError extends Error {
  override readonly name = 'SubscriptionDroppedError';
  constructor(
    /** The port position of the last event delivered, or the start when none was. */
    readonly lastDelivered: GlobalPosition,
    cause: unknown,
  ) {
    super(
      `EventStoreDB subscription dropped after log position ${lastDelivered} (${describe(cause)})`,
      { cause },
    );
  }
}

/** Wraps a failure of the subscriber, so it is not taken for a dropped connection. */
class DeliveryFailure extends Error {
  constructor(readonly failure: unknown) {
    super('The subscriber failed');
  }
}

/**
 * A catch-up subscription to `$all` (server-side `excludeSystemEvents` filter, then the store's
 * own filter: key records hidden, other writers' events skipped and counted). Events are delivered
 * one at a time, awaiting `onEvent`.
 *
 * It makes one server call and never resubscribes by itself: whatever stops it (a dropped or ended
 * call, as `SubscriptionDroppedError`; an own event it cannot read; a failing `onEvent`) stops it
 * for good and goes to `onError` once, or is rethrown as an uncaught exception without one, as
 * every adapter's subscription does. Recovery has one owner, the caller (the projection feed),
 * which knows where its read models stand and can tell a passing drop from a lasting failure.
 */
export class EventStoreDbSubscription implements Subscription {
  private closed = false;
  private live: AllStreamSubscription | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly client: Pick<EventStoreDBClient, 'subscribeToAll'>,
    private readonly options: SubscribeOptions,
    private readonly filter: LogEventFilter,
    private readonly onStopped: (subscription: EventStoreDbSubscription) => void,
  ) {
    this.done = this.run(toReadPosition(options.fromPosition));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.live !== undefined) await stop(this.live);
    await this.done;
  }

  private async run(start: typeof START | Position): Promise<void> {
    let watermark: Position | undefined = start === START ? undefined : start;
    let lastDelivered = this.options.fromPosition;
    // Start a tick later, so the owner has registered this subscription before it can stop.
    await Promise.resolve();
    if (this.closed) {
      this.onStopped(this);
      return;
    }
    const live = this.client.subscribeToAll({ fromPosition: start, filter: excludeSystemEvents() });
    this.live = live;
    try {
      let dropped: unknown = new Error('the server ended the subscription');
      try {
        for await (const resolved of live) {
          if (this.closed) break;
          const event = resolved.event;
          if (event === undefined || !isAfter(event.position, watermark)) continue;
          watermark = event.position;
          // Throws, naming the position, for an own event it cannot read: not a drop.
          const own = this.convert(() => this.filter.toPortEvent(event));
          if (own === undefined) continue;
          await this.deliver(own);
          lastDelivered = own.globalPosition;
        }
      } catch (error) {
        if (error instanceof DeliveryFailure) throw error;
        dropped = error;
      }
      if (!this.closed) throw new SubscriptionDroppedError(lastDelivered, dropped);
    } catch (failure) {
      this.closed = true;
      reportSubscriptionError(
        this.options,
        failure instanceof DeliveryFailure ? failure.failure : failure,
      );
    } finally {
      this.live = undefined;
      await stop(live);
      this.onStopped(this);
    }
  }

  private convert(toPortEvent: () => RecordedEvent | undefined): RecordedEvent | undefined {
    try {
      return toPortEvent();
    } catch (error) {
      throw new DeliveryFailure(error);
    }
  }

  private async deliver(event: RecordedEvent): Promise<void> {
    try {
      await this.options.onEvent(event);
    } catch (error) {
      throw new DeliveryFailure(error);
    }
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
