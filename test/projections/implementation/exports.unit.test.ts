import type { AdmissionLine } from '../../../src/domain/implementation/implementationReport';
import { ALL_PARTICIPANTS, ownScope, type ReadScope } from '../../../src/projections';
import {
  AMIF_ANNUAL_COLUMNS,
  amifAnnualCsv,
  csvField,
  FRAMEWORK_ADMISSION_COLUMNS,
  FRAMEWORK_PROCEDURE_COLUMNS,
  frameworkReportCsv,
  getAmifAnnualExport,
  getFrameworkReportExport,
  getFulfilment,
  type AmifAnnualExport,
  type Fulfilment,
  type FrameworkReportExport,
} from '../../../src/projections/implementation';
import {
  contribution,
  emergency,
  fromCountries,
  fromPlanRegion,
  humanitarian,
  resettlement,
  type Host,
} from '../builders';
import {
  admission,
  adoptedPlan,
  monthsOf,
  PLAN_ID,
  proposedPlan,
  seededRandom,
  type ImplementationLog,
} from './builders';

const ALL = ALL_PARTICIPANTS;

const ADOPTION = [
  contribution(
    'DE',
    resettlement('TR', 500),
    humanitarian('LB', 200),
    emergency('resettlement', 30),
  ),
  contribution('FR', resettlement(fromPlanRegion('latin_america'), 365)),
  contribution('NO', resettlement('JO', 100)),
];

const sexes = (female: number, male: number, nonBinary = 0) => ({
  bySex: { female, male, nonBinary },
});
const ages = (under18: number, from18To60: number, over60 = 0) => ({
  byAgeBand: { under18, from18To60, over60 },
});
const resettled = (host: Host, persons: number) => admission(resettlement(host, persons));

/** DE reports three months over two years, with and without breakdowns; Norway reports beside the plan. */
function givenReports(): ImplementationLog {
  const log = adoptedPlan(ADOPTION);
  log.reportSubmitted(
    'DE',
    '2026-01',
    [
      admission(resettlement('TR', 10), { vulnerablePersons: 2, ...sexes(6, 4), ...ages(3, 7) }),
      admission(humanitarian('LB', 10), {
        vulnerablePersons: 3,
        familyMembers: 2,
        ...sexes(5, 4, 1),
      }),
    ],
    {
      procedure: {
        registered: 30,
        positiveConclusions: 12,
        openBeyond7Months: 5,
        openBeyond10Months: 2,
      },
    },
  );
  log.reportSubmitted(
    'DE',
    '2026-02',
    [
      admission(emergency('resettlement', 4), ages(1, 2, 1)),
      admission(emergency('humanitarian_admission', 5), { vulnerablePersons: 5, familyMembers: 5 }),
      admission(resettlement('TR', 6)),
    ],
    { procedure: { registered: 10, openBeyond7Months: 3 } },
  );
  log.reportSubmitted('DE', '2027-01', [admission(humanitarian(fromCountries('EG', 'KE'), 1))]);
  log.reportSubmitted('NO', '2026-01', [resettled('JO', 50)], { procedure: { registered: 99 } });
  return log;
}

function amifExport(
  log: ImplementationLog,
  year: number,
  scope: ReadScope = ALL,
): AmifAnnualExport {
  const exported = getAmifAnnualExport(log.state(), PLAN_ID, year, scope);
  if (typeof exported !== 'object') throw new Error(`no export: ${String(exported)}`);
  return exported;
}

function frameworkExport(log: ImplementationLog, scope: ReadScope = ALL): FrameworkReportExport {
  const exported = getFrameworkReportExport(log.state(), PLAN_ID, scope);
  if (typeof exported !== 'object') throw new Error(`no export: ${String(exported)}`);
  return exported;
}

function fulfilment(log: ImplementationLog): Fulfilment {
  const view = getFulfilment(log.state(), PLAN_ID, ALL, '2028-01-01T00:00:00Z');
  if (typeof view !== 'object') throw new Error(`no view: ${String(view)}`);
  return view;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** RFC 4180, read back: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index++;
    } else {
      field += char;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}

describe('which plan', () => {
  it.each([
    ['no such plan', '2028-2029', undefined],
    ['a plan not adopted', PLAN_ID, 'not_adopted'],
  ] as const)('given %s, when exported, then %s', (_what, planId, expected) => {
    const log = proposedPlan(ADOPTION);
    expect(getAmifAnnualExport(log.state(), planId, 2026, ALL)).toBe(expected);
    expect(getFrameworkReportExport(log.state(), planId, ALL)).toBe(expected);
  });
});

describe('AMIF annual figures (AMIF Art. 35(2)(g), Annex VIII)', () => {
  it('given a year of reports, then one row per Member State, breakdowns with what was not reported, lump sums', () => {
    const exported = amifExport(givenReports(), 2026);

    expect(exported.planId).toBe(PLAN_ID);
    expect(exported.year).toBe(2026);
    expect(exported.dueBy).toBe('2027-02-15');
    expect(exported.rows).toEqual([
      {
        memberState: 'DE',
        year: 2026,
        resettled: 20,
        humanitarian: 15,
        humanitarianAtGroupRate: 10,
        vulnerablePersons: 10,
        familyMembers: 7,
        female: 11,
        male: 8,
        nonBinary: 1,
        sexNotReported: 15,
        under18: 4,
        from18To60: 9,
        over60: 1,
        ageNotReported: 21,
        // 20 x 10,000 + (5 + 5) x 8,000 + 5 x 6,000
        lumpSumEur: 310_000,
        monthsReported: 2,
      },
      // A contribution with no report yet: a row of zeros, so the gap shows.
      {
        memberState: 'FR',
        year: 2026,
        resettled: 0,
        humanitarian: 0,
        humanitarianAtGroupRate: 0,
        vulnerablePersons: 0,
        familyMembers: 0,
        female: 0,
        male: 0,
        nonBinary: 0,
        sexNotReported: 0,
        under18: 0,
        from18To60: 0,
        over60: 0,
        ageNotReported: 0,
        lumpSumEur: 0,
        monthsReported: 0,
      },
    ]);
  });

  it('given the next year, then only its months count, and the report is due the February after', () => {
    const exported = amifExport(givenReports(), 2027);
    expect(exported.dueBy).toBe('2028-02-15');
    expect(exported.rows[0]).toMatchObject({
      memberState: 'DE',
      humanitarian: 1,
      lumpSumEur: 6_000,
      monthsReported: 1,
    });
  });

  it('given a Member State’s own scope, then its own row only', () => {
    const exported = amifExport(givenReports(), 2026, ownScope('FR'));
    expect(exported.rows.map((row) => row.memberState)).toEqual(['FR']);
  });

  it('given an associated state’s own scope, then no row: the AMIF pays Member States only', () => {
    expect(amifExport(givenReports(), 2026, ownScope('NO')).rows).toEqual([]);
  });

  it('adds up to the fulfilment view’s AMIF figures and admissions', () => {
    const log = givenReports();
    const view = fulfilment(log);
    const rows = [2026, 2027].flatMap((year) => amifExport(log, year).rows);

    for (const row of rows.filter((candidate) => candidate.monthsReported > 0)) {
      expect(view.amif.byMemberStateAndYear).toContainEqual({
        memberState: row.memberState,
        year: row.year,
        resettled: row.resettled,
        humanitarian: row.humanitarian,
        humanitarianAtGroupRate: row.humanitarianAtGroupRate,
        eur: row.lumpSumEur,
      });
      const persons = row.resettled + row.humanitarian;
      expect(row.female + row.male + row.nonBinary + row.sexNotReported).toBe(persons);
      expect(row.under18 + row.from18To60 + row.over60 + row.ageNotReported).toBe(persons);
    }
    expect(sum(rows.map((row) => row.lumpSumEur))).toBe(view.amif.totalEur);
    expect(sum(rows.map((row) => row.resettled + row.humanitarian))).toBe(view.total.admitted);
    expect(sum(rows.map((row) => row.vulnerablePersons))).toBe(view.vulnerablePersons);
    expect(sum(rows.map((row) => row.familyMembers))).toBe(view.familyMembers);
  });
});

describe('the dataset for the report on the Framework (Art. 15)', () => {
  it('given reports, then admissions by Member State, year, type, basis and host, summed over months', () => {
    const log = givenReports();
    log.reportSubmitted('DE', '2026-03', [admission(resettlement('TR', 4), { familyMembers: 1 })]);

    const exported = frameworkExport(log);

    expect(exported.dueBy).toBe('2028-06-12');
    expect(exported.admissions).toEqual([
      {
        memberState: 'DE',
        year: 2026,
        admissionType: 'resettlement',
        emergencyBasis: null,
        host: 'TR',
        unhcrRegion: 'europe',
        persons: 20,
        vulnerablePersons: 2,
        familyMembers: 1,
      },
      {
        memberState: 'DE',
        year: 2026,
        admissionType: 'humanitarian_admission',
        emergencyBasis: null,
        host: 'LB',
        unhcrRegion: 'middle_east_north_africa',
        persons: 10,
        vulnerablePersons: 3,
        familyMembers: 2,
      },
      {
        memberState: 'DE',
        year: 2026,
        admissionType: 'emergency_admission',
        emergencyBasis: 'humanitarian_admission',
        host: '-',
        unhcrRegion: 'not_region_bound',
        persons: 5,
        vulnerablePersons: 5,
        familyMembers: 5,
      },
      {
        memberState: 'DE',
        year: 2026,
        admissionType: 'emergency_admission',
        emergencyBasis: 'resettlement',
        host: '-',
        unhcrRegion: 'not_region_bound',
        persons: 4,
        vulnerablePersons: 0,
        familyMembers: 0,
      },
      {
        memberState: 'DE',
        year: 2027,
        admissionType: 'humanitarian_admission',
        emergencyBasis: null,
        host: 'EG+KE',
        unhcrRegion: 'across_several_bureaux',
        persons: 1,
        vulnerablePersons: 0,
        familyMembers: 0,
      },
    ]);
  });

  it('given procedure counts, then flows summed per year, open cases from the year’s latest month, 0 where not reported', () => {
    const log = givenReports();
    log.reportSubmitted('FR', '2026-05', [], { procedure: { registered: 3 } });
    log.reportSubmitted('FR', '2027-02', [resettled(fromPlanRegion('latin_america'), 2)]);

    const exported = frameworkExport(log);

    expect(exported.procedure).toEqual([
      {
        memberState: 'DE',
        year: 2026,
        monthsReported: 2,
        registered: 40,
        positiveConclusions: 12,
        negativeConclusions: 0,
        discontinued: 0,
        // Each stock from the latest month that reported it: February's 3, January's 2.
        openBeyond7Months: 3,
        openBeyond10Months: 2,
        emergencyConcludedBeyond1Month: 0,
        enteredBeyond12Months: 0,
      },
      {
        memberState: 'FR',
        year: 2026,
        monthsReported: 1,
        registered: 3,
        positiveConclusions: 0,
        negativeConclusions: 0,
        discontinued: 0,
        openBeyond7Months: 0,
        openBeyond10Months: 0,
        emergencyConcludedBeyond1Month: 0,
        enteredBeyond12Months: 0,
      },
    ]);
  });

  it('given a Member State’s own scope, then its own rows only; associated states are in no row', () => {
    const log = givenReports();
    log.reportSubmitted('FR', '2026-01', [resettled(fromPlanRegion('latin_america'), 2)], {
      procedure: { registered: 1 },
    });

    const own = frameworkExport(log, ownScope('FR'));
    const all = frameworkExport(log);

    expect(new Set(own.admissions.map((row) => row.memberState))).toEqual(new Set(['FR']));
    expect(own.procedure.map((row) => row.memberState)).toEqual(['FR']);
    expect(all.admissions.some((row) => row.memberState === 'NO')).toBe(false);
    expect(all.procedure.some((row) => row.memberState === 'NO')).toBe(false);
    expect(own.associatedStates).toEqual({ admissions: [], procedure: [] });
  });

  it('given an associated state’s reports, then its admissions and procedure counts in a section of their own', () => {
    const log = givenReports();
    log.reportSubmitted('NO', '2026-02', [resettled('JO', 7), resettled('LB', 3)], {
      procedure: { registered: 1 },
    });

    const all = frameworkExport(log);
    const norway = frameworkExport(log, ownScope('NO'));
    const view = fulfilment(log);

    expect(all.associatedStates.admissions).toEqual([
      {
        memberState: 'NO',
        year: 2026,
        admissionType: 'resettlement',
        emergencyBasis: null,
        host: 'JO',
        unhcrRegion: 'middle_east_north_africa',
        persons: 57,
        vulnerablePersons: 0,
        familyMembers: 0,
      },
      {
        memberState: 'NO',
        year: 2026,
        admissionType: 'resettlement',
        emergencyBasis: null,
        host: 'LB',
        unhcrRegion: 'middle_east_north_africa',
        persons: 3,
        vulnerablePersons: 0,
        familyMembers: 0,
      },
    ]);
    expect(all.associatedStates.procedure).toEqual([
      expect.objectContaining({
        memberState: 'NO',
        year: 2026,
        monthsReported: 2,
        registered: 100,
      }),
    ]);
    expect(sum(all.associatedStates.admissions.map((row) => row.persons))).toBe(
      view.associatedStates.total.admitted,
    );
    expect(norway.admissions).toEqual([]);
    expect(norway.associatedStates).toEqual(all.associatedStates);
  });

  it('adds up to the fulfilment view: in total, by Member State, by year and by type', () => {
    const log = givenReports();
    const view = fulfilment(log);
    const { admissions } = frameworkExport(log);

    expect(sum(admissions.map((row) => row.persons))).toBe(view.total.admitted);
    for (const row of view.memberStates) {
      expect(
        sum(admissions.filter((a) => a.memberState === row.memberState).map((a) => a.persons)),
      ).toBe(row.admitted);
    }
    for (const row of view.byYear) {
      expect(sum(admissions.filter((a) => a.year === row.year).map((a) => a.persons))).toBe(
        row.admitted,
      );
    }
    for (const [type, progress] of Object.entries(view.byAdmissionType)) {
      expect(sum(admissions.filter((a) => a.admissionType === type).map((a) => a.persons))).toBe(
        progress.admitted,
      );
    }
  });
});

describe('property: the exports add up to the fulfilment view for random reports', () => {
  const HOSTS: Host[] = [
    'TR',
    'LB',
    'SY',
    'NE',
    fromCountries('EG', 'KE'),
    fromPlanRegion('latin_america'),
  ];
  const MONTHS = [...monthsOf(2026), ...monthsOf(2027)];

  function randomLine(random: ReturnType<typeof seededRandom>): AdmissionLine {
    const persons = random.int(1, 30);
    const host = random.pick(HOSTS);
    const line = [
      () => resettlement(host, persons),
      () => humanitarian(host, persons),
      () => emergency(random.chance(0.5) ? 'resettlement' : 'humanitarian_admission', persons),
    ][random.int(0, 2)]?.();
    if (line === undefined) throw new Error('no line');
    const female = random.int(0, persons);
    const under18 = random.int(0, persons);
    return admission(line, {
      ...(random.chance(0.5) && { vulnerablePersons: random.int(0, persons) }),
      ...(random.chance(0.5) && { familyMembers: random.int(0, persons) }),
      ...(random.chance(0.5) && sexes(female, persons - female)),
      ...(random.chance(0.5) && ages(under18, persons - under18)),
    });
  }

  it.each([11, 12, 13, 14, 15, 16, 17, 18])('seed %d', (seed) => {
    const random = seededRandom(seed);
    const log = adoptedPlan(ADOPTION);
    const reported = new Set<string>();
    for (let report = random.int(1, 40); report > 0; report--) {
      const month = random.pick(MONTHS);
      const memberState = random.pick(['DE', 'FR', 'IT', 'NO']);
      const lines = Array.from({ length: random.int(0, 3) }, () => randomLine(random));
      // A month drawn twice is corrected: the latest version is the one that counts.
      if (reported.has(`${memberState}|${month}`)) {
        log.reportCorrected(memberState, month, lines, 'Corrected figures');
      } else {
        log.reportSubmitted(memberState, month, lines);
        reported.add(`${memberState}|${month}`);
      }
    }
    const view = fulfilment(log);
    const amifRows = [2026, 2027].flatMap((year) => amifExport(log, year).rows);
    const { admissions } = frameworkExport(log);

    expect(sum(amifRows.map((row) => row.lumpSumEur))).toBe(view.amif.totalEur);
    expect(sum(amifRows.map((row) => row.resettled + row.humanitarian))).toBe(view.total.admitted);
    expect(
      sum(amifRows.map((row) => row.female + row.male + row.nonBinary + row.sexNotReported)),
    ).toBe(view.total.admitted);
    expect(sum(admissions.map((row) => row.persons))).toBe(view.total.admitted);
    expect(sum(admissions.map((row) => row.vulnerablePersons))).toBe(view.vulnerablePersons);
  });
});

describe('CSV (RFC 4180)', () => {
  it.each([
    ['DE', 'DE'],
    [2026, '2026'],
    [true, 'true'],
    [null, ''],
    [undefined, ''],
    ['Egypt, Kenya', '"Egypt, Kenya"'],
    ['the "Latin America" route', '"the ""Latin America"" route"'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['one\nbreak', '"one\nbreak"'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('given the AMIF rows, then a header row, CRLF after every record, no BOM, and the same figures read back', () => {
    const exported = amifExport(givenReports(), 2026);

    const csv = amifAnnualCsv(exported);
    const records = parseCsv(csv);

    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv.startsWith('memberState,year,resettled,humanitarian,humanitarianAtGroupRate,')).toBe(
      true,
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(records[0]).toEqual([...AMIF_ANNUAL_COLUMNS]);
    expect(records.slice(1)).toEqual(
      exported.rows.map((row) => AMIF_ANNUAL_COLUMNS.map((column) => String(row[column]))),
    );
    expect(
      sum(
        records.slice(1).map((record) => Number(record[AMIF_ANNUAL_COLUMNS.indexOf('lumpSumEur')])),
      ),
    ).toBe(sum(exported.rows.map((row) => row.lumpSumEur)));
  });

  it('given the Art. 15 dataset, then one table of admissions and one of procedure counts', () => {
    const exported = frameworkExport(givenReports());

    const admissions = parseCsv(frameworkReportCsv(exported, 'admissions'));
    const procedure = parseCsv(frameworkReportCsv(exported, 'procedure'));

    expect(admissions[0]).toEqual([...FRAMEWORK_ADMISSION_COLUMNS]);
    expect(admissions).toHaveLength(exported.admissions.length + 1);
    // No basis outside emergency admission: an empty field, not "null".
    expect(admissions[1]).toEqual([
      'DE',
      '2026',
      'resettlement',
      '',
      'TR',
      'europe',
      '16',
      '2',
      '0',
    ]);
    expect(sum(admissions.slice(1).map((record) => Number(record[6])))).toBe(
      sum(exported.admissions.map((row) => row.persons)),
    );
    expect(procedure[0]).toEqual([...FRAMEWORK_PROCEDURE_COLUMNS]);
    expect(procedure.slice(1)).toEqual(
      exported.procedure.map((row) =>
        FRAMEWORK_PROCEDURE_COLUMNS.map((column) => String(row[column])),
      ),
    );
  });

  it('given an associated state’s reports, then tables of their own, in the same columns', () => {
    const exported = frameworkExport(givenReports());

    const admissions = parseCsv(frameworkReportCsv(exported, 'associated_admissions'));
    const procedure = parseCsv(frameworkReportCsv(exported, 'associated_procedure'));

    expect(admissions).toEqual([
      [...FRAMEWORK_ADMISSION_COLUMNS],
      ['NO', '2026', 'resettlement', '', 'JO', 'middle_east_north_africa', '50', '0', '0'],
    ]);
    expect(procedure[0]).toEqual([...FRAMEWORK_PROCEDURE_COLUMNS]);
    expect(procedure.slice(1).map((record) => record.slice(0, 4))).toEqual([
      ['NO', '2026', '1', '99'],
    ]);
  });

  it('given no rows, then the header row alone', () => {
    const log = adoptedPlan([contribution('NO', resettlement('JO', 5))]);
    expect(amifAnnualCsv(amifExport(log, 2026))).toBe(`${AMIF_ANNUAL_COLUMNS.join(',')}\r\n`);
    expect(frameworkReportCsv(frameworkExport(log), 'procedure')).toBe(
      `${FRAMEWORK_PROCEDURE_COLUMNS.join(',')}\r\n`,
    );
  });
});
