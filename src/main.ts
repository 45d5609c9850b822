import type { Server } from 'node:http';
import { v4 as uuidv4 } from 'uuid';
import { loadConfig, ConfigError, type Config } from './config/config';
import { createApp, type Logger } from './api/app';
import {
  createDemoTokens,
  registryFromDemoTokens,
  TokenRegistry,
  type DemoToken,
} from './api/auth';
import { createTracker } from './application/tracker';
import { Projector } from './projections/projector';
import { ALL_PROJECTIONS } from './projections';
import { openEventStore } from './eventStore/openEventStore';
import { ProjectionFeed } from './projections/projectionFeed';
import type { EventStore, StoreProblem } from './eventStore/port';
import {
  seedIllustrativePlan,
  ILLUSTRATIVE_PLAN_ID,
  ILLUSTRATIVE_NOTE,
} from './demo/illustrativePlan';

const jsonLinesLog: Logger = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

export interface RunningTracker {
  readonly server: Server;
  readonly storeName: string;
  readonly storeLocation: string;
  readonly store: EventStore;
  readonly port: number;
  readonly demoTokens?: readonly DemoToken[];
  close(): Promise<void>;
}

/** Opens the store, catches the projections up, seeds demo data if asked, and listens. */
export async function startTracker(
  config: Config,
  log: Logger = jsonLinesLog,
): Promise<RunningTracker> {
  // A damaged SQLite file fails here (quick_check), naming the file: main() prints it and exits 1.
  const onProblem = (problem: StoreProblem) =>
    log({
      level: 'error',
      msg: 'event store failure',
      code: problem.code,
      kind: problem.kind,
      detail: problem.message,
    });
  const { store, name: storeName, location } = openEventStore(config, { onProblem });
  const demoTokens =
    config.PLEDGES_TOKENS_FILE === undefined
      ? // Ireland takes part; Norway may associate itself (Art. 12), beside the plan's figures.
        createDemoTokens(['DE', 'FR', 'NL', 'SE', 'IE', 'NO'])
      : undefined;
  const tokens =
    demoTokens === undefined
      ? TokenRegistry.fromFile(config.PLEDGES_TOKENS_FILE ?? '')
      : registryFromDemoTokens(demoTokens);
  const tracker = createTracker({ store, clock: () => new Date(), newId: uuidv4 });
  const projector = new Projector(store, ALL_PROJECTIONS);

  if (config.demoData && (await store.headPosition()) === 0) {
    await seedIllustrativePlan(tracker, uuidv4);
    log({
      level: 'info',
      msg: `loaded the illustrative plan ${ILLUSTRATIVE_PLAN_ID}`,
      note: ILLUSTRATIVE_NOTE,
    });
  }
  const started = Date.now();
  const position = await projector.catchUp();
  log({ level: 'info', msg: 'projections caught up', position, ms: Date.now() - started });
  // From here on the subscription keeps the read models warm, on every replica.
  const feed = new ProjectionFeed(store, projector, { log });
  feed.start();

  const app = createApp({
    tracker,
    projector,
    tokens,
    newId: uuidv4,
    bodyLimit: config.PLEDGES_BODY_LIMIT,
    log,
    feed,
    storeName,
    storeHealth: () => store.health(),
    readWaitMs: config.PLEDGES_READ_WAIT_MS,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  return {
    server,
    storeName,
    storeLocation: location,
    store,
    port,
    ...(demoTokens !== undefined && { demoTokens }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await feed.stop();
      await store.close();
    },
  };
}

function printDemoBanner(port: number, tokens: readonly DemoToken[]): void {
  const base = `http://localhost:${port}`;
  const commission = tokens.find((token) => token.role === 'commission');
  const lines = [
    '',
    `Pledge tracker listening on ${base}  (development mode: demo tokens, valid until restart)`,
    '',
    ...tokens.map(
      (token) =>
        `  ${token.name.padEnd(14)} ${token.role.padEnd(13)} ${(token.memberState ?? '').padEnd(3)} ${token.token}`,
    ),
    '',
    'Try:',
    `  curl -s -H "Authorization: Bearer ${commission?.token ?? ''}" ${base}/api/v1/plans/${ILLUSTRATIVE_PLAN_ID}/totals?view=adopted`,
    '',
    'Set PLEDGES_TOKENS_FILE to use real tokens (stored as SHA-256 hashes); see README.md.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const running = await startTracker(config);
  const log = jsonLinesLog;
  log({
    level: 'info',
    msg: 'listening',
    port: running.port,
    store: running.storeName,
    location: running.storeLocation,
  });
  if (running.demoTokens) printDemoBanner(running.port, running.demoTokens);
  const shutdown = (signal: string) => {
    log({ level: 'info', msg: 'shutting down', signal });
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `Failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
