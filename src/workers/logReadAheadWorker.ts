/**
 * The worker thread's side of `sqliteLogReadAhead`: reads event rows page by page on its own
 * read-only connection and posts them as the store's raw rows, staying at most `window` pages
 * ahead of what the reader has taken. Parsing stays with the reader, which needs the objects in
 * its own heap: what crosses the thread is strings and numbers.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { EVENT_COLUMNS, type RawEventRow } from '../eventStore/sqlite/eventRows';
import type { LogReadAheadMessage, LogReadAheadWorkerData } from './logReadAhead';

function run(data: LogReadAheadWorkerData, port: NonNullable<typeof parentPort>): void {
  const db = new Database(data.file, { readonly: true, fileMustExist: true });
  // Each page its own short read: a long scan must not hold one snapshot of the log open, which
  // would keep the writer's checkpoints from reclaiming the WAL for as long as the scan runs.
  const page = db
    .prepare<[number, number, number], RawEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position LIMIT ?`,
    )
    .raw();
  let position = data.after;
  let credits = data.window;
  let finished = false;
  const post = (message: LogReadAheadMessage) => port.postMessage(message);
  const pump = () => {
    while (credits > 0 && !finished) {
      const rows = page.all(position, data.until, data.batchSize);
      const last = rows[rows.length - 1];
      if (last === undefined) {
        finished = true;
        db.close();
        // The reader ends this thread once it has taken the end.
        post({ kind: 'end' });
        return;
      }
      position = last[3];
      credits--;
      post({ kind: 'rows', rows });
    }
  };
  port.on('message', () => {
    credits++;
    try {
      pump();
    } catch (error) {
      fail(error);
    }
  });
  const fail = (error: unknown) => {
    finished = true;
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  };
  try {
    pump();
  } catch (error) {
    fail(error);
  }
}

if (parentPort !== null) {
  const port = parentPort;
  try {
    run(workerData as LogReadAheadWorkerData, port);
  } catch (error) {
    port.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies LogReadAheadMessage);
  }
}
