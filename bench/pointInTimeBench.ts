/**
 * Benchmark 4: what a large log costs people who are not rebuilding it. On the 1,000,000-event
 * store of benchmark 3b, the real server (child process):
 *   a. first start with no snapshot (folds the whole log, writing a snapshot every N events), then
 *      a restart from the latest snapshot: the restart's time to listening, against the first's;
 *   b. `asOf` reads (`GET totals?asOf=`, random log positions and random instants), and live
 *      `GET totals` while the start's full check of the log against its Merkle tree runs, against
 *      live `GET totals` once that check has passed, in the same run;
 *   c. `GET /health` latency while the replay check runs, against `/health` with nothing running.
 */
import { statSync } from 'node:fs';
import {
  principal,
  startServer,
  stopServer,
  writeAuditSigningKey,
  writeTokenFile,
  type Principal,
} from './apiBench';
import { formatMs, formatNumber, percentile, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface PointInTimeOptions {
  readonly id: string;
  readonly file: string;
  readonly events: number;
  readonly asOfReads: number;
}

/** Deterministic, so two runs ask for the same cuts. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function timed(work: () => Promise<Response>): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await work();
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

/** How the start's full check of the log stands, as `/ready` tells operators. */
async function fullCheckStatus(base: string, operator: Principal): Promise<string | undefined> {
  const response = await fetch(`${base}/ready`, {
    headers: { authorization: `Bearer ${operator.token}` },
  });
  const body = await response.text();
  const status = (JSON.parse(body) as { checks?: { auditLog?: { fullCheck?: string } } }).checks
    ?.auditLog?.fullCheck;
  if (status === 'failed') throw new Error(`The server's check of the log failed: ${body}`);
  return status;
}

/**
 * Reads `path` back to back, one at a time, while polling `/ready` until the start's full check
 * of the log has passed: the reads' latencies, and how long the check took from the first poll.
 * No reads when the check had passed already (a log small enough to be checked before listening).
 */
async function readsUntilLogChecked(
  base: string,
  operator: Principal,
  reader: Principal,
  path: string,
): Promise<{ readonly checkMs: number; readonly latencies: number[] }> {
  const started = performance.now();
  const latencies: number[] = [];
  let checked = (await fullCheckStatus(base, operator)) === 'passed';
  const reads = (async () => {
    while (!checked) {
      const { ms, status } = await timed(() =>
        fetch(`${base}${path}`, { headers: { authorization: `Bearer ${reader.token}` } }),
      );
      if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
      if (!checked) latencies.push(ms);
    }
  })();
  try {
    while (!checked) {
      if (performance.now() - started > 15 * 60_000) {
        throw new Error("The server's full check of the log did not end within 15 minutes");
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      checked = (await fullCheckStatus(base, operator)) === 'passed';
    }
  } finally {
    checked = true;
    await reads;
  }
  return { checkMs: performance.now() - started, latencies };
}

async function getJson<T>(base: string, who: Principal, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${who.token}` },
  });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function runPointInTimeBench(
  temp: TempDir,
  options: PointInTimeOptions,
): Promise<ResultRow[]> {
  const auditor = principal('bench-auditor', 'auditor');
  // /ready tells how the log's check stands to operators only.
  const operator = principal('bench-operator', 'operator');
  const tokenFile = temp.file(`tokens-${options.id}.json`);
  writeTokenFile(tokenFile, [auditor, operator]);
  const snapshotFile = temp.file(`snapshots-${options.id}.db`);
  const keyFile = temp.file(`audit-signing-key-${options.id}.pem`);
  writeAuditSigningKey(keyFile);
  const environment = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    PLEDGES_DB_FILE: options.file,
    PLEDGES_SNAPSHOT_FILE: snapshotFile,
    PLEDGES_TOKENS_FILE: tokenFile,
    PLEDGES_AUDIT_KEY_FILE: keyFile,
    PLEDGES_DEMO_DATA: 'false',
    PLEDGES_LOG_LEVEL: 'warn',
    PLEDGES_READS_PER_MINUTE: '1000000',
  };
  const rows: ResultRow[] = [];

  progress(
    `${options.id}: first start, no snapshot (folds ${formatNumber(options.events)} events)`,
  );
  let started = performance.now();
  const first = await startServer(environment, 600_000);
  const firstStartMs = performance.now() - started;
  await stopServer(first.child);
  const snapshotBytes = statSync(snapshotFile).size;

  progress(`${options.id}: restart from the latest snapshot`);
  started = performance.now();
  const server = await startServer(environment, 600_000);
  const restartMs = performance.now() - started;
  rows.push({
    id: `${options.id}a`,
    what: `restart from the latest snapshot, ${formatNumber(options.events)} events`,
    unit: 'ms',
    tracker: restartMs,
    baseline: firstStartMs,
    notes:
      `goal < 2,000 ms; baseline: first start folding the whole log and writing snapshots; ` +
      `snapshot file ${formatNumber(snapshotBytes / (1024 * 1024), 1)} MiB`,
  });

  const base = `http://127.0.0.1:${server.port}`;
  try {
    const plans = await getJson<{ plans: { planId: string }[] }>(base, auditor, '/api/v1/plans');
    const planId = plans.plans[0]?.planId;
    if (planId === undefined) throw new Error('No plan in the bench store');
    const totalsPath = `/api/v1/plans/${planId}/totals`;
    // A start on a large log checks it against its Merkle tree in the background: live reads are
    // timed while it runs, and every other read below after it, so they measure the reads alone.
    progress(`${options.id}: GET totals while the server's full check of the log runs`);
    const duringCheck = await readsUntilLogChecked(base, operator, auditor, totalsPath);
    progress(
      `${options.id}: the full check took ${formatNumber(duringCheck.checkMs / 1000, 1)} s after listening`,
    );
    const head = (
      await getJson<{ headPosition: number }>(base, auditor, '/api/v1/audit/events?limit=1')
    ).headPosition;
    const firstEvent = await getJson<{ entries: { recordedAt: string }[] }>(
      base,
      auditor,
      '/api/v1/audit/events?limit=1',
    );
    const lastEvent = await getJson<{ entries: { recordedAt: string }[] }>(
      base,
      auditor,
      `/api/v1/audit/events?limit=1&after=${head - 1}`,
    );
    const firstInstant = Date.parse(firstEvent.entries[0]?.recordedAt ?? '');
    const lastInstant = Date.parse(lastEvent.entries[0]?.recordedAt ?? '');

    progress(
      `${options.id}: ${options.asOfReads} live and ${options.asOfReads} asOf reads of totals`,
    );
    const get = (path: string) =>
      timed(() =>
        fetch(`${base}${path}`, { headers: { authorization: `Bearer ${auditor.token}` } }),
      );
    const live: number[] = [];
    for (let index = 0; index < options.asOfReads; index++) live.push((await get(totalsPath)).ms);
    const random = seededRandom(options.events);
    const byPosition: number[] = [];
    const byInstant: number[] = [];
    for (let index = 0; index < options.asOfReads; index++) {
      const position = 1 + Math.floor(random() * head);
      const answer = await get(`${totalsPath}?asOf=${position}`);
      if (answer.status !== 200 && answer.status !== 404) {
        throw new Error(`asOf=${position} answered ${answer.status}`);
      }
      byPosition.push(answer.ms);
      const instant = new Date(firstInstant + random() * (lastInstant - firstInstant));
      const timed2 = await get(`${totalsPath}?asOf=${encodeURIComponent(instant.toISOString())}`);
      byInstant.push(timed2.ms);
    }
    const p99Live = percentile(live, 99);
    rows.push(
      {
        id: `${options.id}b`,
        what: `GET totals?asOf=<position>, p99, ${formatNumber(options.events)} events`,
        unit: 'ms',
        tracker: percentile(byPosition, 99),
        baseline: p99Live,
        digits: 1,
        notes: `goal < 50 ms; p50 ${formatMs(percentile(byPosition, 50))}; baseline: live GET totals p99 (p50 ${formatMs(percentile(live, 50))}); ${options.asOfReads} random positions`,
      },
      {
        id: `${options.id}b`,
        what: `  GET totals?asOf=<instant>, p99`,
        unit: 'ms',
        tracker: percentile(byInstant, 99),
        baseline: p99Live,
        digits: 1,
        notes: `p50 ${formatMs(percentile(byInstant, 50))}; ${options.asOfReads} random instants`,
      },
    );

    const during = duringCheck.latencies;
    rows.push({
      id: `${options.id}b`,
      what: `  live GET totals, p99, while the start's full check of the log runs`,
      unit: 'ms',
      tracker: during.length === 0 ? 0 : percentile(during, 99),
      baseline: p99Live,
      digits: 1,
      notes:
        during.length === 0
          ? 'no reads: the log was checked in full before listening'
          : `p50 ${formatMs(percentile(during, 50))}, max ${formatMs(Math.max(...during))}, ` +
            `${during.length} reads by 1 client during a ${formatNumber(duringCheck.checkMs / 1000, 1)} s check; ` +
            `baseline: live GET totals p99 once it has passed`,
    });

    progress(`${options.id}: /health alone, then during the replay check`);
    const healthAlone = await pollHealth(base, 3_000, undefined);
    let replayMs = 0;
    const replay = (async () => {
      const replayStarted = performance.now();
      const response = await fetch(`${base}/api/v1/audit/replay`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auditor.token}` },
      });
      const report = (await response.json()) as { ok?: boolean };
      replayMs = performance.now() - replayStarted;
      if (response.status !== 200 || report.ok !== true) {
        throw new Error(`The replay check answered ${response.status}: ${JSON.stringify(report)}`);
      }
    })();
    const healthDuring = await pollHealth(base, undefined, replay);
    await replay;
    rows.push({
      id: `${options.id}c`,
      what: `GET /health p99 while the replay check runs`,
      unit: 'ms',
      tracker: percentile(healthDuring, 99),
      baseline: percentile(healthAlone, 99),
      digits: 1,
      notes:
        `goal < 50 ms; max ${formatMs(Math.max(...healthDuring))}, ${healthDuring.length} requests by 4 clients ` +
        `during a ${formatNumber(replayMs / 1000, 1)} s replay; baseline: /health alone`,
    });
  } finally {
    await stopServer(server.child);
  }
  return rows;
}

/** Four clients calling /health back to back, for a time or until `until` settles. */
async function pollHealth(
  base: string,
  durationMs: number | undefined,
  until: Promise<unknown> | undefined,
): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  until?.then(
    () => (done = true),
    () => (done = true),
  );
  const deadline = durationMs === undefined ? Infinity : performance.now() + durationMs;
  const client = async () => {
    while (!done && performance.now() < deadline) {
      const { ms, status } = await timed(() => fetch(`${base}/health`));
      if (status !== 200) throw new Error(`/health answered ${status}`);
      latencies.push(ms);
    }
  };
  await Promise.all([client(), client(), client(), client()]);
  return latencies;
}
