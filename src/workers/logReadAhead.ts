import { join } from 'node:path';
import type { GlobalPosition, RecordedEvent } from '../eventStore/port';
import { rawToRecordedEvent, type RawEventRow } from '../eventStore/sqlite/eventRows';
import type { LogReadAhead } from '../projections/wholeLog';
import { startWorker } from './typescriptWorker';

export interface LogReadAheadWorkerData {
  readonly file: string;
  readonly after: GlobalPosition;
  readonly until: GlobalPosition;
  readonly batchSize: number;
  /** Pages the worker may read ahead of the reader. */
  readonly window: number;
}

export type LogReadAheadMessage =
  | { readonly kind: 'rows'; readonly rows: readonly RawEventRow[] }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly message: string };

export interface SqliteLogReadAheadOptions {
  /** Fewer events than this are read by the caller itself: a thread costs tens of ms to start. */
  readonly minEvents?: number;
  /** Events per page. Default 250: a page in flight survives a young-generation collection or two, so small pages keep those cheap. */
  readonly batchSize?: number;
  /** Pages read ahead of the fold. Default 4 (about a megabyte of rows). */
  readonly window?: number;
}

const DEFAULT_MIN_EVENTS = 20_000;
const DEFAULT_BATCH_SIZE = 250;
const DEFAULT_WINDOW = 4;

/**
 * Reads an SQLite store's log in a worker thread with its own read-only connection, a few pages
 * ahead of the fold: stepping through SQLite's rows (about half of what reading and parsing the log
 * costs) then runs on the other core, while this thread parses and folds. The rows are the ones the
 * store's `readAll` returns, parsed here by the same code, so what is folded is the same.
 */
export function sqliteLogReadAhead(
  file: string,
  options: SqliteLogReadAheadOptions = {},
): LogReadAhead {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const window = options.window ?? DEFAULT_WINDOW;
  return {
    minEvents: options.minEvents ?? DEFAULT_MIN_EVENTS,
    batches: (after, until) => readInWorker({ file, after, until, batchSize, window }),
  };
}

async function* readInWorker(
  data: LogReadAheadWorkerData,
): AsyncGenerator<readonly RecordedEvent[]> {
  const worker = startWorker(join(__dirname, 'logReadAheadWorker'), data);
  const received: LogReadAheadMessage[] = [];
  let wake: (() => void) | undefined;
  const receive = (message: LogReadAheadMessage) => {
    received.push(message);
    wake?.();
    wake = undefined;
  };
  worker.on('message', receive);
  worker.on('error', (error: Error) => receive({ kind: 'error', message: error.message }));
  worker.on('exit', (code) =>
    receive({ kind: 'error', message: `The read-ahead worker exited with code ${code}` }),
  );
  try {
    for (;;) {
      const message = received.shift();
      if (message === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (message.kind === 'end') return;
      if (message.kind === 'error') throw new Error(message.message);
      // A page taken: the worker may read one more while this one is folded.
      worker.postMessage(undefined);
      yield message.rows.map(rawToRecordedEvent);
    }
  } finally {
    worker.removeAllListeners();
    void worker.terminate();
  }
}
