import {
  STORE_RETRY_AFTER_SECONDS,
  StoreUnavailableError,
  StreamIntegrityError,
  AuditTreeMismatchError,
  type StoreHealth,
  type StoreProblem,
  type StoreProblemKind,
} from './port';

export interface StoreHealthOptions {
  /**
   * Told of each new failure once, when it is first seen (not again while it lasts): the place
   * to log it. A failure of another kind or code, or one that recurs after it was over, is new.
   */
  readonly onProblem?: (problem: StoreProblem) => void;
  readonly now?: () => number;
}

interface Seen {
  readonly kind: StoreProblemKind;
  readonly code: string;
  message: string;
  readonly firstSeenAt: number;
  lastSeenAt: number;
  occurrences: number;
  /** A later append succeeded: a passing failure is over. */
  resolved: boolean;
}

/** Damage that does not heal on its own: it keeps the store unhealthy until it is reopened. */
const LASTING: ReadonlySet<StoreProblemKind> = new Set(['corrupted', 'integrity']);

/**
 * The adapters' shared memory of their last failure. An adapter reports each error it throws
 * (`noteFailure`) and each append that succeeds (`noteAppendSucceeded`); `health()` combines that
 * with its own probe. A passing failure (full, unavailable, busy) stays active for its retry time
 * after it was last seen, or until an append succeeds; corruption and integrity stay active.
 */
export class StoreHealthMonitor {
  private seen: Seen | undefined;
  private readonly onProblem: (problem: StoreProblem) => void;
  private readonly now: () => number;

  constructor(options: StoreHealthOptions = {}) {
    this.onProblem = options.onProblem ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  /** Records a store failure (other errors, the caller's or the port's rules, are ignored). */
  noteFailure(error: unknown): void {
    const failure = describeFailure(error);
    if (failure === undefined) return;
    const now = this.now();
    const current = this.seen;
    if (
      current !== undefined &&
      current.kind === failure.kind &&
      current.code === failure.code &&
      this.isActive(current, now)
    ) {
      current.lastSeenAt = now;
      current.occurrences += 1;
      current.message = failure.message;
      return;
    }
    const seen: Seen = {
      ...failure,
      firstSeenAt: now,
      lastSeenAt: now,
      occurrences: 1,
      resolved: false,
    };
    this.seen = seen;
    this.onProblem(this.toProblem(seen, now));
  }

  noteAppendSucceeded(): void {
    if (this.seen !== undefined && !LASTING.has(this.seen.kind)) this.seen.resolved = true;
  }

  /** The store's health, given whether it answered the adapter's probe just now. */
  health(answering: boolean): StoreHealth {
    const now = this.now();
    const problem = this.seen === undefined ? undefined : this.toProblem(this.seen, now);
    return {
      ok: answering && problem?.active !== true,
      answering,
      ...(problem !== undefined && { problem }),
    };
  }

  private isActive(seen: Seen, now: number): boolean {
    if (LASTING.has(seen.kind)) return true;
    return !seen.resolved && now - seen.lastSeenAt < STORE_RETRY_AFTER_SECONDS[seen.kind] * 1000;
  }

  private toProblem(seen: Seen, now: number): StoreProblem {
    return {
      kind: seen.kind,
      code: seen.code,
      message: seen.message,
      firstSeenAt: new Date(seen.firstSeenAt).toISOString(),
      lastSeenAt: new Date(seen.lastSeenAt).toISOString(),
      occurrences: seen.occurrences,
      active: this.isActive(seen, now),
    };
  }
}

function describeFailure(
  error: unknown,
): { kind: StoreProblemKind; code: string; message: string } | undefined {
  if (error instanceof StoreUnavailableError) {
    return { kind: error.kind, code: error.code, message: error.message };
  }
  if (error instanceof StreamIntegrityError) {
    return { kind: 'integrity', code: error.code, message: error.message };
  }
  if (error instanceof AuditTreeMismatchError) {
    return { kind: 'integrity', code: 'AUDIT_TREE_MISMATCH', message: error.message };
  }
  return undefined;
}
