/**
 * A command is refused once with every rule its input breaks, each under the path of the
 * offending field, so a client fixes them all in one round trip.
 */
import { UNHCR_REGION_IDS } from '../../src/domain/reference';
import {
  aContribution,
  aLine,
  anEmergencyLine,
  aPlanRegion,
  createPlan,
  foldPlan,
  planEventsAt,
  planEventsWithRegions,
  planSpec,
  pledgeSpec,
  recordAdoption,
  recordAmendment,
  revisePledge,
  aPledgeSubmitted,
  submitPledge,
} from './builders';

describe('a pledge with several bad lines', () => {
  it('is refused with every line error, in line order, each naming its field', () => {
    const error = pledgeSpec
      .given([])
      .when(
        submitPledge([
          aLine({ hostCountry: 'ZZ' }),
          aLine({ hostCountry: 'LB', year: 2031 }),
          aLine({ hostCountry: 'JO', targetGroups: ['children', 'astronauts'] }),
        ]),
      )
      // The first error's code and facts stay at the top.
      .then('unknown_host_country', { line: 0, hostCountry: 'ZZ' });

    expect(error.violations).toEqual([
      expect.objectContaining({
        code: 'unknown_host_country',
        path: 'lines.0.hostCountry',
        facts: { line: 0, hostCountry: 'ZZ' },
      }),
      expect.objectContaining({
        code: 'year_outside_plan_period',
        path: 'lines.1.year',
        facts: expect.objectContaining({ line: 1, year: 2031 }),
      }),
      expect.objectContaining({
        code: 'unknown_target_group',
        path: 'lines.2.targetGroups.1',
        facts: { line: 2, targetGroup: 'astronauts' },
      }),
    ]);
    expect(error.message).toMatch(/^3 problems: Line 0: .*; Line 1: .*; Line 2: /);
  });

  it('reports every broken rule of one line, and several unknown countries of one group', () => {
    const error = pledgeSpec
      .given([])
      .when(
        submitPledge([
          aLine({ hostCountry: undefined, hostCountries: ['XX', 'EG', 'YY'], persons: 0 }),
        ]),
      )
      .then('invalid_pledge_line');

    expect(error.violations.map((violation) => [violation.code, violation.path])).toEqual([
      ['invalid_pledge_line', 'lines.0.persons'],
      ['unknown_host_country', 'lines.0.hostCountries.0'],
      ['unknown_host_country', 'lines.0.hostCountries.2'],
    ]);
  });

  it('reports a duplicate among valid lines beside the errors of the others', () => {
    const error = pledgeSpec
      .given([])
      .when(
        submitPledge([
          aLine(),
          anEmergencyLine({ emergencyBasis: undefined }),
          aLine({ persons: 5 }),
        ]),
      )
      .then('invalid_pledge_line');

    expect(error.violations.map((violation) => [violation.code, violation.path])).toEqual([
      ['invalid_pledge_line', 'lines.1.emergencyBasis'],
      ['duplicate_pledge_line', 'lines.2'],
    ]);
  });

  it('is refused the same way on a revision', () => {
    const error = pledgeSpec
      .given([aPledgeSubmitted()])
      .when(revisePledge([aLine({ hostCountry: 'ZZ' }), aLine({ hostCountry: 'QQ' })], 'Fix'))
      .then('unknown_host_country');

    expect(error.violations.map((violation) => violation.path)).toEqual([
      'lines.0.hostCountry',
      'lines.1.hostCountry',
    ]);
  });

  it('keeps a lone error as one violation with its path', () => {
    const error = pledgeSpec
      .given([])
      .when(submitPledge([aLine({ year: 2025 })]))
      .then('year_outside_plan_period', { line: 0, year: 2025 });

    expect(error.violations).toEqual([
      {
        code: 'year_outside_plan_period',
        path: 'lines.0.year',
        message: error.message,
        facts: error.facts,
      },
    ]);
  });
});

describe('unknown regions list the valid ones', () => {
  it("a line's plan region: unknown_plan_region with validRegions, also in the message", () => {
    const error = pledgeSpec
      .given([])
      .when(
        submitPledge([aLine({ hostCountry: undefined, planRegion: 'sahel' })], {
          plan: foldPlan(planEventsWithRegions('pledging_open')),
        }),
      )
      .then('unknown_plan_region', {
        planRegion: 'sahel',
        validRegions: [aPlanRegion().id],
        planRegions: [aPlanRegion().id],
      });

    expect(error.message).toContain(aPlanRegion().id);
    expect(error.violations[0]?.path).toBe('lines.0.planRegion');
  });

  it('a plan without regions says so', () => {
    const error = pledgeSpec
      .given([])
      .when(submitPledge([aLine({ hostCountry: undefined, planRegion: 'sahel' })]))
      .then('unknown_plan_region', { validRegions: [] });

    expect(error.message).toMatch(/defines none/);
  });

  it("a plan's priority region: unknown_region with every UNHCR region id", () => {
    const error = planSpec
      .given([])
      .when(createPlan({ priorityRegions: ['americas', 'mena'] }))
      .then('unknown_region', { region: 'mena', validRegions: UNHCR_REGION_IDS });

    for (const id of UNHCR_REGION_IDS) expect(error.message).toContain(id);
    expect(error.violations[0]?.path).toBe('priorityRegions.1');
  });
});

describe('plan commands with several bad entries', () => {
  it('a plan with several unknown countries and regions is refused with all of them', () => {
    const error = planSpec
      .given([])
      .when(
        createPlan({
          priorityCountries: ['ZZ', 'TR', 'DE'],
          priorityRegions: ['mena'],
          regions: [aPlanRegion({ countries: ['LY', 'QQ'] })],
        }),
      )
      .then('unknown_host_country', { hostCountry: 'ZZ' });

    expect(error.violations.map((violation) => [violation.code, violation.path])).toEqual([
      ['unknown_host_country', 'priorityCountries.0'],
      ['unknown_host_country', 'priorityCountries.2'],
      ['unknown_region', 'priorityRegions.0'],
      ['unknown_host_country', 'regions.0.countries.1'],
    ]);
  });

  it('an amendment with several bad countries and contributions is refused with all of them', () => {
    const error = planSpec
      .given(planEventsAt('adopted'))
      .when(
        recordAmendment({
          addPriorityCountries: ['ET', 'ZZ', 'QQ'],
          contributions: [
            aContribution('DE', [aLine({ hostCountry: 'XX' })]),
            aContribution('DK'),
            aContribution('FR', [aLine({ year: 2030 })]),
          ],
        }),
      )
      .then('unknown_host_country', { hostCountry: 'ZZ' });

    expect(error.violations.map((violation) => [violation.code, violation.path])).toEqual([
      ['unknown_host_country', 'addPriorityCountries.1'],
      ['unknown_host_country', 'addPriorityCountries.2'],
      ['unknown_host_country', 'contributions.0.lines.0.hostCountry'],
      ['participant_not_bound', 'contributions.1.memberState'],
      ['year_outside_plan_period', 'contributions.2.lines.0.year'],
    ]);
    expect(error.violations[2]).toMatchObject({
      message: 'DE: Line 0: XX is not a known host country (ISO 3166-1 alpha-2, outside the EU)',
      facts: { memberState: 'DE', line: 0, hostCountry: 'XX' },
    });
  });

  it('an adoption naming a participant twice and an unknown one reports both', () => {
    const error = planSpec
      .given(planEventsAt('proposed'))
      .when(
        recordAdoption({
          contributions: [aContribution('GR'), aContribution('EL'), aContribution('XX')],
        }),
      )
      .then('duplicate_contribution', { memberState: 'EL' });

    expect(error.violations.map((violation) => [violation.code, violation.path])).toEqual([
      ['duplicate_contribution', 'contributions.1.memberState'],
      ['unknown_member_state', 'contributions.2.memberState'],
    ]);
  });
});
