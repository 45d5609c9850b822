/**
 * The offline check of an audit export (`GET /api/v1/audit/export`): one canonical record a line,
 * then a last line `{ treeHead, publicKey }`. Fed line by line, it holds O(log n) hashes and the
 * tracker's plan read model, never the log, and answers with a report an auditor can act on: the
 * root recomputed from the records, whether the operator's key signed it, whether it extends a
 * head the auditor saved earlier, every finding with the line and position it concerns, the first
 * bad record wherever it can be told, and each plan's figures folded with the tracker's own code.
 *
 * It trusts nothing in the file: a line that is not JSON, not a record, not in canonical form, out
 * of order or not a tracker event is a finding, never an exception.
 */
import { isUtf8 } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { auditRecord, loggedEventOf, parseAuditRecord, type AuditRecord } from './auditRecord';
import { canonicalJson } from './canonicalJson';
import { isPlainCanonicalJsonText } from './canonicalText';
import { LINE_PLAIN_CANONICAL, LINE_UTF8 } from './exportLines';
import { FrontierTreeNodes } from './frontierTreeNodes';
import { appendLeaf, emptyRoot, hashesEqual, leafHash, rootAt } from './merkleTree';
import {
  jwkThumbprint,
  publicKeyFromJwk,
  publicKeyToJwk,
  treeHeadProblem,
  verifyTreeHead,
  type SignedTreeHead,
} from './treeHead';
import { decodeRecordedEvent } from '../events/trackerRecordedEvent';
import { planReadModel, type PlanReadModelState } from '../projections/planReadModel';
import { planFigures, type PlanFigures } from './planFigures';

export type FindingKind =
  /** A record line that is not JSON. */
  | 'malformed_line'
  /** JSON, but not an audit record as the tracker writes one. */
  | 'not_a_record'
  /** A record, but not written in its RFC 8785 canonical form. */
  | 'non_canonical'
  /** A position not above the one on the line before. */
  | 'position_order'
  /** A stream version that does not follow the stream's previous one (1, 2, 3, ... in log order). */
  | 'stream_version'
  /** A record that does not decode as a tracker event, or that the read model could not fold. */
  | 'undecodable'
  /** The file ends inside a line and without the tree head line. */
  | 'truncated'
  /** The file ends after a complete record, without the tree head line. */
  | 'missing_head'
  | 'malformed_head'
  /** Anything after the tree head line. */
  | 'trailing_data'
  /** The head signs a different number of records than the export holds. */
  | 'tree_size'
  /** The records do not hash to the head's root. */
  | 'root_mismatch'
  | 'no_key'
  | 'bad_signature'
  | 'trusted_head_malformed'
  | 'trusted_head_signature'
  /** The export is shorter than a head the auditor saved. */
  | 'rolled_back'
  /** The export's first records do not hash to the root of a head the auditor saved. */
  | 'rewritten';

export interface Finding {
  readonly kind: FindingKind;
  readonly message: string;
  /** 1-based line of the file. */
  readonly line?: number;
  readonly position?: number;
}

/** The first record that is wrong, or the stretch of lines it must lie in when only a root tells. */
export type FirstBadRecord =
  | {
      readonly exact: true;
      readonly line: number;
      /** Rank in the log (line - 1). */
      readonly leafIndex: number;
      readonly position?: number;
      readonly kind: FindingKind;
      readonly message: string;
    }
  | {
      readonly exact: false;
      readonly fromLine: number;
      readonly toLine: number;
      readonly fromPosition?: number;
      readonly toPosition?: number;
      readonly message: string;
    };

export type KeySource = 'key_file' | 'trusted_head' | 'export';

export interface VerifyOptions {
  /** The operator's published key (`--key`, or the saved head's); else the export's own is used. */
  readonly key?: { readonly publicKey: KeyObject; readonly source: 'key_file' | 'trusted_head' };
  /** A head saved earlier that the export must extend. */
  readonly trustedHead?: SignedTreeHead;
  /**
   * Tree sizes whose root to keep as the records stream past (e.g. the export head's size, read
   * from the file's end first): with them a head that signs fewer records than the export holds
   * can be checked against the records it does sign, and the first unsigned record named.
   */
  readonly rootsAt?: readonly number[];
  /** Fold the records into the plan read model and report each plan's figures (default true). */
  readonly figures?: boolean;
  /**
   * The lines' leaves are hashed and appended to a tree elsewhere (e.g. on the thread that reads
   * the file): the verifier only counts the records, and `finish` is handed that tree.
   */
  readonly leavesElsewhere?: boolean;
}

export interface ExportReport {
  readonly ok: boolean;
  /** Record lines read (every line before the head line). */
  readonly records: number;
  readonly firstPosition: number | null;
  readonly lastPosition: number | null;
  /** MTH of the records as read, base64. */
  readonly rootHash: string;
  readonly head: SignedTreeHead | null;
  readonly signature: {
    readonly verified: boolean;
    readonly keySource: KeySource | null;
    /** RFC 7638 thumbprint of the key used. */
    readonly keyThumbprint: string | null;
    /** Thumbprint of the key the export names, when it names one. */
    readonly exportKeyThumbprint: string | null;
  };
  readonly trustedHead: {
    readonly treeSize: number;
    readonly rootHash: string;
    readonly timestamp: string;
    readonly signatureVerified: boolean;
    readonly extended: boolean;
  } | null;
  /** Findings in the order they were found, at most `MAX_FINDINGS`. */
  readonly findings: readonly Finding[];
  readonly findingCount: number;
  readonly firstBadRecord: FirstBadRecord | null;
  /** What to know that is not a failure: the key came from the export itself, no final line break. */
  readonly warnings: readonly string[];
  readonly plans: readonly PlanFigures[];
}

export const MAX_FINDINGS = 100;

/** Findings that name one record. */
const RECORD_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'malformed_line',
  'not_a_record',
  'non_canonical',
  'position_order',
  'stream_version',
  'undecodable',
]);

const base64 = (hash: Uint8Array): string => Buffer.from(hash).toString('base64');

/** RFC 7638 thumbprint of an Ed25519 public key, as `GET /api/v1/audit/key` gives it in `kid`. */
export function ed25519Thumbprint(publicKey: KeyObject): string {
  return jwkThumbprint(publicKeyToJwk(publicKey));
}

/** The position of a JSON value that may be a record, for naming a line that is not one. */
function positionOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const position = (value as Record<string, unknown>)['position'];
  return Number.isSafeInteger(position) ? (position as number) : undefined;
}

const RECORD_FIELDS = [
  'position',
  'stream',
  'version',
  'id',
  'type',
  'schemaVersion',
  'data',
  'metadata',
  'recordedAt',
] as const satisfies readonly (keyof AuditRecord)[];

/** Field by field (data and metadata by identity), and no field besides: the per-line fast path. */
function sameRecord(rebuilt: AuditRecord, record: AuditRecord): boolean {
  let count = 0;
  for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key)) count++;
  if (count !== RECORD_FIELDS.length) return false;
  for (const field of RECORD_FIELDS) if (rebuilt[field] !== record[field]) return false;
  return true;
}

/**
 * What a line's bytes tell, worked out beforehand (`exportLines.ts`, possibly on another thread):
 * its leaf hash and its `LINE_UTF8 | LINE_PLAIN_CANONICAL` flags.
 */
export interface DescribedLine {
  /** Not needed when the tree is kept elsewhere (`leavesElsewhere`). */
  readonly leaf?: Uint8Array;
  readonly flags: number;
}

/** The records' tree kept outside the verifier, when their leaves are appended elsewhere. */
export interface RecordTree {
  /** MTH of the first `size` record lines, for any size up to the number of records. */
  rootAt(size: number): Uint8Array;
}

function isHeadLine(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'treeHead' in value
  );
}

/**
 * The verifier as a sink of lines: `line` for each line of the file as read (without its line
 * break), `finish` at the end. Line numbers are counted from 1 in the order given.
 */
export class ExportVerifier {
  private readonly tree = new FrontierTreeNodes();
  private readonly streamVersions = new Map<string, number>();
  private readonly roots = new Map<number, Uint8Array>();
  private readonly wantedRoots: ReadonlySet<number>;
  /** Positions of the records at leaf indices worth naming (bounds of a range), by leaf index. */
  private readonly positions = new Map<number, number | undefined>();
  private readonly wantedPositions = new Set<number>();
  private readonly findingList: Finding[] = [];
  private findingTotal = 0;
  private firstRecordFinding: (Finding & { line: number }) | undefined;
  private readonly state: PlanReadModelState | undefined;

  private lineCount = 0;
  /** Record lines so far: the tree's size. */
  private recordCount = 0;
  private lastPosition: number | undefined;
  /** Position of the last record line, when it had one. */
  private lastRecordPosition: number | undefined;
  private firstPosition: number | undefined;
  /**
   * A line that is not JSON waits for the next line before it counts as a record: if the file
   * ends there, it is where the file was cut (a record or the head, no one can tell).
   */
  private unparsed:
    | {
        line: number;
        text: string;
        bytes: Uint8Array | undefined;
        described: DescribedLine | undefined;
      }
    | undefined;
  private headLine: { line: number; value: Record<string, unknown>; text: string } | undefined;
  private finished = false;

  constructor(private readonly options: VerifyOptions = {}) {
    const sizes = [...(options.rootsAt ?? [])];
    const trusted = options.trustedHead?.treeSize;
    if (Number.isSafeInteger(trusted) && (trusted as number) >= 0) sizes.push(trusted as number);
    this.wantedRoots = new Set(sizes);
    if (this.wantedRoots.has(0)) this.roots.set(0, emptyRoot());
    for (const size of sizes) {
      this.wantedPositions.add(size - 1);
      this.wantedPositions.add(size);
    }
    this.state = options.figures === false ? undefined : planReadModel.initialState();
  }

  /**
   * One line without its line break. `bytes`, when the caller has them, are the line's bytes as
   * read: the leaf is hashed from them (else from `text` encoded as UTF-8), and bytes that are not
   * UTF-8 are a finding (a decoded line would hide them). `text` must then be their UTF-8 decoding:
   * the canonical form is first checked on the bytes (`isPlainCanonicalJsonText`), the text
   * serialised again only when that cannot tell. `described`, when given, holds those facts about
   * the bytes, worked out beforehand (then `bytes` are not needed).
   */
  line(text: string, bytes?: Uint8Array, described?: DescribedLine): void {
    if (this.finished) throw new Error('the verifier has finished');
    const line = ++this.lineCount;
    const waiting = this.unparsed;
    if (waiting !== undefined) {
      this.unparsed = undefined;
      this.record(waiting.line, waiting.text, waiting.bytes, waiting.described, false, undefined);
    }
    if (this.headLine !== undefined) {
      this.find({
        kind: 'trailing_data',
        line,
        message: `Line ${line} follows the tree head line (line ${this.headLine.line}); an export ends with its head`,
      });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.unparsed = { line, text, bytes, described };
      return;
    }
    if (isHeadLine(value)) {
      this.headLine = { line, value, text };
      return;
    }
    this.record(line, text, bytes, described, true, value);
  }

  private record(
    line: number,
    text: string,
    bytes: Uint8Array | undefined,
    described: DescribedLine | undefined,
    parsed: boolean,
    value: unknown,
  ): void {
    const leafIndex = this.recordCount++;
    if (this.options.leavesElsewhere !== true) {
      appendLeaf(this.tree, described?.leaf ?? leafHash(bytes ?? Buffer.from(text, 'utf8')));
      const size = leafIndex + 1;
      if (this.wantedRoots.has(size)) this.roots.set(size, rootAt(this.tree));
    }

    const utf8 =
      described !== undefined
        ? (described.flags & LINE_UTF8) !== 0
        : bytes === undefined || isUtf8(bytes);
    if (!utf8) {
      // Hashed as read, checked as decoded: the finding is the bytes, the rest goes on.
      this.find({
        kind: 'malformed_line',
        line,
        ...(positionOf(value) !== undefined && { position: positionOf(value) }),
        message: `Line ${line} is not valid UTF-8`,
      });
    }
    if (!parsed) {
      this.notePosition(leafIndex, undefined);
      this.find({
        kind: 'malformed_line',
        line,
        message: `Line ${line} is not JSON`,
      });
      return;
    }
    const record = parseAuditRecord(value);
    if (record === undefined) {
      const position = positionOf(value);
      this.notePosition(leafIndex, position);
      this.find({
        kind: 'not_a_record',
        line,
        ...(position !== undefined && { position }),
        message: `Line ${line} is not an audit record (position, stream, version, id, type, schemaVersion, data, metadata, recordedAt)`,
      });
      return;
    }
    const { position } = record;
    this.notePosition(leafIndex, position);
    this.lastRecordPosition = position;
    this.firstPosition ??= position;
    const event = loggedEventOf(record);
    // Bytes that are UTF-8 are exactly the text; the scan on them spares the serialisation.
    const plainCanonical =
      described !== undefined
        ? (described.flags & LINE_PLAIN_CANONICAL) !== 0
        : bytes !== undefined && utf8 && isPlainCanonicalJsonText(bytes, 0, bytes.length);
    this.checkForm(line, record, text, value, plainCanonical);

    if (this.lastPosition !== undefined && position <= this.lastPosition) {
      this.find({
        kind: 'position_order',
        line,
        position,
        message: `Line ${line} has position ${position}, not above position ${this.lastPosition} on the line before: records removed, inserted or reordered`,
      });
    }
    this.lastPosition = Math.max(position, this.lastPosition ?? position);

    const previous = this.streamVersions.get(record.stream) ?? 0;
    if (record.version !== previous + 1) {
      this.find({
        kind: 'stream_version',
        line,
        position,
        message:
          record.version > previous + 1
            ? `Line ${line} (position ${position}) is version ${record.version} of stream ${record.stream}, whose last record so far was version ${previous}: ${record.version - previous - 1} record(s) of the stream missing before it`
            : `Line ${line} (position ${position}) is version ${record.version} of stream ${record.stream}, which already reached version ${previous}: a record repeated, inserted or reordered`,
      });
    }
    this.streamVersions.set(record.stream, Math.max(previous, record.version));

    if (this.state !== undefined) this.fold(line, position, event);
  }

  /**
   * The line must be exactly the tracker's record of its event: the record `auditRecord` makes of
   * it (nothing added, recordedAt and schemaVersion as the metadata says), in canonical form.
   */
  private checkForm(
    line: number,
    record: AuditRecord,
    text: string,
    value: unknown,
    plainCanonical: boolean,
  ): void {
    const { position } = record;
    let canonical: string | undefined;
    let problem = '';
    if (plainCanonical) {
      canonical = text;
    } else {
      try {
        canonical = canonicalJson(value);
      } catch (error) {
        problem = `: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (canonical !== text) {
      this.find({
        kind: 'non_canonical',
        line,
        position,
        message: `Line ${line} (position ${position}) is not in its RFC 8785 canonical form${problem}`,
      });
      return;
    }
    const rebuilt = auditRecord(loggedEventOf(record));
    if (sameRecord(rebuilt, record)) return;
    const differing = RECORD_FIELDS.filter((field) => rebuilt[field] !== record[field]);
    const extra = Object.keys(record).filter((key) => !(key in rebuilt));
    this.find({
      kind: 'not_a_record',
      line,
      position,
      message: `Line ${line} (position ${position}) is not the record the tracker writes for its event: ${[
        ...extra.map((key) => `extra field ${key}`),
        ...differing.map((field) => `${field} disagrees with the metadata`),
      ].join(', ')}`,
    });
  }

  private fold(line: number, position: number, event: ReturnType<typeof loggedEventOf>): void {
    const state = this.state;
    if (state === undefined) return;
    try {
      planReadModel.apply(state, decodeRecordedEvent(event));
    } catch (error) {
      this.find({
        kind: 'undecodable',
        line,
        position,
        message: `Line ${line} (position ${position}, ${event.type}) is not a tracker event the read model can fold: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  private notePosition(leafIndex: number, position: number | undefined): void {
    if (position === undefined) this.lastRecordPosition = undefined;
    if (leafIndex === 0 || this.wantedPositions.has(leafIndex)) {
      this.positions.set(leafIndex, position);
    }
  }

  private find(finding: Finding): void {
    this.findingTotal++;
    if (this.findingList.length < MAX_FINDINGS) this.findingList.push(finding);
    if (
      this.firstRecordFinding === undefined &&
      RECORD_KINDS.has(finding.kind) &&
      finding.line !== undefined
    ) {
      this.firstRecordFinding = { ...finding, line: finding.line };
    }
  }

  /** The tree sizes whose roots `finish` needs besides the records' own: for a tree kept elsewhere. */
  wantedTreeSizes(): number[] {
    return [...this.wantedRoots];
  }

  /**
   * The report; `endsWithNewline` is whether the file's last byte was a line feed, if known;
   * `tree` is the records' tree when it was kept elsewhere (`leavesElsewhere`).
   */
  finish(endsWithNewline?: boolean, tree?: RecordTree): ExportReport {
    this.finished = true;
    const records = this.recordCount;
    const warnings: string[] = [];
    let root: Uint8Array;
    if (this.options.leavesElsewhere === true) {
      if (tree === undefined) throw new Error('the records were hashed elsewhere: pass their tree');
      root = tree.rootAt(records);
      for (const size of this.wantedRoots) {
        if (size <= records) this.roots.set(size, tree.rootAt(size));
      }
    } else {
      root = rootAt(this.tree);
    }
    this.roots.set(records, root);
    if (records > 0) this.positions.set(records - 1, this.lastRecordPosition);

    const head = this.exportHead();
    const exportKey = this.exportKey();
    const key = this.chooseKey(exportKey, warnings);

    let signatureVerified = false;
    let range: FirstBadRecord | undefined;
    if (head !== undefined) {
      range = this.checkHeadAgainstRecords(head, records, root);
      if (key !== undefined) {
        signatureVerified = verifyTreeHead(head, key.publicKey);
        if (!signatureVerified) {
          this.find({
            kind: 'bad_signature',
            line: this.headLine?.line,
            message: `The tree head's signature does not verify with the ${describeKeySource(key.source)} (thumbprint ${ed25519Thumbprint(key.publicKey)})`,
          });
        }
      }
    }
    if (
      endsWithNewline === false &&
      this.headLine !== undefined &&
      this.lineCount === this.headLine.line
    ) {
      warnings.push('The file does not end with a line break after the tree head line.');
    }

    const trusted = this.checkTrustedHead(key, records);
    // A trusted head the export does not extend puts the first changed record within its size:
    // narrower than the whole export the root mismatch names.
    if (
      trusted.range?.exact === false &&
      (range === undefined || (!range.exact && trusted.range.toLine < range.toLine))
    ) {
      range = trusted.range;
    }

    const firstRecord = this.firstRecordFinding;
    const firstBadRecord: FirstBadRecord | null =
      firstRecord !== undefined
        ? {
            exact: true,
            line: firstRecord.line,
            leafIndex: firstRecord.line - 1,
            ...(firstRecord.position !== undefined && { position: firstRecord.position }),
            kind: firstRecord.kind,
            message: firstRecord.message,
          }
        : (range ?? null);

    return {
      ok: this.findingTotal === 0,
      records,
      firstPosition: this.firstPosition ?? null,
      lastPosition: this.lastPosition ?? null,
      rootHash: base64(root),
      head: head ?? null,
      signature: {
        verified: signatureVerified,
        keySource: key?.source ?? null,
        keyThumbprint: key === undefined ? null : ed25519Thumbprint(key.publicKey),
        exportKeyThumbprint: exportKey === undefined ? null : ed25519Thumbprint(exportKey),
      },
      trustedHead: trusted.summary,
      findings: this.findingList,
      findingCount: this.findingTotal,
      firstBadRecord,
      warnings,
      plans: this.state === undefined ? [] : planFigures(this.state),
    };
  }

  /** The export's signed head, or undefined with a finding saying why there is none. */
  private exportHead(): SignedTreeHead | undefined {
    const cut = this.unparsed;
    if (cut !== undefined) {
      // The last line is not JSON (and no head came before it: lines after a head are trailing).
      this.find({
        kind: 'truncated',
        line: cut.line,
        message: `The file is truncated: it ends inside line ${cut.line}, and the tree head line is missing`,
      });
      return undefined;
    }
    if (this.headLine === undefined) {
      const last = this.lineCount;
      this.find({
        kind: 'missing_head',
        ...(last > 0 && { line: last }),
        message:
          last === 0
            ? 'The file is empty: no records and no tree head line'
            : `The file ends after line ${last} without the tree head line: truncated, or not an audit export`,
      });
      return undefined;
    }
    const { line, value, text } = this.headLine;
    const head = value['treeHead'];
    const problem =
      typeof head !== 'object' || head === null
        ? 'treeHead is not an object'
        : (treeHeadProblem(head as SignedTreeHead) ??
          (typeof (head as Record<string, unknown>)['signature'] === 'string'
            ? undefined
            : 'signature must be a base64 string'));
    if (problem !== undefined) {
      this.find({
        kind: 'malformed_head',
        line,
        message: `The tree head on line ${line} is malformed: ${problem}`,
      });
      return undefined;
    }
    let canonical: string | undefined;
    try {
      canonical = canonicalJson(value);
    } catch {
      canonical = undefined;
    }
    if (canonical !== text) {
      this.find({
        kind: 'non_canonical',
        line,
        message: `The tree head line (line ${line}) is not in its RFC 8785 canonical form`,
      });
    }
    return head as SignedTreeHead;
  }

  private exportKey(): KeyObject | undefined {
    const jwk = this.headLine?.value['publicKey'];
    if (jwk === undefined) return undefined;
    try {
      return publicKeyFromJwk(jwk);
    } catch {
      return undefined;
    }
  }

  private chooseKey(
    exportKey: KeyObject | undefined,
    warnings: string[],
  ): { publicKey: KeyObject; source: KeySource } | undefined {
    const given = this.options.key;
    if (given !== undefined) {
      if (exportKey !== undefined && !exportKey.equals(given.publicKey)) {
        warnings.push(
          `The export names a different key (thumbprint ${ed25519Thumbprint(exportKey)}) than the ${describeKeySource(given.source)} (thumbprint ${ed25519Thumbprint(given.publicKey)}); the latter is used.`,
        );
      }
      return given;
    }
    if (exportKey !== undefined) {
      warnings.push(
        `The key came from the export itself (thumbprint ${ed25519Thumbprint(exportKey)}): anyone who can rewrite the file can sign it with a key of their own. Compare this thumbprint with the key the tracker publishes (GET /api/v1/audit/key, its "kid"), or pass that key with --key.`,
      );
      return { publicKey: exportKey, source: 'export' };
    }
    if (this.headLine !== undefined) {
      this.find({
        kind: 'no_key',
        line: this.headLine.line,
        message:
          'No key to check the signature with: the export names no valid Ed25519 public key and none was given (--key)',
      });
    }
    return undefined;
  }

  /**
   * Size and root of the export's head against the records. Returns where the first bad record
   * must lie when the root alone shows something is wrong.
   */
  private checkHeadAgainstRecords(
    head: SignedTreeHead,
    records: number,
    root: Uint8Array,
  ): FirstBadRecord | undefined {
    const line = this.headLine?.line;
    const signed = Buffer.from(head.rootHash, 'base64');
    if (head.treeSize !== records) {
      this.find({
        kind: 'tree_size',
        line,
        message:
          head.treeSize > records
            ? `The tree head signs ${head.treeSize} records but the export holds ${records}: ${head.treeSize - records} record(s) missing`
            : `The tree head signs ${head.treeSize} records but the export holds ${records}: ${records - head.treeSize} record(s) the head does not cover`,
      });
      const rootAtHead = this.roots.get(head.treeSize);
      if (head.treeSize < records && rootAtHead !== undefined && hashesEqual(rootAtHead, signed)) {
        // The signed records are intact; the ones after them were added to the file.
        return this.rangeOf(
          head.treeSize,
          records,
          `The first ${head.treeSize} records match the signed head; line ${head.treeSize + 1} is the first record it does not sign`,
        );
      }
      return undefined;
    }
    if (hashesEqual(root, signed)) return undefined;
    const trusted = this.options.trustedHead;
    const trustedRoot = trusted === undefined ? undefined : this.roots.get(trusted.treeSize);
    const trustedHolds =
      trusted !== undefined &&
      trustedRoot !== undefined &&
      hashesEqual(trustedRoot, Buffer.from(trusted.rootHash, 'base64'));
    const from = trustedHolds ? trusted.treeSize : 0;
    const stretch = trustedHolds
      ? `the first ${from} match the head you trusted, so the changed record is among lines ${from + 1} to ${records}`
      : `a root cannot tell which record changed`;
    this.find({
      kind: 'root_mismatch',
      line,
      message: `The ${records} records hash to ${base64(root)}, not to the signed root ${head.rootHash}: a record was changed, removed, inserted or reordered; ${stretch}`,
    });
    return this.rangeOf(
      from,
      records,
      `Some record among these lines does not match the signed root`,
    );
  }

  private checkTrustedHead(
    key: { publicKey: KeyObject; source: KeySource } | undefined,
    records: number,
  ): { summary: ExportReport['trustedHead']; range?: FirstBadRecord } {
    const trusted = this.options.trustedHead;
    if (trusted === undefined) return { summary: null };
    const problem = treeHeadProblem(trusted);
    if (problem !== undefined) {
      this.find({
        kind: 'trusted_head_malformed',
        message: `The trusted head is malformed: ${problem}`,
      });
      return { summary: null };
    }
    const signatureVerified = key !== undefined && verifyTreeHead(trusted, key.publicKey);
    if (!signatureVerified) {
      this.find({
        kind: 'trusted_head_signature',
        message:
          key === undefined
            ? 'The trusted head cannot be checked: there is no key'
            : `The trusted head's signature does not verify with the ${describeKeySource(key.source)} (thumbprint ${ed25519Thumbprint(key.publicKey)})`,
      });
    }
    const summary = {
      treeSize: trusted.treeSize,
      rootHash: trusted.rootHash,
      timestamp: trusted.timestamp,
      signatureVerified,
      extended: false,
    };
    if (trusted.treeSize > records) {
      const head = this.headLine?.value['treeHead'] as { timestamp?: unknown } | undefined;
      const older =
        typeof head?.timestamp === 'string' && head.timestamp < trusted.timestamp
          ? ` (the export's head, ${head.timestamp}, is older than the trusted head, ${trusted.timestamp}: an older export?)`
          : '';
      this.find({
        kind: 'rolled_back',
        message: `The export is shorter than a head you trusted (rolled back?): ${records} records, the trusted head of ${trusted.timestamp} signs ${trusted.treeSize}${older}`,
      });
      return { summary };
    }
    const root = this.roots.get(trusted.treeSize);
    if (root === undefined || !hashesEqual(root, Buffer.from(trusted.rootHash, 'base64'))) {
      this.find({
        kind: 'rewritten',
        message: `The export does not extend the head you trusted: its first ${trusted.treeSize} records hash to ${root === undefined ? '?' : base64(root)}, the trusted head of ${trusted.timestamp} signs ${trusted.rootHash}; a record among lines 1 to ${trusted.treeSize} was changed, removed, inserted or reordered since`,
      });
      return {
        summary,
        range: this.rangeOf(
          0,
          trusted.treeSize,
          'Some record among these lines differs from the log the trusted head signed',
        ),
      };
    }
    return { summary: { ...summary, extended: true } };
  }

  /** The records of leaves [from, to) as lines, with their positions where they were kept. */
  private rangeOf(from: number, to: number, message: string): FirstBadRecord {
    const fromPosition = this.positions.get(from);
    const toPosition = this.positions.get(to - 1);
    return {
      exact: false,
      fromLine: from + 1,
      toLine: to,
      ...(fromPosition !== undefined && { fromPosition }),
      ...(toPosition !== undefined && { toPosition }),
      message,
    };
  }
}

function describeKeySource(source: KeySource): string {
  switch (source) {
    case 'key_file':
      return 'key given with --key';
    case 'trusted_head':
      return "trusted head file's key";
    case 'export':
      return "export's own key";
  }
}

/** Runs the verifier over `lines` (e.g. a readline interface over the file). */
export async function verifyExportLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: VerifyOptions = {},
  endsWithNewline?: boolean,
): Promise<ExportReport> {
  const verifier = new ExportVerifier(options);
  for await (const line of lines) verifier.line(line);
  return verifier.finish(endsWithNewline);
}
