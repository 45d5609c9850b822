import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { sha256Hex } from '../../src/api/auth';
import { createTracker, type RequestContext } from '../../src/application/tracker';
import { loadConfig } from '../../src/config/config';
import { writeAuditKeyFile } from '../auditLog/auditKeyFile';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import { startTracker, type RunningTracker } from '../../src/main';
import { ALL_PROJECTIONS } from '../../src/projections';
import type { Projection } from '../../src/projections/projection';
import { Projector } from '../../src/projections/projector';
import { stateDigest } from '../../src/projections/stateDigest';
import {
  backupSqliteStore,
  BackupError,
  parseBackupArguments,
  type BackupReport,
} from '../../src/cli/backup';
import { BACKUP_PLAN_ID, WRITER_MEMBER_STATES, type WriterMessage } from './storeWriter';
import { runTypeScript, spawnTypeScript } from './typeScriptChild';

const COMMISSION_TOKEN = 'backup-commission-token-0123456789abcdef';
const commission: RequestContext = {
  actor: { id: 'dg-home', role: 'commission' },
  correlationId: 'setup',
  requestId: 'setup',
};
const ministry = (memberState: string): RequestContext => ({
  actor: { id: `${memberState.toLowerCase()}-ministry`, role: 'member_state', memberState },
  correlationId: 'setup',
  requestId: `setup-${memberState}`,
});

function nextMessage(child: ChildProcess, kind: WriterMessage['kind']): Promise<WriterMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: WriterMessage) => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the writer exited (${String(code)})`)));
  });
}

const PROJECTIONS: readonly Projection<unknown>[] = ALL_PROJECTIONS;

/** Every projection's state digest as it stood at `position`, rebuilt from the store's log. */
async function digestsAt(store: SqliteEventStore, position: number): Promise<string[]> {
  const projector = new Projector(store, ALL_PROJECTIONS);
  return Promise.all(
    PROJECTIONS.map(async (projection) =>
      stateDigest((await projector.stateAsOf(projection, { position })).state),
    ),
  );
}

// Child processes compile their TypeScript as they load it: seconds, on a busy machine.
jest.setTimeout(60_000);

describe('npm run backup: a consistent copy of a live SQLite store', () => {
  let directory: string;
  let dbFile: string;
  let tokensFile: string;
  let store: SqliteEventStore;
  let writer: ChildProcess | undefined;
  const running: RunningTracker[] = [];

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-backup-'));
    dbFile = join(directory, 'pledges.db');
    tokensFile = join(directory, 'tokens.json');
    writeFileSync(
      tokensFile,
      JSON.stringify({
        tokens: [{ name: 'dg-home', role: 'commission', sha256: sha256Hex(COMMISSION_TOKEN) }],
      }),
      { mode: 0o600 },
    );
    store = openSqliteEventStore(dbFile);
    const tracker = createTracker({
      store,
      clock: () => new Date('2030-01-15T10:00:00.000Z'),
      newId: (() => {
        let id = 0;
        return () => `setup-${++id}`;
      })(),
    });
    await tracker.createPlan(
      { planId: BACKUP_PLAN_ID, periodStart: '2030-01-01', periodEnd: '2031-12-31' },
      commission,
    );
    await tracker.openPledging(BACKUP_PLAN_ID, {}, commission);
    for (const memberState of WRITER_MEMBER_STATES) {
      await tracker.putPledge(
        BACKUP_PLAN_ID,
        memberState,
        {
          lines: [{ admissionType: 'resettlement', hostCountry: 'LB', persons: 50 }],
          submitOnly: true,
        },
        ministry(memberState),
      );
    }
  });

  afterEach(async () => {
    writer?.kill();
    writer = undefined;
    await Promise.all(running.splice(0).map((tracker) => tracker.close()));
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const start = async (file: string): Promise<RunningTracker> => {
    const tracker = await startTracker(
      loadConfig({
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        PLEDGES_DB_FILE: file,
        PLEDGES_TOKENS_FILE: tokensFile,
        PLEDGES_AUDIT_KEY_FILE: writeAuditKeyFile(dirname(file), `${basename(file)}.key.pem`),
      }),
      () => undefined,
    );
    running.push(tracker);
    return tracker;
  };
  const get = async (tracker: RunningTracker, path: string): Promise<unknown> => {
    const response = await fetch(`http://127.0.0.1:${tracker.port}${path}`, {
      headers: { Authorization: `Bearer ${COMMISSION_TOKEN}` },
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  it('copies the log up to one position while another process keeps appending, figures unchanged', async () => {
    const child = spawnTypeScript('test/cli/storeWriter', [dbFile], {}, true);
    writer = child;
    const ready = nextMessage(child, 'ready');
    await ready;
    const headWhenStarted = await store.headPosition();

    const copy = join(directory, 'copy.db');
    const report: BackupReport = await backupSqliteStore(dbFile, copy);

    const stopped = nextMessage(child, 'stopped');
    child.send('stop');
    const { appended } = await stopped;
    writer = undefined;

    expect(report).toEqual({
      source: dbFile,
      destination: copy,
      headPosition: expect.any(Number),
      events: report.headPosition,
      integrity: 'ok',
    });
    expect(report.headPosition).toBeGreaterThanOrEqual(headWhenStarted);
    const finalHead = await store.headPosition();
    expect(finalHead).toBe(2 + WRITER_MEMBER_STATES.length + appended);
    if (process.platform !== 'win32') expect(statSync(copy).mode & 0o777).toBe(0o600);

    const copied = openSqliteEventStore(copy);
    try {
      expect(await copied.headPosition()).toBe(report.headPosition);
      // The copy is the original's log cut at its head: every projection digests alike there.
      expect(await digestsAt(copied, report.headPosition)).toEqual(
        await digestsAt(store, report.headPosition),
      );
      // And it holds nothing past it: its whole log gives the same states.
      const projector = new Projector(copied, ALL_PROJECTIONS);
      await projector.catchUp();
      expect(PROJECTIONS.map((projection) => stateDigest(projector.state(projection)))).toEqual(
        await digestsAt(store, report.headPosition),
      );
    } finally {
      await copied.close();
    }

    // Restoring is starting a tracker on the copy: it answers what the original answered then.
    const restored = await start(copy);
    const original = await start(dbFile);
    const at = report.headPosition;
    for (const path of [
      `/api/v1/plans/${BACKUP_PLAN_ID}/totals?view=pledges`,
      `/api/v1/plans/${BACKUP_PLAN_ID}`,
      `/api/v1/plans/${BACKUP_PLAN_ID}/pledges`,
    ]) {
      const separator = path.includes('?') ? '&' : '?';
      expect(await get(restored, path)).toEqual(
        await get(original, `${path}${separator}asOf=${at}`),
      );
    }
  });

  it('refuses to overwrite a file, or to copy a store that is not there', async () => {
    const existing = join(directory, 'existing.db');
    writeFileSync(existing, 'keep me');
    await expect(backupSqliteStore(dbFile, existing)).rejects.toThrow(
      new BackupError(`${existing} already exists; refusing to overwrite it`),
    );
    await expect(backupSqliteStore(dbFile, dbFile)).rejects.toThrow(
      'The destination is the store itself',
    );
    const missing = join(directory, 'missing.db');
    await expect(backupSqliteStore(missing, join(directory, 'x.db'))).rejects.toThrow(
      `No SQLite store at ${missing}`,
    );
    const notAStore = join(directory, 'other.db');
    new Database(notAStore).exec('CREATE TABLE t (x)').close();
    await expect(backupSqliteStore(notAStore, join(directory, 'y.db'))).rejects.toThrow(
      `${notAStore} is not an event store (it has no events table)`,
    );
    expect(existsSync(join(directory, 'y.db'))).toBe(false);
    await expect(backupSqliteStore(dbFile, join(directory, 'no', 'such', 'x.db'))).rejects.toThrow(
      /The folder of .* does not exist/,
    );
  });

  it('reads its arguments: the destination, and the store from --from or PLEDGES_DB_FILE', () => {
    expect(parseBackupArguments(['copy.db'], { PLEDGES_DB_FILE: '/srv/p.db' })).toEqual({
      source: '/srv/p.db',
      destination: 'copy.db',
    });
    expect(parseBackupArguments(['copy.db', '--from', 'other.db'], {})).toEqual({
      source: 'other.db',
      destination: 'copy.db',
    });
    expect(parseBackupArguments(['copy.db'], {})).toEqual({
      source: './data/pledges.db',
      destination: 'copy.db',
    });
    expect(() => parseBackupArguments([], {})).toThrow(/^Usage: npm run backup/);
    expect(() => parseBackupArguments(['a.db', 'b.db'], {})).toThrow(/^Usage/);
    expect(() => parseBackupArguments(['a.db'], { EVENT_STORE: 'eventstoredb' })).toThrow(
      /EventStoreDB with its own tools/,
    );
  });

  it('runs as a command and prints the copy’s head and event count', async () => {
    const copy = join(directory, 'command-copy.db');
    const result = await runTypeScript('src/cli/backup', [copy], { PLEDGES_DB_FILE: dbFile });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const head = await store.headPosition();
    expect(JSON.parse(result.stdout)).toEqual({
      source: dbFile,
      destination: copy,
      headPosition: head,
      events: head,
      integrity: 'ok',
    });
    const again = await runTypeScript('src/cli/backup', [copy], { PLEDGES_DB_FILE: dbFile });
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: `Backup failed: ${copy} already exists; refusing to overwrite it\n`,
    });
  });
});
