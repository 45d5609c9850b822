/**
 * Validators compiled from the domain's zod schemas, for the read side's hot path. A rebuild
 * decodes every event of the log; zod builds a fresh copy of each one, which costs as much again
 * as reading it from the store. The same schemas, turned into JSON Schema by zod and compiled by
 * Ajv, check an event in place instead. They only ever accelerate: whatever they refuse, or cannot
 * express, goes to zod, which then decides; a refinement in an event schema carries its JSON
 * Schema equivalent in `.meta()`, and a test holds the two to the same verdicts.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { EVENT_SCHEMAS, type TrackerEventType } from '../domain/events';
import { eventMetadataSchema } from '../domain/shared/messages';

// Draft 7 rather than 2020-12: the schemas use nothing 2020-12 adds, and Ajv's 2020-12 code tracks
// evaluated properties and dynamic anchors on every call, which costs about as much as the checks.
// No messages: a refusal only sends the event to zod, which explains it.
const ajvOptions = { logger: false, strict: false, allErrors: false, messages: false } as const;
/** Lengths in code points, as zod counts them: Ajv walks every string to count them. */
const countingCodePoints = new Ajv(ajvOptions);
/**
 * Lengths in UTF-16 units, which Ajv reads without walking the string. A string has at least as
 * many units as code points, so a `maxLength` in units refuses whatever zod refuses (and sends a
 * string of astral characters over the limit in units to zod, which decides), and a `minLength`
 * of at most 1 (non-empty) means the same in both. Used only for schemas with no longer minimum.
 */
const countingUnits = new Ajv({ ...ajvOptions, unicode: false });

/** A compiled check, or undefined when the schema has a part JSON Schema cannot express. */
export function compileValidator(schema: z.ZodType): ValidateFunction | undefined {
  let jsonSchema: Record<string, unknown>;
  try {
    jsonSchema = z.toJSONSchema(schema, {
      unrepresentable: 'throw',
      io: 'output',
      target: 'draft-07',
    });
  } catch {
    return undefined;
  }
  const ajv = largestMinLength(jsonSchema) <= 1 ? countingUnits : countingCodePoints;
  try {
    return ajv.compile(jsonSchema);
  } catch {
    return undefined;
  }
}

/** The largest `minLength` anywhere in a JSON Schema (0 when none). */
export function largestMinLength(schema: unknown): number {
  if (Array.isArray(schema)) {
    return schema.reduce((largest: number, item) => Math.max(largest, largestMinLength(item)), 0);
  }
  if (schema === null || typeof schema !== 'object') return 0;
  let largest = 0;
  for (const [key, value] of Object.entries(schema)) {
    const here = key === 'minLength' && typeof value === 'number' ? value : 0;
    largest = Math.max(largest, here, largestMinLength(value));
  }
  return largest;
}

export const metadataValidator = compileValidator(eventMetadataSchema);

export interface CurrentValidator {
  /** Today's schema version of the type. */
  readonly version: number;
  readonly validate: ValidateFunction;
}

/** Today's schema of each event type, compiled; keyed by the stored type name. */
export const currentDataValidators: ReadonlyMap<string, CurrentValidator> = new Map(
  (Object.keys(EVENT_SCHEMAS) as TrackerEventType[]).flatMap((type) => {
    const validate = compileValidator(EVENT_SCHEMAS[type].schema);
    return validate === undefined
      ? []
      : [[type, { version: EVENT_SCHEMAS[type].version, validate }] as const];
  }),
);
