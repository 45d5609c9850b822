import {
  appendLeaf,
  consistencyProof,
  emptyRoot,
  HASH_SIZE,
  inclusionProof,
  leafHash,
  MemoryTreeNodes,
  merkleTreeHash,
  nodeHash,
  rootAt,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  type TreeNodes,
} from '../../src/auditLog/merkleTree';

const hex = (h: Uint8Array): string => Buffer.from(h).toString('hex');
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

function storeOf(leafHashes: readonly Uint8Array[]): MemoryTreeNodes {
  const store = new MemoryTreeNodes();
  for (const h of leafHashes) appendLeaf(store, h);
  return store;
}

/** A copy of `h` with bit `bit` (0 = most significant of byte 0) flipped. */
function flipBit(h: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(h);
  copy[Math.floor(bit / 8)]! ^= 0x80 >> (bit % 8);
  return copy;
}

/** A copy of `path` with element `i` replaced (Array.prototype.with is ES2023, beyond our lib). */
function replaced(path: readonly Uint8Array[], i: number, h: Uint8Array): Uint8Array[] {
  const copy = [...path];
  copy[i] = h;
  return copy;
}

/**
 * The roots of every prefix of `hashes`, computed independently of the store: keep the stack of
 * perfect subtrees (a binary counter) and fold it right to left for each size.
 */
function prefixRoots(hashes: readonly Uint8Array[]): Uint8Array[] {
  const roots = [emptyRoot()];
  const stack: { size: number; hash: Uint8Array }[] = [];
  for (const h of hashes) {
    let top = { size: 1, hash: h };
    while (stack.length > 0 && stack[stack.length - 1]!.size === top.size) {
      const left = stack.pop()!;
      top = { size: left.size * 2, hash: nodeHash(left.hash, top.hash) };
    }
    stack.push(top);
    let root = stack[stack.length - 1]!.hash;
    for (let i = stack.length - 2; i >= 0; i--) root = nodeHash(stack[i]!.hash, root);
    roots.push(root);
  }
  return roots;
}

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts the node reads a proof costs. */
function counting(store: TreeNodes): TreeNodes & { reads: number } {
  const counter = {
    reads: 0,
    leafCount: () => store.leafCount(),
    hashAt: (level: number, index: number) => {
      counter.reads++;
      return store.hashAt(level, index);
    },
  };
  return counter;
}

/*
 * Known answers: the eight-leaf tree of the Certificate Transparency reference tests, as published
 * in transparency-dev/merkle proof/verify_test.go (leaves, roots for sizes 1..8, inclusionProofs,
 * consistencyProofs), the same vectors as google/certificate-transparency's merkle_tree_test.
 * There the leaf of an inclusion vector is 1-based; here it is the 0-based leaf index.
 */
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: [leafIndex: number, treeSize: number, path: string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
const CONSISTENCY: [fromSize: number, toSize: number, path: string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

describe('Merkle tree hashes (RFC 9162 §2.1.1): known answers', () => {
  const store = storeOf(LEAVES.map(leafHash));

  it('hashes the empty tree to SHA-256 of the empty string', () => {
    expect(hex(emptyRoot())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(merkleTreeHash([]))).toBe(hex(emptyRoot()));
    expect(hex(rootAt(new MemoryTreeNodes()))).toBe(hex(emptyRoot()));
  });

  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    expect(hex(leafHash(new Uint8Array()))).toBe(ROOTS[0]);
    expect(hex(nodeHash(leafHash(LEAVES[0]!), leafHash(LEAVES[1]!)))).toBe(ROOTS[1]);
  });

  it.each(ROOTS.map((root, i) => [i + 1, root] as const))(
    'gives the published root for size %i, by MTH and from the incremental store',
    (size, root) => {
      expect(hex(merkleTreeHash(LEAVES.slice(0, size)))).toBe(root);
      expect(hex(rootAt(store, size))).toBe(root);
      expect(hex(rootAt(storeOf(LEAVES.slice(0, size).map(leafHash))))).toBe(root);
    },
  );

  it.each(INCLUSION)(
    'generates and verifies the published inclusion proof of leaf %i in size %i',
    (leafIndex, treeSize, path) => {
      expect(inclusionProof(store, leafIndex, treeSize).map(hex)).toEqual(path);
      const root = fromHex(ROOTS[treeSize - 1]!);
      expect(
        verifyInclusion(leafHash(LEAVES[leafIndex]!), leafIndex, treeSize, path.map(fromHex), root),
      ).toBe(true);
    },
  );

  it.each(CONSISTENCY)(
    'generates and verifies the published consistency proof from size %i to %i',
    (fromSize, toSize, path) => {
      expect(consistencyProof(store, fromSize, toSize).map(hex)).toEqual(path);
      const [r1, r2] = [ROOTS[fromSize - 1]!, ROOTS[toSize - 1]!].map(fromHex);
      expect(verifyConsistency(fromSize, toSize, path.map(fromHex), r1!, r2!)).toBe(true);
    },
  );
});

describe('Merkle proofs: refusals', () => {
  const store = storeOf(LEAVES.map(leafHash));
  const root8 = fromHex(ROOTS[7]!);
  const root6 = fromHex(ROOTS[5]!);
  const leaf5 = leafHash(LEAVES[5]!);
  const path58 = inclusionProof(store, 5, 8);
  const path68 = consistencyProof(store, 6, 8);
  const other = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');

  it('rejects the corruptions of the reference verifier tests', () => {
    const inclusion: [string, Parameters<typeof verifyInclusion>][] = [
      ['index - 1', [leaf5, 4, 8, path58, root8]],
      ['index + 1', [leaf5, 6, 8, path58, root8]],
      ['index ^ 2', [leaf5, 7, 8, path58, root8]],
      ['size * 2', [leaf5, 5, 16, path58, root8]],
      ['size / 2', [leaf5, 5, 4, path58, root8]],
      ['index = size', [leaf5, 8, 8, path58, root8]],
      ['empty root', [leaf5, 5, 8, path58, emptyRoot()]],
      ['other root', [leaf5, 5, 8, path58, other]],
      ['short leaf', [leaf5.slice(1), 5, 8, path58, root8]],
      ['trailing root', [leaf5, 5, 8, [...path58, root8], root8]],
      ['trailing empty', [leaf5, 5, 8, [...path58, new Uint8Array()], root8]],
      ['preceding root', [leaf5, 5, 8, [root8, ...path58], root8]],
      ['removed element', [leaf5, 5, 8, path58.slice(0, -1), root8]],
      ['inserted element', [leaf5, 5, 8, [path58[0]!, other, ...path58.slice(1)], root8]],
      ['fractional index', [leaf5, 5.5, 8, path58, root8]],
      ['negative index', [leaf5, -1, 8, path58, root8]],
    ];
    for (const [name, args] of inclusion) {
      expect([name, verifyInclusion(...args)]).toEqual([name, false]);
    }
    const consistency: [string, Parameters<typeof verifyConsistency>][] = [
      ['from - 1', [5, 8, path68, root6, root8]],
      ['from + 1', [7, 8, path68, root6, root8]],
      ['to * 2', [6, 16, path68, root6, root8]],
      ['to / 2', [6, 4, path68, root6, root8]],
      ['swapped roots', [6, 8, path68, root8, root6]],
      ['wrong root1', [6, 8, path68, other, root8]],
      ['wrong root2', [6, 8, path68, root6, other]],
      ['empty proof', [6, 8, [], root6, root8]],
      ['trailing root', [6, 8, [...path68, root8], root6, root8]],
      ['preceding proof[0]', [6, 8, [path68[0]!, ...path68], root6, root8]],
      ['truncated', [6, 8, path68.slice(0, -1), root6, root8]],
      ['time travel', [8, 6, path68, root8, root6]],
      ['same size, other root', [8, 8, [], root6, root8]],
      ['same size, a proof', [8, 8, [root8], root8, root8]],
      ['from empty, a proof', [0, 8, [root8], emptyRoot(), root8]],
    ];
    for (const [name, args] of consistency) {
      expect([name, verifyConsistency(...args)]).toEqual([name, false]);
    }
    expect(verifyConsistency(0, 8, [], emptyRoot(), root8)).toBe(true);
    expect(verifyConsistency(8, 8, [], root8, root8)).toBe(true);
  });

  it('refuses to prove what the store cannot', () => {
    expect(() => inclusionProof(store, 8, 8)).toThrow(RangeError);
    expect(() => inclusionProof(store, 0, 9)).toThrow(RangeError);
    expect(() => inclusionProof(store, 0, 0)).toThrow(RangeError);
    expect(() => consistencyProof(store, 5, 4)).toThrow(RangeError);
    expect(() => consistencyProof(store, 1, 9)).toThrow(RangeError);
    expect(() => rootAt(store, 9)).toThrow(RangeError);
    expect(() => appendLeaf(new MemoryTreeNodes(), new Uint8Array(31))).toThrow(/32 bytes/);
  });

  it('reports a store that lost a node instead of proving around it', () => {
    const broken: TreeNodes = {
      leafCount: () => store.leafCount(),
      hashAt: (level, index) =>
        level === 1 && index === 1 ? undefined : store.hashAt(level, index),
    };
    expect(() => inclusionProof(broken, 0, 8)).toThrow(/no node at level 1, index 1/);
  });
});

describe('Incremental node store', () => {
  it('gives the root of MTH for every size 0..300, now and after the log has grown', () => {
    const random = prng(300);
    const inputs = Array.from({ length: 300 }, (_, i) =>
      Uint8Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256)).map(
        (b) => b ^ i,
      ),
    );
    const hashes = inputs.map(leafHash);
    const store = new MemoryTreeNodes();
    expect(hex(rootAt(store))).toBe(hex(emptyRoot()));
    for (let n = 1; n <= 300; n++) {
      appendLeaf(store, hashes[n - 1]!);
      expect([n, hex(rootAt(store))]).toEqual([n, hex(rootFromLeafHashes(hashes.slice(0, n)))]);
    }
    for (let n = 0; n <= 300; n++) {
      expect([n, hex(rootAt(store, n))]).toEqual([n, hex(merkleTreeHash(inputs.slice(0, n)))]);
    }
  });

  it('writes the leaf and one node per subtree the leaf completes', () => {
    const store = new MemoryTreeNodes();
    const writes = Array.from({ length: 8 }, (_, i) =>
      appendLeaf(store, leafHash(Uint8Array.of(i))).map(({ level, index }) => [level, index]),
    );
    expect(writes).toEqual([
      [[0, 0]],
      [
        [0, 1],
        [1, 0],
      ],
      [[0, 2]],
      [
        [0, 3],
        [1, 1],
        [2, 0],
      ],
      [[0, 4]],
      [
        [0, 5],
        [1, 2],
      ],
      [[0, 6]],
      [
        [0, 7],
        [1, 3],
        [2, 1],
        [3, 0],
      ],
    ]);
    expect(store.hashAt(3, 0)).toEqual(rootAt(store));
  });
});

describe('Merkle proofs: seeded properties', () => {
  const SEED = 9162;
  const random = prng(SEED);
  const MAX = 3000;
  const hashes = Array.from({ length: MAX }, (_, i) =>
    leafHash(Buffer.from(`event ${i} ${random()}`)),
  );
  const store = storeOf(hashes);
  const allRoots = prefixRoots(hashes);
  // Sizes: the awkward small ones, powers of two and their neighbours, and random ones up to MAX.
  const sizes = [
    1,
    2,
    3,
    5,
    7,
    8,
    9,
    33,
    255,
    256,
    257,
    1024,
    1025,
    MAX,
    ...Array.from({ length: 4 }, () => 1 + Math.floor(random() * MAX)),
  ];
  const log2 = (n: number) => Math.ceil(Math.log2(Math.max(n, 2)));
  const everyBit = Array.from({ length: HASH_SIZE * 8 }, (_, b) => b);

  it('checks its independent prefix roots against MTH', () => {
    for (const n of sizes)
      expect(hex(allRoots[n]!)).toBe(hex(rootFromLeafHashes(hashes.slice(0, n))));
  });

  it.each(sizes)(
    'size %i: every inclusion proof verifies against MTH, in O(log n) reads, and flipped bits fail',
    (n) => {
      const root = rootFromLeafHashes(hashes.slice(0, n));
      expect(hex(rootAt(store, n))).toBe(hex(root));
      for (let m = 0; m < n; m++) {
        const counted = counting(store);
        const path = inclusionProof(counted, m, n);
        if (counted.reads > 2 * log2(n) + 1 || path.length > log2(n)) {
          throw new Error(`leaf ${m} of ${n}: ${counted.reads} reads, path of ${path.length}`);
        }
        const leaf = hashes[m]!;
        if (!verifyInclusion(leaf, m, n, path, root)) throw new Error(`leaf ${m} of ${n}`);
        // Every bit of every hash for a few leaves; for the others one random bit of the leaf, the
        // root and one random path element (all of them, for every leaf, would be millions).
        const exhaustive = m < 2 || m === n - 1 || m === Math.floor(n / 2);
        const bits = exhaustive ? everyBit : [Math.floor(random() * 256)];
        const elements = exhaustive
          ? path.map((_, i) => i)
          : path.length > 0
            ? [Math.floor(random() * path.length)]
            : [];
        for (const bit of bits) {
          const bad = [
            verifyInclusion(flipBit(leaf, bit), m, n, path, root),
            verifyInclusion(leaf, m, n, path, flipBit(root, bit)),
            ...elements.map((i) =>
              verifyInclusion(leaf, m, n, replaced(path, i, flipBit(path[i]!, bit)), root),
            ),
          ];
          if (bad.some(Boolean)) throw new Error(`leaf ${m} of ${n}: bit ${bit} flipped verifies`);
        }
      }
    },
  );

  it.each(sizes)(
    'size %i: every consistency proof from a smaller size verifies, in O(log n) reads, and flipped bits fail',
    (n) => {
      const root = rootFromLeafHashes(hashes.slice(0, n));
      for (let m = 0; m <= n; m++) {
        const counted = counting(store);
        const path = consistencyProof(counted, m, n);
        if (counted.reads > 2 * log2(n) + 2)
          throw new Error(`${m} to ${n}: ${counted.reads} reads`);
        const old = allRoots[m]!;
        if (!verifyConsistency(m, n, path, old, root)) throw new Error(`${m} to ${n}`);
        // From the empty tree and to the same size there is no proof to tamper with; a flipped root
        // must still fail when the sizes are equal (covered by the refusals above).
        if (m === 0 || m === n) continue;
        const exhaustive = m === 1 || m === n - 1 || m === Math.floor(n / 2);
        const bits = exhaustive ? everyBit : [Math.floor(random() * 256)];
        const elements = exhaustive ? path.map((_, i) => i) : [Math.floor(random() * path.length)];
        for (const bit of bits) {
          const bad = [
            verifyConsistency(m, n, path, flipBit(old, bit), root),
            verifyConsistency(m, n, path, old, flipBit(root, bit)),
            ...elements.map((i) =>
              verifyConsistency(m, n, replaced(path, i, flipBit(path[i]!, bit)), old, root),
            ),
          ];
          if (bad.some(Boolean)) throw new Error(`${m} to ${n}: bit ${bit} flipped verifies`);
        }
      }
    },
  );
});
