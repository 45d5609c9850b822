/**
 * The log as a fold reads it: through a read-ahead when there is enough to fold, the store taking
 * over, from the last page folded, whenever the read-ahead fails or goes wrong.
 */
import type { GlobalPosition, ReadAllOptions, RecordedEvent } from '../../src/eventStore/port';
import { logBatches, type LogReadAhead } from '../../src/projections/wholeLog';
import { createEventLog, resettlement } from './builders';

function aLog(count: number): RecordedEvent[] {
  const log = createEventLog();
  log.planCreated();
  log.pledgingOpened();
  log.pledgeSubmitted('DE', [resettlement('TR', 100)]);
  while (log.events.length < count) {
    log.pledgeRevised('DE', [resettlement('TR', 100 + log.events.length)], 'More');
  }
  return log.events;
}

const EVENTS = aLog(40);
const HEAD = EVENTS.length;

/** The store's reads, counted. */
function storeOf(events: readonly RecordedEvent[]) {
  const reads: GlobalPosition[] = [];
  return {
    reads,
    readAll: (options: ReadAllOptions = {}) => {
      const from = options.fromPosition ?? 0;
      reads.push(from);
      return Promise.resolve(
        events
          .filter((event) => event.globalPosition > from)
          .slice(0, options.maxCount ?? Infinity),
      );
    },
  };
}

/** A read-ahead yielding the pages given (a page of one `undefined`: it throws there instead). */
function readAheadOf(
  pages: (after: GlobalPosition, until: GlobalPosition) => RecordedEvent[][],
  minEvents = 1,
): LogReadAhead & { calls: number } {
  const readAhead = {
    calls: 0,
    minEvents,
    async *batches(after: GlobalPosition, until: GlobalPosition) {
      readAhead.calls++;
      for (const page of pages(after, until)) {
        await Promise.resolve();
        if (page.length === 1 && page[0] === undefined) throw new Error('the worker died');
        yield page;
      }
    },
  };
  return readAhead;
}

function pagesOf(after: GlobalPosition, until: GlobalPosition, size: number): RecordedEvent[][] {
  const events = EVENTS.filter(
    (event) => event.globalPosition > after && event.globalPosition <= until,
  );
  const pages: RecordedEvent[][] = [];
  for (let start = 0; start < events.length; start += size) {
    pages.push(events.slice(start, start + size));
  }
  return pages;
}

async function positionsRead(
  store: ReturnType<typeof storeOf>,
  readAhead: LogReadAhead | undefined,
  from = 0,
  until = HEAD,
): Promise<GlobalPosition[]> {
  const positions: GlobalPosition[] = [];
  for await (const page of logBatches(store, readAhead, from, until, 8)) {
    positions.push(...page.map((event) => event.globalPosition));
  }
  return positions;
}

const ALL = EVENTS.map((event) => event.globalPosition);

describe('logBatches', () => {
  it('reads through the read-ahead alone when it delivers', async () => {
    const store = storeOf(EVENTS);
    const readAhead = readAheadOf((after, until) => pagesOf(after, until, 6));

    expect(await positionsRead(store, readAhead)).toEqual(ALL);
    expect(readAhead.calls).toBe(1);
    expect(store.reads).toEqual([]);
  });

  it('reads from the store when there is too little to fold for a read-ahead', async () => {
    const store = storeOf(EVENTS);
    const readAhead = readAheadOf((after, until) => pagesOf(after, until, 6), HEAD + 1);

    expect(await positionsRead(store, readAhead)).toEqual(ALL);
    expect(readAhead.calls).toBe(0);
    expect(store.reads).toEqual([0, 8, 16, 24, 32]);
  });

  it('goes on from the store after the last page folded when the read-ahead fails', async () => {
    const store = storeOf(EVENTS);
    const readAhead = readAheadOf((after, until) => [
      ...pagesOf(after, until, 6).slice(0, 2),
      [undefined as unknown as RecordedEvent],
    ]);

    expect(await positionsRead(store, readAhead)).toEqual(ALL);
    expect(store.reads[0]).toBe(12);
  });

  it('goes on from the store when the read-ahead stops short or repeats a page', async () => {
    const short = storeOf(EVENTS);
    expect(
      await positionsRead(
        short,
        readAheadOf((after, until) => pagesOf(after, until, 6).slice(0, 3)),
      ),
    ).toEqual(ALL);
    expect(short.reads[0]).toBe(18);

    const repeating = storeOf(EVENTS);
    expect(
      await positionsRead(
        repeating,
        readAheadOf((after, until) => {
          const pages = pagesOf(after, until, 6);
          return [pages[0] ?? [], pages[0] ?? [], ...pages.slice(1)];
        }),
      ),
    ).toEqual(ALL);
    expect(repeating.reads[0]).toBe(6);
  });

  it('reads only the stretch asked for', async () => {
    const store = storeOf(EVENTS);
    const readAhead = readAheadOf((after, until) => pagesOf(after, until, 6));

    expect(await positionsRead(store, readAhead, 10, 25)).toEqual(ALL.slice(10, 25));
  });
});
