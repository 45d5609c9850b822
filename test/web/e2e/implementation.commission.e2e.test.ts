/**
 * The implementation screens through the browser. Plan 2026-2027 is adopted through the API, then
 * DE and FR report their admissions month by month as their ministries' systems would, DE
 * corrects one month, and the Commission records one month on DE's behalf. A Commission official
 * opens the plan's Fulfilment tab: the figures are the ones the API answers, the reports grid
 * marks what was reported, recorded on behalf or missed, a report opens with its history, and the
 * AMIF export downloads as the API writes it. An auditor then travels back to the first report:
 * the fulfilment shows the figures the API gives for that log position. axe-core on every screen.
 */
import type { Browser, Download, Locator, Page } from 'playwright-core';
import {
  E2E_TIMEOUT_MS,
  buildWebApp,
  callApi,
  expectNoAxeViolations,
  launchBrowser,
  newPage,
  saveScreenshot,
  signInWithOidc,
  startStack,
  type ApiAnswer,
  type Stack,
} from '../support/harness';

jest.setTimeout(2 * E2E_TIMEOUT_MS);

const PLAN = '2026-2027';

interface Progress {
  readonly adopted: number;
  readonly admitted: number;
  readonly percent: number | null;
  readonly remaining: number;
}

interface PacedProgress extends Progress {
  readonly expectedByNow: number;
  readonly projectedAtEnd: number | null;
}

interface FulfilmentAnswer {
  readonly total: PacedProgress;
  readonly memberStates: readonly (PacedProgress & {
    readonly memberState: string;
    readonly monthsMissing: readonly string[];
    readonly lastReportedMonth: string | null;
  })[];
  readonly amif: { readonly totalEur: number };
  readonly asOfPosition: number;
}

const count = new Intl.NumberFormat('en-GB');
const percent = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
/** As the app writes figures (web/src/lib/format.ts). */
const shownCount = (value: number | null) => (value === null ? '–' : count.format(value));
const shownPercent = (value: number | null) => (value === null ? '–' : `${percent.format(value)}%`);

describe('the fulfilment of an adopted plan, for the Commission and the auditor', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  /** The log position of DE's first report: the past the auditor travels to. */
  let firstReportPosition: number;

  const call = (
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => callApi(stack.tracker, who, method, path, body, headers);

  const report = (
    who: string,
    memberState: string,
    month: string,
    body: unknown,
    precondition: Record<string, string> = { 'if-none-match': '*' },
  ) =>
    call(who, 'PUT', `/plans/${PLAN}/implementation/${memberState}/${month}`, body, precondition);

  const fulfilmentAsOf = async (asOf?: number): Promise<FulfilmentAnswer> =>
    (
      await call(
        'eca-auditor',
        'GET',
        `/plans/${PLAN}/fulfilment${asOf === undefined ? '' : `?asOf=${asOf}`}`,
      )
    ).body as FulfilmentAnswer;

  beforeAll(async () => {
    const [webDir, launched] = await Promise.all([buildWebApp(), launchBrowser()]);
    browser = launched;
    stack = await startStack({ webDir, demoData: false });

    // The plan, pledged, proposed and adopted as it was for 2026-2027 (figures invented).
    await call('dg-home', 'POST', '/plans', {
      planId: PLAN,
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      priorityCountries: ['TR', 'LB', 'EG'],
    });
    await call('dg-home', 'POST', `/plans/${PLAN}/pledging/open`, { deadline: '2099-12-31' });
    const pledge = (ms: string, lines: unknown[]) =>
      call(
        `${ms.toLowerCase()}-ministry`,
        'PUT',
        `/plans/${PLAN}/pledges/${ms}`,
        { lines },
        {
          'if-none-match': '*',
        },
      );
    await pledge('DE', [
      { admissionType: 'resettlement', hostCountry: 'TR', persons: 300 },
      { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 100 },
    ]);
    await pledge('FR', [{ admissionType: 'resettlement', hostCountry: 'EG', persons: 100 }]);
    await call('dg-home', 'POST', `/plans/${PLAN}/pledging/close`, {});
    await call('dg-home', 'POST', `/plans/${PLAN}/proposal`, {
      reference: 'COM(2025) 750',
      proposedOn: '2025-11-11',
    });
    await call('dg-home', 'POST', `/plans/${PLAN}/adoption`, {
      actReference: 'Council Implementing Decision (EU) 2025/2628',
      adoptedOn: '2025-12-18',
    });

    // The monthly reports: by the ministries, one corrected, one by the Commission on DE's behalf.
    const january = await report('de-ministry', 'DE', '2026-01', {
      admissions: [
        {
          admissionType: 'resettlement',
          hostCountry: 'TR',
          persons: 40,
          vulnerablePersons: 6,
          familyMembers: 2,
        },
        {
          admissionType: 'humanitarian_admission',
          hostCountry: 'LB',
          persons: 20,
          vulnerablePersons: 8,
          familyMembers: 4,
        },
      ],
      procedure: { registered: 90, positiveConclusions: 70, negativeConclusions: 5 },
    });
    firstReportPosition = january.position;
    await report('fr-ministry', 'FR', '2026-01', {
      admissions: [{ admissionType: 'resettlement', hostCountry: 'EG', persons: 25 }],
    });
    await report('de-ministry', 'DE', '2026-02', {
      admissions: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 30 }],
    });
    await report('dg-home', 'DE', '2026-03', {
      admissions: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 15 }],
    });
    await report(
      'de-ministry',
      'DE',
      '2026-01',
      {
        admissions: [
          {
            admissionType: 'resettlement',
            hostCountry: 'TR',
            persons: 38,
            vulnerablePersons: 6,
            familyMembers: 2,
          },
          {
            admissionType: 'humanitarian_admission',
            hostCountry: 'LB',
            persons: 20,
            vulnerablePersons: 8,
            familyMembers: 4,
          },
        ],
        procedure: { registered: 90, positiveConclusions: 70, negativeConclusions: 5 },
        reason: 'Two arrivals were counted twice',
      },
      { 'if-match': january.etag ?? '' },
    );

    page = await newPage(browser, stack.tracker.baseUrl);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** The cells of a table row, as text, found by its row header. */
  const rowCells = (table: Locator, rowHeader: string): Promise<string[]> =>
    table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: rowHeader, exact: true }) })
      .getByRole('cell')
      .allTextContents();

  it("shows the Commission the API's figures, the reports, a report's history and an export", async () => {
    try {
      await signInWithOidc(page, 'eva.lindqvist');
      await page.goto(`/commission/plans/${PLAN}`);
      await page.getByRole('heading', { level: 1, name: `Plan ${PLAN}` }).waitFor();
      await page.getByRole('link', { name: 'Fulfilment', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `Fulfilment of plan ${PLAN}` }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Where the plan stands' }).waitFor();

      const api = await fulfilmentAsOf();
      expect(api.total.admitted).toBe(38 + 20 + 25 + 30 + 15);
      const headline: Readonly<Record<string, string>> = {
        adopted: shownCount(api.total.adopted),
        admitted: shownCount(api.total.admitted),
        percent: shownPercent(api.total.percent),
        remaining: shownCount(api.total.remaining),
        expectedByNow: shownCount(api.total.expectedByNow),
        projectedAtEnd: shownCount(api.total.projectedAtEnd),
      };
      for (const [id, text] of Object.entries(headline)) {
        await expect(page.getByTestId(`fulfilment-${id}`).textContent()).resolves.toBe(text);
      }
      await expect(page.getByTestId('fulfilment-amif-total').textContent()).resolves.toBe(
        `EUR ${count.format(api.amif.totalEur)}`,
      );

      // Germany's progress against its contribution, as the API has it.
      const progress = page.getByRole('table', {
        name: `Admitted against the adopted contribution by Member State, plan ${PLAN}`,
      });
      await progress.getByRole('rowheader', { name: 'Germany (DE)' }).waitFor();
      const de = api.memberStates.find((row) => row.memberState === 'DE');
      if (de === undefined) throw new Error('the API has no fulfilment for DE');
      const pace = de.admitted - de.expectedByNow;
      expect(await rowCells(progress, 'Germany (DE)')).toEqual([
        shownCount(de.adopted),
        shownCount(de.admitted),
        shownPercent(de.percent),
        shownCount(de.remaining),
        shownCount(de.expectedByNow),
        pace > 0 ? `+${count.format(pace)}` : count.format(pace),
        shownCount(de.projectedAtEnd),
        'March 2026',
      ]);
      // The charts render once the fulfilment is read, each a named image beside its table.
      await page.locator('.chart__drawing svg.chart__svg').nth(3).waitFor();
      expect(await page.locator('.chart__drawing[role="img"][aria-label]').count()).toBe(
        await page.locator('.chart__drawing').count(),
      );

      // The reports grid: reported, recorded on behalf, missing; the missing months as the API counts.
      const grid = page.getByRole('table', {
        name: `Monthly reports by Member State, plan ${PLAN}`,
      });
      const deCells = await rowCells(grid, 'Germany (DE)');
      // Each cell reads its persons, then (visually hidden) which report it opens.
      expect(deCells.slice(2, 6)).toEqual([
        '58 persons admitted, report of DE, January 2026',
        '30 persons admitted, report of DE, February 2026',
        '15 persons admitted, report of DE, March 2026on behalf',
        'Missing: no report for DE, April 2026',
      ]);
      for (const row of api.memberStates) {
        const cells = await rowCells(
          grid,
          row.memberState === 'DE' ? 'Germany (DE)' : 'France (FR)',
        );
        expect(cells[1]).toBe(String(row.monthsMissing.length));
      }
      await expectNoAxeViolations(page);
      await saveScreenshot(
        page,
        'commission-fulfilment',
        'The Commission: fulfilment of the adopted plan',
      );

      // The AMIF annual figures for 2026, as the API writes them.
      const download = await downloadOf(
        page.getByRole('button', { name: 'Download CSV of the AMIF annual figures for 2026' }),
      );
      const csv = await textOf(download);
      const fromApi = await call(
        'dg-home',
        'GET',
        `/plans/${PLAN}/exports/amif-annual?year=2026&format=csv`,
      );
      expect(csv).toBe(fromApi.text);
      const json = (
        await call('dg-home', 'GET', `/plans/${PLAN}/exports/amif-annual?year=2026&format=json`)
      ).body as { rows: Record<string, unknown>[] };
      const [header = '', ...records] = csv.split('\r\n').filter((line) => line !== '');
      const columns = header.split(',');
      expect(records).toHaveLength(json.rows.length);
      expect(records.map((record) => record.split(',')[columns.indexOf('memberState')])).toEqual([
        'DE',
        'FR',
      ]);
      for (const [index, record] of records.entries()) {
        const cells = record.split(',');
        for (const [column, value] of Object.entries(json.rows[index] ?? {})) {
          expect([column, cells[columns.indexOf(column)]]).toEqual([column, String(value)]);
        }
      }
      await page
        .getByRole('status')
        .filter({ hasText: `Downloaded ${download.suggestedFilename()}` })
        .waitFor();

      // DE's January report: its lines, and both versions with the correction's reason.
      await grid
        .getByRole('link', { name: '58 persons admitted, report of DE, January 2026' })
        .click();
      await page
        .getByRole('heading', { level: 1, name: 'Report of DE for January 2026' })
        .waitFor();
      await expect(page.getByTestId('report-admitted').textContent()).resolves.toBe('58');
      const versions = page.getByRole('table', {
        name: 'Versions of the report of DE for January 2026',
      });
      await versions.getByRole('rowheader', { name: '2' }).waitFor();
      expect(await rowCells(versions, '2')).toEqual(
        expect.arrayContaining(['Corrected', 'Two arrivals were counted twice', '60 → 58']),
      );
      await expectNoAxeViolations(page);
      await saveScreenshot(
        page,
        'commission-report',
        'The Commission: a monthly report and its history',
      );
    } catch (error) {
      const log = stack.tracker.output().split('\n').slice(-30).join('\n');
      throw new Error(`${String(error)}\n--- tracker output (last lines) ---\n${log}`);
    }
  });

  it('shows the auditor the fulfilment as of an earlier log position, as the API gives it', async () => {
    const auditor = await newPage(browser, stack.tracker.baseUrl);
    try {
      await signInWithOidc(auditor, 'jan.devries');
      await auditor.goto(`/audit/plans/${PLAN}/fulfilment?asOf=${firstReportPosition}`);
      await auditor
        .getByRole('heading', { level: 1, name: `Fulfilment of plan ${PLAN}` })
        .waitFor();
      const banner = auditor.getByRole('status').filter({ hasText: 'You are looking at the past' });
      await expect(banner.textContent()).resolves.toContain(`log position ${firstReportPosition}`);

      const past = await fulfilmentAsOf(firstReportPosition);
      expect(past.total.admitted).toBe(60);
      await shows(auditor.getByTestId('fulfilment-admitted'), shownCount(past.total.admitted));
      await shows(auditor.getByTestId('fulfilment-percent'), shownPercent(past.total.percent));
      await shows(auditor.getByTestId('fulfilment-position'), String(firstReportPosition));
      // Only DE's first January report had been made then.
      const grid = auditor.getByRole('table', {
        name: `Monthly reports by Member State, plan ${PLAN}`,
      });
      const link = grid.getByRole('link', {
        name: '60 persons admitted, report of DE, January 2026',
      });
      await link.waitFor();
      expect(await grid.getByRole('link').count()).toBe(1);
      await expectNoAxeViolations(auditor);
      await saveScreenshot(
        auditor,
        'auditor-fulfilment',
        'Auditor: fulfilment as of a past log position',
      );

      // The report as it stood then: one version; the link keeps the past.
      await link.click();
      await auditor.waitForURL(
        (url) =>
          url.pathname === `/audit/plans/${PLAN}/reports/DE/2026-01` &&
          url.searchParams.get('asOf') === String(firstReportPosition),
      );
      const versions = auditor.getByRole('table', {
        name: 'Versions of the report of DE for January 2026',
      });
      await versions.getByRole('rowheader', { name: '1' }).waitFor();
      expect(await versions.getByRole('rowheader').count()).toBe(1);
      await expectNoAxeViolations(auditor);

      // Back to now: the figures of today.
      await auditor.getByRole('button', { name: 'Back to now' }).first().click();
      await auditor.waitForURL((url) => !url.searchParams.has('asOf'));
      await auditor.goto(`/audit/plans/${PLAN}/fulfilment`);
      await shows(
        auditor.getByTestId('fulfilment-admitted'),
        shownCount((await fulfilmentAsOf()).total.admitted),
      );
    } finally {
      await auditor.context().close();
    }
  });
});

async function downloadOf(button: Locator): Promise<Download> {
  const [download] = await Promise.all([button.page().waitForEvent('download'), button.click()]);
  return download;
}

async function textOf(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Waits until the element's whole text is `text` (its data has loaded). */
function shows(locator: Locator, text: string): Promise<void> {
  return locator
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .waitFor();
}
