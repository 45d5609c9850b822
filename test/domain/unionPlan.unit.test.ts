import { totalPersons, type Contribution } from '../../src/domain/shared/pledgeLine';
import {
  unionPlanDecider,
  type UnionPlanEvent,
  type UnionPlanState,
} from '../../src/domain/unionPlan/unionPlan';
import {
  ADOPTED_ON,
  DEFAULT_CONTRIBUTIONS,
  NOT_OPTED_IN,
  OPTED_IN,
  PLAN_ID,
  PROPOSED_ON,
  aContribution,
  aLine,
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
  it('creates a plan with the default 60 % resettlement floor and no priorities', () => {
    planSpec
      .given([])
      .when(createPlan())
      .then([
        aPlanCreated({ resettlementFloorPercent: 60, priorityCountries: [], priorityRegions: [] }),
      ]);
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

  it.each([0, 55, 100])('accepts a resettlement floor of %s %%', (floor) => {
    const [event] = planSpec
      .given([])
      .when(createPlan({ resettlementFloorPercent: floor }))
      .then([
        aPlanCreated({
          resettlementFloorPercent: floor,
          priorityCountries: [],
          priorityRegions: [],
        }),
      ]);
    expect(event?.type).toBe('UnionPlanCreated');
  });

  it.each([-1, 100.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a resettlement floor of %s → invalid_resettlement_floor',
    (floor) => {
      planSpec
        .given([])
        .when(createPlan({ resettlementFloorPercent: floor }))
        .then('invalid_resettlement_floor');
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

  it('accepts an associated state (Art. 12)', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('NO')] }))
      .then([aPlanProposed({ contributions: [aContribution('NO')] })]);
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

  it('refuses Ireland unless it opted in → participant_not_bound', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('IE')], participation: NOT_OPTED_IN }))
      .then('participant_not_bound', { memberState: 'IE' });
  });

  it('accepts Ireland once it opted in', () => {
    planSpec
      .given(closed)
      .when(recordProposal({ contributions: [aContribution('IE')], participation: OPTED_IN }))
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
    });
    expect(state.contributions).toStrictEqual(DEFAULT_CONTRIBUTIONS);
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
      },
      adoption: { actReference: aPlanAdopted().data.actReference, adoptedOn: ADOPTED_ON },
      contributions: DEFAULT_CONTRIBUTIONS,
      lastActOn: ADOPTED_ON,
    });
  });
});
