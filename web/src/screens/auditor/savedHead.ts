/**
 * A tree head the auditor kept: the file `tree-head-<size>.json` holds `{ treeHead, publicKey }`
 * (the form `npm run audit:verify -- --trusted-head` reads, and the export's last line), and this
 * browser keeps the last one saved or loaded so a later visit can check the log only grew since.
 */
import {
  publicJwkProblem,
  signedTreeHeadProblem,
  type Ed25519PublicJwk,
  type SignedTreeHead,
} from '../../lib/merkleVerify';

export interface SavedHead {
  readonly treeHead: SignedTreeHead;
  /** The key the head was checked against when it was saved; absent in a bare head file. */
  readonly publicKey?: Ed25519PublicJwk;
}

export const SAVED_HEAD_STORAGE_KEY = 'pledge-tracker.audit.saved-tree-head';

/** Exactly the four fields of a signed head, whatever else the object carried. */
function signedHead(head: SignedTreeHead): SignedTreeHead {
  const { treeSize, rootHash, timestamp, signature } = head;
  return { treeSize, rootHash, timestamp, signature };
}

export function savedHeadOf(treeHead: SignedTreeHead, publicKey: Ed25519PublicJwk): SavedHead {
  return { treeHead: signedHead(treeHead), publicKey };
}

export type ParsedSavedHead =
  | { readonly saved: SavedHead; readonly problem?: undefined }
  | { readonly saved?: undefined; readonly problem: string };

/** A saved head from a file's text: `{ treeHead, publicKey? }` or a bare signed head. */
export function parseSavedHead(text: string): ParsedSavedHead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'The file is not JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'The file does not hold a tree head.' };
  }
  const record = value as Record<string, unknown>;
  const head = 'treeHead' in record ? record.treeHead : record;
  const headProblem = signedTreeHeadProblem(head);
  if (headProblem !== undefined) {
    return { problem: `The file does not hold a signed tree head: ${headProblem}.` };
  }
  const treeHead = signedHead(head as SignedTreeHead);
  if (!('treeHead' in record) || record.publicKey === undefined) return { saved: { treeHead } };
  const keyProblem = publicJwkProblem(record.publicKey);
  if (keyProblem !== undefined) {
    return { problem: `The file's public key cannot be used: ${keyProblem}.` };
  }
  return { saved: { treeHead, publicKey: record.publicKey as Ed25519PublicJwk } };
}

export function savedHeadFileName(saved: SavedHead): string {
  return `tree-head-${saved.treeHead.treeSize}.json`;
}

export function savedHeadText(saved: SavedHead): string {
  return `${JSON.stringify(saved, null, 2)}\n`;
}

/** The head this browser keeps, if any (storage may be unavailable or hold something else). */
export function readStoredHead(): SavedHead | undefined {
  try {
    const text = localStorage.getItem(SAVED_HEAD_STORAGE_KEY);
    return text === null ? undefined : parseSavedHead(text).saved;
  } catch {
    return undefined;
  }
}

/** Keeps `saved` in this browser; false when storage refuses (private mode, quota). */
export function storeHead(saved: SavedHead): boolean {
  try {
    localStorage.setItem(SAVED_HEAD_STORAGE_KEY, savedHeadText(saved));
    return true;
  } catch {
    return false;
  }
}
