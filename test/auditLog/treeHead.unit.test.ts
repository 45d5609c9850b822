import { createPrivateKey, sign } from 'node:crypto';
import { canonicalJson } from '../../src/auditLog/canonicalJson';
import {
  generateTreeHeadKeyPair,
  publicKeyFromJwk,
  publicKeyToJwk,
  signTreeHead,
  treeHead,
  treeHeadProblem,
  treeHeadSigningInput,
  verifyTreeHead,
  type SignedTreeHead,
} from '../../src/auditLog/treeHead';

/*
 * RFC 8037 Appendix A.1-A.4: the Ed25519 key of RFC 8032 §7.1 test 1 as a JWK, and the JWS it signs
 * (Ed25519 is deterministic, so the signature is a known answer).
 */
const RFC8037_PRIVATE_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
};
const RFC8037_SIGNING_INPUT = 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc';
const RFC8037_SIGNATURE =
  'hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';

const ROOT = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');
const AT = new Date('2024-06-11T09:30:00.123Z');

describe('Tree heads', () => {
  const rfcPrivate = createPrivateKey({ key: RFC8037_PRIVATE_JWK, format: 'jwk' });

  it('uses keys that reproduce the RFC 8037 Ed25519 example', () => {
    const signature = sign(null, Buffer.from(RFC8037_SIGNING_INPUT), rfcPrivate);
    expect(signature.toString('base64url')).toBe(RFC8037_SIGNATURE);
    const jwk = publicKeyToJwk(
      publicKeyFromJwk({ kty: 'OKP', crv: 'Ed25519', x: RFC8037_PRIVATE_JWK.x }),
    );
    expect(jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: RFC8037_PRIVATE_JWK.x });
  });

  it('builds a head with a base64 root and an ISO 8601 time', () => {
    expect(treeHead(8, ROOT, AT)).toEqual({
      treeSize: 8,
      rootHash: 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=',
      timestamp: '2024-06-11T09:30:00.123Z',
    });
  });

  it('signs the canonical JSON of exactly the three fields', () => {
    const head = treeHead(8, ROOT, AT);
    const signed = signTreeHead(head, rfcPrivate);
    const text =
      '{"rootHash":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","timestamp":"2024-06-11T09:30:00.123Z","treeSize":8}';
    expect(Buffer.from(treeHeadSigningInput(head)).toString()).toBe(text);
    expect(Buffer.from(treeHeadSigningInput(signed)).toString()).toBe(text);
    expect(signed.signature).toBe(sign(null, Buffer.from(text), rfcPrivate).toString('base64'));
    expect(Object.keys(signed).sort()).toEqual(['rootHash', 'signature', 'timestamp', 'treeSize']);
    // What a client sees after a JSON round trip still verifies.
    const publicKey = publicKeyFromJwk(publicKeyToJwk(publicKeyOf(rfcPrivate)));
    expect(verifyTreeHead(JSON.parse(JSON.stringify(signed)) as SignedTreeHead, publicKey)).toBe(
      true,
    );
    expect(canonicalJson(signed)).toContain(`"signature":"${signed.signature}"`);
  });

  it('verifies with the generated key pair and the key exported as a JWK and imported back', () => {
    const { privateKey, publicKey } = generateTreeHeadKeyPair();
    const signed = signTreeHead(treeHead(0, Buffer.alloc(32), AT), privateKey);
    const jwk = publicKeyToJwk(publicKey);
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x']);
    expect(Buffer.from(jwk.x, 'base64url')).toHaveLength(32);
    expect(verifyTreeHead(signed, publicKey)).toBe(true);
    expect(verifyTreeHead(signed, publicKeyFromJwk(JSON.parse(JSON.stringify(jwk))))).toBe(true);
    expect(verifyTreeHead(signed, generateTreeHeadKeyPair().publicKey)).toBe(false);
  });

  it('fails verification for any changed field or signature bit', () => {
    const { privateKey, publicKey } = generateTreeHeadKeyPair();
    const signed = signTreeHead(treeHead(8, ROOT, AT), privateKey);
    const sig = Buffer.from(signed.signature, 'base64');
    const flipped = (i: number) => {
      const copy = Buffer.from(sig);
      copy[i >> 3]! ^= 1 << (i & 7);
      return copy.toString('base64');
    };
    const otherRoot = Buffer.from(ROOT);
    otherRoot[31]! ^= 1;
    const tampered: SignedTreeHead[] = [
      { ...signed, treeSize: 9 },
      { ...signed, treeSize: 7 },
      { ...signed, rootHash: otherRoot.toString('base64') },
      { ...signed, timestamp: '2024-06-11T09:30:00.124Z' },
      { ...signed, signature: '' },
      { ...signed, signature: signed.signature.slice(0, -4) },
      { ...signed, signature: `${signed.signature} ` },
      ...Array.from({ length: 512 }, (_, i) => ({ ...signed, signature: flipped(i) })),
    ];
    for (const head of tampered) expect(verifyTreeHead(head, publicKey)).toBe(false);
  });

  it.each([
    ['negative size', { treeSize: -1 }, /treeSize/],
    ['fractional size', { treeSize: 1.5 }, /treeSize/],
    ['short root', { rootHash: Buffer.alloc(31).toString('base64') }, /rootHash/],
    ['base64url root', { rootHash: Buffer.alloc(32, 0xff).toString('base64url') }, /rootHash/],
    ['timestamp with offset', { timestamp: '2024-06-11T11:30:00.123+02:00' }, /timestamp/],
    ['timestamp without ms', { timestamp: '2024-06-11T09:30:00Z' }, /timestamp/],
    ['impossible date', { timestamp: '2024-02-30T09:30:00.000Z' }, /timestamp/],
  ])(
    'refuses to sign a head with a %s, and such a head never verifies',
    (_name, change, message) => {
      const { privateKey, publicKey } = generateTreeHeadKeyPair();
      const good = signTreeHead(treeHead(8, ROOT, AT), privateKey);
      const bad = { ...good, ...change };
      expect(treeHeadProblem(bad)).toMatch(message);
      expect(() => signTreeHead(bad, privateKey)).toThrow(message);
      expect(verifyTreeHead(bad, publicKey)).toBe(false);
    },
  );

  it('refuses keys of the wrong kind', () => {
    const { privateKey, publicKey } = generateTreeHeadKeyPair();
    expect(() => signTreeHead(treeHead(1, ROOT, AT), publicKey)).toThrow(/private key/);
    expect(() => publicKeyToJwk(privateKey)).toThrow(/public key/);
    expect(() => publicKeyFromJwk(RFC8037_PRIVATE_JWK)).toThrow(/private key/);
    expect(() => publicKeyFromJwk({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' })).toThrow(/RFC 8037/);
    expect(() => publicKeyFromJwk({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' })).toThrow(/32-byte/);
    expect(() => publicKeyFromJwk(null)).toThrow(/RFC 8037/);
  });
});

/** The public half of a private key, through the same export the server will use. */
function publicKeyOf(privateKey: ReturnType<typeof createPrivateKey>) {
  const { x } = privateKey.export({ format: 'jwk' });
  return publicKeyFromJwk({ kty: 'OKP', crv: 'Ed25519', x });
}
