import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../../src/eventStore/port';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import { copyOfRealStore, pageOf, writeGarbage } from './damagedStore';

/**
 * A large store is checked in the background, so a restart does not wait for a full read of it:
 * the store serves at once, and damage found later is reported like any other failure.
 */
describe('quick_check in the background', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-quickcheck-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  const until = async (condition: () => Promise<boolean>): Promise<void> => {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('opens a damaged file at once, then reports it as corrupted, logged once', async () => {
    const filePath = copyOfRealStore(join(directory, 'pledges.db'));
    writeGarbage(filePath, pageOf(filePath, 'sqlite_autoindex_events_2'), 8, 4);
    const problems: string[] = [];
    const store = openSqliteEventStore(filePath, {
      quickCheck: 'background',
      onProblem: (problem) => problems.push(problem.code),
    });
    try {
      await until(async () => !(await store.health()).ok);
      const health = await store.health();
      expect(health.problem).toMatchObject({ kind: 'corrupted', code: 'QUICK_CHECK_FAILED' });
      expect(health.problem?.message).toContain(filePath);
      expect(problems).toEqual(['QUICK_CHECK_FAILED']);
    } finally {
      await store.close();
    }
  });

  it('leaves a sound file healthy', async () => {
    const filePath = copyOfRealStore(join(directory, 'pledges.db'));
    const store = openSqliteEventStore(filePath, { quickCheck: 'background' });
    try {
      // The check's worker has nothing to report; the store answers throughout.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await store.health()).toMatchObject({ ok: true, answering: true });
      expect(await store.headPosition()).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('still refuses a damaged file at open when asked to', () => {
    const filePath = copyOfRealStore(join(directory, 'pledges.db'));
    writeGarbage(filePath, pageOf(filePath, 'sqlite_autoindex_events_2'), 8, 4);
    expect(() => openSqliteEventStore(filePath, { quickCheck: 'at_open' })).toThrow(
      StoreUnavailableError,
    );
  });
});
