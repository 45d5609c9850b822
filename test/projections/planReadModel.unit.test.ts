import { UndecodableEventError } from '../../src/events/trackerRecordedEvent';
import {
  ALL_PARTICIPANTS,
  contributionsForView,
  getPlan,
  getPledge,
  listPlans,
  listPledges,
  ownScope,
  planReadModel,
} from '../../src/projections';
import {
  aPlanRegion,
  contribution,
  createEventLog,
  emergency,
  fold,
  fromCountries,
  fromPlanRegion,
  humanitarian,
  PLAN_ID,
  resettlement,
} from './builders';

const ALL = ALL_PARTICIPANTS;

const isJsonReady = (value: unknown): boolean =>
  JSON.stringify(JSON.parse(JSON.stringify(value))) === JSON.stringify(value);

function adoptedPlan() {
  const log = createEventLog();
  log.planCreated({ priorityCountries: ['TR'], priorityRegions: ['middle_east_north_africa'] });
  log.pledgingOpened('2025-10-31');
  log.pledgeSubmitted('DE', [resettlement('TR', 1000), humanitarian('LB', 500)]);
  log.pledgeSubmitted('FR', [resettlement('JO', 400)]);
  log.pledgeSubmitted('NL', [resettlement('SD', 200)]);
  log.pledgingClosed();
  const proposal = [
    contribution('DE', resettlement('TR', 1000), humanitarian('LB', 500)),
    contribution('FR', resettlement('JO', 400)),
    contribution('NL', resettlement('SD', 200)),
  ];
  log.planProposed(proposal);
  log.planAdopted([
    contribution('DE', resettlement('TR', 800), humanitarian('LB', 500)),
    contribution('FR', resettlement('JO', 400)),
    contribution('NL', resettlement('SD', 200)),
  ]);
  return log;
}

/** Germany, France and Norway (an associated state, Art. 12) pledge; the Commission proposes. */
function proposedWithNorway() {
  const log = createEventLog();
  log.planCreated({ priorityCountries: ['JO', 'TR'] });
  log.pledgingOpened('2025-10-31');
  log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
  log.pledgeSubmitted('FR', [resettlement('JO', 400)]);
  log.pledgeSubmitted('NO', [resettlement('TR', 120)]);
  log.pledgingClosed();
  log.planProposed([
    contribution('DE', resettlement('TR', 1000)),
    contribution('FR', resettlement('JO', 400)),
    contribution('NO', resettlement('TR', 120)),
  ]);
  return log;
}

describe('planReadModel: the plan', () => {
  it('follows the plan through its statuses', () => {
    const log = createEventLog();
    const statuses: (string | undefined)[] = [];
    const record = () =>
      statuses.push(getPlan(fold(planReadModel, log.events), PLAN_ID, ALL)?.status);
    log.planCreated();
    record();
    log.pledgingOpened('2025-10-31');
    record();
    log.pledgingClosed();
    record();
    log.pledgingOpened();
    record();
    log.pledgingClosed();
    log.planProposed([contribution('DE', resettlement('TR', 10))]);
    record();
    log.planAdopted([contribution('DE', resettlement('TR', 10))]);
    record();
    log.planAmended({ contributions: [contribution('DE', resettlement('TR', 20))] });
    record();

    expect(statuses).toEqual([
      'draft',
      'pledging_open',
      'pledging_closed',
      'pledging_open',
      'proposed',
      'adopted',
      'adopted',
    ]);
  });

  it('keeps the deadline of the current pledging round only', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened('2025-10-31');
    expect(getPlan(fold(planReadModel, log.events), PLAN_ID, ALL)?.pledgingDeadline).toBe(
      '2025-10-31',
    );

    log.pledgingClosed();
    log.pledgingOpened();
    expect(getPlan(fold(planReadModel, log.events), PLAN_ID, ALL)).not.toHaveProperty(
      'pledgingDeadline',
    );
  });

  it('returns the plan facts as a JSON-ready object, with the law’s floor', () => {
    const log = adoptedPlan();
    const plan = getPlan(fold(planReadModel, log.events), PLAN_ID, ALL);

    expect(plan).toMatchObject({
      planId: PLAN_ID,
      status: 'adopted',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      resettlementFloorPercent: 60,
      priorityCountries: ['TR'],
      priorityRegions: ['middle_east_north_africa'],
      regions: [],
      proposal: {
        reference: 'COM(2025) 650',
        proposedOn: '2025-11-11',
        total: 2100,
        associatedStates: [],
        position: 7,
      },
      adoption: {
        actReference: 'Council Implementing Decision (EU) 2025/2628',
        adoptedOn: '2025-12-18',
        total: 1900,
        associatedStates: [],
        position: 8,
      },
      adoptedTotal: 1900,
      associatedStates: [],
      amendments: [],
      version: 5,
      position: 8,
      createdAt: log.events[0]?.metadata['recordedAt'],
      updatedAt: log.events[7]?.metadata['recordedAt'],
    });
    // the deadline belongs to an open round only
    expect(plan).not.toHaveProperty('pledgingDeadline');
    expect(plan).not.toHaveProperty('asOfPosition');
    expect(plan?.adoptedContributions?.map((c) => [c.memberState, c.total])).toEqual([
      ['DE', 1300],
      ['FR', 400],
      ['NL', 200],
    ]);
    expect(isJsonReady(plan)).toBe(true);
  });

  it('applies an amendment: replaces one contribution, removes another, adds priorities', () => {
    const log = adoptedPlan();
    log.planAmended({
      reason: 'Sudan crisis',
      addPriorityCountries: ['SD', 'TR'],
      addPriorityRegions: ['east_horn_great_lakes'],
      contributions: [
        contribution('FR', resettlement('JO', 300), resettlement('SD', 150)),
        contribution('NL'),
      ],
    });
    const state = fold(planReadModel, log.events);
    const plan = getPlan(state, PLAN_ID, ALL);

    expect(plan?.adoptedContributions).toEqual([
      { ...contribution('DE', resettlement('TR', 800), humanitarian('LB', 500)), total: 1300 },
      { ...contribution('FR', resettlement('JO', 300), resettlement('SD', 150)), total: 450 },
    ]);
    expect(plan?.adoptedTotal).toBe(1750);
    expect(plan?.priorityCountries).toEqual(['SD', 'TR']);
    expect(plan?.priorityRegions).toEqual(['east_horn_great_lakes', 'middle_east_north_africa']);
    expect(plan?.amendments).toEqual([
      expect.objectContaining({
        reason: 'Sudan crisis',
        memberStates: ['FR', 'NL'],
        addPriorityCountries: ['SD', 'TR'],
        addRegionIds: [],
        position: 9,
      }),
    ]);
    expect(plan?.version).toBe(6);
    expect(plan?.position).toBe(9);
    // the adoption as the Council adopted it stays on record
    expect(plan?.adoption?.total).toBe(1900);
  });

  it('keeps the plan’s own regions, and those an amendment adds', () => {
    const centralMed = aPlanRegion('central_mediterranean', 'Central Mediterranean', 'LY', 'NE');
    const latinAmerica = aPlanRegion('latin_america', 'Latin America', 'CO', 'EC', 'CR');
    const log = createEventLog();
    log.planCreated({ regions: [centralMed] });
    log.pledgingOpened();
    log.pledgeSubmitted('IT', [resettlement(fromPlanRegion('central_mediterranean'), 100)]);
    log.pledgingClosed();
    log.planProposed([
      contribution('IT', resettlement(fromPlanRegion('central_mediterranean'), 100)),
    ]);
    log.planAdopted([
      contribution('IT', resettlement(fromPlanRegion('central_mediterranean'), 100)),
    ]);
    log.planAmended({
      reason: 'Displacement from Venezuela',
      addRegions: [latinAmerica],
      contributions: [
        contribution(
          'IT',
          resettlement(fromPlanRegion('central_mediterranean'), 100),
          humanitarian(fromPlanRegion('latin_america'), 50),
        ),
      ],
    });
    const plan = getPlan(fold(planReadModel, log.events), PLAN_ID, ALL);

    expect(plan?.regions).toEqual([centralMed, latinAmerica]);
    expect(plan?.amendments).toEqual([
      expect.objectContaining({ addRegionIds: ['latin_america'], memberStates: ['IT'] }),
    ]);
    expect(plan?.adoptedTotal).toBe(150);
  });

  it('lists every plan by id, each shown in the scope the caller gets for it', () => {
    const other = createEventLog({ planId: '2028-2029' });
    other.planCreated({ periodStart: '2028-01-01', periodEnd: '2029-12-31' });
    const events = [
      ...other.events,
      ...proposedWithNorway().events.map((e) => ({ ...e, globalPosition: e.globalPosition + 1 })),
    ];
    const plans = listPlans(fold(planReadModel, events), ownScope('FR'));

    expect(plans.map((plan) => [plan.planId, plan.status])).toEqual([
      ['2026-2027', 'proposed'],
      ['2028-2029', 'draft'],
    ]);
    expect(plans[0]?.proposal?.contributions.map((c) => c.memberState)).toEqual(['FR']);
  });

  it('returns undefined for an unknown plan', () => {
    expect(getPlan(fold(planReadModel, adoptedPlan().events), 'nope', ALL)).toBeUndefined();
  });
});

describe('planReadModel: the plan as a Member State sees it', () => {
  it('shows a Member State its own share of the proposal before adoption, and no total', () => {
    const state = fold(planReadModel, proposedWithNorway().events);

    const forFrance = getPlan(state, PLAN_ID, ownScope('FR'));
    expect(forFrance?.proposal).toEqual(
      expect.objectContaining({
        contributions: [{ ...contribution('FR', resettlement('JO', 400)), total: 400 }],
        associatedStates: [],
      }),
    );
    expect(forFrance?.proposal).not.toHaveProperty('total');

    const forCommission = getPlan(state, PLAN_ID, ALL);
    expect(forCommission?.proposal).toMatchObject({
      total: 1400,
      contributions: [{ memberState: 'DE' }, { memberState: 'FR' }],
      associatedStates: [{ memberState: 'NO', total: 120 }],
    });
  });

  it('shows every participant the adoption whole, a Council act', () => {
    const log = proposedWithNorway();
    log.planAdopted([
      contribution('DE', resettlement('TR', 800)),
      contribution('FR', resettlement('JO', 400)),
      contribution('NO', resettlement('TR', 120)),
    ]);
    const state = fold(planReadModel, log.events);
    const forFrance = getPlan(state, PLAN_ID, ownScope('FR'));

    expect(forFrance).toMatchObject({
      adoption: {
        total: 1200,
        contributions: [{ memberState: 'DE' }, { memberState: 'FR' }],
        associatedStates: [{ memberState: 'NO', total: 120 }],
      },
      adoptedTotal: 1200,
      adoptedContributions: [{ memberState: 'DE' }, { memberState: 'FR' }],
      associatedStates: [{ memberState: 'NO', total: 120 }],
    });
    // the proposal was compiled from every indication: still France's share only, no total
    expect(forFrance?.proposal?.contributions.map((c) => c.memberState)).toEqual(['FR']);
    expect(forFrance?.proposal).not.toHaveProperty('total');
  });
});

describe('planReadModel: pledges', () => {
  it('tracks submission, revision, withdrawal and resubmission with the stream version', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    const submitted = log.pledgeSubmitted('DE', [resettlement('TR', 100)]);
    log.pledgeRevised(
      'DE',
      [resettlement('TR', 150), emergency('resettlement', 20)],
      'More places',
    );
    const state1 = fold(planReadModel, log.events);
    expect(getPledge(state1, PLAN_ID, 'DE')).toEqual({
      planId: PLAN_ID,
      memberState: 'DE',
      participantKind: 'member_state',
      status: 'active',
      version: 2,
      lines: [resettlement('TR', 150), emergency('resettlement', 20)],
      total: 170,
      byAdmissionType: { resettlement: 150, humanitarian_admission: 0, emergency_admission: 20 },
      planStatusAtLastChange: 'pledging_open',
      afterAdoption: false,
      pendingAmendment: false,
      lastReason: 'More places',
      submittedAt: submitted.metadata['recordedAt'],
      updatedAt: log.events[3]?.metadata['recordedAt'],
    });

    log.pledgeWithdrawn('DE', 'Budget');
    const withdrawn = getPledge(fold(planReadModel, log.events), PLAN_ID, 'DE');
    expect(withdrawn).toMatchObject({ status: 'withdrawn', version: 3, lines: [], total: 0 });

    const resubmitted = log.pledgeSubmitted('DE', [humanitarian('LB', 50)]);
    const again = getPledge(fold(planReadModel, log.events), PLAN_ID, 'DE');
    expect(again).toMatchObject({ status: 'active', version: 4, total: 50 });
    expect(again?.submittedAt).toBe(resubmitted.metadata['recordedAt']);
    expect(again).not.toHaveProperty('lastReason');
  });

  it('keeps lines naming several countries or a plan region as recorded', () => {
    const log = createEventLog();
    log.planCreated({ regions: [aPlanRegion('central_mediterranean', 'Central Med', 'LY', 'NE')] });
    log.pledgingOpened();
    const lines = [
      resettlement(fromCountries('KE', 'EG'), 300, { note: 'Sudanese and Eritreans' }),
      humanitarian(fromPlanRegion('central_mediterranean'), 80),
    ];
    log.pledgeSubmitted('DE', lines);

    expect(getPledge(fold(planReadModel, log.events), PLAN_ID, 'DE')).toMatchObject({
      lines: [
        {
          admissionType: 'resettlement',
          hostCountries: ['EG', 'KE'],
          persons: 300,
          note: 'Sudanese and Eritreans',
        },
        { admissionType: 'humanitarian_admission', planRegion: 'central_mediterranean' },
      ],
      total: 380,
    });
  });

  it('lists the pledges of a plan by Member State, withdrawn ones included', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('SE', [resettlement('TR', 10)]);
    log.pledgeSubmitted('AT', [resettlement('TR', 10)]);
    log.pledgeSubmitted('DE', [resettlement('TR', 10)]);
    log.pledgeWithdrawn('AT', 'Changed plans');
    const state = fold(planReadModel, log.events);

    expect(listPledges(state, PLAN_ID, ALL)?.pledges.map((p) => [p.memberState, p.status])).toEqual(
      [
        ['AT', 'withdrawn'],
        ['DE', 'active'],
        ['SE', 'active'],
      ],
    );
    expect(listPledges(state, 'other', ALL)).toBeUndefined();
    expect(getPledge(state, PLAN_ID, 'FR')).toBeUndefined();
  });

  it('lists an associated state’s indication in its own section (Art. 12)', () => {
    const state = fold(planReadModel, proposedWithNorway().events);
    const list = listPledges(state, PLAN_ID, ALL);

    expect(list?.pledges.map((p) => p.memberState)).toEqual(['DE', 'FR']);
    expect(list?.associatedStates).toEqual([
      expect.objectContaining({
        memberState: 'NO',
        participantKind: 'associated_state',
        total: 120,
      }),
    ]);
  });

  it.each([
    ['DE', ['DE'], []],
    ['NO', [], ['NO']],
    ['SE', [], []],
  ])('lists only %s’s own pledge to that participant', (memberState, pledges, associated) => {
    const list = listPledges(
      fold(planReadModel, proposedWithNorway().events),
      PLAN_ID,
      ownScope(memberState),
    );

    expect(list?.pledges.map((p) => p.memberState)).toEqual(pledges);
    expect(list?.associatedStates.map((p) => p.memberState)).toEqual(associated);
  });

  it('marks a pledge revised after adoption as pending an amendment, until one adopts it', () => {
    const log = adoptedPlan();
    log.pledgeRevised('FR', [resettlement('JO', 300)], 'Reception capacity');
    let state = fold(planReadModel, log.events);
    expect(getPledge(state, PLAN_ID, 'FR')).toMatchObject({
      planStatusAtLastChange: 'adopted',
      afterAdoption: true,
      pendingAmendment: true,
    });
    expect(getPledge(state, PLAN_ID, 'NL')).toMatchObject({ pendingAmendment: false });

    log.planAmended({ contributions: [contribution('FR', resettlement('JO', 300))] });
    state = fold(planReadModel, log.events);
    expect(getPledge(state, PLAN_ID, 'FR')).toMatchObject({
      afterAdoption: true,
      pendingAmendment: false,
    });
  });

  it('does not mark as pending a cut made after the proposal: the adoption settled it', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
    log.pledgingClosed();
    log.planProposed([contribution('DE', resettlement('TR', 1000))]);
    log.pledgeRevised('DE', [resettlement('TR', 700)], 'Reception capacity fell');
    log.planAdopted([contribution('DE', resettlement('TR', 1000))]);

    expect(getPledge(fold(planReadModel, log.events), PLAN_ID, 'DE')).toMatchObject({
      planStatusAtLastChange: 'proposed',
      afterAdoption: false,
      pendingAmendment: false,
      total: 700,
    });
  });

  it('compares pledge and adopted lines as multisets, whatever their order', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 10), humanitarian('LB', 5)]);
    log.pledgingClosed();
    log.planProposed([contribution('DE', resettlement('TR', 10), humanitarian('LB', 5))]);
    log.planAdopted([contribution('DE', humanitarian('LB', 5), resettlement('TR', 10))]);
    log.pledgeRevised('DE', [humanitarian('LB', 5), resettlement('TR', 10)], 'Same figures');

    expect(getPledge(fold(planReadModel, log.events), PLAN_ID, 'DE')).toMatchObject({
      afterAdoption: true,
      pendingAmendment: false,
    });
  });

  it('counts a pledge withdrawn after adoption as pending against its adopted contribution', () => {
    const log = adoptedPlan();
    log.pledgeWithdrawn('NL', 'Elections');

    expect(getPledge(fold(planReadModel, log.events), PLAN_ID, 'NL')).toMatchObject({
      status: 'withdrawn',
      pendingAmendment: true,
    });
  });
});

describe('planReadModel: contribution views', () => {
  it('gives the active pledges, the proposal snapshot and the adopted plan', () => {
    const log = adoptedPlan();
    log.pledgeRevised('DE', [resettlement('TR', 700)], 'Cut');
    log.pledgeWithdrawn('NL', 'Elections');
    const state = fold(planReadModel, log.events);

    expect(contributionsForView(state, PLAN_ID, 'pledges', ALL)).toEqual({
      contributions: [
        contribution('DE', resettlement('TR', 700)),
        contribution('FR', resettlement('JO', 400)),
      ],
      associatedStates: [],
    });
    expect(
      contributionsForView(state, PLAN_ID, 'proposal', ALL)?.contributions.map(
        (c) => c.memberState,
      ),
    ).toEqual(['DE', 'FR', 'NL']);
    const adopted = contributionsForView(state, PLAN_ID, 'adopted', ALL);
    expect(adopted?.contributions).toEqual([
      contribution('DE', resettlement('TR', 800), humanitarian('LB', 500)),
      contribution('FR', resettlement('JO', 400)),
      contribution('NL', resettlement('SD', 200)),
    ]);
    expect(adopted?.associatedStates).toEqual([]);
  });

  it('keeps an associated state beside the Member States in every view', () => {
    const log = proposedWithNorway();
    log.planAdopted([
      contribution('DE', resettlement('TR', 800)),
      contribution('FR', resettlement('JO', 400)),
      contribution('NO', resettlement('TR', 120)),
    ]);
    const state = fold(planReadModel, log.events);

    for (const view of ['pledges', 'proposal', 'adopted'] as const) {
      const viewed = contributionsForView(state, PLAN_ID, view, ALL);
      expect(viewed?.contributions.map((c) => c.memberState)).toEqual(['DE', 'FR']);
      expect(viewed?.associatedStates).toEqual([contribution('NO', resettlement('TR', 120))]);
    }
  });

  it.each([
    ['pledges', ['FR']],
    ['proposal', ['FR']],
    ['adopted', ['DE', 'FR']],
  ] as const)(
    'gives a Member State its own %s contribution only, the adopted plan whole',
    (view, memberStates) => {
      const log = proposedWithNorway();
      log.planAdopted([
        contribution('DE', resettlement('TR', 800)),
        contribution('FR', resettlement('JO', 400)),
        contribution('NO', resettlement('TR', 120)),
      ]);
      const viewed = contributionsForView(
        fold(planReadModel, log.events),
        PLAN_ID,
        view,
        ownScope('FR'),
      );

      expect(viewed?.contributions.map((c) => c.memberState)).toEqual(memberStates);
      expect(viewed?.associatedStates.length).toBe(view === 'adopted' ? 1 : 0);
    },
  );

  it('has no proposal or adopted view before those acts, and nothing for an unknown plan', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 10)]);
    const state = fold(planReadModel, log.events);

    expect(contributionsForView(state, PLAN_ID, 'pledges', ALL)?.contributions).toHaveLength(1);
    expect(contributionsForView(state, PLAN_ID, 'proposal', ALL)).toBeUndefined();
    expect(contributionsForView(state, PLAN_ID, 'adopted', ALL)).toBeUndefined();
    expect(contributionsForView(state, 'other', 'pledges', ALL)).toBeUndefined();
  });
});

describe('planReadModel: folding', () => {
  it('is idempotent: an event at or below the last position changes nothing', () => {
    const log = adoptedPlan();
    const once = fold(planReadModel, log.events);
    const twice = fold(planReadModel, [...log.events, ...log.events]);

    expect(getPlan(twice, PLAN_ID, ALL)).toEqual(getPlan(once, PLAN_ID, ALL));
    expect(listPledges(twice, PLAN_ID, ALL)).toEqual(listPledges(once, PLAN_ID, ALL));
  });

  it('leaves a plan unchanged by acts out of their order, and ignores a plan never created', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    // well-formed facts the deciders would never record in this order
    log.recordedEvent('PlanProposed', {
      planId: PLAN_ID,
      reference: 'COM(2025) 650',
      proposedOn: '2025-11-11',
      contributions: [contribution('DE', resettlement('TR', 10))],
      associatedStates: [],
    });
    log.recordedEvent('PlanAdopted', {
      planId: '2030-2031',
      actReference: 'Council Implementing Decision (EU) 2029/1',
      adoptedOn: '2029-12-18',
      contributions: [],
      associatedStates: [],
    });
    const state = fold(planReadModel, log.events);

    expect(getPlan(state, PLAN_ID, ALL)).toMatchObject({ status: 'pledging_open', version: 3 });
    expect(getPlan(state, PLAN_ID, ALL)).not.toHaveProperty('proposal');
    expect(contributionsForView(state, PLAN_ID, 'proposal', ALL)).toBeUndefined();
    expect(getPlan(state, '2030-2031', ALL)).toBeUndefined();
  });

  it.each([
    ['an unknown type', 'SomethingNew', { planId: PLAN_ID }],
    ['data without a plan', 'PledgeSubmitted', { memberState: 'DE' }],
    [
      'lines that are no lines',
      'PledgeRevised',
      {
        planId: PLAN_ID,
        memberState: 'DE',
        lines: 'oops',
        reason: 'x',
        planStatus: 'pledging_open',
      },
    ],
    [
      'a contribution that is none',
      'PlanProposed',
      {
        planId: PLAN_ID,
        reference: 'COM(2025) 650',
        proposedOn: '2025-11-11',
        contributions: [null, { lines: [] }],
        associatedStates: [],
      },
    ],
  ])('never receives %s: decoding stops on it, naming its position', (_what, type, data) => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.recordedEvent(type, data);

    expect(() => fold(planReadModel, log.events)).toThrow(UndecodableEventError);
    expect(() => fold(planReadModel, log.events)).toThrow(/log position 3/);
  });
});
