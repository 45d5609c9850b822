import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file of credentials (tokens, keys, the latest signed tree head) through a temporary file in the same folder and a rename, so a
 * reader (the server reloads the token file at any moment) sees the old file or the new one and
 * never half of one. A new file gets mode 0600; an existing one keeps its mode (without group or
 * world write) and, where the system allows, its owner. A symbolic link stays a link: its target
 * is replaced.
 */
export function writeFileAtomically(path: string, text: string): void {
  let target = path;
  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    target = realpathSync(path);
    const stat = statSync(target);
    existing = { mode: stat.mode & 0o755, uid: stat.uid, gid: stat.gid };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const mode = existing?.mode ?? 0o600;
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const descriptor = openSync(temporary, 'wx', mode);
  try {
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  try {
    // The umask may have narrowed the mode given to open; the file gets exactly this one.
    chmodSync(temporary, mode);
    if (existing !== undefined) {
      try {
        chownSync(temporary, existing.uid, existing.gid);
      } catch {
        // Only root may give a file away; anyone else's rewrite is owned by them.
      }
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
