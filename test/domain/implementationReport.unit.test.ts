import {
  implementationReportDecider as decider,
  implementationReportCorrectedSchema,
  implementationReportSubmittedSchema,
  MAX_REPORT_NOTE_LENGTH,
  reportingMonths,
  type AdmissionLine,
  type ImplementationReportEvent,
  type ProcedureCounts,
} from '../../src/domain/implementation/implementationReport';
import { DomainError, type DomainErrorCode } from '../../src/domain/shared/domainError';
import { MAX_LINES } from '../../src/domain/shared/pledgeLine';
import {
  aPlanAmended,
  aPlanRegion,
  foldPlan,
  planEventsAt,
  planEventsWithRegions,
  planStateAt,
  PLAN_ID,
} from './builders';
import {
  anAdmission,
  anEmergencyAdmission,
  aReportCorrected,
  aReportSubmitted,
  correctReport,
  CORRECTION_REASON,
  REPORT_MONTH,
  reportingContext,
  reportSpec,
  someProcedureCounts,
  submitReport,
} from './reportBuilders';

/** Every event the decider records must be one its own schema reads back. */
function expectStorable(events: readonly ImplementationReportEvent[]): void {
  for (const event of events) {
    const schema =
      event.type === 'ImplementationReportSubmitted'
        ? implementationReportSubmittedSchema
        : implementationReportCorrectedSchema;
    expect(schema.safeParse(event.data).error).toBeUndefined();
  }
}

const accepts = (
  admissions: readonly AdmissionLine[],
  expected: readonly AdmissionLine[] = admissions,
  options: Parameters<typeof submitReport>[1] = {},
) => {
  const events = reportSpec
    .given([])
    .when(submitReport(admissions, options))
    .then([
      aReportSubmitted({
        admissions: expected,
        ...(options.procedure !== undefined && { procedure: options.procedure }),
        ...(options.context?.memberState !== undefined && {
          memberState: options.context.memberState,
        }),
      }),
    ]);
  expectStorable(events);
  return events;
};

const withRegions = foldPlan(planEventsWithRegions('adopted'));
const submitted = [aReportSubmitted()];
const tooLong = 'x'.repeat(MAX_REPORT_NOTE_LENGTH + 1);
const manyLines = Array.from({ length: MAX_LINES + 1 }, (_unused, index) =>
  anAdmission({ persons: index + 1, note: `Cohort ${index}` }),
);

describe('Implementation report: every refusal, with the field it names', () => {
  // [code, path of the first violation, given events, command]
  const refusals: readonly (readonly [
    DomainErrorCode,
    string | undefined,
    string,
    readonly ImplementationReportEvent[],
    ReturnType<typeof submitReport> | ReturnType<typeof correctReport>,
  ])[] = [
    [
      'plan_not_found',
      undefined,
      'no such plan',
      [],
      submitReport(undefined, { context: { plan: planStateAt('none') } }),
    ],
    [
      'plan_not_adopted',
      undefined,
      'a proposed plan',
      [],
      submitReport(undefined, { context: { plan: planStateAt('proposed') } }),
    ],
    [
      'invalid_report_month',
      'month',
      'month 2026-3',
      [],
      submitReport(undefined, { context: { month: '2026-3' } }),
    ],
    [
      'invalid_report_month',
      'month',
      'month 2026-13',
      [],
      submitReport(undefined, { context: { month: '2026-13' } }),
    ],
    [
      'month_outside_plan_period',
      'month',
      'December 2025, before the period',
      [],
      submitReport(undefined, {
        context: { month: '2025-12', now: '2025-12-20T00:00:00.000Z' },
      }),
    ],
    [
      'month_outside_plan_period',
      'month',
      'January 2028, after the period',
      [],
      submitReport(undefined, {
        context: { month: '2028-01', now: '2028-02-01T00:00:00.000Z' },
      }),
    ],
    [
      'month_not_begun',
      'month',
      'April on the last millisecond of March',
      [],
      submitReport(undefined, {
        context: { month: '2026-04', now: '2026-03-31T23:59:59.999Z' },
      }),
    ],
    [
      'invalid_admission_line',
      'admissions.0.persons',
      'no persons on a line',
      [],
      submitReport([anAdmission({ persons: 0 })]),
    ],
    [
      'invalid_admission_line',
      'admissions.0',
      'resettlement without a host',
      [],
      submitReport([anAdmission({ hostCountry: undefined })]),
    ],
    [
      'invalid_admission_line',
      'admissions.0.emergencyBasis',
      'emergency admission without its basis',
      [],
      submitReport([anEmergencyAdmission({ emergencyBasis: undefined })]),
    ],
    [
      'invalid_admission_line',
      'admissions.0.year',
      "a year that is not the report month's",
      [],
      submitReport([anAdmission({ year: 2027 })]),
    ],
    [
      'invalid_admission_line',
      'admissions.0.note',
      `a note longer than ${MAX_REPORT_NOTE_LENGTH} characters`,
      [],
      submitReport([anAdmission({ note: tooLong })]),
    ],
    [
      'invalid_admission_line',
      'admissions.0.vulnerablePersons',
      'a negative group count',
      [],
      submitReport([anAdmission({ vulnerablePersons: -1 })]),
    ],
    [
      'invalid_admission_line',
      'admissions.0.familyMembers',
      'a fractional group count',
      [],
      submitReport([anAdmission({ familyMembers: 2.5 })]),
    ],
    [
      'invalid_admission_line',
      'admissions.0.bySex.female',
      'a negative count in a breakdown',
      [],
      submitReport([anAdmission({ bySex: { female: -1, male: 41, nonBinary: 0 } })]),
    ],
    [
      'invalid_admission_line',
      'admissions',
      `more than ${MAX_LINES} lines`,
      [],
      submitReport(manyLines),
    ],
    [
      'duplicate_admission_line',
      'admissions.1',
      'the same type and host twice',
      [],
      submitReport([anAdmission(), anAdmission({ hostCountry: 'tr', persons: 2 })]),
    ],
    [
      'unknown_host_country',
      'admissions.0.hostCountry',
      'a Member State as host',
      [],
      submitReport([anAdmission({ hostCountry: 'DE' })]),
    ],
    [
      'unknown_host_country',
      'admissions.0.hostCountries.1',
      'an unknown code among several hosts',
      [],
      submitReport([anAdmission({ hostCountry: undefined, hostCountries: ['EG', 'ZZ'] })]),
    ],
    [
      'unknown_plan_region',
      'admissions.0.planRegion',
      'a region the plan does not name',
      [],
      submitReport([anAdmission({ hostCountry: undefined, planRegion: 'sahel' })], {
        context: { plan: withRegions },
      }),
    ],
    [
      'unknown_target_group',
      'admissions.0.targetGroups.0',
      'an unknown target group',
      [],
      submitReport([anAdmission({ targetGroups: ['elderly'] })]),
    ],
    [
      'year_outside_plan_period',
      'admissions.0.year',
      'a year outside the period',
      [],
      submitReport([anAdmission({ year: 2028 })]),
    ],
    [
      'group_count_exceeds_persons',
      'admissions.0.vulnerablePersons',
      'more persons in the Art. 19(3) groups than on the line',
      [],
      submitReport([anAdmission({ persons: 10, vulnerablePersons: 11 })]),
    ],
    [
      'group_count_exceeds_persons',
      'admissions.0.familyMembers',
      'more family members than persons on the line',
      [],
      submitReport([anAdmission({ persons: 10, familyMembers: 11 })]),
    ],
    [
      'breakdown_mismatch',
      'admissions.0.bySex',
      'a breakdown by sex that does not add up',
      [],
      submitReport([anAdmission({ persons: 10, bySex: { female: 5, male: 4, nonBinary: 0 } })]),
    ],
    [
      'breakdown_mismatch',
      'admissions.0.byAgeBand',
      'age bands that add up to more',
      [],
      submitReport([
        anAdmission({ persons: 10, byAgeBand: { under18: 6, from18To60: 5, over60: 0 } }),
      ]),
    ],
    [
      'invalid_procedure_counts',
      'procedure.openBeyond10Months',
      'more cases open past 10 months than past 7',
      [],
      submitReport(undefined, {
        procedure: someProcedureCounts({ openBeyond7Months: 2, openBeyond10Months: 3 }),
      }),
    ],
    [
      'invalid_procedure_counts',
      'procedure.registered',
      'a fractional procedure count',
      [],
      submitReport(undefined, { procedure: someProcedureCounts({ registered: 1.5 }) }),
    ],
    [
      'invalid_procedure_counts',
      'procedure.discontinued',
      'a negative procedure count',
      [],
      submitReport(undefined, { procedure: someProcedureCounts({ discontinued: -2 }) }),
    ],
    [
      'personal_data_suspected',
      'admissions.0.note',
      'a date of birth in a note',
      [],
      submitReport([anAdmission({ note: 'Child born 2019-04-02' })]),
    ],
    [
      'personal_data_suspected',
      'reason',
      'a case number in a reason',
      submitted,
      correctReport(undefined, 'Case LEB-2231907 was counted twice'),
    ],
    [
      'report_already_submitted',
      undefined,
      'a second submission',
      submitted,
      submitReport([anAdmission({ persons: 41 })]),
    ],
    ['report_not_found', undefined, 'a correction of no report', [], correctReport()],
    [
      'reason_required',
      'reason',
      'a correction without a reason',
      submitted,
      correctReport(undefined, '  '),
    ],
    [
      'no_op_correction',
      undefined,
      'a correction that changes nothing',
      submitted,
      correctReport([anAdmission()]),
    ],
  ];

  it.each(refusals)('%s at %s: %s', (code, path, _label, given, command) => {
    const error = reportSpec.given(given).when(command).then(code);
    expect(error.path).toBe(path);
    expect(error.violations[0]).toMatchObject({ code, ...(path !== undefined && { path }) });
  });

  it('covers every code the decider raises', () => {
    const codes = new Set(refusals.map(([code]) => code));
    expect([...codes].sort()).toEqual(
      [
        'breakdown_mismatch',
        'duplicate_admission_line',
        'group_count_exceeds_persons',
        'invalid_admission_line',
        'invalid_procedure_counts',
        'invalid_report_month',
        'month_not_begun',
        'month_outside_plan_period',
        'no_op_correction',
        'personal_data_suspected',
        'plan_not_adopted',
        'plan_not_found',
        'reason_required',
        'report_already_submitted',
        'report_not_found',
        'unknown_host_country',
        'unknown_plan_region',
        'unknown_target_group',
        'year_outside_plan_period',
      ].sort(),
    );
  });

  it.each(['draft', 'pledging_open', 'pledging_closed', 'proposed'] as const)(
    'refuses a report while the plan is %s → plan_not_adopted, naming the status',
    (status) => {
      reportSpec
        .given([])
        .when(submitReport(undefined, { context: { plan: planStateAt(status) } }))
        .then('plan_not_adopted', { planId: PLAN_ID, status });
    },
  );

  it('names every rule a report breaks at once, each with its path', () => {
    const error = reportSpec
      .given([])
      .when(
        submitReport(
          [
            anAdmission({ persons: 0 }),
            anAdmission({
              hostCountry: 'LB',
              persons: 5,
              vulnerablePersons: 6,
              note: 'Contact: officer@example.org',
            }),
          ],
          { procedure: someProcedureCounts({ openBeyond7Months: 0, openBeyond10Months: 1 }) },
        ),
      )
      .then('invalid_admission_line');
    expect(error.violations.map(({ code, path }) => [code, path])).toEqual([
      ['invalid_admission_line', 'admissions.0.persons'],
      ['group_count_exceeds_persons', 'admissions.1.vulnerablePersons'],
      ['personal_data_suspected', 'admissions.1.note'],
      ['invalid_procedure_counts', 'procedure.openBeyond10Months'],
    ]);
  });

  it('checks the plan and the month before the lines: a report for an unbegun month says so first', () => {
    reportSpec
      .given([])
      .when(
        submitReport([anAdmission({ persons: 0 })], {
          context: { month: '2026-09', now: '2026-08-31T12:00:00.000Z' },
        }),
      )
      .then('month_not_begun', { month: '2026-09' });
  });

  it('refuses a second submission even when it is identical → report_already_submitted', () => {
    reportSpec
      .given(submitted)
      .when(submitReport())
      .then('report_already_submitted', { memberState: 'DE', month: REPORT_MONTH });
  });
});

describe('Implementation report: what a Member State may report', () => {
  it('records a month in which nothing was admitted as an empty list of admissions', () => {
    accepts([]);
  });

  it('records an empty month with its procedure counts: the procedure runs on', () => {
    accepts([], [], { procedure: someProcedureCounts({ positiveConclusions: 12 }) });
  });

  it('records emergency admission without a host country (Art. 8(5)), on either basis', () => {
    accepts([
      anEmergencyAdmission(),
      anEmergencyAdmission({ emergencyBasis: 'humanitarian_admission', persons: 2 }),
    ]);
  });

  it('records emergency admission with a host country too, normalised', () => {
    accepts(
      [anEmergencyAdmission({ hostCountry: 'ly' })],
      [anEmergencyAdmission({ hostCountry: 'LY' })],
    );
  });

  it('records several host countries as one figure, sorted and upper case, never split', () => {
    accepts(
      [anAdmission({ hostCountry: undefined, hostCountries: ['td', 'EG', 'eg'], persons: 9 })],
      [anAdmission({ hostCountry: undefined, hostCountries: ['EG', 'TD'], persons: 9 })],
    );
  });

  it('records a line naming one of the plan’s own regions (Art. 8(3)(c))', () => {
    const line = anAdmission({
      admissionType: 'humanitarian_admission',
      hostCountry: undefined,
      planRegion: aPlanRegion().id,
    });
    reportSpec
      .given([])
      .when(submitReport([line], { context: { plan: withRegions } }))
      .then([aReportSubmitted({ admissions: [line] })]);
  });

  it('records a line naming a region an amendment added (Art. 8(6))', () => {
    const plan = foldPlan([
      ...planEventsAt('adopted'),
      aPlanAmended({
        addRegions: [aPlanRegion({ id: 'sahel', name: 'Sahel', countries: ['NE'] })],
      }),
    ]);
    const line = anAdmission({ hostCountry: undefined, planRegion: 'sahel' });
    reportSpec
      .given([])
      .when(
        submitReport([line], { context: { plan, month: '2026-07', now: '2026-07-02T00:00:00Z' } }),
      )
      .then([aReportSubmitted({ admissions: [line], month: '2026-07' })]);
  });

  it('records a host outside the plan’s countries: the fulfilment view flags it, the report is a fact', () => {
    accepts([anAdmission({ hostCountry: 'AF' })]);
  });

  it('keeps the Art. 19(3) groups and family members, up to every person of the line', () => {
    accepts([
      anAdmission({ persons: 12, vulnerablePersons: 12, familyMembers: 0 }),
      anAdmission({
        admissionType: 'humanitarian_admission',
        hostCountry: 'LB',
        persons: 8,
        vulnerablePersons: 3,
        familyMembers: 5,
      }),
    ]);
  });

  it('keeps the AMIF breakdowns by sex and age band when they add up to the persons', () => {
    accepts([
      anAdmission({
        persons: 10,
        bySex: { female: 6, male: 4, nonBinary: 0 },
        byAgeBand: { under18: 5, from18To60: 4, over60: 1 },
      }),
    ]);
  });

  it('keeps target groups sorted and a trimmed note', () => {
    accepts(
      [anAdmission({ targetGroups: ['medical_needs', 'children'], note: '  Charter flight  ' })],
      [anAdmission({ targetGroups: ['children', 'medical_needs'], note: 'Charter flight' })],
    );
  });

  it(`accepts a note of ${MAX_REPORT_NOTE_LENGTH} characters after trimming`, () => {
    const note = 'n'.repeat(MAX_REPORT_NOTE_LENGTH);
    accepts([anAdmission({ note: `  ${note}  ` })], [anAdmission({ note })]);
  });

  it('accepts the report month’s own year on a line', () => {
    accepts([anAdmission({ year: 2026 })]);
  });

  it('keeps the procedure counts given and leaves out those not given', () => {
    const given = {
      registered: 20,
      openBeyond10Months: undefined,
      emergencyConcludedBeyond1Month: 1,
      enteredBeyond12Months: 0,
    } as unknown as ProcedureCounts;
    reportSpec
      .given([])
      .when(submitReport([], { procedure: given }))
      .then([
        aReportSubmitted({
          admissions: [],
          procedure: {
            registered: 20,
            emergencyConcludedBeyond1Month: 1,
            enteredBeyond12Months: 0,
          },
        }),
      ]);
  });

  it('accepts as many cases open past 10 months as past 7 (all of them late), or either alone', () => {
    for (const procedure of [
      { openBeyond7Months: 4, openBeyond10Months: 4 },
      { openBeyond10Months: 4 },
      { openBeyond7Months: 4 },
    ]) {
      accepts([], [], { procedure });
    }
  });

  it('records a report made by the Commission on the Member State’s behalf, marked as such', () => {
    reportSpec
      .given([])
      .when(submitReport(undefined, { context: { onBehalf: true } }))
      .then([aReportSubmitted({ onBehalf: true })]);
  });

  it('names the participant and the month from the context', () => {
    reportSpec
      .given([])
      .when(submitReport(undefined, { context: { memberState: 'NO', month: '2026-02' } }))
      .then([aReportSubmitted({ memberState: 'NO', month: '2026-02' })]);
  });

  describe('which months', () => {
    it('takes a month from its first millisecond, before it ends', () => {
      reportSpec
        .given([])
        .when(submitReport(undefined, { context: { now: '2026-03-01T00:00:00.000Z' } }))
        .then([aReportSubmitted()]);
    });

    it('takes the first and the last month of the period, the last one after the period ended', () => {
      for (const [month, now] of [
        ['2026-01', '2026-01-31T23:00:00.000Z'],
        ['2027-12', '2028-02-10T08:00:00.000Z'],
      ] as const) {
        reportSpec
          .given([])
          .when(submitReport([anAdmission({ year: undefined })], { context: { month, now } }))
          .then([aReportSubmitted({ month })]);
      }
    });

    it('takes a plan amended since its adoption: it is still the adopted plan', () => {
      const plan = foldPlan([...planEventsAt('adopted'), aPlanAmended()]);
      reportSpec
        .given([])
        .when(submitReport(undefined, { context: { plan } }))
        .then([aReportSubmitted()]);
    });

    it('lists the 24 months of the 2026-2027 period', () => {
      const months = reportingMonths({ periodStart: '2026-01-01', periodEnd: '2027-12-31' });
      expect(months).toHaveLength(24);
      expect([months[0], months[11], months[12], months[23]]).toEqual([
        '2026-01',
        '2026-12',
        '2027-01',
        '2027-12',
      ]);
    });
  });
});

describe('Implementation report: correct', () => {
  it('records the new lines with the trimmed reason', () => {
    const events = reportSpec
      .given(submitted)
      .when(correctReport([anAdmission({ persons: 42 })], `  ${CORRECTION_REASON}  `))
      .then([aReportCorrected()]);
    expectStorable(events);
  });

  it('corrects against the latest version, not the first', () => {
    reportSpec
      .given([...submitted, aReportCorrected()])
      .when(correctReport([anAdmission()], 'The two arrivals belong to March after all'))
      .then([
        aReportCorrected({
          admissions: [anAdmission()],
          reason: 'The two arrivals belong to March after all',
        }),
      ]);
    reportSpec
      .given([...submitted, aReportCorrected()])
      .when(correctReport([anAdmission({ persons: 42 })]))
      .then('no_op_correction');
  });

  it('records a correction to nothing admitted', () => {
    reportSpec
      .given(submitted)
      .when(correctReport([], 'The flight was postponed to April'))
      .then([aReportCorrected({ admissions: [], reason: 'The flight was postponed to April' })]);
  });

  it('records a correction of the procedure counts alone', () => {
    const procedure = someProcedureCounts({ openBeyond7Months: 7 });
    reportSpec
      .given([aReportSubmitted({ procedure: someProcedureCounts() })])
      .when(correctReport([anAdmission()], 'One more case passed 7 months', { procedure }))
      .then([
        aReportCorrected({
          admissions: [anAdmission()],
          procedure,
          reason: 'One more case passed 7 months',
        }),
      ]);
  });

  it('records a correction of a note or a group count alone', () => {
    for (const changed of [
      anAdmission({ note: 'Charter flight' }),
      anAdmission({ vulnerablePersons: 4 }),
    ]) {
      reportSpec
        .given(submitted)
        .when(correctReport([changed]))
        .then([aReportCorrected({ admissions: [changed] })]);
    }
  });

  it('records a correction made by the Commission on the Member State’s behalf', () => {
    reportSpec
      .given(submitted)
      .when(correctReport(undefined, CORRECTION_REASON, { context: { onBehalf: true } }))
      .then([aReportCorrected({ onBehalf: true })]);
  });

  it('refuses the same lines in another order and case → no_op_correction', () => {
    reportSpec
      .given([
        aReportSubmitted({
          admissions: [anAdmission(), anAdmission({ hostCountry: 'LB', persons: 5 })],
        }),
      ])
      .when(
        correctReport([
          anAdmission({ hostCountry: 'lb', persons: 5 }),
          anAdmission({ hostCountry: 'tr' }),
        ]),
      )
      .then('no_op_correction', { memberState: 'DE', month: REPORT_MONTH });
  });

  it('refuses the same target groups in another order → no_op_correction', () => {
    reportSpec
      .given([
        aReportSubmitted({
          admissions: [anAdmission({ targetGroups: ['children', 'medical_needs'] })],
        }),
      ])
      .when(correctReport([anAdmission({ targetGroups: ['medical_needs', 'children'] })]))
      .then('no_op_correction');
  });

  it('refuses no procedure counts where none were given, or an empty set of them → no_op_correction', () => {
    reportSpec
      .given(submitted)
      .when(correctReport([anAdmission()], CORRECTION_REASON, { procedure: {} }))
      .then('no_op_correction');
  });

  it.each(['', '   '])('refuses reason %j → reason_required', (reason) => {
    reportSpec.given(submitted).when(correctReport(undefined, reason)).then('reason_required');
  });

  it('names a missing reason and broken lines at once', () => {
    const error = reportSpec
      .given(submitted)
      .when(correctReport([anAdmission({ persons: 5, familyMembers: 6 })], ''))
      .then('reason_required');
    expect(error.violations.map(({ code, path }) => [code, path])).toEqual([
      ['reason_required', 'reason'],
      ['group_count_exceeds_persons', 'admissions.0.familyMembers'],
    ]);
  });

  it('checks the month like a submission: a correction of a month outside the period is refused', () => {
    reportSpec
      .given(submitted)
      .when(
        correctReport(undefined, CORRECTION_REASON, {
          context: { month: '2028-01', now: '2028-02-01T00:00:00Z' },
        }),
      )
      .then('month_outside_plan_period');
  });

  it('refuses to correct a report that was never submitted → report_not_found', () => {
    reportSpec
      .given([])
      .when(correctReport())
      .then('report_not_found', { memberState: 'DE', month: REPORT_MONTH });
  });
});

describe('Implementation report: evolve', () => {
  it('folds a submission and its corrections into the latest version', () => {
    const procedure = someProcedureCounts();
    const events: ImplementationReportEvent[] = [
      aReportSubmitted(),
      aReportCorrected({ procedure }),
      aReportCorrected({ admissions: [] }),
    ];
    const state = events.reduce(
      (current, event) => decider.evolve(current, event),
      decider.initialState(),
    );
    expect(state).toEqual({ status: 'reported', admissions: [], procedure: undefined });
    expect(events.slice(0, 2).reduce(decider.evolve, decider.initialState())).toEqual({
      status: 'reported',
      admissions: [anAdmission({ persons: 42 })],
      procedure,
    });
  });

  it('decides with no side effects: the context’s clock is the only time it reads', () => {
    const command = submitReport();
    const first = decider.decide(command, decider.initialState());
    const second = decider.decide(command, decider.initialState());
    expect(first).toStrictEqual(second);
    expect(() =>
      decider.decide(
        submitReport(undefined, { context: reportingContext({ now: '2026-02-28T23:59:59.999Z' }) }),
        decider.initialState(),
      ),
    ).toThrow(DomainError);
  });
});
