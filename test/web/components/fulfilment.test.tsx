/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { render, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import type {
  Fulfilment,
  FulfilmentCheck,
  MemberStateFulfilment,
  ReportHistoryEntry,
  ReportList,
  ReportView,
} from '../../../web/src/screens/commission/fulfilment/fulfilmentApi';
import {
  attachmentFileName,
  exportFileName,
} from '../../../web/src/screens/commission/fulfilment/fulfilmentApi';
import {
  admissionTypeRows,
  amifPivot,
  checkCellValue,
  checkColumnLabel,
  checkColumns,
  elapsedPercent,
  headlineFigures,
  hostRows,
  memberStateTypeRows,
  paceRows,
  periodYears,
  progressBars,
  reportGrid,
} from '../../../web/src/screens/commission/fulfilment/fulfilmentModel';
import { FulfilmentChecks } from '../../../web/src/screens/commission/fulfilment/FulfilmentChecks';
import { FulfilmentPage } from '../../../web/src/screens/commission/fulfilment/FulfilmentPage';
import { ReportPage } from '../../../web/src/screens/commission/fulfilment/ReportPage';
import {
  describeReportDiff,
  type LineReader,
} from '../../../web/src/screens/commission/fulfilment/reportHistoryModel';
import { formatMonth } from '../../../web/src/lib/format';
import { eventSummary, eventTypeLabel } from '../../../web/src/screens/auditor/eventTypes';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { AUDITOR, COMMISSION_OFFICIAL, renderScreen } from './support/render';

jest.setTimeout(20_000);

const progress = (adopted: number, admitted: number) => ({
  adopted,
  admitted,
  percent: adopted === 0 ? null : Math.round((admitted / adopted) * 10_000) / 100,
  remaining: Math.max(0, adopted - admitted),
});

const noType = progress(0, 0);

function memberState(
  code: string,
  overrides: Partial<MemberStateFulfilment> = {},
): MemberStateFulfilment {
  return {
    memberState: code,
    ...progress(0, 0),
    expectedByNow: 0,
    projectedAtEnd: 0,
    byAdmissionType: {
      resettlement: noType,
      humanitarian_admission: noType,
      emergency_admission: noType,
    },
    vulnerablePersons: 0,
    familyMembers: 0,
    monthsReported: [],
    monthsMissing: [],
    lastReportedMonth: null,
    procedure: {},
    amifEarnedEur: 0,
    ...overrides,
  };
}

/**
 * Plan 2026-2027 as of 15 April 2026: DE (300 adopted) reported January and February (February
 * recorded by the Commission on its behalf) and missed March; FR (100 adopted) reported January
 * only; Norway, an associated state, reported January.
 */
function fulfilmentFixture(): Fulfilment {
  const de = memberState('DE', {
    ...progress(300, 90),
    expectedByNow: 44,
    projectedAtEnd: 611,
    byAdmissionType: {
      resettlement: progress(200, 70),
      humanitarian_admission: progress(100, 20),
      emergency_admission: noType,
    },
    vulnerablePersons: 12,
    familyMembers: 4,
    monthsReported: ['2026-01', '2026-02'],
    monthsMissing: ['2026-03'],
    lastReportedMonth: '2026-02',
    procedure: { registered: 120, openBeyond10Months: 2 },
    amifEarnedEur: 836_000,
  });
  const fr = memberState('FR', {
    ...progress(100, 30),
    expectedByNow: 15,
    projectedAtEnd: 204,
    byAdmissionType: {
      resettlement: progress(100, 30),
      humanitarian_admission: noType,
      emergency_admission: noType,
    },
    monthsReported: ['2026-01'],
    monthsMissing: ['2026-02', '2026-03'],
    lastReportedMonth: '2026-01',
    amifEarnedEur: 300_000,
  });
  return {
    planId: '2026-2027',
    scope: { kind: 'all' },
    referenceInstant: '2026-04-15T12:00:00.000Z',
    period: {
      start: '2026-01-01',
      end: '2027-12-31',
      months: 24,
      monthsEnded: 3,
      elapsedFraction: 0.1469,
    },
    total: { ...progress(400, 120), expectedByNow: 59, projectedAtEnd: 817 },
    byAdmissionType: {
      resettlement: progress(300, 100),
      humanitarian_admission: progress(100, 20),
      emergency_admission: noType,
    },
    memberStates: [de, fr],
    regions: [
      {
        region: 'europe',
        ...progress(250, 100),
        countries: [{ country: 'TR', name: 'Türkiye', ...progress(250, 100) }],
        groups: [],
      },
      {
        region: 'middle_east_north_africa',
        ...progress(150, 20),
        countries: [{ country: 'LB', name: 'Lebanon', ...progress(100, 20) }],
        groups: [
          {
            group: 'EG+JO',
            kind: 'countries',
            name: 'Egypt or Jordan',
            countries: ['EG', 'JO'],
            ...progress(50, 0),
          },
        ],
      },
    ],
    notRegionBound: noType,
    byYear: [
      { year: 2026, admitted: 120 },
      { year: 2027, admitted: 0 },
    ],
    byMonth: [
      { month: '2026-01', admitted: 70, cumulative: 70, expectedCumulative: 17 },
      { month: '2026-02', admitted: 50, cumulative: 120, expectedCumulative: 32 },
      { month: '2026-03', admitted: 0, cumulative: 120, expectedCumulative: 50 },
      { month: '2026-04', admitted: 0, cumulative: 120, expectedCumulative: 59 },
    ],
    vulnerablePersons: 12,
    familyMembers: 4,
    procedure: { registered: 120, openBeyond10Months: 2 },
    amif: {
      forecast: false,
      rates: {
        resettlementEur: 10_000,
        humanitarianAdmissionEur: 6_000,
        humanitarianAdmissionArticle19GroupsEur: 8_000,
      },
      totalEur: 1_136_000,
      byMemberStateAndYear: [
        {
          memberState: 'DE',
          year: 2026,
          resettled: 70,
          humanitarian: 20,
          humanitarianAtGroupRate: 8,
          eur: 836_000,
        },
        {
          memberState: 'FR',
          year: 2026,
          resettled: 30,
          humanitarian: 0,
          humanitarianAtGroupRate: 0,
          eur: 300_000,
        },
      ],
    },
    checks: [
      {
        id: 'months_without_report',
        status: 'warn',
        message: 'Three months ended without a report.',
        rows: [
          { memberState: 'DE', months: ['2026-03'], count: 1 },
          { memberState: 'FR', months: ['2026-02', '2026-03'], count: 2 },
        ],
      },
      {
        id: 'behind_pace',
        status: 'pass',
        message: 'No Member State is behind the pace.',
        rows: [],
      },
      {
        id: 'totals_reconcile',
        status: 'pass',
        message: 'Every sum equals the total admitted.',
        rows: [
          {
            total: 120,
            linesSum: 120,
            byMemberStateSum: 120,
            byAdmissionTypeSum: 120,
            byRegionSum: 120,
            byHostSum: 120,
          },
        ],
      },
    ],
    associatedStates: {
      total: progress(0, 5),
      byParticipant: [
        memberState('NO', {
          ...progress(0, 5),
          monthsReported: ['2026-01'],
          lastReportedMonth: '2026-01',
        }),
      ],
      note: 'Associated states (Art. 12) are in no figure above.',
    },
    asOfPosition: 57,
  };
}

function reportView(overrides: Partial<ReportView> = {}): ReportView {
  return {
    planId: '2026-2027',
    memberState: 'DE',
    participantKind: 'member_state',
    month: '2026-02',
    version: 2,
    admissions: [
      {
        admissionType: 'resettlement',
        hostCountry: 'TR',
        persons: 40,
        vulnerablePersons: 6,
        familyMembers: 2,
        bySex: { female: 22, male: 18, nonBinary: 0 },
      },
      { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 10 },
    ],
    admitted: 50,
    byAdmissionType: { resettlement: 40, humanitarian_admission: 10, emergency_admission: 0 },
    vulnerablePersons: 6,
    familyMembers: 2,
    procedure: { registered: 60 },
    onBehalf: true,
    lastReason: 'Late figures from the regional office',
    submittedAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-09T09:00:00.000Z',
    asOfPosition: 57,
    ...overrides,
  };
}

function reportList(): ReportList {
  return {
    planId: '2026-2027',
    asOfPosition: 57,
    reports: [
      reportView({ month: '2026-01', version: 1, admitted: 50, onBehalf: false }),
      reportView({ month: '2026-02', version: 2, admitted: 40, onBehalf: true }),
      reportView({
        memberState: 'FR',
        month: '2026-01',
        version: 1,
        admitted: 30,
        onBehalf: false,
      }),
    ],
    associatedStates: [
      reportView({
        memberState: 'NO',
        participantKind: 'associated_state',
        month: '2026-01',
        admitted: 5,
        onBehalf: false,
      }),
    ],
  };
}

describe('the fulfilment view shaped for tables and charts', () => {
  const fulfilment = fulfilmentFixture();

  it('reads the headline in order, with nothing invented where the server has no figure', () => {
    const figures = headlineFigures(fulfilment);
    expect(figures.map((figure) => [figure.id, figure.value])).toEqual([
      ['adopted', 400],
      ['admitted', 120],
      ['percent', 30],
      ['remaining', 280],
      ['expectedByNow', 59],
      ['projectedAtEnd', 817],
      ['elapsed', 14.69],
    ]);
    expect(figures.find((figure) => figure.id === 'elapsed')?.hint).toBe('3 of 24 months ended');
    const unadopted = { ...fulfilment, total: { ...fulfilment.total, percent: null } };
    expect(headlineFigures(unadopted).find((figure) => figure.id === 'percent')?.value).toBeNull();
  });

  it('draws a bar for each Member State with a contribution only', () => {
    const withNone = [...fulfilment.memberStates, memberState('SE', { ...progress(0, 10) })];
    expect(progressBars(withNone)).toEqual([
      { name: 'DE', percent: 30 },
      { name: 'FR', percent: 30 },
    ]);
    expect(elapsedPercent(fulfilment)).toBe(14.69);
  });

  it('keeps the admission types in the order of Art. 8(3)(a)', () => {
    expect(
      admissionTypeRows(fulfilment.byAdmissionType).map((row) => [row.label, row.admitted]),
    ).toEqual([
      ['Resettlement', 100],
      ['Humanitarian admission', 20],
      ['Emergency admission', 0],
    ]);
  });

  it("lists each Member State's types with something adopted or admitted, one row each", () => {
    expect(
      memberStateTypeRows(fulfilment.memberStates).map((row) => [
        row.memberState,
        row.label,
        row.adopted,
        row.admitted,
      ]),
    ).toEqual([
      ['DE', 'Resettlement', 200, 70],
      ['DE', 'Humanitarian admission', 100, 20],
      ['FR', 'Resettlement', 100, 30],
    ]);
  });

  it('lists every host under its region, a line naming several countries as one host', () => {
    expect(hostRows(fulfilment.regions).map((row) => [row.region, row.host, row.admitted])).toEqual(
      [
        ['europe', 'Türkiye (TR)', 100],
        ['middle_east_north_africa', 'Lebanon (LB)', 20],
        ['middle_east_north_africa', 'Egypt or Jordan', 0],
      ],
    );
  });

  it('puts the pace line beside its difference from the even pace', () => {
    expect(paceRows(fulfilment.byMonth).map((row) => [row.month, row.difference])).toEqual([
      ['2026-01', 53],
      ['2026-02', 88],
      ['2026-03', 70],
      ['2026-04', 61],
    ]);
  });

  it('pivots the AMIF lump sums as Member State x year, a year without admissions at 0', () => {
    const years = periodYears(fulfilment.period);
    expect(years).toEqual([2026, 2027]);
    expect(amifPivot(fulfilment.amif.byMemberStateAndYear, years)).toEqual([
      { memberState: 'DE', byYear: { 2026: 836_000, 2027: 0 }, totalEur: 836_000 },
      { memberState: 'FR', byYear: { 2026: 300_000, 2027: 0 }, totalEur: 300_000 },
    ]);
  });

  it('joins the reports with the missing months: reported, on behalf, missing, not due', () => {
    const grid = reportGrid(fulfilment, reportList());
    expect(grid.months).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(
      grid.memberStates.map((row) => [
        row.memberState,
        row.cells.map((cell) => cell.status),
        row.reported,
        row.missing,
      ]),
    ).toEqual([
      ['DE', ['reported', 'on_behalf', 'missing', 'not_due'], 2, 1],
      ['FR', ['reported', 'missing', 'missing', 'not_due'], 1, 2],
    ]);
    expect(grid.memberStates[0]?.cells[1]).toEqual({
      month: '2026-02',
      status: 'on_behalf',
      admitted: 40,
      version: 2,
    });
    // Associated states apart (Art. 12).
    expect(grid.associatedStates.map((row) => row.memberState)).toEqual(['NO']);
  });

  it("reads a check's rows as columns, lists joined and admission types in words", () => {
    const rows: FulfilmentCheck['rows'] = [
      { memberState: 'DE', admissionType: 'resettlement', months: ['2026-02', '2026-03'] },
      { memberState: 'FR', late: true },
    ];
    expect(checkColumns(rows)).toEqual(['memberState', 'admissionType', 'months', 'late']);
    expect(checkCellValue('admissionType', 'resettlement')).toBe('Resettlement');
    expect(checkCellValue('months', ['2026-02', '2026-03'])).toBe('2026-02, 2026-03');
    expect(checkCellValue('late', true)).toBe('Yes');
    expect(checkCellValue('late', null)).toBeUndefined();
    expect(checkCellValue('admissionType', 'all')).toBe('All types');
    expect(checkCellValue('field', 'openBeyond10Months')).toBe('Open past 10 months (Art. 9(9))');
    expect(checkCellValue('status', 'warn')).toBe('Warning');
    expect(checkColumnLabel('count', 'procedure_deadlines')).toBe('Cases');
    expect(checkColumnLabel('count', 'months_without_report')).toBe('Months without a report');
    expect(checkColumnLabel('somethingNew')).toBe('Something new');
  });

  it('names months and export files as people read them', () => {
    expect(formatMonth('2026-03')).toBe('March 2026');
    expect(formatMonth('soon')).toBe('soon');
    expect(attachmentFileName('attachment; filename="amif-2026.csv"', 'x.csv')).toBe(
      'amif-2026.csv',
    );
    expect(attachmentFileName("attachment; filename*=UTF-8''a%20b.csv", 'x.csv')).toBe('a b.csv');
    expect(attachmentFileName(null, 'x.csv')).toBe('x.csv');
    expect(
      exportFileName('2026-2027', { kind: 'framework-report', table: 'procedure', format: 'csv' }),
    ).toBe('framework-report-2026-2027-procedure.csv');
    expect(
      exportFileName('2026-2027', {
        kind: 'framework-report',
        table: 'associated_admissions',
        format: 'csv',
      }),
    ).toBe('framework-report-2026-2027-associated_admissions.csv');
    expect(exportFileName('2026-2027', { kind: 'amif-annual', year: 2027, format: 'json' })).toBe(
      'amif-annual-2026-2027-2027.json',
    );
  });

  it("says what a report's version changed, lines and procedure counts", () => {
    const diff: ReportHistoryEntry['diff'] = {
      added: [{ admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 10 }],
      removed: [],
      changed: [
        {
          key: 'resettlement|TR|-|-',
          before: { admissionType: 'resettlement', hostCountry: 'TR', persons: 30 },
          after: { admissionType: 'resettlement', hostCountry: 'TR', persons: 40 },
          persons: { before: 30, after: 40, delta: 10 },
          vulnerablePersons: { before: 6, after: 6, delta: 0 },
          familyMembers: { before: 0, after: 2, delta: 2 },
        },
      ],
      admittedBefore: 30,
      admittedAfter: 50,
      admittedDelta: 20,
      procedure: [
        { field: 'registered', before: null, after: 60 },
        { field: 'discontinued', before: 3, after: null },
      ],
    };
    const reader: LineReader = {
      hostCountries: [{ code: 'TR', name: 'Türkiye', unhcrRegion: 'europe' }],
      planRegions: [],
    };
    expect(describeReportDiff(diff, reader)).toEqual([
      'Added: Humanitarian admission, LB, 10 persons',
      'Changed: Resettlement, Türkiye: persons 30 → 40, family members 0 → 2',
      'Persons registered: 60',
      'Procedures discontinued (Art. 9(11)): 3 → not reported',
    ]);
  });
});

describe('the audit log knows the monthly reports', () => {
  it('names both events and sums up what a report says', () => {
    expect(eventTypeLabel('ImplementationReportSubmitted')).toBe('Implementation report submitted');
    expect(eventTypeLabel('ImplementationReportCorrected')).toBe('Implementation report corrected');
    expect(
      eventSummary('ImplementationReportCorrected', {
        month: '2026-02',
        admissions: [{ persons: 40 }, { persons: 10 }],
        onBehalf: true,
      }),
    ).toBe(
      "Month 2026-02, 50 persons admitted, recorded by the Commission on the participant's behalf",
    );
    expect(eventSummary('PledgeRevised', { lines: [] })).toBeUndefined();
  });
});

describe('the fulfilment checks', () => {
  it('gives every check its verdict in words and its rows as a table', () => {
    render(<FulfilmentChecks checks={fulfilmentFixture().checks} planId="2026-2027" />);
    const check = screen.getByRole('heading', { name: /Months without a report/ });
    expect(check.textContent).toContain('Warning');
    const table = screen.getByRole('table', { name: /Figures of the check: Months without/ });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((header) => header.textContent),
    ).toEqual(['Member State', 'Months', 'Months without a report']);
    expect(within(table).getByRole('rowheader', { name: 'FR' }).closest('tr')?.textContent).toBe(
      'FR2026-02, 2026-032',
    );
    // A check with no rows has no empty table.
    expect(screen.queryByRole('table', { name: /Behind the pace/ })).toBeNull();
    // One row of many figures reads down, a figure a row.
    const sums = screen.getByRole('table', { name: /Figures of the check: The totals reconcile/ });
    expect(
      within(sums).getByRole('rowheader', { name: 'Sum by UNHCR region' }).closest('tr')
        ?.textContent,
    ).toBe('Sum by UNHCR region120');
  });
});

describe('the fulfilment dashboard', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  const adoptedPlan = {
    planId: '2026-2027',
    status: 'adopted',
    periodStart: '2026-01-01',
    periodEnd: '2027-12-31',
    resettlementFloorPercent: 60,
    priorityCountries: ['TR', 'LB'],
    priorityRegions: [],
    regions: [],
    amendments: [],
    version: 5,
    position: 20,
    createdAt: '2025-01-10T09:00:00.000Z',
    updatedAt: '2025-12-18T10:00:00.000Z',
    asOfPosition: 57,
  };

  function serve() {
    server = stubFetch({
      'GET /api/v1/plans/2026-2027': { body: adoptedPlan },
      'GET /api/v1/plans/2026-2027/fulfilment': { body: fulfilmentFixture() },
      'GET /api/v1/plans/2026-2027/implementation': { body: reportList() },
      'GET /api/v1/reference/member-states': {
        body: {
          memberStates: [
            {
              code: 'DE',
              name: 'Germany',
              kind: 'member_state',
              participation: 'bound',
              aliases: [],
              mayPledge: true,
            },
          ],
        },
      },
      'GET /api/v1/reference/regions': {
        body: { regions: [{ id: 'europe', name: 'Europe', countries: ['TR'] }] },
      },
    });
  }

  it("shows the plan's headline, each Member State's progress and the reports grid", async () => {
    serve();
    renderScreen(
      <FulfilmentPage planId="2026-2027" basePath="/commission/plans/2026-2027" tabs={null} />,
      { session: COMMISSION_OFFICIAL, url: '/commission/plans/2026-2027/fulfilment' },
    );
    await screen.findByRole('heading', { level: 2, name: 'Where the plan stands' });
    expect(screen.getByTestId('fulfilment-admitted').textContent).toBe('120');
    expect(screen.getByTestId('fulfilment-percent').textContent).toBe('30%');
    expect(screen.getByTestId('fulfilment-projectedAtEnd').textContent).toBe('817');
    expect(screen.getByTestId('fulfilment-amif-total').textContent).toBe('EUR 1,136,000');
    // Every chart is drawn, even where nothing is laid out, each a named image.
    const drawings = [...document.querySelectorAll('.chart__drawing')];
    expect(drawings.length).toBeGreaterThanOrEqual(4);
    for (const drawing of drawings) {
      expect(drawing.getAttribute('role')).toBe('img');
      expect(drawing.querySelector('svg.chart__svg path, svg.chart__svg rect')).not.toBeNull();
    }

    const progressTable = screen.getByRole('table', {
      name: 'Admitted against the adopted contribution by Member State, plan 2026-2027',
    });
    const germany = await within(progressTable).findByRole('rowheader', { name: 'Germany (DE)' });
    expect(
      within(germany.closest('tr') as HTMLElement)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['300', '90', '30%', '210', '44', '+46', '611', 'February 2026']);

    const grid = screen.getByRole('table', {
      name: 'Monthly reports by Member State, plan 2026-2027',
    });
    const link = within(grid).getByRole('link', {
      name: '40 persons admitted, report of DE, February 2026',
    });
    expect(link.getAttribute('href')).toBe('/commission/plans/2026-2027/reports/DE/2026-02');
    expect(within(grid).getAllByText('on behalf')).toHaveLength(1);
    expect(within(grid).getAllByText('Missing')).toHaveLength(3);
    // Norway's report sits with the associated states, not in the Member States' grid.
    expect(within(grid).queryByRole('rowheader', { name: 'NO' })).toBeNull();
    expect(
      screen.getByRole('table', { name: 'Monthly reports by associated state, plan 2026-2027' }),
    ).toBeTruthy();
    expect(
      screen.getByRole('button', { name: /Download CSV of the AMIF annual figures for 2026/ }),
    ).toBeTruthy();
  });

  it('reads every figure as of the time-travel position for the auditor, links keeping it', async () => {
    serve();
    renderScreen(
      <Routes>
        <Route
          path="/audit/plans/:planId/fulfilment"
          element={
            <FulfilmentPage planId="2026-2027" basePath="/audit/plans/2026-2027" tabs={null} />
          }
        />
      </Routes>,
      { session: AUDITOR, url: '/audit/plans/2026-2027/fulfilment?asOf=40' },
    );
    const grid = await screen.findByRole('table', {
      name: 'Monthly reports by Member State, plan 2026-2027',
    });
    expect(
      within(grid)
        .getByRole('link', { name: /report of FR, January 2026/ })
        .getAttribute('href'),
    ).toBe('/audit/plans/2026-2027/reports/FR/2026-01?asOf=40');
    const reads = server.requests.map((request) => new URL(request.url));
    for (const path of [
      '/api/v1/plans/2026-2027',
      '/api/v1/plans/2026-2027/fulfilment',
      '/api/v1/plans/2026-2027/implementation',
    ]) {
      expect(reads.find((url) => url.pathname === path)?.searchParams.get('asOf')).toBe('40');
    }
  });

  it('says so, without asking for the view, when the plan is not adopted', async () => {
    server = stubFetch({
      'GET /api/v1/plans/2026-2027': { body: { ...adoptedPlan, status: 'proposed' } },
    });
    renderScreen(
      <FulfilmentPage planId="2026-2027" basePath="/commission/plans/2026-2027" tabs={null} />,
      { session: COMMISSION_OFFICIAL },
    );
    await screen.findByText(/The plan is not adopted/);
    expect(server.requests.some((request) => request.url.includes('/fulfilment'))).toBe(false);
  });
});

describe('a monthly report, read-only', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it('shows its lines, procedure counts and every version with what it changed', async () => {
    const history: { versions: ReportHistoryEntry[]; nextAfterVersion: null } = {
      versions: [
        {
          version: 1,
          position: 30,
          type: 'ImplementationReportSubmitted',
          recordedAt: '2026-03-02T09:00:00.000Z',
          actor: { id: 'dev:commission-official', role: 'commission', name: 'Eva Lindqvist' },
          correlationId: 'c1',
          onBehalf: true,
          admitted: 30,
          admissions: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 30 }],
          procedure: {},
          diff: {
            added: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 30 }],
            removed: [],
            changed: [],
            admittedBefore: 0,
            admittedAfter: 30,
            admittedDelta: 30,
            procedure: [],
          },
        },
      ],
      nextAfterVersion: null,
    };
    server = stubFetch({
      'GET /api/v1/plans/2026-2027': {
        body: {
          planId: '2026-2027',
          status: 'adopted',
          periodStart: '2026-01-01',
          periodEnd: '2027-12-31',
          resettlementFloorPercent: 60,
          priorityCountries: [],
          priorityRegions: [],
          regions: [],
          amendments: [],
          version: 5,
          position: 20,
          createdAt: '2025-01-10T09:00:00.000Z',
          updatedAt: '2025-12-18T10:00:00.000Z',
          asOfPosition: 57,
        },
      },
      'GET /api/v1/plans/2026-2027/implementation/DE/2026-02': { body: reportView() },
      'GET /api/v1/plans/2026-2027/implementation/DE/2026-02/history': {
        body: { planId: '2026-2027', memberState: 'DE', month: '2026-02', ...history },
      },
    });
    renderScreen(
      <ReportPage
        planId="2026-2027"
        memberState="DE"
        month="2026-02"
        basePath="/commission/plans/2026-2027"
        tabs={null}
      />,
      { session: COMMISSION_OFFICIAL },
    );
    await screen.findByRole('heading', { level: 1, name: 'Report of DE for February 2026' });
    await waitFor(() => expect(screen.getByTestId('report-admitted').textContent).toBe('50'));
    expect(screen.getByText("The Commission, on the Member State's behalf")).toBeTruthy();
    const lines = screen.getByRole('table', { name: 'Admissions of DE in February 2026' });
    expect(within(lines).getAllByRole('row')).toHaveLength(3);
    const procedure = screen.getByRole('table', { name: /Procedure counts of DE/ });
    expect(
      within(procedure).getByRole('rowheader', { name: 'Persons registered' }).closest('tr')
        ?.textContent,
    ).toBe('Persons registered60');
    const versions = await screen.findByRole('table', {
      name: 'Versions of the report of DE for February 2026',
    });
    expect(within(versions).getByText('Eva Lindqvist (on behalf)')).toBeTruthy();
    expect(within(versions).getByText(/^Added: Resettlement, TR, 30 persons$/)).toBeTruthy();
  });
});
