/**
 * Stored events are never rewritten: an event written by release 1 (schema version 1) is decoded on
 * read into today's shape. The version-1 data below is copied literally from what release 1 wrote
 * (test/fixtures/store-v1.db), so these tests pin the upcasts against real stored shapes.
 */
import {
  EVENT_SCHEMAS,
  EventDecodeError,
  TRACKER_EVENT_TYPES,
  currentSchemaVersion,
  decodeEvent,
  isTrackerEventType,
  type TrackerEvent,
} from '../../src/domain/events';
import type { RecordedEvent } from '../../src/eventStore/port';
import {
  UndecodableEventError,
  decodeRecordedEvent,
  storedSchemaVersion,
} from '../../src/events/trackerRecordedEvent';
import { pledgeDecider } from '../../src/domain/pledge/pledge';
import { unionPlanDecider } from '../../src/domain/unionPlan/unionPlan';
import {
  DEFAULT_CONTRIBUTIONS,
  aContribution,
  aLine,
  anEmergencyLine,
  aPlanAdopted,
  aPlanAmended,
  aPlanCreated,
  aPlanProposed,
  aPlanRegion,
  aPledgeRevised,
  aPledgeSubmitted,
  aPledgeWithdrawn,
  aPledgingClosed,
  aPledgingOpened,
  createPlan,
  foldPlan,
  foldPledge,
  openPledging,
  planEventsAt,
  planEventsWithRegions,
  planStateAt,
  recordAdoption,
  recordAmendment,
  recordProposal,
  revisePledge,
  submitPledge,
  withdrawPledge,
} from './builders';

// ---- Release 1 data, as stored ----

const V1_LINES_FR = [
  { admissionType: 'resettlement', hostCountry: 'LB', persons: 300 },
  { admissionType: 'resettlement', hostCountry: 'KZ', persons: 40 },
  {
    admissionType: 'humanitarian_admission',
    hostCountry: 'TR',
    persons: 100,
    targetGroups: ['medical_needs'],
  },
];
const V1_CONTRIBUTIONS = [
  {
    memberState: 'DE',
    lines: [
      { admissionType: 'resettlement', hostCountry: 'TR', persons: 600, year: 2026 },
      { admissionType: 'emergency_admission', persons: 50, emergencyBasis: 'resettlement' },
    ],
  },
  { memberState: 'FR', lines: V1_LINES_FR },
  {
    memberState: 'NO',
    lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 120 }],
  },
  {
    memberState: 'SE',
    lines: [{ admissionType: 'resettlement', hostCountry: 'SD', persons: 200 }],
  },
];

// The same figures in today's shape.
const germany = aContribution('DE', [
  aLine({ persons: 600, year: 2026 }),
  anEmergencyLine({ persons: 50 }),
]);
const linesFr = [
  aLine({ hostCountry: 'LB', persons: 300 }),
  aLine({ hostCountry: 'KZ', persons: 40 }),
  aLine({ admissionType: 'humanitarian_admission', persons: 100, targetGroups: ['medical_needs'] }),
];
const france = aContribution('FR', linesFr);
const norway = aContribution('NO', [aLine({ persons: 120 })]);
const sweden = aContribution('SE', [aLine({ hostCountry: 'SD', persons: 200 })]);

/** Implementation reports, new in release 9 at version 1, with every optional part present. */
const REPORT_SUBMITTED: TrackerEvent = {
  type: 'ImplementationReportSubmitted',
  data: {
    planId: '2026-2027',
    memberState: 'DE',
    month: '2026-03',
    admissions: [
      {
        admissionType: 'humanitarian_admission',
        hostCountries: ['EG', 'KE'],
        persons: 12,
        vulnerablePersons: 5,
        familyMembers: 3,
        bySex: { female: 7, male: 5, nonBinary: 0 },
        byAgeBand: { under18: 6, from18To60: 6, over60: 0 },
      },
      { admissionType: 'emergency_admission', emergencyBasis: 'resettlement', persons: 2 },
    ],
    procedure: { registered: 20, positiveConclusions: 14, openBeyond7Months: 2 },
    onBehalf: false,
  },
};
const REPORT_CORRECTED: TrackerEvent = {
  type: 'ImplementationReportCorrected',
  data: {
    planId: '2026-2027',
    memberState: 'DE',
    month: '2026-03',
    admissions: [],
    onBehalf: true,
    reason: 'The arrivals were counted in April',
  },
};

const V1_CASES: readonly (readonly [string, string, unknown, TrackerEvent])[] = [
  [
    'UnionPlanCreated drops the per-plan floor and gains no regions',
    'UnionPlanCreated',
    {
      planId: '2026-2027',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      resettlementFloorPercent: 60,
      priorityCountries: ['EG', 'JO', 'LB', 'NE', 'SD', 'TD', 'TR'],
      priorityRegions: ['americas'],
    },
    aPlanCreated({ regions: [] }),
  ],
  [
    'PlanProposed moves Norway into associatedStates',
    'PlanProposed',
    {
      planId: '2026-2027',
      reference: 'COM(2025) 000',
      proposedOn: '2025-11-11',
      contributions: V1_CONTRIBUTIONS,
    },
    aPlanProposed({
      reference: 'COM(2025) 000',
      contributions: [germany, france, sweden],
      associatedStates: [norway],
    }),
  ],
  [
    'PlanAdopted moves Norway into associatedStates',
    'PlanAdopted',
    {
      planId: '2026-2027',
      actReference: 'Council Implementing Decision (EU) 2025/2628',
      adoptedOn: '2025-12-18',
      contributions: V1_CONTRIBUTIONS,
    },
    aPlanAdopted({ contributions: [germany, france, sweden], associatedStates: [norway] }),
  ],
  [
    'PlanAmended moves Norway into associatedStates and adds no regions',
    'PlanAmended',
    {
      planId: '2026-2027',
      actReference: 'Council Implementing Decision (EU) 2026/0001',
      adoptedOn: '2026-04-20',
      reason: 'Chad added after the Sudan crisis; Sweden adds places',
      addPriorityCountries: ['ET'],
      addPriorityRegions: [],
      contributions: [
        {
          memberState: 'SE',
          lines: [
            { admissionType: 'resettlement', hostCountry: 'SD', persons: 200 },
            { admissionType: 'resettlement', hostCountry: 'TD', persons: 60 },
          ],
        },
        { memberState: 'NO', lines: [] },
      ],
    },
    aPlanAmended({
      actReference: 'Council Implementing Decision (EU) 2026/0001',
      adoptedOn: '2026-04-20',
      reason: 'Chad added after the Sudan crisis; Sweden adds places',
      addPriorityCountries: ['ET'],
      addRegions: [],
      contributions: [
        aContribution('SE', [
          aLine({ hostCountry: 'SD', persons: 200 }),
          aLine({ hostCountry: 'TD', persons: 60 }),
        ]),
      ],
      associatedStates: [aContribution('NO', [])],
    }),
  ],
  [
    'PledgeSubmitted before adoption was made while pledging was open',
    'PledgeSubmitted',
    { planId: '2026-2027', memberState: 'FR', lines: V1_LINES_FR, afterAdoption: false },
    aPledgeSubmitted({ memberState: 'FR', lines: linesFr, planStatus: 'pledging_open' }),
  ],
  [
    'PledgeSubmitted after adoption carries the status adopted',
    'PledgeSubmitted',
    { planId: '2026-2027', memberState: 'FR', lines: V1_LINES_FR, afterAdoption: true },
    aPledgeSubmitted({ memberState: 'FR', lines: linesFr, planStatus: 'adopted' }),
  ],
  [
    'PledgeRevised before adoption was made while pledging was open',
    'PledgeRevised',
    {
      planId: '2026-2027',
      memberState: 'FR',
      lines: V1_LINES_FR,
      reason: 'Fewer places from Kazakhstan',
      afterAdoption: false,
    },
    aPledgeRevised({
      memberState: 'FR',
      lines: linesFr,
      reason: 'Fewer places from Kazakhstan',
      planStatus: 'pledging_open',
    }),
  ],
  [
    'PledgeRevised after adoption carries the status adopted',
    'PledgeRevised',
    {
      planId: '2026-2027',
      memberState: 'FR',
      lines: V1_LINES_FR,
      reason: 'Fewer places from Kazakhstan',
      afterAdoption: true,
    },
    aPledgeRevised({
      memberState: 'FR',
      lines: linesFr,
      reason: 'Fewer places from Kazakhstan',
      planStatus: 'adopted',
    }),
  ],
  [
    'PledgeWithdrawn before adoption was made while pledging was open',
    'PledgeWithdrawn',
    {
      planId: '2026-2027',
      memberState: 'IT',
      reason: 'Reception capacity needed elsewhere',
      afterAdoption: false,
    },
    aPledgeWithdrawn({
      memberState: 'IT',
      reason: 'Reception capacity needed elsewhere',
      planStatus: 'pledging_open',
    }),
  ],
  [
    'PledgeWithdrawn after adoption carries the status adopted',
    'PledgeWithdrawn',
    {
      planId: '2026-2027',
      memberState: 'IT',
      reason: 'Reception capacity needed elsewhere',
      afterAdoption: true,
    },
    aPledgeWithdrawn({
      memberState: 'IT',
      reason: 'Reception capacity needed elsewhere',
      planStatus: 'adopted',
    }),
  ],
  [
    'PledgingOpened is unchanged (version 1 is current)',
    'PledgingOpened',
    { planId: '2026-2027', deadline: '2025-10-31' },
    aPledgingOpened({ deadline: '2025-10-31' }),
  ],
  [
    'PledgingClosed is unchanged (version 1 is current)',
    'PledgingClosed',
    { planId: '2026-2027' },
    aPledgingClosed(),
  ],
  [
    'ImplementationReportSubmitted is unchanged (version 1 is current)',
    'ImplementationReportSubmitted',
    REPORT_SUBMITTED.data,
    REPORT_SUBMITTED,
  ],
  [
    'ImplementationReportCorrected is unchanged (version 1 is current)',
    'ImplementationReportCorrected',
    REPORT_CORRECTED.data,
    REPORT_CORRECTED,
  ],
];

/** One event of every type in today's shape, using what version 2 added. */
const CURRENT_EVENTS: readonly TrackerEvent[] = [
  aPlanCreated({ regions: [aPlanRegion(), aPlanRegion({ id: 'sahel', countries: ['NE', 'TD'] })] }),
  aPledgingOpened(),
  aPledgingOpened({ deadline: undefined }),
  aPledgingClosed(),
  aPlanProposed({ associatedStates: [norway] }),
  aPlanAdopted({ associatedStates: [norway] }),
  aPlanAmended({
    addRegions: [aPlanRegion({ id: 'sahel', countries: ['NE', 'TD'] })],
    contributions: [
      aContribution('DE', [aLine({ hostCountry: undefined, planRegion: 'sahel', persons: 80 })]),
    ],
    associatedStates: [aContribution('NO', [])],
  }),
  aPledgeSubmitted({
    lines: [aLine({ hostCountry: undefined, hostCountries: ['EG', 'KE'] })],
    planStatus: 'pledging_open',
  }),
  aPledgeRevised({ planStatus: 'proposed' }),
  aPledgeWithdrawn({ planStatus: 'pledging_closed' }),
  REPORT_SUBMITTED,
  REPORT_CORRECTED,
];

describe('decodeEvent: release-1 data (schema version 1) is upcast to today’s shape', () => {
  it.each(V1_CASES)('%s', (_label, type, storedData, expected) => {
    // Given data stored by release 1, When it is decoded as version 1
    const decoded = decodeEvent(type, 1, storedData);
    // Then it is today's event
    expect(decoded).toStrictEqual(expected);
  });

  it('covers every event type', () => {
    expect(new Set(V1_CASES.map(([, type]) => type))).toEqual(new Set(TRACKER_EVENT_TYPES));
  });

  it('never counts an associated state inside the upcast contributions', () => {
    const decoded = decodeEvent('PlanAdopted', 1, {
      planId: '2026-2027',
      actReference: 'Council Implementing Decision (EU) 2025/2628',
      adoptedOn: '2025-12-18',
      contributions: [
        {
          memberState: 'CH',
          lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 1 }],
        },
        {
          memberState: 'IS',
          lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 2 }],
        },
        {
          memberState: 'LI',
          lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 3 }],
        },
        {
          memberState: 'NO',
          lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 4 }],
        },
        {
          memberState: 'DE',
          lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 5 }],
        },
      ],
    });
    expect(decoded.type === 'PlanAdopted' && decoded.data.contributions).toStrictEqual([
      aContribution('DE', [aLine({ persons: 5 })]),
    ]);
    expect(
      decoded.type === 'PlanAdopted' && decoded.data.associatedStates.map((c) => c.memberState),
    ).toEqual(['CH', 'IS', 'LI', 'NO']);
  });
});

describe('decodeEvent: data in the current schema version', () => {
  it.each(CURRENT_EVENTS.map((event) => [event.type, event] as const))(
    'passes %s through unchanged',
    (type, event) => {
      expect(decodeEvent(type, currentSchemaVersion(type), event.data)).toStrictEqual(event);
    },
  );

  it('covers every event type', () => {
    expect(new Set(CURRENT_EVENTS.map((event) => event.type))).toEqual(
      new Set(TRACKER_EVENT_TYPES),
    );
  });
});

describe('decodeEvent: what it refuses, with EventDecodeError (never skipped)', () => {
  function decodeError(type: string, schemaVersion: number, data: unknown): EventDecodeError {
    try {
      decodeEvent(type, schemaVersion, data);
    } catch (error) {
      expect(error).toBeInstanceOf(EventDecodeError);
      return error as EventDecodeError;
    }
    throw new Error(`decodeEvent(${type}, ${schemaVersion}) decoded instead of throwing`);
  }

  it.each(['PledgeFrozen', 'pledgeSubmitted', 'toString', 'constructor', ''])(
    'refuses the unknown type %j',
    (type) => {
      const error = decodeError(type, 1, { planId: '2026-2027' });
      expect(error).toMatchObject({ type, schemaVersion: 1 });
      expect(error.problem).toMatch(/not an event type/);
      expect(isTrackerEventType(type)).toBe(false);
    },
  );

  it.each([
    ['PledgeSubmitted', 3],
    ['PledgingOpened', 2],
    ['UnionPlanCreated', 0],
    ['PlanAdopted', 1.5],
    ['PlanAmended', -1],
  ] as const)('refuses %s in schema version %s, which this release cannot read', (type, v) => {
    const error = decodeError(type, v, aPledgeSubmitted().data);
    expect(error).toMatchObject({ type, schemaVersion: v });
    expect(error.problem).toBe(
      `this release reads schema versions 1 to ${currentSchemaVersion(type)}`,
    );
    expect(error.message).toContain(`${type} (schema version ${v})`);
  });

  const v1Pledge = { planId: '2026-2027', memberState: 'FR', lines: V1_LINES_FR };
  it.each([
    ['no data at all', 'PledgeSubmitted', 2, null],
    ['a v2 pledge without planStatus', 'PledgeSubmitted', 2, { ...v1Pledge }],
    [
      'a v2 pledge with an unknown planStatus',
      'PledgeSubmitted',
      2,
      { ...v1Pledge, planStatus: 'frozen' },
    ],
    [
      'a release-1 pledge stored as version 2',
      'PledgeSubmitted',
      2,
      { ...v1Pledge, afterAdoption: false },
    ],
    ['a v2 pledge stored as version 1', 'PledgeSubmitted', 1, aPledgeSubmitted().data],
    [
      'a v1 pledge with afterAdoption not a boolean',
      'PledgeSubmitted',
      1,
      { ...v1Pledge, afterAdoption: 'no' },
    ],
    [
      'a v1 line with 0 persons',
      'PledgeSubmitted',
      1,
      {
        ...v1Pledge,
        lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 0 }],
        afterAdoption: false,
      },
    ],
    [
      'a v1 line with an unknown field',
      'PledgeRevised',
      1,
      {
        ...v1Pledge,
        lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 5, frozen: true }],
        reason: 'r',
        afterAdoption: false,
      },
    ],
    [
      'a v1 plan without its floor',
      'UnionPlanCreated',
      1,
      {
        planId: '2026-2027',
        periodStart: '2026-01-01',
        periodEnd: '2027-12-31',
        priorityCountries: [],
        priorityRegions: [],
      },
    ],
    [
      'a v2 plan still carrying the floor',
      'UnionPlanCreated',
      2,
      { ...aPlanCreated().data, resettlementFloorPercent: 60 },
    ],
    [
      'a v1 proposal whose contributions are not a list',
      'PlanProposed',
      1,
      {
        planId: '2026-2027',
        reference: 'COM(2025) 000',
        proposedOn: '2025-11-11',
        contributions: { DE: 600 },
      },
    ],
    [
      'a v1 amendment without addPriorityRegions',
      'PlanAmended',
      1,
      {
        planId: '2026-2027',
        actReference: 'x',
        adoptedOn: '2026-04-20',
        reason: 'r',
        addPriorityCountries: [],
        contributions: [],
      },
    ],
    [
      'a v2 plan region without countries',
      'PlanAmended',
      2,
      aPlanAmended({
        addRegions: [aPlanRegion({ countries: [] })],
      }).data,
    ],
    ['a closed round with an extra field', 'PledgingClosed', 1, { planId: '2026-2027', at: 'now' }],
    [
      'a v2 line naming a host country and a plan region',
      'PledgeSubmitted',
      2,
      aPledgeSubmitted({ lines: [aLine({ planRegion: 'central_mediterranean' })] }).data,
    ],
  ] as const)('refuses %s', (_label, type, version, data) => {
    const error = decodeError(type, version, data);
    expect(error).toMatchObject({ type, schemaVersion: version });
    expect(error.problem.length).toBeGreaterThan(0);
  });
});

describe('what the deciders decide, the schemas read back unchanged', () => {
  const sahel = aPlanRegion({ id: 'sahel', name: 'Sahel', countries: ['NE', 'TD'] });
  const withRegions = planEventsWithRegions('adopted');
  const decided: readonly (readonly [string, readonly TrackerEvent[]])[] = [
    [
      'a plan with regions',
      unionPlanDecider.decide(
        createPlan({
          priorityCountries: ['tr', 'LB'],
          priorityRegions: ['americas'],
          regions: [aPlanRegion({ name: ' Central Mediterranean ', countries: ['tn', 'ly'] })],
        }),
        foldPlan([]),
      ),
    ],
    [
      'an open round',
      unionPlanDecider.decide(
        openPledging({ deadline: '2025-10-31' }),
        foldPlan(planEventsAt('draft')),
      ),
    ],
    [
      'a proposal with an associated state',
      unionPlanDecider.decide(
        recordProposal({ contributions: [...DEFAULT_CONTRIBUTIONS, aContribution('no')] }),
        foldPlan(planEventsAt('pledging_closed')),
      ),
    ],
    ['an adoption', unionPlanDecider.decide(recordAdoption(), foldPlan(planEventsAt('proposed')))],
    [
      'an amendment adding a region and a line naming it',
      unionPlanDecider.decide(
        recordAmendment({
          addRegions: [sahel],
          contributions: [
            aContribution('DE', [aLine({ hostCountry: undefined, planRegion: 'sahel' })]),
            aContribution('CH', [aLine()]),
          ],
        }),
        foldPlan(withRegions),
      ),
    ],
    [
      'a pledge naming several host countries and a plan region',
      pledgeDecider.decide(
        submitPledge(
          [
            aLine({ hostCountry: undefined, hostCountries: ['ke', 'EG'] }),
            aLine({ hostCountry: undefined, planRegion: 'central_mediterranean' }),
            anEmergencyLine({
              emergencyBasis: 'humanitarian_admission',
              targetGroups: ['family_members'],
            }),
          ],
          { plan: foldPlan(planEventsWithRegions('pledging_open')) },
        ),
        foldPledge([]),
      ),
    ],
    [
      'a lowering revision after the proposal',
      pledgeDecider.decide(
        revisePledge([aLine({ persons: 50 })], 'Fewer places', { plan: planStateAt('proposed') }),
        foldPledge([aPledgeSubmitted()]),
      ),
    ],
    [
      'a withdrawal after adoption',
      pledgeDecider.decide(
        withdrawPledge(undefined, { plan: planStateAt('adopted') }),
        foldPledge([aPledgeSubmitted()]),
      ),
    ],
  ];

  it.each(decided)('decodes %s in the current schema version', (_label, events) => {
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(decodeEvent(event.type, currentSchemaVersion(event.type), event.data)).toStrictEqual(
        event,
      );
    }
  });
});

describe('EVENT_SCHEMAS', () => {
  it('lists the event types of the plan, pledge and implementation report streams', () => {
    expect([...TRACKER_EVENT_TYPES].sort()).toEqual([
      'ImplementationReportCorrected',
      'ImplementationReportSubmitted',
      'PlanAdopted',
      'PlanAmended',
      'PlanProposed',
      'PledgeRevised',
      'PledgeSubmitted',
      'PledgeWithdrawn',
      'PledgingClosed',
      'PledgingOpened',
      'UnionPlanCreated',
    ]);
  });

  it.each(TRACKER_EVENT_TYPES.map((type) => [type, EVENT_SCHEMAS[type].version] as const))(
    '%s (version %s) has an upcaster from every older version and none beyond',
    (type, version) => {
      const olderVersions = Array.from({ length: version - 1 }, (_, index) => index + 1);
      const upcasters = EVENT_SCHEMAS[type].upcasters;
      expect(Number.isInteger(version) && version >= 1).toBe(true);
      expect(
        Object.keys(upcasters)
          .map(Number)
          .sort((a, b) => a - b),
      ).toEqual(olderVersions);
      for (const from of olderVersions) expect(upcasters[from]).toBeDefined();
    },
  );
});

// ---- The one place stored events are decoded ----

function aRecordedEvent(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    id: '00000000-0000-4000-8000-000000000015',
    streamId: 'pledge-2026-2027-FR',
    streamVersion: 2,
    globalPosition: 15,
    type: 'PledgeRevised',
    data: {
      planId: '2026-2027',
      memberState: 'FR',
      lines: V1_LINES_FR,
      reason: 'Fewer places from Kazakhstan',
      afterAdoption: true,
    },
    metadata: {
      actor: { id: 'fr-ministry', role: 'member_state', memberState: 'FR' },
      recordedAt: '2026-03-05T10:00:00.000Z',
      reason: 'Fewer places from Kazakhstan',
      correlationId: 'corr-15',
      causationId: 'req-15',
    },
    ...overrides,
  };
}

describe('decodeRecordedEvent', () => {
  it('reads an event without metadata.schemaVersion as release 1 and upcasts it', () => {
    // Given an event as release 1 stored it
    const recorded = aRecordedEvent();
    // When it is decoded
    const decoded = decodeRecordedEvent(recorded);
    // Then it carries today's event, typed metadata and where it sits in the store
    expect(decoded).toStrictEqual({
      id: recorded.id,
      streamId: 'pledge-2026-2027-FR',
      streamVersion: 2,
      globalPosition: 15,
      metadata: recorded.metadata,
      ...aPledgeRevised({
        memberState: 'FR',
        lines: linesFr,
        reason: 'Fewer places from Kazakhstan',
        planStatus: 'adopted',
      }),
    });
    expect(storedSchemaVersion(decoded)).toBe(1);
  });

  it('reads an event written today in its own schema version', () => {
    const event = aPledgeRevised({ planStatus: 'proposed' });
    const metadata = { ...aRecordedEvent().metadata, schemaVersion: 2 };
    const decoded = decodeRecordedEvent(aRecordedEvent({ data: event.data, metadata }));
    expect({ type: decoded.type, data: decoded.data }).toStrictEqual(event);
    expect(storedSchemaVersion(decoded)).toBe(2);
    expect(decoded.metadata).toStrictEqual(metadata);
  });

  it.each([
    ['an unknown type', { type: 'PledgeFrozen' }],
    ['malformed data', { data: { planId: '2026-2027' } }],
    [
      'a schema version this release cannot read',
      { metadata: { ...aRecordedEvent().metadata, schemaVersion: 3 } },
    ],
    [
      'metadata without an actor',
      { metadata: { recordedAt: 'x', correlationId: 'c', causationId: 'c' } },
    ],
    [
      'a schema version that is not a positive whole number',
      { metadata: { ...aRecordedEvent().metadata, schemaVersion: 0 } },
    ],
  ] as const)('refuses %s, naming position, stream, version and type', (_label, overrides) => {
    // Given an event the read side cannot decode, at a known place in the store
    const recorded = aRecordedEvent({ globalPosition: 42, streamVersion: 7, ...overrides });
    // When it is decoded, Then it throws an error naming that place
    let thrown: unknown;
    try {
      decodeRecordedEvent(recorded);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UndecodableEventError);
    const error = thrown as UndecodableEventError;
    expect(error).toMatchObject({
      globalPosition: 42,
      streamId: 'pledge-2026-2027-FR',
      streamVersion: 7,
      type: recorded.type,
    });
    expect(error.message).toContain('log position 42');
    expect(error.message).toContain('stream pledge-2026-2027-FR');
    expect(error.message).toContain('version 7');
    expect(error.message).toContain(`type ${recorded.type}`);
    expect(error.problem.length).toBeGreaterThan(0);
  });
});
