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

describe('live reads and the log head', () => {
  /** A log of no events whose head reads are counted, and whose head can be moved. */
  function countedSource() {
    const source = {
      head: 0,
      headReads: 0,
      headPosition: (): Promise<GlobalPosition> => {
        source.headReads++;
        return Promise.resolve(source.head);
      },
      readAll: (): Promise<readonly RecordedEvent[]> => Promise.resolve([]),
      readStream: () => Promise.resolve({ version: 0, events: [] }),
    };
    return source;
  }

  const aLiveRead = () => ({ locals: {}, setHeader: () => undefined }) as unknown as Response;

  it('share one head read among the reads that arrive together', async () => {
    const source = countedSource();
    const projector = new Projector(source, [planReadModel]);
    await projector.catchUp();
    const before = source.headReads;

    await Promise.all(
      Array.from({ length: 5 }, () => readState(projector, planReadModel, undefined, aLiveRead())),
    );

    expect(source.headReads - before).toBe(1);
  });

  it('read the head again for a read that arrives once the shared one has started', async () => {
    const source = countedSource();
    const projector = new Projector(source, [planReadModel]);
    const first = readState(projector, planReadModel, undefined, aLiveRead());
    // The first read's head read starts on the next turn; this one comes after it.
    await new Promise((resolve) => setImmediate(resolve));
    const before = source.headReads;
    const second = readState(projector, planReadModel, undefined, aLiveRead());
    await Promise.all([first, second]);

    expect(source.headReads).toBeGreaterThan(before);
  });
});
