/**
 * How a read answers `X-Min-Position` when the log has the position but this replica's projections
 * cannot reach it (a store that lags behind its own head, as a replica reading a follower can).
 */
import type { Response } from 'express';
import { readState } from '../../src/api/routes/readSide';
import { HttpProblem } from '../../src/api/problems';
import type { GlobalPosition, RecordedEvent } from '../../src/eventStore/port';
import { planReadModel } from '../../src/projections/planReadModel';
import { Projector, type ProjectorSource } from '../../src/projections/projector';

/** A log whose head is at 10 but whose events cannot be read yet. */
const laggingSource: ProjectorSource = {
  headPosition: (): Promise<GlobalPosition> => Promise.resolve(10),
  readAll: (): Promise<readonly RecordedEvent[]> => Promise.resolve([]),
  readStream: () => Promise.resolve({ version: 0, events: [] }),
};

function aResponse(minPosition: number) {
  const headers = new Map<string, string>();
  const response = {
    locals: { readConsistency: { minPosition, waitMs: 0 } },
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
  };
  return { response: response as unknown as Response, headers };
}

describe('readState with X-Min-Position', () => {
  it('is 503 projections_behind with Retry-After: 1 for a position at or below the head', async () => {
    const projector = new Projector(laggingSource, [planReadModel]);
    const { response, headers } = aResponse(10);

    const outcome = readState(projector, planReadModel, undefined, response);

    await expect(outcome).rejects.toMatchObject({
      status: 503,
      code: 'projections_behind',
      extensions: { minPosition: 10, checkpoint: 0 },
    });
    expect(headers.get('retry-after')).toBe('1');
  });

  it('is 400 min_position_beyond_head beyond it, with no Retry-After', async () => {
    const projector = new Projector(laggingSource, [planReadModel]);
    const { response, headers } = aResponse(11);

    const error: unknown = await readState(projector, planReadModel, undefined, response).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(HttpProblem);
    expect(error).toMatchObject({
      status: 400,
      code: 'min_position_beyond_head',
      extensions: { minPosition: 11, headPosition: 10 },
    });
    expect(headers.has('retry-after')).toBe(false);
  });
});
