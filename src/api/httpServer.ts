import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface ServerLimits {
  /** Open connections at most; the next ones are dropped at once. */
  readonly maxConnections: number;
  /** How long a client may take to send its request headers. */
  readonly headersTimeoutMs: number;
  /** How long a client may take to send its whole request (headers and body). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open. */
  readonly keepAliveTimeoutMs: number;
}

/**
 * Against slow or idle clients: 10 s for the headers, 30 s for the whole request (a body is at most
 * PLEDGES_BODY_LIMIT of JSON), 5 s of keep-alive idleness (Node's own default).
 */
export const DEFAULT_SERVER_LIMITS: Omit<ServerLimits, 'maxConnections'> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/** Node checks the two request timeouts on this period (30 s by default, longer than the limits). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export interface TrackerServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<number>;
  /**
   * Stops accepting, closes idle keep-alive connections at once, lets requests in flight finish
   * (their connections close after the response), and after `graceMs` cuts every connection
   * left (slow clients, requests still running). Resolves once the server is closed.
   */
  close(graceMs: number): Promise<void>;
}

export function createTrackerServer(handler: RequestListener, limits: ServerLimits): TrackerServer {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;

  const inFlight = new Set<ServerResponse>();
  let draining = false;
  // A response sent while draining closes its connection, so no keep-alive outlives the drain.
  const closeAfterResponse = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('Connection', 'close');
  };
  server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    if (draining) closeAfterResponse(response);
  });

  let closed: Promise<void> | undefined;
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address !== null ? address.port : port);
        });
      }),
    close: (graceMs) => {
      closed ??= new Promise<void>((resolve) => {
        draining = true;
        for (const response of inFlight) closeAfterResponse(response);
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
