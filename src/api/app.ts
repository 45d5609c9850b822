import express, { type NextFunction, type Request, type Response } from 'express';
import type { Tracker } from '../application/tracker';
import type { Projector } from '../projections/projector';
import type { ProjectionFeed } from '../projections/projectionFeed';
import type { TokenRegistry } from './auth';
import { HttpProblem, problemMiddleware } from './problems';
import { referenceRoutes } from './routes/referenceRoutes';
import { planRoutes } from './routes/planRoutes';
import { pledgeRoutes } from './routes/pledgeRoutes';
import { auditRoutes } from './routes/auditRoutes';
import { contractRoutes } from './openapi/contractRoutes';
import type { ReadConsistency } from './routes/readSide';

export type Logger = (entry: Record<string, unknown>) => void;

export interface AppDeps {
  readonly tracker: Tracker;
  readonly projector: Projector;
  readonly tokens: TokenRegistry;
  readonly newId: () => string;
  readonly bodyLimit?: string;
  readonly log?: Logger;
  /** The subscription feeding the projections, when one runs (it reports readiness and lag). */
  readonly feed?: ProjectionFeed;
  /** Which store backs this replica, for /ready. */
  readonly storeName?: string;
  /** How long a read may wait for the projections to reach `X-Min-Position`. Default 2 s. */
  readonly readWaitMs?: number;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Builds the HTTP app; listening and shutdown live in main.ts so tests import this factory. */
export function createApp(deps: AppDeps): express.Express {
  const log = deps.log ?? (() => undefined);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((request: Request, response: Response, next: NextFunction) => {
    const requestId = deps.newId();
    const header = request.get('x-correlation-id');
    const correlationId = header !== undefined && CORRELATION_ID.test(header) ? header : requestId;
    Object.assign(response.locals, { requestId, correlationId });
    response.setHeader('X-Request-Id', requestId);
    response.setHeader('X-Correlation-Id', correlationId);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const actor = (response.locals as { actor?: { id: string } }).actor;
      log({
        level: 'info',
        msg: 'request',
        method: request.method,
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        actor: actor?.id,
        requestId,
      });
    });
    next();
  });

  app.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });

  /** Readiness: the store answers and the projections are not stuck behind it. */
  app.get('/ready', async (_request, response) => {
    const status = deps.feed
      ? await deps.feed.status()
      : await pulledStatus(deps.projector, () => deps.projector.catchUp());
    response
      .status(status.ready ? 200 : 503)
      .json({ store: deps.storeName ?? 'unknown', ...status });
  });

  // The contract and its documentation are public reference data, like the reference tables.
  app.use(contractRoutes());
  app.use('/api/v1/reference', referenceRoutes());

  // Authenticate before reading any body, so an anonymous caller costs no parsing.
  app.use('/api/v1', (request: Request, response: Response, next: NextFunction) => {
    const header = request.get('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    const actor = match?.[1] === undefined ? undefined : deps.tokens.authenticate(match[1]);
    if (!actor) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="pledge-tracker"');
      next(new HttpProblem(401, 'unauthenticated', 'A valid bearer token is required'));
      return;
    }
    response.locals.actor = actor;
    next();
  });

  app.use('/api/v1', (request: Request, response: Response, next: NextFunction) => {
    const header = request.get('x-min-position');
    if (header === undefined) {
      next();
      return;
    }
    if (!/^\d{1,16}$/.test(header.trim())) {
      next(
        new HttpProblem(
          400,
          'invalid_min_position',
          'X-Min-Position is a log position (a whole number)',
        ),
      );
      return;
    }
    const readConsistency: ReadConsistency = {
      minPosition: Number(header.trim()),
      // Without a live feed nothing moves the projections while we wait: catch up at once.
      waitMs: deps.feed ? (deps.readWaitMs ?? 2_000) : 0,
    };
    Object.assign(response.locals, { readConsistency });
    next();
  });

  app.use((request: Request, _response: Response, next: NextFunction) => {
    const hasBody =
      Number(request.get('content-length') ?? 0) > 0 ||
      request.get('transfer-encoding') !== undefined;
    if (hasBody && !request.is('application/json')) {
      next(
        new HttpProblem(415, 'unsupported_media_type', 'Send the request body as application/json'),
      );
      return;
    }
    next();
  });
  app.use(express.json({ limit: deps.bodyLimit ?? '256kb', strict: true }));

  app.use('/api/v1/plans', planRoutes(deps));
  app.use('/api/v1/plans', pledgeRoutes(deps));
  app.use('/api/v1/audit', auditRoutes(deps));

  app.use((request: Request, _response: Response, next: NextFunction) => {
    next(new HttpProblem(404, 'not_found', `No route for ${request.method} ${request.path}`));
  });
  app.use(problemMiddleware(log));
  return app;
}

/** Without a subscription, readiness is whether a catch-up with the store succeeds. */
async function pulledStatus(projector: Projector, catchUp: () => Promise<number>) {
  try {
    const position = await catchUp();
    return {
      ready: true,
      storeReachable: true,
      headPosition: position,
      checkpoint: projector.checkpoint,
      lag: 0,
    };
  } catch (error) {
    return {
      ready: false,
      storeReachable: false,
      headPosition: null,
      checkpoint: projector.checkpoint,
      lag: null,
      lastError: error instanceof Error ? error.message : String(error),
    };
  }
}
