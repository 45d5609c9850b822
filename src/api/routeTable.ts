import type { Express, Request, Router } from 'express';

/** What express's router (router 2.3+) reports of its routes: `Router#listRoutes()`. */
interface ListedRoute {
  readonly path: string | RegExp;
  /** Upper case, HEAD added for GET, `*` for `.all()`; undefined for a mounted router. */
  readonly methods?: readonly string[];
  readonly router?: unknown;
}

interface RouteLister {
  listRoutes(): readonly ListedRoute[];
}

type Segment = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'param' };

interface KnownRoute {
  readonly template: string;
  readonly segments: readonly Segment[];
  readonly methods: readonly string[];
  /** Its methods without repeats, sorted: the `allowed` of a path only this route takes. */
  readonly sortedMethods: readonly string[];
}

export interface RouteMatch {
  /** The template of the route that serves the request, or of the path when no route takes its method. */
  readonly template: string;
  /** Every method the path accepts (HEAD with GET), sorted; `*` when a route takes any. */
  readonly allowed: readonly string[];
  readonly methodAllowed: boolean;
}

export const UNMATCHED_ROUTE = 'unmatched';

/** The request's match, kept for the other askers of the same request (guard, log, metrics). */
interface KeptMatch {
  readonly method: string;
  readonly path: string;
  readonly match: RouteMatch | undefined;
}

/**
 * The app's routes as express registered them, read once on first use (when every route is in
 * place): it names a request's route template (for metrics and logs, which must not be labelled
 * by raw URL) and the methods a path accepts (for 405 and Allow). Templates are matched as express
 * matches them (case-insensitive, trailing slash optional), from `:param` and literal segments,
 * which is all the app uses; a route written otherwise (RegExp, wildcard, optional part) is left
 * out of the table, so it counts as `unmatched` rather than being guessed at.
 */
export class RouteTable {
  /** The routes by their number of segments: only those of the path's length can match it. */
  private known: ReadonlyMap<number, readonly KnownRoute[]> | undefined;
  /** Each request's match: the 405 guard, its log line and its metrics all ask for it. */
  private readonly matches = new WeakMap<object, KeptMatch>();

  /** An express app, or a router (`express.Router()`) of its own. */
  constructor(private readonly source: Express | Router) {}

  match(method: string, path: string): RouteMatch | undefined {
    const segments = pathSegments(path);
    const sameLength = this.routes().get(segments.length);
    if (sameLength === undefined) return undefined;
    let first: KnownRoute | undefined;
    let serving: KnownRoute | undefined;
    let candidates = 0;
    let allowed: Set<string> | undefined;
    for (const route of sameLength) {
      if (!matches(route.segments, segments)) continue;
      candidates++;
      if (first === undefined) first = route;
      else {
        allowed ??= new Set(first.methods);
        for (const each of route.methods) allowed.add(each);
      }
      if (serving === undefined && accepts(route.methods, method)) serving = route;
    }
    if (first === undefined) return undefined;
    return {
      template: (serving ?? first).template,
      allowed: candidates === 1 ? first.sortedMethods : [...(allowed ?? [])].sort(),
      methodAllowed: serving !== undefined,
    };
  }

  /** Whether any route takes this path, whatever the method. */
  covers(path: string): boolean {
    const segments = pathSegments(path);
    return (this.routes().get(segments.length) ?? []).some((route) =>
      matches(route.segments, segments),
    );
  }

  /**
   * `match(request.method, path)` for one request, computed once whoever asks: `path` is the
   * request's path (`request.path` at the app's level, or its `originalUrl`), query left out.
   */
  matchOf(request: Pick<Request, 'method'> & object, path: string): RouteMatch | undefined {
    const kept = this.matches.get(request);
    const method = request.method;
    const bare = withoutQuery(path);
    if (kept !== undefined && kept.method === method && kept.path === bare) return kept.match;
    const match = this.match(method, bare);
    this.matches.set(request, { method, path: bare, match });
    return match;
  }

  /** The route template for labels: bounded, whatever the URL. */
  templateOf(request: Pick<Request, 'method' | 'originalUrl'>): string {
    return this.matchOf(request, request.originalUrl)?.template ?? UNMATCHED_ROUTE;
  }

  private routes(): ReadonlyMap<number, readonly KnownRoute[]> {
    if (this.known === undefined) {
      const byLength = new Map<number, KnownRoute[]>();
      // An express app keeps its routes in its router; a router lists its own.
      const lister = ('listRoutes' in this.source
        ? this.source
        : (this.source as Express).router) as unknown as RouteLister;
      for (const route of collectRoutes(lister, '')) {
        const sameLength = byLength.get(route.segments.length);
        if (sameLength === undefined) byLength.set(route.segments.length, [route]);
        else sameLength.push(route);
      }
      this.known = byLength;
    }
    return this.known;
  }
}

function accepts(methods: readonly string[], method: string): boolean {
  return methods.includes('*') || methods.includes(method);
}

function collectRoutes(router: RouteLister, prefix: string): KnownRoute[] {
  if (typeof router.listRoutes !== 'function') {
    throw new Error('express router without listRoutes(): router 2.3 or later is required');
  }
  return router.listRoutes().flatMap((listed): KnownRoute[] => {
    if (typeof listed.path !== 'string') return [];
    const template = joinPaths(prefix, listed.path);
    if (listed.router !== undefined) {
      return collectRoutes(listed.router as RouteLister, template);
    }
    const segments = templateSegments(template);
    return segments === undefined || listed.methods === undefined
      ? []
      : [
          {
            template,
            segments,
            methods: listed.methods,
            sortedMethods: [...new Set(listed.methods)].sort(),
          },
        ];
  });
}

export function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`.replace(/\/+$/, '');
  return joined === '' ? '/' : joined;
}

function templateSegments(template: string): Segment[] | undefined {
  const segments: Segment[] = [];
  for (const part of template.split('/').filter((piece) => piece !== '')) {
    if (/^:[A-Za-z_$][\w$]*$/.test(part)) segments.push({ kind: 'param' });
    else if (/[:*{}()?+\\]/.test(part)) return undefined;
    else segments.push({ kind: 'literal', text: part.toLowerCase() });
  }
  return segments;
}

function withoutQuery(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The path's segments, as sent (no decoding: a template is chosen by shape, not by value). */
export function pathSegments(url: string): string[] {
  let path = withoutQuery(url);
  if (path.startsWith('/')) path = path.slice(1);
  if (path.endsWith('/')) path = path.slice(0, -1);
  return path === '' ? [] : path.split('/');
}

function matches(template: readonly Segment[], path: readonly string[]): boolean {
  if (template.length !== path.length) return false;
  for (let index = 0; index < template.length; index++) {
    const segment = template[index] as Segment;
    const part = path[index] as string;
    if (segment.kind === 'param' ? part === '' : !equalsLowerCase(part, segment.text)) return false;
  }
  return true;
}

/** `part.toLowerCase() === lower`, without making the lower-case copy when the two are equal. */
function equalsLowerCase(part: string, lower: string): boolean {
  return part === lower || (part.length === lower.length && part.toLowerCase() === lower);
}
