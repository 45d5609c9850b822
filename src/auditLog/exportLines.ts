/**
 * The byte-level half of checking an audit export: the file read in large chunks, split into
 * lines on the line feed byte, and for every line what can be told from its bytes alone — its
 * RFC 9162 leaf hash (of the bytes as read), whether the bytes are UTF-8, and whether they are
 * plainly in canonical form (`isPlainCanonicalJsonText`). None of it needs the line parsed, so it
 * can run on a second thread (`exportLineWorker.ts`) while the verifier parses, checks, decodes
 * and folds the lines on the first; or in the same thread, with the same result.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { isPlainCanonicalJsonText } from './canonicalText';
import { FrontierTreeNodes } from './frontierTreeNodes';
import type { ExportVerifier, RecordTree } from './exportVerifier';
import { appendLeaf, emptyRoot, HASH_SIZE, leafHash, rootAt } from './merkleTree';

/** The line's bytes are UTF-8. */
export const LINE_UTF8 = 1;
/** The line's bytes are UTF-8 and certainly their own canonical form. */
export const LINE_PLAIN_CANONICAL = 2;

/** Complete lines of the file, in order, with what their bytes tell. */
export interface LineBatch {
  /** Holds every line of the batch (the chunk as read). */
  readonly bytes: Uint8Array;
  readonly count: number;
  /** Per line, its start and end (exclusive, before the line feed) in `bytes`. */
  readonly bounds: Int32Array;
  /** Per line, its leaf hash: `HASH_SIZE` bytes from `HASH_SIZE * i`; none when they went to a `LineTree`. */
  readonly leaves?: Uint8Array;
  /** Per line, `LINE_UTF8 | LINE_PLAIN_CANONICAL` bits. */
  readonly flags: Uint8Array;
}

export const CHUNK_SIZE = 1024 * 1024;

/**
 * The tree over a file's lines as they are read, for when they are not appended where they are
 * parsed. Which lines are records only the parsing side knows: all lines before the tree head
 * line, i.e. all but the last in an export as written, or all of them when the head is missing.
 * So the tree keeps each line's leaf back until the next line comes, and at the end knows the
 * roots over all lines and over all but the last, plus those at the sizes asked for beforehand.
 * A root at any other size (an export with lines after its head) takes another pass (`rootOfLines`).
 */
export class LineTree {
  private readonly nodes = new FrontierTreeNodes();
  private pending: Uint8Array | undefined;
  private lines = 0;
  private readonly roots = new Map<number, Uint8Array>();
  private readonly wanted: ReadonlySet<number>;

  constructor(sizes: readonly number[]) {
    this.wanted = new Set(sizes);
    this.roots.set(0, emptyRoot());
  }

  add(leaf: Uint8Array): void {
    if (this.pending !== undefined) this.append(this.pending);
    this.pending = leaf;
    this.lines++;
  }

  private append(leaf: Uint8Array): void {
    appendLeaf(this.nodes, leaf);
    const size = this.nodes.leafCount();
    if (this.wanted.has(size)) this.roots.set(size, rootAt(this.nodes));
  }

  /** The roots known once every line was added: by tree size. */
  finish(): Map<number, Uint8Array> {
    this.roots.set(this.nodes.leafCount(), rootAt(this.nodes));
    if (this.pending !== undefined) {
      this.append(this.pending);
      this.pending = undefined;
      this.roots.set(this.nodes.leafCount(), rootAt(this.nodes));
    }
    return this.roots;
  }

  lineCount(): number {
    return this.lines;
  }
}

/** MTH of the file's first `size` lines (a second pass, for a size the first did not keep). */
export function rootOfLines(file: string, size: number): Uint8Array {
  const tree = new LineTree([size]);
  for (const batch of readLineBatches(file, CHUNK_SIZE, tree)) {
    if (tree.lineCount() > size) break;
    void batch;
  }
  const root = tree.finish().get(size);
  if (root === undefined) throw new Error(`the file has fewer than ${size} lines`);
  return root;
}

function describe(
  bytes: Uint8Array,
  starts: number[],
  ends: number[],
  tree: LineTree | undefined,
): LineBatch {
  const count = starts.length;
  const bounds = new Int32Array(2 * count);
  const leaves = tree === undefined ? new Uint8Array(HASH_SIZE * count) : undefined;
  const flags = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    bounds[2 * i] = start;
    bounds[2 * i + 1] = end;
    const line = bytes.subarray(start, end);
    if (leaves !== undefined) leaves.set(leafHash(line), HASH_SIZE * i);
    else tree!.add(leafHash(line));
    if (isUtf8(line)) {
      flags[i] =
        LINE_UTF8 | (isPlainCanonicalJsonText(bytes, start, end) ? LINE_PLAIN_CANONICAL : 0);
    }
  }
  return { bytes, count, bounds, flags, ...(leaves !== undefined && { leaves }) };
}

/**
 * The file's lines in batches of about `chunkSize` bytes, read synchronously. Each batch owns its
 * buffer (a line cut by a chunk's end is carried into the next buffer, which grows for a line
 * longer than a chunk), so a batch can be handed to another thread. The last line needs no line
 * feed. With a `tree`, the leaves go to it instead of into the batches.
 */
export function* readLineBatches(
  file: string,
  chunkSize: number = CHUNK_SIZE,
  tree?: LineTree,
): Generator<LineBatch, void, undefined> {
  const fd = openSync(file, 'r');
  try {
    let carried: Uint8Array = new Uint8Array(0);
    for (;;) {
      const buffer = Buffer.allocUnsafeSlow(Math.max(chunkSize, 2 * carried.length));
      buffer.set(carried, 0);
      let filled = carried.length;
      let eof = false;
      while (filled < buffer.length) {
        const read = readSync(fd, buffer, filled, buffer.length - filled, null);
        if (read === 0) {
          eof = true;
          break;
        }
        filled += read;
      }
      const starts: number[] = [];
      const ends: number[] = [];
      let start = 0;
      for (let end = buffer.indexOf(0x0a, 0); end !== -1 && end < filled;) {
        starts.push(start);
        ends.push(end);
        start = end + 1;
        end = start < filled ? buffer.indexOf(0x0a, start) : -1;
      }
      if (eof && start < filled) {
        starts.push(start);
        ends.push(filled);
        start = filled;
      }
      // A copy: the batch's buffer may be handed to another thread once yielded.
      carried = new Uint8Array(buffer.subarray(start, filled));
      if (starts.length > 0) yield describe(buffer, starts, ends, tree);
      if (eof) return;
    }
  } finally {
    closeSync(fd);
  }
}

/** The records' tree from a `LineTree`'s roots, reading the file again for any other size. */
export function recordTreeOf(file: string, roots: ReadonlyMap<number, Uint8Array>): RecordTree {
  // Any other size means lines after the head line (a finding already): rare, and worth a pass.
  return { rootAt: (size) => roots.get(size) ?? rootOfLines(file, size) };
}

/** Hands a batch's lines to the verifier with what their bytes told. */
export function feedLines(verifier: ExportVerifier, batch: LineBatch): void {
  const { bytes, bounds, leaves, flags } = batch;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < batch.count; i++) {
    const start = bounds[2 * i]!;
    const end = bounds[2 * i + 1]!;
    verifier.line(
      buffer.toString('utf8', start, end),
      undefined,
      leaves === undefined
        ? { flags: flags[i]! }
        : { leaf: leaves.subarray(HASH_SIZE * i, HASH_SIZE * (i + 1)), flags: flags[i]! },
    );
  }
}
