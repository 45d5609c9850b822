/**
 * The second thread of `verifyExportFile`: reads the export, describes its lines
 * (`readLineBatches`) and keeps their tree (`LineTree`), posting each batch to the verifier's thread with its buffers transferred,
 * never more than `window` batches ahead of what the verifier has consumed (it counts them in
 * `consumed`, a shared counter).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LineTree, readLineBatches } from './exportLines';

export interface LineWorkerData {
  readonly file: string;
  readonly chunkSize: number;
  readonly window: number;
  /** Tree sizes whose roots to keep besides the last two (`LineTree`). */
  readonly treeSizes: readonly number[];
  /** Int32Array over a SharedArrayBuffer: [0] batches consumed by the verifier. */
  readonly consumed: Int32Array;
}

export type LineWorkerMessage =
  | {
      readonly kind: 'batch';
      readonly bytes: Uint8Array;
      readonly count: number;
      readonly bounds: Int32Array;
      readonly flags: Uint8Array;
    }
  | {
      readonly kind: 'done';
      readonly lines: number;
      /** The `LineTree`'s roots: [tree size, root]. */
      readonly roots: readonly (readonly [number, Uint8Array])[];
    }
  | { readonly kind: 'error'; readonly message: string };

function run(port: NonNullable<typeof parentPort>, data: LineWorkerData): void {
  let posted = 0;
  const tree = new LineTree(data.treeSizes);
  try {
    for (const batch of readLineBatches(data.file, data.chunkSize, tree)) {
      // Wait while the verifier is `window` batches behind.
      for (let consumed = Atomics.load(data.consumed, 0); posted - consumed >= data.window;) {
        // With a timeout, so that a terminate() from the verifier's thread is never held up.
        Atomics.wait(data.consumed, 0, consumed, 100);
        consumed = Atomics.load(data.consumed, 0);
      }
      const message: LineWorkerMessage = { kind: 'batch', ...batch };
      // Each array owns its buffer (`readLineBatches`), handed over rather than copied.
      port.postMessage(message, [
        batch.bytes.buffer as ArrayBuffer,
        batch.bounds.buffer as ArrayBuffer,
        batch.flags.buffer as ArrayBuffer,
      ]);
      posted++;
    }
    const roots = [...tree.finish()];
    port.postMessage({
      kind: 'done',
      lines: tree.lineCount(),
      roots,
    } satisfies LineWorkerMessage);
  } catch (error) {
    port.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies LineWorkerMessage);
  }
}

if (parentPort !== null) {
  run(parentPort, workerData as LineWorkerData);
  // Stay until the verifier's thread has the last message and terminates this one.
  parentPort.on('message', () => undefined);
}
