import { once } from 'node:events';
import { Router, type Response } from 'express';
import type { AppDeps } from '../app';
import { actorOf, parse } from '../http';
import { HttpProblem } from '../problems';
import {
  auditExportQuery,
  auditRecordParams,
  consistencyProofQuery,
  emptyQuery,
  inclusionProofQuery,
} from '../schemas';
import { authorize } from '../../application/accessPolicy';
import type { AuditLogService, HeadWithKey } from '../../auditLog/auditLogService';
import { auditRecordLine } from '../../auditLog/auditRecord';
import { canonicalJson } from '../../auditLog/canonicalJson';
import { FrontierTreeNodes } from '../../auditLog/frontierTreeNodes';
import { appendLeaf, hashesEqual, leafHash, rootAt } from '../../auditLog/merkleTree';
import type { AuditTree, RecordedEvent } from '../../eventStore/port';
import type { ProjectorSource } from '../../projections/projector';

/** Events per read while exporting: the log is streamed, never held whole. */
const EXPORT_BATCH = 1000;

type AuditLogDeps = AppDeps & { readonly auditLog: AuditLogService };

const base64 = (hashes: readonly Uint8Array[]): string[] =>
  hashes.map((hash) => Buffer.from(hash).toString('base64'));

/** The public key that signs tree heads: public, like the reference tables. */
export function auditKeyRoute(auditLog: AuditLogService): Router {
  const router = Router();
  router.get('/key', (request, response) => {
    parse(emptyQuery, request.query, 'query');
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.json(auditLog.jwk);
  });
  return router;
}

/**
 * The verifiable log (RFC 9162): the latest signed tree head, inclusion and consistency proofs,
 * each event's record (the leaf input) and the export an offline verifier checks. Auditors and the
 * Commission, as the audit feed.
 */
export function auditLogRoutes(deps: AuditLogDeps): Router {
  const router = Router();
  const { auditLog } = deps;
  const tree = auditLog.tree;
  const log = deps.projector.source;

  /** The latest signed head's size; while the log is mismatched, the last one signed (no new one is). */
  const defaultTreeSize = async (): Promise<number> =>
    auditLog.mismatch === undefined
      ? (await auditLog.latestHead()).treeSize
      : (auditLog.lastSignedHead()?.treeSize ?? (await tree.size()));

  const requireSize = async (treeSize: number): Promise<void> => {
    const size = await tree.size();
    if (treeSize > size) {
      throw new HttpProblem(
        422,
        'tree_size_too_large',
        `The log holds ${size} events: there is no tree of ${treeSize}`,
        { treeSize, currentSize: size },
      );
    }
  };

  router.get('/tree-head', async (request, response) => {
    authorize(actorOf(response), 'audit.read');
    parse(emptyQuery, request.query, 'query');
    response.json(await auditLog.latestHead());
  });

  router.get('/proof/inclusion', async (request, response) => {
    authorize(actorOf(response), 'audit.read');
    const query = parse(inclusionProofQuery, request.query, 'query');
    const leafIndex = await leafIndexOrNotFound(tree, query.position);
    const treeSize = query.treeSize ?? (await defaultTreeSize());
    await requireSize(treeSize);
    if (leafIndex >= treeSize) {
      throw new HttpProblem(
        422,
        'leaf_not_in_tree',
        `The event at position ${query.position} is leaf ${leafIndex}: a tree of ${treeSize} does not hold it yet`,
        { position: query.position, leafIndex, treeSize },
      );
    }
    const path = await tree.inclusionProof(leafIndex, treeSize);
    response.json({ leafIndex, treeSize, path: base64(path) });
  });

  router.get('/proof/consistency', async (request, response) => {
    authorize(actorOf(response), 'audit.read');
    const query = parse(consistencyProofQuery, request.query, 'query');
    const to = query.to ?? (await defaultTreeSize());
    await requireSize(to);
    if (query.from > to) {
      throw new HttpProblem(
        422,
        'invalid_tree_range',
        `A tree of ${query.from} cannot be a prefix of a smaller tree of ${to}`,
        { from: query.from, to },
      );
    }
    const path = await tree.consistencyProof(query.from, to);
    response.json({ from: query.from, to, path: base64(path) });
  });

  router.get('/records/:position', async (request, response) => {
    authorize(actorOf(response), 'audit.read');
    const { position } = parse(auditRecordParams, request.params, 'path');
    parse(emptyQuery, request.query, 'query');
    if (position === 0) throw positionNotInLog(position);
    const [event] = await log.readAll({ fromPosition: position - 1, maxCount: 1 });
    if (event?.globalPosition !== position) throw positionNotInLog(position);
    // Exactly the canonical line: its UTF-8 bytes are the leaf input, so no re-serialising.
    response.type('application/json').send(auditRecordLine(event));
  });

  router.get('/export', async (request, response) => {
    authorize(actorOf(response), 'audit.read');
    const query = parse(auditExportQuery, request.query, 'query');
    const treeSize = query.upTo === undefined ? await tree.size() : await tree.sizeAt(query.upTo);
    // Signed before the first byte goes out: a log that cannot be vouched for is not exported.
    const head = await auditLog.headFor(treeSize);
    response.status(200);
    response.type('application/x-ndjson');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="audit-log-${treeSize}.ndjson"`,
    );
    const streamed = await streamRecords(log, treeSize, response);
    if (streamed === undefined) return;
    // The records sent are checked against the head as they go: a log edited under the running
    // server (which /ready's tail check would miss) is never sent out under a head that vouches
    // for it. The download is cut without its head line, so no verifier takes it for whole.
    if (!hashesEqual(streamed, Buffer.from(head.rootHash, 'base64'))) {
      const mismatch = await auditLog.investigate(
        `the exported records do not hash to the root of the tree of ${treeSize}: an event was changed after it was recorded`,
      );
      response.destroy(new Error(`export cut: ${mismatch.message}`));
      return;
    }
    const last: HeadWithKey = { treeHead: head, publicKey: auditLog.jwk };
    response.end(`${canonicalJson(last)}\n`);
  });

  return router;
}

async function leafIndexOrNotFound(tree: AuditTree, position: number): Promise<number> {
  const leafIndex = await tree.leafIndexOf(position);
  if (leafIndex === undefined) throw positionNotInLog(position);
  return leafIndex;
}

function positionNotInLog(position: number): HttpProblem {
  return new HttpProblem(404, 'position_not_in_log', `No event sits at log position ${position}`, {
    position,
  });
}

/**
 * The first `count` events of the log (leaves 0..count-1), one canonical line each, a batch per
 * write, waiting for the client to drain what it was sent. A log that ends early (it cannot, unless
 * it changed under the export) cuts the download, so no verifier takes a short file for whole.
 * Returns the root of the records sent, or undefined when the download was cut (or the client went away).
 */
async function streamRecords(
  log: ProjectorSource,
  count: number,
  response: Response,
): Promise<Uint8Array | undefined> {
  const tree = new FrontierTreeNodes();
  let sent = 0;
  let after = 0;
  while (sent < count) {
    if (response.destroyed) return undefined;
    const events: readonly RecordedEvent[] = await log.readAll({
      fromPosition: after,
      maxCount: Math.min(EXPORT_BATCH, count - sent),
    });
    const last = events[events.length - 1];
    if (last === undefined) {
      response.destroy(new Error(`the log ended after ${sent} of ${count} events`));
      return undefined;
    }
    const lines = events.map((event) => auditRecordLine(event));
    for (const line of lines) appendLeaf(tree, leafHash(Buffer.from(line, 'utf8')));
    const chunk = `${lines.join('\n')}\n`;
    sent += events.length;
    after = last.globalPosition;
    if (!response.write(chunk)) {
      await Promise.race([once(response, 'drain'), once(response, 'close')]);
    }
  }
  return rootAt(tree, count);
}
