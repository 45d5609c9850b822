import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middlewares run in order as one: the router pays for one layer (path match, URL trimming and
 * restoring, parsing the URL again) instead of one per middleware, on every request. Each runs as
 * express would run it: a throw or a rejected promise goes to the error handlers, `next(error)`
 * skips the rest, and `next()` from the last goes on to the router's next layer.
 */
export function inSequence(...handlers: readonly RequestHandler[]): RequestHandler {
  if (handlers.length === 1 && handlers[0] !== undefined) return handlers[0];
  return (request: Request, response: Response, done: NextFunction) => {
    let index = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined || index === handlers.length) {
        done(error);
        return;
      }
      const handler = handlers[index++] as RequestHandler;
      try {
        const returned: unknown = handler(request, response, next);
        if (returned instanceof Promise) returned.catch((failure: unknown) => done(failure));
      } catch (failure) {
        done(failure);
      }
    };
    next();
  };
}

/** What a router of `express.Router()` exposes of its layers, and the list of its routes. */
interface RouterLayers {
  readonly stack: readonly { readonly route?: unknown }[];
  readonly listRoutes?: () => unknown;
}

/**
 * A router mounted at the root, entered only for a path one of its routes takes (`covers`): a
 * router that serves none of the request's path would still be walked and left through a
 * `setImmediate`, a turn of the event loop per request for nothing. A router that has any
 * middleware of its own (which may act on any path) is always entered.
 */
export function onItsPathsOnly(
  router: RequestHandler & RouterLayers,
  covers: (path: string) => boolean,
): RequestHandler {
  if (router.stack.some((layer) => layer.route === undefined)) return router;
  const guarded: RequestHandler = (request, response, next) => {
    if (covers(request.path)) {
      router(request, response, next);
      return;
    }
    next();
  };
  // Still listed as the router it guards (`Router#listRoutes()` looks for a `stack`), so the
  // app's route table names its routes in logs and metrics and answers 405 for them.
  const { stack, listRoutes } = router;
  return Object.assign(guarded, {
    stack,
    ...(listRoutes !== undefined && { listRoutes: () => listRoutes.call(router) }),
  });
}
