import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/api/app';
import { sha256Hex, TokenRegistry } from '../../src/api/auth';
import { writeTokenFile, type TokenEntry } from '../../src/api/tokenFile';
import { createTracker } from '../../src/application/tracker';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import { ALL_PROJECTIONS } from '../../src/projections';
import { Projector } from '../../src/projections/projector';
import { createSequence } from './testApp';

const entry = (name: string, token: string): TokenEntry => ({
  name,
  role: 'commission',
  sha256: sha256Hex(token),
});

describe('tokens added and revoked in the file apply without a restart', () => {
  let directory: string;
  let file: string;
  let store: SqliteEventStore;
  let app: Express;
  let clock: number;
  let log: Record<string, unknown>[];

  const status = async (token: string): Promise<number> =>
    (await request(app).get('/api/v1/plans').set('Authorization', `Bearer ${token}`)).status;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-token-reload-'));
    file = join(directory, 'tokens.json');
    writeTokenFile(file, [entry('dg-home', 'first-token')]);
    clock = 1_000_000;
    log = [];
    store = openSqliteEventStore(':memory:');
    const ids = createSequence('id');
    app = createApp({
      tracker: createTracker({ store, clock: () => new Date(clock), newId: ids.next }),
      projector: new Projector(store, ALL_PROJECTIONS),
      tokens: TokenRegistry.fromFile(file, {
        log: (line) => log.push(line),
        now: () => clock,
      }),
      newId: ids.next,
    });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('authenticates a token added to the file, and refuses one removed from it', async () => {
    expect(await status('first-token')).toBe(200);
    expect(await status('second-token')).toBe(401);

    writeTokenFile(file, [entry('dg-home', 'first-token'), entry('eca', 'second-token')]);
    clock += 1000;
    expect(await status('second-token')).toBe(200);
    expect(log).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'token file reloaded', tokens: 2 }),
    );

    writeTokenFile(file, [entry('eca', 'second-token')]);
    clock += 1000;
    expect(await status('first-token')).toBe(401);
    expect(await status('second-token')).toBe(200);
  });

  it('looks at the file at most once a second', async () => {
    writeTokenFile(file, [entry('eca', 'second-token')]);
    clock += 999;
    expect(await status('second-token')).toBe(401);
    expect(await status('first-token')).toBe(200);
    clock += 1;
    expect(await status('second-token')).toBe(200);
    expect(await status('first-token')).toBe(401);
  });

  it('keeps the previous tokens when the changed file is refused, and logs why without its contents', async () => {
    const secret = 'sk_live_0123456789abcdef0123456789abcdef';
    writeFileSync(file, `{"tokens": [{"name": "eca", "role": "auditor", "sha256": ${secret}`);
    clock += 1000;
    expect(await status('first-token')).toBe(200);
    const errors = log.filter((line) => line['level'] === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'token file changed but cannot be used; the previous tokens stay in force',
        file,
        error: expect.stringMatching(/not valid JSON at line 1, column 58/),
      }),
    ]);
    expect(JSON.stringify(log)).not.toContain('sk_live');

    // Not retried (nor logged again) until the file changes again.
    clock += 1000;
    expect(await status('first-token')).toBe(200);
    expect(log.filter((line) => line['level'] === 'error')).toHaveLength(1);

    writeTokenFile(file, [entry('eca', 'second-token')]);
    clock += 1000;
    expect(await status('second-token')).toBe(200);
    expect(await status('first-token')).toBe(401);
  });

  it('keeps the previous tokens when the file is made world-writable or removed', async () => {
    if (process.platform !== 'win32') {
      chmodSync(file, 0o666);
      clock += 1000;
      expect(await status('first-token')).toBe(200);
      expect(log).toContainEqual(
        expect.objectContaining({
          level: 'error',
          error: expect.stringMatching(/every user may write it/),
        }),
      );
    }
    rmSync(file);
    clock += 1000;
    expect(await status('first-token')).toBe(200);
    expect(log).toContainEqual(
      expect.objectContaining({ level: 'error', error: expect.stringMatching(/ENOENT/) }),
    );
  });
});
