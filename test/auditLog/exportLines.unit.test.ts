import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../src/auditLog/canonicalJson';
import { feedLines, LineTree, readLineBatches, recordTreeOf } from '../../src/auditLog/exportLines';
import { ExportVerifier, type VerifyOptions } from '../../src/auditLog/exportVerifier';
import { merkleTreeHash } from '../../src/auditLog/merkleTree';
import { verifyExportFile } from '../../src/cli/auditVerify';
import { aKeyPair, aPlanLog, exportLines, headLine, headOver } from './exportFixture';

const keys = aKeyPair();
const clean = exportLines(aPlanLog(), keys);
const records = clean.slice(0, -1);
const key: VerifyOptions['key'] = { publicKey: keys.publicKey, source: 'key_file' };

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'export-lines-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
function fileOf(content: string | Buffer): string {
  const file = join(directory, `export-${++files}.ndjson`);
  writeFileSync(file, content);
  return file;
}

/**
 * What the worker thread and the verifier's thread do between them (`verifyExportFile` with a
 * worker), in one thread: batches described with their leaves in a `LineTree`, fed to a verifier
 * that keeps no tree, finished with the tree's roots. Small chunks cut lines between batches.
 */
function verifyAsSplit(file: string, endsWithNewline: boolean, chunkSize: number) {
  // As verifyExportFile reads the head's size from the file's end first.
  const headSize = (() => {
    try {
      const last = readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)!;
      return (JSON.parse(last) as { treeHead: { treeSize: number } }).treeHead.treeSize;
    } catch {
      return undefined;
    }
  })();
  const verifier = new ExportVerifier({
    key,
    ...(headSize !== undefined && { rootsAt: [headSize] }),
    leavesElsewhere: true,
  });
  const tree = new LineTree(verifier.wantedTreeSizes());
  for (const batch of readLineBatches(file, chunkSize, tree)) feedLines(verifier, batch);
  return verifier.finish(endsWithNewline, recordTreeOf(file, tree.finish()));
}

describe('Export lines described apart from the verifier', () => {
  const notUtf8 = Buffer.from(`${clean.join('\n')}\n`, 'utf8');
  notUtf8[records[0]!.length + 20] = 0xff;
  const reformatted = [...clean];
  reformatted[1] = JSON.stringify(JSON.parse(clean[1]!), null, 1).replace(/\n/g, '');
  const reordered = [...clean];
  reordered[2] = canonicalJson(JSON.parse(clean[2]!)).replace('{"data"', '{"id":"x","data"');

  it.each<[string, string | Buffer, boolean]>([
    ['a clean export', `${clean.join('\n')}\n`, true],
    ['no line feed after the head', clean.join('\n'), false],
    ['lines after the head line', `${[...clean, records[0], 'x'].join('\n')}\n`, true],
    ['a file cut inside a line', `${records.join('\n')}\n${clean.at(-1)!.slice(0, 30)}`, false],
    ['no head line', `${records.join('\n')}\n`, true],
    ['a byte that is not UTF-8', notUtf8, true],
    ['a line with whitespace', `${reformatted.join('\n')}\n`, true],
    ['a record with its keys out of order', `${reordered.join('\n')}\n`, true],
    [
      'a head over fewer records',
      `${[...records, headLine(headOver(records, keys, 3), keys.publicKey)].join('\n')}\n`,
      true,
    ],
  ])('reports %s as the verifier on its own does', async (_, content, endsWithNewline) => {
    const file = fileOf(content);
    const alone = await verifyExportFile(file, { key, worker: false });
    for (const chunkSize of [64, 1000, 1 << 20]) {
      expect(verifyAsSplit(file, endsWithNewline, chunkSize)).toEqual(alone);
    }
  });

  it('keeps the roots over all lines, all but the last, and the sizes asked for', () => {
    const lines = records.map((line) => new Uint8Array(Buffer.from(line, 'utf8')));
    const tree = new LineTree([2, 5]);
    const file = fileOf(`${records.join('\n')}\n`);
    for (const batch of readLineBatches(file, 100, tree)) expect(batch.leaves).toBeUndefined();
    const roots = tree.finish();
    for (const size of [0, 2, 5, lines.length - 1, lines.length]) {
      expect(roots.get(size)).toEqual(merkleTreeHash(lines.slice(0, size)));
    }
    expect(recordTreeOf(file, roots).rootAt(7)).toEqual(merkleTreeHash(lines.slice(0, 7)));
  });
});
