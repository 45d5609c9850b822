import type { Request, RequestHandler, Response } from 'express';
import pino, { type DestinationStream, type Level, type Logger as PinoLogger } from 'pino';

/**
 * The call style the code base logs with: one object carrying `level` and `msg` among its fields,
 * e.g. `log({ level: 'warn', msg: 'projection lag', lag })`. It is kept so that nothing outside
 * the HTTP edge needs to know about pino; `logFunction` maps it onto a pino logger.
 */
export type Logger = (entry: Record<string, unknown>) => void;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Credentials never reach a log line: the bearer token, and cookies in either direction. */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const LEVELS: ReadonlySet<string> = new Set<Level>([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
]);

function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && LEVELS.has(value);
}

/**
 * pino's `isoTime`, made once per millisecond: a busy server writes many lines in the same one,
 * and formatting the date is a good part of what a line costs.
 */
function isoTimeOncePerMillisecond(): () => string {
  let madeAt = Number.NaN;
  let made = '';
  return () => {
    const now = Date.now();
    if (now !== madeAt) {
      madeAt = now;
      made = `,"time":"${new Date(now).toISOString()}"`;
    }
    return made;
  };
}

/** JSON lines on stdout (or `destination`): ISO times, level names, credentials redacted. */
export function createLogger(
  level: LogLevel = 'info',
  destination?: DestinationStream,
): PinoLogger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: isoTimeOncePerMillisecond(),
    // Level names rather than numbers: what the earlier log lines carried, and what people grep for.
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export function silentLogger(): PinoLogger {
  return pino({ level: 'silent' });
}

/**
 * A pino logger whose lines are handed, parsed, to a `Logger` function: for callers that pass a
 * function (tests collecting entries, or `() => undefined` to keep quiet).
 */
export function loggerFromFunction(log: Logger, level: LogLevel = 'info'): PinoLogger {
  return createLogger(level, {
    write: (line: string) => log(JSON.parse(line) as Record<string, unknown>),
  });
}

/** `log({ level, msg, ...fields })` onto a pino logger; an unknown level logs at `info`. */
export function logFunction(logger: PinoLogger): Logger {
  return (entry) => {
    const { level, msg, ...fields } = entry;
    const method: Level = isLevel(level) ? level : 'info';
    logger[method](fields, typeof msg === 'string' ? msg : undefined);
  };
}

/**
 * The identity provider's redirect back (`/auth/callback?code=…&state=…`) carries a one-time code:
 * the line keeps the path and leaves the query out.
 */
function withoutSignInSecrets<T extends { url?: unknown; query?: unknown }>(request: T): T {
  if (typeof request.url !== 'string' || !/^\/auth\/callback(\?|\/|$)/i.test(request.url)) {
    return request;
  }
  return { ...request, url: request.url.split('?', 1)[0], query: '[redacted]' };
}

declare module 'http' {
  interface ServerResponse {
    /** The error behind a 5xx answer, for its log line (set by the problem middleware). */
    err?: Error | undefined;
  }
}

/** What the request log line adds to the request, the response and the response time. */
export interface RequestLogContext {
  /** The route template the request matched (`/api/v1/plans/:planId`), or `unmatched`. */
  readonly routeOf: (request: Request) => string;
}

interface RequestLocals {
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly actor?: { readonly id: string };
  /** Set by the problem middleware: the problem's code, for 4xx lines. */
  readonly problemCode?: string;
}

/** The request as its line shows it (the fields, order and censoring pino-http's line had). */
interface LoggedRequest {
  id: string;
  method: string;
  url: string;
  query?: unknown;
  params?: unknown;
  headers: Record<string, unknown>;
  remoteAddress: string | null | undefined;
  remotePort: number | null | undefined;
}

const CENSORED_HEADERS: ReadonlySet<string> = new Set(['authorization', 'cookie']);

/** The headers with the credentials censored, in their order; the request's own object is left as it is. */
function censoredHeaders(headers: Request['headers']): Record<string, unknown> {
  let censored: Record<string, unknown> | undefined;
  for (const name of CENSORED_HEADERS) {
    if (headers[name] === undefined) continue;
    censored ??= { ...headers };
    censored[name] = '[redacted]';
  }
  return censored ?? headers;
}

/**
 * One line per request, written when the response is finished (or the client went away): 2xx and
 * 3xx at `info`, 4xx at `warn` with the problem's code, 5xx at `error` with the error and its
 * stack (the problem middleware puts the error on `response.err` for 5xx only). The line is the
 * one pino-http wrote (`req`, `res`, `responseTime`, then the app's fields; the same messages),
 * built here without a child logger per request: the request is taken down as it arrived and
 * serialised once, at the end, and not at all when the line's level is off.
 */
export function requestLogger(logger: PinoLogger, context: RequestLogContext): RequestHandler {
  // The line censors the credentials as it is built (`censoredHeaders`; its `res` carries no
  // headers), so it is written without walking it again for the redacted paths.
  const lines = logger.child({}, { redact: { paths: [], censor: '[redacted]' } });
  const locals = (response: Response) => response.locals as RequestLocals;
  const fields = (request: Request, response: Response) => {
    const { requestId, correlationId, actor, problemCode } = locals(response);
    return {
      requestId,
      correlationId,
      route: context.routeOf(request),
      actor: actor?.id,
      ...(problemCode !== undefined && { code: problemCode }),
      // A response never finished: the client went away (or was cut off at shutdown).
      ...(!response.writableFinished && { aborted: true }),
    };
  };
  const levelOf = (response: Response, error: unknown): Level => {
    if (error !== undefined || response.statusCode >= 500) return 'error';
    if (response.statusCode >= 400 || !response.writableFinished) return 'warn';
    return 'info';
  };
  return (request: Request, response: Response, next) => {
    const started = Date.now();
    // As the request arrived: later middleware may give it other params, never other headers.
    const { query, params } = request;
    const logged = (): LoggedRequest => {
      // No socket (a request made up in a test) reads as null, as pino-http had it.
      const socket = request.socket as Request['socket'] | null | undefined;
      return withoutSignInSecrets({
        id: locals(response).requestId ?? '',
        method: request.method,
        url: request.originalUrl,
        ...(Boolean(query) && { query }),
        ...(Boolean(params) && { params }),
        headers: censoredHeaders(request.headers),
        remoteAddress: socket ? socket.remoteAddress : socket,
        remotePort: socket ? socket.remotePort : socket,
      });
    };
    const complete = (error?: unknown) => {
      response.off('close', complete);
      response.off('finish', complete);
      response.off('error', complete);
      const level = levelOf(response, error);
      if (!lines.isLevelEnabled(level)) return;
      const responseTime = Date.now() - started;
      const res = { statusCode: response.headersSent ? response.statusCode : null };
      const failure = error ?? response.err;
      if (failure !== undefined || response.statusCode >= 500) {
        // Without an error of its own (a 503 from /ready, say) the line goes without one: a
        // made-up error's stack would only point here.
        lines[level](
          {
            req: logged(),
            res,
            ...(failure !== undefined && { err: failure }),
            responseTime,
            ...fields(request, response),
          },
          'request errored',
        );
        return;
      }
      lines[level](
        { req: logged(), res, responseTime, ...fields(request, response) },
        !request.readableAborted && response.writableEnded
          ? 'request completed'
          : 'request aborted',
      );
    };
    response.on('close', complete);
    response.on('finish', complete);
    response.on('error', complete);
    next();
  };
}
