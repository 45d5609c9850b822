/**
 * The auditor's side of the verifiable log, in the browser: RFC 9162 §2.1 Merkle proofs and the
 * Ed25519 signature of a tree head, checked with WebCrypto so that nothing the server computed is
 * taken on trust. The algorithms are those of the server's `src/auditLog/merkleTree.ts`, made
 * asynchronous because SubtleCrypto is.
 *
 * Sizes and indices are plain numbers and all arithmetic on them is division and remainder, never
 * the 32-bit bitwise operators, so that sizes up to 2^53 - 1 are exact.
 */

/** SHA-256 output length: every leaf, node, root and proof element has exactly this many bytes. */
export const HASH_SIZE = 32;

/** Bytes held by an ArrayBuffer (not a SharedArrayBuffer), as SubtleCrypto takes them. */
export type Bytes = Uint8Array<ArrayBuffer>;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

function concat(prefix: number | undefined, parts: readonly Uint8Array[]): Bytes {
  const head = prefix === undefined ? 0 : 1;
  const out = new Uint8Array(head + parts.reduce((sum, p) => sum + p.length, 0));
  if (prefix !== undefined) out[0] = prefix;
  let offset = head;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export async function sha256(bytes: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(undefined, [bytes])));
}

/** RFC 9162 §2.1.1: HASH(0x00 || input), the hash of one leaf of the log. */
export async function leafHash(input: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(LEAF_PREFIX, [input])));
}

/** RFC 9162 §2.1.1: HASH(0x01 || left || right). */
export async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(NODE_PREFIX, [left, right])));
}

export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// Not `instanceof Uint8Array`: bytes may come from another realm (a worker, a test environment).
function isHash(h: unknown): h is Uint8Array {
  return ArrayBuffer.isView(h) && h.byteLength === HASH_SIZE && 'BYTES_PER_ELEMENT' in h;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/**
 * RFC 9162 §2.1.3.2: whether `leaf` (a leaf hash) sits at `leafIndex` in the tree of `treeSize`
 * whose root is `root`. Malformed input (wrong lengths, an index out of range, a path of the wrong
 * length) is a failed proof, never an exception: the proof comes from a party not trusted.
 */
export async function verifyInclusion(
  leaf: Uint8Array,
  leafIndex: number,
  treeSize: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (!isHash(leaf) || !isHash(root) || !path.every(isHash)) return false;
  if (!isSize(leafIndex) || !isSize(treeSize)) return false;
  // Step 1.
  if (leafIndex >= treeSize) return false;
  // Steps 2 and 3.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  // Step 4.
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      // 4.b.ii: a left child on the right edge has no sibling at the levels it climbs here.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 5: sn = 0 rejects a path that stopped short of the root.
  return sn === 0 && hashesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: whether the tree of `fromSize` with root `fromRoot` is a prefix of the tree of
 * `toSize` with root `toRoot`. The edge cases read as the server's verifier does (and the reference
 * verifier, transparency-dev/merkle): equal sizes need an empty proof and equal roots; every tree
 * extends the empty one with an empty proof.
 */
export async function verifyConsistency(
  fromSize: number,
  toSize: number,
  path: readonly Uint8Array[],
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): Promise<boolean> {
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
  let fr: Uint8Array = proof[0]!;
  let sr: Uint8Array = proof[0]!;
  // Step 6.
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      // 6.b.iii, as 4.b.ii above.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 7.
  return sn === 0 && hashesEqual(fr, fromRoot) && hashesEqual(sr, toRoot);
}

// ---------------------------------------------------------------------------------------------
// Base64
// ---------------------------------------------------------------------------------------------

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard base64 with padding (RFC 4648 §4), strictly: anything else (whitespace, the URL
 * alphabet, missing padding, non-zero spare bits) is undefined, so one value has one spelling.
 */
export function base64ToBytes(text: string): Bytes | undefined {
  if (typeof text !== 'string' || !STANDARD_BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytesToBase64(bytes) === text ? bytes : undefined;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64url without padding (RFC 7515 §2), as JWKs and thumbprints write bytes. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlToBytes(text: string): Bytes | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    return undefined;
  }
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  return base64ToBytes(standard.padEnd(standard.length + ((4 - (standard.length % 4)) % 4), '='));
}

/** Decodes each base64 hash of a proof; undefined if any is not a 32-byte hash. */
export function decodeHashes(path: readonly string[]): Bytes[] | undefined {
  const hashes: Bytes[] = [];
  for (const element of path) {
    const hash = base64ToBytes(element);
    if (hash?.length !== HASH_SIZE) return undefined;
    hashes.push(hash);
  }
  return hashes;
}

// ---------------------------------------------------------------------------------------------
// Signed tree heads
// ---------------------------------------------------------------------------------------------

export interface TreeHead {
  readonly treeSize: number;
  /** The root hash, standard base64 with padding. */
  readonly rootHash: string;
  /** ISO 8601 in UTC with milliseconds, as Date.prototype.toISOString writes it. */
  readonly timestamp: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Ed25519 over the canonical JSON of { rootHash, timestamp, treeSize }, standard base64. */
  readonly signature: string;
}

/** An Ed25519 public key as RFC 8037 §2 puts it in a JWK (the server adds kid, alg and use). */
export interface Ed25519PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly use?: string;
}

const ED25519_SIGNATURE_SIZE = 64;
const ED25519_KEY_SIZE = 32;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Why `head` is not a well-formed tree head (as the server's `treeHeadProblem` reads it). */
export function treeHeadProblem(head: unknown): string | undefined {
  if (typeof head !== 'object' || head === null) return 'a tree head must be a JSON object';
  const h = head as Record<string, unknown>;
  if (typeof h.treeSize !== 'number' || !isSize(h.treeSize)) {
    return 'treeSize must be a natural number';
  }
  if (typeof h.rootHash !== 'string' || base64ToBytes(h.rootHash)?.length !== HASH_SIZE) {
    return `rootHash must be ${HASH_SIZE} bytes in standard base64`;
  }
  if (
    typeof h.timestamp !== 'string' ||
    !ISO_UTC.test(h.timestamp) ||
    Number.isNaN(Date.parse(h.timestamp)) ||
    new Date(h.timestamp).toISOString() !== h.timestamp
  ) {
    return 'timestamp must be an ISO 8601 UTC time as YYYY-MM-DDTHH:MM:SS.sssZ';
  }
  return undefined;
}

/** Why `head` is not a well-formed signed tree head, or undefined. */
export function signedTreeHeadProblem(head: unknown): string | undefined {
  const problem = treeHeadProblem(head);
  if (problem !== undefined) return problem;
  const signature = (head as Record<string, unknown>).signature;
  if (
    typeof signature !== 'string' ||
    base64ToBytes(signature)?.length !== ED25519_SIGNATURE_SIZE
  ) {
    return `signature must be ${ED25519_SIGNATURE_SIZE} bytes in standard base64`;
  }
  return undefined;
}

/** Why `jwk` is not an RFC 8037 Ed25519 public key, or undefined. */
export function publicJwkProblem(jwk: unknown): string | undefined {
  if (typeof jwk !== 'object' || jwk === null) return 'a public key must be a JSON object (JWK)';
  const j = jwk as Record<string, unknown>;
  if (j.kty !== 'OKP' || j.crv !== 'Ed25519') return 'the key is not an Ed25519 key (kty OKP)';
  if ('d' in j) return 'the key holds a private part (d): a published key never does';
  if (typeof j.x !== 'string' || base64UrlToBytes(j.x)?.length !== ED25519_KEY_SIZE) {
    return `x must be ${ED25519_KEY_SIZE} bytes in base64url`;
  }
  return undefined;
}

/**
 * The signed bytes: RFC 8785 canonical JSON of exactly the three fields. For a well-formed head
 * (an integer and two ASCII strings without escapes) JSON.stringify with the keys in code-point
 * order writes the same text JCS does.
 */
export function treeHeadSigningInput(head: TreeHead): Bytes {
  const text = JSON.stringify({
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    treeSize: head.treeSize,
  });
  return new TextEncoder().encode(text);
}

/** RFC 7638 thumbprint of the key (SHA-256, base64url): the `kid` the server publishes. */
export async function jwkThumbprint(jwk: Ed25519PublicJwk): Promise<string> {
  // Required members only, in lexicographic order, no whitespace (RFC 7638 §3.2).
  const members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return bytesToBase64Url(await sha256(new TextEncoder().encode(members)));
}

export type SignatureCheck =
  | { readonly outcome: 'valid' }
  | { readonly outcome: 'invalid'; readonly reason: string }
  /** This browser's WebCrypto has no Ed25519: nothing was proved either way. */
  | { readonly outcome: 'unsupported'; readonly reason: string };

/**
 * Whether `head` is well formed and signed by the key `jwk`, checked with WebCrypto Ed25519. Only
 * kty, crv and x go to importKey: the key's other members (alg "EdDSA", use, kid) are labels, and
 * some WebCrypto versions refuse an alg they do not spell the same way.
 */
export async function verifyTreeHeadSignature(
  head: SignedTreeHead,
  jwk: Ed25519PublicJwk,
): Promise<SignatureCheck> {
  // Browsers offer SubtleCrypto only in a secure context (HTTPS, or localhost).
  if (typeof crypto === 'undefined' || typeof crypto.subtle === 'undefined') {
    return {
      outcome: 'unsupported',
      reason: 'this page is not served over HTTPS, so the browser offers no WebCrypto',
    };
  }
  const headProblem = signedTreeHeadProblem(head);
  if (headProblem !== undefined) return { outcome: 'invalid', reason: headProblem };
  const keyProblem = publicJwkProblem(jwk);
  if (keyProblem !== undefined) return { outcome: 'invalid', reason: keyProblem };
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey(
      'jwk',
      { kty: jwk.kty, crv: jwk.crv, x: jwk.x },
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    return name === 'NotSupportedError'
      ? { outcome: 'unsupported', reason: 'this browser cannot verify Ed25519 signatures' }
      : { outcome: 'invalid', reason: 'the published key could not be read' };
  }
  const valid = await crypto.subtle.verify(
    { name: 'Ed25519' },
    key,
    base64ToBytes(head.signature)!,
    treeHeadSigningInput(head),
  );
  return valid
    ? { outcome: 'valid' }
    : { outcome: 'invalid', reason: 'the signature does not match the head and the key' };
}
