import type { Logger as PinoLogger } from 'pino';
import { createLogger, type LogLevel } from '../../src/observability/logging';

export type LogLine = Record<string, unknown> & { readonly level: string; readonly msg?: string };

export interface CapturedLogs {
  readonly logger: PinoLogger;
  /** Every line as written, to search for what must never appear. */
  readonly raw: string[];
  readonly lines: LogLine[];
}

/** A logger configured as the server's, writing into memory. */
export function captureLogs(level: LogLevel = 'info'): CapturedLogs {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const logger = createLogger(level, {
    write: (line: string) => {
      raw.push(line);
      lines.push(JSON.parse(line) as LogLine);
    },
  });
  return { logger, raw, lines };
}

/**
 * The request log line is written when the server has finished the response, which the client
 * may see a moment before: wait for it (jest's timeout bounds the wait).
 */
export async function eventually<T>(find: () => T | undefined): Promise<T> {
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The request log lines of one request, by the id the response carried. */
export function requestLines(lines: readonly LogLine[], requestId: unknown): LogLine[] {
  return lines.filter((line) => (line['req'] as { id?: unknown } | undefined)?.id === requestId);
}
