import type { TotalsFigures } from '../../src/projections';
import {
  ACROSS_SEVERAL_BUREAUX,
  ALL_PARTICIPANTS,
  computeTotals,
  getTotals,
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
  type Host,
} from './builders';

const ALL = ALL_PARTICIPANTS;

/** Every breakdown of a set of figures, summed: each must come to the total. */
function breakdownSums(totals: TotalsFigures) {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const hosts = totals.regions.flatMap((region) => [...region.countries, ...region.groups]);
  return {
    byAdmissionType: sum(Object.values(totals.byAdmissionType)),
    byMemberState: sum(totals.byMemberState.map((row) => row.total)),
    byYear: sum(Object.values(totals.byYear)),
    byRegion: sum(totals.regions.map((region) => region.total)) + totals.notRegionBound.total,
    byHost: sum(hosts.map((host) => host.total)) + totals.notRegionBound.total,
  };
}

const contributions = [
  contribution(
    'DE',
    resettlement('TR', 1000, { year: 2026 }),
    resettlement('TR', 500, { year: 2027 }),
    humanitarian('LB', 300, { year: 2026 }),
    emergency('resettlement', 50),
  ),
  contribution(
    'FR',
    resettlement('LB', 400, { year: 2026 }),
    resettlement('NE', 200),
    emergency('humanitarian_admission', 30, { hostCountry: 'SD' }),
  ),
  contribution(
    'AT',
    humanitarian('TR', 100, { year: 2027 }),
    emergency('humanitarian_admission', 20),
  ),
];

describe('computeTotals', () => {
  const totals = computeTotals(contributions, []);

  it('totals by admission type, emergency basis and year', () => {
    expect(totals.total).toBe(2600);
    expect(totals.byAdmissionType).toEqual({
      resettlement: 2100,
      humanitarian_admission: 400,
      emergency_admission: 100,
    });
    expect(totals.emergencyByBasis).toEqual({ resettlement: 50, humanitarian_admission: 50 });
    expect(totals.byYear).toEqual({ '2026': 1700, '2027': 600, unspecified: 300 });
    expect(Object.keys(totals.byYear)).toEqual(['2026', '2027', 'unspecified']);
  });

  it('totals by Member State, sorted by Member State', () => {
    expect(totals.byMemberState).toEqual([
      {
        memberState: 'AT',
        total: 120,
        byAdmissionType: { resettlement: 0, humanitarian_admission: 100, emergency_admission: 20 },
      },
      {
        memberState: 'DE',
        total: 1850,
        byAdmissionType: {
          resettlement: 1500,
          humanitarian_admission: 300,
          emergency_admission: 50,
        },
      },
      {
        memberState: 'FR',
        total: 630,
        byAdmissionType: { resettlement: 600, humanitarian_admission: 0, emergency_admission: 30 },
      },
    ]);
  });

  it('groups host countries by UNHCR region, Türkiye under Europe, largest first', () => {
    expect(totals.regions.map((region) => [region.region, region.total])).toEqual([
      ['europe', 1600],
      ['middle_east_north_africa', 700],
      ['west_central_africa', 200],
      ['east_horn_great_lakes', 30],
    ]);
    expect(totals.regions[0]?.countries).toEqual([
      {
        country: 'TR',
        name: 'Türkiye',
        total: 1600,
        byAdmissionType: {
          resettlement: 1500,
          humanitarian_admission: 100,
          emergency_admission: 0,
        },
        byMemberState: { AT: 100, DE: 1500 },
      },
    ]);
    expect(totals.regions[1]?.countries[0]).toMatchObject({
      country: 'LB',
      name: 'Lebanon',
      byMemberState: { DE: 300, FR: 400 },
    });
  });

  it('counts an emergency line with a host country under that country’s region', () => {
    expect(totals.regions.find((region) => region.region === 'east_horn_great_lakes')).toEqual({
      region: 'east_horn_great_lakes',
      total: 30,
      byAdmissionType: { resettlement: 0, humanitarian_admission: 0, emergency_admission: 30 },
      countries: [
        {
          country: 'SD',
          name: 'Sudan',
          total: 30,
          byAdmissionType: { resettlement: 0, humanitarian_admission: 0, emergency_admission: 30 },
          byMemberState: { FR: 30 },
        },
      ],
      groups: [],
    });
  });

  it('keeps emergency places without a host country in the notRegionBound bucket', () => {
    expect(totals.notRegionBound).toEqual({
      total: 70,
      byAdmissionType: { resettlement: 0, humanitarian_admission: 0, emergency_admission: 70 },
      byMemberState: { AT: 20, DE: 50 },
    });
  });

  it('sorts regions and countries of equal size by their code', () => {
    const tied = computeTotals(
      [contribution('DE', resettlement('JO', 10), resettlement('EG', 10), resettlement('CO', 20))],
      [],
    );
    expect(tied.regions.map((region) => region.region)).toEqual([
      'americas',
      'middle_east_north_africa',
    ]);
    expect(tied.regions[1]?.countries.map((country) => country.country)).toEqual(['EG', 'JO']);
  });

  it('counts a host country missing from the reference table under region "unknown"', () => {
    const unknown = computeTotals([contribution('DE', resettlement('QQ', 5))], []);
    expect(unknown.regions).toEqual([
      expect.objectContaining({
        region: 'unknown',
        total: 5,
        countries: [expect.objectContaining({ country: 'QQ', name: 'QQ', total: 5 })],
      }),
    ]);
  });

  it('has every admission type key even with nothing to count', () => {
    expect(computeTotals([], [])).toEqual({
      total: 0,
      byAdmissionType: { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0 },
      emergencyByBasis: { resettlement: 0, humanitarian_admission: 0 },
      byYear: {},
      byMemberState: [],
      regions: [],
      planRegions: [],
      notRegionBound: {
        total: 0,
        byAdmissionType: { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0 },
        byMemberState: {},
      },
    });
  });

  it('stays fast on a large plan', () => {
    const countries = ['TR', 'LB', 'JO', 'EG', 'NE', 'SD', 'TD', 'CO', 'PK', 'IR'];
    const big = Array.from({ length: 30 }, (_, ms) =>
      contribution(
        `M${ms}`,
        ...Array.from({ length: 3000 }, (__, index) =>
          resettlement(countries[index % countries.length] ?? 'TR', 1, {
            year: 2026 + (index % 2),
          }),
        ),
      ),
    );
    const started = performance.now();
    const result = computeTotals(big, []);
    expect(result.total).toBe(90_000);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('computeTotals: lines naming several countries or a plan region', () => {
  // A plan region is the plan's own, not a UNHCR bureau: this one spans two bureaux, that one one.
  const centralMed = aPlanRegion(
    'central_mediterranean',
    'Central Mediterranean',
    'LY',
    'NE',
    'TD',
  );
  const latinAmerica = aPlanRegion('latin_america', 'Latin America', 'CO', 'EC', 'MX');
  const planRegions = [centralMed, latinAmerica];
  const grouped = [
    contribution(
      'DE',
      resettlement(fromCountries('EG', 'KE'), 300, { note: 'Sudanese and Eritreans' }),
      humanitarian(fromCountries('JO', 'LB'), 200),
      resettlement('TR', 100),
      emergency('resettlement', 30),
    ),
    contribution(
      'FR',
      resettlement(fromPlanRegion('latin_america'), 150),
      resettlement(fromPlanRegion('central_mediterranean'), 120, { year: 2027 }),
      humanitarian(fromCountries('EG', 'KE'), 50),
    ),
  ];
  const totals = computeTotals(grouped, planRegions);

  it('reports each group as one figure, never split between its countries', () => {
    expect(totals.total).toBe(950);
    expect(totals.regions.flatMap((region) => region.countries.map((c) => c.country))).toEqual([
      'TR',
    ]);
    expect(
      totals.regions.flatMap((region) => region.groups.map((group) => [group.group, group.total])),
    ).toEqual([
      ['EG+KE', 350],
      ['region:central_mediterranean', 120],
      ['JO+LB', 200],
      ['region:latin_america', 150],
    ]);
  });

  it('puts a group whose countries span two bureaux under "across several bureaux"', () => {
    const across = totals.regions.find((region) => region.region === ACROSS_SEVERAL_BUREAUX);

    expect(across).toEqual({
      region: 'across_several_bureaux',
      total: 470,
      byAdmissionType: { resettlement: 420, humanitarian_admission: 50, emergency_admission: 0 },
      countries: [],
      groups: [
        {
          group: 'EG+KE',
          kind: 'countries',
          name: 'Egypt, Kenya',
          countries: ['EG', 'KE'],
          total: 350,
          byAdmissionType: {
            resettlement: 300,
            humanitarian_admission: 50,
            emergency_admission: 0,
          },
          byMemberState: { DE: 300, FR: 50 },
        },
        {
          group: 'region:central_mediterranean',
          kind: 'plan_region',
          planRegion: 'central_mediterranean',
          name: 'Central Mediterranean',
          countries: ['LY', 'NE', 'TD'],
          total: 120,
          byAdmissionType: { resettlement: 120, humanitarian_admission: 0, emergency_admission: 0 },
          byMemberState: { FR: 120 },
        },
      ],
    });
  });

  it('puts a group within one bureau under that bureau', () => {
    expect(totals.regions.map((region) => [region.region, region.total])).toEqual([
      ['across_several_bureaux', 470],
      ['middle_east_north_africa', 200],
      ['americas', 150],
      ['europe', 100],
    ]);
    expect(totals.regions[1]?.groups).toEqual([
      expect.objectContaining({
        group: 'JO+LB',
        kind: 'countries',
        name: 'Jordan, Lebanon',
        total: 200,
      }),
    ]);
    expect(totals.regions[2]?.groups).toEqual([
      expect.objectContaining({
        group: 'region:latin_america',
        planRegion: 'latin_america',
        name: 'Latin America',
        total: 150,
      }),
    ]);
  });

  it.each<[string, string, Host]>([
    ['Egypt and Kenya', 'across_several_bureaux', fromCountries('EG', 'KE')],
    ['Türkiye and Syria', 'across_several_bureaux', fromCountries('TR', 'SY')],
    ['Jordan and Lebanon', 'middle_east_north_africa', fromCountries('JO', 'LB')],
    ['Kazakhstan and Pakistan', 'asia_pacific', fromCountries('KZ', 'PK')],
    ['Congo and Niger', 'west_central_africa', fromCountries('CG', 'NE')],
    ['DR Congo and Zambia', 'southern_africa', fromCountries('CD', 'ZM')],
    ['the Latin America region', 'americas', fromPlanRegion('latin_america')],
    [
      'the Central Mediterranean region',
      'across_several_bureaux',
      fromPlanRegion('central_mediterranean'),
    ],
  ])('reports a line from %s under %s', (_host, bureau, host) => {
    const one = computeTotals([contribution('DE', resettlement(host, 40))], planRegions);

    expect(one.regions).toEqual([
      expect.objectContaining({ region: bureau, total: 40, countries: [] }),
    ]);
    expect(one.regions[0]?.groups).toHaveLength(1);
  });

  it('totals the lines naming each of the plan’s regions, largest first', () => {
    expect(totals.planRegions).toEqual([
      {
        planRegion: 'latin_america',
        name: 'Latin America',
        countries: ['CO', 'EC', 'MX'],
        total: 150,
        byAdmissionType: { resettlement: 150, humanitarian_admission: 0, emergency_admission: 0 },
        byMemberState: { FR: 150 },
      },
      {
        planRegion: 'central_mediterranean',
        name: 'Central Mediterranean',
        countries: ['LY', 'NE', 'TD'],
        total: 120,
        byAdmissionType: { resettlement: 120, humanitarian_admission: 0, emergency_admission: 0 },
        byMemberState: { FR: 120 },
      },
    ]);
  });

  it('keeps every breakdown adding up to the total', () => {
    expect(breakdownSums(totals)).toEqual({
      byAdmissionType: 950,
      byMemberState: 950,
      byYear: 950,
      byRegion: 950,
      byHost: 950,
    });
    expect(breakdownSums(computeTotals(contributions, []))).toEqual({
      byAdmissionType: 2600,
      byMemberState: 2600,
      byYear: 2600,
      byRegion: 2600,
      byHost: 2600,
    });
  });
});

describe('getTotals', () => {
  function plan() {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
    log.pledgeSubmitted('FR', [resettlement('LB', 400)]);
    return log;
  }

  it('computes each view that exists, and nothing for a view or plan that does not', () => {
    const log = plan();
    let state = fold(planReadModel, log.events);
    expect(getTotals(state, PLAN_ID, 'pledges', ALL)).toMatchObject({
      planId: PLAN_ID,
      view: 'pledges',
      scope: ALL,
      total: 1400,
    });
    expect(getTotals(state, PLAN_ID, 'proposal', ALL)).toBeUndefined();
    expect(getTotals(state, PLAN_ID, 'adopted', ALL)).toBeUndefined();
    expect(getTotals(state, 'other', 'pledges', ALL)).toBeUndefined();

    log.pledgingClosed();
    log.planProposed([
      contribution('DE', resettlement('TR', 1000)),
      contribution('FR', resettlement('LB', 400)),
    ]);
    log.planAdopted([
      contribution('DE', resettlement('TR', 600)),
      contribution('FR', resettlement('LB', 400)),
    ]);
    log.planAmended({ contributions: [contribution('FR')] });
    log.pledgeRevised('DE', [resettlement('TR', 900)], 'Cut');
    state = fold(planReadModel, log.events);

    expect(getTotals(state, PLAN_ID, 'pledges', ALL)?.total).toBe(1300);
    expect(getTotals(state, PLAN_ID, 'proposal', ALL)?.total).toBe(1400);
    expect(getTotals(state, PLAN_ID, 'adopted', ALL)).toMatchObject({
      view: 'adopted',
      total: 600,
      byMemberState: [expect.objectContaining({ memberState: 'DE', total: 600 })],
    });
  });

  it('reports the plan’s regions as amended, a region an amendment adds included', () => {
    const log = createEventLog();
    log.planCreated({ regions: [aPlanRegion('central_mediterranean', 'Central Med', 'LY', 'NE')] });
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
      addRegions: [aPlanRegion('latin_america', 'Latin America', 'CO', 'EC')],
      contributions: [
        contribution(
          'IT',
          resettlement(fromPlanRegion('central_mediterranean'), 100),
          resettlement(fromPlanRegion('latin_america'), 60),
        ),
      ],
    });
    const totals = getTotals(fold(planReadModel, log.events), PLAN_ID, 'adopted', ALL);

    expect(totals?.planRegions.map((region) => [region.planRegion, region.total])).toEqual([
      ['central_mediterranean', 100],
      ['latin_america', 60],
    ]);
    expect(totals?.regions.map((region) => [region.region, region.total])).toEqual([
      ['across_several_bureaux', 100],
      ['americas', 60],
    ]);
  });

  describe('an associated state (Art. 12)', () => {
    function withNorway() {
      const log = plan();
      log.pledgeSubmitted('NO', [resettlement('TR', 120), humanitarian('LB', 30)]);
      log.pledgingClosed();
      log.planProposed([
        contribution('DE', resettlement('TR', 1000)),
        contribution('FR', resettlement('LB', 400)),
        contribution('NO', resettlement('TR', 120), humanitarian('LB', 30)),
      ]);
      log.planAdopted([
        contribution('DE', resettlement('TR', 800)),
        contribution('FR', resettlement('LB', 400)),
        contribution('NO', resettlement('TR', 120), humanitarian('LB', 30)),
      ]);
      return fold(planReadModel, log.events);
    }

    it.each([
      ['pledges', 1400],
      ['proposal', 1400],
      ['adopted', 1200],
    ] as const)('stays out of the %s total and is reported beside it', (view, total) => {
      const totals = getTotals(withNorway(), PLAN_ID, view, ALL);

      expect(totals?.total).toBe(total);
      expect(totals?.byMemberState.map((row) => row.memberState)).toEqual(['DE', 'FR']);
      expect(totals?.byAdmissionType.humanitarian_admission).toBe(0);
      expect(
        totals?.regions.flatMap((region) =>
          region.countries.flatMap((country) => Object.keys(country.byMemberState)),
        ),
      ).not.toContain('NO');
      expect(totals?.associatedStates).toMatchObject({
        total: 150,
        byAdmissionType: { resettlement: 120, humanitarian_admission: 30, emergency_admission: 0 },
        byMemberState: [{ memberState: 'NO', total: 150 }],
      });
    });
  });

  describe('for a Member State (scope own)', () => {
    function proposed() {
      const log = plan();
      log.pledgingClosed();
      log.planProposed([
        contribution('DE', resettlement('TR', 1000)),
        contribution('FR', resettlement('LB', 400)),
      ]);
      return log;
    }

    it.each(['pledges', 'proposal'] as const)(
      'computes the %s figures from its own contribution only, before adoption',
      (view) => {
        const totals = getTotals(
          fold(planReadModel, proposed().events),
          PLAN_ID,
          view,
          ownScope('FR'),
        );

        expect(totals).toMatchObject({
          scope: { kind: 'own', memberState: 'FR' },
          total: 400,
          byMemberState: [{ memberState: 'FR', total: 400 }],
          regions: [
            {
              region: 'middle_east_north_africa',
              countries: [{ country: 'LB', byMemberState: { FR: 400 } }],
            },
          ],
        });
      },
    );

    it('gets the adopted plan whole, a Council act', () => {
      const log = proposed();
      log.planAdopted([
        contribution('DE', resettlement('TR', 800)),
        contribution('FR', resettlement('LB', 400)),
      ]);
      const totals = getTotals(fold(planReadModel, log.events), PLAN_ID, 'adopted', ownScope('FR'));

      expect(totals).toMatchObject({ scope: ALL, total: 1200 });
      expect(totals?.byMemberState.map((row) => row.memberState)).toEqual(['DE', 'FR']);
    });
  });
});
