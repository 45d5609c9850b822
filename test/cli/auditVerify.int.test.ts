import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../src/auditLog/canonicalJson';
import { publicKeyToJwk } from '../../src/auditLog/treeHead';
import { createTracker, type RequestContext } from '../../src/application/tracker';
import { auditVerifyMain } from '../../src/cli/auditVerify';
import { createInMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type { RecordedEvent } from '../../src/eventStore/port';
import {
  aKeyPair,
  exportLines,
  exportText,
  headLine,
  headOver,
  type SigningKeys,
} from '../auditLog/exportFixture';
import { runTypeScript } from './typeScriptChild';

const PLAN_ID = '2030-2031';
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

/** A log written by the tracker itself: a plan open for pledging, three pledges, one revised. */
async function trackerLog(): Promise<RecordedEvent[]> {
  const store = createInMemoryEventStore();
  let id = 0;
  const tracker = createTracker({
    store,
    clock: () => new Date('2030-01-15T10:00:00.000Z'),
    newId: () => `id-${++id}`,
  });
  await tracker.createPlan(
    { planId: PLAN_ID, periodStart: '2030-01-01', periodEnd: '2031-12-31' },
    commission,
  );
  await tracker.openPledging(PLAN_ID, {}, commission);
  const pledge = (memberState: string, persons: number, reason?: string) =>
    tracker.putPledge(
      PLAN_ID,
      memberState,
      {
        lines: [
          { admissionType: 'resettlement', hostCountry: 'LB', persons },
          { admissionType: 'humanitarian_admission', hostCountry: 'TR', persons: 100 },
        ],
        ...(reason !== undefined && { reason }),
      },
      ministry(memberState),
    );
  await pledge('DE', 300);
  await pledge('FR', 200);
  await pledge('IT', 100);
  await pledge('DE', 400, 'More reception capacity');
  const events = await store.readAll({ maxCount: 1000 });
  await store.close();
  return [...events];
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The command run in this process (the same function the script's entry calls). */
async function run(args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await auditVerifyMain(
    args,
    { write: (text: string) => (stdout += text) },
    { write: (text: string) => (stderr += text) },
  );
  return { code, stdout, stderr };
}

// The child-process cases compile their TypeScript as they load it: seconds, on a busy machine.
jest.setTimeout(60_000);

describe('npm run audit:verify: an export checked offline', () => {
  let directory: string;
  let keys: SigningKeys;
  let clean: string[];
  let records: string[];
  const file = (name: string) => join(directory, name);
  /** Writes the lines as an export file and returns its path. */
  const exportFile = (lines: readonly string[], name = 'export.ndjson') => {
    writeFileSync(file(name), exportText(lines));
    return file(name);
  };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-audit-verify-'));
    keys = aKeyPair();
    clean = exportLines(await trackerLog(), keys);
    records = clean.slice(0, -1);
    // The key as GET /api/v1/audit/key serves it (extra members are ignored).
    writeFileSync(
      file('key.jwk'),
      JSON.stringify({ ...publicKeyToJwk(keys.publicKey), alg: 'EdDSA', use: 'sig' }),
    );
    writeFileSync(file('other-key.jwk'), JSON.stringify(publicKeyToJwk(aKeyPair().publicKey)));
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('verifies a clean export written by the tracker and prints the plan figures (child process)', async () => {
    const result = await runTypeScript('src/cli/auditVerify', [
      exportFile(clean),
      '--key',
      file('key.jwk'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Result: VERIFIED');
    expect(result.stdout).toContain(`Records: ${records.length}, positions 1 to ${records.length}`);
    expect(result.stdout).toContain('Signature: verified with the key given with --key');
    expect(result.stdout).toContain(`Plan ${PLAN_ID}: pledging_open`);
    // DE 400 + 100, FR 200 + 100, IT 100 + 100: 1,000 persons, 700 resettlement.
    expect(result.stdout).toContain('pledges: 1,000 persons; resettlement 700 (70 %, floor 60 %)');
    expect(result.stdout).toContain('[pass] resettlement_share');
    expect(result.stdout).toContain('[pass] totals_reconcile');
  });

  it('prints a machine report with --json', async () => {
    const result = await run([exportFile(clean), '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      records: number;
      signature: { keySource: string };
      warnings: string[];
      plans: { planId: string; views: { view: string; totals: { total: number } }[] }[];
    };
    expect(report).toMatchObject({ ok: true, records: records.length });
    expect(report.signature.keySource).toBe('export');
    expect(report.warnings[0]).toContain('The key came from the export itself');
    expect(report.plans[0]?.views[0]).toMatchObject({ view: 'pledges', totals: { total: 1000 } });
  });

  it("warns, without failing, when the only key is the export's own", async () => {
    const result = await run([exportFile(clean)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Warning: The key came from the export itself \(thumbprint [\w-]{43}\)/,
    );
  });

  it('accepts a trusted head saved as { treeHead, publicKey } that the export extends', async () => {
    writeFileSync(file('saved.json'), headLine(headOver(records, keys, 3), keys.publicKey));
    const result = await run([exportFile(clean), '--trusted-head', file('saved.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Signature: verified with the trusted head file's key");
    expect(result.stdout).toContain(
      'Trusted head: size 3 of 2026-11-30T12:00:00.000Z, signature verified, the export extends it',
    );
  });

  /** Tampering with the file's lines; each case names what the command must report. */
  const tamperings: [string, () => { lines: string[]; args?: string[] }, RegExp[]][] = [
    [
      'an edited data field',
      () => {
        const lines = [...clean];
        lines[3] = lines[3]!.replace('"persons":200', '"persons":2000');
        return { lines };
      },
      [/root_mismatch: The \d+ records hash to/, /First bad record: somewhere in lines 1 to \d+/],
    ],
    [
      'a deleted line',
      () => ({ lines: [...clean.slice(0, 2), ...clean.slice(3)] }),
      [
        /stream_version: Line \d+ \(position \d+\) is version 2 of stream/,
        /First bad record: line \d+, position \d+/,
        /tree_size/,
      ],
    ],
    [
      'two swapped lines',
      () => {
        const lines = [...clean];
        [lines[2], lines[3]] = [lines[3]!, lines[2]!];
        return { lines };
      },
      [/First bad record: line 4, position 3 \(position_order\)/],
    ],
    [
      'an inserted line',
      () => ({ lines: [...clean.slice(0, 4), clean[2]!, ...clean.slice(4)] }),
      [
        /First bad record: line 5, position 3/,
        /tree_size: The tree head signs \d+ records but the export holds/,
      ],
    ],
    [
      "a tampered head's rootHash",
      () => {
        const head = JSON.parse(clean.at(-1)!) as { treeHead: { rootHash: string } };
        head.treeHead.rootHash = Buffer.alloc(32).toString('base64');
        return { lines: [...records, canonicalJson(head)] };
      },
      [/root_mismatch/, /bad_signature: The tree head's signature does not verify/],
    ],
    [
      'a bad signature',
      () => {
        const head = JSON.parse(clean.at(-1)!) as { treeHead: { signature: string } };
        head.treeHead.signature = Buffer.alloc(64, 1).toString('base64');
        return { lines: [...records, canonicalJson(head)], args: ['--key', file('key.jwk')] };
      },
      [/bad_signature: The tree head's signature does not verify with the key given with --key/],
    ],
    [
      'the wrong key given with --key',
      () => ({ lines: clean, args: ['--key', file('other-key.jwk')] }),
      [/bad_signature: .*key given with --key \(thumbprint [\w-]{43}\)/],
    ],
    [
      'a truncated file',
      () => ({ lines: [...records.slice(0, 5), records[5]!.slice(0, 60)] }),
      [/truncated: The file is truncated: it ends inside line 6/],
    ],
    [
      'a non-canonical line',
      () => {
        const lines = [...clean];
        lines[4] = lines[4]!.replace('{"data":', '{ "data": ');
        return { lines };
      },
      [
        /First bad record: line 5, position 5 \(non_canonical\)/,
        /not in its RFC 8785 canonical form/,
      ],
    ],
    [
      'a trusted head the export does not extend',
      () => {
        const other = [...records];
        other[1] = other[1]!.replace(
          '"planId":"2030-2031"}',
          '"deadline":"2029-12-31","planId":"2030-2031"}',
        );
        writeFileSync(file('rewritten-head.json'), JSON.stringify(headOver(other, keys, 4)));
        return { lines: clean, args: ['--trusted-head', file('rewritten-head.json')] };
      },
      [
        /rewritten: The export does not extend the head you trusted/,
        /First bad record: somewhere in lines 1 to 4/,
      ],
    ],
    [
      'a trusted head bigger than the export',
      () => {
        writeFileSync(file('bigger-head.json'), JSON.stringify(headOver(records, keys)));
        const shorter = records.slice(0, 4);
        return {
          lines: [...shorter, headLine(headOver(shorter, keys), keys.publicKey)],
          args: ['--trusted-head', file('bigger-head.json')],
        };
      },
      [/rolled_back: The export is shorter than a head you trusted \(rolled back\?\)/],
    ],
  ];

  it.each(tamperings)('exits 1 and names what failed for %s', async (_name, tamper, expected) => {
    const { lines, args = [] } = tamper();
    const result = await run([exportFile(lines, 'tampered.ndjson'), ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAILED verification');
    for (const pattern of expected) expect(result.stderr).toMatch(pattern);
    expect(result.stdout).toContain('Result: FAILED');
  });

  it('exits 1 with the finding on stderr from the child process too', async () => {
    const lines = [...clean.slice(0, 2), ...clean.slice(3)];
    const result = await runTypeScript('src/cli/auditVerify', [
      exportFile(lines, 'deleted.ndjson'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /FAILED verification\nFirst bad record: line \d+, position \d+ \(stream_version\)/,
    );
  });

  it.each([
    ['no export file', []],
    ['an unknown extra argument', ['a.ndjson', 'b.ndjson']],
    ['--key without a file', ['a.ndjson', '--key']],
  ])('exits 2 for usage errors: %s', async (_name, args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: npm run audit:verify');
  });

  it('exits 2 when a file cannot be read or a key is not one', async () => {
    expect((await run([file('missing.ndjson')])).stderr).toContain('Cannot read the export');
    writeFileSync(file('not-a-key.jwk'), '{"kty":"RSA"}');
    const badKey = await run([exportFile(clean), '--key', file('not-a-key.jwk')]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain('is not an Ed25519 public key');
  });
});
