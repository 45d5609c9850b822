import { audienceOf, closeView, openView, ViewCache, viewKey } from '../../src/api/viewCache';
import { ALL_PARTICIPANTS, ownScope } from '../../src/projections/readScope';

describe('ViewCache', () => {
  it('answers an entry computed at or after the position asked, and drops an older one', () => {
    const cache = new ViewCache();
    cache.set('a', { computedAt: 5, open: '{"x":1' });

    expect(cache.get('a', 5)?.open).toBe('{"x":1');
    expect(cache.get('a', 3)?.open).toBe('{"x":1');
    expect(cache.get('a', 6)).toBeUndefined();
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 2, misses: 2 });
  });

  it('keeps at most its bound, the least recently used leaving first', () => {
    const cache = new ViewCache(2);
    cache.set('a', { computedAt: 1, open: '{' });
    cache.set('b', { computedAt: 1, open: '{' });
    cache.get('a', 0);
    cache.set('c', { computedAt: 1, open: '{' });

    expect(cache.size).toBe(2);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBeDefined();
    expect(cache.get('c', 0)).toBeDefined();
    expect(() => new ViewCache(0)).toThrow(RangeError);
  });

  it('closes a view as response.json({ ...view, asOfPosition }) would', () => {
    const view = { planId: '2026-2027', total: 3, nested: { a: [1, 2] }, text: 'é"\n' };

    expect(closeView(openView(view), 42)).toBe(JSON.stringify({ ...view, asOfPosition: 42 }));
    expect(closeView(openView({}), 7)).toBe(JSON.stringify({ asOfPosition: 7 }));
  });

  it('keys every audience, view and cut apart', () => {
    const keys = [
      viewKey('totals?view=pledges', '2026-2027', ALL_PARTICIPANTS),
      viewKey('totals?view=pledges', '2026-2027', ownScope('DE')),
      viewKey('totals?view=pledges', '2026-2027', ownScope('FR')),
      viewKey('totals?view=adopted', '2026-2027', ALL_PARTICIPANTS),
      viewKey('totals?view=pledges', '2028-2029', ALL_PARTICIPANTS),
      viewKey('totals?view=pledges', '2026-2027', ALL_PARTICIPANTS, '5@'),
    ];

    expect(new Set(keys).size).toBe(keys.length);
    expect(audienceOf(ownScope('DE'))).not.toBe(audienceOf(ALL_PARTICIPANTS));
  });
});
