import { randomBytes } from 'node:crypto';
import { FrontierTreeNodes } from '../../src/auditLog/frontierTreeNodes';
import {
  appendLeaf,
  emptyRoot,
  leafHash,
  MemoryTreeNodes,
  rootAt,
  rootFromLeafHashes,
} from '../../src/auditLog/merkleTree';

describe('The right-edge node store', () => {
  it('gives the same root as the full store and the RFC 9162 recursion at every size', () => {
    const frontier = new FrontierTreeNodes();
    const full = new MemoryTreeNodes();
    const leaves: Uint8Array[] = [];
    expect(rootAt(frontier)).toEqual(emptyRoot());
    for (let size = 1; size <= 300; size++) {
      const leaf = leafHash(randomBytes(size % 7));
      leaves.push(leaf);
      appendLeaf(frontier, leaf);
      appendLeaf(full, leaf);
      expect(frontier.leafCount()).toBe(size);
      expect(rootAt(frontier)).toEqual(rootAt(full));
      expect(rootAt(frontier)).toEqual(rootFromLeafHashes(leaves));
    }
  });

  it('keeps one node a level: earlier sizes are refused rather than answered wrong', () => {
    const frontier = new FrontierTreeNodes();
    for (let i = 0; i < 6; i++) appendLeaf(frontier, leafHash(Uint8Array.of(i)));
    // After 6 leaves the right edge is [0,4) and [4,6): leaf 5 is kept, leaf 3 is not.
    expect(frontier.hashAt(2, 0)).toBeDefined();
    expect(frontier.hashAt(1, 2)).toBeDefined();
    expect(frontier.hashAt(0, 5)).toBeDefined();
    expect(frontier.hashAt(0, 3)).toBeUndefined();
    expect(() => rootAt(frontier, 3)).toThrow(/no node/);
  });
});
