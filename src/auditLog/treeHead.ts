/**
 * Signed tree heads: the log's commitment to its size and root, as in RFC 9162 §4.10 but in JSON.
 * The signature is Ed25519 (RFC 8032) over the RFC 8785 canonical JSON of exactly
 * `{ rootHash, timestamp, treeSize }`, so any party can rebuild the signed bytes from the fields
 * alone. The time is the caller's: this module reads no clock.
 */
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
  type JsonWebKey,
} from 'node:crypto';
import { canonicalJson, canonicalJsonBytes } from './canonicalJson';
import { HASH_SIZE } from './merkleTree';

export interface TreeHead {
  readonly treeSize: number;
  /** The root hash (MTH of the first treeSize leaves), standard base64 with padding. */
  readonly rootHash: string;
  /** ISO 8601 in UTC with milliseconds, as Date.prototype.toISOString writes it. */
  readonly timestamp: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Ed25519 signature over treeHeadSigningInput(head), standard base64. */
  readonly signature: string;
}

/**
 * RFC 7638 thumbprint of an Ed25519 JWK: SHA-256 of the canonical JSON of its required members
 * (`crv`, `kty`, `x`), base64url. The short name by which people compare keys out of band.
 */
export function jwkThumbprint(jwk: Ed25519PublicJwk): string {
  const required = canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(required, 'utf8').digest('base64url');
}

/** A public key as RFC 8037 §2 puts an Ed25519 key in a JWK. */
export interface Ed25519PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  /** The 32-byte public key, base64url without padding (RFC 7515 §2). */
  readonly x: string;
}

const ED25519_SIGNATURE_SIZE = 64;
// One textual form only: a head must have a single signed encoding, and toISOString's is it.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Standard base64 that round-trips: Buffer.from ignores junk, so the re-encoding is compared. */
function decodeBase64(s: string): Buffer | undefined {
  const bytes = Buffer.from(s, 'base64');
  return bytes.toString('base64') === s ? bytes : undefined;
}

/** Why `head` is not a well-formed tree head, or undefined if it is. */
export function treeHeadProblem(head: TreeHead): string | undefined {
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) {
    return 'treeSize must be a natural number';
  }
  if (typeof head.rootHash !== 'string' || decodeBase64(head.rootHash)?.length !== HASH_SIZE) {
    return `rootHash must be ${HASH_SIZE} bytes in standard base64`;
  }
  if (
    typeof head.timestamp !== 'string' ||
    !ISO_UTC.test(head.timestamp) ||
    Number.isNaN(Date.parse(head.timestamp)) ||
    new Date(head.timestamp).toISOString() !== head.timestamp
  ) {
    return 'timestamp must be an ISO 8601 UTC time as YYYY-MM-DDTHH:MM:SS.sssZ';
  }
  return undefined;
}

/** A tree head from a root and a time given by the caller. */
export function treeHead(treeSize: number, rootHash: Uint8Array, timestamp: Date): TreeHead {
  const head = {
    treeSize,
    rootHash: Buffer.from(rootHash).toString('base64'),
    timestamp: timestamp.toISOString(),
  };
  const problem = treeHeadProblem(head);
  if (problem) throw new Error(`not a tree head: ${problem}`);
  return head;
}

/**
 * The bytes that are signed: the JCS canonical JSON of exactly the three fields (any other
 * property, such as `signature`, is left out, so a signed head can be checked as it is).
 */
export function treeHeadSigningInput(head: TreeHead): Uint8Array {
  return canonicalJsonBytes({
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
  });
}

function requireEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`expected an Ed25519 ${type} key`);
  }
}

export function signTreeHead(head: TreeHead, privateKey: KeyObject): SignedTreeHead {
  const problem = treeHeadProblem(head);
  if (problem) throw new Error(`not a tree head: ${problem}`);
  requireEd25519(privateKey, 'private');
  // Ed25519 hashes the message itself (RFC 8032 §5.1.6): node's sign takes no digest for it.
  const signature = sign(null, treeHeadSigningInput(head), privateKey);
  return {
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    signature: signature.toString('base64'),
  };
}

/**
 * Whether `head` is well formed and signed by `publicKey`. A malformed head or signature is a
 * failed verification, not an exception: it comes from a party the verifier does not trust.
 */
export function verifyTreeHead(head: SignedTreeHead, publicKey: KeyObject): boolean {
  requireEd25519(publicKey, 'public');
  if (treeHeadProblem(head) !== undefined || typeof head.signature !== 'string') return false;
  const signature = decodeBase64(head.signature);
  if (signature?.length !== ED25519_SIGNATURE_SIZE) return false;
  return verify(null, treeHeadSigningInput(head), publicKey, signature);
}

export function generateTreeHeadKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

/** The public key as an RFC 8037 §2 JWK, with exactly kty, crv and x. */
export function publicKeyToJwk(publicKey: KeyObject): Ed25519PublicJwk {
  requireEd25519(publicKey, 'public');
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('the key exported without an x coordinate');
  return { kty: 'OKP', crv: 'Ed25519', x };
}

/**
 * A public key from an RFC 8037 JWK. A private JWK (with `d`) is refused: a public key read from a
 * configuration or a download must not quietly be a private one.
 */
export function publicKeyFromJwk(jwk: unknown): KeyObject {
  const j = (typeof jwk === 'object' && jwk !== null ? jwk : {}) as Record<string, unknown>;
  if (j.kty !== 'OKP' || j.crv !== 'Ed25519' || typeof j.x !== 'string') {
    throw new Error('expected an RFC 8037 Ed25519 JWK: { kty: "OKP", crv: "Ed25519", x }');
  }
  if ('d' in j) throw new Error('expected a public JWK, found a private key (d)');
  const raw = Buffer.from(j.x, 'base64url');
  if (raw.length !== 32 || raw.toString('base64url') !== j.x) {
    throw new Error('x must be the 32-byte Ed25519 public key in unpadded base64url');
  }
  const key: JsonWebKey = { kty: 'OKP', crv: 'Ed25519', x: j.x };
  return createPublicKey({ key, format: 'jwk' });
}
