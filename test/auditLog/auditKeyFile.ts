import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTreeHeadKeyPair } from '../../src/auditLog/treeHead';

/** An Ed25519 signing key as an operator provides one (PKCS#8 PEM, mode 0600), in `directory`. */
export function writeAuditKeyFile(directory: string, name = 'audit-signing-key.pem'): string {
  const file = join(directory, name);
  const { privateKey } = generateTreeHeadKeyPair();
  writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  return file;
}
