import {
  AuditTreeMismatchError,
  StoreUnavailableError,
  StreamIntegrityError,
  type EventStore,
  type GlobalPosition,
  type Subscription,
} from '../eventStore/port';
import { UndecodableEventError } from '../events/trackerRecordedEvent';
import type { Projector } from './projector';

export type FeedLogger = (entry: Record<string, unknown>) => void;

export interface ProjectionFeedOptions {
  /** With events waiting and no progress for this long, the subscription is restarted. Default 15 s. */
  readonly stallAfterMs?: number;
  /** How often the watchdog compares the head with the checkpoint. Default 5 s. */
  readonly watchdogIntervalMs?: number;
  /** Lag older than this makes the service not ready. Default 10 s. */
  readonly notReadyAfterMs?: number;
  /** Delay before the first restart of a failed subscription; it doubles up to 10 s. Default 500 ms. */
  readonly restartDelayMs?: number;
  readonly log?: FeedLogger;
  readonly now?: () => number;
}

export interface ProjectionStatus {
  readonly ready: boolean;
  readonly storeReachable: boolean;
  readonly headPosition: GlobalPosition | null;
  readonly checkpoint: GlobalPosition;
  /** Head position minus checkpoint, in the store's position units. */
  readonly lag: number | null;
  /** Milliseconds since the checkpoint last moved while behind the head; 0 when caught up. */
  readonly behindForMs: number;
  readonly subscriptionRestarts: number;
  readonly lastError?: string;
}

/**
 * Feeds a projector from the store's catch-up subscription to the global log, so every replica
 * keeps its read models warm without waiting for a request.
 *
 * The feed is the one owner of recovery: a store's subscription stops at its first failure and
 * says so once, and never resubscribes by itself. A subscription that fails for a passing reason
 * (a dropped connection, a server that ended the call) is restarted from the projector's
 * checkpoint with a growing backoff; one that stalls silently (the head moves, the checkpoint does
 * not) is noticed by a watchdog and restarted the same way. A failure that needs an operator (an
 * event the read models cannot decode, a damaged log) halts the feed: restarting would only read
 * into the same event again, so it stays not ready, its error naming the position, until the
 * tracker is restarted.
 */
export class ProjectionFeed {
  private subscription: Subscription | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  private backoffMs = BACKOFF_START_MS;
  private lastError: string | undefined;
  private behindSince: number | undefined;
  private stopped = false;
  /** A failure that needs an operator: no restart until the process is restarted. */
  private halted = false;
  /** Which subscription is current: a late report from an earlier one is not acted on. */
  private generation = 0;
  private readonly restartDelayMs: number;
  private readonly stallAfterMs: number;
  private readonly watchdogIntervalMs: number;
  private readonly notReadyAfterMs: number;
  private readonly log: FeedLogger;
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<EventStore, 'subscribeToAll' | 'headPosition'>,
    private readonly projector: Projector,
    options: ProjectionFeedOptions = {},
  ) {
    this.stallAfterMs = options.stallAfterMs ?? 15_000;
    this.watchdogIntervalMs = options.watchdogIntervalMs ?? 5_000;
    this.notReadyAfterMs = options.notReadyAfterMs ?? 10_000;
    this.restartDelayMs = options.restartDelayMs ?? BACKOFF_START_MS;
    this.backoffMs = this.restartDelayMs;
    this.log = options.log ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.subscribe();
    this.watchdog = setInterval(() => void this.checkProgress(), this.watchdogIntervalMs);
    this.watchdog.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
  }

  /** What /ready reports: reachable store, head, checkpoint, lag and how long it has lasted. */
  async status(): Promise<ProjectionStatus> {
    const checkpoint = this.projector.checkpoint;
    let headPosition: GlobalPosition | null = null;
    try {
      headPosition = await this.store.headPosition();
    } catch (error) {
      this.lastError = describe(error);
    }
    const lag =
      headPosition === null ? null : Math.max(0, headPosition - this.projector.checkpoint);
    const behindForMs = this.noteLag(lag);
    return {
      ready:
        !this.halted && headPosition !== null && (lag === 0 || behindForMs < this.notReadyAfterMs),
      storeReachable: headPosition !== null,
      headPosition,
      checkpoint,
      lag,
      behindForMs,
      subscriptionRestarts: this.restarts,
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
  }

  private subscribe(): void {
    const fromPosition = this.projector.checkpoint;
    const generation = ++this.generation;
    this.subscription = this.store.subscribeToAll({
      fromPosition,
      onEvent: (event) => {
        this.projector.applyEvent(event);
        this.backoffMs = this.restartDelayMs;
      },
      onError: (error) => {
        if (generation !== this.generation || this.stopped) return;
        this.lastError = describe(error);
        if (needsAnOperator(error)) {
          this.halted = true;
          this.log({
            level: 'error',
            msg: 'projection feed halted: the read models stop before this event until the tracker is restarted',
            error: this.lastError,
            checkpoint: this.projector.checkpoint,
          });
          return;
        }
        this.log({ level: 'warn', msg: 'projection subscription failed', error: this.lastError });
        this.scheduleRestart('failed');
      },
    });
  }

  private scheduleRestart(reason: string): void {
    if (this.stopped || this.halted || this.restartTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart(reason);
    }, delay);
    this.restartTimer.unref();
  }

  private async restart(reason: string): Promise<void> {
    if (this.stopped || this.halted) return;
    const previous = this.subscription;
    this.subscription = undefined;
    // From here on, what the previous subscription reports is not acted on.
    this.generation++;
    // A stalled subscription may never finish closing; do not let it hold the restart.
    await Promise.race([previous?.close().catch(() => undefined), delay(CLOSE_GRACE_MS)]);
    if (this.stopped || this.halted) return;
    this.restarts++;
    this.log({
      level: 'warn',
      msg: 'projection subscription restarted',
      reason,
      fromPosition: this.projector.checkpoint,
    });
    this.subscribe();
  }

  private noteLag(lag: number | null): number {
    if (lag === null || lag === 0) {
      this.behindSince = undefined;
      return 0;
    }
    // Behind since the later of: when we first saw the lag, and the last progress.
    const since = Math.max(this.behindSince ?? this.now(), this.projector.lastProgressAt);
    this.behindSince ??= since;
    return this.now() - since;
  }

  private async checkProgress(): Promise<void> {
    const status = await this.status();
    if (status.lag === null || status.lag === 0) return;
    this.log({
      level: 'info',
      msg: 'projection lag',
      lag: status.lag,
      behindForMs: status.behindForMs,
      checkpoint: status.checkpoint,
      headPosition: status.headPosition,
    });
    if (status.behindForMs >= this.stallAfterMs) this.scheduleRestart('stalled');
  }
}

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 10_000;
const CLOSE_GRACE_MS = 2_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Failures that no restart can cure: the same event would fail again. Everything else (a dropped
 * connection, a store out of reach, a passing error of a projection) is worth a restart.
 */
function needsAnOperator(error: unknown): boolean {
  return (
    error instanceof UndecodableEventError ||
    error instanceof StreamIntegrityError ||
    error instanceof AuditTreeMismatchError ||
    (error instanceof StoreUnavailableError && error.kind === 'corrupted')
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
