import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { joinPaths, pathSegments, type RouteTable } from './routeTable';

/** What the app uses of a route of express's router (router 2.x): its path and its dispatch. */
interface ExpressRoute {
  readonly path: unknown;
  dispatch(request: Request, response: Response, done: (error?: unknown) => void): void;
  _handlesMethod(method: string): boolean;
}

/** An `express.Router()`: its layers, a route's layer carrying the route. */
type RouterWithStack = RequestHandler & {
  readonly stack: readonly { readonly route?: ExpressRoute }[];
  readonly listRoutes?: () => unknown;
};

interface IndexedRoute {
  readonly route: ExpressRoute;
  /** Where its router is mounted: the request's `baseUrl` inside the route, as express gives it. */
  readonly mountPath: string;
  /** Per segment of the template, the parameter's name, or undefined for a literal segment. */
  readonly parameterAt: readonly (string | undefined)[];
}

/**
 * Sends a request straight to the route that serves it, found by the route table's match (made
 * once per request, for the log line and the metrics as well), instead of walking every layer of
 * the app's router and of the routers mounted under it. Express's walk, on each request, tries
 * the path against each layer in turn, parses the URL again each time a mount trims or restores
 * it, and leaves each router that has no route for it through a `setImmediate`: for a write to a
 * pledge, the plans' router is walked to its end and left that way before the pledges' router is
 * entered. Per `GET totals`, that walk (and the garbage it leaves) was among the largest costs
 * the tracker adds to express.
 *
 * What the route sees is what express gives it: `params` decoded (the path is already known to
 * decode, `rejectMalformedUrl`), `baseUrl` and `url` as under its router's mount, `route`, and
 * `next` that reaches the app's error handlers. A route that passes the request on (`next()`,
 * `next('route')` or `next('router')`) goes on to the app's remaining layers with the mounted
 * routers skipped (`mounted`), as express would have found no other route for it: the app has no
 * two routes of one template and method. A router with middleware of its own (which may act on
 * any path) is not indexed, and requests for its routes take express's way.
 */
export class RouteDispatch {
  private index: ReadonlyMap<string, readonly IndexedRoute[]> | undefined;
  /** Requests a route passed on: the mounted routers let them through untouched. */
  private readonly passedOn = new WeakSet<object>();

  constructor(
    private readonly routes: RouteTable,
    private readonly routers: readonly { readonly mountPath: string; readonly router: unknown }[],
  ) {}

  /** The middleware that dispatches; requests for no indexed route go on unchanged. */
  handler(): RequestHandler {
    return (request, response, next) => this.dispatch(request, response, next);
  }

  /**
   * The router as mounted on the app, after the dispatcher: still listed (so the route table and
   * 405 know its routes), and entered only by requests the dispatcher did not take.
   */
  mounted(router: unknown): RequestHandler {
    const express = router as RouterWithStack;
    const guarded: RequestHandler = (request, response, next) => {
      if (this.passedOn.has(request)) {
        next();
        return;
      }
      express(request, response, next);
    };
    const { stack, listRoutes } = express;
    return Object.assign(guarded, {
      stack,
      ...(listRoutes !== undefined && { listRoutes: () => listRoutes.call(express) }),
    });
  }

  private dispatch(request: Request, response: Response, next: NextFunction): void {
    const match = this.routes.matchOf(request, request.originalUrl);
    const indexed =
      match === undefined || !match.methodAllowed
        ? undefined
        : this.routesByTemplate()
            .get(match.template)
            ?.find((candidate) => candidate.route._handlesMethod(request.method));
    if (indexed === undefined) {
      next();
      return;
    }
    const { originalUrl, url, baseUrl } = request;
    const segments = pathSegments(originalUrl);
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    indexed.parameterAt.forEach((name, position) => {
      const segment = segments[position];
      if (name !== undefined && segment !== undefined) params[name] = decodeParameter(segment);
    });
    // As express's router leaves them for the route (the mount as the client spelled it, the rest
    // of the URL as sent), and puts them back when the route is done.
    const mountLength = indexed.mountPath.length;
    request.baseUrl = originalUrl.slice(0, mountLength);
    request.url =
      originalUrl[mountLength] === '/'
        ? originalUrl.slice(mountLength)
        : `/${originalUrl.slice(mountLength)}`;
    request.params = params;
    indexed.route.dispatch(request, response, (error?: unknown) => {
      request.url = url;
      request.baseUrl = baseUrl;
      if (error === undefined || error === null || error === 'route' || error === 'router') {
        this.passedOn.add(request);
        next();
        return;
      }
      next(error);
    });
  }

  private routesByTemplate(): ReadonlyMap<string, readonly IndexedRoute[]> {
    if (this.index === undefined) {
      const byTemplate = new Map<string, IndexedRoute[]>();
      for (const { mountPath, router } of this.routers) {
        const { stack } = router as RouterWithStack;
        // Middleware of the router's own may act on any of its paths: express's way for it.
        if (stack.some((layer) => layer.route === undefined)) continue;
        for (const { route } of stack) {
          if (route === undefined || typeof route.path !== 'string') continue;
          const template = joinPaths(mountPath, route.path);
          const indexed: IndexedRoute = {
            route,
            mountPath,
            parameterAt: pathSegments(template).map((segment) =>
              segment.startsWith(':') ? segment.slice(1) : undefined,
            ),
          };
          const sameTemplate = byTemplate.get(template);
          if (sameTemplate === undefined) byTemplate.set(template, [indexed]);
          else sameTemplate.push(indexed);
        }
      }
      this.index = byTemplate;
    }
    return this.index;
  }
}

/** A path parameter as express decodes it: an empty one stays empty. */
function decodeParameter(segment: string): string {
  return segment.length === 0 ? segment : decodeURIComponent(segment);
}
