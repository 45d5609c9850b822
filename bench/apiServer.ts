/**
 * Child process for benchmark 2: the real server, started by `startTracker` from the environment
 * the parent passes. Reports `{ port }` over IPC once listening and closes on the message 'stop'.
 * Its own process keeps the server's event loop apart from the load generator's.
 */
import { loadConfig } from '../src/config/config';
import { startTracker } from '../src/main';
import { answerCpuQueries, type ServerReady } from './serverProcess';

async function serve(): Promise<void> {
  const running = await startTracker(loadConfig(process.env));
  answerCpuQueries();
  process.on('message', (message) => {
    if (message !== 'stop') return;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  const ready: ServerReady = { port: running.port };
  process.send?.(ready);
}

serve().catch((error: unknown) => {
  process.stderr.write(
    `bench server failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
