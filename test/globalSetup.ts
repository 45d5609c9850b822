/**
 * Jest's global setup: announces the skipped suites, and gives the run a scratch directory the
 * end-to-end tests share (the web app is built there once, by the first test file that needs it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import announceSkips from './announceSkips';
import { RUN_DIR_VARIABLE } from './web/support/runDir';

export default function globalSetup(): void {
  announceSkips();
  // Set here, before jest starts its workers, so every worker inherits it.
  process.env[RUN_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'pledges-e2e-run-'));
}
