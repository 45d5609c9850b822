/**
 * Every event type the tracker records, with its current schema version, its schema, and the
 * upcasters that turn each older stored shape into the next. Stored events are never rewritten:
 * an event written by an earlier release is decoded here, on read, into today's shape.
 */
import { z } from 'zod';
import { contributionsSchema, countryCodeSchema, linesSchema } from './shared/pledgeLine';
import { splitAssociatedStates } from './shared/lineValidation';
import {
  planAdoptedSchema,
  planAmendedSchema,
  planProposedSchema,
  pledgingClosedSchema,
  pledgingOpenedSchema,
  unionPlanCreatedSchema,
  type UnionPlanEvent,
} from './unionPlan/unionPlanEvents';
import {
  pledgeRevisedSchema,
  pledgeSubmittedSchema,
  pledgeWithdrawnSchema,
  type PledgeEvent,
} from './pledge/pledgeEvents';
import {
  implementationReportCorrectedSchema,
  implementationReportSubmittedSchema,
  type ImplementationReportEvent,
} from './implementation/implementationReportEvents';

export type TrackerEvent = UnionPlanEvent | PledgeEvent | ImplementationReportEvent;
export type TrackerEventType = TrackerEvent['type'];
type DataOf<T extends TrackerEventType> = Extract<TrackerEvent, { type: T }>['data'];

interface EventSchema<T extends TrackerEventType> {
  /** The version events of this type are written with today. */
  readonly version: number;
  readonly schema: z.ZodType<DataOf<T>>;
  /** `upcasters[v]` reads a stored version-v shape and returns the version v+1 shape. */
  readonly upcasters: Readonly<Record<number, z.ZodType>>;
}

// ---- Release 1 shapes (schema version 1) and their upcasts to version 2 ----

// Release 1 kept the associated states (Art. 12) inside the plan's contributions; version 2 keeps
// them beside, outside every plan figure (splitAssociatedStates).
const planIdV1 = z.string();

/** v1 carried a per-plan resettlement floor; the 60 % is the law's (Art. 8(3)(a)), so v2 drops it. */
const unionPlanCreatedV1 = z
  .strictObject({
    planId: planIdV1,
    periodStart: z.string(),
    periodEnd: z.string(),
    resettlementFloorPercent: z.number(),
    priorityCountries: z.array(z.string()),
    priorityRegions: z.array(z.string()),
  })
  .transform(({ resettlementFloorPercent: _law, ...rest }) => ({ ...rest, regions: [] }));

const contributionsV1 = contributionsSchema;

const planProposedV1 = z
  .strictObject({
    planId: planIdV1,
    reference: z.string(),
    proposedOn: z.string(),
    contributions: contributionsV1,
  })
  .transform(({ contributions, ...rest }) => ({
    ...rest,
    ...splitAssociatedStates(contributions),
  }));

const planAdoptedV1 = z
  .strictObject({
    planId: planIdV1,
    actReference: z.string(),
    adoptedOn: z.string(),
    contributions: contributionsV1,
  })
  .transform(({ contributions, ...rest }) => ({
    ...rest,
    ...splitAssociatedStates(contributions),
  }));

const planAmendedV1 = z
  .strictObject({
    planId: planIdV1,
    actReference: z.string(),
    adoptedOn: z.string(),
    reason: z.string(),
    addPriorityCountries: z.array(z.string()),
    addPriorityRegions: z.array(z.string()),
    contributions: contributionsV1,
  })
  .transform(({ contributions, ...rest }) => ({
    ...rest,
    addRegions: [],
    ...splitAssociatedStates(contributions),
  }));

/**
 * v1 said only whether a change came after adoption: release 1 froze pledges between closing and
 * adoption, so every other v1 change was made while pledging was open.
 */
const pledgeV1Common = {
  planId: planIdV1,
  memberState: countryCodeSchema,
  afterAdoption: z.boolean(),
};
const toPlanStatus = <T extends { afterAdoption: boolean }>({ afterAdoption, ...rest }: T) => ({
  ...rest,
  planStatus: afterAdoption ? ('adopted' as const) : ('pledging_open' as const),
});
const pledgeSubmittedV1 = z
  .strictObject({ ...pledgeV1Common, lines: linesSchema })
  .transform(toPlanStatus);
const pledgeRevisedV1 = z
  .strictObject({ ...pledgeV1Common, lines: linesSchema, reason: z.string() })
  .transform(toPlanStatus);
const pledgeWithdrawnV1 = z
  .strictObject({ ...pledgeV1Common, reason: z.string() })
  .transform(toPlanStatus);

export const EVENT_SCHEMAS: { readonly [T in TrackerEventType]: EventSchema<T> } = {
  UnionPlanCreated: {
    version: 2,
    schema: unionPlanCreatedSchema,
    upcasters: { 1: unionPlanCreatedV1 },
  },
  PledgingOpened: { version: 1, schema: pledgingOpenedSchema, upcasters: {} },
  PledgingClosed: { version: 1, schema: pledgingClosedSchema, upcasters: {} },
  PlanProposed: { version: 2, schema: planProposedSchema, upcasters: { 1: planProposedV1 } },
  PlanAdopted: { version: 2, schema: planAdoptedSchema, upcasters: { 1: planAdoptedV1 } },
  PlanAmended: { version: 2, schema: planAmendedSchema, upcasters: { 1: planAmendedV1 } },
  PledgeSubmitted: {
    version: 2,
    schema: pledgeSubmittedSchema,
    upcasters: { 1: pledgeSubmittedV1 },
  },
  PledgeRevised: { version: 2, schema: pledgeRevisedSchema, upcasters: { 1: pledgeRevisedV1 } },
  PledgeWithdrawn: {
    version: 2,
    schema: pledgeWithdrawnSchema,
    upcasters: { 1: pledgeWithdrawnV1 },
  },
  ImplementationReportSubmitted: {
    version: 1,
    schema: implementationReportSubmittedSchema,
    upcasters: {},
  },
  ImplementationReportCorrected: {
    version: 1,
    schema: implementationReportCorrectedSchema,
    upcasters: {},
  },
};

export const TRACKER_EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as readonly TrackerEventType[];

export function isTrackerEventType(type: string): type is TrackerEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, type);
}

/** The schema version an event of this type is written with today. */
export function currentSchemaVersion(type: TrackerEventType): number {
  return EVENT_SCHEMAS[type].version;
}

/** A stored event that is not one of ours in any known version: the read side stops on it. */
export class EventDecodeError extends Error {
  override readonly name = 'EventDecodeError';
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
    readonly problem: string,
  ) {
    super(`${type} (schema version ${schemaVersion}): ${problem}`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Decodes stored data of a known type and schema version into today's event: each upcaster in
 * turn from the stored version, then today's schema. Throws `EventDecodeError`, never skips.
 */
export function decodeEvent(type: string, schemaVersion: number, data: unknown): TrackerEvent {
  if (!isTrackerEventType(type)) {
    throw new EventDecodeError(type, schemaVersion, 'not an event type this release knows');
  }
  const entry: {
    readonly version: number;
    readonly schema: z.ZodType;
    readonly upcasters: Readonly<Record<number, z.ZodType>>;
  } = EVENT_SCHEMAS[type];
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > entry.version) {
    throw new EventDecodeError(
      type,
      schemaVersion,
      `this release reads schema versions 1 to ${entry.version}`,
    );
  }
  let current: unknown = data;
  for (let version = schemaVersion; version < entry.version; version++) {
    const upcaster = entry.upcasters[version];
    if (upcaster === undefined) {
      throw new EventDecodeError(type, schemaVersion, `no upcaster from version ${version}`);
    }
    const upcast = upcaster.safeParse(current);
    if (!upcast.success) {
      throw new EventDecodeError(type, schemaVersion, describeIssues(upcast.error));
    }
    current = upcast.data;
  }
  const parsed = entry.schema.safeParse(current);
  if (!parsed.success) {
    throw new EventDecodeError(type, schemaVersion, describeIssues(parsed.error));
  }
  return { type, data: parsed.data } as TrackerEvent;
}
