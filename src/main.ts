import type { Server } from 'node:http';
import { v4 as uuidv4 } from 'uuid';
import { loadConfig, ConfigError, type Config } from './config/config';
import { createApp, type Logger } from './api/app';
import { registryFromDemoTokens, TokenRegistry, type DemoToken } from './api/auth';
import { demoTokensFileFor, loadOrCreateDemoTokens } from './api/demoTokens';
import { createTracker } from './application/tracker';
import { Projector } from './projections/projector';
import { ALL_PROJECTIONS } from './projections';
import { openEventStore } from './eventStore/openEventStore';
import { ProjectionFeed } from './projections/projectionFeed';
import type { EventStore } from './eventStore/port';
import { ILLUSTRATIVE_PLAN_ID, ILLUSTRATIVE_NOTE } from './demo/illustrativePlan';
import { decideDemoData, loadIllustrativePlan } from './demo/demoStore';

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
  /** Where the demo tokens are kept between runs (absent: this run only). */
  readonly demoTokensFile?: string;
  close(): Promise<void>;
}

/** Opens the store, catches the projections up, seeds demo data if asked, and listens. */
export async function startTracker(
  config: Config,
  log: Logger = jsonLinesLog,
): Promise<RunningTracker> {
  // Tokens first: a token file that cannot be used stops the start before the store is opened.
  const demoTokensFile =
    config.PLEDGES_TOKENS_FILE === undefined ? demoTokensFileFor(config) : undefined;
  let demoTokens: DemoToken[] | undefined;
  let tokens: TokenRegistry;
  if (config.PLEDGES_TOKENS_FILE !== undefined) {
    tokens = TokenRegistry.fromFile(config.PLEDGES_TOKENS_FILE, { log });
  } else {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError('Refusing to start: demo tokens are for development only');
    }
    demoTokens = loadOrCreateDemoTokens(demoTokensFile);
    tokens = registryFromDemoTokens(demoTokens);
  }
  const { store, name: storeName, location } = openEventStore(config);
  const tracker = createTracker({ store, clock: () => new Date(), newId: uuidv4 });
  const projector = new Projector(store, ALL_PROJECTIONS);

  try {
    const demoData = await decideDemoData(store, config);
    if (demoData === 'load') {
      await loadIllustrativePlan(store, tracker, uuidv4);
      log({
        level: 'info',
        msg: `loaded the illustrative plan ${ILLUSTRATIVE_PLAN_ID}`,
        note: ILLUSTRATIVE_NOTE,
      });
    } else if (demoData === 'store_not_empty') {
      log({
        level: 'warn',
        msg: `the store already holds events: the illustrative plan ${ILLUSTRATIVE_PLAN_ID} is not loaded`,
      });
    }
  } catch (error) {
    await store.close();
    throw error;
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
    ...(demoTokens !== undefined && demoTokensFile !== undefined && { demoTokensFile }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await feed.stop();
      await store.close();
    },
  };
}

function printDemoBanner(
  port: number,
  tokens: readonly DemoToken[],
  tokensFile: string | undefined,
): void {
  const base = `http://localhost:${port}`;
  const commission = tokens.find((token) => token.role === 'commission');
  const lines = [
    '',
    `Pledge tracker listening on ${base}  (development mode: demo tokens, ${tokensFile === undefined ? 'valid until restart' : `kept in ${tokensFile}`})`,
    '',
    ...tokens.map(
      (token) =>
        `  ${token.name.padEnd(14)} ${token.role.padEnd(13)} ${(token.memberState ?? '').padEnd(3)} ${token.token}`,
    ),
    '',
    'Try:',
    `  curl -s -H "Authorization: Bearer ${commission?.token ?? ''}" ${base}/api/v1/plans/${ILLUSTRATIVE_PLAN_ID}/totals?view=adopted`,
    '',
    'Set PLEDGES_TOKENS_FILE to use real tokens (stored as SHA-256 hashes; make them with npm run token); see README.md.',
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
  if (running.demoTokens) {
    printDemoBanner(running.port, running.demoTokens, running.demoTokensFile);
  }
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
