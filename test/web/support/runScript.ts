import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Runs one of the project's plain Node scripts (an `.mjs` file) and collects what it printed. */
export function runScript(
  script: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      [join(__dirname, '../../..', script), ...args],
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolveRun({ code, stdout, stderr });
      },
    );
  });
}
