/**
 * The start check as main.ts runs it, on a real SQLite file: a development start makes the key and
 * keeps the latest signed head beside it; a start on the file rolled back to an earlier copy (a
 * backup restored over a log that had grown) finds the log shorter than the head it signed, and
 * serves reads only.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { startTracker, type RunningTracker } from '../../src/main';
import { sha256Hex } from '../../src/api/auth';
import { writeTokenFile } from '../../src/api/tokenFile';

const COMMISSION_TOKEN = 'audit-start-commission-token-0123456789';
const OPERATOR_TOKEN = 'audit-start-operator-token-0123456789ab';

describe('the audit log at start', () => {
  let directory: string;
  let dbFile: string;
  let tokensFile: string;
  let running: RunningTracker | undefined;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-audit-start-'));
    dbFile = join(directory, 'data', 'pledges.db');
    tokensFile = join(directory, 'tokens.json');
    writeTokenFile(tokensFile, [
      { name: 'dg-home', role: 'commission', sha256: sha256Hex(COMMISSION_TOKEN) },
      { name: 'ops', role: 'operator', sha256: sha256Hex(OPERATOR_TOKEN) },
    ]);
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  const start = async () => {
    running = await startTracker(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        PLEDGES_DB_FILE: dbFile,
        PLEDGES_TOKENS_FILE: tokensFile,
        PLEDGES_AUDIT_SIGN_INTERVAL_MS: '10',
      }),
      () => undefined,
    );
    return running;
  };
  const stop = async () => {
    await running?.close();
    running = undefined;
  };
  const call = (
    tracker: RunningTracker,
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ) =>
    fetch(`http://127.0.0.1:${tracker.port}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const createPlan = (tracker: RunningTracker, planId: string) =>
    call(tracker, COMMISSION_TOKEN, 'POST', '/api/v1/plans', {
      planId,
      periodStart: `${planId.slice(0, 4)}-01-01`,
      periodEnd: `${planId.slice(5)}-12-31`,
    });

  /** Polls until `condition` holds: generous, so a slow machine only waits longer. */
  async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('the condition did not come true in time');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('makes the key, signs heads as the log grows, and refuses writes on a rolled-back file', async () => {
    const first = await start();
    expect(first.auditLog.mismatch).toBeUndefined();
    expect(existsSync(join(directory, 'data', 'audit-signing-key.pem'))).toBe(true);
    await stop();
    copyFileSync(dbFile, join(directory, 'earlier.db'));

    const second = await start();
    expect((await createPlan(second, '2028-2029')).status).toBe(201);
    await eventually(() => second.auditLog.lastSignedHead()?.treeSize === 1);
    const headFile = join(directory, 'data', 'audit-signing-key.pem.head.json');
    expect(existsSync(headFile)).toBe(true);
    await stop();

    // The file rolled back to the copy taken before the plan was created.
    copyFileSync(join(directory, 'earlier.db'), dbFile);
    rmSync(`${dbFile}-wal`, { force: true });
    rmSync(`${dbFile}-shm`, { force: true });
    const third = await start();

    expect(third.auditLog.mismatch).toMatchObject({ kind: 'rolled_back', treeSize: 1 });
    const refused = await createPlan(third, '2030-2031');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('300');
    expect(await refused.json()).toMatchObject({
      code: 'audit_log_mismatch',
      mismatch: { kind: 'rolled_back' },
    });
    expect(await third.store.headPosition()).toBe(0);
    const ready = await call(third, OPERATOR_TOKEN, 'GET', '/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      checks: { auditLog: { ok: false, mismatch: { kind: 'rolled_back' } } },
    });
  });
});
