import type { Request, Response } from 'express';
import type { Projection } from '../../projections/projection';
import type { Projector } from '../../projections/projector';
import type { GlobalPosition } from '../../eventStore/port';
import { decodeRecordedEvent } from '../../events/trackerRecordedEvent';
import { HttpProblem } from '../problems';

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
    await projector.catchUp();
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
