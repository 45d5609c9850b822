import type { Contribution, PledgeLine } from '../../src/domain/shared/pledgeLine';
import {
  APPROXIMATELY_BAND_PERCENTAGE_POINTS,
  getCompliance,
  planReadModel,
  type Compliance,
  type ComplianceCheck,
} from '../../src/projections';
import {
  contribution,
  createEventLog,
  emergency,
  fold,
  humanitarian,
  PLAN_ID,
  resettlement,
  type PlanCreatedData,
} from './builders';

function check<Id extends ComplianceCheck['id']>(
  compliance: Compliance | undefined,
  id: Id,
): Extract<ComplianceCheck, { id: Id }> {
  const found = compliance?.checks.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found as Extract<ComplianceCheck, { id: Id }>;
}

function pledgesOnly(lines: Record<string, PledgeLine[]>, plan: Partial<PlanCreatedData> = {}) {
  const log = createEventLog();
  log.planCreated(plan);
  log.pledgingOpened();
  for (const [memberState, memberStateLines] of Object.entries(lines)) {
    log.pledgeSubmitted(memberState, memberStateLines);
  }
  return log;
}

function adopted(
  proposal: Contribution[],
  adoption: Contribution[],
  plan: Partial<PlanCreatedData> = {},
) {
  const log = createEventLog();
  log.planCreated(plan);
  log.pledgingOpened();
  for (const { memberState, lines } of proposal) log.pledgeSubmitted(memberState, lines);
  log.pledgingClosed();
  log.planProposed(proposal);
  log.planAdopted(adoption);
  return log;
}

const compliance = (
  log: ReturnType<typeof createEventLog>,
  view: 'pledges' | 'proposal' | 'adopted',
) => getCompliance(fold(planReadModel, log.events), PLAN_ID, view);

describe('getCompliance', () => {
  it('runs the checks in order, and nothing for an unknown plan or missing view', () => {
    const log = pledgesOnly({ DE: [resettlement('TR', 60), humanitarian('TR', 40)] });
    const result = compliance(log, 'pledges');

    expect(result?.checks.map((c) => c.id)).toEqual([
      'resettlement_share',
      'priority_host_countries',
      'totals_reconcile',
      'pending_revisions',
      'proposal_to_adoption',
      'amif_lump_sums',
    ]);
    expect(result).toMatchObject({
      planId: PLAN_ID,
      view: 'pledges',
      total: 100,
      resettlementSharePercent: 60,
      resettlementFloorPercent: 60,
    });
    expect(compliance(log, 'adopted')).toBeUndefined();
    expect(getCompliance(fold(planReadModel, log.events), 'other', 'pledges')).toBeUndefined();
  });

  it('never speaks of a legal breach', () => {
    const log = adopted(
      [contribution('DE', resettlement('KE', 10), humanitarian('TR', 90))],
      [contribution('DE', resettlement('KE', 20), humanitarian('TR', 90))],
      { priorityCountries: ['TR'] },
    );
    log.pledgeWithdrawn('DE', 'Budget', { afterAdoption: true });
    const messages = (['pledges', 'proposal', 'adopted'] as const)
      .flatMap((view) => compliance(log, view)?.checks ?? [])
      .map((c) => c.message)
      .join('\n');

    expect(messages).not.toMatch(/breach|violat|illegal|unlawful|infringe/i);
  });
});

describe('resettlement_share', () => {
  const shareOf = (resettled: number, total: number) =>
    check(
      compliance(
        pledgesOnly({ DE: [resettlement('TR', resettled), humanitarian('TR', total - resettled)] }),
        'pledges',
      ),
      'resettlement_share',
    );

  it('passes at exactly the floor', () => {
    expect(shareOf(6000, 10_000)).toMatchObject({
      status: 'pass',
      sharePercent: 60,
      resettlement: 6000,
      total: 10_000,
      floorPercent: 60,
      bandPercentagePoints: APPROXIMATELY_BAND_PERCENTAGE_POINTS,
    });
  });

  it('warns inside the "approximately" band and fails below it', () => {
    expect(shareOf(57, 100)).toMatchObject({ status: 'warn', sharePercent: 57 });
    expect(shareOf(55, 100)).toMatchObject({ status: 'warn', sharePercent: 55 });
    expect(shareOf(5499, 10_000)).toMatchObject({ status: 'fail', sharePercent: 54.99 });
    expect(shareOf(40, 100)).toMatchObject({ status: 'fail', sharePercent: 40 });
    expect(shareOf(40, 100).message).toContain("below the plan's floor");
  });

  it('rounds the reported share to two decimals', () => {
    expect(shareOf(2, 3)).toMatchObject({ status: 'pass', sharePercent: 66.67 });
    expect(shareOf(7, 12)).toMatchObject({ status: 'warn', sharePercent: 58.33 });
  });

  it('warns with no share when there are no places', () => {
    const log = pledgesOnly({});
    const result = compliance(log, 'pledges');
    expect(result?.resettlementSharePercent).toBeNull();
    expect(check(result, 'resettlement_share')).toMatchObject({
      status: 'warn',
      sharePercent: null,
      total: 0,
    });
  });

  it('reports, for information, the share counting emergency places on a resettlement basis', () => {
    const result = check(
      compliance(
        pledgesOnly({
          DE: [resettlement('TR', 50), humanitarian('TR', 40), emergency('resettlement', 10)],
        }),
        'pledges',
      ),
      'resettlement_share',
    );
    expect(result).toMatchObject({
      status: 'fail',
      sharePercent: 50,
      emergencyOnResettlementBasis: 10,
      shareIncludingEmergencyOnResettlementBasisPercent: 60,
    });
  });

  it('uses the plan’s own floor', () => {
    const log = pledgesOnly(
      { DE: [resettlement('TR', 57), humanitarian('TR', 43)] },
      { resettlementFloorPercent: 55 },
    );
    expect(check(compliance(log, 'pledges'), 'resettlement_share').status).toBe('pass');
  });
});

describe('priority_host_countries', () => {
  const lines = {
    DE: [resettlement('TR', 100), humanitarian('LB', 50), resettlement('KE', 30)],
    FR: [humanitarian('CO', 20), emergency('resettlement', 10, { hostCountry: 'PK' })],
  };

  it('passes with a note when the plan names no priorities', () => {
    const result = check(compliance(pledgesOnly(lines), 'pledges'), 'priority_host_countries');
    expect(result).toMatchObject({ status: 'pass', outside: [] });
    expect(result.message).toMatch(/no priority/);
  });

  it('flags places outside the priority countries and regions, emergency excepted', () => {
    const log = pledgesOnly(lines, {
      priorityCountries: ['TR'],
      priorityRegions: ['middle_east_north_africa'],
    });
    const result = check(compliance(log, 'pledges'), 'priority_host_countries');

    expect(result).toMatchObject({
      status: 'warn',
      outsidePersons: 50,
      priorityCountries: ['TR'],
      priorityRegions: ['middle_east_north_africa'],
      outside: [
        {
          memberState: 'DE',
          hostCountry: 'KE',
          region: 'east_horn_great_lakes',
          admissionType: 'resettlement',
          persons: 30,
        },
        {
          memberState: 'FR',
          hostCountry: 'CO',
          region: 'americas',
          admissionType: 'humanitarian_admission',
          persons: 20,
        },
      ],
    });
    expect(result.message).toContain("outside the plan's priorities");
  });

  it('accepts a country through its region', () => {
    const log = pledgesOnly(
      { DE: [resettlement('LB', 10), resettlement('CO', 5)] },
      { priorityRegions: ['middle_east_north_africa', 'americas'] },
    );
    expect(check(compliance(log, 'pledges'), 'priority_host_countries').status).toBe('pass');
  });

  it('warns for the proposal and fails for the adopted plan', () => {
    const proposal = [contribution('DE', resettlement('TR', 100), resettlement('KE', 30))];
    const log = adopted(proposal, proposal, { priorityCountries: ['TR'] });

    expect(check(compliance(log, 'proposal'), 'priority_host_countries').status).toBe('warn');
    expect(check(compliance(log, 'adopted'), 'priority_host_countries').status).toBe('fail');
  });
});

describe('totals_reconcile', () => {
  it('passes when every breakdown adds up to the total', () => {
    const log = pledgesOnly({
      DE: [resettlement('TR', 100), emergency('humanitarian_admission', 5)],
      FR: [humanitarian('QQ', 7), emergency('resettlement', 3, { hostCountry: 'SD' })],
    });
    expect(check(compliance(log, 'pledges'), 'totals_reconcile')).toMatchObject({
      status: 'pass',
      total: 115,
      linesSum: 115,
      byMemberStateSum: 115,
      byAdmissionTypeSum: 115,
      byRegionSum: 115,
      byCountrySum: 115,
    });
  });
});

describe('pending_revisions', () => {
  const proposal = [
    contribution('DE', resettlement('TR', 1000)),
    contribution('FR', resettlement('LB', 400)),
    contribution('NL', resettlement('JO', 200)),
  ];

  it('passes with a note before adoption', () => {
    const log = pledgesOnly({ DE: [resettlement('TR', 10)] });
    const result = check(compliance(log, 'pledges'), 'pending_revisions');
    expect(result).toMatchObject({ status: 'pass', pending: [] });
    expect(result.message).toMatch(/not adopted/);
  });

  it('passes when every pledge matches the adopted plan', () => {
    expect(
      check(compliance(adopted(proposal, proposal), 'adopted'), 'pending_revisions'),
    ).toMatchObject({
      status: 'pass',
      pending: [],
    });
  });

  it('lists the pledges revised or withdrawn after adoption', () => {
    const log = adopted(proposal, proposal);
    log.pledgeRevised('DE', [resettlement('TR', 1200)], 'More capacity', { afterAdoption: true });
    log.pledgeWithdrawn('NL', 'Elections', { afterAdoption: true });
    const result = check(compliance(log, 'adopted'), 'pending_revisions');

    expect(result).toMatchObject({
      status: 'warn',
      pending: [
        { memberState: 'DE', adopted: 1000, pledged: 1200, delta: 200 },
        { memberState: 'NL', adopted: 200, pledged: 0, delta: -200 },
      ],
    });
  });

  it('does not count a pledge the Council cut at adoption, until the Member State changes it afterwards', () => {
    const cut = [contribution('DE', resettlement('TR', 600)), ...proposal.slice(1)];
    const log = adopted(proposal, cut);
    expect(check(compliance(log, 'adopted'), 'pending_revisions')).toMatchObject({
      status: 'pass',
      pending: [],
    });
    log.pledgeRevised('DE', [resettlement('TR', 800)], 'Some capacity back', {
      afterAdoption: true,
    });
    expect(check(compliance(log, 'adopted'), 'pending_revisions')).toMatchObject({
      status: 'warn',
      pending: [{ memberState: 'DE', adopted: 600, pledged: 800, delta: 200 }],
    });
  });

  it('clears once an amendment adopts the revision', () => {
    const log = adopted(proposal, proposal);
    log.pledgeRevised('DE', [resettlement('TR', 1200)], 'More capacity', { afterAdoption: true });
    log.planAmended({ contributions: [contribution('DE', resettlement('TR', 1200))] });
    expect(check(compliance(log, 'adopted'), 'pending_revisions').status).toBe('pass');
  });
});

describe('proposal_to_adoption', () => {
  // 2026-2027: proposal 15,230 places from nine Member States, adoption 10,430 (split illustrative).
  const proposedFigures: [string, number, number][] = [
    ['AT', 1000, 700],
    ['BE', 1500, 1000],
    ['DE', 5000, 3000],
    ['ES', 1230, 1030],
    ['FI', 500, 500],
    ['FR', 3000, 2000],
    ['IT', 1500, 1000],
    ['NL', 1000, 800],
    ['PT', 500, 400],
  ];
  const proposal = proposedFigures.map(([ms, persons]) =>
    contribution(ms, resettlement('TR', persons)),
  );
  const adoption = proposedFigures.map(([ms, , persons]) =>
    contribution(ms, resettlement('TR', persons)),
  );

  it('passes with a note before adoption', () => {
    const log = pledgesOnly({ DE: [resettlement('TR', 10)] });
    expect(check(compliance(log, 'pledges'), 'proposal_to_adoption')).toMatchObject({
      status: 'pass',
      proposedTotal: null,
      adoptedTotal: null,
    });
  });

  it('compares the proposal with the adoption per Member State and in total', () => {
    const result = check(
      compliance(adopted(proposal, adoption), 'adopted'),
      'proposal_to_adoption',
    );

    expect(result).toMatchObject({
      status: 'pass',
      proposedTotal: 15_230,
      adoptedTotal: 10_430,
      delta: -4800,
      adoptedAfterAmendmentsTotal: 10_430,
      aboveProposal: [],
    });
    expect(result.byMemberState).toHaveLength(9);
    expect(result.byMemberState[2]).toEqual({
      memberState: 'DE',
      proposed: 5000,
      adopted: 3000,
      delta: -2000,
    });
    expect(result.message).toContain('15,230 → 10,430');
  });

  it('warns when an adopted contribution exceeds what the Member State indicated', () => {
    const log = adopted(
      [contribution('DE', resettlement('TR', 100)), contribution('FR', resettlement('TR', 50))],
      [contribution('DE', resettlement('TR', 120)), contribution('FR', resettlement('TR', 50))],
    );
    const result = check(compliance(log, 'adopted'), 'proposal_to_adoption');
    expect(result).toMatchObject({ status: 'warn', aboveProposal: ['DE'] });
  });

  it('measures the Council’s adoption, not later amendments', () => {
    const log = adopted(proposal, adoption);
    log.planAmended({ contributions: [contribution('DE', resettlement('TR', 6000))] });
    const result = check(compliance(log, 'adopted'), 'proposal_to_adoption');
    expect(result).toMatchObject({
      status: 'pass',
      adoptedTotal: 10_430,
      adoptedAfterAmendmentsTotal: 13_430,
    });
  });
});

describe('amif_lump_sums', () => {
  it('prices each view per AMIF Art. 19 and notes payment follows admission', () => {
    const log = pledgesOnly({
      DE: [
        resettlement('TR', 10),
        humanitarian('LB', 10),
        humanitarian('JO', 5, { targetGroups: ['women_and_girls_at_risk'] }),
        humanitarian('EG', 2, { targetGroups: ['medical_needs'] }),
      ],
      FR: [
        emergency('resettlement', 3),
        emergency('humanitarian_admission', 4, { targetGroups: ['medical_needs'] }),
      ],
    });
    const result = check(compliance(log, 'pledges'), 'amif_lump_sums');

    expect(result).toMatchObject({
      status: 'pass',
      byMemberState: [
        { memberState: 'DE', persons: 27, eur: 10 * 10_000 + 10 * 6000 + 5 * 8000 + 2 * 8000 },
        { memberState: 'FR', persons: 7, eur: 3 * 10_000 + 4 * 8000 },
      ],
      totalEur: 216_000 + 62_000,
    });
    expect(result.message).toMatch(/after actual admission/);
  });
});
