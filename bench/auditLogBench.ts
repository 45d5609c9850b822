/**
 * Benchmark 7: the verifiable log at scale. Over a generated log of a million events (bulk
 * loaded, every event given its leaf as the store would): how long an inclusion proof and a
 * consistency proof take from the store (the goal: under 5 ms each, p99), with a primary-key read
 * of one event row by raw better-sqlite3 beside it as the floor any lookup pays; and how fast the
 * store's full check of log against tree runs, against raw better-sqlite3 reading and parsing
 * every row (the least any recomputation must do). Then the whole log is exported as the export
 * endpoint writes it and checked by the offline verifier (`npm run audit:verify`; the goal: at
 * least 100,000 events/s), against reading and parsing the same file; and the real server,
 * started on the log, answers inclusion proofs over HTTP, against `GET /health`.
 */
import { writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { auditRecordLine } from '../src/auditLog/auditRecord';
import { canonicalJson } from '../src/auditLog/canonicalJson';
import {
  generateTreeHeadKeyPair,
  publicKeyToJwk,
  signTreeHead,
  treeHead,
} from '../src/auditLog/treeHead';
import type { EventStore } from '../src/eventStore/port';
import { openSqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore';
import { principal, startServer, stopServer, writeTokenFile, type Principal } from './apiBench';
import { measureAuditVerify } from './auditVerifyBench';
import { generateEventLog } from './generateEvents';
import { BulkEventLoader, scanAndParse } from './rawSqlite';
import { formatMs, formatNumber, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface AuditLogBenchOptions {
  readonly events: number;
  readonly plans: number;
  readonly eventsPerAppend: number;
  readonly seed: number;
  /** Timed proofs of each kind (and raw reads), from the store and over HTTP. */
  readonly proofs: number;
  /** Rounds of the offline verifier over the export (best one counts). */
  readonly verifierRounds: number;
}

export interface AuditLogBenchLog {
  /** The SQLite file holding the log and its tree (removed by the caller's temp dir). */
  readonly file: string;
  readonly events: number;
}

/** A seeded generator, so every run asks for the same proofs. */
function randomBelow(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export async function writeAuditLogBenchLog(
  temp: TempDir,
  options: AuditLogBenchOptions,
): Promise<AuditLogBenchLog> {
  const file = temp.file('audit-log.db');
  // The adapter creates and migrates the file, so the schema (tree tables included) is its own.
  await openSqliteEventStore(file).close();
  progress(`7: writing ${formatNumber(options.events)} events and their leaves`);
  const loader = new BulkEventLoader(file);
  try {
    await generateEventLog(loader, {
      totalEvents: options.events,
      plans: options.plans,
      eventsPerAppend: options.eventsPerAppend,
      seed: options.seed,
      reports: true,
    });
  } finally {
    loader.close();
  }
  return { file, events: options.events };
}

/** The log as `GET /api/v1/audit/export` writes it: record lines, then the signed head. */
async function writeExport(store: EventStore, file: string): Promise<number> {
  const { privateKey, publicKey } = generateTreeHeadKeyPair();
  const out = createWriteStream(file);
  let after = 0;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition: after, maxCount: 1000 });
    if (page.length === 0) break;
    let lines = '';
    for (const event of page) lines += `${auditRecordLine(event)}\n`;
    if (!out.write(lines)) await once(out, 'drain');
    after = page[page.length - 1]!.globalPosition;
    count += page.length;
  }
  const head = signTreeHead(
    treeHead(count, await store.auditTree.root(count), new Date()),
    privateKey,
  );
  out.end(`${canonicalJson({ treeHead: head, publicKey: publicKeyToJwk(publicKey) })}\n`);
  await once(out, 'finish');
  return count;
}

async function verifierRows(
  store: EventStore,
  temp: TempDir,
  options: AuditLogBenchOptions,
): Promise<ResultRow[]> {
  const file = temp.file('audit-export.ndjson');
  progress(`7: exporting the log as the export endpoint does`);
  const events = await writeExport(store, file);
  progress(
    `7: the offline verifier over ${formatNumber(events)} events, ${options.verifierRounds} rounds`,
  );
  const measure = await measureAuditVerify(file, options.verifierRounds);
  temp.removeDatabase(file);
  return [
    {
      id: '7',
      what: `  offline verifier (${formatNumber(measure.events)} events)`,
      unit: 'events/s',
      tracker: measure.eventsPerSecond,
      baseline: measure.parseOnlyEventsPerSecond,
      notes:
        `${formatNumber(measure.ms / 1000, 1)} s for ${formatNumber(measure.fileBytes / 1e6)} MB, best of ${options.verifierRounds}: ` +
        `every leaf and the root, canonical form, order, stream versions, signature, decode and fold of ${measure.plans} plans; ` +
        `baseline: the same file read, split and JSON.parse'd (${formatNumber(measure.parseOnlyMs / 1000, 1)} s); goal: at least 100,000 events/s`,
    },
  ];
}

interface Timed {
  readonly status: number;
  readonly ms: number;
  readonly body: string;
}

async function timedGet(url: string, who: Principal | undefined): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, {
    ...(who !== undefined && { headers: { authorization: `Bearer ${who.token}` } }),
  });
  const body = await response.text();
  return { status: response.status, ms: performance.now() - started, body };
}

/**
 * Inclusion proofs from the real server on the log, over HTTP, against `GET /health` (the route
 * that does nothing: what the HTTP stack alone costs). Measured once the server's start-up full
 * check of the log has passed, so that it does not run beside the requests.
 */
async function httpProofRows(
  log: AuditLogBenchLog,
  temp: TempDir,
  options: AuditLogBenchOptions,
  positions: readonly number[],
): Promise<ResultRow[]> {
  const auditor = principal('bench-auditor', 'auditor');
  // /ready tells how the log's check stands to operators only.
  const operator = principal('bench-operator', 'operator');
  const tokenFile = temp.file('tokens-7.json');
  writeTokenFile(tokenFile, [auditor, operator]);
  const keyFile = temp.file('audit-signing-key-7.pem');
  writeFileSync(
    keyFile,
    generateTreeHeadKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }),
    { mode: 0o600 },
  );
  progress('7: starting the server on the log');
  const startedAt = performance.now();
  const server = await startServer(
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      PLEDGES_DB_FILE: log.file,
      PLEDGES_TOKENS_FILE: tokenFile,
      PLEDGES_AUDIT_KEY_FILE: keyFile,
      PLEDGES_DEMO_DATA: 'false',
      PLEDGES_LOG_LEVEL: 'warn',
      PLEDGES_READS_PER_MINUTE: '1000000',
    },
    10 * 60_000,
  );
  try {
    const origin = `http://127.0.0.1:${server.port}`;
    progress("7: waiting for the server's full check of the log");
    for (;;) {
      if (performance.now() - startedAt > 15 * 60_000) {
        throw new Error("The server's full check of the log did not end within 15 minutes");
      }
      const ready = await timedGet(`${origin}/ready`, operator);
      const status = (JSON.parse(ready.body) as { checks?: { auditLog?: { fullCheck?: string } } })
        .checks?.auditLog?.fullCheck;
      if (status === 'passed') break;
      if (status === 'failed')
        throw new Error(`The server's check of the log failed: ${ready.body}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const checkedMs = performance.now() - startedAt;
    const random = randomBelow(options.proofs + 1);
    const proofUrl = () =>
      `${origin}/api/v1/audit/proof/inclusion?position=${positions[random(positions.length)]!}&treeSize=${log.events}`;
    for (let warm = 0; warm < 50; warm++) {
      await timedGet(proofUrl(), auditor);
      await timedGet(`${origin}/health`, undefined);
    }
    progress(`7: ${options.proofs} inclusion proofs over HTTP against GET /health`);
    const proofs: number[] = [];
    const health: number[] = [];
    for (let index = 0; index < options.proofs; index++) {
      const proof = await timedGet(proofUrl(), auditor);
      if (proof.status !== 200) throw new Error(`GET inclusion proof answered ${proof.status}`);
      proofs.push(proof.ms);
      health.push((await timedGet(`${origin}/health`, undefined)).ms);
    }
    proofs.sort((a, b) => a - b);
    health.sort((a, b) => a - b);
    return [
      {
        id: '7',
        what: `  inclusion proof over HTTP at ${formatNumber(log.events)} events, p99`,
        unit: 'ms',
        tracker: percentile(proofs, 0.99),
        baseline: percentile(health, 0.99),
        digits: 3,
        notes:
          `GET /api/v1/audit/proof/inclusion as an auditor, sequential; p50 ${formatMs(percentile(proofs, 0.5))}; ` +
          `baseline: GET /health, interleaved (p50 ${formatMs(percentile(health, 0.5))}); ` +
          `server start and full check of the log: ${formatNumber(checkedMs / 1000, 1)} s`,
      },
    ];
  } finally {
    await stopServer(server.child);
  }
}

export async function runAuditLogBench(
  log: AuditLogBenchLog,
  options: AuditLogBenchOptions,
  temp: TempDir,
): Promise<ResultRow[]> {
  const label = formatNumber(log.events);
  const store = openSqliteEventStore(log.file);
  const raw = new Database(log.file, { readonly: true });
  let closed = false;
  try {
    const size = await store.auditTree.size();
    if (size !== log.events) throw new Error(`The tree has ${size} leaves, not ${log.events}`);
    const positions = raw
      .prepare<[], number>('SELECT global_position FROM events ORDER BY global_position')
      .pluck()
      .all();
    const readRow = raw.prepare<[number], unknown>(
      'SELECT * FROM events WHERE global_position = ?',
    );
    const random = randomBelow(options.proofs);

    const time = async (step: () => unknown): Promise<number[]> => {
      const samples: number[] = [];
      for (let index = 0; index < options.proofs; index++) {
        const started = performance.now();
        await step();
        samples.push(performance.now() - started);
      }
      return samples.sort((a, b) => a - b);
    };

    progress(`7: ${options.proofs} inclusion proofs, consistency proofs and raw row reads`);
    // Warm both sides' code and the page cache the same way.
    for (let index = 0; index < 200; index++) {
      const position = positions[random(size)]!;
      readRow.get(position);
      await store.auditTree.inclusionProof((await store.auditTree.leafIndexOf(position))!, size);
    }
    const rawReads = await time(() => readRow.get(positions[random(size)]!));
    const inclusion = await time(async () => {
      const position = positions[random(size)]!;
      const leafIndex = await store.auditTree.leafIndexOf(position);
      if (leafIndex === undefined) throw new Error(`No leaf for position ${position}`);
      return store.auditTree.inclusionProof(leafIndex, size);
    });
    const consistency = await time(() =>
      store.auditTree.consistencyProof(1 + random(size - 1), size),
    );

    progress(`7: full check of ${label} events against their leaves, and the raw scan`);
    const checkStarted = performance.now();
    const check = await store.auditTree.check();
    const checkMs = performance.now() - checkStarted;
    if (!check.ok) throw new Error(`The tree check failed: ${check.mismatch?.message ?? ''}`);
    const scanStarted = performance.now();
    const scanned = scanAndParse(log.file);
    const scanMs = performance.now() - scanStarted;

    const rawP99 = percentile(rawReads, 0.99);
    const verifier = await verifierRows(store, temp, options);
    const storeRows: ResultRow[] = [
      {
        id: '7',
        what: `inclusion proof at ${label} events, p99`,
        unit: 'ms',
        tracker: percentile(inclusion, 0.99),
        baseline: rawP99,
        digits: 3,
        notes:
          `p50 ${formatMs(percentile(inclusion, 0.5))}, max ${formatMs(inclusion.at(-1) ?? 0)} over ${options.proofs} leaves; ` +
          `baseline: one event row by position, raw; goal: under 5 ms`,
      },
      {
        id: '7',
        what: `  consistency proof at ${label} events, p99`,
        unit: 'ms',
        tracker: percentile(consistency, 0.99),
        baseline: rawP99,
        digits: 3,
        notes: `p50 ${formatMs(percentile(consistency, 0.5))} from random sizes to ${label}; goal: under 5 ms`,
      },
      {
        id: '7',
        what: `  full check of log against tree (${label} events)`,
        unit: 'events/s',
        tracker: (check.checkedLeaves * 1000) / checkMs,
        baseline: (scanned.rows * 1000) / scanMs,
        notes:
          `${formatNumber(checkMs / 1000, 1)} s, every leaf recomputed and every node rehashed; ` +
          `baseline: raw scan and parse (${formatNumber(scanMs / 1000, 1)} s)`,
      },
    ];
    raw.close();
    await store.close();
    closed = true;
    return [...storeRows, ...verifier, ...(await httpProofRows(log, temp, options, positions))];
  } finally {
    if (!closed) {
      raw.close();
      await store.close();
    }
  }
}
