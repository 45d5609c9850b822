/**
 * The offline verifier's speed (issue 10: at least 100,000 events per second): a generated log is
 * written as an audit export (one canonical record a line, then the signed head), and
 * `verifyExportFile` (what `npm run audit:verify` runs) reads it back from the file: parse,
 * canonical form, leaf and tree hashes, signature, decoding and the plan read model's fold.
 * Benchmark 7 (`auditLogBench.ts`) runs `measureAuditVerify` over an export of its whole log.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { auditRecordLine } from '../src/auditLog/auditRecord';
import { canonicalJson } from '../src/auditLog/canonicalJson';
import { appendLeaf, leafHash, MemoryTreeNodes, rootAt } from '../src/auditLog/merkleTree';
import {
  generateTreeHeadKeyPair,
  publicKeyToJwk,
  signTreeHead,
  treeHead,
} from '../src/auditLog/treeHead';
import { verifyExportFile } from '../src/cli/auditVerify';
import { createInMemoryEventStore } from '../src/eventStore/memory/inMemoryEventStore';
import type { RecordedEvent } from '../src/eventStore/port';
import { generateEventLog, storeSink } from './generateEvents';

export interface AuditVerifyMeasure {
  readonly events: number;
  readonly fileBytes: number;
  /** Best of the rounds. */
  readonly ms: number;
  readonly eventsPerSecond: number;
  readonly plans: number;
  /** Best time of the baseline (`parseOnly`), rounds interleaved with the verifier's. */
  readonly parseOnlyMs: number;
  readonly parseOnlyEventsPerSecond: number;
}

/** Writes `events` as the export endpoint does: record lines, then `{ treeHead, publicKey }`. */
export async function writeAuditExport(
  file: string,
  events: readonly RecordedEvent[],
  signedAt: Date,
): Promise<void> {
  const { privateKey, publicKey } = generateTreeHeadKeyPair();
  const nodes = new MemoryTreeNodes();
  const out = createWriteStream(file);
  for (const event of events) {
    const line = auditRecordLine(event);
    appendLeaf(nodes, leafHash(Buffer.from(line, 'utf8')));
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  const head = signTreeHead(treeHead(events.length, rootAt(nodes), signedAt), privateKey);
  out.end(`${canonicalJson({ treeHead: head, publicKey: publicKeyToJwk(publicKey) })}\n`);
  await once(out, 'finish');
}

/** A realistic log of `events` events (bench/generateEvents.ts), read back from an in-memory store. */
export async function generatedEvents(
  events: number,
  plans: number,
  seed: number,
): Promise<RecordedEvent[]> {
  const store = createInMemoryEventStore();
  await generateEventLog(storeSink(store), {
    totalEvents: events,
    plans,
    eventsPerAppend: 50,
    seed,
    reports: true,
  });
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({
      fromPosition: all.at(-1)?.globalPosition ?? 0,
      maxCount: 10_000,
    });
    if (page.length === 0) break;
    all.push(...page);
  }
  await store.close();
  return all;
}

/**
 * The baseline: the same file streamed and split the same way, each line decoded and JSON.parse'd
 * and nothing else (no hashing, no canonical check, no fold). Returns the lines read.
 */
export async function parseOnly(file: string): Promise<number> {
  let lines = 0;
  let rest: Buffer | undefined;
  const parse = (buffer: Buffer, start: number, end: number) => {
    JSON.parse(buffer.toString('utf8', start, end));
    lines++;
  };
  for await (const chunk of createReadStream(file, {
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    let start = 0;
    let end = chunk.indexOf(0x0a);
    if (rest !== undefined) {
      if (end === -1) {
        rest = Buffer.concat([rest, chunk]);
        continue;
      }
      const line = Buffer.concat([rest, chunk.subarray(0, end)]);
      parse(line, 0, line.length);
      start = end + 1;
      end = chunk.indexOf(0x0a, start);
    }
    for (; end !== -1; end = chunk.indexOf(0x0a, start)) {
      parse(chunk, start, end);
      start = end + 1;
    }
    rest = start < chunk.length ? chunk.subarray(start) : undefined;
  }
  return lines;
}

/** Verifies the export at `file` `rounds` times; the best round's rate. */
export async function measureAuditVerify(
  file: string,
  rounds: number,
): Promise<AuditVerifyMeasure> {
  let best = Infinity;
  let baseline = Infinity;
  let report: Awaited<ReturnType<typeof verifyExportFile>> | undefined;
  for (let round = 0; round < rounds; round++) {
    const parseStarted = performance.now();
    await parseOnly(file);
    baseline = Math.min(baseline, performance.now() - parseStarted);
    const started = performance.now();
    report = await verifyExportFile(file);
    best = Math.min(best, performance.now() - started);
    if (!report.ok)
      throw new Error(`the generated export does not verify: ${report.findings[0]?.message}`);
  }
  const events = report?.records ?? 0;
  return {
    events,
    fileBytes: statSync(file).size,
    ms: best,
    eventsPerSecond: (events * 1000) / best,
    plans: report?.plans.length ?? 0,
    parseOnlyMs: baseline,
    parseOnlyEventsPerSecond: (events * 1000) / baseline,
  };
}
