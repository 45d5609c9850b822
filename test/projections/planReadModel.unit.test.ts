import {
  contributionsForView,
  getPlan,
  getPledge,
  listPlans,
  listPledges,
  planReadModel,
} from '../../src/projections';
import {
  contribution,
  createEventLog,
  emergency,
  fold,
  humanitarian,
  PLAN_ID,
  resettlement,
} from './builders';

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

describe('planReadModel: the plan', () => {
  it('follows the plan through its statuses', () => {
    const log = createEventLog();
    const statuses: (string | undefined)[] = [];
    const record = () => statuses.push(getPlan(fold(planReadModel, log.events), PLAN_ID)?.status);
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
    expect(getPlan(fold(planReadModel, log.events), PLAN_ID)?.pledgingDeadline).toBe('2025-10-31');

    log.pledgingClosed();
    log.pledgingOpened();
    expect(getPlan(fold(planReadModel, log.events), PLAN_ID)).not.toHaveProperty(
      'pledgingDeadline',
    );
  });

  it('returns the plan facts as a JSON-ready object', () => {
    const log = adoptedPlan();
    const plan = getPlan(fold(planReadModel, log.events), PLAN_ID);

    expect(plan).toMatchObject({
      planId: PLAN_ID,
      status: 'adopted',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      resettlementFloorPercent: 60,
      priorityCountries: ['TR'],
      priorityRegions: ['middle_east_north_africa'],
      pledgingDeadline: '2025-10-31',
      proposal: { reference: 'COM(2025) 650', proposedOn: '2025-11-11', total: 2100, position: 7 },
      adoption: {
        actReference: 'Council Implementing Decision (EU) 2025/2628',
        adoptedOn: '2025-12-18',
        total: 1900,
        position: 8,
      },
      amendments: [],
      version: 5,
      createdAt: log.events[0]?.metadata['recordedAt'],
      updatedAt: log.events[7]?.metadata['recordedAt'],
    });
    expect(plan?.adoptedContributions?.map((c) => c.memberState)).toEqual(['DE', 'FR', 'NL']);
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
    const plan = getPlan(state, PLAN_ID);

    expect(plan?.adoptedContributions).toEqual([
      contribution('DE', resettlement('TR', 800), humanitarian('LB', 500)),
      contribution('FR', resettlement('JO', 300), resettlement('SD', 150)),
    ]);
    expect(plan?.priorityCountries).toEqual(['SD', 'TR']);
    expect(plan?.priorityRegions).toEqual(['east_horn_great_lakes', 'middle_east_north_africa']);
    expect(plan?.amendments).toEqual([
      expect.objectContaining({
        reason: 'Sudan crisis',
        memberStates: ['FR', 'NL'],
        addPriorityCountries: ['SD', 'TR'],
        position: 9,
      }),
    ]);
    expect(plan?.version).toBe(6);
    // the adoption as the Council adopted it stays on record
    expect(plan?.adoption?.total).toBe(1900);
  });

  it('lists every plan by id', () => {
    const other = createEventLog({ planId: '2028-2029' });
    other.planCreated();
    const events = [
      ...other.events,
      ...adoptedPlan().events.map((e) => ({ ...e, globalPosition: e.globalPosition + 1 })),
    ];
    expect(
      listPlans(fold(planReadModel, events)).map((plan) => [plan.planId, plan.status]),
    ).toEqual([
      ['2026-2027', 'adopted'],
      ['2028-2029', 'draft'],
    ]);
  });

  it('returns undefined for an unknown plan', () => {
    expect(getPlan(fold(planReadModel, adoptedPlan().events), 'nope')).toBeUndefined();
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
      status: 'active',
      version: 2,
      lines: [resettlement('TR', 150), emergency('resettlement', 20)],
      total: 170,
      byAdmissionType: { resettlement: 150, humanitarian_admission: 0, emergency_admission: 20 },
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

  it('lists the pledges of a plan by Member State, withdrawn ones included', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('SE', [resettlement('TR', 10)]);
    log.pledgeSubmitted('AT', [resettlement('TR', 10)]);
    log.pledgeSubmitted('DE', [resettlement('TR', 10)]);
    log.pledgeWithdrawn('AT', 'Changed plans');
    const pledges = listPledges(fold(planReadModel, log.events), PLAN_ID);

    expect(pledges?.map((p) => [p.memberState, p.status])).toEqual([
      ['AT', 'withdrawn'],
      ['DE', 'active'],
      ['SE', 'active'],
    ]);
    expect(listPledges(fold(planReadModel, log.events), 'other')).toBeUndefined();
    expect(getPledge(fold(planReadModel, log.events), PLAN_ID, 'FR')).toBeUndefined();
  });

  it('marks a pledge revised after adoption as pending an amendment, until one adopts it', () => {
    const log = adoptedPlan();
    log.pledgeRevised('FR', [resettlement('JO', 300)], 'Reception capacity', {
      afterAdoption: true,
    });
    let state = fold(planReadModel, log.events);
    expect(getPledge(state, PLAN_ID, 'FR')).toMatchObject({
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

  it('compares pledge and adopted lines as multisets, whatever their order', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 10), humanitarian('LB', 5)]);
    log.pledgingClosed();
    log.planProposed([contribution('DE', resettlement('TR', 10), humanitarian('LB', 5))]);
    log.planAdopted([contribution('DE', humanitarian('LB', 5), resettlement('TR', 10))]);

    expect(getPledge(fold(planReadModel, log.events), PLAN_ID, 'DE')?.pendingAmendment).toBe(false);
  });

  it('counts a pledge withdrawn after adoption as pending against its adopted contribution', () => {
    const log = adoptedPlan();
    log.pledgeWithdrawn('NL', 'Elections', { afterAdoption: true });

    expect(getPledge(fold(planReadModel, log.events), PLAN_ID, 'NL')).toMatchObject({
      status: 'withdrawn',
      pendingAmendment: true,
    });
  });
});

describe('planReadModel: contribution views', () => {
  it('gives the active pledges, the proposal snapshot and the adopted plan', () => {
    const log = adoptedPlan();
    log.pledgeRevised('DE', [resettlement('TR', 700)], 'Cut', { afterAdoption: true });
    log.pledgeWithdrawn('NL', 'Elections', { afterAdoption: true });
    const state = fold(planReadModel, log.events);

    expect(contributionsForView(state, PLAN_ID, 'pledges')).toEqual([
      contribution('DE', resettlement('TR', 700)),
      contribution('FR', resettlement('JO', 400)),
    ]);
    expect(contributionsForView(state, PLAN_ID, 'proposal')?.map((c) => c.memberState)).toEqual([
      'DE',
      'FR',
      'NL',
    ]);
    expect(contributionsForView(state, PLAN_ID, 'adopted')).toEqual([
      contribution('DE', resettlement('TR', 800), humanitarian('LB', 500)),
      contribution('FR', resettlement('JO', 400)),
      contribution('NL', resettlement('SD', 200)),
    ]);
  });

  it('has no proposal or adopted view before those acts, and nothing for an unknown plan', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 10)]);
    const state = fold(planReadModel, log.events);

    expect(contributionsForView(state, PLAN_ID, 'pledges')).toHaveLength(1);
    expect(contributionsForView(state, PLAN_ID, 'proposal')).toBeUndefined();
    expect(contributionsForView(state, PLAN_ID, 'adopted')).toBeUndefined();
    expect(contributionsForView(state, 'other', 'pledges')).toBeUndefined();
  });
});

describe('planReadModel: folding', () => {
  it('is idempotent: an event at or below the last position changes nothing', () => {
    const log = adoptedPlan();
    const once = fold(planReadModel, log.events);
    const twice = fold(planReadModel, [...log.events, ...log.events]);

    expect(getPlan(twice, PLAN_ID)).toEqual(getPlan(once, PLAN_ID));
    expect(listPledges(twice, PLAN_ID)).toEqual(listPledges(once, PLAN_ID));
  });

  it('ignores unknown event types and never throws on malformed data', () => {
    const log = createEventLog();
    log.planCreated();
    log.recordedEvent('SomethingNew', { planId: PLAN_ID });
    log.recordedEvent('PledgeSubmitted', { memberState: 'DE' });
    log.recordedEvent('PledgeRevised', { planId: PLAN_ID, memberState: 'DE', lines: 'oops' });
    log.recordedEvent('PlanAdopted', { planId: 'never-created', contributions: [] });
    log.recordedEvent('PlanProposed', { planId: PLAN_ID, contributions: [null, { lines: [] }] });

    const state = fold(planReadModel, log.events);
    expect(getPlan(state, PLAN_ID)?.status).toBe('proposed');
    expect(getPledge(state, PLAN_ID, 'DE')).toMatchObject({ lines: [], total: 0 });
    expect(contributionsForView(state, PLAN_ID, 'proposal')).toEqual([]);
    expect(getPlan(state, 'never-created')).toBeUndefined();
  });
});
