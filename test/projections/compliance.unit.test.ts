import type { Contribution, PledgeLine } from '../../src/domain/shared/pledgeLine';
import {
  ALL_PARTICIPANTS,
  APPROXIMATELY_BAND_PERCENTAGE_POINTS,
  getCompliance,
  ownScope,
  planReadModel,
  type Compliance,
  type ComplianceCheck,
  type ReadScope,
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
  type EventLog,
  type PlanCreatedData,
} from './builders';

const ALL = ALL_PARTICIPANTS;
const ADOPTION_ACT = 'Council Implementing Decision (EU) 2025/2628';
const AMENDMENT_ACT = 'Council Implementing Decision (EU) 2026/100';

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

/** Each Member State pledges what the Commission then proposes. */
function proposed(proposal: Contribution[], plan: Partial<PlanCreatedData> = {}) {
  const log = createEventLog();
  log.planCreated(plan);
  log.pledgingOpened();
  for (const { memberState, lines } of proposal) log.pledgeSubmitted(memberState, lines);
  log.pledgingClosed();
  log.planProposed(proposal);
  return log;
}

/** As `proposed`, and the Council adopts `adoption`. */
function adopted(
  proposal: Contribution[],
  adoption: Contribution[],
  plan: Partial<PlanCreatedData> = {},
) {
  const log = proposed(proposal, plan);
  log.planAdopted(adoption);
  return log;
}

const compliance = (
  log: EventLog,
  view: 'pledges' | 'proposal' | 'adopted',
  scope: ReadScope = ALL,
) => getCompliance(fold(planReadModel, log.events), PLAN_ID, view, scope);

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
      'indications_respected',
      'amif_lump_sums',
    ]);
    expect(result).toMatchObject({
      planId: PLAN_ID,
      view: 'pledges',
      scope: ALL,
      total: 100,
      resettlementSharePercent: 60,
      resettlementFloorPercent: 60,
    });
    expect(compliance(log, 'adopted')).toBeUndefined();
    expect(getCompliance(fold(planReadModel, log.events), 'other', 'pledges', ALL)).toBeUndefined();
  });

  it('never speaks of a legal breach', () => {
    const log = adopted(
      [contribution('DE', resettlement('KE', 10), humanitarian('TR', 90))],
      [contribution('DE', resettlement('KE', 20), humanitarian('TR', 90))],
      { priorityCountries: ['TR'] },
    );
    log.pledgeWithdrawn('DE', 'Budget');
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

  it('passes at exactly the law’s floor of 60 %', () => {
    expect(shareOf(6000, 10_000)).toMatchObject({
      status: 'pass',
      sharePercent: 60,
      resettlement: 6000,
      total: 10_000,
      floorPercent: 60,
      bandPercentagePoints: APPROXIMATELY_BAND_PERCENTAGE_POINTS,
      bandIsInterpretation: true,
    });
  });

  it.each([
    [57, 100, 'warn', 57],
    [55, 100, 'warn', 55],
    [5499, 10_000, 'fail', 54.99],
    [40, 100, 'fail', 40],
  ])('with %i resettled of %i places: %s at %d %%', (resettled, total, status, sharePercent) => {
    expect(shareOf(resettled, total)).toMatchObject({ status, sharePercent });
  });

  it('says the floor is the law’s and the band an interpretation', () => {
    const below = shareOf(40, 100);
    expect(below.message).toContain('below the floor of not less than approximately 60 %');
    expect(below.message).toContain('Art. 8(3)(a)');
    expect(shareOf(57, 100).message).toMatch(/an interpretation, not the law's figure/);
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

  it('holds every plan to 60 %, also one release 1 recorded with a floor of its own', () => {
    const log = createEventLog({ release: 1 });
    log.planCreated({ resettlementFloorPercent: 55, priorityCountries: ['TR'] });
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 57), humanitarian('TR', 43)]);
    const result = compliance(log, 'pledges');

    expect(result?.resettlementFloorPercent).toBe(60);
    expect(check(result, 'resettlement_share')).toMatchObject({
      status: 'warn',
      floorPercent: 60,
      sharePercent: 57,
    });
  });
});

describe('priority_host_countries', () => {
  const lines = {
    DE: [resettlement('TR', 100), humanitarian('LB', 50), resettlement('KE', 30)],
    FR: [humanitarian('CO', 20), emergency('resettlement', 10, { hostCountry: 'PK' })],
  };

  it('fails when the plan names no regions or third countries (Art. 8(3)(c))', () => {
    const result = check(compliance(pledgesOnly(lines), 'pledges'), 'priority_host_countries');
    expect(result).toMatchObject({
      status: 'fail',
      priorityCountries: [],
      priorityRegions: [],
      planRegions: [],
      outside: [],
    });
    expect(result.message).toMatch(/names no regions or third countries/);
  });

  it('flags places outside the named countries and bureaux, emergency excepted', () => {
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
          host: 'KE',
          countriesOutside: ['KE'],
          admissionType: 'resettlement',
          persons: 30,
        },
        {
          memberState: 'FR',
          host: 'CO',
          countriesOutside: ['CO'],
          admissionType: 'humanitarian_admission',
          persons: 20,
        },
      ],
    });
    expect(result.message).toContain("outside the plan's regions and third countries");
  });

  it('accepts a country through its UNHCR bureau', () => {
    const log = pledgesOnly(
      { DE: [resettlement('LB', 10), resettlement('CO', 5)] },
      { priorityRegions: ['middle_east_north_africa', 'americas'] },
    );
    expect(check(compliance(log, 'pledges'), 'priority_host_countries').status).toBe('pass');
  });

  it('accepts a line naming one of the plan’s regions, or a country inside one', () => {
    const log = pledgesOnly(
      {
        IT: [
          resettlement(fromPlanRegion('central_mediterranean'), 100),
          humanitarian('NE', 20),
          resettlement(fromCountries('LY', 'TD'), 30),
        ],
      },
      {
        regions: [aPlanRegion('central_mediterranean', 'Central Mediterranean', 'LY', 'NE', 'TD')],
      },
    );
    expect(check(compliance(log, 'pledges'), 'priority_host_countries')).toMatchObject({
      status: 'pass',
      planRegions: ['central_mediterranean'],
      outside: [],
    });
  });

  it('lists the countries a line of several countries names outside the plan', () => {
    const log = pledgesOnly(
      { DE: [resettlement(fromCountries('EG', 'KE', 'SS'), 300)] },
      { priorityCountries: ['EG', 'SD'] },
    );
    expect(check(compliance(log, 'pledges'), 'priority_host_countries')).toMatchObject({
      status: 'warn',
      outsidePersons: 300,
      outside: [
        {
          memberState: 'DE',
          host: 'EG+KE+SS',
          countriesOutside: ['KE', 'SS'],
          admissionType: 'resettlement',
          persons: 300,
        },
      ],
    });
  });

  it.each(['proposal', 'adopted'] as const)(
    'warns for the %s view too: participation is voluntary',
    (view) => {
      const proposal = [contribution('DE', resettlement('TR', 100), resettlement('KE', 30))];
      const log = adopted(proposal, proposal, { priorityCountries: ['TR'] });

      expect(check(compliance(log, view), 'priority_host_countries')).toMatchObject({
        status: 'warn',
        outsidePersons: 30,
      });
    },
  );
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

  it('passes with lines naming several countries and plan regions, each counted once', () => {
    const log = pledgesOnly(
      {
        DE: [
          resettlement(fromCountries('EG', 'KE'), 300),
          humanitarian(fromCountries('JO', 'LB'), 200),
        ],
        IT: [
          resettlement(fromPlanRegion('central_mediterranean'), 120),
          resettlement('TR', 80),
          emergency('resettlement', 10),
        ],
      },
      { regions: [aPlanRegion('central_mediterranean', 'Central Mediterranean', 'LY', 'NE')] },
    );
    expect(check(compliance(log, 'pledges'), 'totals_reconcile')).toMatchObject({
      status: 'pass',
      total: 710,
      linesSum: 710,
      byMemberStateSum: 710,
      byAdmissionTypeSum: 710,
      byRegionSum: 710,
      byCountrySum: 710,
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
    log.pledgeRevised('DE', [resettlement('TR', 1200)], 'More capacity');
    log.pledgeWithdrawn('NL', 'Elections');
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
    log.pledgeRevised('DE', [resettlement('TR', 800)], 'Some capacity back');
    expect(check(compliance(log, 'adopted'), 'pending_revisions')).toMatchObject({
      status: 'warn',
      pending: [{ memberState: 'DE', adopted: 600, pledged: 800, delta: 200 }],
    });
  });

  it('clears once an amendment adopts the revision', () => {
    const log = adopted(proposal, proposal);
    log.pledgeRevised('DE', [resettlement('TR', 1200)], 'More capacity');
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

  it('warns when an adopted contribution exceeds what was proposed', () => {
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

describe('indications_respected (Art. 8(3)(b))', () => {
  it('passes with a note before adoption', () => {
    const log = pledgesOnly({ DE: [resettlement('TR', 10)] });
    expect(check(compliance(log, 'pledges'), 'indications_respected')).toMatchObject({
      status: 'pass',
      rows: [],
    });
  });

  it.each([
    ['above', 'fail', 1200, [{ contribution: 1200, indication: 1000, delta: 200, status: 'fail' }]],
    ['below', 'info', 800, [{ contribution: 800, indication: 1000, delta: -200, status: 'info' }]],
    ['equal to', 'pass', 1000, []],
  ] as const)(
    'compares an adopted contribution %s the indication at adoption: %s',
    (_relation, status, adoptedPersons, rows) => {
      const log = adopted(
        [contribution('DE', resettlement('TR', 1000)), contribution('FR', resettlement('LB', 400))],
        [
          contribution('DE', resettlement('TR', adoptedPersons)),
          contribution('FR', resettlement('LB', 400)),
        ],
      );

      expect(check(compliance(log, 'adopted'), 'indications_respected')).toMatchObject({
        status,
        rows: rows.map((row) => ({
          memberState: 'DE',
          admissionType: 'resettlement',
          actReference: ADOPTION_ACT,
          ...row,
        })),
      });
    },
  );

  it('compares per admission type: the same total split otherwise is above in one type', () => {
    const log = adopted(
      [contribution('DE', resettlement('TR', 600), humanitarian('TR', 400))],
      [contribution('DE', resettlement('TR', 700), humanitarian('TR', 300))],
    );
    const result = check(compliance(log, 'adopted'), 'indications_respected');

    expect(result).toMatchObject({
      status: 'fail',
      rows: [
        { memberState: 'DE', admissionType: 'resettlement', delta: 100, status: 'fail' },
        { memberState: 'DE', admissionType: 'humanitarian_admission', delta: -100, status: 'info' },
      ],
    });
    expect(result.message).toContain('DE resettlement 700 > 600');
  });

  it('measures against the indication when the Council adopted, after a cut made once proposed', () => {
    // 2025: several Member States cut their pledges between the proposal and the adoption.
    const log = createEventLog();
    log.planCreated({ priorityCountries: ['TR'] });
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
    log.pledgingClosed();
    log.planProposed([contribution('DE', resettlement('TR', 1000))]);
    log.pledgeRevised('DE', [resettlement('TR', 800)], 'Reception capacity fell');
    log.planAdopted([contribution('DE', resettlement('TR', 1000))]);

    expect(check(compliance(log, 'adopted'), 'indications_respected')).toMatchObject({
      status: 'fail',
      rows: [{ memberState: 'DE', contribution: 1000, indication: 800, delta: 200 }],
    });
  });

  it('fails a contribution adopted for a Member State that indicated nothing', () => {
    const log = adopted(
      [contribution('DE', resettlement('TR', 1000))],
      [contribution('DE', resettlement('TR', 1000)), contribution('FR', resettlement('TR', 100))],
    );

    expect(check(compliance(log, 'adopted'), 'indications_respected')).toMatchObject({
      status: 'fail',
      rows: [{ memberState: 'FR', contribution: 100, indication: 0, status: 'fail' }],
    });
  });

  describe('an amendment', () => {
    function raisedAfterAdoption() {
      const log = adopted(
        [contribution('DE', resettlement('TR', 1000)), contribution('FR', resettlement('LB', 400))],
        [contribution('DE', resettlement('TR', 1000)), contribution('FR', resettlement('LB', 400))],
      );
      log.pledgeRevised('DE', [resettlement('TR', 1300)], 'More capacity');
      return log;
    }

    it.each([
      ['adopting the new indication', 'pass', 1300, []],
      [
        'adopting above it',
        'fail',
        1500,
        [{ contribution: 1500, indication: 1300, delta: 200, status: 'fail' }],
      ],
      [
        'adopting below it',
        'info',
        1100,
        [{ contribution: 1100, indication: 1300, delta: -200, status: 'info' }],
      ],
    ] as const)(
      're-takes the indication at its own moment: %s is %s',
      (_what, status, amendedPersons, rows) => {
        const log = raisedAfterAdoption();
        log.planAmended({
          contributions: [contribution('DE', resettlement('TR', amendedPersons))],
        });

        expect(check(compliance(log, 'adopted'), 'indications_respected')).toMatchObject({
          status,
          rows: rows.map((row) => ({ memberState: 'DE', actReference: AMENDMENT_ACT, ...row })),
        });
      },
    );

    it('keeps the indication taken at the act, whatever the Member State pledges later', () => {
      const log = raisedAfterAdoption();
      log.planAmended({ contributions: [contribution('DE', resettlement('TR', 1300))] });
      log.pledgeRevised('DE', [resettlement('TR', 900)], 'Capacity fell again');

      expect(check(compliance(log, 'adopted'), 'indications_respected')).toMatchObject({
        status: 'pass',
        rows: [],
      });
    });

    it('leaves the indication at adoption for a Member State it does not name', () => {
      const log = raisedAfterAdoption();
      log.pledgeRevised('FR', [resettlement('LB', 300)], 'Less capacity');
      log.planAmended({ contributions: [contribution('FR', resettlement('LB', 350))] });

      // DE: 1000 adopted against its 1000 at adoption, not its 1300 since; FR: 350 against 300
      expect(check(compliance(log, 'adopted'), 'indications_respected')).toMatchObject({
        status: 'fail',
        rows: [
          {
            memberState: 'FR',
            contribution: 350,
            indication: 300,
            status: 'fail',
            actReference: AMENDMENT_ACT,
          },
        ],
      });
    });
  });
});

describe('amif_lump_sums', () => {
  it('forecasts a range per AMIF Art. 19, payable only after admission', () => {
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
      status: 'info',
      forecast: true,
      byMemberState: [
        {
          memberState: 'DE',
          persons: 27,
          minEur: 10 * 10_000 + 10 * 6000 + 5 * 6000 + 2 * 6000,
          maxEur: 10 * 10_000 + 10 * 6000 + 5 * 8000 + 2 * 8000,
        },
        {
          memberState: 'FR',
          persons: 7,
          minEur: 3 * 10_000 + 4 * 6000,
          maxEur: 3 * 10_000 + 4 * 8000,
        },
      ],
      minEur: 202_000 + 54_000,
      maxEur: 216_000 + 62_000,
    });
    expect(result.message).toMatch(/^Forecast/);
    expect(result.message).toContain('EUR 256,000 to 278,000');
    expect(result.message).toMatch(/after actual admission/);
  });

  it.each<[string, number, number, PledgeLine]>([
    ['resettlement', 100_000, 100_000, resettlement('TR', 10)],
    [
      'resettlement naming children (the higher rate is humanitarian only)',
      100_000,
      100_000,
      resettlement('TR', 10, { targetGroups: ['children'] }),
    ],
    ['humanitarian admission', 60_000, 60_000, humanitarian('TR', 10)],
    ...[
      'women_and_girls_at_risk',
      'children',
      'unaccompanied_children',
      'survivors_of_violence_or_torture',
      'legal_or_physical_protection_needs',
      'medical_needs',
    ].map(
      (group) =>
        [
          `humanitarian admission naming ${group}`,
          60_000,
          80_000,
          humanitarian('TR', 10, { targetGroups: [group] }),
        ] as [string, number, number, PledgeLine],
    ),
    [
      'humanitarian admission naming family_members (no Art. 19(3) group)',
      60_000,
      60_000,
      humanitarian('TR', 10, { targetGroups: ['family_members'] }),
    ],
    [
      'emergency admission on a resettlement basis',
      100_000,
      100_000,
      emergency('resettlement', 10),
    ],
    [
      'emergency admission on a humanitarian basis naming medical_needs',
      60_000,
      80_000,
      emergency('humanitarian_admission', 10, { targetGroups: ['medical_needs'] }),
    ],
  ])('prices ten persons of %s from EUR %i to %i', (_what, minEur, maxEur, line) => {
    const result = check(compliance(pledgesOnly({ DE: [line] }), 'pledges'), 'amif_lump_sums');
    expect(result).toMatchObject({
      minEur,
      maxEur,
      byMemberState: [{ memberState: 'DE', persons: 10, minEur, maxEur }],
    });
  });
});

describe('an associated state (Art. 12)', () => {
  function withNorway() {
    const proposal = [
      contribution('DE', resettlement('TR', 600)),
      contribution('FR', humanitarian('LB', 400)),
      contribution('NO', humanitarian('TR', 1000, { targetGroups: ['medical_needs'] })),
    ];
    return adopted(proposal, proposal, { priorityCountries: ['LB', 'TR'] });
  }

  it.each(['pledges', 'proposal', 'adopted'] as const)(
    'stays out of the %s total, share, reconciliation and AMIF forecast, and is reported beside them',
    (view) => {
      const result = compliance(withNorway(), view);

      expect(result?.total).toBe(1000);
      expect(check(result, 'resettlement_share')).toMatchObject({
        status: 'pass',
        resettlement: 600,
        total: 1000,
        sharePercent: 60,
      });
      expect(check(result, 'totals_reconcile')).toMatchObject({ status: 'pass', linesSum: 1000 });
      expect(check(result, 'amif_lump_sums')).toMatchObject({
        minEur: 600 * 10_000 + 400 * 6000,
        maxEur: 600 * 10_000 + 400 * 6000,
        byMemberState: [{ memberState: 'DE' }, { memberState: 'FR' }],
      });
      expect(result?.associatedStates).toMatchObject({
        total: 1000,
        byAdmissionType: { resettlement: 0, humanitarian_admission: 1000, emergency_admission: 0 },
        byParticipant: [{ memberState: 'NO', total: 1000 }],
      });
      expect(result?.associatedStates.note).toMatch(/Art\. 12/);
    },
  );

  it('is in neither the indications nor the pending-revisions check, adopted above its indication and revised after', () => {
    const proposal = [
      contribution('DE', resettlement('TR', 100)),
      contribution('NO', resettlement('TR', 120)),
    ];
    const log = adopted(proposal, [
      contribution('DE', resettlement('TR', 100)),
      contribution('NO', resettlement('TR', 150)),
    ]);
    log.pledgeRevised('NO', [resettlement('TR', 90)], 'Fewer places');
    const result = compliance(log, 'adopted');

    expect(check(result, 'indications_respected')).toMatchObject({ status: 'pass', rows: [] });
    expect(check(result, 'pending_revisions')).toMatchObject({ status: 'pass', pending: [] });
    expect(result?.associatedStates.byParticipant).toEqual([
      expect.objectContaining({ memberState: 'NO', total: 150 }),
    ]);
  });

  it('stays out of the proposal-to-adoption comparison', () => {
    const result = check(compliance(withNorway(), 'adopted'), 'proposal_to_adoption');
    expect(result).toMatchObject({ proposedTotal: 1000, adoptedTotal: 1000 });
    expect(result.byMemberState.map((row) => row.memberState)).toEqual(['DE', 'FR']);
  });
});

describe('compliance for a Member State (scope own)', () => {
  const proposal = [
    contribution('DE', resettlement('TR', 1000)),
    contribution('FR', resettlement('LB', 400), humanitarian('LB', 100)),
    contribution('NL', resettlement('JO', 200)),
  ];

  it.each(['pledges', 'proposal'] as const)(
    'computes the %s view from its own contribution only, before adoption',
    (view) => {
      const log = proposed(proposal, { priorityCountries: ['JO', 'LB', 'TR'] });
      const result = compliance(log, view, ownScope('FR'));

      expect(result).toMatchObject({
        scope: { kind: 'own', memberState: 'FR' },
        total: 500,
        resettlementSharePercent: 80,
      });
      expect(check(result, 'totals_reconcile')).toMatchObject({ status: 'pass', linesSum: 500 });
      expect(check(result, 'amif_lump_sums').byMemberState.map((row) => row.memberState)).toEqual([
        'FR',
      ]);
    },
  );

  it('lists its own pending revision, indication and proposal rows only, and no proposal total', () => {
    const log = adopted(proposal, [
      contribution('DE', resettlement('TR', 1200)),
      contribution('FR', resettlement('LB', 300), humanitarian('LB', 100)),
      contribution('NL', resettlement('JO', 200)),
    ]);
    log.pledgeRevised('DE', [resettlement('TR', 1300)], 'More capacity');
    log.pledgeRevised('FR', [resettlement('LB', 350), humanitarian('LB', 100)], 'More capacity');
    const forFrance = compliance(log, 'adopted', ownScope('FR'));

    expect(check(forFrance, 'pending_revisions')).toMatchObject({
      status: 'warn',
      pending: [{ memberState: 'FR', adopted: 400, pledged: 450, delta: 50 }],
    });
    expect(check(forFrance, 'indications_respected')).toMatchObject({
      status: 'info',
      rows: [{ memberState: 'FR', admissionType: 'resettlement', delta: -100, status: 'info' }],
    });
    const toAdoption = check(forFrance, 'proposal_to_adoption');
    expect(toAdoption).toMatchObject({
      proposedTotal: null,
      delta: null,
      byMemberState: [{ memberState: 'FR', proposed: 500, adopted: 400, delta: -100 }],
      aboveProposal: [],
      status: 'pass',
    });
    expect(toAdoption.message).not.toMatch(/1,700/);
    // the adopted plan itself is a Council act, whole for every participant
    expect(forFrance?.total).toBe(1800);
    expect(toAdoption.adoptedTotal).toBe(1800);

    const forCommission = compliance(log, 'adopted');
    expect(check(forCommission, 'indications_respected').status).toBe('fail');
    expect(check(forCommission, 'pending_revisions').pending).toHaveLength(2);
    expect(check(forCommission, 'proposal_to_adoption').proposedTotal).toBe(1700);
  });
});
