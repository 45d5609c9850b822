/**
 * The key that signs tree heads: an Ed25519 private key in a PKCS#8 PEM file named by
 * PLEDGES_AUDIT_KEY_FILE (required in production, `config.ts` refuses to start without it). In
 * development and test, without the variable, one is made beside the SQLite file as
 * `audit-signing-key.pem` (mode 0600) so heads an auditor saved still verify after a restart; with a
 * `:memory:` store (a log that dies with the process) a fresh key serves this run only.
 * The private key is never logged: only the file's name and the public key's thumbprint are.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/config';
import { writeFileAtomically } from '../files/writeFileAtomically';
import {
  generateTreeHeadKeyPair,
  jwkThumbprint,
  publicKeyToJwk,
  type Ed25519PublicJwk,
} from './treeHead';

export { jwkThumbprint };

export const AUDIT_KEY_FILE_NAME = 'audit-signing-key.pem';

export class AuditKeyError extends Error {
  override readonly name = 'AuditKeyError';
  constructor(
    message: string,
    /** The file does not exist (a development run then makes one). */
    readonly missing = false,
  ) {
    super(message);
  }
}

/** The public key as `GET /api/v1/audit/key` publishes it: RFC 8037 with its RFC 7638 thumbprint. */
export interface PublishedJwk extends Ed25519PublicJwk {
  /** RFC 7638 thumbprint (SHA-256, base64url): a short name to compare keys by. */
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

export function publishedJwk(publicKey: KeyObject): PublishedJwk {
  const jwk = publicKeyToJwk(publicKey);
  return { ...jwk, kid: jwkThumbprint(jwk), alg: 'EdDSA', use: 'sig' };
}

export interface LoadedSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Where the key is kept; absent when it serves this run only. */
  readonly file?: string;
  /** Where the latest signed head is kept (`<key file>.head.json`); absent with a `:memory:` log. */
  readonly headFile?: string;
  readonly created: boolean;
}

type KeyConfig = Pick<
  Config,
  'NODE_ENV' | 'EVENT_STORE' | 'PLEDGES_DB_FILE' | 'PLEDGES_AUDIT_KEY_FILE'
>;

/** A log that lives in memory only: no head of it outlives the process. */
function logInMemory(config: KeyConfig): boolean {
  return config.EVENT_STORE === 'sqlite' && config.PLEDGES_DB_FILE === ':memory:';
}

/** Where a development run keeps its signing key: beside the store's file; none for `:memory:`. */
export function developmentAuditKeyFile(config: KeyConfig): string | undefined {
  if (logInMemory(config)) return undefined;
  return join(dirname(resolve(config.PLEDGES_DB_FILE)), AUDIT_KEY_FILE_NAME);
}

/** Reads the configured key; in development and test, makes one when none is configured. */
export function loadAuditSigningKey(config: KeyConfig): LoadedSigningKey {
  const production = config.NODE_ENV === 'production';
  // Production signs with the operator's key alone, never with one made beside the store.
  const file =
    config.PLEDGES_AUDIT_KEY_FILE ?? (production ? undefined : developmentAuditKeyFile(config));
  const headFile = (keyFile: string) =>
    logInMemory(config) ? {} : { headFile: `${keyFile}.head.json` };
  if (production && file === undefined) {
    throw new AuditKeyError(
      'Refusing to start: NODE_ENV=production needs PLEDGES_AUDIT_KEY_FILE (an Ed25519 private key, PKCS#8 PEM)',
    );
  }
  if (file === undefined) {
    const { privateKey, publicKey } = generateTreeHeadKeyPair();
    return { privateKey, publicKey, created: false };
  }
  try {
    const privateKey = readAuditSigningKey(file);
    return {
      privateKey,
      publicKey: createPublicKey(privateKey),
      file,
      ...headFile(file),
      created: false,
    };
  } catch (error) {
    // In production the key is the operator's: a missing one is never replaced by a new one.
    if (!(error instanceof AuditKeyError) || !error.missing || production) {
      throw error;
    }
  }
  const { privateKey, publicKey } = generateTreeHeadKeyPair();
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomically(file, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  return { privateKey, publicKey, file, ...headFile(file), created: true };
}

/** The Ed25519 private key a PKCS#8 PEM file holds; a file others may write is refused. */
export function readAuditSigningKey(file: string): KeyObject {
  let pem: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o022) !== 0) {
      throw new AuditKeyError(
        `Refusing the audit signing key file ${file}: other users may write it (chmod 600 it)`,
      );
    }
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof AuditKeyError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AuditKeyError(
        `Refusing to start: the audit signing key file ${file} does not exist (make one with \`openssl genpkey -algorithm ed25519 -out ${file}\`)`,
        true,
      );
    }
    throw new AuditKeyError(`Cannot read the audit signing key file ${file}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The parser's message may quote the file: say only what it should hold.
    throw new AuditKeyError(
      `The audit signing key file ${file} is not a PEM private key (PKCS#8, Ed25519)`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AuditKeyError(
      `The audit signing key file ${file} holds a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; tree heads are signed with Ed25519`,
    );
  }
  return key;
}
