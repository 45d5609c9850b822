import {
  STREAM_STATE_CACHE_CAPACITY,
  StreamStateCache,
  type StateOwner,
} from '../../src/application/streamStateCache';

interface Counter {
  readonly count: number;
}

const counter: StateOwner<Counter> = { initialState: () => ({ count: 0 }) };
const otherOwner: StateOwner<Counter> = { initialState: () => ({ count: 0 }) };

const folded = (version: number) => ({ version, state: { count: version } });

function keptStreams(cache: StreamStateCache, streamIds: readonly string[]): string[] {
  return streamIds.filter((streamId) => cache.get(streamId, counter) !== undefined);
}

describe('StreamStateCache', () => {
  it('knows nothing of a stream it was not given', () => {
    expect(new StreamStateCache().get('pledge-1', counter)).toBeUndefined();
  });

  it('returns the folded state kept for a stream, the very value given', () => {
    const cache = new StreamStateCache();
    const state = { count: 3 };

    cache.set('pledge-1', counter, { version: 3, state });

    expect(cache.get('pledge-1', counter)).toEqual({ version: 3, state });
    expect(cache.get('pledge-1', counter)?.state).toBe(state);
  });

  it('returns a state only to the owner that folded it', () => {
    const cache = new StreamStateCache();
    cache.set('pledge-1', counter, folded(3));

    expect(cache.get('pledge-1', otherOwner)).toBeUndefined();

    cache.set('pledge-1', otherOwner, folded(1));
    expect(cache.get('pledge-1', otherOwner)).toEqual(folded(1));
    expect(cache.get('pledge-1', counter)).toBeUndefined();
  });

  it('keeps the later version when an earlier one arrives last', () => {
    const cache = new StreamStateCache();
    cache.set('pledge-1', counter, folded(5));

    cache.set('pledge-1', counter, folded(4));
    expect(cache.get('pledge-1', counter)).toEqual(folded(5));

    cache.set('pledge-1', counter, folded(6));
    expect(cache.get('pledge-1', counter)).toEqual(folded(6));
  });

  it('forgets a deleted stream', () => {
    const cache = new StreamStateCache();
    cache.set('pledge-1', counter, folded(2));

    cache.delete('pledge-1');

    expect(cache.get('pledge-1', counter)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently set stream beyond its capacity', () => {
    const cache = new StreamStateCache(3);
    for (const streamId of ['a', 'b', 'c', 'd']) cache.set(streamId, counter, folded(1));

    expect(cache.size).toBe(3);
    expect(keptStreams(cache, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd']);
  });

  it('counts a read or a new version as a use, so the least recently used goes first', () => {
    const cache = new StreamStateCache(3);
    for (const streamId of ['a', 'b', 'c']) cache.set(streamId, counter, folded(1));

    cache.get('a', counter);
    cache.set('b', counter, folded(2));
    cache.set('d', counter, folded(1));

    expect(cache.size).toBe(3);
    expect(cache.get('c', counter)).toBeUndefined();
    expect(keptStreams(cache, ['a', 'b', 'd'])).toEqual(['a', 'b', 'd']);
  });

  it(`is bounded by default to ${STREAM_STATE_CACHE_CAPACITY} streams`, () => {
    const cache = new StreamStateCache();
    const streamIds = Array.from(
      { length: STREAM_STATE_CACHE_CAPACITY + 5 },
      (_, index) => `pledge-${index}`,
    );

    for (const streamId of streamIds) cache.set(streamId, counter, folded(1));

    expect(cache.capacity).toBe(STREAM_STATE_CACHE_CAPACITY);
    expect(cache.size).toBe(STREAM_STATE_CACHE_CAPACITY);
    expect(keptStreams(cache, streamIds.slice(0, 5))).toEqual([]);
    expect(keptStreams(cache, streamIds.slice(5))).toHaveLength(STREAM_STATE_CACHE_CAPACITY);
  });

  it('keeps nothing with capacity 0', () => {
    const cache = new StreamStateCache(0);

    cache.set('pledge-1', counter, folded(1));

    expect(cache.size).toBe(0);
    expect(cache.get('pledge-1', counter)).toBeUndefined();
  });

  it('refuses a capacity that is not a non-negative integer', () => {
    for (const capacity of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new StreamStateCache(capacity)).toThrow(RangeError);
    }
  });
});
