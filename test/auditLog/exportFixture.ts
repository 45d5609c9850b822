/**
 * Audit exports for the verifier's tests, made with the core functions as the server makes them:
 * one `auditRecordLine` a line, then `{ treeHead, publicKey }` signed over those lines. Lines are
 * kept as an array so a test can tamper with them before they are joined into a file.
 */
import type { KeyObject } from 'node:crypto';
import { auditRecordLine } from '../../src/auditLog/auditRecord';
import { canonicalJson } from '../../src/auditLog/canonicalJson';
import { merkleTreeHash } from '../../src/auditLog/merkleTree';
import {
  generateTreeHeadKeyPair,
  publicKeyToJwk,
  signTreeHead,
  treeHead,
  type SignedTreeHead,
} from '../../src/auditLog/treeHead';
import type { RecordedEvent } from '../../src/eventStore/port';
import {
  contribution,
  createEventLog,
  emergency,
  humanitarian,
  resettlement,
} from '../projections/builders';

export const SIGNED_AT = new Date('2026-11-30T12:00:00.000Z');

export interface SigningKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function aKeyPair(): SigningKeys {
  return generateTreeHeadKeyPair();
}

/** A head signed over the first `treeSize` of `recordLines` (all of them by default). */
export function headOver(
  recordLines: readonly string[],
  keys: SigningKeys,
  treeSize = recordLines.length,
  signedAt = SIGNED_AT,
): SignedTreeHead {
  const root = merkleTreeHash(
    recordLines.slice(0, treeSize).map((line) => new Uint8Array(Buffer.from(line, 'utf8'))),
  );
  return signTreeHead(treeHead(treeSize, root, signedAt), keys.privateKey);
}

/** The export's last line. */
export function headLine(head: SignedTreeHead, publicKey: KeyObject): string {
  return canonicalJson({ treeHead: head, publicKey: publicKeyToJwk(publicKey) });
}

/** Every line of an export of `events`, head last. */
export function exportLines(events: readonly RecordedEvent[], keys: SigningKeys): string[] {
  const records = events.map(auditRecordLine);
  return [...records, headLine(headOver(records, keys), keys.publicKey)];
}

/** The file's text: every line ends with a line break, as the endpoint writes it. */
export function exportText(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * A plan from creation to adoption with three Member States' pledges and a revision: 11 events,
 * positions 1 to 11. Adopted: 600 persons, 450 of them resettlement (75 %).
 */
export function aPlanLog(): RecordedEvent[] {
  const log = createEventLog();
  log.planCreated({ priorityCountries: ['LB', 'TR'] });
  log.pledgingOpened();
  const de = [resettlement('TR', 200), humanitarian('LB', 100)];
  const fr = [resettlement('LB', 150)];
  const it = [resettlement('TR', 100), emergency('resettlement', 50)];
  log.pledgeSubmitted('DE', [resettlement('TR', 180), humanitarian('LB', 100)]);
  log.pledgeSubmitted('FR', fr);
  log.pledgeRevised('DE', de, 'More places after the budget');
  log.pledgeSubmitted('IT', it);
  log.pledgingClosed();
  const contributions = [
    contribution('DE', ...de),
    contribution('FR', ...fr),
    contribution('IT', ...it),
  ];
  log.planProposed(contributions);
  log.planAdopted(contributions);
  log.pledgeRevised('FR', [resettlement('LB', 160)], 'One more family', {
    planStatus: 'adopted',
  });
  log.pledgeRevised('IT', [resettlement('TR', 100), emergency('resettlement', 60)], 'Crisis', {
    planStatus: 'adopted',
  });
  return log.events;
}
