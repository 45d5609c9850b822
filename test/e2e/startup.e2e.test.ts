import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTracker, type RunningTracker } from '../../src/main';
import { loadConfig } from '../../src/config/config';
import { sha256Hex, TokenFileError } from '../../src/api/auth';
import { DemoDataRefusedError } from '../../src/demo/demoStore';
import { ILLUSTRATIVE_PLAN_ID } from '../../src/demo/illustrativePlan';
import { writeAuditKeyFile } from '../auditLog/auditKeyFile';

/**
 * What a start does with tokens and demo data, on a real SQLite file: the illustrative plan only
 * where asked for, never into or beside real data; demo tokens that survive a restart.
 */
const COMMISSION_TOKEN = 'real-commission-token-0123456789abcdef';

describe('starting the tracker: tokens and demo data', () => {
  let directory: string;
  let dbFile: string;
  let tokensFile: string;
  const running: RunningTracker[] = [];

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-startup-'));
    dbFile = join(directory, 'data', 'pledges.db');
    tokensFile = join(directory, 'tokens.json');
    writeFileSync(
      tokensFile,
      JSON.stringify({
        tokens: [{ name: 'dg-home', role: 'commission', sha256: sha256Hex(COMMISSION_TOKEN) }],
      }),
      { mode: 0o600 },
    );
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((tracker) => tracker.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  /** NODE_ENV is left unset unless given: the development default, as on a first `npm start`. */
  const start = async (environment: NodeJS.ProcessEnv = {}): Promise<RunningTracker> => {
    const tracker = await startTracker(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', PLEDGES_DB_FILE: dbFile, ...environment }),
      () => undefined,
    );
    running.push(tracker);
    return tracker;
  };
  const stop = async (tracker: RunningTracker) => {
    running.splice(running.indexOf(tracker), 1);
    await tracker.close();
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
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  it('with a real token file and NODE_ENV unset, loads no demo plan: the real one can be created', async () => {
    const tracker = await start({ PLEDGES_TOKENS_FILE: tokensFile });
    expect(tracker.demoTokens).toBeUndefined();
    expect(await tracker.store.headPosition()).toBe(0);
    const created = await call(tracker, COMMISSION_TOKEN, 'POST', '/api/v1/plans', {
      planId: ILLUSTRATIVE_PLAN_ID,
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
    });
    expect(created.status).toBe(201);
    expect(existsSync(join(directory, 'data', 'demo-tokens.json'))).toBe(false);
  });

  it('in development without a token file, loads the demo plan once and keeps the same demo tokens', async () => {
    const first = await start();
    const head = await first.store.headPosition();
    expect(head).toBeGreaterThan(20);
    const tokens = first.demoTokens;
    expect(first.demoTokensFile).toBe(join(directory, 'data', 'demo-tokens.json'));
    if (process.platform !== 'win32') {
      expect(statSync(join(directory, 'data', 'demo-tokens.json')).mode & 0o777).toBe(0o600);
    }
    await stop(first);

    const second = await start();
    expect(second.demoTokens).toEqual(tokens);
    expect(await second.store.headPosition()).toBe(head);
    const commission = tokens?.find((token) => token.role === 'commission')?.token ?? '';
    const totals = await call(
      second,
      commission,
      'GET',
      `/api/v1/plans/${ILLUSTRATIVE_PLAN_ID}/totals?view=adopted`,
    );
    expect(totals.status).toBe(200);
    expect(((await totals.json()) as { total: number }).total).toBe(10_430);
  });

  it('refuses to serve a store holding the demo plan with real tokens, unless asked for it', async () => {
    await stop(await start());
    await expect(start({ PLEDGES_TOKENS_FILE: tokensFile })).rejects.toThrow(
      new DemoDataRefusedError(
        'Refusing to start: this store holds the illustrative demo plan 2026-2027 (invented figures); use a fresh store for real data (or set PLEDGES_DEMO_DATA=true to serve the demo with these tokens)',
      ),
    );
    await expect(
      start({
        NODE_ENV: 'production',
        PLEDGES_TOKENS_FILE: tokensFile,
        PLEDGES_AUDIT_KEY_FILE: writeAuditKeyFile(directory),
      }),
    ).rejects.toThrow(/this store holds the illustrative demo plan/);

    // The refused starts left the store closed and as it was: a start that asks for it serves it.
    const demo = await start({ PLEDGES_TOKENS_FILE: tokensFile, PLEDGES_DEMO_DATA: 'true' });
    const totals = await call(
      demo,
      COMMISSION_TOKEN,
      'GET',
      `/api/v1/plans/${ILLUSTRATIVE_PLAN_ID}/totals?view=adopted`,
    );
    expect(totals.status).toBe(200);
  });

  it('refuses demo data asked for on a store that holds real data', async () => {
    const real = await start({ PLEDGES_TOKENS_FILE: tokensFile });
    await call(real, COMMISSION_TOKEN, 'POST', '/api/v1/plans', {
      planId: '2028-2029',
      periodStart: '2028-01-01',
      periodEnd: '2029-12-31',
    });
    await stop(real);
    await expect(
      start({ PLEDGES_TOKENS_FILE: tokensFile, PLEDGES_DEMO_DATA: 'true' }),
    ).rejects.toThrow(
      /^Refusing to start: PLEDGES_DEMO_DATA=true, but the store already holds events/,
    );
  });

  it('stops at a token file it cannot use, with one line, before opening the store', async () => {
    writeFileSync(tokensFile, '{"tokens": [{"name": "dg-home", "sha256": sk_live_abcdef}]}');
    const failure = start({ PLEDGES_TOKENS_FILE: tokensFile });
    await expect(failure).rejects.toThrow(TokenFileError);
    await expect(failure).rejects.toThrow(
      `Invalid token file ${tokensFile}: not valid JSON at line 1, column 43: unexpected character where a value was expected (a string in double quotes, a number, an object, an array, true, false or null)`,
    );
    expect(existsSync(dbFile)).toBe(false);
  });
});
