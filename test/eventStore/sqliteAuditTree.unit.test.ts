import { appendLeaf, leafHash, MemoryTreeNodes } from '../../src/auditLog/merkleTree';
import { postOrderNumber } from '../../src/eventStore/sqlite/sqliteAuditTree';

describe('the SQLite tree numbers its nodes in post-order', () => {
  it('so that every append writes the next numbers, leaf first: rows only ever go at the end', () => {
    const tree = new MemoryTreeNodes();
    let next = 0;
    for (let leaf = 0; leaf < 5000; leaf++) {
      const writes = appendLeaf(tree, leafHash(Uint8Array.of(leaf % 256, leaf >> 8)));
      for (const { level, index } of writes) {
        expect(postOrderNumber(level, index)).toBe(next);
        next++;
      }
    }
  });

  it('gives each node a number of its own, for sizes up to 2^40 leaves', () => {
    // The root of a perfect tree comes last; its two children just before it, left then right.
    for (const level of [1, 10, 20, 40]) {
      const root = postOrderNumber(level, 0);
      expect(root).toBe(2 ** (level + 1) - 2);
      expect(postOrderNumber(level - 1, 1)).toBe(root - 1);
      expect(postOrderNumber(level - 1, 0)).toBe(2 ** level - 2);
    }
  });
});
