import { existsSync } from 'node:fs';
import { loadConfig, ConfigError } from '../config/config';
import { openSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore';
import { Projector } from '../projections/projector';
import { ALL_PROJECTIONS } from '../projections';

/**
 * `npm run replay [-- <db file>]`: rebuilds every projection from an empty state, compares it with
 * the state caught up from the log, prints the report as JSON and exits 0 when they agree, 1 when
 * they do not, 2 when the check could not run.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const file = process.argv[2] ?? config.PLEDGES_DB_FILE;
  if (!existsSync(file)) throw new Error(`No event store at ${file}`);
  const store = openSqliteEventStore(file);
  try {
    const projector = new Projector(store, ALL_PROJECTIONS);
    await projector.catchUp();
    const report = await projector.replayCheck();
    process.stdout.write(`${JSON.stringify({ file, ...report }, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`Replay check failed to run: ${message}\n`);
    process.exit(2);
  },
);
