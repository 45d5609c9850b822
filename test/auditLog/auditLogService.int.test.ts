/**
 * The audit log service on its own: where its key comes from (made for development, required and
 * never replaced in production), the heads it signs on its timer while the log grows and keeps in a
 * file beside the key, and what it does once the store's tree check reports a mismatch.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLogMismatchError,
  AuditLogService,
  type HeadWithKey,
} from '../../src/auditLog/auditLogService';
import { AUDIT_KEY_FILE_NAME, loadAuditSigningKey } from '../../src/auditLog/signingKey';
import { publicKeyFromJwk, verifyTreeHead } from '../../src/auditLog/treeHead';
import { rootFromLeafHashes } from '../../src/auditLog/merkleTree';
import { eventLeafHash } from '../../src/auditLog/auditRecord';
import type { AuditTree } from '../../src/eventStore/port';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { writeAuditKeyFile } from './auditKeyFile';

const development = (directory: string, overrides: Record<string, string> = {}) => ({
  NODE_ENV: 'development' as const,
  EVENT_STORE: 'sqlite' as const,
  PLEDGES_DB_FILE: join(directory, 'data', 'pledges.db'),
  PLEDGES_AUDIT_KEY_FILE: undefined,
  ...overrides,
});

/** Polls until `condition` holds: generous, so a slow machine only waits longer. */
async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function appendEvents(store: InMemoryEventStore, stream: string, count: number) {
  for (let i = 0; i < count; i++) {
    await store.append(
      stream,
      [{ id: `${stream}-${i}`, type: 'Noted', data: { i }, metadata: {} }],
      { expectedVersion: 'any' },
    );
  }
}

/** What a check reports when the second event was edited behind the tracker's back. */
const EDITED_AT_POSITION_2 = {
  kind: 'edited',
  position: 2,
  leafIndex: 1,
  message: 'the event at position 2 is not what its leaf recorded',
} as const;

describe('the signing key', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-audit-key-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('is made beside a development store (mode 0600) and read back on the next start', () => {
    const first = loadAuditSigningKey(development(directory));
    const file = join(directory, 'data', AUDIT_KEY_FILE_NAME);

    expect(first).toMatchObject({ file, headFile: `${file}.head.json`, created: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const second = loadAuditSigningKey(development(directory));
    expect(second.created).toBe(false);
    expect(second.publicKey.equals(first.publicKey)).toBe(true);
  });

  it('serves one run only with a :memory: store: no key file, no head file', () => {
    const loaded = loadAuditSigningKey(development(directory, { PLEDGES_DB_FILE: ':memory:' }));

    expect(loaded.file).toBeUndefined();
    expect(loaded.headFile).toBeUndefined();
    expect(loaded.privateKey.asymmetricKeyType).toBe('ed25519');
  });

  it('is read from PLEDGES_AUDIT_KEY_FILE in production, and never made there', () => {
    const file = writeAuditKeyFile(directory);
    const production = { ...development(directory), NODE_ENV: 'production' as const };

    expect(
      loadAuditSigningKey({ ...production, PLEDGES_AUDIT_KEY_FILE: file }).publicKey.type,
    ).toBe('public');
    const missing = join(directory, 'missing.pem');
    expect(() => loadAuditSigningKey({ ...production, PLEDGES_AUDIT_KEY_FILE: missing })).toThrow(
      /^Refusing to start: the audit signing key file .*missing\.pem does not exist/,
    );
    expect(existsSync(missing)).toBe(false);
    expect(() => loadAuditSigningKey(production)).toThrow(/PLEDGES_AUDIT_KEY_FILE/);
  });

  it('refuses a file others may write, and a key that is not Ed25519', () => {
    const file = writeAuditKeyFile(directory);
    chmodSync(file, 0o666);
    expect(() =>
      loadAuditSigningKey(development(directory, { PLEDGES_AUDIT_KEY_FILE: file })),
    ).toThrow(/other users may write it/);

    const ec = join(directory, 'ec.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(ec, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    expect(() =>
      loadAuditSigningKey(development(directory, { PLEDGES_AUDIT_KEY_FILE: ec })),
    ).toThrow(/holds a ec key; tree heads are signed with Ed25519/);
  });
});

describe('the audit log service', () => {
  let directory: string;
  const services: AuditLogService[] = [];
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-audit-service-'));
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  const keyFile = () => join(directory, AUDIT_KEY_FILE_NAME);
  const serviceOn = (
    tree: AuditTree,
    options: { signIntervalMs?: number; inlineFullCheckEvents?: number } = {},
  ) => {
    const loaded = loadAuditSigningKey(
      development(directory, { PLEDGES_AUDIT_KEY_FILE: keyFile() }),
    );
    let now = Date.parse('2026-11-30T12:00:00.000Z');
    const logged: Record<string, unknown>[] = [];
    const service = new AuditLogService({
      tree,
      privateKey: loaded.privateKey,
      headFile: loaded.headFile!,
      // Each reading a second later: every head has its own time.
      clock: () => new Date((now += 1000)),
      signIntervalMs: options.signIntervalMs ?? 10,
      ...(options.inlineFullCheckEvents !== undefined && {
        inlineFullCheckEvents: options.inlineFullCheckEvents,
      }),
      log: (entry) => logged.push(entry),
    });
    services.push(service);
    return { service, logged, headFile: loaded.headFile! };
  };

  it('signs a head on its timer once the log grows, and keeps it in the head file', async () => {
    const store = new InMemoryEventStore();
    const { service, headFile } = serviceOn(store.auditTree);
    await service.start();

    await appendEvents(store, 'notes-1', 5);
    await eventually(() => service.lastSignedHead()?.treeSize === 5);

    const head = service.lastSignedHead()!;
    const events = await store.readAll();
    expect(head.rootHash).toBe(
      Buffer.from(rootFromLeafHashes(events.map(eventLeafHash))).toString('base64'),
    );
    await eventually(() => existsSync(headFile));
    const saved = JSON.parse(readFileSync(headFile, 'utf8')) as HeadWithKey;
    expect(saved.publicKey).toEqual(service.jwk);
    expect(verifyTreeHead(saved.treeHead, publicKeyFromJwk(saved.publicKey))).toBe(true);
    expect(statSync(headFile).mode & 0o777).toBe(0o600);
  });

  it('answers the latest head without signing again while the log stands still', async () => {
    const store = new InMemoryEventStore();
    await appendEvents(store, 'notes-1', 3);
    const { service } = serviceOn(store.auditTree, { signIntervalMs: 0 });
    await service.start();

    const first = await service.latestHead();
    expect(await service.latestHead()).toBe(first);
    await appendEvents(store, 'notes-2', 1);
    const second = await service.latestHead();
    expect(second.treeSize).toBe(4);
    expect(second.timestamp > first.timestamp).toBe(true);
    // A head for an earlier size is signed for an export, and not kept as the latest.
    expect((await service.headFor(2)).treeSize).toBe(2);
    expect(service.lastSignedHead()).toBe(second);
  });

  it('refuses to start with a saved head this key did not sign', async () => {
    const store = new InMemoryEventStore();
    await appendEvents(store, 'notes-1', 2);
    const { service } = serviceOn(store.auditTree, { signIntervalMs: 0 });
    await service.start();
    await service.latestHead();
    rmSync(keyFile());

    const { service: replaced } = serviceOn(store.auditTree, { signIntervalMs: 0 });
    await expect(replaced.start()).rejects.toThrow(/is not signed by the audit key/);
  });

  it('stops signing and refuses writes once the tree check reports a mismatch', async () => {
    const store = new InMemoryEventStore();
    await appendEvents(store, 'notes-1', 4);
    const mismatch = EDITED_AT_POSITION_2;
    const tree: AuditTree = {
      ...store.auditTree,
      size: () => store.auditTree.size(),
      root: (size) => store.auditTree.root(size),
      check: () =>
        Promise.resolve({ ok: false, treeSize: 4, eventCount: 4, checkedLeaves: 2, mismatch }),
    };
    const { service, logged } = serviceOn(tree);

    const status = await service.start();

    expect(status).toMatchObject({ ok: false, lastCheck: 'full', mismatch });
    expect(service.mismatch).toEqual(mismatch);
    expect(() => service.assertWritable()).toThrow(AuditLogMismatchError);
    await expect(service.latestHead()).rejects.toThrow(AuditLogMismatchError);
    expect(await service.readiness()).toMatchObject({ ok: false, mismatch });
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', kind: 'edited', position: 2 }),
    );
    // The private key appears in no log line.
    const pem = readFileSync(keyFile(), 'utf8');
    const body = pem.split('\n')[1]!;
    expect(JSON.stringify(logged)).not.toContain(body);
  });

  it('checks a large log at its tail before serving and in full after, signing nothing until then', async () => {
    const store = new InMemoryEventStore();
    await appendEvents(store, 'notes-1', 6);
    const mismatch = EDITED_AT_POSITION_2;
    let releaseFullCheck: () => void = () => undefined;
    const fullCheckMayEnd = new Promise<void>((resolve) => {
      releaseFullCheck = resolve;
    });
    const checks: ({ tail?: number } | undefined)[] = [];
    const tree: AuditTree = {
      ...store.auditTree,
      size: () => store.auditTree.size(),
      root: (size) => store.auditTree.root(size),
      check: async (options) => {
        checks.push(options);
        if (options?.tail !== undefined) {
          return { ok: true, treeSize: 6, eventCount: 6, checkedLeaves: 6 };
        }
        await fullCheckMayEnd;
        return { ok: false, treeSize: 6, eventCount: 6, checkedLeaves: 2, mismatch };
      },
    };
    const { service } = serviceOn(tree, { inlineFullCheckEvents: 5, signIntervalMs: 0 });

    const status = await service.start();

    // Serving (and writing) goes on while the whole log is checked...
    expect(status).toMatchObject({ ok: true, lastCheck: 'tail', fullCheck: 'running' });
    expect(() => service.assertWritable()).not.toThrow();
    expect(checks).toEqual([{ tail: 64 }, undefined]);
    // ...but no head is signed before that check has passed: here it finds the log edited.
    const head = service.latestHead();
    releaseFullCheck();
    await expect(head).rejects.toThrow(AuditLogMismatchError);
    expect(service.mismatch).toEqual(mismatch);
    expect(await service.readiness()).toMatchObject({
      ok: false,
      lastCheck: 'full',
      fullCheck: 'failed',
      mismatch,
    });
  });

  it('signs nothing for a log that shrank under it: a rollback while running', async () => {
    const store = new InMemoryEventStore();
    await appendEvents(store, 'notes-1', 3);
    let shrunk = false;
    const tree: AuditTree = {
      ...store.auditTree,
      size: async () => (shrunk ? 2 : store.auditTree.size()),
      root: (size) => store.auditTree.root(size),
      check: () => store.auditTree.check(),
    };
    const { service } = serviceOn(tree, { signIntervalMs: 0 });
    await service.start();
    await service.latestHead();

    shrunk = true;
    await expect(service.latestHead()).rejects.toThrow(AuditLogMismatchError);
    expect(service.mismatch).toMatchObject({ kind: 'rolled_back', treeSize: 3 });
  });

  it('stops its timer on close', async () => {
    const store = new InMemoryEventStore();
    const { service } = serviceOn(store.auditTree);
    await service.start();
    await appendEvents(store, 'notes-1', 1);
    await eventually(() => service.lastSignedHead()?.treeSize === 1);

    await service.close();
    await appendEvents(store, 'notes-2', 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(service.lastSignedHead()?.treeSize).toBe(1);
  });
});
