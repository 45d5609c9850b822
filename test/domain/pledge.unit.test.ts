import type { PledgeLine } from '../../src/domain/shared/pledgeLine';
import { MAX_LINES, MAX_NOTE_LENGTH } from '../../src/domain/shared/lineValidation';
import { HOST_COUNTRIES } from '../../src/domain/reference';
import type { DomainErrorCode } from '../../src/domain/shared/domainError';
import {
  PLAN_ID,
  foldPlan,
  aLine,
  anEmergencyLine,
  aPledgeRevised,
  aPledgeSubmitted,
  aPledgeWithdrawn,
  aPledgingOpened,
  foldPledge,
  planEventsAt,
  planStateAt,
  pledgeSpec,
  revisePledge,
  submitPledge,
  withdrawPledge,
} from './builders';

const adopted = { plan: planStateAt('adopted') };

describe('Pledge: submit (Art. 11(5))', () => {
  it('records an indication while pledging is open, not after adoption', () => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine()]))
      .then([aPledgeSubmitted({ lines: [aLine()], afterAdoption: false })]);
  });

  it('records an indication after adoption as pending an amendment (Art. 8(6))', () => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine()], adopted))
      .then([aPledgeSubmitted({ afterAdoption: true })]);
  });

  it('refuses a change once the adopted plan period is over → plan_period_ended', () => {
    pledgeSpec
      .given([])
      .when(
        submitPledge([aLine()], { plan: planStateAt('adopted'), now: '2028-01-01T00:00:00.000Z' }),
      )
      .then('plan_period_ended', { periodEnd: '2027-12-31' });
  });

  it('refuses a pledge before the Commission opens the round → pledging_not_open', () => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine()], { plan: planStateAt('draft') }))
      .then('pledging_not_open', { planId: PLAN_ID });
  });

  it.each(['pledging_closed', 'proposed'] as const)(
    'refuses a pledge while the plan is %s → pledges_frozen',
    (status) => {
      pledgeSpec
        .given([])
        .when(submitPledge([aLine()], { plan: planStateAt(status) }))
        .then('pledges_frozen', { status });
    },
  );

  it('refuses a pledge for a plan that does not exist → plan_not_found', () => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine()], { plan: planStateAt('none') }))
      .then('plan_not_found');
  });

  describe('deadline', () => {
    it('accepts a pledge in the last millisecond of a deadline given as a date', () => {
      pledgeSpec
        .given([])
        .when(submitPledge([aLine()], { now: '2025-10-31T23:59:59.999Z' }))
        .then([aPledgeSubmitted()]);
    });

    it('refuses a pledge the day after a date deadline → pledge_deadline_passed', () => {
      pledgeSpec
        .given([])
        .when(submitPledge([aLine()], { now: '2025-11-01T00:00:00.000Z' }))
        .then('pledge_deadline_passed', { deadline: '2025-10-31' });
    });

    it('refuses a pledge one millisecond after an instant deadline', () => {
      const plan = foldPlan([
        ...planEventsAt('draft'),
        aPledgingOpened({ deadline: '2025-10-31T12:00:00Z' }),
      ]);
      pledgeSpec
        .given([])
        .when(submitPledge([aLine()], { plan, now: '2025-10-31T12:00:00.001Z' }))
        .then('pledge_deadline_passed');
      pledgeSpec
        .given([])
        .when(submitPledge([aLine()], { plan, now: '2025-10-31T12:00:00.000Z' }))
        .then([aPledgeSubmitted()]);
    });

    it('accepts a pledge at any time when the round has no deadline', () => {
      const plan = foldPlan([...planEventsAt('draft'), aPledgingOpened({ deadline: undefined })]);
      pledgeSpec
        .given([])
        .when(submitPledge([aLine()], { plan, now: '2030-01-01T00:00:00.000Z' }))
        .then([aPledgeSubmitted()]);
    });
  });

  it('refuses a second submission while one is active → pledge_already_submitted', () => {
    pledgeSpec
      .given([aPledgeSubmitted()])
      .when(submitPledge([aLine({ persons: 300 })]))
      .then('pledge_already_submitted', { memberState: 'DE' });
  });

  it('accepts a new submission after a withdrawal', () => {
    pledgeSpec
      .given([aPledgeSubmitted(), aPledgeWithdrawn()])
      .when(submitPledge([aLine({ persons: 40 })]))
      .then([aPledgeSubmitted({ lines: [aLine({ persons: 40 })] })]);
  });

  it('names the plan and the Member State from the context', () => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine()], { memberState: 'EL' }))
      .then([aPledgeSubmitted({ memberState: 'EL' })]);
  });
});

describe('Pledge lines', () => {
  const accepts = (lines: readonly PledgeLine[], expected: readonly PledgeLine[] = lines) =>
    pledgeSpec
      .given([])
      .when(submitPledge(lines))
      .then([aPledgeSubmitted({ lines: expected })]);
  const refuses = (
    lines: readonly PledgeLine[],
    code: DomainErrorCode,
    facts?: Record<string, unknown>,
  ) => pledgeSpec.given([]).when(submitPledge(lines)).then(code, facts);

  it('refuses a pledge without lines → empty_pledge', () => {
    refuses([], 'empty_pledge');
  });

  it('normalises a lower-case host country: tr → TR', () => {
    accepts([aLine({ hostCountry: ' tr ' })], [aLine({ hostCountry: 'TR' })]);
  });

  it.each(['DE', 'EL', 'GR', 'RE', 'ZZ', ''])(
    'refuses %j as a host country: EU Member States and unknown codes → unknown_host_country',
    (hostCountry) => {
      refuses([aLine({ hostCountry })], 'unknown_host_country', { line: 0, hostCountry });
    },
  );

  it.each(['resettlement', 'humanitarian_admission'] as const)(
    'requires a host country for %s',
    (admissionType) => {
      refuses([aLine({ admissionType, hostCountry: undefined })], 'invalid_pledge_line', {
        line: 0,
      });
    },
  );

  it('takes emergency admission without a host country (Art. 8(5))', () => {
    accepts([anEmergencyLine()]);
  });

  it('takes emergency admission with a host country too, normalised', () => {
    accepts([anEmergencyLine({ hostCountry: 'ly' })], [anEmergencyLine({ hostCountry: 'LY' })]);
  });

  it('requires an emergency basis for emergency admission (Art. 2)', () => {
    refuses([anEmergencyLine({ emergencyBasis: undefined })], 'invalid_pledge_line');
  });

  it('refuses an emergency basis that is neither resettlement nor humanitarian admission', () => {
    const line = { ...anEmergencyLine(), emergencyBasis: 'medical' } as unknown as PledgeLine;
    refuses([line], 'invalid_pledge_line', { emergencyBasis: 'medical' });
  });

  it('refuses an unknown admission type', () => {
    const line = { ...aLine(), admissionType: 'relocation' } as unknown as PledgeLine;
    refuses([line], 'invalid_pledge_line', { admissionType: 'relocation' });
  });

  it.each(['resettlement', 'humanitarian_admission'] as const)(
    'refuses an emergency basis on a %s line',
    (admissionType) => {
      refuses([aLine({ admissionType, emergencyBasis: 'resettlement' })], 'invalid_pledge_line');
    },
  );

  it.each([0, -5, 2.5, Number.NaN, 1_000_001])('refuses %s persons', (persons) => {
    refuses([aLine({ persons })], 'invalid_pledge_line', { line: 0, persons });
  });

  it('refuses a persons value that is not a number', () => {
    const line = { ...aLine(), persons: '100' } as unknown as PledgeLine;
    refuses([line], 'invalid_pledge_line');
  });

  it.each([1, 1_000_000])('accepts %s persons', (persons) => {
    accepts([aLine({ persons })]);
  });

  it.each([2025, 2028, 2026.5])('refuses year %s → year_outside_plan_period', (year) => {
    refuses([aLine({ year })], 'year_outside_plan_period', { line: 0, year });
  });

  it('accepts lines for each year of the period', () => {
    accepts([aLine({ year: 2026 }), aLine({ year: 2027 })]);
  });

  it('names the failing line by its index', () => {
    refuses([aLine(), aLine({ hostCountry: 'LB', persons: 0 })], 'invalid_pledge_line', {
      line: 1,
    });
  });

  it('refuses an unknown target group → unknown_target_group', () => {
    refuses([aLine({ targetGroups: ['children', 'elderly'] })], 'unknown_target_group', {
      targetGroup: 'elderly',
    });
  });

  it('sorts and de-duplicates target groups, and drops an empty list', () => {
    accepts(
      [
        aLine({ targetGroups: ['medical_needs', 'children', 'medical_needs'] }),
        aLine({ hostCountry: 'LB', targetGroups: [] }),
      ],
      [aLine({ targetGroups: ['children', 'medical_needs'] }), aLine({ hostCountry: 'LB' })],
    );
  });

  describe('family members (humanitarian admission only, Art. 5(3))', () => {
    it('accepts them for humanitarian admission', () => {
      accepts([
        aLine({ admissionType: 'humanitarian_admission', targetGroups: ['family_members'] }),
      ]);
    });

    it('accepts them for emergency admission on a humanitarian basis', () => {
      accepts([
        anEmergencyLine({
          emergencyBasis: 'humanitarian_admission',
          targetGroups: ['family_members'],
        }),
      ]);
    });

    it('refuses them for resettlement', () => {
      refuses([aLine({ targetGroups: ['family_members'] })], 'invalid_pledge_line');
    });

    it('refuses them for emergency admission on a resettlement basis', () => {
      refuses([anEmergencyLine({ targetGroups: ['family_members'] })], 'invalid_pledge_line');
    });
  });

  describe('duplicate lines (same admission type, host country, year and basis)', () => {
    it('refuses two identical keys, even written in different case → duplicate_pledge_line', () => {
      refuses(
        [aLine({ persons: 10 }), aLine({ hostCountry: 'LB' }), aLine({ hostCountry: 'tr' })],
        'duplicate_pledge_line',
        { lines: [0, 2] },
      );
    });

    it('refuses two emergency lines with the same basis and no host country', () => {
      refuses([anEmergencyLine(), anEmergencyLine({ persons: 5 })], 'duplicate_pledge_line');
    });

    it('accepts lines that differ in year, type, country or basis', () => {
      accepts([
        aLine(),
        aLine({ year: 2026 }),
        aLine({ year: 2027 }),
        aLine({ hostCountry: 'LB' }),
        aLine({ admissionType: 'humanitarian_admission' }),
        anEmergencyLine(),
        anEmergencyLine({ emergencyBasis: 'humanitarian_admission' }),
      ]);
    });
  });

  describe('notes', () => {
    it('trims a note and drops a blank one', () => {
      accepts(
        [aLine({ note: '  Syrian refugees  ' }), aLine({ hostCountry: 'LB', note: '   ' })],
        [aLine({ note: 'Syrian refugees' }), aLine({ hostCountry: 'LB' })],
      );
    });

    it('refuses a note longer than the limit', () => {
      refuses([aLine({ note: 'x'.repeat(MAX_NOTE_LENGTH + 1) })], 'invalid_pledge_line');
    });
  });

  it(`refuses more than ${MAX_LINES} lines`, () => {
    const lines = HOST_COUNTRIES.flatMap(({ code }) =>
      [undefined, 2026, 2027].map((year) => aLine({ hostCountry: code, year })),
    );
    expect(lines.length).toBeGreaterThan(MAX_LINES);
    refuses(lines.slice(0, MAX_LINES + 1), 'invalid_pledge_line', { lines: MAX_LINES + 1 });
    accepts(lines.slice(0, MAX_LINES));
  });
});

describe('Pledge: revise', () => {
  const submitted = [aPledgeSubmitted({ lines: [aLine(), aLine({ hostCountry: 'LB' })] })];

  it('records the full new set of lines and the trimmed reason', () => {
    pledgeSpec
      .given(submitted)
      .when(revisePledge([aLine({ persons: 150 })], '  More reception places  '))
      .then([
        aPledgeRevised({ lines: [aLine({ persons: 150 })], reason: 'More reception places' }),
      ]);
  });

  it('marks a revision after adoption as pending an amendment', () => {
    pledgeSpec
      .given(submitted)
      .when(revisePledge([aLine({ persons: 150 })], 'Reception capacity increased', adopted))
      .then([aPledgeRevised({ afterAdoption: true })]);
  });

  it.each(['', '   '])('refuses a revision with reason %j → reason_required', (reason) => {
    pledgeSpec.given(submitted).when(revisePledge(undefined, reason)).then('reason_required');
  });

  it('refuses the same lines in another order and case → no_op_revision', () => {
    pledgeSpec
      .given(submitted)
      .when(revisePledge([aLine({ hostCountry: 'lb' }), aLine({ hostCountry: 'tr' })]))
      .then('no_op_revision');
  });

  it('refuses the same lines with target groups in another order → no_op_revision', () => {
    pledgeSpec
      .given([
        aPledgeSubmitted({ lines: [aLine({ targetGroups: ['children', 'medical_needs'] })] }),
      ])
      .when(revisePledge([aLine({ targetGroups: ['medical_needs', 'children'] })]))
      .then('no_op_revision');
  });

  it('refuses to revise a withdrawn pledge → pledge_withdrawn', () => {
    pledgeSpec
      .given([...submitted, aPledgeWithdrawn()])
      .when(revisePledge())
      .then('pledge_withdrawn', { memberState: 'DE' });
  });

  it('refuses to revise a pledge never submitted → pledge_not_found', () => {
    pledgeSpec.given([]).when(revisePledge()).then('pledge_not_found');
  });

  it('refuses to revise while pledges are frozen → pledges_frozen', () => {
    pledgeSpec
      .given(submitted)
      .when(revisePledge(undefined, undefined, { plan: planStateAt('proposed') }))
      .then('pledges_frozen');
  });

  it('refuses to revise after the deadline → pledge_deadline_passed', () => {
    pledgeSpec
      .given(submitted)
      .when(revisePledge(undefined, undefined, { now: '2025-11-01T00:00:00.000Z' }))
      .then('pledge_deadline_passed');
  });

  it('validates the new lines like a submission', () => {
    pledgeSpec.given(submitted).when(revisePledge([])).then('empty_pledge');
  });
});

describe('Pledge: withdraw', () => {
  it('records the withdrawal with its trimmed reason', () => {
    pledgeSpec
      .given([aPledgeSubmitted()])
      .when(withdrawPledge(' Reception capacity exhausted '))
      .then([aPledgeWithdrawn({ reason: 'Reception capacity exhausted' })]);
  });

  it('marks a withdrawal after adoption', () => {
    pledgeSpec
      .given([aPledgeSubmitted({ afterAdoption: false })])
      .when(withdrawPledge(undefined, adopted))
      .then([aPledgeWithdrawn({ afterAdoption: true })]);
  });

  it('refuses a withdrawal without a reason → reason_required', () => {
    pledgeSpec.given([aPledgeSubmitted()]).when(withdrawPledge(' ')).then('reason_required');
  });

  it('refuses to withdraw twice → pledge_already_withdrawn', () => {
    pledgeSpec
      .given([aPledgeSubmitted(), aPledgeWithdrawn()])
      .when(withdrawPledge())
      .then('pledge_already_withdrawn', { memberState: 'DE' });
  });

  it('refuses to withdraw a pledge never submitted → pledge_not_found', () => {
    pledgeSpec.given([]).when(withdrawPledge()).then('pledge_not_found');
  });

  it('refuses to withdraw while pledges are frozen → pledges_frozen', () => {
    pledgeSpec
      .given([aPledgeSubmitted()])
      .when(withdrawPledge(undefined, { plan: planStateAt('pledging_closed') }))
      .then('pledges_frozen');
  });
});

describe('Pledge: evolve', () => {
  it('folds submission, revision, withdrawal and resubmission', () => {
    const revised = [aLine({ persons: 150 })];
    expect(foldPledge([aPledgeSubmitted()])).toStrictEqual({ status: 'active', lines: [aLine()] });
    expect(foldPledge([aPledgeSubmitted(), aPledgeRevised({ lines: revised })])).toStrictEqual({
      status: 'active',
      lines: revised,
    });
    expect(
      foldPledge([aPledgeSubmitted(), aPledgeRevised({ lines: revised }), aPledgeWithdrawn()]),
    ).toStrictEqual({ status: 'withdrawn', previousLines: revised });
    expect(
      foldPledge([aPledgeSubmitted(), aPledgeWithdrawn(), aPledgeSubmitted({ lines: revised })]),
    ).toStrictEqual({ status: 'active', lines: revised });
  });

  it('never throws on out-of-order events', () => {
    expect(foldPledge([aPledgeWithdrawn()])).toStrictEqual({
      status: 'withdrawn',
      previousLines: [],
    });
    expect(foldPledge([aPledgeWithdrawn(), aPledgeWithdrawn(), aPledgeRevised()])).toStrictEqual({
      status: 'active',
      lines: aPledgeRevised().data.lines,
    });
  });
});
