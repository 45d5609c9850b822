import type { Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface TrackerMetricsOptions {
  /**
   * The process collectors (CPU, memory, event loop, GC). Each set starts an event-loop monitor and
   * a GC observer that live as long as the process: the server wants them once; tests that build
   * hundreds of apps leave them off.
   */
  readonly processMetrics?: boolean;
}

/** How an append ended, as a bounded label. */
export type AppendOutcome = 'appended' | 'replayed' | 'conflict' | 'error';

const HTTP_LABELS = ['method', 'route', 'status'] as const;

/**
 * The Prometheus metrics of one app, in a registry of its own (never prom-client's global one, so
 * several apps can live in one process). Requests are labelled by route template, never by URL,
 * so the number of series stays bounded whatever clients send.
 */
export class TrackerMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: HTTP_LABELS,
    registers: [this.registry],
  });
  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its response, by method, route template and status',
    labelNames: HTTP_LABELS,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly appendDuration = new Histogram({
    name: 'pledges_event_store_append_duration_seconds',
    help: 'Time an append to the event store took, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: TrackerMetricsOptions = {}) {
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition for `GET /metrics`; gauges read their sources now. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  observeAppend(seconds: number, outcome: AppendOutcome): void {
    this.appendDuration.observe({ outcome }, seconds);
  }

  /** Head position minus checkpoint, read at each scrape; `null` (store unreachable) shows NaN. */
  observeProjectionLag(lag: () => Promise<number | null>): void {
    const gauge: Gauge = new Gauge({
      name: 'pledges_projection_lag_events',
      help: 'How far the read models are behind the event log (head position minus checkpoint); NaN when the store does not answer',
      registers: [this.registry],
      collect: async () => {
        const value = await lag().catch(() => null);
        gauge.set(value ?? Number.NaN);
      },
    });
  }

  /** The store's size on disk, read at each scrape. */
  observeStoreSize(sizeBytes: () => Promise<number>): void {
    const gauge: Gauge = new Gauge({
      name: 'pledges_event_store_size_bytes',
      help: 'Size of the event store in bytes',
      registers: [this.registry],
      collect: async () => {
        gauge.set(await sizeBytes().catch(() => Number.NaN));
      },
    });
  }

  /** Other writers' events that reads of a shared database skipped, read at each scrape. */
  observeForeignEventsSkipped(skipped: () => number): void {
    const gauge: Gauge = new Gauge({
      name: 'pledges_event_store_foreign_events_skipped',
      help: 'Events of other writers sharing the database that reads of the log skipped since start (each counted once); they never reach the read models',
      registers: [this.registry],
      collect: () => {
        gauge.set(skipped());
      },
    });
  }

  /**
   * Counts and times every request once, when its response is finished. A response closed before
   * (the client left, or was cut off at shutdown) is counted with status `aborted`.
   */
  httpMiddleware(routeOf: (request: Request) => string): RequestHandler {
    return (request: Request, response: Response, next) => {
      const stopTimer = this.requestDuration.startTimer();
      let counted = false;
      const count = () => {
        if (counted) return;
        counted = true;
        const labels = {
          method: request.method,
          route: routeOf(request),
          status: response.writableFinished ? String(response.statusCode) : 'aborted',
        };
        stopTimer(labels);
        this.requests.inc(labels);
      };
      response.once('finish', count);
      response.once('close', count);
      next();
    };
  }
}
