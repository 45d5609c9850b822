/**
 * Child process for benchmark 2's baseline: a bare express 5 server doing only what any server must
 * for the same requests as the tracker, and nothing the tracker does beyond that. For a pledge
 * write it reads the Authorization header, parses the JSON body and answers with the status, an
 * ETag and a JSON body of the tracker's answer's size; for the totals it reads the header and
 * answers a body of the tracker's size. The sizes come from the parent (measured on the tracker's
 * own answers in the same run). Reports `{ port }` over IPC once listening, closes on 'stop'.
 *
 * Started with a file (`PLEDGES_BENCH_BARE_DURABLE_FILE`), it is the durable baseline: each write
 * also stores the body as one event row through a writer thread that group-commits
 * (`durableBareWriter.ts`), and is answered only once its commit has returned. That is the least
 * any server answering durable writes does beyond the bare one.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import express, { type Request, type Response } from 'express';
import { v7 as timeOrderedUuid } from 'uuid';
import type { DurableAck, DurableRowMessage } from './durableBareWriter';
import type { RawEventRow } from './rawSqlite';
import { answerCpuQueries, type ServerReady } from './serverProcess';

/** Byte sizes of the tracker's answers, which the bare answers match. */
export interface BareAnswerSizes {
  readonly writeAnswerBytes: number;
  readonly totalsAnswerBytes: number;
}

export const BARE_SIZES_VARIABLE = 'PLEDGES_BENCH_BARE_SIZES';
/** The SQLite file of the durable baseline; without it the server stores nothing. */
export const BARE_DURABLE_FILE_VARIABLE = 'PLEDGES_BENCH_BARE_DURABLE_FILE';

const IF_MATCH = /^(?:W\/)?"?(\d+)"?$/;

function sizes(): BareAnswerSizes {
  const parsed = JSON.parse(process.env[BARE_SIZES_VARIABLE] ?? '{}') as Partial<BareAnswerSizes>;
  return {
    writeAnswerBytes: parsed.writeAnswerBytes ?? 0,
    totalsAnswerBytes: parsed.totalsAnswerBytes ?? 0,
  };
}

/** The length `JSON.stringify` gives a string of ASCII without escapes, quotes included. */
const quoted = (text: string): number => text.length + 2;

/** Stores one row durably and resolves once its commit has returned. */
type StoreRow = (row: RawEventRow) => Promise<void>;

/** A writer thread on `file`, and the function that hands it rows. */
function durableRows(file: string): { store: StoreRow; close: () => Promise<number> } {
  const writer = new Worker(join(__dirname, 'durableBareWriter.js'), { workerData: file });
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextRequestId = 0;
  writer.on('message', (ack: DurableAck) => {
    const settled = 'committed' in ack ? ack.committed : ack.failed;
    for (const requestId of settled) {
      const request = waiting.get(requestId);
      waiting.delete(requestId);
      if ('committed' in ack) request?.resolve();
      else request?.reject(new Error(ack.message));
    }
  });
  return {
    store: (row) =>
      new Promise<void>((resolve, reject) => {
        const requestId = nextRequestId++;
        waiting.set(requestId, { resolve, reject });
        const message: DurableRowMessage = { requestId, row };
        writer.postMessage(message);
      }),
    close: () => writer.terminate(),
  };
}

function serve(): void {
  const { writeAnswerBytes, totalsAnswerBytes } = sizes();
  const durableFile = process.env[BARE_DURABLE_FILE_VARIABLE];
  const durable = durableFile === undefined ? undefined : durableRows(durableFile);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const unauthenticated = (request: Request, response: Response): boolean => {
    if (request.get('authorization') !== undefined) return false;
    response.status(401).json({ code: 'unauthenticated' });
    return true;
  };

  app.put(
    '/api/v1/plans/:planId/pledges/:memberState',
    express.json({ limit: '256kb', strict: true }),
    (request: Request, response: Response) => {
      if (unauthenticated(request, response)) return;
      const { planId, memberState } = request.params as { planId: string; memberState: string };
      const body = request.body as { lines?: unknown };
      if (!Array.isArray(body.lines)) {
        response.status(400).json({ code: 'invalid_request' });
        return;
      }
      const match = IF_MATCH.exec(request.get('if-match')?.trim() ?? '');
      const version = match === null ? 1 : Number(match[1]) + 1;
      const answer = (): void => {
        // {"planId":…,"memberState":…,"version":…,"padding":"…"}, padded to the tracker's
        // answer's size.
        const unpadded =
          `{"planId":,"memberState":,"version":,"padding":""}`.length +
          quoted(planId) +
          quoted(memberState) +
          String(version).length;
        response.setHeader('ETag', `"${version}"`);
        response.status(version === 1 ? 201 : 200).json({
          planId,
          memberState,
          version,
          padding: 'x'.repeat(Math.max(0, writeAnswerBytes - unpadded)),
        });
      };
      if (durable === undefined) {
        answer();
        return;
      }
      const reason = (body as { reason?: unknown }).reason;
      durable
        .store({
          eventId: timeOrderedUuid(),
          streamId: `pledge-${planId}-${memberState}`,
          version,
          type: version === 1 ? 'PledgeSubmitted' : 'PledgeRevised',
          data: JSON.stringify(body),
          metadata: JSON.stringify({
            recordedAt: new Date().toISOString(),
            ...(typeof reason === 'string' && { reason }),
          }),
        })
        .then(answer, () => {
          response.status(500).json({ code: 'not_stored' });
        });
    },
  );

  app.get('/api/v1/plans/:planId/totals', (request: Request, response: Response) => {
    if (unauthenticated(request, response)) return;
    const { planId } = request.params as { planId: string };
    const unpadded = `{"planId":,"padding":""}`.length + quoted(planId);
    response.json({ planId, padding: 'x'.repeat(Math.max(0, totalsAnswerBytes - unpadded)) });
  });

  answerCpuQueries();
  const server = app.listen(0, '127.0.0.1', () => {
    const ready: ServerReady = { port: (server.address() as AddressInfo).port };
    process.send?.(ready);
  });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    server.closeAllConnections();
    server.close(() => {
      void (durable?.close() ?? Promise.resolve()).then(() => process.exit(0));
    });
  });
}

// Only as the child process: the parent imports this module for the names above.
if (require.main === module) serve();
