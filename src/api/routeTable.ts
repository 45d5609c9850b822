import type { Express, Request } from 'express';

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
}

export interface RouteMatch {
  /** The template of the route that serves the request, or of the path when no route takes its method. */
  readonly template: string;
  /** Every method the path accepts (HEAD with GET), sorted; `*` when a route takes any. */
  readonly allowed: readonly string[];
  readonly methodAllowed: boolean;
}

export const UNMATCHED_ROUTE = 'unmatched';

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
  /** Each request's template, asked for by both its log line and its metrics. */
  private readonly templates = new WeakMap<
    object,
    { readonly key: string; readonly template: string }
  >();

  constructor(private readonly app: Express) {}

  match(method: string, path: string): RouteMatch | undefined {
    const segments = pathSegments(path);
    const candidates = (this.routes().get(segments.length) ?? []).filter((route) =>
      matches(route.segments, segments),
    );
    const first = candidates[0];
    if (first === undefined) return undefined;
    const allowed = [...new Set(candidates.flatMap((route) => route.methods))].sort();
    const serving = candidates.find((route) => accepts(route.methods, method));
    return {
      template: (serving ?? first).template,
      allowed,
      methodAllowed: serving !== undefined,
    };
  }

  /** The route template for labels: bounded, whatever the URL. */
  templateOf(request: Pick<Request, 'method' | 'originalUrl'>): string {
    const key = `${request.method} ${request.originalUrl}`;
    const known = this.templates.get(request);
    if (known?.key === key) return known.template;
    const template = this.match(request.method, request.originalUrl)?.template ?? UNMATCHED_ROUTE;
    this.templates.set(request, { key, template });
    return template;
  }

  private routes(): ReadonlyMap<number, readonly KnownRoute[]> {
    if (this.known === undefined) {
      const byLength = new Map<number, KnownRoute[]>();
      for (const route of collectRoutes(this.app.router as unknown as RouteLister, '')) {
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
      : [{ template, segments, methods: listed.methods }];
  });
}

function joinPaths(prefix: string, path: string): string {
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

/** The path's segments, as sent (no decoding: a template is chosen by shape, not by value). */
function pathSegments(url: string): string[] {
  const path = (url.split('?', 1)[0] ?? '').replace(/^\//, '').replace(/\/$/, '');
  return path === '' ? [] : path.split('/');
}

function matches(template: readonly Segment[], path: readonly string[]): boolean {
  return (
    template.length === path.length &&
    template.every((segment, index) =>
      segment.kind === 'param' ? path[index] !== '' : segment.text === path[index]?.toLowerCase(),
    )
  );
}
