/**
 * The Merkle tree of RFC 9162 §2.1 (Certificate Transparency 2.0, same tree as RFC 6962), over the
 * event log: hashes, inclusion and consistency proofs, and an incremental node store.
 *
 * Tree sizes and indices are plain numbers and all arithmetic on them is done with division and
 * remainder, never with the 32-bit bitwise operators, so that sizes up to 2^53 - 1 are exact.
 */
import * as crypto from 'node:crypto';

/** SHA-256 output length: every leaf, node, root and proof element has exactly this many bytes. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/**
 * One-shot SHA-256 (`crypto.hash`, Node 20.12 and later) of one buffer, as a plain Uint8Array
 * view: a third of the cost of a Hash object for a short input, which is every node and most
 * leaves. Undefined on an older Node, where the Hash object is used.
 */
const oneShot = (
  crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }
).hash;

function sha256Of(data: Uint8Array): Uint8Array {
  const digest = oneShot!('sha256', data, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}

/** Prefix and input side by side for the one-shot hash; grown for a longer input, up to a limit. */
let scratch = new Uint8Array(4096);
const SCRATCH_LIMIT = 1024 * 1024;
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/**
 * RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0)). The 0x00 / 0x01 prefixes keep a leaf from
 * ever being passed off as an interior node (second-preimage resistance, RFC 9162 §2.1.1).
 */
export function leafHash(input: Uint8Array): Uint8Array {
  if (oneShot === undefined || input.length >= SCRATCH_LIMIT) return sha256(LEAF_PREFIX, input);
  if (input.length + 1 > scratch.length) {
    scratch = new Uint8Array(Math.min(SCRATCH_LIMIT, 2 * (input.length + 1)));
  }
  scratch[0] = 0x00;
  scratch.set(input, 1);
  return sha256Of(scratch.subarray(0, input.length + 1));
}

/** RFC 9162 §2.1.1: HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (oneShot === undefined || left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return sha256(NODE_PREFIX, left, right);
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256Of(nodeInput);
}

/** RFC 9162 §2.1.1: the hash of an empty list is the hash of an empty string. */
export function emptyRoot(): Uint8Array {
  return sha256();
}

export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** The largest power of two strictly less than n (n >= 2): the split point k of RFC 9162 §2.1.1. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

function log2Exact(n: number): number {
  let level = 0;
  while (n > 1) {
    n /= 2;
    level++;
  }
  return level;
}

/**
 * MTH(D[n]) straight from the recursive definition of RFC 9162 §2.1.1, over the leaves' inputs.
 * O(n): the reference the incremental store is checked against, and a verifier's way to recompute
 * a root from an export.
 */
export function merkleTreeHash(inputs: readonly Uint8Array[]): Uint8Array {
  return rootFromLeafHashes(inputs.map(leafHash));
}

/** MTH over leaf hashes already computed (the same recursion, one level of hashing less). */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot();
  const go = (start: number, end: number): Uint8Array => {
    if (end - start === 1) return leafHashes[start]!;
    const k = largestPowerOfTwoBelow(end - start);
    return nodeHash(go(start, start + k), go(start + k, end));
  };
  return go(0, leafHashes.length);
}

// ---------------------------------------------------------------------------------------------
// Node store
// ---------------------------------------------------------------------------------------------

/**
 * Read access to the hashes of the tree's complete subtrees. The node at (level, index) is the root
 * of the perfect subtree over leaves [index * 2^level, (index + 1) * 2^level); level 0 holds the
 * leaf hashes. Only complete subtrees are stored: they never change once the log has grown past
 * them, so a node written once stays valid for every later tree size (the log is append-only).
 * Anything else a root or proof needs is folded from at most log2(n) of them.
 */
export interface TreeNodes {
  /** The number of leaves appended so far. */
  leafCount(): number;
  /** The node's hash, or undefined if that subtree is not complete (or not stored). */
  hashAt(level: number, index: number): Uint8Array | undefined;
}

export interface NodeWrite {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/** A store that can take the writes of one append, e.g. in the same transaction as the event. */
export interface WritableTreeNodes extends TreeNodes {
  /** Store `nodes` and set the leaf count to `leafCount`, all or nothing. */
  writeNodes(nodes: readonly NodeWrite[], leafCount: number): void;
}

/**
 * Append one leaf: store its hash and the hash of every subtree it completes (one per trailing 1
 * bit of the new leaf's index, so O(log n) amortised O(1) writes). Returns what was written.
 */
export function appendLeaf(store: WritableTreeNodes, leaf: Uint8Array): NodeWrite[] {
  if (!isHash(leaf)) throw new Error(`a leaf hash must be ${HASH_SIZE} bytes`);
  const n = store.leafCount();
  const writes: NodeWrite[] = [{ level: 0, index: n, hash: leaf }];
  let level = 0;
  let index = n;
  let hash = leaf;
  // A right child (odd index) completes its parent, whose left sibling is already stored.
  while (index % 2 === 1) {
    const left = requireNode(store, level, index - 1);
    hash = nodeHash(left, hash);
    level++;
    index = (index - 1) / 2;
    writes.push({ level, index, hash });
  }
  store.writeNodes(writes, n + 1);
  return writes;
}

function requireNode(store: TreeNodes, level: number, index: number): Uint8Array {
  const h = store.hashAt(level, index);
  if (!isHash(h)) {
    // A missing complete node means the store lost data; a proof built around it would be wrong.
    throw new Error(`tree store has no node at level ${level}, index ${index}`);
  }
  return h;
}

/**
 * MTH(D[start:end]) for the ranges the RFC 9162 recursion produces: either a complete, aligned
 * subtree (one read) or a subtree on the right edge of the tree, which is folded from the complete
 * subtrees it splits into, right to left (at most log2 of its size reads).
 */
function subtreeHash(store: TreeNodes, start: number, end: number): Uint8Array {
  const size = end - start;
  if (isPowerOfTwo(size) && start % size === 0) {
    return requireNode(store, log2Exact(size), start / size);
  }
  if (size < 2) throw new Error(`not a subtree: [${start}, ${end})`);
  const k = largestPowerOfTwoBelow(size);
  return nodeHash(subtreeHash(store, start, start + k), subtreeHash(store, start + k, end));
}

function checkTreeSize(store: TreeNodes, treeSize: number): void {
  if (!isSize(treeSize)) throw new RangeError(`tree size ${treeSize} is not a natural number`);
  if (treeSize > store.leafCount()) {
    throw new RangeError(`tree size ${treeSize} exceeds the ${store.leafCount()} leaves stored`);
  }
}

/**
 * MTH(D[treeSize]) for any size up to the current one: earlier sizes stay provable because their
 * complete subtrees are never rewritten.
 */
export function rootAt(store: TreeNodes, treeSize: number = store.leafCount()): Uint8Array {
  checkTreeSize(store, treeSize);
  return treeSize === 0 ? emptyRoot() : subtreeHash(store, 0, treeSize);
}

/**
 * RFC 9162 §2.1.3.1: the inclusion proof (audit path) PATH(m, D[n]) of leaf m in the tree of size
 * n, ordered from the leaf's sibling up to the root's child.
 *   PATH(0, {d(0)}) = {}
 *   m < k:  PATH(m, D[0:k]) : MTH(D[k:n])
 *   m >= k: PATH(m - k, D[k:n]) : MTH(D[0:k])
 */
export function inclusionProof(
  store: TreeNodes,
  leafIndex: number,
  treeSize: number,
): Uint8Array[] {
  checkTreeSize(store, treeSize);
  if (!isSize(leafIndex) || leafIndex >= treeSize) {
    throw new RangeError(`leaf ${leafIndex} is not in a tree of size ${treeSize}`);
  }
  const path = (m: number, start: number, end: number): Uint8Array[] => {
    if (end - start === 1) return [];
    const k = largestPowerOfTwoBelow(end - start);
    return m < k
      ? [...path(m, start, start + k), subtreeHash(store, start + k, end)]
      : [...path(m - k, start + k, end), subtreeHash(store, start, start + k)];
  };
  return path(leafIndex, 0, treeSize);
}

/**
 * RFC 9162 §2.1.4.1: the consistency proof PROOF(m, D[n]) = SUBPROOF(m, D[n], true) that the tree
 * of size m is a prefix of the tree of size n.
 *   SUBPROOF(m, D[m], true) = {}
 *   SUBPROOF(m, D[m], false) = {MTH(D[m])}
 *   m <= k: SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
 *   m > k:  SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
 * By the RFC's convention (§2.1.4.2 verifies 0 < m < n) the proof is empty when m is 0 or m = n.
 */
export function consistencyProof(store: TreeNodes, fromSize: number, toSize: number): Uint8Array[] {
  checkTreeSize(store, toSize);
  if (!isSize(fromSize) || fromSize > toSize) {
    throw new RangeError(`tree size ${fromSize} is not a prefix of size ${toSize}`);
  }
  if (fromSize === 0 || fromSize === toSize) return [];
  const subproof = (m: number, start: number, end: number, whole: boolean): Uint8Array[] => {
    if (m === end - start) return whole ? [] : [subtreeHash(store, start, end)];
    const k = largestPowerOfTwoBelow(end - start);
    return m <= k
      ? [...subproof(m, start, start + k, whole), subtreeHash(store, start + k, end)]
      : [...subproof(m - k, start + k, end, false), subtreeHash(store, start, start + k)];
  };
  return subproof(fromSize, 0, toSize, true);
}

/**
 * RFC 9162 §2.1.3.2: verify that `leaf` (a leaf hash) is at `leafIndex` in the tree of `treeSize`
 * whose root is `root`. Any malformed input (wrong hash lengths, index out of range, a path of the
 * wrong length) fails rather than throws: the proof comes from a party the verifier does not trust.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  leafIndex: number,
  treeSize: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leaf) || !isHash(root) || !path.every(isHash)) return false;
  if (!isSize(leafIndex) || !isSize(treeSize)) return false;
  // Step 1.
  if (leafIndex >= treeSize) return false;
  // Steps 2 and 3.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  // Step 4.
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // 4.b.ii: a left child on the right edge has no sibling at the levels it climbs here.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 5: sn = 0 rejects a path that stopped short of the root.
  return sn === 0 && hashesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: verify that the tree of `fromSize` with root `fromRoot` is a prefix of the
 * tree of `toSize` with root `toRoot`. The RFC's algorithm is for 0 < fromSize < toSize; the edge
 * cases follow the same reading as the reference verifier (transparency-dev/merkle):
 * fromSize = toSize needs an empty proof and equal roots, fromSize = 0 needs an empty proof (every
 * tree extends the empty one).
 */
export function verifyConsistency(
  fromSize: number,
  toSize: number,
  path: readonly Uint8Array[],
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): boolean {
  if (!isHash(fromRoot) || !isHash(toRoot) || !path.every(isHash)) return false;
  if (!isSize(fromSize) || !isSize(toSize) || fromSize > toSize) return false;
  if (fromSize === toSize) return path.length === 0 && hashesEqual(fromRoot, toRoot);
  if (fromSize === 0) return path.length === 0;
  // Step 1.
  if (path.length === 0) return false;
  // Step 2: a power-of-two old tree is itself a node of the new one, so the proof leaves it out.
  const proof = isPowerOfTwo(fromSize) ? [fromRoot, ...path] : [...path];
  // Steps 3 and 4.
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 5.
  let fr = proof[0]!;
  let sr = proof[0]!;
  // Step 6.
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      // 6.b.iii, as 4.b.ii above.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 7.
  return sn === 0 && hashesEqual(fr, fromRoot) && hashesEqual(sr, toRoot);
}

// ---------------------------------------------------------------------------------------------
// In-memory store
// ---------------------------------------------------------------------------------------------

/** A node store in memory, for tests and for a verifier that rebuilds the tree from an export. */
export class MemoryTreeNodes implements WritableTreeNodes {
  private readonly levels: Uint8Array[][] = [];
  private count = 0;

  leafCount(): number {
    return this.count;
  }

  hashAt(level: number, index: number): Uint8Array | undefined {
    return this.levels[level]?.[index];
  }

  writeNodes(nodes: readonly NodeWrite[], leafCount: number): void {
    for (const { level, index, hash } of nodes) {
      (this.levels[level] ??= [])[index] = hash;
    }
    this.count = leafCount;
  }
}
