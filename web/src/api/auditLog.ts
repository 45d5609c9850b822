/**
 * The verifiable log's endpoints (`/api/v1/audit/key`, `tree-head`, `proof/*`, `records/*`). What
 * they answer is checked in the browser (lib/merkleVerify), so every answer is read as untrusted:
 * its shape is checked here, its content there.
 */
import { CLIENT_OPTIONS } from './client';
import { ApiError, toProblem } from './problems';
import type { Ed25519PublicJwk, SignedTreeHead } from '../lib/merkleVerify';

export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Base64 hashes, from the leaf's sibling up to the root's child. */
  readonly path: readonly string[];
}

export interface ConsistencyProof {
  readonly from: number;
  readonly to: number;
  readonly path: readonly string[];
}

/** An event's record exactly as the server sent it: its bytes are the leaf input. */
export interface AuditRecordText {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly text: string;
}

function url(path: string, query: Readonly<Record<string, number | undefined>> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const search = params.toString();
  return `${String(CLIENT_OPTIONS.baseUrl)}/api/v1/audit${path}${search ? `?${search}` : ''}`;
}

async function get(path: string, query?: Readonly<Record<string, number | undefined>>) {
  let response: Response;
  try {
    response = await globalThis.fetch(url(path, query), {
      credentials: CLIENT_OPTIONS.credentials,
      headers: CLIENT_OPTIONS.headers as Record<string, string>,
    });
  } catch {
    throw new ApiError(toProblem(undefined, undefined));
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw new ApiError(toProblem(body, response));
  }
  return response;
}

/** Reads a JSON answer whose shape `isShape` vouches for; anything else is a failed call. */
async function getJson<T>(
  path: string,
  query: Readonly<Record<string, number | undefined>>,
  isShape: (value: unknown) => value is T,
): Promise<T> {
  const response = await get(path, query);
  const body: unknown = await response.json().catch(() => undefined);
  if (!isShape(body)) {
    throw new ApiError({
      ...toProblem(undefined, response),
      title: 'The tracker answered something that is not what was asked for',
      detail: `The answer to ${path} does not have the documented shape.`,
      code: 'unexpected_response',
    });
  }
  return body;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((element) => typeof element === 'string');

// Only the types are checked here; lib/merkleVerify says whether the values are well formed.
const isKey = (value: unknown): value is Ed25519PublicJwk =>
  isObject(value) && typeof value.kty === 'string' && typeof value.x === 'string';
const isHead = (value: unknown): value is SignedTreeHead =>
  isObject(value) &&
  typeof value.treeSize === 'number' &&
  typeof value.rootHash === 'string' &&
  typeof value.timestamp === 'string' &&
  typeof value.signature === 'string';
const isInclusionProof = (value: unknown): value is InclusionProof =>
  isObject(value) &&
  typeof value.leafIndex === 'number' &&
  typeof value.treeSize === 'number' &&
  isStrings(value.path);
const isConsistencyProof = (value: unknown): value is ConsistencyProof =>
  isObject(value) &&
  typeof value.from === 'number' &&
  typeof value.to === 'number' &&
  isStrings(value.path);

/** The log's public signing key, as published (no sign-in needed). */
export function getAuditKey(): Promise<Ed25519PublicJwk> {
  return getJson('/key', {}, isKey);
}

/** The latest signed tree head (signed now if the log grew since the last one). */
export function getTreeHead(): Promise<SignedTreeHead> {
  return getJson('/tree-head', {}, isHead);
}

export function getInclusionProof(position: number, treeSize: number): Promise<InclusionProof> {
  return getJson('/proof/inclusion', { position, treeSize }, isInclusionProof);
}

export function getConsistencyProof(from: number, to: number): Promise<ConsistencyProof> {
  return getJson('/proof/consistency', { from, to }, isConsistencyProof);
}

/**
 * The record of the event at `position`, as raw bytes: they are hashed exactly as they arrived
 * (no JSON parsing, no re-encoding), and decoded only to show what the record says.
 */
export async function getAuditRecord(position: number): Promise<AuditRecordText> {
  const response = await get(`/records/${encodeURIComponent(position)}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, text: new TextDecoder('utf-8', { fatal: false }).decode(bytes) };
}
