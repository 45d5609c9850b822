import { MAX_LINES, type PledgeLine } from '../../src/domain/shared/pledgeLine';
import { MAX_NOTE_LENGTH } from '../../src/domain/shared/lineValidation';
import { HOST_COUNTRIES } from '../../src/domain/reference';
import type { DomainErrorCode } from '../../src/domain/shared/domainError';
import {
  PLAN_ID,
  foldPlan,
  aLine,
  aPlanRegion,
  anEmergencyLine,
  aPledgeRevised,
  aPledgeSubmitted,
  aPledgeWithdrawn,
  aPledgingOpened,
  foldPledge,
  planEventsAt,
  planEventsWithRegions,
  planStateAt,
  pledgeSpec,
  revisePledge,
  submitPledge,
  withdrawPledge,
} from './builders';

const adopted = { plan: planStateAt('adopted') };

describe('Pledge: submit (Art. 11(5))', () => {
  it('records an indication while pledging is open, with the plan status pledging_open', () => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine()]))
      .then([aPledgeSubmitted({ lines: [aLine()], planStatus: 'pledging_open' })]);
  });

  it('records an indication after adoption as pending an amendment (Art. 8(6))', () => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine()], adopted))
      .then([aPledgeSubmitted({ planStatus: 'adopted' })]);
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
    'refuses a new pledge while the plan is %s → pledging_closed',
    (status) => {
      pledgeSpec
        .given([])
        .when(submitPledge([aLine()], { plan: planStateAt(status) }))
        .then('pledging_closed', { planId: PLAN_ID, status });
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

  describe('several host countries (one figure, never split)', () => {
    it('sorts and de-duplicates them, upper case', () => {
      accepts(
        [aLine({ hostCountry: undefined, hostCountries: ['ke', 'EG', 'eg '] })],
        [aLine({ hostCountry: undefined, hostCountries: ['EG', 'KE'] })],
      );
    });

    it.each([
      ['one code', ['sd']],
      ['one code twice, in two cases', ['SD', 'sd']],
    ])('turns a list of %s into hostCountry', (_label, hostCountries) => {
      accepts([aLine({ hostCountry: undefined, hostCountries })], [aLine({ hostCountry: 'SD' })]);
    });

    it.each(['ZZ', 'DE', 'GR'])('refuses %s among them → unknown_host_country', (hostCountry) => {
      refuses(
        [aLine({ hostCountry: undefined, hostCountries: ['EG', hostCountry] })],
        'unknown_host_country',
        { line: 0, hostCountry },
      );
    });

    it('refuses an empty list → invalid_pledge_line', () => {
      refuses([aLine({ hostCountry: undefined, hostCountries: [] })], 'invalid_pledge_line', {
        line: 0,
      });
    });

    it('refuses the same group twice, written in another order → duplicate_pledge_line', () => {
      refuses(
        [
          aLine({ hostCountry: undefined, hostCountries: ['EG', 'KE'] }),
          aLine({ hostCountry: undefined, hostCountries: ['KE', 'EG'] }),
        ],
        'duplicate_pledge_line',
        { lines: [0, 1], key: 'resettlement|EG+KE|-|-' },
      );
    });

    it('refuses a one-country list beside a line for that country → duplicate_pledge_line', () => {
      refuses(
        [aLine(), aLine({ hostCountry: undefined, hostCountries: ['TR'] })],
        'duplicate_pledge_line',
        { lines: [0, 1] },
      );
    });

    it('keeps a group apart from a line for one of its countries', () => {
      accepts([
        aLine({ hostCountry: 'EG' }),
        aLine({ hostCountry: undefined, hostCountries: ['EG', 'KE'] }),
      ]);
    });
  });

  describe("one of the plan's own regions (Art. 8(3)(c))", () => {
    const withRegions = { plan: foldPlan(planEventsWithRegions('pledging_open')) };
    const regionLine = aLine({ hostCountry: undefined, planRegion: 'central_mediterranean' });

    it('accepts a region the plan names', () => {
      pledgeSpec
        .given([])
        .when(submitPledge([regionLine], withRegions))
        .then([aPledgeSubmitted({ lines: [regionLine] })]);
    });

    it('refuses a region the plan does not name → unknown_plan_region', () => {
      pledgeSpec
        .given([])
        .when(
          submitPledge(
            [aLine(), aLine({ hostCountry: undefined, planRegion: 'sahel' })],
            withRegions,
          ),
        )
        .then('unknown_plan_region', {
          line: 1,
          planRegion: 'sahel',
          planRegions: [aPlanRegion().id],
        });
    });

    it('refuses any region when the plan names none → unknown_plan_region', () => {
      refuses([regionLine], 'unknown_plan_region', {
        planRegion: 'central_mediterranean',
        planRegions: [],
      });
    });
  });

  it.each([
    ['hostCountry and hostCountries', { hostCountry: 'EG', hostCountries: ['EG', 'KE'] }],
    ['hostCountry and planRegion', { hostCountry: 'LY', planRegion: 'central_mediterranean' }],
    [
      'hostCountries and planRegion',
      { hostCountry: undefined, hostCountries: ['LY', 'TN'], planRegion: 'central_mediterranean' },
    ],
    [
      'all three',
      { hostCountry: 'LY', hostCountries: ['LY', 'TN'], planRegion: 'central_mediterranean' },
    ],
  ])('refuses a line naming %s at once → invalid_pledge_line', (_label, host) => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine(host)], { plan: foldPlan(planEventsWithRegions('pledging_open')) }))
      .then('invalid_pledge_line', { line: 0 });
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
      .then([aPledgeRevised({ planStatus: 'adopted' })]);
  });

  it('records a raise after adoption too: only an amendment adopts it (Art. 8(6))', () => {
    const raised = [aLine({ persons: 400 }), aLine({ hostCountry: 'LB' })];
    pledgeSpec
      .given(submitted)
      .when(revisePledge(raised, 'More reception places', adopted))
      .then([
        aPledgeRevised({ lines: raised, reason: 'More reception places', planStatus: 'adopted' }),
      ]);
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

  it('validates the new lines like a submission', () => {
    pledgeSpec.given(submitted).when(revisePledge([])).then('empty_pledge');
  });
});

describe('Pledge: once the collection is over and until adoption, lower or withdraw only (Art. 8(3)(b))', () => {
  // Given Germany's indication: 100 resettlement from Türkiye, 100 from Lebanon, 50 humanitarian
  // admission from Egypt.
  const fromTurkey = aLine();
  const fromLebanon = aLine({ hostCountry: 'LB' });
  const humanitarian = (persons: number) =>
    aLine({ admissionType: 'humanitarian_admission', hostCountry: 'EG', persons });
  const lines = [fromTurkey, fromLebanon, humanitarian(50)];
  const submitted = [aPledgeSubmitted({ lines })];
  const AFTER_DEADLINE = '2025-11-01T00:00:00.000Z';

  const collectionOver = [
    ['the deadline passed, round still open', { now: AFTER_DEADLINE }, 'pledging_open'],
    ['the round is closed', { plan: planStateAt('pledging_closed') }, 'pledging_closed'],
    ['the plan is proposed', { plan: planStateAt('proposed') }, 'proposed'],
  ] as const;

  describe.each(collectionOver)('when %s', (_label, context, planStatus) => {
    it('records a lower figure for one admission type, with the plan status', () => {
      const lowered = [fromTurkey, fromLebanon, humanitarian(20)];
      pledgeSpec
        .given(submitted)
        .when(revisePledge(lowered, 'Fewer reception places', context))
        .then([aPledgeRevised({ lines: lowered, reason: 'Fewer reception places', planStatus })]);
    });

    it('records a line dropped, the others unchanged', () => {
      const dropped = [fromTurkey, humanitarian(50)];
      pledgeSpec
        .given(submitted)
        .when(revisePledge(dropped, 'Lebanon dropped', context))
        .then([aPledgeRevised({ lines: dropped, reason: 'Lebanon dropped', planStatus })]);
    });

    it('records a move between hosts that keeps each admission type’s total', () => {
      const moved = [
        aLine({ persons: 150 }),
        aLine({ hostCountry: 'LB', persons: 50 }),
        humanitarian(50),
      ];
      pledgeSpec
        .given(submitted)
        .when(revisePledge(moved, 'More from Türkiye, fewer from Lebanon', context))
        .then([
          aPledgeRevised({
            lines: moved,
            reason: 'More from Türkiye, fewer from Lebanon',
            planStatus,
          }),
        ]);
    });

    it.each([
      [
        'resettlement up',
        [aLine({ persons: 101 }), fromLebanon, humanitarian(50)],
        [{ admissionType: 'resettlement', before: 200, after: 201 }],
      ],
      [
        'humanitarian admission up while resettlement goes down more',
        [aLine({ persons: 10 }), humanitarian(60)],
        [{ admissionType: 'humanitarian_admission', before: 50, after: 60 }],
      ],
      [
        'a new emergency line',
        [...lines, anEmergencyLine({ persons: 5 })],
        [{ admissionType: 'emergency_admission', before: 0, after: 5 }],
      ],
    ] as const)('refuses %s → indication_raised_after_closing', (_case, revised, raised) => {
      pledgeSpec
        .given(submitted)
        .when(revisePledge(revised, 'More places', context))
        .then('indication_raised_after_closing', { raised, planStatus });
    });

    it('records a withdrawal, with the plan status', () => {
      pledgeSpec
        .given(submitted)
        .when(withdrawPledge('Reception capacity exhausted', context))
        .then([aPledgeWithdrawn({ planStatus })]);
    });
  });

  const newSubmissionRefused = [
    ['the deadline passed, round still open', { now: AFTER_DEADLINE }, 'pledge_deadline_passed'],
    ['the round is closed', { plan: planStateAt('pledging_closed') }, 'pledging_closed'],
    ['the plan is proposed', { plan: planStateAt('proposed') }, 'pledging_closed'],
  ] as const;

  it.each(newSubmissionRefused)(
    'refuses a first submission when %s → %s',
    (_label, context, code) => {
      pledgeSpec.given([]).when(submitPledge(lines, context)).then(code);
    },
  );

  it.each(newSubmissionRefused)(
    'refuses a new submission after a withdrawal when %s → %s',
    (_label, context, code) => {
      pledgeSpec
        .given([...submitted, aPledgeWithdrawn()])
        .when(submitPledge([aLine({ persons: 10 })], context))
        .then(code);
    },
  );

  it('names the deadline and the clock when the deadline passed', () => {
    pledgeSpec
      .given([])
      .when(submitPledge(lines, { now: AFTER_DEADLINE }))
      .then('pledge_deadline_passed', { deadline: '2025-10-31', now: AFTER_DEADLINE });
  });

  it('still refuses an identical revision first → no_op_revision', () => {
    pledgeSpec
      .given(submitted)
      .when(revisePledge(lines, 'Same', { plan: planStateAt('proposed') }))
      .then('no_op_revision');
  });

  it('lets anything change again once the Commission re-opens the round', () => {
    const reopened = foldPlan([
      ...planEventsAt('pledging_closed'),
      aPledgingOpened({ deadline: undefined }),
    ]);
    const raised = [aLine({ persons: 300 }), fromLebanon, humanitarian(50)];
    pledgeSpec
      .given(submitted)
      .when(revisePledge(raised, 'More places', { plan: reopened }))
      .then([
        aPledgeRevised({ lines: raised, reason: 'More places', planStatus: 'pledging_open' }),
      ]);
  });
});

describe('Pledge: the plan status recorded with each change', () => {
  it.each([
    ['pledging_open', { plan: planStateAt('pledging_open') }],
    ['adopted', { plan: planStateAt('adopted') }],
  ] as const)('records %s for a submission', (planStatus, context) => {
    pledgeSpec
      .given([])
      .when(submitPledge([aLine()], context))
      .then([aPledgeSubmitted({ planStatus })]);
  });

  it.each(['pledging_open', 'pledging_closed', 'proposed', 'adopted'] as const)(
    'records %s for a lowering revision',
    (planStatus) => {
      const lowered = [aLine({ persons: 50 })];
      pledgeSpec
        .given([aPledgeSubmitted()])
        .when(revisePledge(lowered, 'Fewer places', { plan: planStateAt(planStatus) }))
        .then([aPledgeRevised({ lines: lowered, reason: 'Fewer places', planStatus })]);
    },
  );
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
      .given([aPledgeSubmitted({ planStatus: 'pledging_open' })])
      .when(withdrawPledge(undefined, adopted))
      .then([aPledgeWithdrawn({ planStatus: 'adopted' })]);
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

  it.each(['pledging_open', 'pledging_closed', 'proposed', 'adopted'] as const)(
    'records the plan status %s with the withdrawal',
    (planStatus) => {
      pledgeSpec
        .given([aPledgeSubmitted()])
        .when(withdrawPledge(undefined, { plan: planStateAt(planStatus) }))
        .then([aPledgeWithdrawn({ planStatus })]);
    },
  );

  it('refuses to withdraw before the round opens → pledging_not_open', () => {
    pledgeSpec
      .given([aPledgeSubmitted()])
      .when(withdrawPledge(undefined, { plan: planStateAt('draft') }))
      .then('pledging_not_open');
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
