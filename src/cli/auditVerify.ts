import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  ExportVerifier,
  type ExportReport,
  type RecordTree,
  type VerifyOptions,
} from '../auditLog/exportVerifier';
import {
  CHUNK_SIZE,
  feedLines,
  readLineBatches,
  recordTreeOf,
  type LineBatch,
} from '../auditLog/exportLines';
import type { LineWorkerData, LineWorkerMessage } from '../auditLog/exportLineWorker';
import type { PlanFigures } from '../auditLog/planFigures';
import { publicKeyFromJwk, type SignedTreeHead } from '../auditLog/treeHead';
import { formatCount } from '../projections/planReadModel';

/**
 * `npm run audit:verify -- <export file> [--trusted-head <file>] [--key <jwk file>] [--json]`:
 * checks an audit export offline (no database, no server) and prints each plan's figures folded
 * from it with the tracker's own projections. Exit 0 when everything verifies, 1 on any finding
 * (named on stderr with its line and position), 2 when the check cannot run (usage, unreadable
 * files, a key or saved head that is not one).
 */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE =
  'Usage: npm run audit:verify -- <export file> [--trusted-head <file>] [--key <jwk file>] [--json]';

export interface AuditVerifyArguments {
  readonly exportFile: string;
  readonly trustedHeadFile?: string;
  readonly keyFile?: string;
  readonly json: boolean;
}

export function parseAuditVerifyArguments(argv: readonly string[]): AuditVerifyArguments {
  const rest = [...argv];
  const take = (flag: string): string | undefined => {
    const at = rest.indexOf(flag);
    if (at === -1) return undefined;
    const value = rest[at + 1];
    if (value === undefined || value.startsWith('--'))
      throw new UsageError(`${flag} needs a file\n${USAGE}`);
    rest.splice(at, 2);
    return value;
  };
  const trustedHeadFile = take('--trusted-head');
  const keyFile = take('--key');
  const jsonAt = rest.indexOf('--json');
  if (jsonAt !== -1) rest.splice(jsonAt, 1);
  const [exportFile, ...extra] = rest;
  if (exportFile === undefined || exportFile.startsWith('-') || extra.length > 0) {
    throw new UsageError(USAGE);
  }
  return {
    exportFile,
    ...(trustedHeadFile !== undefined && { trustedHeadFile }),
    ...(keyFile !== undefined && { keyFile }),
    json: jsonAt !== -1,
  };
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`The ${what} ${file} is not JSON`);
  }
}

function keyFrom(jwk: unknown, what: string): KeyObject {
  try {
    return publicKeyFromJwk(jwk);
  } catch (error) {
    throw new UsageError(`The ${what} is not an Ed25519 public key: ${(error as Error).message}`);
  }
}

/** A saved head: a bare SignedTreeHead, or `{ treeHead, publicKey? }` as the web app saves it. */
export function readTrustedHead(file: string): { head: SignedTreeHead; publicKey?: KeyObject } {
  const value = readJson(file, 'trusted head');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`The trusted head ${file} is not a JSON object`);
  }
  const record = value as Record<string, unknown>;
  const head = 'treeHead' in record ? record['treeHead'] : record;
  if (typeof head !== 'object' || head === null || !('treeSize' in head)) {
    throw new UsageError(
      `The trusted head ${file} is neither a signed tree head nor { treeHead, publicKey }`,
    );
  }
  const jwk = record['publicKey'];
  return {
    head: head as SignedTreeHead,
    ...(jwk !== undefined && { publicKey: keyFrom(jwk, `key in ${file}`) }),
  };
}

/**
 * The tree size the export's last line signs, read from the file's end before streaming it, so
 * the verifier keeps the root at that size (a head over fewer records than the file holds can
 * then be checked against the records it signs). Undefined when the end is not a head.
 */
function peekHeadTreeSize(file: string, size: number): number | undefined {
  const length = Math.min(size, 64 * 1024);
  if (length === 0) return undefined;
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buffer.toString('utf8').split('\n');
  const last = lines[lines.length - 1] === '' ? lines[lines.length - 2] : lines[lines.length - 1];
  try {
    const treeSize = (JSON.parse(last ?? '') as { treeHead?: { treeSize?: unknown } }).treeHead
      ?.treeSize;
    return Number.isSafeInteger(treeSize) ? (treeSize as number) : undefined;
  } catch {
    return undefined;
  }
}

function endsWithNewline(file: string, size: number): boolean {
  if (size === 0) return false;
  const byte = Buffer.alloc(1);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, byte, 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
  return byte[0] === 0x0a;
}

/** How `verifyExportFile` reads: on a second thread when it can, or all in the caller's. */
export interface VerifyFileOptions extends Omit<VerifyOptions, 'rootsAt'> {
  /**
   * Read, split and hash the lines on a worker thread while this one parses, checks, decodes and
   * folds them (default: whenever the worker's compiled file is there, i.e. not under ts tooling).
   */
  readonly worker?: boolean;
}

/** Batches the worker may read ahead of the verifier: a bound on the memory the two hold. */
const WORKER_WINDOW = 16;

const WORKER_FILE = join(__dirname, '..', 'auditLog', 'exportLineWorker.js');

/**
 * The batches described on a worker thread, fed to the verifier here as they arrive; resolves to
 * the records' tree, which the worker kept.
 */
function feedFromWorker(verifier: ExportVerifier, file: string): Promise<RecordTree> {
  const consumed = new Int32Array(new SharedArrayBuffer(4));
  const data: LineWorkerData = {
    file,
    chunkSize: CHUNK_SIZE,
    window: WORKER_WINDOW,
    treeSizes: verifier.wantedTreeSizes(),
    consumed,
  };
  const worker = new Worker(WORKER_FILE, { workerData: data });
  return new Promise<RecordTree>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: Error | RecordTree): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    worker.on('message', (message: LineWorkerMessage) => {
      if (settled) return;
      switch (message.kind) {
        case 'batch':
          try {
            feedLines(verifier, message);
          } catch (error) {
            settle(error as Error);
            return;
          }
          Atomics.add(consumed, 0, 1);
          Atomics.notify(consumed, 0);
          return;
        case 'done': {
          settle(recordTreeOf(file, new Map(message.roots)));
          return;
        }
        case 'error':
          settle(new UsageError(`Cannot read the export ${file}: ${message.message}`));
          return;
      }
    });
    worker.on('error', (error) => settle(error));
    worker.on('exit', (code) => settle(new Error(`the export reader stopped (exit code ${code})`)));
  });
}

/** The same batches described here, yielding to the event loop between them. */
async function feedInThread(verifier: ExportVerifier, file: string): Promise<void> {
  const batches = readLineBatches(file);
  for (;;) {
    let next: IteratorResult<LineBatch, void>;
    try {
      next = batches.next();
    } catch (error) {
      throw new UsageError(`Cannot read the export ${file}: ${(error as Error).message}`);
    }
    if (next.done === true) return;
    feedLines(verifier, next.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Verifies an export file, streaming it line by line. Lines are split on the bytes, not with
 * readline: the leaf is the line's bytes as written (readline would hand over decoded text, so
 * bytes that are not UTF-8 would hash as U+FFFD), a lone CR stays in its line (readline breaks
 * there too) and it is faster. What the bytes alone tell (leaf hash, UTF-8, plainly canonical) is
 * worked out on a second thread while this one parses, checks, decodes and folds.
 */
export async function verifyExportFile(
  file: string,
  options: VerifyFileOptions = {},
): Promise<ExportReport> {
  const { worker, ...verifyOptions } = options;
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new UsageError(`Cannot read the export ${file}: ${(error as Error).message}`);
  }
  const headSize = peekHeadTreeSize(file, size);
  const threaded = worker ?? existsSync(WORKER_FILE);
  const verifier = new ExportVerifier({
    ...verifyOptions,
    ...(headSize !== undefined && { rootsAt: [headSize] }),
    leavesElsewhere: threaded,
  });
  if (threaded) {
    const tree = await feedFromWorker(verifier, file);
    return verifier.finish(endsWithNewline(file, size), tree);
  }
  await feedInThread(verifier, file);
  return verifier.finish(endsWithNewline(file, size));
}

export async function runAuditVerify(args: AuditVerifyArguments): Promise<ExportReport> {
  const trusted =
    args.trustedHeadFile === undefined ? undefined : readTrustedHead(args.trustedHeadFile);
  const keyFile =
    args.keyFile === undefined
      ? undefined
      : keyFrom(readJson(args.keyFile, 'key file'), `key file ${args.keyFile}`);
  const key: VerifyOptions['key'] =
    keyFile !== undefined
      ? { publicKey: keyFile, source: 'key_file' }
      : trusted?.publicKey !== undefined
        ? { publicKey: trusted.publicKey, source: 'trusted_head' }
        : undefined;
  return verifyExportFile(args.exportFile, {
    ...(key !== undefined && { key }),
    ...(trusted !== undefined && { trustedHead: trusted.head }),
  });
}

// ---- output ----

const KEY_SOURCE: Record<string, string> = {
  key_file: 'the key given with --key',
  trusted_head: "the trusted head file's key",
  export: "the export's own key",
};

/** Top-level numbers of a check: the figures beside its message. */
function figuresOf(check: object): string {
  return Object.entries(check)
    .filter(([, value]) => typeof value === 'number')
    .map(
      ([name, value]) =>
        `${name} ${typeof value === 'number' && Number.isInteger(value) ? formatCount(value) : String(value)}`,
    )
    .join(', ');
}

function planLines(plan: PlanFigures): string[] {
  const out = [
    `Plan ${plan.planId}: ${plan.status ?? 'never created (pledges only)'}${plan.version === null ? '' : ` (plan stream version ${plan.version}, last plan event at position ${plan.position})`}`,
  ];
  for (const { view, totals, compliance } of plan.views) {
    const share =
      compliance.resettlementSharePercent === null
        ? 'no share (no places)'
        : `${compliance.resettlementSharePercent} %`;
    out.push(
      `  ${view}: ${formatCount(totals.total)} persons; resettlement ${formatCount(totals.byAdmissionType.resettlement)} (${share}, floor ${compliance.resettlementFloorPercent} %); associated states ${formatCount(totals.associatedStates.total)} beside the plan`,
    );
    for (const check of compliance.checks) {
      const figures = figuresOf(check);
      out.push(`    [${check.status}] ${check.id}: ${check.message}`);
      if (figures !== '') out.push(`           ${figures}`);
    }
  }
  return out;
}

export function humanReport(file: string, report: ExportReport): string {
  const out: string[] = [`Audit export ${file}`];
  const positions =
    report.firstPosition === null
      ? ''
      : `, positions ${report.firstPosition} to ${report.lastPosition}`;
  out.push(`  Records: ${formatCount(report.records)}${positions}`);
  out.push(`  Root recomputed from the records: ${report.rootHash}`);
  if (report.head !== null) {
    out.push(
      `  Signed tree head: size ${formatCount(report.head.treeSize)}, root ${report.head.rootHash}, signed ${report.head.timestamp}`,
    );
  }
  const { signature } = report;
  if (signature.keySource !== null) {
    out.push(
      `  Signature: ${signature.verified ? 'verified' : 'NOT verified'} with ${KEY_SOURCE[signature.keySource]} (RFC 7638 thumbprint ${signature.keyThumbprint})`,
    );
  }
  if (report.trustedHead !== null) {
    const t = report.trustedHead;
    out.push(
      `  Trusted head: size ${formatCount(t.treeSize)} of ${t.timestamp}, signature ${t.signatureVerified ? 'verified' : 'NOT verified'}, ${t.extended ? 'the export extends it' : 'the export does NOT extend it'}`,
    );
  }
  for (const warning of report.warnings) out.push(`  Warning: ${warning}`);
  if (report.ok) {
    out.push('Result: VERIFIED');
  } else {
    out.push(
      `Result: FAILED (${report.findingCount} finding${report.findingCount === 1 ? '' : 's'})`,
    );
    out.push(...failureLines(report).map((line) => `  ${line}`));
  }
  if (report.plans.length > 0) {
    out.push('');
    out.push(
      report.ok
        ? "Figures folded from the verified records with the tracker's projections:"
        : 'Figures folded from the records AS GIVEN, which did NOT verify:',
    );
    for (const plan of report.plans) out.push(...planLines(plan));
  }
  return `${out.join('\n')}\n`;
}

/** What failed and where: the first bad record, then every finding. */
export function failureLines(report: ExportReport): string[] {
  const out: string[] = [];
  const first = report.firstBadRecord;
  if (first !== null) {
    out.push(
      first.exact
        ? `First bad record: line ${first.line}${first.position === undefined ? '' : `, position ${first.position}`} (${first.kind})`
        : `First bad record: somewhere in lines ${first.fromLine} to ${first.toLine}${first.fromPosition === undefined || first.toPosition === undefined ? '' : ` (positions ${first.fromPosition} to ${first.toPosition})`}: ${first.message}`,
    );
  }
  for (const finding of report.findings) out.push(`${finding.kind}: ${finding.message}`);
  if (report.findingCount > report.findings.length) {
    out.push(`... and ${report.findingCount - report.findings.length} more`);
  }
  return out;
}

export interface Output {
  write(text: string): unknown;
}

/** The command: prints the report, returns the exit code (0 verified, 1 failed, 2 could not run). */
export async function auditVerifyMain(
  argv: readonly string[],
  stdout: Output = process.stdout,
  stderr: Output = process.stderr,
): Promise<number> {
  try {
    const args = parseAuditVerifyArguments(argv);
    const report = await runAuditVerify(args);
    stdout.write(
      args.json
        ? `${JSON.stringify({ file: args.exportFile, ...report }, null, 2)}\n`
        : humanReport(args.exportFile, report),
    );
    if (!report.ok) {
      stderr.write(
        `audit:verify: ${args.exportFile} FAILED verification\n${failureLines(report).join('\n')}\n`,
      );
    }
    return report.ok ? 0 : 1;
  } catch (error) {
    stderr.write(`audit:verify: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  void auditVerifyMain(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
