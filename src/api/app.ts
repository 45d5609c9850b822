import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger as PinoLogger } from 'pino';
import type { Tracker } from '../application/tracker';
import type { Projector } from '../projections/projector';
import type { ProjectionFeed } from '../projections/projectionFeed';
import type { StoreHealth } from '../eventStore/port';
import type { TokenRegistry } from './auth';
import { HttpProblem, problemMiddleware } from './problems';
import { referenceRoutes } from './routes/referenceRoutes';
import { planRoutes } from './routes/planRoutes';
import { pledgeRoutes } from './routes/pledgeRoutes';
import { implementationRoutes } from './routes/implementationRoutes';
import { auditRoutes } from './routes/auditRoutes';
import { auditKeyRoute, auditLogRoutes } from './routes/auditLogRoutes';
import { refuseWritesWhileMismatched } from './auditLogGuard';
import { AuditLogService } from '../auditLog/auditLogService';
import { FollowingAuditTree } from '../auditLog/followingAuditTree';
import type { EventStore } from '../eventStore/port';
import { quotaRoutes } from './routes/quotaRoutes';
import { createRequestQuotas, rateLimitMiddleware, type QuotaSettings } from './quotas';
import { contractRoutes } from './openapi/contractRoutes';
import type { ReadConsistency } from './routes/readSide';
import { operationsRoutes } from './routes/operationsRoutes';
import { BrowserSignIn } from './session/browserSignIn';
import { webAppRoutes } from './webApp';
import { cors } from './cors';
import { methodNotAllowed, rejectMalformedUrl, requireJsonBody } from './requestGuards';
import { RouteDispatch } from './routeDispatch';
import { RouteTable } from './routeTable';
import { inSequence, onItsPathsOnly } from './pipeline';
import { securityHeaders } from './securityHeaders';
import {
  loggerFromFunction,
  requestLogger,
  silentLogger,
  type Logger,
} from '../observability/logging';
import { TrackerMetrics } from '../observability/metrics';

export type { Logger } from '../observability/logging';

export interface AppDeps {
  readonly tracker: Tracker;
  readonly projector: Projector;
  readonly tokens: TokenRegistry;
  readonly newId: () => string;
  readonly bodyLimit?: string;
  readonly log?: Logger;
  /** The structured logger (request log included); without it, lines go to `log`, or nowhere. */
  readonly logger?: PinoLogger;
  /** Where the app's metrics are kept; one of its own (without process metrics) by default. */
  readonly metrics?: TrackerMetrics;
  /** Exact origins a browser may call the API from; none (no CORS header at all) by default. */
  readonly corsOrigins?: readonly string[];
  /** The subscription feeding the projections, when one runs (it reports readiness and lag). */
  readonly feed?: ProjectionFeed;
  /** Which store backs this replica, for /ready. */
  readonly storeName?: string;
  /** The store's own health (it answers, no failure active), for /ready. */
  readonly storeHealth?: () => Promise<StoreHealth>;
  /** How long a read may wait for the projections to reach `X-Min-Position`. Default 2 s. */
  readonly readWaitMs?: number;
  /** Per-token rates, pledge size and stored bytes per Member State; defaults for what is left out. */
  readonly quotas?: Partial<QuotaSettings>;
  /**
   * The server's clock, for views measured at the current instant (the fulfilment's pace and
   * months without a report). Default the system clock.
   */
  readonly clock?: () => Date;
  /** The rate limiter's clock (epoch ms). Default `Date.now`. */
  readonly quotaClock?: () => number;
  /**
   * Browser sign-in (session cookie, `/auth/*`); by default one with neither the identity
   * provider nor the development sign-in, so only bearer tokens authenticate.
   */
  readonly signIn?: BrowserSignIn;
  /** The built web app to serve at `/`; none (the API alone) by default. */
  readonly webDir?: string;
  /**
   * Signs tree heads and says whether the log matches its tree (writes are refused when not). By
   * default one with a key made for this app only, over a tree that follows the log the projector
   * reads: nothing is checked at start, and no head outlives the app.
   */
  readonly auditLog?: AuditLogService;
}

/** The dependencies once the defaults are filled in. */
export type ResolvedAppDeps = AppDeps & { readonly auditLog: AuditLogService };

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A router of the app's root, entered only for the paths its routes take (see `onItsPathsOnly`). */
function mountedOnItsPaths(router: express.Router): express.RequestHandler {
  const paths = new RouteTable(router);
  return onItsPathsOnly(router, (path) => paths.covers(path));
}

/** Builds the HTTP app; listening and shutdown live in main.ts so tests import this factory. */
export function createApp(appDeps: AppDeps): express.Express {
  const source = appDeps.projector.source;
  const deps: ResolvedAppDeps = {
    ...appDeps,
    auditLog:
      appDeps.auditLog ??
      AuditLogService.withEphemeralKey(
        // The store's own tree when the projections read a store; one that follows them otherwise.
        'auditTree' in source && (source as Partial<EventStore>).auditTree !== undefined
          ? (source as EventStore).auditTree
          : new FollowingAuditTree((fromPosition, maxCount) =>
              source.readAll({ fromPosition, maxCount }),
            ),
      ),
  };
  const logger = deps.logger ?? (deps.log ? loggerFromFunction(deps.log) : silentLogger());
  const metrics = deps.metrics ?? new TrackerMetrics();
  const feed = deps.feed;
  if (feed) metrics.observeProjectionLag(async () => (await feed.status()).lag);
  const quotas = createRequestQuotas(deps.quotas, deps.quotaClock ?? Date.now);
  const signIn = deps.signIn ?? new BrowserSignIn();
  const app = express();
  const routes = new RouteTable(app);
  const routeOf = (request: Request) => routes.templateOf(request);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // What every request goes through, as one layer of the router.
  app.use(
    inSequence(
      (request: Request, response: Response, next: NextFunction) => {
        const requestId = deps.newId();
        const header = request.get('x-correlation-id');
        const correlationId =
          header !== undefined && CORRELATION_ID.test(header) ? header : requestId;
        Object.assign(response.locals, { requestId, correlationId });
        response.setHeader('X-Request-Id', requestId);
        response.setHeader('X-Correlation-Id', correlationId);
        next();
      },
      requestLogger(logger, { routeOf }),
      metrics.httpMiddleware(routeOf),
      securityHeaders(),
      cors(deps.corsOrigins ?? []),
      rejectMalformedUrl,
    ),
  );

  app.use(mountedOnItsPaths(operationsRoutes(deps, metrics)));

  // The contract and its documentation are public reference data, like the reference tables.
  app.use(mountedOnItsPaths(contractRoutes()));
  app.use('/api/v1/reference', referenceRoutes());
  // What anyone needs to check a signed tree head: published like the reference tables.
  app.use('/api/v1/audit', auditKeyRoute(deps.auditLog));
  // Signing in and out of a browser session: public by nature.
  app.use('/auth', signIn.routes());

  // The API's routers, reached straight from the route table's match (see RouteDispatch).
  const apiRouters = [
    { mountPath: '/api/v1/plans', router: planRoutes(deps) },
    { mountPath: '/api/v1/plans', router: pledgeRoutes(deps) },
    { mountPath: '/api/v1/plans', router: implementationRoutes(deps) },
    { mountPath: '/api/v1/audit', router: auditRoutes(deps) },
    { mountPath: '/api/v1/audit', router: auditLogRoutes(deps) },
    { mountPath: '/api/v1/quota', router: quotaRoutes(deps, quotas) },
    { mountPath: '/api/v1/session', router: signIn.sessionRoute() },
  ];
  const dispatch = new RouteDispatch(routes, apiRouters);

  app.use(
    '/api/v1',
    inSequence(
      // Authenticate (a bearer token, else the session cookie) before reading any body, so an
      // anonymous caller costs no parsing.
      signIn.authenticate(deps.tokens),
      // Counted per principal, still before any body is read.
      rateLimitMiddleware(quotas),
      (request: Request, response: Response, next: NextFunction) => {
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
      },
      // Before any body is read: a method the path does not take gets 405 with Allow.
      methodNotAllowed(routes, (request) => request.baseUrl + request.path),
      // A log that no longer matches its tree takes no more writes (503 audit_log_mismatch).
      refuseWritesWhileMismatched(deps.auditLog, routes),
      // Bodies are read on the API only, and only once the caller is authenticated.
      requireJsonBody,
      express.json({ limit: deps.bodyLimit ?? '256kb', strict: true }),
      dispatch.handler(),
    ),
  );

  // The same for every other path; an API request passes here on the match made above.
  app.use(methodNotAllowed(routes));

  for (const { mountPath, router } of apiRouters) app.use(mountPath, dispatch.mounted(router));

  if (deps.webDir !== undefined) {
    const identityProvider = signIn.oidc?.issuerOrigin;
    app.use(
      webAppRoutes(deps.webDir, {
        formActionOrigins: identityProvider === undefined ? [] : [identityProvider],
        signIn,
      }),
    );
  }

  app.use((request: Request, _response: Response, next: NextFunction) => {
    next(new HttpProblem(404, 'not_found', `No route for ${request.method} ${request.path}`));
  });
  app.use(problemMiddleware());
  return app;
}
