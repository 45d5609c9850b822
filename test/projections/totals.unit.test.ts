import { computeTotals, getTotals, planReadModel } from '../../src/projections';
import {
  contribution,
  createEventLog,
  emergency,
  fold,
  humanitarian,
  PLAN_ID,
  resettlement,
} from './builders';

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
  const totals = computeTotals(contributions);

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
    const tied = computeTotals([
      contribution('DE', resettlement('JO', 10), resettlement('EG', 10), resettlement('CO', 20)),
    ]);
    expect(tied.regions.map((region) => region.region)).toEqual([
      'americas',
      'middle_east_north_africa',
    ]);
    expect(tied.regions[1]?.countries.map((country) => country.country)).toEqual(['EG', 'JO']);
  });

  it('counts a host country missing from the reference table under region "unknown"', () => {
    const unknown = computeTotals([contribution('DE', resettlement('QQ', 5))]);
    expect(unknown.regions).toEqual([
      expect.objectContaining({
        region: 'unknown',
        total: 5,
        countries: [expect.objectContaining({ country: 'QQ', name: 'QQ', total: 5 })],
      }),
    ]);
  });

  it('has every admission type key even with nothing to count', () => {
    expect(computeTotals([])).toEqual({
      total: 0,
      byAdmissionType: { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0 },
      emergencyByBasis: { resettlement: 0, humanitarian_admission: 0 },
      byYear: {},
      byMemberState: [],
      regions: [],
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
    const result = computeTotals(big);
    expect(result.total).toBe(90_000);
    expect(performance.now() - started).toBeLessThan(500);
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
    expect(getTotals(state, PLAN_ID, 'pledges')).toMatchObject({
      planId: PLAN_ID,
      view: 'pledges',
      total: 1400,
    });
    expect(getTotals(state, PLAN_ID, 'proposal')).toBeUndefined();
    expect(getTotals(state, PLAN_ID, 'adopted')).toBeUndefined();
    expect(getTotals(state, 'other', 'pledges')).toBeUndefined();

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
    log.pledgeRevised('DE', [resettlement('TR', 900)], 'Cut', { afterAdoption: true });
    state = fold(planReadModel, log.events);

    expect(getTotals(state, PLAN_ID, 'pledges')?.total).toBe(1300);
    expect(getTotals(state, PLAN_ID, 'proposal')?.total).toBe(1400);
    expect(getTotals(state, PLAN_ID, 'adopted')).toMatchObject({
      view: 'adopted',
      total: 600,
      byMemberState: [expect.objectContaining({ memberState: 'DE', total: 600 })],
    });
  });
});
