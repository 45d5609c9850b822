/**
 * The request pipeline's helpers: middlewares run as one layer behave as express runs them one by
 * one, and a root router guarded by its paths is still known to the app's route table.
 */
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';
import { inSequence, onItsPathsOnly } from '../../src/api/pipeline';
import { RouteTable } from '../../src/api/routeTable';

const failures: ErrorRequestHandler = (error: Error, _request, response, _next) => {
  response.status(500).json({ failure: error.message });
};

function appWith(handler: RequestHandler): express.Express {
  const app = express();
  app.use(handler);
  app.get('/', (_request, response) => void response.json({ ran: response.locals.ran }));
  app.use(failures);
  return app;
}

const step =
  (name: string): RequestHandler =>
  (_request, response, next) => {
    response.locals.ran = [...((response.locals.ran as string[] | undefined) ?? []), name];
    next();
  };

describe('inSequence', () => {
  it('runs every middleware in order, then the routes', async () => {
    const response = await request(appWith(inSequence(step('a'), step('b'), step('c')))).get('/');

    expect(response.body).toEqual({ ran: ['a', 'b', 'c'] });
  });

  it.each<[string, RequestHandler]>([
    [
      'a throw',
      () => {
        throw new Error('thrown');
      },
    ],
    ['a rejected promise', () => Promise.reject(new Error('rejected'))],
    ['next(error)', (_request, _response, next) => next(new Error('passed'))],
  ])('hands %s to the error handlers and runs no later middleware', async (_what, failing) => {
    const later = jest.fn<void, Parameters<RequestHandler>>((_request, _response, next) => next());

    const response = await request(appWith(inSequence(step('a'), failing, later))).get('/');

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ failure: expect.any(String) });
    expect(later).not.toHaveBeenCalled();
  });
});

describe('onItsPathsOnly', () => {
  function guardedApp() {
    const router = Router();
    router.get('/health', (_request, response) => void response.json({ ok: true }));
    const entered = jest.fn();
    const watched: RequestHandler = (request, response, next) => {
      entered(request.path);
      router(request, response, next);
    };
    const app = express();
    const paths = new RouteTable(router);
    app.use(
      onItsPathsOnly(Object.assign(watched, { stack: router.stack }), (path) => paths.covers(path)),
    );
    app.get('/other', (_request, response) => void response.json({ other: true }));
    return { app, entered };
  }

  it('enters the router for its paths only', async () => {
    const { app, entered } = guardedApp();

    expect((await request(app).get('/health')).body).toEqual({ ok: true });
    expect((await request(app).get('/other')).body).toEqual({ other: true });
    expect(entered.mock.calls).toEqual([['/health']]);
  });

  it("leaves the router's routes listed for the app's route table", () => {
    const router = Router();
    router.get('/health', (_request, response) => void response.json({ ok: true }));
    const app = express();
    app.use(onItsPathsOnly(router, () => true));

    expect(new RouteTable(app).match('POST', '/health')).toEqual({
      template: '/health',
      allowed: ['GET', 'HEAD'],
      methodAllowed: false,
    });
  });
});
