import { totalPersons, type Contribution } from '../../src/domain/shared/pledgeLine';
import {
  unionPlanDecider,
  type UnionPlanEvent,
  type UnionPlanState,
} from '../../src/domain/unionPlan/unionPlan';
import {
  ADOPTED_ON,
  DEFAULT_CONTRIBUTIONS,
  PLAN_ID,
  PROPOSED_ON,
  aContribution,
  aLine,
  aPlanRegion,
  anEmergencyLine,
  aPlanAdopted,
  aPlanAmended,
  aPlanCreated,
  aPlanProposed,
  aPledgingClosed,
  aPledgingOpened,
  closePledging,
  createPlan,
  foldPlan,
  openPledging,
  planEventsAt,
  planEventsWithRegions,
  planSpec,
  planStateAt,
  recordAdoption,
  recordAmendment,
  recordProposal,
  type PlanStage,
} from './builders';

const ALL_STAGES: readonly PlanStage[] = [
  'draft',
  'pledging_open',
  'pledging_closed',
  'proposed',
  'adopted',
];
const stagesExcept = (...allowed: PlanStage[]) => ALL_STAGES.filter((s) => !allowed.includes(s));

function adoptedState(state: UnionPlanState) {
  if (state.status !== 'adopted') throw new Error(`expected an adopted plan, got ${state.status}`);
  return state;
}

describe('Union plan: create (Art. 8(1))', () => {
  it('creates a plan with no priorities and no regions', () => {
    planSpec
      .given([])
      .when(createPlan())
      .then([aPlanCreated({ priorityCountries: [], priorityRegions: [], regions: [] })]);
  });

  it.each([
    ['three years', { planId: '2026-2028', periodEnd: '2028-12-31' }],
    ['one year', { planId: '2026-2027', periodEnd: '2026-12-31' }],
    ['a period not starting on 1 January', { periodStart: '2026-02-01' }],
    ['a period not ending on 31 December', { periodEnd: '2027-11-30' }],
    ['a plan id naming other years', { planId: '2027-2028' }],
    ['a plan id that is not two years', { planId: 'plan-2026' }],
    ['an impossible date', { periodEnd: '2027-02-30' }],
    ['an instant instead of a date', { periodStart: '2026-01-01T00:00:00Z' }],
  ])('refuses %s → invalid_plan_period', (_label, overrides) => {
    planSpec.given([]).when(createPlan(overrides)).then('invalid_plan_period');
  });

  it('accepts a later cycle whose id matches its years', () => {
    planSpec
      .given([])
      .when(createPlan({ planId: '2028-2029', periodStart: '2028-01-01', periodEnd: '2029-12-31' }))
      .then([
        aPlanCreated({
          planId: '2028-2029',
          periodStart: '2028-01-01',
          periodEnd: '2029-12-31',
          priorityCountries: [],
          priorityRegions: [],
        }),
      ]);
  });

  it.each([60, undefined])(
    'accepts a resettlement floor of %s, the law’s 60 %%, and does not store it (Art. 8(3)(a))',
    (floor) => {
      const [event] = planSpec
        .given([])
        .when(createPlan({ resettlementFloorPercent: floor }))
        .then([aPlanCreated({ priorityCountries: [], priorityRegions: [] })]);
      expect(event?.data).not.toHaveProperty('resettlementFloorPercent');
    },
  );

  it.each([0, 55, 59, 59.5, 61, 100, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a resettlement floor of %s: it is the law’s, not set per plan → invalid_resettlement_floor',
    (floor) => {
      planSpec
        .given([])
        .when(createPlan({ resettlementFloorPercent: floor }))
        .then('invalid_resettlement_floor', { resettlementFloorPercent: floor, floorPercent: 60 });
    },
  );

  it('canonicalises, sorts and de-duplicates priority countries and regions', () => {
    planSpec
      .given([])
      .when(
        createPlan({
          priorityCountries: [' tr', 'LB', 'lb', 'jo', 'TR'],
          priorityRegions: ['middle_east_north_africa', 'americas', 'americas'],
        }),
      )
      .then([
        aPlanCreated({
          priorityCountries: ['JO', 'LB', 'TR'],
          priorityRegions: ['americas', 'middle_east_north_africa'],
        }),
      ]);
  });

  it.each(['ZZ', 'DE', 'Turkey'])('refuses priority country %s → unknown_host_country', (code) => {
    planSpec
      .given([])
      .when(createPlan({ priorityCountries: ['TR', code] }))
      .then('unknown_host_country', { hostCountry: code });
  });

  it('refuses an unknown region → unknown_region', () => {
    planSpec
      .given([])
      .when(createPlan({ priorityRegions: ['mena'] }))
      .then('unknown_region', { region: 'mena' });
  });

  describe("the plan's own regions (Art. 8(3)(c))", () => {
    it('records regions sorted by id, names trimmed, countries canonical, sorted and unique', () => {
      planSpec
        .given([])
        .when(
          createPlan({
            regions: [
              aPlanRegion({ id: 'sahel', name: '  Sahel ', countries: ['td', 'NE', 'ne'] }),
              aPlanRegion({ countries: ['tn', 'LY'] }),
            ],
          }),
        )
        .then([
          aPlanCreated({
            priorityCountries: [],
            priorityRegions: [],
            regions: [
              aPlanRegion(),
              aPlanRegion({ id: 'sahel', name: 'Sahel', countries: ['NE', 'TD'] }),
            ],
          }),
        ]);
    });

    it.each([
      ['the same id twice', [aPlanRegion(), aPlanRegion({ name: 'Central Med again' })]],
      ['a blank name', [aPlanRegion({ name: '   ' })]],
      ['no country', [aPlanRegion({ countries: [] })]],
    ])('refuses %s → invalid_plan_region', (_label, regions) => {
      planSpec
        .given([])
        .when(createPlan({ regions }))
        .then('invalid_plan_region', { planRegion: 'central_mediterranean' });
    });

    it.each(['ZZ', 'IT'])('refuses %s in a region → unknown_host_country', (code) => {
      planSpec
        .given([])
        .when(createPlan({ regions: [aPlanRegion({ countries: ['LY', code] })] }))
        .then('unknown_host_country', { hostCountry: code });
    });

    it('folds the regions into the plan', () => {
      const state = foldPlan(planEventsWithRegions('draft'));
      expect(state.status === 'draft' && state.plan.regions).toStrictEqual([aPlanRegion()]);
    });
  });

  it('refuses to create the same plan twice → plan_already_exists', () => {
    planSpec.given([aPlanCreated()]).when(createPlan()).then('plan_already_exists');
  });
});

describe('Union plan: open pledging (Art. 11(5))', () => {
  it('opens a draft plan with a deadline given as a date', () => {
    planSpec
      .given(planEventsAt('draft'))
      .when(openPledging({ deadline: '2025-10-31' }))
      .then([aPledgingOpened({ deadline: '2025-10-31' })]);
  });

  it('opens with a deadline given as an instant with an offset', () => {
    planSpec
      .given(planEventsAt('draft'))
      .when(openPledging({ deadline: '2025-10-31T17:00:00+01:00' }))
      .then([aPledgingOpened({ deadline: '2025-10-31T17:00:00+01:00' })]);
  });

  it('opens without a deadline, recording no deadline field', () => {
    planSpec
      .given(planEventsAt('draft'))
      .when(openPledging())
      .then([{ type: 'PledgingOpened', data: { planId: PLAN_ID } }]);
  });

  it('accepts a deadline that is today as a date: it runs to the end of the day', () => {
    planSpec
      .given(planEventsAt('draft'))
      .when(openPledging({ deadline: '2025-10-31', now: '2025-10-31T22:00:00.000Z' }))
      .then([aPledgingOpened({ deadline: '2025-10-31' })]);
  });

  it.each([
    ['a past date', '2025-09-14'],
    ['a past instant', '2025-09-15T09:29:59Z'],
    ['free text', 'next Friday'],
    ['an impossible date', '2025-02-30'],
    ['an instant on an impossible date', '2026-02-30T12:00:00Z'],
  ])('refuses %s as deadline → invalid_deadline', (_label, deadline) => {
    planSpec
      .given(planEventsAt('draft'))
      .when(openPledging({ deadline, now: '2025-09-15T09:30:00.000Z' }))
      .then('invalid_deadline');
  });

  it('re-opens a closed round, and the new round has only its own deadline', () => {
    const given = planEventsAt('pledging_closed');
    planSpec
      .given(given)
      .when(openPledging())
      .then([{ type: 'PledgingOpened', data: { planId: PLAN_ID } }]);
    const reopened = foldPlan([...given, { type: 'PledgingOpened', data: { planId: PLAN_ID } }]);
    expect(reopened).toStrictEqual({ status: 'pledging_open', plan: aPlanCreated().data });
  });

  it.each(stagesExcept('draft', 'pledging_closed'))(
    'refuses to open from %s → invalid_transition',
    (status) => {
      planSpec
        .given(planEventsAt(status))
        .when(openPledging())
        .then('invalid_transition', { status, allowedFrom: ['draft', 'pledging_closed'] });
    },
  );

  it('refuses to open a plan that does not exist → plan_not_found', () => {
    planSpec.given([]).when(openPledging()).then('plan_not_found');
  });
});

describe('Union plan: close pledging', () => {
  it('closes an open round', () => {
    planSpec.given(planEventsAt('pledging_open')).when(closePledging()).then([aPledgingClosed()]);
  });

  it.each(stagesExcept('pledging_open'))('refuses to close from %s → invalid_transition', (s) => {
    planSpec.given(planEventsAt(s)).when(closePledging()).then('invalid_transition');
  });

  it('refuses to close a plan that does not exist → plan_not_found', () => {
    planSpec.given([]).when(closePledging()).then('plan_not_found');
  });
});

describe('Union plan: Commission proposal (Art. 8(1)-(2))', () => {
  const closed = planEventsAt('pledging_closed');

  it('records the proposal from a closed round, contributions normalised and sorted', () => {
    planSpec
      .given(closed)
      .when(
        recordProposal({
          contributions: [
            aContribution('fr', [aLine({ hostCountry: 'lb', persons: 300 })]),
            aContribution('DE', [aLine({ persons: 500 })]),
          ],
        }),
      )
      .then([aPlanProposed({ contributions: DEFAULT_CONTRIBUTIONS })]);
  });

  it('accepts GR for Greece and stores it as EL', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('GR')] }))
      .then([aPlanProposed({ contributions: [aContribution('EL')] })]);
  });

  it('records associated states’ indications beside the plan, outside its contributions (Art. 12)', () => {
    planSpec
      .given(closed)
      .when(
        recordProposal({
          contributions: [
            aContribution('no', [aLine({ persons: 120 })]),
            ...DEFAULT_CONTRIBUTIONS,
            aContribution('IS', [aLine({ hostCountry: 'LB', persons: 10 })]),
          ],
        }),
      )
      .then([
        aPlanProposed({
          contributions: DEFAULT_CONTRIBUTIONS,
          associatedStates: [
            aContribution('IS', [aLine({ hostCountry: 'LB', persons: 10 })]),
            aContribution('NO', [aLine({ persons: 120 })]),
          ],
        }),
      ]);
  });

  it('refuses a proposal with associated states only → proposal_without_contributions', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('NO'), aContribution('CH')] }))
      .then('proposal_without_contributions');
  });

  it("accepts a line naming one of the plan's regions", () => {
    const contributions = [
      aContribution('IT', [aLine({ hostCountry: undefined, planRegion: 'central_mediterranean' })]),
    ];
    planSpec
      .given(planEventsWithRegions('pledging_closed'))
      .when(recordProposal({ contributions }))
      .then([aPlanProposed({ contributions })]);
  });

  it('refuses a line naming a region the plan lacks → unknown_plan_region', () => {
    planSpec
      .given(planEventsWithRegions('pledging_closed'))
      .when(
        recordProposal({
          contributions: [
            aContribution('IT', [aLine({ hostCountry: undefined, planRegion: 'sahel' })]),
          ],
        }),
      )
      .then('unknown_plan_region', { memberState: 'IT', planRegion: 'sahel' });
  });

  it('refuses a proposal without contributions → proposal_without_contributions', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [] }))
      .then('proposal_without_contributions');
  });

  it('refuses Denmark, which is not bound → participant_not_bound', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('DE'), aContribution('DK')] }))
      .then('participant_not_bound', { memberState: 'DK' });
  });

  it('accepts Ireland, which is bound (participation confirmed on 31 July 2024)', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('IE')] }))
      .then([aPlanProposed({ contributions: [aContribution('IE')] })]);
  });

  it('refuses an unknown participant → unknown_member_state', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('XX')] }))
      .then('unknown_member_state');
  });

  it('refuses Greece twice, as GR and EL → duplicate_contribution', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('GR'), aContribution('EL')] }))
      .then('duplicate_contribution', { memberState: 'EL' });
  });

  it('names the Member State whose line is invalid', () => {
    planSpec
      .given(closed)
      .when(
        recordProposal({
          contributions: [aContribution('DE'), aContribution('FR', [aLine({ persons: 0 })])],
        }),
      )
      .then('invalid_pledge_line', { memberState: 'FR', line: 0 });
  });

  it('refuses a contribution without lines → empty_pledge', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('DE', [])] }))
      .then('empty_pledge', { memberState: 'DE' });
  });

  it('refuses a proposal date that is not a date → invalid_act_date', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ proposedOn: '11/11/2025' }))
      .then('invalid_act_date');
  });

  it('refuses an empty reference → reference_required', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ reference: '  ' }))
      .then('reference_required');
  });

  it.each(stagesExcept('pledging_closed'))(
    'refuses a proposal from %s → invalid_transition',
    (status) => {
      planSpec.given(planEventsAt(status)).when(recordProposal()).then('invalid_transition');
    },
  );
});

describe('Union plan: Council adoption', () => {
  const proposed = planEventsAt('proposed');

  it('defaults to the proposal’s contributions when the Council adopts it unchanged', () => {
    planSpec
      .given(proposed)
      .when(recordAdoption())
      .then([aPlanAdopted({ contributions: DEFAULT_CONTRIBUTIONS })]);
  });

  it('adopts cut contributions: 15,230 proposed → 10,430 adopted over nine Member States', () => {
    // Illustrative split: the per-Member-State annex is not public in our sources.
    const proposedFigures = {
      AT: 630,
      BE: 900,
      DE: 4000,
      ES: 1500,
      FR: 2500,
      IT: 1500,
      NL: 2000,
      PT: 1000,
      SE: 1200,
    };
    const adoptedFigures = {
      AT: 430,
      BE: 600,
      DE: 2800,
      ES: 1000,
      FR: 1700,
      IT: 1000,
      NL: 1400,
      PT: 700,
      SE: 800,
    };
    const toContributions = (figures: Record<string, number>): Contribution[] =>
      Object.entries(figures).map(([memberState, persons]) =>
        aContribution(memberState, [aLine({ persons })]),
      );
    const proposal = toContributions(proposedFigures);
    const adopted = toContributions(adoptedFigures);
    const sum = (contributions: readonly Contribution[]) =>
      contributions.reduce((total, c) => total + totalPersons(c.lines), 0);
    expect(sum(proposal)).toBe(15_230);

    const [event] = planSpec
      .given([...planEventsAt('pledging_closed'), aPlanProposed({ contributions: proposal })])
      .when(recordAdoption({ contributions: [...adopted].reverse() }))
      .then([aPlanAdopted({ contributions: adopted })]);

    expect(event?.type === 'PlanAdopted' && sum(event.data.contributions)).toBe(10_430);
    expect(event?.type === 'PlanAdopted' && event.data.contributions.length).toBe(9);
  });

  describe('associated states (Art. 12)', () => {
    const norway = aContribution('NO', [aLine({ persons: 120 })]);
    const iceland = aContribution('IS', [aLine({ hostCountry: 'LB', persons: 10 })]);
    const proposedWithNorway = [
      ...planEventsAt('pledging_closed'),
      aPlanProposed({ associatedStates: [norway] }),
    ];

    it('keeps the proposal’s associated states when the Council adopts it unchanged', () => {
      planSpec
        .given(proposedWithNorway)
        .when(recordAdoption())
        .then([aPlanAdopted({ associatedStates: [norway] })]);
    });

    it('keeps the proposal’s associated states when the adopted body names Member States only', () => {
      const cut = [aContribution('DE', [aLine({ persons: 400 })])];
      planSpec
        .given(proposedWithNorway)
        .when(recordAdoption({ contributions: cut }))
        .then([aPlanAdopted({ contributions: cut, associatedStates: [norway] })]);
    });

    it('splits the associated states the adopted body names off the contributions', () => {
      planSpec
        .given(proposedWithNorway)
        .when(recordAdoption({ contributions: [iceland, ...DEFAULT_CONTRIBUTIONS] }))
        .then([
          aPlanAdopted({ contributions: DEFAULT_CONTRIBUTIONS, associatedStates: [iceland] }),
        ]);
    });

    it('refuses an adopted body of associated states only → proposal_without_contributions', () => {
      planSpec
        .given(proposedWithNorway)
        .when(recordAdoption({ contributions: [norway] }))
        .then('proposal_without_contributions');
    });

    it('folds them beside the adopted contributions', () => {
      const state = adoptedState(
        foldPlan([...proposedWithNorway, aPlanAdopted({ associatedStates: [norway] })]),
      );
      expect(state.proposal.associatedStates).toStrictEqual([norway]);
      expect(state.associatedStates).toStrictEqual([norway]);
      expect(state.contributions).toStrictEqual(DEFAULT_CONTRIBUTIONS);
    });
  });

  it('refuses explicitly empty contributions → proposal_without_contributions', () => {
    planSpec
      .given(proposed)
      .when(recordAdoption({ contributions: [] }))
      .then('proposal_without_contributions');
  });

  it('validates adopted contributions like proposed ones', () => {
    planSpec
      .given(proposed)
      .when(recordAdoption({ contributions: [aContribution('DK')] }))
      .then('participant_not_bound');
  });

  it('refuses an adoption dated before the proposal → invalid_act_date', () => {
    planSpec
      .given(proposed)
      .when(recordAdoption({ adoptedOn: '2025-11-10' }))
      .then('invalid_act_date', { adoptedOn: '2025-11-10', proposedOn: PROPOSED_ON });
  });

  it('accepts an adoption on the day of the proposal', () => {
    planSpec
      .given(proposed)
      .when(recordAdoption({ adoptedOn: PROPOSED_ON }))
      .then([aPlanAdopted({ adoptedOn: PROPOSED_ON })]);
  });

  it('refuses an adoption date that is not a date → invalid_act_date', () => {
    planSpec
      .given(proposed)
      .when(recordAdoption({ adoptedOn: '2025-12-32' }))
      .then('invalid_act_date');
  });

  it.each(stagesExcept('proposed'))('refuses an adoption from %s → invalid_transition', (s) => {
    planSpec.given(planEventsAt(s)).when(recordAdoption()).then('invalid_transition');
  });

  it('folds into an adopted plan that keeps the proposal and dates its last act', () => {
    const state = adoptedState(planStateAt('adopted'));
    expect(state.proposal).toStrictEqual({
      reference: aPlanProposed().data.reference,
      proposedOn: PROPOSED_ON,
      contributions: DEFAULT_CONTRIBUTIONS,
      associatedStates: [],
    });
    expect(state.contributions).toStrictEqual(DEFAULT_CONTRIBUTIONS);
    expect(state.associatedStates).toStrictEqual([]);
    expect(state.lastActOn).toBe(ADOPTED_ON);
  });
});

describe('Union plan: amendment (Art. 8(6))', () => {
  const adopted = planEventsAt('adopted');

  it('refuses an amendment without a reason → reason_required', () => {
    planSpec
      .given(adopted)
      .when(recordAmendment({ reason: '   ', addPriorityCountries: ['ET'] }))
      .then('reason_required');
  });

  it('adds a priority country and region, trimming the reason', () => {
    planSpec
      .given(adopted)
      .when(
        recordAmendment({
          reason: '  Unforeseen crisis: add Ethiopia ',
          addPriorityCountries: ['et', 'TR'],
          addPriorityRegions: ['east_horn_great_lakes', 'americas'],
        }),
      )
      .then([
        aPlanAmended({
          reason: 'Unforeseen crisis: add Ethiopia',
          addPriorityCountries: ['ET'],
          addPriorityRegions: ['east_horn_great_lakes'],
        }),
      ]);
  });

  it('replaces only the contributions it names, and can add a Member State', () => {
    const contributions = [
      aContribution('DE', [aLine({ persons: 800 })]),
      aContribution('IT', [aLine({ hostCountry: 'LY', persons: 200 })]),
    ];
    planSpec
      .given(adopted)
      .when(recordAmendment({ contributions }))
      .then([aPlanAmended({ contributions })]);

    const state = adoptedState(foldPlan([...adopted, aPlanAmended({ contributions })]));
    expect(state.contributions).toStrictEqual([
      contributions[0],
      DEFAULT_CONTRIBUTIONS[1],
      contributions[1],
    ]);
  });

  it('removes a Member State named with no lines', () => {
    const removal = [aContribution('FR', [])];
    planSpec
      .given(adopted)
      .when(recordAmendment({ contributions: removal }))
      .then([aPlanAmended({ contributions: removal })]);

    const state = adoptedState(foldPlan([...adopted, aPlanAmended({ contributions: removal })]));
    expect(state.contributions.map((c) => c.memberState)).toEqual(['DE']);
  });

  it('refuses an amendment that would leave the plan without contributions', () => {
    planSpec
      .given(adopted)
      .when(
        recordAmendment({
          addPriorityCountries: ['ET'],
          contributions: [aContribution('DE', []), aContribution('FR', [])],
        }),
      )
      .then('proposal_without_contributions');
  });

  it.each([
    ['an already-present priority country', { addPriorityCountries: ['tr'] }],
    ['an already-present region', { addPriorityRegions: ['americas'] }],
    [
      'the same lines in another order and case',
      { contributions: [aContribution('fr', [aLine({ hostCountry: 'lb', persons: 300 })])] },
    ],
    ['the removal of a Member State not in the plan', { contributions: [aContribution('IT', [])] }],
    ['nothing at all', {}],
  ])('refuses an amendment adding only %s → empty_amendment', (_label, overrides) => {
    planSpec.given(adopted).when(recordAmendment(overrides)).then('empty_amendment');
  });

  it('refuses an amendment predating the adoption → invalid_act_date', () => {
    planSpec
      .given(adopted)
      .when(recordAmendment({ adoptedOn: '2025-12-17', addPriorityCountries: ['ET'] }))
      .then('invalid_act_date', { lastActOn: ADOPTED_ON });
  });

  it('refuses an amendment predating the previous amendment → invalid_act_date', () => {
    planSpec
      .given([...adopted, aPlanAmended({ adoptedOn: '2026-06-15', addPriorityCountries: ['ET'] })])
      .when(recordAmendment({ adoptedOn: '2026-06-14', addPriorityCountries: ['CO'] }))
      .then('invalid_act_date', { lastActOn: '2026-06-15' });
  });

  it('accepts an amendment on the day of the last act', () => {
    planSpec
      .given(adopted)
      .when(recordAmendment({ adoptedOn: ADOPTED_ON, addPriorityCountries: ['ET'] }))
      .then([aPlanAmended({ adoptedOn: ADOPTED_ON, addPriorityCountries: ['ET'] })]);
  });

  it('validates amended lines (an emergency line without a basis)', () => {
    planSpec
      .given(adopted)
      .when(
        recordAmendment({
          contributions: [aContribution('DE', [anEmergencyLine({ emergencyBasis: undefined })])],
        }),
      )
      .then('invalid_pledge_line', { memberState: 'DE' });
  });

  describe("the plan's own regions (Art. 8(3)(c), 8(6))", () => {
    const sahel = aPlanRegion({ id: 'sahel', name: 'Sahel', countries: ['NE', 'TD'] });
    const withCentralMed = planEventsWithRegions('adopted');

    it('adds a region, canonical, and folds it into the plan in id order', () => {
      planSpec
        .given(withCentralMed)
        .when(
          recordAmendment({
            addRegions: [aPlanRegion({ id: 'sahel', name: ' Sahel ', countries: ['td', 'ne'] })],
          }),
        )
        .then([aPlanAmended({ addRegions: [sahel] })]);
      const state = adoptedState(
        foldPlan([...withCentralMed, aPlanAmended({ addRegions: [sahel] })]),
      );
      expect(state.plan.regions).toStrictEqual([aPlanRegion(), sahel]);
    });

    it.each([
      ['an id the plan already has', [aPlanRegion({ name: 'Central Med' })]],
      ['the same id twice', [sahel, { ...sahel, name: 'Sahel again' }]],
      ['a blank name', [{ ...sahel, name: ' ' }]],
      ['no country', [{ ...sahel, countries: [] }]],
    ])('refuses a region with %s → invalid_plan_region', (_label, addRegions) => {
      planSpec
        .given(withCentralMed)
        .when(recordAmendment({ addRegions }))
        .then('invalid_plan_region', { planRegion: addRegions[0]?.id });
    });

    it('accepts a line naming the region the same amendment adds', () => {
      const contributions = [
        aContribution('DE', [aLine({ hostCountry: undefined, planRegion: 'sahel', persons: 800 })]),
      ];
      planSpec
        .given(withCentralMed)
        .when(recordAmendment({ addRegions: [sahel], contributions }))
        .then([aPlanAmended({ addRegions: [sahel], contributions })]);
    });

    it('accepts a line naming a region the plan already has', () => {
      const contributions = [
        aContribution('IT', [
          aLine({ hostCountry: undefined, planRegion: 'central_mediterranean' }),
        ]),
      ];
      planSpec
        .given(withCentralMed)
        .when(recordAmendment({ contributions }))
        .then([aPlanAmended({ contributions })]);
    });

    it('refuses a line naming a region neither the plan nor the amendment has → unknown_plan_region', () => {
      planSpec
        .given(withCentralMed)
        .when(
          recordAmendment({
            contributions: [
              aContribution('DE', [aLine({ hostCountry: undefined, planRegion: 'sahel' })]),
            ],
          }),
        )
        .then('unknown_plan_region', {
          memberState: 'DE',
          planRegion: 'sahel',
          planRegions: ['central_mediterranean'],
        });
    });
  });

  describe('associated states (Art. 12)', () => {
    const norway = aContribution('NO', [aLine({ persons: 120 })]);
    const withNorway = [...planEventsAt('proposed'), aPlanAdopted({ associatedStates: [norway] })];

    it('splits an associated state off the contributions it amends', () => {
      const germany = aContribution('DE', [aLine({ persons: 800 })]);
      const switzerland = aContribution('CH', [aLine({ hostCountry: 'JO', persons: 30 })]);
      planSpec
        .given(withNorway)
        .when(recordAmendment({ contributions: [switzerland, germany] }))
        .then([aPlanAmended({ contributions: [germany], associatedStates: [switzerland] })]);
    });

    it('replaces and removes associated states beside the plan, leaving its contributions', () => {
      // Sorted by code, as the decider stores every list of contributions.
      const amended = aPlanAmended({
        associatedStates: [aContribution('IS', [aLine({ persons: 5 })]), aContribution('NO', [])],
      });
      planSpec
        .given(withNorway)
        .when(
          recordAmendment({
            contributions: [aContribution('NO', []), aContribution('IS', [aLine({ persons: 5 })])],
          }),
        )
        .then([amended]);
      const state = adoptedState(foldPlan([...withNorway, amended]));
      expect(state.associatedStates).toStrictEqual([aContribution('IS', [aLine({ persons: 5 })])]);
      expect(state.contributions).toStrictEqual(DEFAULT_CONTRIBUTIONS);
    });

    it('refuses an associated state’s unchanged lines as the only change → empty_amendment', () => {
      planSpec
        .given(withNorway)
        .when(recordAmendment({ contributions: [aContribution('no', [aLine({ persons: 120 })])] }))
        .then('empty_amendment');
    });

    it('refuses to remove every Member State even when associated states remain → proposal_without_contributions', () => {
      planSpec
        .given(withNorway)
        .when(
          recordAmendment({ contributions: [aContribution('DE', []), aContribution('FR', [])] }),
        )
        .then('proposal_without_contributions');
    });
  });

  it.each(stagesExcept('adopted'))('refuses an amendment from %s → invalid_transition', (s) => {
    planSpec
      .given(planEventsAt(s))
      .when(recordAmendment({ addPriorityCountries: ['ET'] }))
      .then('invalid_transition');
  });

  it('folds an amendment: sorted union of priorities, last act date moves', () => {
    const state = adoptedState(
      foldPlan([
        ...adopted,
        aPlanAmended({ addPriorityCountries: ['SD', 'CO'], addPriorityRegions: ['europe'] }),
      ]),
    );
    expect(state.plan.priorityCountries).toEqual(['CO', 'EG', 'JO', 'LB', 'NE', 'SD', 'TD', 'TR']);
    expect(state.plan.priorityRegions).toEqual(['americas', 'europe']);
    expect(state.lastActOn).toBe('2026-06-15');
    expect(state.adoption.adoptedOn).toBe(ADOPTED_ON);
  });
});

describe('Union plan: evolve', () => {
  const everyEvent: readonly UnionPlanEvent[] = [
    aPlanCreated(),
    aPledgingOpened(),
    aPledgingClosed(),
    aPlanProposed(),
    aPlanAdopted(),
    aPlanAmended({ addPriorityCountries: ['ET'] }),
  ];
  const everyState: readonly UnionPlanState[] = [
    planStateAt('none'),
    ...ALL_STAGES.map(planStateAt),
  ];

  it('never throws, whatever event arrives in whatever state', () => {
    for (const state of everyState) {
      for (const event of everyEvent) {
        expect(() => unionPlanDecider.evolve(state, event)).not.toThrow();
      }
    }
  });

  it('ignores events that need an existing plan when there is none', () => {
    for (const event of everyEvent.slice(1)) {
      expect(unionPlanDecider.evolve(planStateAt('none'), event)).toStrictEqual({
        status: 'none',
      });
    }
  });

  it('ignores an adoption before any proposal and an amendment before any adoption', () => {
    const draft = planStateAt('draft');
    expect(unionPlanDecider.evolve(draft, aPlanAdopted())).toBe(draft);
    const proposed = planStateAt('proposed');
    expect(unionPlanDecider.evolve(proposed, aPlanAmended())).toBe(proposed);
  });

  it('keeps an adopted plan when a lifecycle event arrives out of order', () => {
    const adopted = planStateAt('adopted');
    for (const event of everyEvent) {
      if (event.type === 'PlanAmended') continue;
      expect(unionPlanDecider.evolve(adopted, event)).toBe(adopted);
    }
  });

  it('folds a whole cycle to the adopted plan', () => {
    expect(planStateAt('adopted')).toStrictEqual({
      status: 'adopted',
      plan: aPlanCreated().data,
      proposal: {
        reference: aPlanProposed().data.reference,
        proposedOn: PROPOSED_ON,
        contributions: DEFAULT_CONTRIBUTIONS,
        associatedStates: [],
      },
      adoption: { actReference: aPlanAdopted().data.actReference, adoptedOn: ADOPTED_ON },
      contributions: DEFAULT_CONTRIBUTIONS,
      associatedStates: [],
      lastActOn: ADOPTED_ON,
    });
  });
});
