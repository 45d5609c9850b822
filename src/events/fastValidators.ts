/**
 * Validators compiled from the domain's zod schemas, for the read side's hot path. A rebuild
 * decodes every event of the log; zod builds a fresh copy of each one, which costs as much again
 * as reading it from the store. The same schemas, turned into JSON Schema by zod and compiled by
 * Ajv, check an event in place instead. They only ever accelerate: whatever they refuse, or cannot
 * express, goes to zod, which then decides; a refinement in an event schema carries its JSON
 * Schema equivalent in `.meta()`, and a test holds the two to the same verdicts.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { z } from 'zod';
import { EVENT_SCHEMAS, type TrackerEventType } from '../domain/events';
import { eventMetadataSchema } from '../domain/shared/messages';

// Lengths in code points, as zod counts them.
const ajv = new Ajv2020({ logger: false, strict: false, allErrors: false });

/** A compiled check, or undefined when the schema has a part JSON Schema cannot express. */
function compileValidator(schema: z.ZodType): ValidateFunction | undefined {
  try {
    return ajv.compile(z.toJSONSchema(schema, { unrepresentable: 'throw', io: 'output' }));
  } catch {
    return undefined;
  }
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
