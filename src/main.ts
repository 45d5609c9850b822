import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Logger as PinoLogger } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import { newEventId } from './application/eventIds';
import { loadConfig, ConfigError, type Config } from './config/config';
import { createApp, type Logger } from './api/app';
import { registryFromDemoTokens, TokenRegistry, type DemoToken } from './api/auth';
import { demoTokensFileFor, loadOrCreateDemoTokens } from './api/demoTokens';
import { createTracker } from './application/tracker';
import { Projector } from './projections/projector';
import { ALL_PROJECTIONS } from './projections';
import { openEventStore } from './eventStore/openEventStore';
import { openSnapshotStore, type OpenedSnapshotStore } from './snapshots/openSnapshotStore';
import { InMemorySnapshotStore } from './snapshots/snapshotStore';
import { workerWholeLogRunner } from './workers/wholeLogRunner';
import { workerTreeCheck } from './workers/treeCheckRunner';
import { sqliteLogReadAhead } from './workers/logReadAhead';
import { ProjectionFeed } from './projections/projectionFeed';
import type { EventStore, StoreProblem } from './eventStore/port';
import { ILLUSTRATIVE_PLAN_ID, ILLUSTRATIVE_NOTE } from './demo/illustrativePlan';
import { createTrackerServer, DEFAULT_SERVER_LIMITS } from './api/httpServer';
import { createLogger, logFunction, loggerFromFunction } from './observability/logging';
import { TrackerMetrics } from './observability/metrics';
import { InstrumentedEventStore } from './observability/instrumentedEventStore';
import { decideDemoData, loadIllustrativePlan } from './demo/demoStore';
import { BrowserSignIn } from './api/session/browserSignIn';
import { OidcRelyingParty } from './api/session/oidc';
import { loadSessionKey } from './api/session/sessionKey';
import { AuditLogService } from './auditLog/auditLogService';
import { loadAuditSigningKey } from './auditLog/signingKey';

export interface RunningTracker {
  readonly server: Server;
  readonly storeName: string;
  readonly storeLocation: string;
  readonly store: EventStore;
  readonly port: number;
  readonly demoTokens?: readonly DemoToken[];
  /** Where the demo tokens are kept between runs (absent: this run only). */
  readonly demoTokensFile?: string;
  /** Where browsers reach the app. */
  readonly publicUrl: string;
  /** The development sign-in is offered. */
  readonly devSignIn: boolean;
  /** Signs the log's tree heads; says whether the log matches its tree. */
  readonly auditLog: AuditLogService;
  /**
   * Stops accepting, lets requests in flight finish for PLEDGES_SHUTDOWN_GRACE_MS, then cuts the
   * connections left, stops the projection feed and closes the store.
   */
  close(): Promise<void>;
}

/**
 * Opens the store, catches the projections up, seeds demo data if asked, and listens. Logs go to
 * the pino logger given, or to a `log({level, msg, ...})` function (tests pass `() => undefined`),
 * or as JSON lines to stdout at PLEDGES_LOG_LEVEL.
 */
export async function startTracker(
  config: Config,
  logTo: PinoLogger | Logger = createLogger(config.PLEDGES_LOG_LEVEL),
): Promise<RunningTracker> {
  const logger = typeof logTo === 'function' ? loggerFromFunction(logTo) : logTo;
  const log = logFunction(logger);
  const metrics = new TrackerMetrics({ processMetrics: true });
  // Tokens first: a token file that cannot be used stops the start before the store is opened.
  const demoTokensFile =
    config.PLEDGES_TOKENS_FILE === undefined ? demoTokensFileFor(config) : undefined;
  let demoTokens: DemoToken[] | undefined;
  let tokens: TokenRegistry;
  if (config.PLEDGES_TOKENS_FILE !== undefined) {
    tokens = TokenRegistry.fromFile(config.PLEDGES_TOKENS_FILE, { log });
  } else if (config.NODE_ENV === 'production') {
    if (config.PLEDGES_OIDC_ISSUER === undefined) {
      throw new ConfigError(
        'Refusing to start: NODE_ENV=production needs PLEDGES_TOKENS_FILE or PLEDGES_OIDC_ISSUER; demo tokens are for development only',
      );
    }
    // People sign in through the identity provider; no machine client holds a token.
    tokens = new TokenRegistry([]);
  } else {
    demoTokens = loadOrCreateDemoTokens(demoTokensFile);
    tokens = registryFromDemoTokens(demoTokens);
  }
  // The default public URL names the port the server listens on: known once it listens.
  let boundPort = config.PORT;
  const signIn = createBrowserSignIn(config, log, () => boundPort);
  // The signing key too: a production start without it stops here, before the store is opened.
  const signingKey = loadAuditSigningKey(config);
  if (signingKey.created) {
    log({ level: 'info', msg: 'made an audit signing key for development', file: signingKey.file });
  }
  // A damaged SQLite file fails here (quick_check), naming the file: main() prints it and exits 1.
  const onProblem = (problem: StoreProblem) =>
    log({
      level: 'error',
      msg: 'event store failure',
      code: problem.code,
      kind: problem.kind,
      detail: problem.message,
    });
  const opened = openEventStore(config, { onProblem });
  const { name: storeName, location } = opened;
  // Every append is timed; the store's size is read at each scrape where the store can tell it.
  const store = new InstrumentedEventStore(opened.store, metrics);
  if (store.sizeBytes) metrics.observeStoreSize(store.sizeBytes);
  if (opened.foreignEventsSkipped) metrics.observeForeignEventsSkipped(opened.foreignEventsSkipped);
  const clock = () => new Date();
  const tracker = createTracker({ store, clock, newId: newEventId });
  const { snapshots, workerSpec } = openSnapshotsOrNone(config, log);
  const projector = new Projector(store, ALL_PROJECTIONS, {
    snapshots,
    snapshotEvery: config.PLEDGES_SNAPSHOT_EVERY,
    // The replay check folds the whole log: in a worker thread, off the event loop, when it can.
    ...(workerSpec !== undefined && { wholeLog: workerWholeLogRunner(workerSpec) }),
    // A long catch-up (a first start, a restart far behind) reads the log in a thread of its own.
    ...(workerSpec?.kind === 'sqlite' && { readAhead: sqliteLogReadAhead(workerSpec.file) }),
  });

  const auditLog = new AuditLogService({
    tree: store.auditTree,
    privateKey: signingKey.privateKey,
    ...(signingKey.headFile !== undefined && { headFile: signingKey.headFile }),
    clock,
    signIntervalMs: config.PLEDGES_AUDIT_SIGN_INTERVAL_MS,
    // A large SQLite log is checked in full in a worker thread with its own read-only connection,
    // so requests are not answered behind the check. EventStoreDB's tree is built in memory from
    // the log, and a private in-memory store has no other connection: both check on this thread.
    ...(config.EVENT_STORE === 'sqlite' &&
      config.PLEDGES_DB_FILE !== ':memory:' && {
        fullCheckRunner: workerTreeCheck(config.PLEDGES_DB_FILE),
      }),
    log,
  });

  try {
    // The whole log against its tree and the head signed last time, before anything is written.
    const auditStatus = await auditLog.start();
    log({
      level: auditStatus.ok ? 'info' : 'error',
      msg: auditStatus.ok
        ? 'the log matches its Merkle tree'
        : 'the log does not match its Merkle tree: serving reads only',
      treeSize: auditStatus.treeSize,
      eventCount: auditStatus.eventCount,
      key: auditLog.jwk.kid,
      ...(auditStatus.latestHead !== undefined && { latestHead: auditStatus.latestHead }),
    });
    const demoData = auditStatus.ok ? await decideDemoData(store, config) : 'none';
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
    await auditLog.close();
    await store.close();
    snapshots.close();
    throw error;
  }
  const started = Date.now();
  const restoredTo = await projector.restoreFromSnapshot();
  const position = await projector.catchUp();
  log({
    level: 'info',
    msg: 'projections caught up',
    position,
    fromSnapshotAt: restoredTo,
    ms: Date.now() - started,
  });
  // From here on the subscription keeps the read models warm, on every replica.
  const feed = new ProjectionFeed(store, projector, { log });
  feed.start();

  const app = createApp({
    tracker,
    projector,
    clock,
    tokens,
    newId: uuidv4,
    bodyLimit: config.PLEDGES_BODY_LIMIT,
    logger,
    metrics,
    corsOrigins: config.PLEDGES_CORS_ORIGINS,
    feed,
    storeName,
    storeHealth: () => store.health(),
    readWaitMs: config.PLEDGES_READ_WAIT_MS,
    signIn: signIn.signIn,
    auditLog,
    webDir: config.PLEDGES_WEB_DIR ?? join(__dirname, 'web'),
    quotas: {
      writesPerMinute: config.PLEDGES_WRITES_PER_MINUTE,
      commissionWritesPerMinute: config.PLEDGES_COMMISSION_WRITES_PER_MINUTE,
      readsPerMinute: config.PLEDGES_READS_PER_MINUTE,
      maxPledgeBytes: config.PLEDGES_MAX_PLEDGE_BYTES,
      storedBytesPerMemberState: config.PLEDGES_STORED_BYTES_PER_MEMBER_STATE,
    },
  });
  const http = createTrackerServer(app, {
    ...DEFAULT_SERVER_LIMITS,
    maxConnections: config.PLEDGES_MAX_CONNECTIONS,
  });
  const port = await http.listen(config.PORT, config.HOST).catch(async (error: unknown) => {
    await feed.stop();
    await auditLog.close();
    await store.close();
    snapshots.close();
    throw error;
  });
  boundPort = port;
  let closing: Promise<void> | undefined;
  return {
    server: http.server,
    storeName,
    storeLocation: location,
    store,
    port,
    ...(demoTokens !== undefined && { demoTokens }),
    ...(demoTokens !== undefined && demoTokensFile !== undefined && { demoTokensFile }),
    publicUrl: signIn.publicUrl(),
    devSignIn: config.devSignIn,
    auditLog,
    close: () => {
      closing ??= (async () => {
        await http.close(config.PLEDGES_SHUTDOWN_GRACE_MS);
        await feed.stop();
        await auditLog.close();
        // The read models as they stand: the next start reads them and folds nothing.
        projector.snapshotNow();
        await store.close();
        snapshots.close();
      })();
      return closing;
    },
  };
}

/**
 * Browser sign-in from the configuration: the session key (made beside a development store when
 * none is configured), the identity provider when one is configured (its metadata fetched in the
 * background: a provider that is down delays no start), and the development sign-in.
 */
function createBrowserSignIn(
  config: Config,
  log: Logger,
  port: () => number,
): { readonly signIn: BrowserSignIn; readonly publicUrl: () => string } {
  const publicUrl = () => config.PLEDGES_PUBLIC_URL ?? `http://localhost:${port()}`;
  const sessionKey = loadSessionKey(config);
  if (sessionKey.created) {
    log({ level: 'info', msg: 'made a session key for development', file: sessionKey.file });
  }
  let oidc: OidcRelyingParty | undefined;
  if (config.PLEDGES_OIDC_ISSUER !== undefined && config.PLEDGES_OIDC_CLIENT_ID !== undefined) {
    const secretFile = config.PLEDGES_OIDC_CLIENT_SECRET_FILE;
    const clientSecret = secretFile === undefined ? undefined : readClientSecret(secretFile);
    oidc = new OidcRelyingParty(
      {
        issuer: config.PLEDGES_OIDC_ISSUER,
        clientId: config.PLEDGES_OIDC_CLIENT_ID,
        ...(clientSecret !== undefined && { clientSecret }),
        scopes: config.PLEDGES_OIDC_SCOPES,
        label: config.PLEDGES_OIDC_LABEL,
        roleClaim: config.PLEDGES_OIDC_ROLE_CLAIM,
        roleMap: config.PLEDGES_OIDC_ROLE_MAP,
        memberStateClaim: config.PLEDGES_OIDC_MEMBER_STATE_CLAIM,
        idClaim: config.PLEDGES_OIDC_ID_CLAIM,
      },
      () => `${publicUrl()}/auth/callback`,
      () => `${publicUrl()}/signin`,
      log,
    );
    oidc.prefetch();
  }
  const signIn = new BrowserSignIn({
    sessionKey: sessionKey.key,
    publicUrl,
    sessionHours: config.PLEDGES_SESSION_HOURS,
    developmentSignIn: config.devSignIn,
    ...(oidc !== undefined && { oidc }),
    log,
  });
  return { signIn, publicUrl };
}

function readClientSecret(file: string): string {
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch {
    throw new ConfigError(`Cannot read PLEDGES_OIDC_CLIENT_SECRET_FILE ${file}`);
  }
  if (secret === '') throw new ConfigError(`PLEDGES_OIDC_CLIENT_SECRET_FILE ${file} is empty`);
  return secret;
}

/**
 * Snapshots are a shortcut, never a condition of running: a snapshot file that cannot be opened
 * (a read-only disk, no volume mounted) leaves them in memory, and each restart folds the log.
 */
function openSnapshotsOrNone(config: Config, log: Logger): OpenedSnapshotStore {
  try {
    return openSnapshotStore(config);
  } catch (error) {
    log({
      level: 'warn',
      msg: 'cannot open the snapshot file: snapshots kept in memory, a restart folds the whole log',
      error: error instanceof Error ? error.message : String(error),
    });
    return { snapshots: new InMemorySnapshotStore(), workerSpec: undefined };
  }
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
  const logger = createLogger(config.PLEDGES_LOG_LEVEL);
  const running = await startTracker(config, logger);
  const log = logFunction(logger);
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
  if (running.devSignIn) {
    process.stdout.write(
      `Development sign-in (pick a demo identity, no password): ${running.publicUrl}/signin\n`,
    );
  }
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      // The operator insists: no more waiting for requests in flight.
      log({ level: 'warn', msg: 'second signal: exiting at once', signal });
      process.exit(1);
    }
    shuttingDown = true;
    log({
      level: 'info',
      msg: 'shutting down',
      signal,
      graceMs: config.PLEDGES_SHUTDOWN_GRACE_MS,
    });
    running.close().then(
      () => {
        log({ level: 'info', msg: 'stopped' });
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `Failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
