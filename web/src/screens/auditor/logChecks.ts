/**
 * The auditor's three checks of the verifiable log, run in the browser on what the server sends:
 * a head's signature, a saved head's consistency with the latest one, and one event's inclusion.
 * Each result says in words what was checked, against which head, and what the outcome means.
 */
import {
  getAuditKey,
  getAuditRecord,
  getConsistencyProof,
  getInclusionProof,
  getTreeHead,
} from '../../api/auditLog';
import { ApiError, problemSummary } from '../../api/problems';
import { formatCount, formatDateTime } from '../../lib/format';
import {
  base64ToBytes,
  decodeHashes,
  jwkThumbprint,
  leafHash,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHeadSignature,
  type Ed25519PublicJwk,
  type SignatureCheck,
  type SignedTreeHead,
} from '../../lib/merkleVerify';
import type { SavedHead } from './savedHead';

/** The latest head, its signature checked here against the published key. */
export interface CheckedHead {
  readonly head: SignedTreeHead;
  readonly key: Ed25519PublicJwk;
  /** RFC 7638 thumbprint of the key, to compare with the one `audit:verify` prints. */
  readonly keyThumbprint: string;
  readonly signature: SignatureCheck;
}

export async function readLatestHead(): Promise<CheckedHead> {
  const [key, head] = await Promise.all([getAuditKey(), getTreeHead()]);
  const [signature, keyThumbprint] = await Promise.all([
    verifyTreeHeadSignature(head, key),
    jwkThumbprint(key).catch(() => ''),
  ]);
  return { head, key, keyThumbprint, signature };
}

export interface CheckResult {
  readonly ok: boolean;
  /** One sentence: the verdict. */
  readonly summary: string;
  /** What was checked, against what, and what the outcome means. */
  readonly details: readonly string[];
}

/** `12 events, signed 30 Nov 2026, 12:00 UTC` */
export function describeHead(head: SignedTreeHead): string {
  const events = `${formatCount(head.treeSize)} ${head.treeSize === 1 ? 'event' : 'events'}`;
  return `the head of ${events} signed ${formatDateTime(head.timestamp)}`;
}

function unsignedLatest(latest: CheckedHead): CheckResult | undefined {
  if (latest.signature.outcome === 'valid') return undefined;
  return {
    ok: false,
    summary: 'Not checked: the latest head is not validly signed.',
    details: [
      `The latest head's signature could not be verified (${latest.signature.reason}), so nothing it commits to can be relied on. Report this to the operator and to the Commission.`,
    ],
  };
}

function failedCall(error: unknown, what: string): CheckResult {
  const detail = error instanceof ApiError ? problemSummary(error.problem) : String(error);
  return { ok: false, summary: `Not checked: ${what} could not be read.`, details: [detail] };
}

/**
 * RFC 9162 §2.1.4: is the log whose head the auditor saved a prefix of the log the latest head
 * commits to? The saved head's own signature is checked first (with the key saved beside it, else
 * the published one), so an edited file is not mistaken for the log's word.
 */
export async function checkConsistency(
  saved: SavedHead,
  latest: CheckedHead,
): Promise<CheckResult> {
  const old = saved.treeHead;
  const now = latest.head;
  const unsigned = unsignedLatest(latest);
  if (unsigned) return unsigned;
  const savedKey = saved.publicKey ?? latest.key;
  const savedSignature = await verifyTreeHeadSignature(old, savedKey);
  if (savedSignature.outcome !== 'valid') {
    return {
      ok: false,
      summary: 'Not checked: the saved head is not validly signed.',
      details: [
        `The saved head's signature does not verify (${savedSignature.reason}). The file was changed after it was saved, or it was never signed by this log's key.`,
      ],
    };
  }
  const keyChanged =
    saved.publicKey !== undefined &&
    (await jwkThumbprint(saved.publicKey)) !== latest.keyThumbprint;
  const keyNote = keyChanged
    ? [
        'The saved head was signed with a different key from the one published now. A change of key must be announced by the operator; ask why before relying on the log.',
      ]
    : [];
  const against = `Checked ${describeHead(old)} (saved) against ${describeHead(now)} (latest).`;

  if (old.treeSize > now.treeSize) {
    return {
      ok: false,
      summary: 'Failed: the log is shorter than the head you saved.',
      details: [
        against,
        `The log now holds ${formatCount(now.treeSize)} events, fewer than the ${formatCount(old.treeSize)} it had signed for. Events were removed: the log was rolled back or rewritten.`,
        ...keyNote,
      ],
    };
  }
  let proof;
  try {
    proof = await getConsistencyProof(old.treeSize, now.treeSize);
  } catch (error) {
    return failedCall(error, 'the consistency proof');
  }
  const path = decodeHashes(proof.path);
  const verified =
    proof.from === old.treeSize &&
    proof.to === now.treeSize &&
    path !== undefined &&
    (await verifyConsistency(
      old.treeSize,
      now.treeSize,
      path,
      base64ToBytes(old.rootHash)!,
      base64ToBytes(now.rootHash)!,
    ));
  if (!verified) {
    return {
      ok: false,
      summary: 'Failed: the log did NOT only grow since you saved the head.',
      details: [
        against,
        'The consistency proof does not verify (RFC 9162 §2.1.4.2): the first events of the log today are not the events the saved head signed for. The log was rewritten or rolled back since you saved the head; keep the saved head file as evidence.',
        ...keyNote,
      ],
    };
  }
  const grew = now.treeSize - old.treeSize;
  return {
    ok: !keyChanged,
    summary:
      grew === 0
        ? 'Verified: the log is exactly the one you saved.'
        : `Verified: the log only grew since you saved the head (${formatCount(grew)} ${grew === 1 ? 'event' : 'events'} added).`,
    details: [
      against,
      grew === 0
        ? 'Both heads have the same size and the same root hash: not one event was changed, removed or reordered.'
        : `The consistency proof verifies (RFC 9162 §2.1.4.2): the first ${formatCount(old.treeSize)} events of today's log are exactly those the saved head signed for; events were only added after them, none changed, removed or reordered.`,
      ...keyNote,
      ...(grew > 0 && !keyChanged
        ? [
            'Keep the saved head file. To check from the latest head next time, save it too: both files together show the log only grew in between.',
          ]
        : []),
    ],
  };
}

/** What an event's record says about it, read from the very bytes that were hashed. */
export interface RecordFacts {
  readonly position: number;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly recordedAt: string | null;
}

export interface InclusionResult extends CheckResult {
  readonly record?: RecordFacts;
  readonly recordText?: string;
}

function recordFacts(text: string): RecordFacts | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (
    typeof r.position !== 'number' ||
    typeof r.stream !== 'string' ||
    typeof r.version !== 'number' ||
    typeof r.type !== 'string'
  ) {
    return undefined;
  }
  return {
    position: r.position,
    stream: r.stream,
    version: r.version,
    type: r.type,
    recordedAt: typeof r.recordedAt === 'string' ? r.recordedAt : null,
  };
}

/**
 * RFC 9162 §2.1.3: is the record the server shows for `position` a leaf of the log the latest
 * head commits to? The leaf hash is SHA-256(0x00 || the record's bytes as received).
 */
export async function checkInclusion(
  position: number,
  latest: CheckedHead,
): Promise<InclusionResult> {
  const unsigned = unsignedLatest(latest);
  if (unsigned) return unsigned;
  const head = latest.head;
  if (head.treeSize === 0) {
    return {
      ok: false,
      summary: 'Not checked: the latest head is of an empty log.',
      details: ['No event has been signed for yet.'],
    };
  }
  let record;
  let proof;
  try {
    [record, proof] = await Promise.all([
      getAuditRecord(position),
      getInclusionProof(position, head.treeSize),
    ]);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'position_not_in_log') {
      return {
        ok: false,
        summary: `No event at log position ${position}.`,
        details: [`The log holds no event at position ${position}.`],
      };
    }
    return failedCall(error, 'the record or its inclusion proof');
  }
  const facts = recordFacts(record.text);
  const path = decodeHashes(proof.path);
  const verified =
    proof.treeSize === head.treeSize &&
    path !== undefined &&
    (await verifyInclusion(
      await leafHash(record.bytes),
      proof.leafIndex,
      head.treeSize,
      path,
      base64ToBytes(head.rootHash)!,
    ));
  const against = `Checked the record of log position ${position} against ${describeHead(head)}.`;
  if (!verified) {
    return {
      ok: false,
      summary: `Failed: the record shown for log position ${position} is NOT in the signed log.`,
      details: [
        against,
        "The inclusion proof does not verify (RFC 9162 §2.1.3.2): the record's bytes, the proof and the signed root hash do not fit together. The record was changed after it was logged, or the server answers with something other than its log. Keep this result and report it.",
      ],
      recordText: record.text,
      ...(facts && { record: facts }),
    };
  }
  if (facts?.position !== position) {
    return {
      ok: false,
      summary: `Failed: the server answered with another event than the one at log position ${position}.`,
      details: [
        against,
        facts === undefined
          ? 'The record sent is not an event record.'
          : `The record sent is signed for, but it is the event at log position ${facts.position}.`,
      ],
      recordText: record.text,
      ...(facts && { record: facts }),
    };
  }
  return {
    ok: true,
    summary: `Verified: the event at log position ${position} is in the signed log, exactly as shown.`,
    details: [
      against,
      `The inclusion proof verifies (RFC 9162 §2.1.3.2): this record, byte for byte, is entry ${formatCount(proof.leafIndex + 1)} of the ${formatCount(head.treeSize)} events the head commits to. Its stream, type, data and metadata cannot have been edited, and it cannot be removed or moved, without the signed root hash changing.`,
      'This proves the record is in the log this head signs for. That this log is the one you saw before, only grown, is what the consistency check with a head you saved shows.',
    ],
    recordText: record.text,
    record: facts,
  };
}
