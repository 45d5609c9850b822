import type { GlobalPosition } from '../eventStore/port';
import type { Projector } from '../projections/projector';
import type { ReadScope } from '../projections/readScope';

/** One view as an answer serialises it, and where in the log it was computed. */
export interface CachedView {
  /**
   * The checkpoint the view was computed at: it stays the view while no event of its part (its
   * plan) comes after it. For a view as of a cut, the cut itself.
   */
  readonly computedAt: GlobalPosition;
  /**
   * The view's JSON without its closing brace: each answer closes it with the `asOfPosition` it
   * reflects, so a hit costs a concatenation rather than a computation and a JSON.stringify.
   */
  readonly open: string;
  /** For a view as of a cut: the position the answer names, fixed with the cut. */
  readonly asOfPosition?: GlobalPosition;
  /** The last answer closed from it: every read at the same position answers the same text. */
  closed?: { readonly asOfPosition: GlobalPosition; readonly body: string };
}

/** Views kept per projector: a few per plan and audience, each a few kilobytes to a few hundred. */
export const DEFAULT_VIEW_CACHE_ENTRIES = 256;

/**
 * Computed views, least recently used first out. A key names the view (route and query), the
 * plan, the audience (the read scope the caller's role gives: one audience's answer is never
 * another's) and, for a view as of a cut, the cut; whether an entry is still the view now is for
 * the caller to say from the log (`Projector.partChangedAt`), since only it knows what moved.
 */
export class ViewCache {
  private readonly entries = new Map<string, CachedView>();
  /** What views measured against the clock keep of their work: the part the instant leaves alone. */
  private readonly inputs = new Map<
    string,
    { readonly computedAt: GlobalPosition; readonly value: unknown }
  >();
  private hitCount = 0;
  private missCount = 0;

  constructor(private readonly maxEntries = DEFAULT_VIEW_CACHE_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  /** The entry under `key` if it was computed at `validFrom` or later; an older one is dropped. */
  get(key: string, validFrom: GlobalPosition): CachedView | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.computedAt < validFrom) {
      if (entry !== undefined) this.entries.delete(key);
      this.missCount++;
      return undefined;
    }
    // Moved to the end: the Map's order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hitCount++;
    return entry;
  }

  set(key: string, entry: CachedView): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    evictOldest(this.entries, this.maxEntries);
  }

  /**
   * The value kept under `key` if computed at `validFrom` or later; else `make()`, kept as computed
   * at `computedAt`. One key holds one kind of value: the caller's key names what it is.
   */
  remember<T>(
    key: string,
    validFrom: GlobalPosition,
    computedAt: GlobalPosition,
    make: () => T,
  ): T {
    const kept = this.inputs.get(key);
    if (kept !== undefined && kept.computedAt >= validFrom) {
      this.inputs.delete(key);
      this.inputs.set(key, kept);
      return kept.value as T;
    }
    const value = make();
    this.inputs.set(key, { computedAt, value });
    evictOldest(this.inputs, this.maxEntries);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Answers served from the cache and answers computed, since the start. */
  get stats(): { readonly hits: number; readonly misses: number } {
    return { hits: this.hitCount, misses: this.missCount };
  }
}

/** Drops the least recently used entries (the Map's first) beyond `max`. */
function evictOldest(map: Map<string, unknown>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done === true) return;
    map.delete(oldest.value);
  }
}

/** The audience a read scope names: part of every key. */
export function audienceOf(scope: ReadScope): string {
  return scope.kind === 'all' ? 'all' : `own:${scope.memberState}`;
}

/**
 * The key of one view: the route's view name and query, the plan, the audience, and the cut when
 * the read is as of one. Parts are joined with a character no plan id, view name or code holds.
 */
export function viewKey(name: string, planId: string, scope: ReadScope, cut?: string): string {
  const key = `${name}\n${planId}\n${audienceOf(scope)}`;
  return cut === undefined ? key : `${key}\n${cut}`;
}

/** `{"a":1` and a position → `{"a":1,"asOfPosition":7}`, as `{ ...view, asOfPosition }` would. */
export function closeView(open: string, asOfPosition: GlobalPosition): string {
  return `${open}${open.length > 1 ? ',' : ''}"asOfPosition":${asOfPosition}}`;
}

/** `closeView(view.open, asOfPosition)`, made once per position the view is answered at. */
export function closedView(view: CachedView, asOfPosition: GlobalPosition): string {
  const closed = view.closed;
  if (closed !== undefined && closed.asOfPosition === asOfPosition) return closed.body;
  const body = closeView(view.open, asOfPosition);
  view.closed = { asOfPosition, body };
  return body;
}

/** A view serialised open-ended (see `CachedView.open`). */
export function openView(view: object): string {
  const json = JSON.stringify(view);
  return json.slice(0, -1);
}

const caches = new WeakMap<Projector, ViewCache>();

/**
 * The cache of the views computed from one projector's read models: one per projector, so every
 * router of an app shares it and two apps (tests) never do.
 */
export function viewCacheOf(projector: Projector): ViewCache {
  let cache = caches.get(projector);
  if (cache === undefined) {
    cache = new ViewCache();
    caches.set(projector, cache);
  }
  return cache;
}
