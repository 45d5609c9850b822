/**
 * The browser's verifier against the server's own tree and signatures: every proof the server
 * builds verifies in WebCrypto, and any changed bit, size or index fails. Node has the same
 * `crypto.subtle` the browser has.
 */
import { createHash } from 'node:crypto';
import {
  appendLeaf,
  consistencyProof,
  inclusionProof,
  leafHash as serverLeafHash,
  MemoryTreeNodes,
  nodeHash as serverNodeHash,
  rootAt,
} from '../../src/auditLog/merkleTree';
import {
  generateTreeHeadKeyPair,
  publicKeyToJwk,
  signTreeHead,
  treeHead,
  treeHeadSigningInput as serverSigningInput,
} from '../../src/auditLog/treeHead';
import {
  base64ToBytes,
  base64UrlToBytes,
  bytesToBase64,
  bytesToBase64Url,
  decodeHashes,
  jwkThumbprint,
  leafHash,
  nodeHash,
  treeHeadSigningInput,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHeadSignature,
  type SignedTreeHead,
} from '../../web/src/lib/merkleVerify';

const hex = (h: Uint8Array): string => Buffer.from(h).toString('hex');

/** A deterministic stream of pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function flipBit(h: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(h);
  copy[Math.floor(bit / 8)]! ^= 0x80 >> (bit % 8);
  return copy;
}

function replaced(path: readonly Uint8Array[], i: number, h: Uint8Array): Uint8Array[] {
  const copy = [...path];
  copy[i] = h;
  return copy;
}

/** A tree of `size` leaves whose inputs are the bytes of "leaf <i>", built by the server's code. */
function serverTree(size: number): { store: MemoryTreeNodes; inputs: Uint8Array[] } {
  const store = new MemoryTreeNodes();
  const inputs: Uint8Array[] = [];
  for (let i = 0; i < size; i++) {
    const input = new TextEncoder().encode(`{"position":${i + 1},"leaf":${i}}`);
    inputs.push(input);
    appendLeaf(store, serverLeafHash(input));
  }
  return { store, inputs };
}

describe('hashes', () => {
  it('are the server hashes: SHA-256 with the 0x00 leaf and 0x01 node prefixes', async () => {
    const input = new TextEncoder().encode('{"position":1}');
    expect(hex(await leafHash(input))).toBe(hex(serverLeafHash(input)));
    expect(hex(await leafHash(input))).toBe(
      createHash('sha256')
        .update(Buffer.concat([Buffer.of(0), input]))
        .digest('hex'),
    );
    const a = serverLeafHash(Uint8Array.of(1));
    const b = serverLeafHash(Uint8Array.of(2));
    expect(hex(await nodeHash(a, b))).toBe(hex(serverNodeHash(a, b)));
    // The RFC 6962 / 9162 known answer: the hash of the empty leaf.
    expect(hex(await leafHash(new Uint8Array(0)))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
  });
});

describe('inclusion proofs from the server', () => {
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33];
  const draw = random(9162);
  for (let i = 0; i < 6; i++) sizes.push(1 + Math.floor(draw() * 200));

  it.each(sizes)('every leaf of a tree of %i verifies, and a flipped bit fails', async (size) => {
    const { store, inputs } = serverTree(size);
    const root = rootAt(store, size);
    const bit = random(size);
    for (let index = 0; index < size; index++) {
      const leaf = await leafHash(inputs[index]!);
      const path = inclusionProof(store, index, size);
      await expect(verifyInclusion(leaf, index, size, path, root)).resolves.toBe(true);

      await expect(
        verifyInclusion(flipBit(leaf, Math.floor(bit() * 256)), index, size, path, root),
      ).resolves.toBe(false);
      await expect(
        verifyInclusion(leaf, index, size, path, flipBit(root, Math.floor(bit() * 256))),
      ).resolves.toBe(false);
      if (path.length > 0) {
        const at = Math.floor(bit() * path.length);
        const tampered = replaced(path, at, flipBit(path[at]!, Math.floor(bit() * 256)));
        await expect(verifyInclusion(leaf, index, size, tampered, root)).resolves.toBe(false);
        await expect(verifyInclusion(leaf, index, size, path.slice(1), root)).resolves.toBe(false);
      }
      await expect(
        verifyInclusion(leaf, index, size, [...path, path[0] ?? root], root),
      ).resolves.toBe(false);
      if (size > 1) {
        // The same proof claimed for a neighbouring leaf. (Not for another tree size: a path
        // can fit several sizes; the size is bound by the signed head, not by the proof.)
        await expect(verifyInclusion(leaf, (index + 1) % size, size, path, root)).resolves.toBe(
          false,
        );
      }
    }
  });

  it('fails rather than throws on malformed input', async () => {
    const { store, inputs } = serverTree(5);
    const leaf = await leafHash(inputs[2]!);
    const path = inclusionProof(store, 2, 5);
    const root = rootAt(store, 5);
    await expect(verifyInclusion(leaf, 5, 5, path, root)).resolves.toBe(false);
    await expect(verifyInclusion(leaf, -1, 5, path, root)).resolves.toBe(false);
    await expect(verifyInclusion(leaf, 2.5, 5, path, root)).resolves.toBe(false);
    await expect(verifyInclusion(leaf.slice(1), 2, 5, path, root)).resolves.toBe(false);
    await expect(
      verifyInclusion(leaf, 2, 5, [path[0]!.slice(0, 31), ...path.slice(1)], root),
    ).resolves.toBe(false);
  });
});

describe('consistency proofs from the server', () => {
  const pairs: [number, number][] = [
    [1, 1],
    [1, 2],
    [1, 8],
    [2, 5],
    [3, 7],
    [4, 8],
    [6, 8],
    [7, 8],
    [8, 9],
    [5, 33],
  ];
  const draw = random(6962);
  for (let i = 0; i < 10; i++) {
    const to = 1 + Math.floor(draw() * 150);
    pairs.push([1 + Math.floor(draw() * to), to]);
  }

  it.each(pairs)('%i → %i verifies, and a flipped bit fails', async (from, to) => {
    const { store } = serverTree(to);
    const fromRoot = rootAt(store, from);
    const toRoot = rootAt(store, to);
    const path = consistencyProof(store, from, to);
    const bit = random(from * 1000 + to);
    await expect(verifyConsistency(from, to, path, fromRoot, toRoot)).resolves.toBe(true);

    await expect(
      verifyConsistency(from, to, path, flipBit(fromRoot, Math.floor(bit() * 256)), toRoot),
    ).resolves.toBe(false);
    await expect(
      verifyConsistency(from, to, path, fromRoot, flipBit(toRoot, Math.floor(bit() * 256))),
    ).resolves.toBe(false);
    for (let at = 0; at < path.length; at++) {
      const tampered = replaced(path, at, flipBit(path[at]!, Math.floor(bit() * 256)));
      await expect(verifyConsistency(from, to, tampered, fromRoot, toRoot)).resolves.toBe(false);
    }
    if (path.length > 0) {
      await expect(verifyConsistency(from, to, path.slice(0, -1), fromRoot, toRoot)).resolves.toBe(
        false,
      );
    }
    if (from < to) {
      // A log rewritten below the saved size: the old head is not a prefix of the new tree.
      const { store: other, inputs } = serverTree(to);
      const rewritten = new MemoryTreeNodes();
      for (let i = 0; i < to; i++) {
        const input = i === from - 1 ? new TextEncoder().encode('edited') : inputs[i]!;
        appendLeaf(rewritten, serverLeafHash(input));
      }
      const rewrittenRoot = rootAt(rewritten, to);
      expect(hex(rewrittenRoot)).not.toBe(hex(rootAt(other, to)));
      await expect(
        verifyConsistency(from, to, consistencyProof(rewritten, from, to), fromRoot, rewrittenRoot),
      ).resolves.toBe(false);
    }
  });

  it('reads the edges as the server does: equal sizes, the empty tree, a shrunk tree', async () => {
    const { store } = serverTree(6);
    const root6 = rootAt(store, 6);
    await expect(verifyConsistency(6, 6, [], root6, root6)).resolves.toBe(true);
    await expect(verifyConsistency(6, 6, [root6], root6, root6)).resolves.toBe(false);
    await expect(verifyConsistency(0, 6, [], rootAt(store, 0), root6)).resolves.toBe(true);
    await expect(
      verifyConsistency(6, 4, consistencyProof(store, 4, 6), root6, rootAt(store, 4)),
    ).resolves.toBe(false);
  });
});

describe('base64', () => {
  it('round-trips bytes and refuses every other spelling', () => {
    const bytes = Uint8Array.from({ length: 33 }, (_, i) => (i * 37) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(hex(base64ToBytes(bytesToBase64(bytes))!)).toBe(hex(bytes));
    expect(bytesToBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    expect(hex(base64UrlToBytes(bytesToBase64Url(bytes))!)).toBe(hex(bytes));
    expect(base64ToBytes('AQ==')).toEqual(Uint8Array.of(1));
    for (const bad of ['AQ', 'AQ=', 'AR==', ' AQ==', 'A-8=', 'AQ==\n']) {
      expect(base64ToBytes(bad)).toBeUndefined();
    }
    expect(decodeHashes([bytesToBase64(new Uint8Array(32))])).toHaveLength(1);
    expect(decodeHashes([bytesToBase64(new Uint8Array(31))])).toBeUndefined();
  });
});

describe('signed tree heads', () => {
  const { privateKey, publicKey } = generateTreeHeadKeyPair();
  const jwk = { ...publicKeyToJwk(publicKey), alg: 'EdDSA', use: 'sig' };
  const { store } = serverTree(11);
  const head: SignedTreeHead = signTreeHead(
    treeHead(11, rootAt(store, 11), new Date('2026-11-30T12:00:00.000Z')),
    privateKey,
  );

  it('signs the same bytes the server signs', () => {
    expect(Buffer.from(treeHeadSigningInput(head)).toString('utf8')).toBe(
      Buffer.from(serverSigningInput(head)).toString('utf8'),
    );
    expect(Buffer.from(treeHeadSigningInput(head)).toString('utf8')).toMatch(
      /^\{"rootHash":"[^"]+","timestamp":"2026-11-30T12:00:00.000Z","treeSize":11\}$/,
    );
  });

  it('verifies a head the server signed, with the key as /audit/key publishes it', async () => {
    await expect(verifyTreeHeadSignature(head, jwk)).resolves.toEqual({ outcome: 'valid' });
  });

  it.each([
    ['treeSize', { treeSize: 12 }],
    ['rootHash', { rootHash: bytesToBase64(flipBit(base64ToBytes(head.rootHash)!, 3)) }],
    ['timestamp', { timestamp: '2026-11-30T12:00:00.001Z' }],
    ['signature', { signature: bytesToBase64(flipBit(base64ToBytes(head.signature)!, 100)) }],
  ])('fails when %s is changed', async (_field, change) => {
    const check = await verifyTreeHeadSignature({ ...head, ...change }, jwk);
    expect(check.outcome).toBe('invalid');
  });

  it('fails with another key, and refuses a malformed head or key', async () => {
    const other = publicKeyToJwk(generateTreeHeadKeyPair().publicKey);
    expect((await verifyTreeHeadSignature(head, other)).outcome).toBe('invalid');
    expect(
      (await verifyTreeHeadSignature({ ...head, timestamp: '2026-11-30T12:00:00Z' }, jwk)).outcome,
    ).toBe('invalid');
    expect((await verifyTreeHeadSignature({ ...head, treeSize: -1 }, jwk)).outcome).toBe('invalid');
    expect((await verifyTreeHeadSignature(head, { ...jwk, x: 'AAAA' })).outcome).toBe('invalid');
  });

  it('says nothing was checked where the page has no WebCrypto (plain HTTP)', async () => {
    const webCrypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      const check = await verifyTreeHeadSignature(head, jwk);
      expect(check.outcome).toBe('unsupported');
    } finally {
      Object.defineProperty(globalThis, 'crypto', webCrypto);
    }
  });

  it('computes the RFC 7638 thumbprint as node does', async () => {
    const thumbprint = createHash('sha256')
      .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x: jwk.x }))
      .digest('base64url');
    await expect(jwkThumbprint(jwk)).resolves.toBe(thumbprint);
  });
});
