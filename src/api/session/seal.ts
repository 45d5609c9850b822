/**
 * Sealed values for cookies: AES-256-GCM under the server's session key, so a browser can hold its
 * session without being able to read or change it. The purpose (the cookie's name) is bound in as
 * additional data: a value sealed for one cookie never opens as another. Anything that does not
 * open (another key, a changed byte, a truncated value, an expired one) reads as nothing.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const SESSION_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

export interface Sealed<T> {
  readonly value: T;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export class CookieSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== SESSION_KEY_BYTES) {
      throw new Error(`A session key is ${SESSION_KEY_BYTES} bytes, not ${key.length}`);
    }
  }

  seal(purpose: string, value: unknown, expiresAt: number): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${VERSION}:${purpose}`, 'utf8'));
    const plain = Buffer.from(JSON.stringify({ exp: expiresAt, value }), 'utf8');
    const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, encrypted, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The value sealed for `purpose`, unless it fails to open or expired at `nowSeconds`. */
  open(purpose: string, sealed: string, nowSeconds: number): Sealed<unknown> | undefined {
    const [version, payload, extra] = sealed.split('.');
    if (version !== VERSION || payload === undefined || extra !== undefined) return undefined;
    if (!/^[A-Za-z0-9_-]+$/.test(payload)) return undefined;
    const bytes = Buffer.from(payload, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES + 1) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`${VERSION}:${purpose}`, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
      const parsed = JSON.parse(plain.toString('utf8')) as { exp?: unknown; value?: unknown };
      if (typeof parsed.exp !== 'number' || parsed.exp <= nowSeconds) return undefined;
      return { value: parsed.value, expiresAt: parsed.exp };
    } catch {
      return undefined;
    }
  }
}
