/**
 * Tolerant readers for recorded event data and metadata. Folds must never throw on an event, so a
 * malformed field reads as absent instead of failing the whole projection.
 */
import type { RecordedEvent } from '../eventStore/port';
import type { Contribution, PledgeLine } from '../domain/shared/pledgeLine';

export type Fields = Readonly<Record<string, unknown>>;

const NO_FIELDS: Fields = Object.freeze({});

export const NO_LINES: readonly PledgeLine[] = Object.freeze([]);

export function fieldsOf(value: unknown): Fields {
  return typeof value === 'object' && value !== null ? (value as Fields) : NO_FIELDS;
}

export function stringField(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(fields: Fields, name: string): number | undefined {
  const value = fields[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function stringListField(fields: Fields, name: string): readonly string[] {
  const value = fields[name];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string');
}

function isLine(value: unknown): value is PledgeLine {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { persons?: unknown }).persons === 'number' &&
    typeof (value as { admissionType?: unknown }).admissionType === 'string'
  );
}

/** The event's own array when every line is well formed (the normal case: no copy), else the well-formed ones. */
export function linesOf(value: unknown): readonly PledgeLine[] {
  if (!Array.isArray(value)) return NO_LINES;
  const items = value as readonly unknown[];
  return items.every(isLine) ? items : items.filter(isLine);
}

export function contributionsOf(value: unknown): readonly Contribution[] {
  if (!Array.isArray(value)) return [];
  const contributions: Contribution[] = [];
  for (const item of value as readonly unknown[]) {
    const fields = fieldsOf(item);
    const memberState = stringField(fields, 'memberState');
    if (memberState === undefined) continue;
    const lines = linesOf(fields['lines']);
    contributions.push(lines === fields['lines'] ? (item as Contribution) : { memberState, lines });
  }
  return contributions;
}

export interface EventActor {
  readonly id: string;
  readonly role: string;
  readonly memberState?: string;
}

const UNKNOWN_ACTOR: EventActor = Object.freeze({ id: 'unknown', role: 'unknown' });

export function actorOf(event: RecordedEvent): EventActor {
  const fields = fieldsOf(event.metadata['actor']);
  const id = stringField(fields, 'id');
  const role = stringField(fields, 'role');
  if (id === undefined || role === undefined) return UNKNOWN_ACTOR;
  const memberState = stringField(fields, 'memberState');
  return memberState === undefined ? { id, role } : { id, role, memberState };
}

export function recordedAtOf(event: RecordedEvent): string {
  return stringField(event.metadata, 'recordedAt') ?? '';
}
