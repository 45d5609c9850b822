/**
 * The validators compiled from the event schemas only ever accelerate zod: whatever they accept,
 * zod accepts (so the read side never takes an event zod would refuse), and today's events, as the
 * deciders write them, take the fast path (so a rebuild does not silently fall back to zod).
 */
import { EVENT_SCHEMAS, type TrackerEventType } from '../../src/domain/events';
import { eventMetadataSchema } from '../../src/domain/shared/messages';
import { z } from 'zod';
import {
  compileValidator,
  currentDataValidators,
  largestMinLength,
  metadataValidator,
} from '../../src/events/fastValidators';
import { decodeRecordedEvent, UndecodableEventError } from '../../src/events/trackerRecordedEvent';

const LINE = { admissionType: 'resettlement', hostCountry: 'TR', persons: 100 };
const GROUP_LINE = {
  admissionType: 'humanitarian_admission',
  hostCountries: ['EG', 'KE'],
  persons: 40,
  year: 2026,
  targetGroups: ['women_and_girls_at_risk'],
  note: 'Sudanese and Eritreans from Egypt and/or Kenya',
};
const REGION_LINE = { admissionType: 'resettlement', planRegion: 'latin_america', persons: 30 };
const EMERGENCY_LINE = {
  admissionType: 'emergency_admission',
  emergencyBasis: 'resettlement',
  persons: 20,
};
const LINES = [LINE, GROUP_LINE, REGION_LINE, EMERGENCY_LINE];
const CONTRIBUTIONS = [{ memberState: 'DE', lines: LINES }];
const REGION = { id: 'latin_america', name: 'Latin America', countries: ['CO', 'CR'] };

/** One valid event of each type, today's shape, with every optional part present. */
const VALID: { readonly [T in TrackerEventType]: Record<string, unknown> } = {
  UnionPlanCreated: {
    planId: '2026-2027',
    periodStart: '2026-01-01',
    periodEnd: '2027-12-31',
    priorityCountries: ['EG', 'TR'],
    priorityRegions: ['americas'],
    regions: [REGION],
  },
  PledgingOpened: { planId: '2026-2027', deadline: '2025-10-31' },
  PledgingClosed: { planId: '2026-2027' },
  PlanProposed: {
    planId: '2026-2027',
    reference: 'COM(2025) 000',
    proposedOn: '2025-11-11',
    contributions: CONTRIBUTIONS,
    associatedStates: [{ memberState: 'NO', lines: [LINE] }],
  },
  PlanAdopted: {
    planId: '2026-2027',
    actReference: 'Council Implementing Decision (EU) 2025/2628',
    adoptedOn: '2025-12-18',
    contributions: CONTRIBUTIONS,
    associatedStates: [],
  },
  PlanAmended: {
    planId: '2026-2027',
    actReference: 'Council Implementing Decision (EU) 2026/1',
    adoptedOn: '2026-04-20',
    reason: 'Chad added',
    addPriorityCountries: ['TD'],
    addPriorityRegions: [],
    addRegions: [REGION],
    contributions: CONTRIBUTIONS,
    associatedStates: [],
  },
  PledgeSubmitted: {
    planId: '2026-2027',
    memberState: 'DE',
    lines: LINES,
    planStatus: 'pledging_open',
  },
  PledgeRevised: {
    planId: '2026-2027',
    memberState: 'DE',
    lines: LINES,
    reason: 'More places',
    planStatus: 'proposed',
  },
  PledgeWithdrawn: {
    planId: '2026-2027',
    memberState: 'DE',
    reason: 'No capacity',
    planStatus: 'adopted',
  },
  ImplementationReportSubmitted: {
    planId: '2026-2027',
    memberState: 'DE',
    month: '2026-03',
    admissions: [
      {
        ...LINE,
        vulnerablePersons: 10,
        familyMembers: 5,
        bySex: { female: 60, male: 40, nonBinary: 0 },
        byAgeBand: { under18: 30, from18To60: 65, over60: 5 },
      },
      EMERGENCY_LINE,
    ],
    procedure: {
      registered: 40,
      positiveConclusions: 30,
      negativeConclusions: 2,
      discontinued: 1,
      openBeyond7Months: 3,
      openBeyond10Months: 1,
      emergencyConcludedBeyond1Month: 0,
      enteredBeyond12Months: 0,
    },
    onBehalf: false,
  },
  ImplementationReportCorrected: {
    planId: '2026-2027',
    memberState: 'DE',
    month: '2026-03',
    admissions: [],
    onBehalf: true,
    reason: 'Counted twice',
  },
};

const METADATA = {
  actor: { id: 'de-ministry', role: 'member_state', memberState: 'DE' },
  recordedAt: '2025-09-15T09:30:00.000Z',
  reason: 'More places',
  correlationId: 'c',
  causationId: 'c',
  idempotencyKey: 'k',
  schemaVersion: 2,
};

/** A small deterministic generator, so a failure names a case that can be replayed. */
function randomFrom(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

const ODD_VALUES: readonly unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x'.repeat(2001),
  '😀'.repeat(40),
  'tr',
  'TUR',
  0,
  -1,
  1.5,
  2 ** 53,
  Number.MAX_VALUE,
  true,
  [],
  {},
  ['EG'],
  ['EG', 'eg'],
  'latin_america',
  'Latin America',
  '2026-2027',
  'resettlement',
  { admissionType: 'resettlement', persons: 1 },
];

/** Paths to every value inside a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return [prefix, ...value.flatMap((item, index) => paths(item, [...prefix, index]))];
  }
  if (value !== null && typeof value === 'object') {
    return [
      prefix,
      ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key])),
    ];
  }
  return [prefix];
}

/** A copy with the value at `path` replaced (undefined: removed), or a key added beside it. */
function mutated(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy: unknown = structuredClone(value);
  if (path.length === 0) return replacement;
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return copy;
    parent = (parent as Record<string | number, unknown>)[key];
  }
  if (parent === null || typeof parent !== 'object') return copy;
  const last = path[path.length - 1] as string | number;
  const target = parent as Record<string | number, unknown>;
  if (replacement === undefined) delete target[last];
  else target[last] = replacement;
  return copy;
}

const TYPES = Object.keys(EVENT_SCHEMAS) as TrackerEventType[];

describe('validators compiled from the event schemas', () => {
  it('exist for every event type and for the metadata', () => {
    expect([...currentDataValidators.keys()].sort()).toEqual([...TYPES].sort());
    expect(metadataValidator).toBeDefined();
  });

  it.each(TYPES)('take a valid %s on the fast path, as zod does', (type) => {
    expect(EVENT_SCHEMAS[type].schema.safeParse(VALID[type]).success).toBe(true);
    expect(currentDataValidators.get(type)?.validate(VALID[type])).toBe(true);
  });

  it('take valid metadata, as zod does', () => {
    expect(eventMetadataSchema.safeParse(METADATA).success).toBe(true);
    expect(metadataValidator?.(METADATA)).toBe(true);
  });

  it.each(TYPES)('never accept a %s that zod refuses, over thousands of mutations', (type) => {
    const random = randomFrom(TYPES.indexOf(type) + 1);
    const valid = VALID[type];
    const places = paths(valid);
    const validate = currentDataValidators.get(type)?.validate;
    let refusedByZod = 0;
    for (let round = 0; round < 3_000; round++) {
      let candidate: unknown = valid;
      const changes = 1 + Math.floor(random.next() * 2);
      for (let change = 0; change < changes; change++) {
        const place = random.pick(places);
        const extraKey = random.next() < 0.15;
        candidate = extraKey
          ? mutated(
              candidate,
              [...place, random.pick(['hostCountry', 'planRegion', 'hostCountries', 'extra'])],
              random.pick(ODD_VALUES.filter((v) => v !== undefined)),
            )
          : mutated(candidate, place, random.pick(ODD_VALUES));
      }
      const zodAccepts = EVENT_SCHEMAS[type].schema.safeParse(candidate).success;
      if (!zodAccepts) refusedByZod++;
      if (validate?.(candidate) === true) {
        expect({ candidate, zodAccepts }).toEqual({ candidate, zodAccepts: true });
      }
    }
    // The mutations do reach refusals, so the property is not vacuous.
    expect(refusedByZod).toBeGreaterThan(1_000);
  });

  it("refuse a line naming two hosts, as the schema's refinement does", () => {
    const twoHosts = {
      ...VALID.PledgeSubmitted,
      lines: [{ ...LINE, planRegion: 'latin_america' }],
    };
    expect(EVENT_SCHEMAS.PledgeSubmitted.schema.safeParse(twoHosts).success).toBe(false);
    expect(currentDataValidators.get('PledgeSubmitted')?.validate(twoHosts)).toBe(false);
  });

  it.each([
    ['1,001 emoji (2,002 UTF-16 units)', 1001, true],
    ['2,001 emoji', 2001, false],
  ])('count lengths as zod does, in code points: a reason of %s', (_what, count, accepted) => {
    const data = { ...VALID.PledgeWithdrawn, reason: '😀'.repeat(count) };
    expect(EVENT_SCHEMAS.PledgeWithdrawn.schema.safeParse(data).success).toBe(accepted);
    // Over the limit in UTF-16 units the compiled check leaves the verdict to zod.
    const recorded = {
      id: 'e1',
      streamId: 'pledge-2026-2027-DE',
      streamVersion: 1,
      globalPosition: 1,
      type: 'PledgeWithdrawn',
      data,
      metadata: { ...METADATA, schemaVersion: EVENT_SCHEMAS.PledgeWithdrawn.version },
    };
    if (accepted) expect(decodeRecordedEvent(recorded).data).toEqual(data);
    else expect(() => decodeRecordedEvent(recorded)).toThrow(UndecodableEventError);
  });

  it('count a minimum length above 1 in code points, never in UTF-16 units', () => {
    const twoCharacters = compileValidator(z.object({ code: z.string().min(2) }));
    const nonEmpty = compileValidator(z.object({ code: z.string().min(1).max(2) }));
    // One astral character is two units but one code point: too short for zod.
    expect(z.string().min(2).safeParse('😀').success).toBe(false);
    expect(twoCharacters?.({ code: '😀' })).toBe(false);
    expect(twoCharacters?.({ code: 'ab' })).toBe(true);
    expect(nonEmpty?.({ code: '' })).toBe(false);
    expect(nonEmpty?.({ code: 'a' })).toBe(true);
    expect(largestMinLength({ properties: { a: { minLength: 3 }, b: { minLength: 1 } } })).toBe(3);
    expect(largestMinLength({ items: [{ maxLength: 3 }] })).toBe(0);
  });
});
