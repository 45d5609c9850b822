import type { Request, RequestHandler, Response } from 'express';
import pino, { type DestinationStream, type Level, type Logger as PinoLogger } from 'pino';
import { pinoHttp } from 'pino-http';

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

/** JSON lines on stdout (or `destination`): ISO times, level names, credentials redacted. */
export function createLogger(
  level: LogLevel = 'info',
  destination?: DestinationStream,
): PinoLogger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
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

/** What the request log line adds to pino-http's own `req`, `res` and `responseTime`. */
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

/**
 * One line per request, written when the response is finished (or the client went away): 2xx and
 * 3xx at `info`, 4xx at `warn` with the problem's code, 5xx at `error` with the error and its
 * stack (the problem middleware puts the error on `response.err` for 5xx only).
 */
export function requestLogger(logger: PinoLogger, context: RequestLogContext): RequestHandler {
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
  return pinoHttp<Request, Response>({
    logger,
    // Also here, in case the logger handed in was built without it.
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    // The id the app already gave the request (and sent back as X-Request-Id).
    genReqId: (_request, response) => locals(response).requestId ?? '',
    customLogLevel: (_request, response, error) => {
      if (error !== undefined || response.statusCode >= 500) return 'error';
      if (response.statusCode >= 400 || !response.writableFinished) return 'warn';
      return 'info';
    },
    serializers: {
      req: withoutSignInSecrets,
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    customSuccessObject: (request, response, value: Record<string, unknown>) => ({
      ...value,
      ...fields(request, response),
    }),
    customErrorObject: (request, response, error, value: Record<string, unknown>) => {
      // Without an error of its own (a 503 from /ready, say) pino-http makes one up: its stack
      // would only point at pino-http, so the line goes without it.
      const madeUp = response.err === undefined && error.message.startsWith('failed with status');
      const { err: _madeUp, ...withoutError } = value;
      return { ...(madeUp ? withoutError : value), ...fields(request, response) };
    },
  });
}
