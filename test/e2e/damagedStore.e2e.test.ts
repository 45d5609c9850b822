import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { StoreUnavailableError } from '../../src/eventStore/port';
import { startTracker, type RunningTracker } from '../../src/main';
import {
  commitElsewhere,
  copyOfRealStore,
  pageOf,
  wreckEventsTable,
  writeGarbage,
} from '../eventStore/damagedStore';

/**
 * The tracker on a damaged SQLite file: it refuses to start on one (main() prints the error's one
 * line and exits 1), and a file damaged while it runs makes it unready, logged once with its code.
 */
describe('the tracker on a damaged store', () => {
  let directory: string;
  let running: RunningTracker | undefined;

  const configFor = (filePath: string) =>
    loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', PLEDGES_DB_FILE: filePath });

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-damaged-'));
  });

  afterEach(async () => {
    await running?.close();
    running = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses to start, with one line naming the file and the first problems', async () => {
    const filePath = copyOfRealStore(join(directory, 'pledges.db'));
    writeGarbage(filePath, pageOf(filePath, 'sqlite_autoindex_events_2'), 8, 4);

    const start = startTracker(configFor(filePath), () => undefined);

    await expect(start).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(start).rejects.toThrow(
      new RegExp(
        `^SQLite store ${filePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged: PRAGMA quick_check found Tree \\d+ page \\d+ cell \\d+: [^\\n]+$`,
      ),
    );
  });

  it('turns unready when the file is damaged while it runs, and logs the failure once with its code', async () => {
    const filePath = copyOfRealStore(join(directory, 'pledges.db'));
    const logged: Record<string, unknown>[] = [];
    running = await startTracker(configFor(filePath), (entry) => logged.push(entry));
    // The details of /ready are for operators.
    const operator = running.demoTokens?.find((token) => token.role === 'operator');
    const ready = () =>
      fetch(`http://127.0.0.1:${running?.port ?? 0}/ready`, {
        headers: { Authorization: `Bearer ${operator?.token ?? ''}` },
      });
    expect((await ready()).status).toBe(200);

    wreckEventsTable(filePath);
    commitElsewhere(filePath);
    const first = await ready();
    const commission = running.demoTokens?.find((token) => token.role === 'commission');
    const read = await fetch(`http://127.0.0.1:${running.port}/api/v1/plans`, {
      headers: { Authorization: `Bearer ${commission?.token ?? ''}` },
    });
    const again = await ready();

    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toBe('300');
    expect(await read.json()).toMatchObject({ code: 'store_corrupted' });
    expect(first.status).toBe(503);
    expect(again.status).toBe(503);
    expect(await again.json()).toMatchObject({
      ready: false,
      storeHealth: { ok: false, problem: { kind: 'corrupted', code: 'SQLITE_CORRUPT' } },
    });
    const failures = logged.filter((entry) => entry['msg'] === 'event store failure');
    expect(failures).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'event store failure',
        code: 'SQLITE_CORRUPT',
        kind: 'corrupted',
        detail: expect.stringContaining(filePath) as unknown,
      }),
    ]);
    // The failed request is not logged as an unhandled error: the failure was logged above.
    expect(logged.filter((entry) => entry['msg'] === 'unhandled error')).toEqual([]);
  });
});
