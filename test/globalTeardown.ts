import { rmSync } from 'node:fs';
import { RUN_DIR_VARIABLE } from './web/support/runDir';

/** Removes the run's scratch directory (the built web app among it). */
export default function globalTeardown(): void {
  const runDir = process.env[RUN_DIR_VARIABLE];
  if (runDir !== undefined) rmSync(runDir, { recursive: true, force: true });
}
