import type { Request, Response } from 'express';
import type { Projection } from '../../projections/projection';
import type { Projector } from '../../projections/projector';
import type { GlobalPosition } from '../../eventStore/port';
import { decodeRecordedEvent } from '../../events/trackerRecordedEvent';
import { HttpProblem } from '../problems';
import type { ReadScope } from '../../projections/readScope';
import {
  closeView,
  closedView,
  openView,
  viewCacheOf,
  viewKey,
  type CachedView,
} from '../viewCache';

export type AsOf = { readonly timestamp: string } | { readonly position: number };

/** Set by the consistency middleware from `X-Min-Position`. */
export interface ReadConsistency {
  readonly minPosition?: GlobalPosition;
  readonly waitMs: number;
}

/**
 * The state a GET answers from. Live reads are consistent with the log: a client that names the
 * position of its last write (`X-Min-Position`, from the write's `X-Log-Position`) is served as
 * soon as the projections fed by the subscription reach it, waiting briefly and boundedly; any
 * other read first catches the projections up with the log's head. Either way a client reads its
 * own writes, on whichever replica it lands. `asOf` reads rebuild the state as it stood then.
 */
export async function readState<S>(
  projector: Projector,
  projection: Projection<S>,
  asOf: AsOf | undefined,
  response: Response,
  /** A read of one plan: an `asOf` read then loads and folds that plan alone. */
  planId?: string,
): Promise<{ state: S; position: GlobalPosition; asOf?: AsOf }> {
  await reachConsistency(projector, response);
  if (asOf === undefined) {
    return { state: projector.state(projection), position: projector.checkpoint };
  }
  const { state, position } = await projector.stateAsOf(projection, asOf, planId);
  return { state, position, asOf };
}

/** See `PlanViewRead.compute`: `name` tells apart what one view keeps. */
export type Keep = <T>(name: string, make: () => T) => T;

const computeEachTime: Keep = (_name, make) => make();

/** One view of one plan, as `sendView` computes, caches and answers it. */
export interface PlanViewRead<S> {
  /** The read model in parts the view is computed from (its part: the plan). */
  readonly projection: Projection<S>;
  readonly planId: string;
  /** The view and every query parameter it depends on besides `asOf`, e.g. `totals?view=adopted`. */
  readonly name: string;
  /** What the caller's role lets it see: answers are computed, and kept, per scope. */
  readonly scope: ReadScope;
  readonly asOf: AsOf | undefined;
  /**
   * For a view measured against time (see `referenceInstant`): the server's clock. A live read of
   * such a view is computed every time, since its instant moves with the clock; a read as of a
   * cut is kept with the cut, and with the instant when the cut is one.
   */
  readonly clock?: () => Date;
  /**
   * The view from the plan's state; throws the answer's problem when there is none. `keep` hands
   * back what `make` computes, kept while the plan does not move (a live view measured against
   * the clock keeps there the work its instant does not change); it must be read, never changed.
   */
  readonly compute: (state: S, instant: string | undefined, keep: Keep) => object;
}

/**
 * Answers a view of one plan (`{ ...view, asOfPosition }`, as `readState` and `response.json`
 * would) from the view cache when it holds the view at the position the read is served at:
 * computed once per view, plan, audience and log position, and kept until an event of that plan
 * comes. A live read first reaches consistency exactly as `readState`; the state is then read,
 * and the view computed, with no await between them, so the position a view is kept under is the
 * one it was computed at.
 */
export async function sendView<S>(
  projector: Projector,
  response: Response,
  read: PlanViewRead<S>,
): Promise<void> {
  await reachConsistency(projector, response);
  const cache = viewCacheOf(projector);
  const { asOf, planId } = read;
  let body: string;
  if (asOf === undefined) {
    const position = projector.checkpoint;
    if (read.clock !== undefined) {
      const validFrom = projector.partChangedAt(read.projection, planId);
      const keep: Keep = (name, make) =>
        cache.remember(
          viewKey(`${read.name}#${name}`, planId, read.scope),
          validFrom,
          position,
          make,
        );
      const view = read.compute(projector.state(read.projection), read.clock().toISOString(), keep);
      body = closeView(openView(view), position);
    } else {
      const key = viewKey(read.name, planId, read.scope);
      let cached = cache.get(key, projector.partChangedAt(read.projection, planId));
      if (cached === undefined) {
        cached = {
          computedAt: position,
          open: openView(
            read.compute(projector.state(read.projection), undefined, computeEachTime),
          ),
        };
        cache.set(key, cached);
      }
      body = closedView(cached, position);
    }
  } else {
    const until = await projector.positionOf(asOf);
    // A cut within what the read models have folded names a past that no longer changes; one
    // beyond it (a position the log does not have yet) is computed every time.
    const settled = until <= projector.checkpoint;
    const instantKey = read.clock !== undefined && 'timestamp' in asOf ? asOf.timestamp : '';
    const key = viewKey(read.name, planId, read.scope, `${until}@${instantKey}`);
    let cached: CachedView | undefined = settled ? cache.get(key, 0) : undefined;
    if (cached === undefined) {
      const { state, position } = await projector.stateAsOf(
        read.projection,
        { position: until },
        planId,
      );
      const instant =
        read.clock === undefined
          ? undefined
          : await referenceInstant(projector, { position, asOf }, read.clock);
      cached = {
        computedAt: until,
        asOfPosition: position,
        open: openView(read.compute(state, instant, computeEachTime)),
      };
      if (settled) cache.set(key, cached);
    }
    body = closedView(cached, cached.asOfPosition ?? until);
  }
  sendJsonText(response, body);
}

/**
 * Answers JSON already serialised, as `response.send` would: on a plain GET the text goes to
 * `end` as it is, so Node writes the head and the body as one string, one write to the socket,
 * and sets Content-Length itself; express's `send` would first copy a body of 1,000 bytes or more
 * into a Buffer, written after the head as a second chunk. A HEAD, or a request with a
 * precondition (express answers 304 when it holds), still goes through `send`.
 */
export function sendJsonText(response: Response, body: string): void {
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  const { method, headers } = response.req;
  if (
    method !== 'GET' ||
    headers['if-none-match'] !== undefined ||
    headers['if-modified-since'] !== undefined
  ) {
    response.send(body);
    return;
  }
  response.end(body);
}

/**
 * The instant a view measured against time (pace, months ended) is measured at: the `asOf`
 * instant when `asOf` is a time; when it is a log position, the time the last event at or before
 * the cut was recorded (the log's own clock at that cut); for a live read, the server's clock.
 */
export async function referenceInstant(
  projector: Projector,
  read: { readonly position: GlobalPosition; readonly asOf?: AsOf },
  clock: () => Date,
): Promise<string> {
  const { asOf, position } = read;
  if (asOf !== undefined && 'timestamp' in asOf) return new Date(asOf.timestamp).toISOString();
  if (asOf !== undefined && position > 0) {
    const [event] = await projector.source.readAll({ fromPosition: position - 1, maxCount: 1 });
    if (event !== undefined) return decodeRecordedEvent(event).metadata.recordedAt;
  }
  return clock().toISOString();
}

/**
 * For reads served from the store (histories, the audit feed): the log position they read up to,
 * after the same consistency wait as `readState`: the live checkpoint, or the `asOf` cut.
 */
export async function readCut(
  projector: Projector,
  asOf: AsOf | undefined,
  response: Response,
): Promise<GlobalPosition> {
  await reachConsistency(projector, response);
  return asOf === undefined ? projector.checkpoint : projector.positionOf(asOf);
}

/** The catch-up that reads arriving now will share, per projector, until it starts. */
const nextCatchUps = new WeakMap<Projector, Promise<GlobalPosition>>();

/**
 * `projector.catchUp()` for a read, shared by every read that asks before it starts: it starts
 * once the event loop has handled the requests it was given in this turn (`setImmediate`), so
 * each read sharing it arrived before it read the log's head, and sees every write acknowledged
 * before it was sent, as its own catch-up would have. Under load one head read serves every read
 * of a turn rather than each its own.
 */
function sharedCatchUp(projector: Projector): Promise<GlobalPosition> {
  let next = nextCatchUps.get(projector);
  if (next === undefined) {
    next = new Promise<GlobalPosition>((resolve, reject) => {
      setImmediate(() => {
        nextCatchUps.delete(projector);
        projector.catchUp().then(resolve, reject);
      });
    });
    nextCatchUps.set(projector, next);
  }
  return next;
}

async function reachConsistency(projector: Projector, response: Response): Promise<void> {
  const consistency = (response.locals as { readConsistency?: ReadConsistency }).readConsistency;
  const minPosition = consistency?.minPosition;
  if (minPosition !== undefined && projector.checkpoint < minPosition) {
    // A position the log does not have is the client's mistake, not a lag: no wait would help.
    const headPosition = await projector.headPosition();
    if (minPosition > headPosition) {
      throw new HttpProblem(
        400,
        'min_position_beyond_head',
        `X-Min-Position ${minPosition} is beyond the log's head (${headPosition}): no event has that position yet. Send the X-Log-Position a write answered with.`,
        { minPosition, headPosition },
      );
    }
  }
  if (
    minPosition === undefined ||
    !(await projector.waitFor(minPosition, consistency?.waitMs ?? 0))
  ) {
    await sharedCatchUp(projector);
  }
  if (minPosition !== undefined && projector.checkpoint < minPosition) {
    // The log has the position but this replica's projections could not reach it in time.
    response.setHeader('Retry-After', '1');
    throw new HttpProblem(
      503,
      'projections_behind',
      `The read models have not reached log position ${minPosition} yet; retry shortly`,
      { minPosition, checkpoint: projector.checkpoint },
    );
  }
  response.setHeader('X-Log-Position', String(projector.checkpoint));
}

/**
 * RFC 8288 `Link: <…>; rel="next"` for a paged answer: the same request with `after` moved on, so
 * a client can follow pages without building URLs.
 */
export function setNextLink(
  request: Request,
  response: Response,
  nextAfter: number | string | null,
  parameter = 'after',
): void {
  if (nextAfter === null) return;
  const url = new URL(request.originalUrl, 'http://tracker.invalid');
  url.searchParams.set(parameter, String(nextAfter));
  response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
}
