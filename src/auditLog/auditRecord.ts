/**
 * An event of the log as the audit export writes it, and the leaf input of the Merkle tree: the
 * UTF-8 bytes of the RFC 8785 canonical JSON of this record. One function makes it for the store
 * (when it appends the leaf), the server (when it exports) and the verifier (when it recomputes),
 * so the three cannot drift apart.
 */
import { canonicalJson } from './canonicalJson';
import { leafHash } from './merkleTree';

/** One line of the audit export: everything the log holds about one event. */
export interface AuditRecord {
  /** The event's global position in the log. */
  readonly position: number;
  readonly stream: string;
  /** The stream's version once this event was appended (1 for the first). */
  readonly version: number;
  /** The event's unique id. */
  readonly id: string;
  readonly type: string;
  /** The schema version it was stored with (release 1 wrote none: 1). */
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** When the tracker recorded it (from its metadata), or null for an event that carries none. */
  readonly recordedAt: string | null;
}

/** The fields of a stored event the record is made of (the port's `RecordedEvent` has them all). */
export interface LoggedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export function auditRecord(event: LoggedEvent): AuditRecord {
  const schemaVersion = event.metadata['schemaVersion'];
  const recordedAt = event.metadata['recordedAt'];
  return {
    position: event.globalPosition,
    stream: event.streamId,
    version: event.streamVersion,
    id: event.id,
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: event.data,
    metadata: event.metadata,
    recordedAt: typeof recordedAt === 'string' ? recordedAt : null,
  };
}

/** The record's canonical JSON: one export line, and (as UTF-8) the leaf input. */
export function auditRecordLine(event: LoggedEvent): string {
  return canonicalJson(auditRecord(event));
}

/** RFC 9162 leaf hash of the event: H(0x00 || UTF-8(JCS(record))). */
export function eventLeafHash(event: LoggedEvent): Uint8Array {
  return leafHash(Buffer.from(auditRecordLine(event), 'utf8'));
}

/** The record an export line holds, read back for the verifier: undefined if it is not one. */
export function parseAuditRecord(value: unknown): AuditRecord | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  const metadata = r['metadata'];
  const ok =
    Number.isSafeInteger(r['position']) &&
    typeof r['stream'] === 'string' &&
    Number.isSafeInteger(r['version']) &&
    typeof r['id'] === 'string' &&
    typeof r['type'] === 'string' &&
    Number.isSafeInteger(r['schemaVersion']) &&
    'data' in r &&
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    (r['recordedAt'] === null || typeof r['recordedAt'] === 'string');
  return ok ? (value as AuditRecord) : undefined;
}

/** The stored event a record describes (the inverse of `auditRecord`), for folding with projections. */
export function loggedEventOf(record: AuditRecord): LoggedEvent {
  return {
    id: record.id,
    streamId: record.stream,
    streamVersion: record.version,
    globalPosition: record.position,
    type: record.type,
    data: record.data,
    metadata: record.metadata,
  };
}
