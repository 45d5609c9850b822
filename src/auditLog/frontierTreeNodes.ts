/**
 * A node store that keeps only the tree's right edge: the latest complete subtree of each level.
 * That is all `appendLeaf` reads (the left sibling of each node it completes) and all `rootAt`
 * reads for the current size (one node per 1 bit of the size), so a verifier that streams an
 * export through `appendLeaf` holds O(log n) hashes, not the 2n a `MemoryTreeNodes` would, and
 * still computes the root with the same functions as the server. Earlier sizes cannot be asked
 * for afterwards: read the root when the count reaches them.
 */
import type { NodeWrite, WritableTreeNodes } from './merkleTree';

export class FrontierTreeNodes implements WritableTreeNodes {
  /** Per level, the index and hash of the latest complete subtree written. */
  private readonly edge: { index: number; hash: Uint8Array }[] = [];
  private count = 0;

  leafCount(): number {
    return this.count;
  }

  /** Undefined for any node that is not the latest of its level (not kept). */
  hashAt(level: number, index: number): Uint8Array | undefined {
    const node = this.edge[level];
    return node !== undefined && node.index === index ? node.hash : undefined;
  }

  writeNodes(nodes: readonly NodeWrite[], leafCount: number): void {
    for (const { level, index, hash } of nodes) this.edge[level] = { index, hash };
    this.count = leafCount;
  }
}
