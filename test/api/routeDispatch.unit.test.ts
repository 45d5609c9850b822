/**
 * RouteDispatch: a route reached straight from the route table sees the request as express's own
 * walk gives it (params, baseUrl, url, path, route), errors reach the app's handlers, a route that
 * passes the request on runs once and ends in the app's 404, and a router with middleware of its
 * own keeps express's way.
 */
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import request from 'supertest';
import { RouteDispatch } from '../../src/api/routeDispatch';
import { RouteTable } from '../../src/api/routeTable';

/** What a route saw of its request. */
const seen = (request: Request, response: Response): void => {
  response.json({
    params: { ...request.params },
    baseUrl: request.baseUrl,
    url: request.url,
    path: request.path,
    originalUrl: request.originalUrl,
    route: (request.route as { path: string }).path,
    dispatched: response.locals.dispatched === true,
  });
};

function plansRouter(counter: { runs: number }): Router {
  const router = Router();
  router.get('/', seen);
  router.get('/:planId/totals', seen);
  router.put('/:planId/pledges/:memberState', seen);
  router.get('/:planId/passes', (_request, _response, next) => {
    counter.runs++;
    next();
  });
  router.get('/:planId/fails', () => {
    throw new Error('route failed');
  });
  return router;
}

function routerWithMiddleware(): Router {
  const router = Router();
  router.use((_request, response, next) => {
    response.locals.fromMiddleware = true;
    next();
  });
  router.get('/:entry', (request, response) =>
    response.json({ entry: request.params.entry, fromMiddleware: response.locals.fromMiddleware }),
  );
  return router;
}

const failures: ErrorRequestHandler = (error: Error, request, response, _next) => {
  response.status(500).json({ failure: error.message, url: request.url, baseUrl: request.baseUrl });
};

/** A router that counts the requests express walks it for. */
function counted(router: Router, entries: { count: number }): Router {
  const entering = (...args: Parameters<Router>) => {
    entries.count++;
    router(...args);
  };
  const { listRoutes } = router as unknown as { listRoutes: () => unknown };
  return Object.assign(entering, {
    stack: router.stack,
    listRoutes: () => listRoutes.call(router),
  }) as unknown as Router;
}

/** The app as the tracker mounts its API: guards under `/api/v1`, then the routers. */
function dispatchingApp(counter = { runs: 0 }, entries = { count: 0 }): express.Express {
  const app = express();
  const routes = new RouteTable(app);
  const routers = [
    { mountPath: '/api/v1/plans', router: counted(plansRouter(counter), entries) },
    { mountPath: '/api/v1/log', router: counted(routerWithMiddleware(), entries) },
  ];
  const dispatch = new RouteDispatch(routes, routers);
  app.use('/api/v1', (_request, response, next) => {
    response.locals.dispatched = true;
    next();
  });
  app.use('/api/v1', dispatch.handler());
  for (const { mountPath, router } of routers) app.use(mountPath, dispatch.mounted(router));
  app.use((_request, response) => void response.status(404).json({ notFound: true }));
  app.use(failures);
  return app;
}

/** The same routers mounted the plain express way. */
function expressApp(counter = { runs: 0 }): express.Express {
  const app = express();
  app.use('/api/v1', (_request, response, next) => {
    response.locals.dispatched = true;
    next();
  });
  app.use('/api/v1/plans', plansRouter(counter));
  app.use('/api/v1/log', routerWithMiddleware());
  app.use((_request, response) => void response.status(404).json({ notFound: true }));
  app.use(failures);
  return app;
}

describe('RouteDispatch', () => {
  it.each([
    ['GET', '/api/v1/plans/2026-2027/totals'],
    ['GET', '/api/v1/plans/2026-2027/totals?view=adopted&asOf=2026-01-01'],
    ['GET', '/API/V1/Plans/2026-2027/totals/'],
    ['GET', '/api/v1/plans/plan%20one%2Fb/totals'],
    ['GET', '/api/v1/plans'],
    ['GET', '/api/v1/plans/?limit=5'],
    ['PUT', '/api/v1/plans/2026-2027/pledges/DE'],
    ['GET', '/api/v1/log/first'],
  ])('gives the route of %s %s what express gives it', async (method, url) => {
    const viaDispatch = await request(dispatchingApp())[method === 'PUT' ? 'put' : 'get'](url);
    const viaExpress = await request(expressApp())[method === 'PUT' ? 'put' : 'get'](url);

    expect(viaDispatch.status).toBe(200);
    expect(viaDispatch.body).toEqual(viaExpress.body);
  });

  it('reaches an indexed route without walking its router, and the others through theirs', async () => {
    const entries = { count: 0 };
    const app = dispatchingApp({ runs: 0 }, entries);

    expect((await request(app).get('/api/v1/plans/p/totals')).status).toBe(200);
    expect((await request(app).put('/api/v1/plans/p/pledges/DE')).status).toBe(200);
    expect(entries.count).toBe(0);
    expect((await request(app).get('/api/v1/log/first')).status).toBe(200);
    expect(entries.count).toBe(1);
  });

  it('answers HEAD from the GET route, as express does', async () => {
    const response = await request(dispatchingApp()).head('/api/v1/plans/2026-2027/totals');

    expect(response.status).toBe(200);
  });

  it('hands a route’s error to the app’s error handlers with the URL put back', async () => {
    const viaDispatch = await request(dispatchingApp()).get('/api/v1/plans/p/fails');
    const viaExpress = await request(expressApp()).get('/api/v1/plans/p/fails');

    expect(viaDispatch.status).toBe(500);
    expect(viaDispatch.body).toEqual(viaExpress.body);
    expect(viaDispatch.body).toEqual({
      failure: 'route failed',
      url: '/api/v1/plans/p/fails',
      baseUrl: '',
    });
  });

  it('runs a route that passes the request on once, and the app answers 404', async () => {
    const counter = { runs: 0 };

    const response = await request(dispatchingApp(counter)).get('/api/v1/plans/p/passes');

    expect(response.status).toBe(404);
    expect(counter.runs).toBe(1);
  });

  it('leaves a path no route takes, and a method no route takes, to the app', async () => {
    const app = dispatchingApp();

    expect((await request(app).get('/api/v1/plans/p/unknown')).status).toBe(404);
    expect((await request(app).delete('/api/v1/plans/p/totals')).status).toBe(404);
  });

  it('keeps a router with middleware of its own on express’s way, middleware included', async () => {
    const response = await request(dispatchingApp()).get('/api/v1/log/first');

    expect(response.body).toEqual({ entry: 'first', fromMiddleware: true });
  });
});
