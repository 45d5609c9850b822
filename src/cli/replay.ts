import { existsSync } from 'node:fs';
import { loadConfig } from '../config/config';
import { openEventStore } from '../eventStore/openEventStore';
import { openSnapshotStore } from '../snapshots/openSnapshotStore';
import { Projector } from '../projections/projector';
import { ALL_PROJECTIONS } from '../projections';
import { sqliteLogReadAhead } from '../workers/logReadAhead';

/**
 * `npm run replay [-- <db file>]`: rebuilds every projection from an empty state, compares it with
 * the state caught up from the log, prints the report as JSON and exits 0 when they agree, 1 when
 * they do not (or a stored snapshot disagrees with the log), 2 when the check could not run. The store is the configured one (EVENT_STORE), or
 * the SQLite file named on the command line.
 */
async function main(): Promise<number> {
  const file = process.argv[2];
  const config = loadConfig(
    file === undefined
      ? process.env
      : { ...process.env, EVENT_STORE: 'sqlite', PLEDGES_DB_FILE: file },
  );
  if (config.EVENT_STORE === 'sqlite' && !existsSync(config.PLEDGES_DB_FILE)) {
    throw new Error(`No event store at ${config.PLEDGES_DB_FILE}`);
  }
  const { store, name, location } = openEventStore(config);
  const { snapshots, workerSpec } = openSnapshotStore(config);
  try {
    // Live state from the latest snapshot plus the log after it; the check rebuilds from nothing,
    // so a snapshot that disagrees with the log shows, as does every stored snapshot on the way.
    const projector = new Projector(store, ALL_PROJECTIONS, {
      snapshots,
      snapshotEvery: config.PLEDGES_SNAPSHOT_EVERY,
      // Both folds read the whole log: a thread of their own steps through SQLite's rows while
      // this one parses and folds, as the server's rebuild does.
      ...(workerSpec?.kind === 'sqlite' && { readAhead: sqliteLogReadAhead(workerSpec.file) }),
    });
    await projector.catchUp();
    const report = await projector.replayCheck();
    process.stdout.write(`${JSON.stringify({ store: name, location, ...report }, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
    snapshots.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `Replay check failed to run: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
