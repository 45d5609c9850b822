import { auditRecordLine } from '../../src/auditLog/auditRecord';
import { canonicalJson } from '../../src/auditLog/canonicalJson';
import {
  verifyExportLines,
  type ExportReport,
  type FindingKind,
  type VerifyOptions,
} from '../../src/auditLog/exportVerifier';
import type { SignedTreeHead } from '../../src/auditLog/treeHead';
import { createEventLog } from '../projections/builders';
import {
  aKeyPair,
  aPlanLog,
  exportLines,
  headLine,
  headOver,
  type SigningKeys,
} from './exportFixture';

const keys: SigningKeys = aKeyPair();
const events = aPlanLog();
const clean = exportLines(events, keys);
const records = clean.slice(0, -1);
const RECORDS = records.length;

const verify = (lines: readonly string[], options: VerifyOptions = {}): Promise<ExportReport> =>
  verifyExportLines(lines, { key: { publicKey: keys.publicKey, source: 'key_file' }, ...options });

const kinds = (report: ExportReport): FindingKind[] => report.findings.map((f) => f.kind);

interface PledgeData {
  lines: { persons: number }[];
}

/** The pledge record on `line` (1-based) with its data changed and written canonically again. */
function edited(
  lines: readonly string[],
  line: number,
  change: (data: PledgeData) => void,
): string[] {
  const copy = [...lines];
  const record = JSON.parse(copy[line - 1]!) as { data: PledgeData };
  change(record.data);
  copy[line - 1] = canonicalJson(record);
  return copy;
}

/** Records (re-)signed by the operator's key, as a server holding a rewritten log would sign them. */
function resigned(recordLines: readonly string[], treeSize = recordLines.length): string[] {
  return [...recordLines, headLine(headOver(recordLines, keys, treeSize), keys.publicKey)];
}

describe('Verifying an audit export', () => {
  it('verifies a clean export: root, signature and every plan figure', async () => {
    const report = await verify(clean);
    expect(report).toMatchObject({
      ok: true,
      records: 11,
      firstPosition: 1,
      lastPosition: 11,
      findings: [],
      firstBadRecord: null,
      signature: { verified: true, keySource: 'key_file' },
      warnings: [],
    });
    expect(report.rootHash).toBe(report.head?.rootHash);
    const [plan] = report.plans;
    expect(plan).toMatchObject({ planId: '2026-2027', status: 'adopted', version: 5 });
    expect(plan?.views.map((v) => v.view)).toEqual(['pledges', 'proposal', 'adopted']);
    const adopted = plan?.views.find((v) => v.view === 'adopted');
    expect(adopted?.totals.total).toBe(600);
    expect(adopted?.compliance.resettlementSharePercent).toBe(75);
    expect(adopted?.compliance.checks.map((c) => c.id)).toContain('resettlement_share');
    // The pledges as revised after adoption: FR 160, IT 160.
    expect(plan?.views.find((v) => v.view === 'pledges')?.totals.total).toBe(620);
  });

  it("uses the export's own key when given none, and says so with its thumbprint", async () => {
    const report = await verifyExportLines(clean);
    expect(report.ok).toBe(true);
    expect(report.signature).toMatchObject({ verified: true, keySource: 'export' });
    expect(report.signature.keyThumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(report.warnings.join(' ')).toContain(
      `key came from the export itself (thumbprint ${report.signature.keyThumbprint})`,
    );
  });

  it('finds an edited data field by the root, and narrows it with a trusted head', async () => {
    // Persons of the revision on line 5 changed, the line still canonical and well formed.
    const tampered = edited(clean, 5, (data) => (data.lines[0]!.persons = 2000));
    const report = await verify(tampered);
    expect(report.ok).toBe(false);
    expect(kinds(report)).toEqual(['root_mismatch']);
    expect(report.firstBadRecord).toMatchObject({ exact: false, fromLine: 1, toLine: RECORDS });

    const trustedHead = headOver(records, keys, 4);
    const narrowed = await verify(tampered, { trustedHead });
    expect(narrowed.trustedHead).toMatchObject({ extended: true, signatureVerified: true });
    expect(narrowed.firstBadRecord).toMatchObject({
      exact: false,
      fromLine: 5,
      toLine: RECORDS,
      fromPosition: 5,
      toPosition: 11,
    });
  });

  it('finds an edited record re-signed by a rewriting operator through the head the auditor saved', async () => {
    const earlier = headOver(records, keys, 8);
    const rewritten = resigned(
      edited(clean, 3, (data) => (data.lines[0]!.persons = 1)).slice(0, -1),
    );
    const report = await verify(rewritten, { trustedHead: earlier });
    expect(kinds(report)).toEqual(['rewritten']);
    expect(report.trustedHead).toMatchObject({ extended: false, signatureVerified: true });
    expect(report.firstBadRecord).toMatchObject({ exact: false, fromLine: 1, toLine: 8 });
  });

  it('narrows an edited record within a trusted head the export no longer extends to that head', async () => {
    // Line 3 edited after the download: neither the export's own head nor the trusted one holds.
    const tampered = edited(clean, 3, (data) => (data.lines[0]!.persons = 2000));
    const report = await verify(tampered, { trustedHead: headOver(records, keys, 8) });
    expect(kinds(report)).toEqual(['root_mismatch', 'rewritten']);
    expect(report.firstBadRecord).toMatchObject({ exact: false, fromLine: 1, toLine: 8 });
  });

  it('names the record after a deleted line by its stream version, and counts the records short', async () => {
    // Line 3 is DE's first pledge; DE's revision on line 5 then follows version 0.
    const report = await verify([...clean.slice(0, 2), ...clean.slice(3)]);
    expect(kinds(report)).toEqual(['stream_version', 'tree_size']);
    expect(report.firstBadRecord).toMatchObject({ exact: true, line: 4, position: 5 });
    expect(report.findings[1]?.message).toContain('signs 11 records but the export holds 10');
  });

  it('names the second of two swapped lines', async () => {
    const swapped = [...clean];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const report = await verify(swapped);
    expect(report.firstBadRecord).toMatchObject({ exact: true, line: 5, position: 4 });
    expect(kinds(report)[0]).toBe('position_order');
    expect(kinds(report)).toContain('root_mismatch');
  });

  it('names an inserted line', async () => {
    const extra = createEventLog({ planId: '2026-2027' }).recordedEvent(
      'PledgeSubmitted',
      { planId: '2026-2027', memberState: 'ES', lines: [], planStatus: 'pledging_open' },
      { globalPosition: 4 },
    );
    const inserted = [...clean.slice(0, 4), auditRecordLine(extra), ...clean.slice(4)];
    const report = await verify(inserted);
    expect(report.firstBadRecord).toMatchObject({ exact: true, line: 5, position: 4 });
    expect(kinds(report)).toContain('tree_size');
  });

  it('refuses a head whose root was changed: the signature no longer holds', async () => {
    const head = JSON.parse(clean.at(-1)!);
    head.treeHead.rootHash = Buffer.alloc(32, 7).toString('base64');
    const report = await verify([...records, canonicalJson(head)]);
    expect(kinds(report)).toEqual(['root_mismatch', 'bad_signature']);
  });

  it('refuses a bad signature and a signature by another key', async () => {
    const head = JSON.parse(clean.at(-1)!);
    const signature = Buffer.from(head.treeHead.signature, 'base64');
    signature[10]! ^= 1;
    head.treeHead.signature = signature.toString('base64');
    expect(kinds(await verify([...records, canonicalJson(head)]))).toEqual(['bad_signature']);

    const other = aKeyPair();
    const wrongKey = await verifyExportLines(clean, {
      key: { publicKey: other.publicKey, source: 'key_file' },
    });
    expect(kinds(wrongKey)).toEqual(['bad_signature']);
    expect(wrongKey.findings[0]?.message).toContain('key given with --key');
    expect(wrongKey.warnings.join(' ')).toContain('The export names a different key');
  });

  it('tells a file cut inside a line from one cut after a line', async () => {
    const inside = await verify([...records, clean.at(-1)!.slice(0, 40)]);
    expect(kinds(inside)).toEqual(['truncated']);
    expect(inside.findings[0]).toMatchObject({ line: 12 });

    const inRecords = await verify([...records.slice(0, 6), records[6]!.slice(0, 100)]);
    expect(kinds(inRecords)).toEqual(['truncated']);
    expect(inRecords).toMatchObject({ records: 6, firstBadRecord: null });

    const after = await verify(records.slice(0, 7));
    expect(kinds(after)).toEqual(['missing_head']);
    expect(after.findings[0]?.message).toContain('ends after line 7 without the tree head line');
  });

  it('finds anything after the head line', async () => {
    const report = await verify([...clean, '']);
    expect(kinds(report)).toEqual(['trailing_data']);
    expect(report.findings[0]).toMatchObject({ line: 13 });
  });

  it('names a line that is not in canonical form, even when it hashes into the signed root', async () => {
    const spaced = [...records];
    spaced[6] = JSON.stringify(JSON.parse(spaced[6]!), null, 1).replace(/\n/g, '');
    const report = await verify(resigned(spaced));
    expect(kinds(report)).toEqual(['non_canonical']);
    expect(report.firstBadRecord).toMatchObject({ exact: true, line: 7, position: 7 });
  });

  it('names a record whose fields disagree with its event, or that carries an extra field', async () => {
    const changed = [...records];
    const record = JSON.parse(changed[2]!);
    changed[2] = canonicalJson({ ...record, recordedAt: '2020-01-01T00:00:00.000Z' });
    const withExtra = JSON.parse(changed[3]!);
    changed[3] = canonicalJson({ ...withExtra, note: 'added' });
    const report = await verify(resigned(changed));
    expect(kinds(report)).toEqual(['not_a_record', 'not_a_record']);
    expect(report.findings[0]?.message).toContain('recordedAt disagrees with the metadata');
    expect(report.findings[1]?.message).toContain('extra field note');
  });

  it('checks a head that signs fewer records than the export holds against the ones it signs', async () => {
    const appended = resigned(records, 9);
    const report = await verify(appended, { rootsAt: [9] });
    expect(kinds(report)).toEqual(['tree_size']);
    expect(report.firstBadRecord).toMatchObject({ exact: false, fromLine: 10, toLine: 11 });
    expect(report.firstBadRecord?.message).toContain(
      'line 10 is the first record it does not sign',
    );
  });

  it('refuses an export shorter than a head the auditor saved', async () => {
    const trusted = headOver(records, keys, RECORDS);
    const shorter = resigned(records.slice(0, 6));
    const report = await verify(shorter, { trustedHead: trusted });
    expect(kinds(report)).toEqual(['rolled_back']);
    expect(report.findings[0]?.message).toContain(
      'export is shorter than a head you trusted (rolled back?)',
    );
    expect((await verify(clean, { trustedHead: trusted })).ok).toBe(true);
  });

  it('refuses a trusted head that the key did not sign', async () => {
    const forged: SignedTreeHead = headOver(records, aKeyPair(), 5);
    const report = await verify(clean, { trustedHead: forged });
    expect(kinds(report)).toEqual(['trusted_head_signature']);
  });

  it('reports a record that is not a tracker event by its position, and goes on', async () => {
    const log = createEventLog();
    log.planCreated();
    log.recordedEvent('SomethingElse', { planId: '2026-2027' });
    log.pledgingOpened();
    const report = await verify(exportLines(log.events, keys));
    expect(kinds(report)).toEqual(['undecodable']);
    expect(report.firstBadRecord).toMatchObject({ exact: true, line: 2, position: 2 });
    expect(report.plans[0]?.status).toBe('pledging_open');
  });

  it('hashes the bytes as read, and names a line that is not UTF-8', async () => {
    const verifier = await import('../../src/auditLog/exportVerifier');
    const checker = new verifier.ExportVerifier({
      key: { publicKey: keys.publicKey, source: 'key_file' },
    });
    records.forEach((line, i) => {
      const bytes = Buffer.from(line, 'utf8');
      // A byte of the event id that no UTF-8 text holds: the line still parses, as U+FFFD.
      if (i === 2) bytes[line.indexOf('"id":"') + 8] = 0xff;
      checker.line(bytes.toString('utf8'), bytes);
    });
    checker.line(clean.at(-1)!);
    const report = checker.finish(true);
    expect(kinds(report)).toEqual(['malformed_line', 'root_mismatch']);
    expect(report.findings[0]).toMatchObject({ line: 3 });
  });
});
