import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private directory under os.tmpdir() for one run; `remove()` deletes it and everything in it. */
export interface TempDir {
  readonly path: string;
  file(name: string): string;
  /** Deletes an SQLite file with its -wal and -shm companions. */
  removeDatabase(file: string): void;
  remove(): void;
}

export function createTempDir(prefix = 'pledge-bench-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    removeDatabase: (file) => {
      for (const suffix of ['', '-wal', '-shm', '-journal'])
        rmSync(`${file}${suffix}`, { force: true });
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
