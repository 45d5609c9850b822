/**
 * Tampering with the tracker's SQLite file, end to end, as the people involved meet it: the
 * tracker runs on a real file with its signing key in a file; an auditor saves a signed tree head
 * and downloads an export, which `npm run audit:verify` accepts against that head. Then someone who
 * holds the file changes it with a plain SQLite connection (an edited data field, a deleted row,
 * two rows swapped, a row appended behind the server's back, the file rolled back to a backup) and
 * each change is found: by the server at start or in `GET /ready` (it then records nothing more and
 * signs nothing more), by the verifier, or, when the operator also recomputes the tree and removes
 * the server's memory of its last head, by consistency with the head the auditor saved.
 *
 * One log (the illustrative plan, then a plan written over HTTP) is written once and copied for
 * each test. Heads are signed on request only (the signing timer is set to an hour), so what each
 * test sees does not depend on timing.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v4 as uuidv4 } from 'uuid';
import { verifyConsistency } from '../../src/auditLog/merkleTree';
import { sha256Hex } from '../../src/api/auth';
import { writeTokenFile } from '../../src/api/tokenFile';
import { auditVerifyMain } from '../../src/cli/auditVerify';
import { loadConfig } from '../../src/config/config';
import { pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import { extendAuditTree } from '../../src/eventStore/sqlite/sqliteAuditTree';
import { startTracker, type RunningTracker } from '../../src/main';
import { ILLUSTRATIVE_PLAN_ID } from '../../src/demo/illustrativePlan';
import { writeAuditKeyFile } from './auditKeyFile';

const TOKENS = {
  commission: 'tamper-e2e-commission-token-0123456789',
  auditor: 'tamper-e2e-auditor-token-0123456789abcd',
  operator: 'tamper-e2e-operator-token-0123456789abc',
  DE: 'tamper-e2e-de-ministry-token-0123456789',
  FR: 'tamper-e2e-fr-ministry-token-0123456789',
  IT: 'tamper-e2e-it-ministry-token-0123456789',
} as const;
type Who = keyof typeof TOKENS;

const PLAN_ID = '2030-2031';
const PLAN = `/api/v1/plans/${PLAN_ID}`;

interface SignedHead {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: string;
  readonly signature: string;
}

/** One deployment's files, all under `root`: the layout the template is written in and copied. */
function filesIn(root: string) {
  return {
    root,
    db: join(root, 'data', 'pledges.db'),
    key: join(root, 'keys', 'audit-signing-key.pem'),
    /** The server's memory of the last head it signed. */
    serverHead: join(root, 'keys', 'audit-signing-key.pem.head.json'),
    tokens: join(root, 'tokens.json'),
    /** A copy of the file the operator took before the last writes (a backup). */
    earlierDb: join(root, 'backup', 'pledges.db'),
    /** What the auditor keeps: the head saved from the web app, and the export downloaded. */
    savedHead: join(root, 'auditor', 'saved-head.json'),
    export: join(root, 'auditor', 'export.ndjson'),
  };
}
type Files = ReturnType<typeof filesIn>;

function startOn(files: Files): Promise<RunningTracker> {
  return startTracker(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PLEDGES_DB_FILE: files.db,
      PLEDGES_TOKENS_FILE: files.tokens,
      PLEDGES_AUDIT_KEY_FILE: files.key,
      // The store holds the illustrative plan, served with these tokens.
      PLEDGES_DEMO_DATA: 'true',
      // Heads are signed when asked for (tree-head, export), never by the timer within a test.
      PLEDGES_AUDIT_SIGN_INTERVAL_MS: '3600000',
    }),
    () => undefined,
  );
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

async function call(
  server: RunningTracker,
  who: Who | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    headers: {
      ...(who !== undefined && { authorization: `Bearer ${TOKENS[who]}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

const pledge = (persons: number, reason?: string) => ({
  lines: [
    { admissionType: 'resettlement', hostCountry: 'TR', persons },
    { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 100 },
  ],
  ...(reason !== undefined && { reason }),
});

async function submit(server: RunningTracker, memberState: 'DE' | 'FR' | 'IT', persons: number) {
  const answer = await call(
    server,
    memberState,
    'PUT',
    `${PLAN}/pledges/${memberState}`,
    pledge(persons),
    { 'if-none-match': '*' },
  );
  expect([answer.status, answer.text]).toEqual([201, answer.text]);
  return answer;
}

async function revise(
  server: RunningTracker,
  memberState: 'DE' | 'FR' | 'IT',
  persons: number,
  version: number,
) {
  const answer = await call(
    server,
    memberState,
    'PUT',
    `${PLAN}/pledges/${memberState}`,
    pledge(persons, `Revised to ${persons}`),
    { 'if-match': `"${version}"` },
  );
  expect([answer.status, answer.text]).toEqual([200, answer.text]);
  return answer;
}

/** The auditor downloads the export (all events, signed head last) into `file`. */
async function downloadExport(server: RunningTracker, file: string): Promise<string> {
  const answer = await call(server, 'auditor', 'GET', '/api/v1/audit/export');
  expect(answer.status).toBe(200);
  writeFileSync(file, answer.text);
  return answer.text;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run audit:verify -- ...`, in this process (the function the script's entry calls). */
async function auditVerify(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await auditVerifyMain(
    args,
    { write: (text: string) => (stdout += text) },
    { write: (text: string) => (stderr += text) },
  );
  return { code, stdout, stderr };
}

/** Copies an SQLite file with its write-ahead log, if it has one, replacing what is at `to`. */
function copyDatabase(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(`${to}${suffix}`, { force: true });
    if (existsSync(`${from}${suffix}`)) cpSync(`${from}${suffix}`, `${to}${suffix}`);
  }
}

/** Changes the file with a plain SQLite connection, as anyone holding it could. */
function withFile<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

function positionOf(file: string, streamId: string, version: number): number {
  return withFile(file, (db) =>
    db
      .prepare<[string, number], number>(
        'SELECT global_position FROM events WHERE stream_id = ? AND stream_version = ?',
      )
      .pluck()
      .get(streamId, version),
  ) as number;
}

/** A pledge's first line given 3,000 persons: the edit anyone holding the file could make. */
function editPersons(position: number): void {
  withFile(files.db, (db) =>
    db
      .prepare(
        `UPDATE events SET data = json_set(data, '$.lines[0].persons', 3000) WHERE global_position = ?`,
      )
      .run(position),
  );
}

function eventCount(file: string): number {
  return withFile(file, (db) =>
    db.prepare<[], number>('SELECT COUNT(*) FROM events').pluck().get(),
  ) as number;
}

let template: Files;
/** The head the auditor saved, and its size. */
let saved: SignedHead;
/** Events in the log when the operator took the backup, and when the export was downloaded. */
let backupSize: number;
let exportSize: number;

// The log written once: the illustrative plan (loaded at first start), a plan opened over HTTP
// with DE and FR pledges; a backup; IT's pledge and DE's revision; the auditor saves the head;
// FR revises; the auditor downloads the export.
beforeAll(async () => {
  template = filesIn(mkdtempSync(join(tmpdir(), 'tamper-e2e-template-')));
  for (const folder of ['data', 'keys', 'backup', 'auditor']) {
    mkdirSync(join(template.root, folder));
  }
  writeAuditKeyFile(join(template.root, 'keys'));
  writeTokenFile(template.tokens, [
    { name: 'dg-home', role: 'commission', sha256: sha256Hex(TOKENS.commission) },
    { name: 'eca', role: 'auditor', sha256: sha256Hex(TOKENS.auditor) },
    { name: 'ops', role: 'operator', sha256: sha256Hex(TOKENS.operator) },
    ...(['DE', 'FR', 'IT'] as const).map((memberState) => ({
      name: `${memberState.toLowerCase()}-ministry`,
      role: 'member_state' as const,
      memberState,
      sha256: sha256Hex(TOKENS[memberState]),
    })),
  ]);

  let server = await startOn(template);
  expect(
    (
      await call(server, 'commission', 'POST', '/api/v1/plans', {
        planId: PLAN_ID,
        periodStart: '2030-01-01',
        periodEnd: '2031-12-31',
        priorityCountries: ['TR', 'LB'],
      })
    ).status,
  ).toBe(201);
  expect(
    (await call(server, 'commission', 'POST', `${PLAN}/pledging/open`, { deadline: '2099-12-31' }))
      .status,
  ).toBe(200);
  await submit(server, 'DE', 300);
  await submit(server, 'FR', 200);
  await server.close();
  copyDatabase(template.db, template.earlierDb);
  backupSize = eventCount(template.earlierDb);

  server = await startOn(template);
  await submit(server, 'IT', 100);
  await revise(server, 'DE', 400, 1);
  const head = await call(server, 'auditor', 'GET', '/api/v1/audit/tree-head');
  const key = await call(server, undefined, 'GET', '/api/v1/audit/key');
  saved = head.body as SignedHead;
  // As the web app's "Save this head" does.
  writeFileSync(template.savedHead, JSON.stringify({ treeHead: saved, publicKey: key.body }));
  await revise(server, 'FR', 250, 1);
  await downloadExport(server, template.export);
  exportSize = eventCount(template.db);
  await server.close();
  expect(saved.treeSize).toBe(backupSize + 2);
  expect(exportSize).toBe(saved.treeSize + 1);
}, 60_000);

afterAll(() => {
  rmSync(template.root, { recursive: true, force: true });
});

let files: Files;
let running: RunningTracker | undefined;

beforeEach(() => {
  files = filesIn(mkdtempSync(join(tmpdir(), 'tamper-e2e-')));
  cpSync(template.root, files.root, { recursive: true });
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  rmSync(files.root, { recursive: true, force: true });
});

async function start(): Promise<RunningTracker> {
  running = await startOn(files);
  return running;
}

async function stop(): Promise<void> {
  await running?.close();
  running = undefined;
}

/** What every way of asking the server shows once it has found `mismatch`: nothing more recorded or signed. */
async function expectServerRefuses(
  server: RunningTracker,
  mismatch: { kind: string; position?: number; treeSize?: number },
): Promise<void> {
  const ready = await call(server, 'operator', 'GET', '/ready');
  expect(ready.status).toBe(503);
  expect(ready.body).toMatchObject({
    status: 'not_ready',
    checks: { auditLog: { ok: false, mismatch } },
  });
  const before = eventCount(files.db);
  const write = await call(server, 'commission', 'POST', '/api/v1/plans', {
    planId: '2032-2033',
    periodStart: '2032-01-01',
    periodEnd: '2033-12-31',
  });
  expect(write.status).toBe(503);
  expect(write.headers.get('retry-after')).toBe('300');
  expect(write.body).toMatchObject({ code: 'audit_log_mismatch', mismatch });
  expect(eventCount(files.db)).toBe(before);
  for (const path of ['/api/v1/audit/tree-head', '/api/v1/audit/export']) {
    const refused = await call(server, 'auditor', 'GET', path);
    expect([path, refused.status, refused.body?.code]).toEqual([path, 503, 'audit_log_mismatch']);
  }
}

/** The auditor asks the server to prove that its latest head extends the head the auditor saved. */
async function consistencyWithSavedHead(server: RunningTracker): Promise<boolean> {
  const head = (await call(server, 'auditor', 'GET', '/api/v1/audit/tree-head')).body as SignedHead;
  const proof = await call(
    server,
    'auditor',
    'GET',
    `/api/v1/audit/proof/consistency?from=${saved.treeSize}&to=${head.treeSize}`,
  );
  expect(proof.status).toBe(200);
  return verifyConsistency(
    saved.treeSize,
    head.treeSize,
    (proof.body.path as string[]).map((hash) => Buffer.from(hash, 'base64')),
    Buffer.from(saved.rootHash, 'base64'),
    Buffer.from(head.rootHash, 'base64'),
  );
}

/** The `--json` report's findings, by kind. */
async function findingsOf(exportFile: string): Promise<string[]> {
  const result = await auditVerify(exportFile, '--trusted-head', files.savedHead, '--json');
  const report = JSON.parse(result.stdout) as { findings: { kind: string }[] };
  return report.findings.map((finding) => finding.kind);
}

describe('the log untouched', () => {
  it("verifies offline against the auditor's saved head, and the server proves it extends that head", async () => {
    const verified = await auditVerify(files.export, '--trusted-head', files.savedHead);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`Records: ${exportSize}, positions 1 to ${exportSize}`);
    expect(verified.stdout).toContain(
      `Trusted head: size ${saved.treeSize} of ${saved.timestamp}, signature verified, the export extends it`,
    );
    expect(verified.stdout).toContain('Result: VERIFIED');

    const server = await start();
    const ready = await call(server, 'operator', 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.auditLog).toMatchObject({ ok: true, treeSize: exportSize });
    expect(await consistencyWithSavedHead(server)).toBe(true);
    await revise(server, 'IT', 150, 1);
    expect(await consistencyWithSavedHead(server)).toBe(true);
  });
});

describe('tampering the server finds', () => {
  it('an edited data field, deep in the log: found at start, at its position', async () => {
    // The illustrative plan's DE pledge, beyond the last 64 events `/ready` looks at.
    const target = positionOf(files.db, pledgeStreamId(ILLUSTRATIVE_PLAN_ID, 'DE'), 1);
    expect(target).toBeLessThan(exportSize - 64);
    editPersons(target);
    const server = await start();
    await expectServerRefuses(server, { kind: 'edited', position: target });
  });

  it('a deleted row: found at start, at its position', async () => {
    const target = positionOf(files.db, pledgeStreamId(PLAN_ID, 'FR'), 1);
    withFile(files.db, (db) =>
      db.prepare('DELETE FROM events WHERE global_position = ?').run(target),
    );
    const server = await start();
    await expectServerRefuses(server, { kind: 'deleted', position: target });
  });

  it('two swapped rows: found at start, at the first of them', async () => {
    const [a, b] = [
      positionOf(files.db, pledgeStreamId(PLAN_ID, 'DE'), 1),
      positionOf(files.db, pledgeStreamId(PLAN_ID, 'FR'), 1),
    ];
    expect(a).toBeLessThan(b);
    withFile(files.db, (db) =>
      db.transaction(() => {
        db.prepare('UPDATE events SET global_position = -1 WHERE global_position = ?').run(a);
        db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?').run(a, b);
        db.prepare('UPDATE events SET global_position = ? WHERE global_position = -1').run(b);
      })(),
    );
    const server = await start();
    await expectServerRefuses(server, { kind: 'reordered', position: a });
  });

  it("a row appended behind the server's back: refused at the next write, named by /ready, and again after a restart", async () => {
    const server = await start();
    // A pledge revision IT never made, in the form the tracker writes them.
    // A revision of IT's pledge IT never made, written as the tracker writes them.
    const forged = withFile(files.db, (db) => {
      const real = db
        .prepare<[string], { data: string; metadata: string }>(
          'SELECT data, metadata FROM events WHERE stream_id = ? AND stream_version = 1',
        )
        .get(pledgeStreamId(PLAN_ID, 'IT'));
      if (real === undefined) throw new Error('the log holds no pledge of IT');
      return db
        .prepare(
          `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
           VALUES (?, ?, 2, 'PledgeRevised', json_set(?, '$.lines[0].persons', 900, '$.reason', 'More places'), ?)`,
        )
        .run(uuidv4(), pledgeStreamId(PLAN_ID, 'IT'), real.data, real.metadata);
    });
    const position = Number(forged.lastInsertRowid);
    expect(position).toBe(exportSize + 1);

    // The next write is refused, before anything is recorded on top of the forged row.
    const before = eventCount(files.db);
    const write = await call(server, 'commission', 'POST', '/api/v1/plans', {
      planId: '2032-2033',
      periodStart: '2032-01-01',
      periodEnd: '2033-12-31',
    });
    expect(write.status).toBe(503);
    expect(write.body).toMatchObject({
      code: 'audit_log_mismatch',
      mismatch: { kind: 'inserted', position },
    });
    expect(eventCount(files.db)).toBe(before);
    await expectServerRefuses(server, { kind: 'inserted', position });

    await stop();
    const restarted = await start();
    await expectServerRefuses(restarted, { kind: 'inserted', position });
  });

  it('the file rolled back to a backup: found at start against the head the server signed last', async () => {
    const signedLast = JSON.parse(readFileSync(files.serverHead, 'utf8')) as {
      treeHead: SignedHead;
    };
    expect(signedLast.treeHead.treeSize).toBe(exportSize);
    copyDatabase(files.earlierDb, files.db);
    const server = await start();
    await expectServerRefuses(server, { kind: 'rolled_back', treeSize: exportSize });
    expect(eventCount(files.db)).toBe(backupSize);
  });

  it('an event rewritten with its whole tree recomputed, the head file kept: found at start as rewritten', async () => {
    rewriteWithRecomputedTree(positionOf(files.db, pledgeStreamId(PLAN_ID, 'DE'), 1));
    const server = await start();
    await expectServerRefuses(server, { kind: 'rewritten', treeSize: exportSize });
  });
});

/** Changes the event at `position` and recomputes the whole tree over the changed log. */
function rewriteWithRecomputedTree(position: number): void {
  withFile(files.db, (db) =>
    db.transaction(() => {
      db.prepare(
        `UPDATE events SET data = json_set(data, '$.lines[0].persons', 3000) WHERE global_position = ?`,
      ).run(position);
      db.exec('DELETE FROM audit_tree');
      extendAuditTree(db);
    })(),
  );
}

describe("tampering only the auditor's saved head can catch", () => {
  it('an event rewritten, the tree recomputed and the head file deleted: the server signs it, the saved head does not extend to it', async () => {
    const target = positionOf(files.db, pledgeStreamId(PLAN_ID, 'DE'), 1);
    expect(target).toBeLessThanOrEqual(saved.treeSize);
    rewriteWithRecomputedTree(target);
    rmSync(files.serverHead);

    const server = await start();
    // The file agrees with itself: the server cannot tell, and vouches for the rewritten log.
    expect((await call(server, 'operator', 'GET', '/ready')).status).toBe(200);
    await revise(server, 'IT', 150, 1);
    const newExport = join(files.root, 'auditor', 'export-after.ndjson');
    await downloadExport(server, newExport);

    // The export is whole and signed with the published key: only the saved head shows the rewrite.
    const result = await auditVerify(newExport, '--trusted-head', files.savedHead);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAILED verification');
    expect(result.stderr).toMatch(/rewritten: The export does not extend the head you trusted/);
    expect(result.stderr).toContain(`First bad record: somewhere in lines 1 to ${saved.treeSize}`);
    expect(await findingsOf(newExport)).toEqual(['rewritten']);
    expect(await consistencyWithSavedHead(server)).toBe(false);
  });

  it('the file rolled back to a backup, the head file deleted, new writes on top: the saved head does not extend to it', async () => {
    copyDatabase(files.earlierDb, files.db);
    rmSync(files.serverHead);
    const server = await start();
    expect((await call(server, 'operator', 'GET', '/ready')).status).toBe(200);

    // Before the log has grown back past the saved head: shorter than it.
    const shortExport = join(files.root, 'auditor', 'export-short.ndjson');
    await downloadExport(server, shortExport);
    const short = await auditVerify(shortExport, '--trusted-head', files.savedHead);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(
      /rolled_back: The export is shorter than a head you trusted \(rolled back\?\)/,
    );
    const noProof = await call(
      server,
      'auditor',
      'GET',
      `/api/v1/audit/proof/consistency?from=${saved.treeSize}`,
    );
    expect([noProof.status, noProof.body.code]).toEqual([422, 'invalid_tree_range']);

    // The same requests again (IT, DE's revision) and one more: a log as long, not the same.
    await submit(server, 'IT', 100);
    await revise(server, 'DE', 400, 1);
    await revise(server, 'FR', 250, 1);
    const grownExport = join(files.root, 'auditor', 'export-grown.ndjson');
    await downloadExport(server, grownExport);
    const grown = await auditVerify(grownExport, '--trusted-head', files.savedHead);
    expect(grown.code).toBe(1);
    expect(grown.stderr).toMatch(/rewritten: The export does not extend the head you trusted/);
    expect(await findingsOf(grownExport)).toEqual(['rewritten']);
    expect(await consistencyWithSavedHead(server)).toBe(false);
  });
});

describe('tampering the verifier finds', () => {
  /** The export with one record's persons changed, as a text editor would, keeping it canonical. */
  function editedExport(line: number): string {
    const lines = readFileSync(files.export, 'utf8').split('\n');
    const record = lines[line - 1] ?? '';
    expect(record).toContain('"persons":');
    lines[line - 1] = record.replace(/"persons":(\d+)/, (_match, persons: string) => {
      return `"persons":${Number(persons) + 1000}`;
    });
    const file = join(files.root, 'auditor', `export-edited-${line}.ndjson`);
    writeFileSync(file, lines.join('\n'));
    return file;
  }

  it('an export edited after download, after the saved head: the verifier names the line and position', async () => {
    const result = await auditVerify(editedExport(exportSize), '--trusted-head', files.savedHead);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAILED verification');
    // The saved head vouches for the lines before it, so the root narrows it to the last one.
    expect(result.stderr).toContain(
      `First bad record: somewhere in lines ${exportSize} to ${exportSize} (positions ${exportSize} to ${exportSize})`,
    );
    expect(result.stderr).toMatch(
      new RegExp(
        `root_mismatch: The ${exportSize} records hash to .*, not to the signed root .*; the first ${saved.treeSize} match the head you trusted`,
      ),
    );
    expect(result.stdout).toContain('Result: FAILED');
  });

  it('an export edited after download, within the saved head: the verifier finds it against both heads', async () => {
    const line = positionOf(files.db, pledgeStreamId(PLAN_ID, 'DE'), 1);
    const file = editedExport(line);
    const result = await auditVerify(file, '--trusted-head', files.savedHead);
    expect(result.code).toBe(1);
    // The saved head no longer holds: the edited line is among those it signed.
    expect(result.stderr).toContain(
      `First bad record: somewhere in lines 1 to ${saved.treeSize} (positions 1 to ${saved.treeSize})`,
    );
    expect(result.stderr).toMatch(
      /root_mismatch: The \d+ records hash to .*, not to the signed root/,
    );
    expect(result.stderr).toMatch(
      new RegExp(
        `rewritten: The export does not extend the head you trusted: .*a record among lines 1 to ${saved.treeSize}`,
      ),
    );
    // Without a saved head the root alone cannot say which line.
    const alone = await auditVerify(file);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain(
      `First bad record: somewhere in lines 1 to ${exportSize} (positions 1 to ${exportSize})`,
    );
  });

  it('an edit behind a running server, beyond the tail /ready checks: its export is cut, and the server refuses from then on', async () => {
    const server = await start();
    const target = positionOf(files.db, pledgeStreamId(ILLUSTRATIVE_PLAN_ID, 'DE'), 1);
    editPersons(target);
    // /ready recomputes the last 64 leaves only: it does not see this edit.
    const ready = await call(server, 'operator', 'GET', '/ready');
    expect(ready.status).toBe(200);
    // The export hashes what it sends against the head it signed: the edited record does not
    // fit, so the download is cut before the head line, and no verifier could take it for whole.
    const exported = join(files.root, 'auditor', 'export-running.ndjson');
    const outcome = await call(server, 'auditor', 'GET', '/api/v1/audit/export').then(
      (answer) => answer.text,
      (error: unknown) => error,
    );
    if (typeof outcome === 'string') {
      writeFileSync(exported, outcome);
      const result = await auditVerify(exported);
      expect(result.code).toBe(1);
      expect(outcome).not.toContain('"treeHead"');
    } else {
      // fetch's own error (from another realm under jest): the body ended before it was complete.
      expect(outcome).toMatchObject({ message: expect.stringMatching(/terminated|fetch failed/) });
    }
    // The server located the edit with a full check and refuses writes from now on.
    await expectServerRefuses(server, { kind: 'edited', position: target });

    // The next start checks the whole log and names the event.
    await stop();
    const restarted = await start();
    await expectServerRefuses(restarted, { kind: 'edited', position: target });
  });
});
