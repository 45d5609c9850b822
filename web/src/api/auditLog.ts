/**
 * The verifiable log's endpoints (`/api/v1/audit/key`, `tree-head`, `proof/*`, `records/*`),
 * through the generated client. What they answer is checked in the browser (lib/merkleVerify), so
 * every answer is read as untrusted: the schema says what the server promises, the guards here
 * check that the answer has that shape, and lib/merkleVerify says whether its values hold up.
 */
import { api, type Schema } from './client';
import type { ApiResult } from './hooks';
import { ApiError, toProblem, type Problem } from './problems';
import type { Ed25519PublicJwk, SignedTreeHead as VerifiableHead } from '../lib/merkleVerify';

/**
 * The published key as far as the browser relies on it: `kty`, `crv` and `x`. The server also
 * sends `kid`, `alg` and `use`; they are kept when present, but the thumbprint shown beside a head
 * is computed here from `x`, never taken from `kid`.
 */
export type AuditPublicKey = Pick<Schema<'AuditPublicKey'>, 'kty' | 'crv' | 'x'> &
  Partial<Pick<Schema<'AuditPublicKey'>, 'kid' | 'alg' | 'use'>>;
export type SignedTreeHead = Schema<'SignedTreeHead'>;
export type InclusionProof = Schema<'InclusionProof'>;
export type ConsistencyProof = Schema<'ConsistencyProof'>;

/*
 * The verifier (lib/merkleVerify) has its own types so that it depends on nothing the server
 * generates; these lines stop the two from drifting apart (a type error here means the OpenAPI
 * document and the verifier no longer describe the same head or key).
 */
type Assignable<From extends To, To> = From;
export type SchemaHeadIsVerifiable = Assignable<SignedTreeHead, VerifiableHead>;
export type SchemaKeyIsVerifiable = Assignable<AuditPublicKey, Ed25519PublicJwk>;

/** An event's record exactly as the server sent it: its bytes are the leaf input. */
export interface AuditRecordText {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly text: string;
}

function unexpectedAnswer(what: string, response: Response | undefined): ApiError {
  const problem: Problem = {
    ...toProblem(undefined, response),
    title: 'The tracker answered something that is not what was asked for',
    detail: `The answer to ${what} does not have the documented shape.`,
    code: 'unexpected_response',
  };
  return new ApiError(problem);
}

/**
 * The body of a call when it has the documented shape; an `ApiError` otherwise: the problem the
 * server sent, a network failure, or `unexpected_response` for a body that is not JSON or not of
 * that shape (openapi-fetch throws a SyntaxError for a success body that is not JSON).
 */
async function answer<Body>(
  what: string,
  call: Promise<ApiResult>,
  hasShape: (value: unknown) => value is Body,
): Promise<Body> {
  let result: ApiResult;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof SyntaxError) throw unexpectedAnswer(what, undefined);
    throw new ApiError(toProblem(undefined, undefined));
  }
  if (!result.response.ok) throw new ApiError(toProblem(result.error, result.response));
  if (!hasShape(result.data)) throw unexpectedAnswer(what, result.response);
  return result.data;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((element) => typeof element === 'string');

// Only the types are checked here; lib/merkleVerify says whether the values are well formed
// (a 32-byte key, a 64-byte signature, 32-byte hashes, a size that is a whole number).
const isKey = (value: unknown): value is AuditPublicKey =>
  isObject(value) &&
  value.kty === 'OKP' &&
  value.crv === 'Ed25519' &&
  typeof value.x === 'string' &&
  ['kid', 'alg', 'use'].every(
    (name) => value[name] === undefined || typeof value[name] === 'string',
  );
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
export function getAuditKey(): Promise<AuditPublicKey> {
  return answer('/api/v1/audit/key', api.GET('/api/v1/audit/key'), isKey);
}

/** The latest signed tree head (signed now if the log grew since the last one). */
export function getTreeHead(): Promise<SignedTreeHead> {
  return answer('/api/v1/audit/tree-head', api.GET('/api/v1/audit/tree-head'), isHead);
}

export function getInclusionProof(position: number, treeSize: number): Promise<InclusionProof> {
  return answer(
    '/api/v1/audit/proof/inclusion',
    api.GET('/api/v1/audit/proof/inclusion', {
      params: { query: { position: String(position), treeSize: String(treeSize) } },
    }),
    isInclusionProof,
  );
}

export function getConsistencyProof(from: number, to: number): Promise<ConsistencyProof> {
  return answer(
    '/api/v1/audit/proof/consistency',
    api.GET('/api/v1/audit/proof/consistency', {
      params: { query: { from: String(from), to: String(to) } },
    }),
    isConsistencyProof,
  );
}

/**
 * The record of the event at `position`, as raw bytes: they are hashed exactly as they arrived
 * (read as an ArrayBuffer, never parsed as JSON and re-encoded), and decoded only to show what
 * the record says. An empty body is zero bytes, which no leaf of the log hashes to.
 */
export async function getAuditRecord(position: number): Promise<AuditRecordText> {
  const buffer = await answer(
    '/api/v1/audit/records/{position}',
    api.GET('/api/v1/audit/records/{position}', {
      params: { path: { position: String(position) } },
      parseAs: 'arrayBuffer',
    }),
    // Not `instanceof`: the buffer may come from another realm (the fetch of a test environment).
    (value: unknown): value is ArrayBuffer | undefined =>
      value === undefined || Object.prototype.toString.call(value) === '[object ArrayBuffer]',
  );
  const bytes = new Uint8Array(buffer ?? new ArrayBuffer(0));
  return { bytes, text: new TextDecoder('utf-8', { fatal: false }).decode(bytes) };
}
