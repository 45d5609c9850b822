/**
 * Worker thread of benchmark 2's durable baseline (`bareServer.ts` with a file): it owns a raw
 * better-sqlite3 connection (WAL, synchronous=FULL) and commits the rows posted to it in groups.
 * The rows that arrived while a commit was running go in the next one, in one transaction, one
 * fsync; each is acknowledged (its request id posted back) once its commit has returned. That is
 * group commit with nothing around it: no checks, no Merkle tree, no projections.
 */
import {
  parentPort,
  receiveMessageOnPort,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import { RawEventWriter, type RawEventRow } from './rawSqlite';

/** One row to commit, with the id of the request waiting for it. */
export interface DurableRowMessage {
  readonly requestId: number;
  readonly row: RawEventRow;
}

/** What the thread posts back: the requests whose rows are durable, or why a commit failed. */
export type DurableAck =
  | { readonly committed: readonly number[] }
  | { readonly failed: readonly number[]; readonly message: string };

/** The most rows one commit gathers, as the tracker's writer thread. */
const MOST_ROWS_A_COMMIT = 1024;

function commitInGroups(port: MessagePort, writer: RawEventWriter): void {
  port.on('message', (first: DurableRowMessage) => {
    const batch: DurableRowMessage[] = [first];
    for (;;) {
      if (batch.length >= MOST_ROWS_A_COMMIT) break;
      const next = receiveMessageOnPort(port);
      if (next === undefined) break;
      batch.push(next.message as DurableRowMessage);
    }
    const requestIds = batch.map((message) => message.requestId);
    try {
      writer.insertBatch(batch.map((message) => message.row));
      const ack: DurableAck = { committed: requestIds };
      port.postMessage(ack);
    } catch (error: unknown) {
      const ack: DurableAck = {
        failed: requestIds,
        message: error instanceof Error ? error.message : String(error),
      };
      port.postMessage(ack);
    }
  });
}

if (parentPort !== null) commitInGroups(parentPort, new RawEventWriter(workerData as string));
