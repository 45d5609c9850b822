import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { createTracker } from '../../src/application/tracker';
import { Projector } from '../../src/projections/projector';
import { ALL_PROJECTIONS } from '../../src/projections';
import { getCompliance, getTotals, planReadModel } from '../../src/projections/planReadModel';
import { getFulfilment, listReports, type ReportView } from '../../src/projections/implementation';
import { ALL_PARTICIPANTS } from '../../src/projections/readScope';
import { totalPersons } from '../../src/domain/shared/pledgeLine';
import {
  seedIllustrativePlan,
  illustrativeReportMonths,
  illustrativeReports,
  ILLUSTRATIVE_ADOPTED,
  ILLUSTRATIVE_CORRECTIONS,
  ILLUSTRATIVE_PLAN_ID,
  ILLUSTRATIVE_REPORT_NOTE,
} from '../../src/demo/illustrativePlan';

/** The day the other tests load the data on: eleven months of 2026 have begun. */
const LATE_NOVEMBER = '2026-11-28T10:00:00.000Z';

const load = async (now = LATE_NOVEMBER) => {
  const store = new InMemoryEventStore();
  let sequence = 0;
  const newId = () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
  const tracker = createTracker({ store, clock: () => new Date(now), newId });
  await seedIllustrativePlan(tracker, newId);
  const projector = new Projector(store, ALL_PROJECTIONS);
  await projector.catchUp();
  return projector.state(planReadModel);
};

const reportsOf = async (now = LATE_NOVEMBER): Promise<ReportView[]> => {
  const list = listReports(await load(now), ILLUSTRATIVE_PLAN_ID, ALL_PARTICIPANTS);
  expect(list?.associatedStates).toEqual([]);
  return list?.reports ?? [];
};

const ADOPTED_STATES = ILLUSTRATIVE_ADOPTED.map((contribution) => contribution.memberState);
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('the illustrative 2026-2027 plan loaded on a first run', () => {
  it('carries the published headline figures: 15,230 proposed and 10,430 adopted, nine Member States', async () => {
    const state = await load();
    const proposal = getTotals(state, ILLUSTRATIVE_PLAN_ID, 'proposal', ALL_PARTICIPANTS);
    const adopted = getTotals(state, ILLUSTRATIVE_PLAN_ID, 'adopted', ALL_PARTICIPANTS);
    expect(proposal?.total).toBe(15_230);
    expect(proposal?.byMemberState).toHaveLength(9);
    expect(adopted?.total).toBe(10_430);
    expect(adopted?.byMemberState).toHaveLength(9);
  });

  it('names a plan region and a group of host countries, each reported as one figure', async () => {
    const state = await load();
    const adopted = getTotals(state, ILLUSTRATIVE_PLAN_ID, 'adopted', ALL_PARTICIPANTS);
    expect(adopted?.planRegions).toEqual([
      expect.objectContaining({ planRegion: 'latin_america', total: 150 }),
    ]);
    const acrossBureaux = adopted?.regions.find((row) => row.region === 'across_several_bureaux');
    expect(acrossBureaux?.groups).toEqual([
      expect.objectContaining({ group: 'EG+TD', countries: ['EG', 'TD'], total: 150 }),
    ]);
  });

  it('adopts a plan that meets its own priorities and the resettlement floor', async () => {
    const state = await load();
    const compliance = getCompliance(state, ILLUSTRATIVE_PLAN_ID, 'adopted', ALL_PARTICIPANTS);
    const status = (id: string) => compliance?.checks.find((check) => check.id === id)?.status;
    expect(status('resettlement_share')).toBe('pass');
    expect(status('priority_host_countries')).toBe('pass');
    expect(status('totals_reconcile')).toBe('pass');
    // As in 2025 the Member States lowered their indications after the proposal, and the Council
    // adopted them as they then stood: the plan fully respects them (Art. 8(3)(b)).
    expect(status('indications_respected')).toBe('pass');
    expect(status('pending_revisions')).toBe('pass');
    expect(compliance?.resettlementSharePercent).toBeGreaterThan(60);
  });
});

describe('the illustrative monthly reports of 2026 (invented)', () => {
  it.each([
    ['before the period', '2025-12-20T12:00:00.000Z', []],
    ['on the first instant of 2026', '2026-01-01T00:00:00.000Z', ['2026-01']],
    ['in mid-April', '2026-04-10T08:00:00.000Z', ['2026-01', '2026-02', '2026-03', '2026-04']],
    [
      'in the second year',
      '2027-03-01T00:00:00.000Z',
      Array.from({ length: 12 }, (_unused, index) => `2026-${String(index + 1).padStart(2, '0')}`),
    ],
  ])(
    'seeds a fresh store %s with every adopted Member State’s report of each month begun',
    async (_label, now, months) => {
      expect(illustrativeReportMonths(new Date(now))).toEqual(months);
      const reports = await reportsOf(now);
      expect(reports.map((report) => `${report.memberState} ${report.month}`).sort()).toEqual(
        ADOPTED_STATES.flatMap((memberState) =>
          months.map((month) => `${memberState} ${month}`),
        ).sort(),
      );
    },
  );

  it('records what the generator describes, corrections applied, and the figures reconcile', async () => {
    const reports = await reportsOf();
    const months = illustrativeReportMonths(new Date(LATE_NOVEMBER));
    const expected = new Map(
      months.flatMap((month) =>
        illustrativeReports(month).map((report) => {
          const correction = ILLUSTRATIVE_CORRECTIONS.find(
            (c) => c.memberState === report.memberState && c.month === month,
          );
          const final = correction === undefined ? report : correction.correct(report);
          return [`${report.memberState} ${month}`, final] as const;
        }),
      ),
    );
    for (const report of reports) {
      const wanted = expected.get(`${report.memberState} ${report.month}`);
      expect(report.admissions).toEqual(wanted?.admissions);
      expect(report.procedure).toEqual(wanted?.procedure);
      // A report's admitted figure is the sum of its lines, and its groups are counted in them.
      expect(report.admitted).toBe(totalPersons(report.admissions));
      expect(report.vulnerablePersons + report.familyMembers).toBeLessThanOrEqual(report.admitted);
      expect(sum(Object.values(report.byAdmissionType))).toBe(report.admitted);
    }
    // Every Member State is admitting, none yet above its contribution.
    for (const { memberState, lines } of ILLUSTRATIVE_ADOPTED) {
      const admitted = sum(
        reports.filter((r) => r.memberState === memberState).map((r) => r.admitted),
      );
      expect([memberState, admitted > 0]).toEqual([memberState, true]);
      expect(admitted).toBeLessThan(totalPersons(lines));
    }
  });

  it('ramps up: fewer admitted in the first quarter than in the third', async () => {
    const reports = await reportsOf();
    const admittedIn = (months: readonly string[]) =>
      sum(reports.filter((r) => months.includes(r.month)).map((r) => r.admitted));
    expect(admittedIn(['2026-01', '2026-02', '2026-03'])).toBeLessThan(
      admittedIn(['2026-07', '2026-08', '2026-09']) / 2,
    );
  });

  it('keeps some Member States below the pace of the time elapsed, and one ahead of it', async () => {
    const reports = await reportsOf();
    const elapsed =
      (Date.parse(LATE_NOVEMBER) - Date.parse('2026-01-01T00:00:00Z')) /
      (Date.parse('2028-01-01T00:00:00Z') - Date.parse('2026-01-01T00:00:00Z'));
    const shareOfPace = new Map(
      ILLUSTRATIVE_ADOPTED.map(({ memberState, lines }) => [
        memberState,
        sum(reports.filter((r) => r.memberState === memberState).map((r) => r.admitted)) /
          (totalPersons(lines) * elapsed),
      ]),
    );
    const behind = [...shareOfPace].filter(([, share]) => share < 0.8).map(([code]) => code);
    const ahead = [...shareOfPace].filter(([, share]) => share > 1).map(([code]) => code);
    expect(behind).toEqual(['BE', 'IT', 'PT']);
    expect(ahead).toEqual(['NL']);
  });

  it('says the figures are illustrative on each report and in each correction’s reason', async () => {
    const reports = await reportsOf();
    for (const report of reports) {
      if (report.admissions.length > 0) {
        expect(report.admissions[0]?.note).toContain(ILLUSTRATIVE_REPORT_NOTE);
      }
      if (report.version > 1) expect(report.lastReason).toContain(ILLUSTRATIVE_REPORT_NOTE);
    }
  });

  it('corrects three reports later, each with its reason', async () => {
    const corrected = (await reportsOf()).filter((report) => report.version > 1);
    expect(corrected.map((r) => [r.memberState, r.month, r.version])).toEqual([
      ['DE', '2026-02', 2],
      ['FR', '2026-04', 2],
      ['NL', '2026-06', 2],
    ]);
    // a correction is made only once the month it is made in has begun
    const april = (await reportsOf('2026-04-10T08:00:00.000Z')).filter((r) => r.version > 1);
    expect(april.map((r) => [r.memberState, r.month])).toEqual([['DE', '2026-02']]);
  });

  it('holds a month with nothing admitted, a report made on a Member State’s behalf, emergency admissions without a host, and a line from outside the plan’s countries', async () => {
    const reports = await reportsOf();
    const report = (memberState: string, month: string) =>
      reports.find((r) => r.memberState === memberState && r.month === month);
    expect(report('IT', '2026-01')).toMatchObject({ admissions: [], admitted: 0 });
    expect(report('PT', '2026-01')).toMatchObject({ admitted: 0, onBehalf: true });
    expect(reports.filter((r) => r.onBehalf)).toHaveLength(1);
    const emergency = reports.flatMap((r) =>
      r.admissions.filter((line) => line.admissionType === 'emergency_admission'),
    );
    expect(emergency.length).toBeGreaterThan(0);
    expect(emergency.every((line) => line.hostCountry === undefined)).toBe(true);
    expect(report('SE', '2026-05')?.admissions).toContainEqual(
      expect.objectContaining({ admissionType: 'resettlement', hostCountry: 'ET', persons: 6 }),
    );
  });

  it('counts the Art. 19(3) groups, family members and AMIF breakdowns for some Member States', async () => {
    const reports = await reportsOf();
    const lines = reports.flatMap((r) => r.admissions.map((line) => ({ ...line, of: r })));
    expect(lines.some((line) => (line.vulnerablePersons ?? 0) > 0)).toBe(true);
    expect(lines.some((line) => (line.familyMembers ?? 0) > 0)).toBe(true);
    const broken = lines.filter((line) => line.bySex !== undefined);
    expect(new Set(broken.map((line) => line.of.memberState))).toEqual(
      new Set(['DE', 'FI', 'NL', 'SE']),
    );
    for (const line of broken) {
      expect(sum(Object.values(line.bySex ?? {}))).toBe(line.persons);
      expect(sum(Object.values(line.byAgeBand ?? {}))).toBe(line.persons);
    }
  });

  it('reports a few cases open past 7 months from August, and past 10 months from November (Art. 9(9))', async () => {
    const reports = await reportsOf();
    const open7 = reports.filter((r) => (r.procedure.openBeyond7Months ?? 0) > 0);
    const open10 = reports.filter((r) => (r.procedure.openBeyond10Months ?? 0) > 0);
    expect(open7.length).toBeGreaterThan(0);
    expect(open7.every((r) => r.month >= '2026-08')).toBe(true);
    expect(open10.map((r) => [r.memberState, r.month])).toEqual([['IT', '2026-11']]);
  });

  it('is deterministic: two loads on the same day record the same reports', async () => {
    const strip = (reports: readonly ReportView[]) =>
      reports.map(({ submittedAt: _s, updatedAt: _u, ...rest }) => rest);
    expect(strip(await reportsOf())).toEqual(strip(await reportsOf()));
  });
});

describe('the illustrative plan in progress: its fulfilment view', () => {
  const fulfilmentOn = async (now: string) => {
    const view = getFulfilment(await load(now), ILLUSTRATIVE_PLAN_ID, ALL_PARTICIPANTS, now);
    if (typeof view !== 'object') throw new Error(`no fulfilment view: ${String(view)}`);
    return view;
  };
  const statusOf = (view: Awaited<ReturnType<typeof fulfilmentOn>>, id: string) =>
    view.checks.find((check) => check.id === id)?.status;

  it('reconciles: the admitted total is the sum of the reports, and every breakdown adds up to it', async () => {
    const view = await fulfilmentOn(LATE_NOVEMBER);
    const reports = await reportsOf();
    expect(view.total.adopted).toBe(10_430);
    expect(view.total.admitted).toBe(sum(reports.map((r) => r.admitted)));
    expect(sum(view.memberStates.map((m) => m.admitted))).toBe(view.total.admitted);
    expect(statusOf(view, 'totals_reconcile')).toBe('pass');
  });

  it('shows something in every check a newcomer should see', async () => {
    const view = await fulfilmentOn(LATE_NOVEMBER);
    const rows = (id: string) => view.checks.find((check) => check.id === id)?.rows ?? [];
    expect(statusOf(view, 'behind_pace')).toBe('warn');
    expect(rows('behind_pace').map((row) => row['memberState'])).toEqual(['BE', 'IT', 'PT']);
    expect(statusOf(view, 'admissions_outside_plan_regions')).toBe('warn');
    expect(rows('admissions_outside_plan_regions')).toEqual([
      expect.objectContaining({ memberState: 'SE', host: 'ET', persons: 6 }),
    ]);
    expect(statusOf(view, 'procedure_deadlines')).toBe('warn');
    expect(statusOf(view, 'months_without_report')).toBe('pass');
    expect(statusOf(view, 'admissions_above_contribution')).toBe('pass');
    expect(view.amif.totalEur).toBeGreaterThan(0);
  });

  it.each(['2026-01-01T00:00:00.000Z', '2026-06-15T12:00:00.000Z', '2027-03-01T00:00:00.000Z'])(
    'reconciles on a store seeded at %s too',
    async (now) => {
      const view = await fulfilmentOn(now);
      const reports = await reportsOf(now);
      expect(view.total.admitted).toBe(sum(reports.map((r) => r.admitted)));
      expect(statusOf(view, 'totals_reconcile')).toBe('pass');
    },
  );
});
