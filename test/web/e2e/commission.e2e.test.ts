/**
 * A Commission official's journey through the browser: signs in through the OpenID provider,
 * creates plan 2028-2029, opens pledging, closes it after two ministries pledged (through the
 * API), records the proposal, the adoption with one figure changed and a Member State added that
 * had not pledged, and an amendment adopting a revision made after adoption; then reads the
 * figures (tables, charts, a CSV) and prints the annex. axe-core on every screen and on the open
 * confirmation dialog.
 */
import type { Browser, Page } from 'playwright-core';
import {
  buildWebApp,
  E2E_TIMEOUT_MS,
  expectKeyboardReachable,
  expectNoAxeViolations,
  launchBrowser,
  newPage,
  saveScreenshot,
  signInWithOidc,
  startStack,
  type DemoToken,
  type Stack,
} from '../support/harness';

// One long journey of many steps: twice the harness's budget for a test, for a loaded machine.
jest.setTimeout(2 * E2E_TIMEOUT_MS);

const PLAN = '2028-2029';

let stack: Stack | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ webDir: await buildWebApp() });
  browser = await launchBrowser();
  page = await newPage(browser, stack.tracker.baseUrl);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A ministry's bearer token, from the tokens the tracker wrote for development. */
function ministryToken(running: Stack, memberState: string): string {
  const token = running.tracker
    .demoTokens()
    .find((candidate: DemoToken) => candidate.memberState === memberState);
  if (token === undefined) throw new Error(`no demo token for ${memberState}`);
  return token.token;
}

/** A pledge through the API, as a ministry's own system would send it. */
async function pledge(
  running: Stack,
  memberState: string,
  lines: readonly Record<string, unknown>[],
  precondition: { 'If-None-Match': '*' } | { 'If-Match': string },
  reason?: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(
    `${running.tracker.baseUrl}/api/v1/plans/${PLAN}/pledges/${memberState}`,
    {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${ministryToken(running, memberState)}`,
        'Content-Type': 'application/json',
        ...precondition,
      },
      body: JSON.stringify({ lines, ...(reason !== undefined && { reason }) }),
    },
  );
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`PUT pledge ${memberState}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * Submits a lifecycle step: its button opens the confirmation dialog (checked by axe when
 * `checkDialog`; every step's dialog is the same component), Confirm records.
 */
async function confirmStep(
  submit: string,
  dialogTitle: RegExp,
  confirm: string,
  answer: string,
  checkDialog = false,
): Promise<void> {
  await page.getByRole('button', { name: submit, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: dialogTitle });
  await dialog.waitFor();
  if (checkDialog) await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  await page.getByRole('status').filter({ hasText: answer }).waitFor();
}

/** The cells of a table row, as text, found by its row header. */
async function rowCells(tableName: string, rowHeader: string): Promise<string[]> {
  const row = page
    .getByRole('table', { name: tableName, exact: true })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: rowHeader, exact: true }) });
  return row.getByRole('cell').allTextContents();
}

it('takes a plan from creation to amendment, then reads its figures and prints its annex', async () => {
  if (stack === undefined) throw new Error('the tracker did not start');
  const running = stack;
  try {
    // Sign in; the Commission's start page lists the plans.
    await signInWithOidc(page, 'eva.lindqvist');
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    await page.getByRole('table', { name: /^Plans/ }).waitFor();
    await expectNoAxeViolations(page);

    // Create the plan: its form unfolds from its summary.
    await page.getByText('Create a plan', { exact: true }).first().click();
    await page.getByLabel('Plan id').waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'commission-plans', 'The Commission: plans and the create form');
    await page.getByLabel('Plan id').fill(PLAN);
    await page.getByLabel('Period start').fill('2028-01-01');
    await page.getByLabel('Period end').fill('2029-12-31');
    await page.getByLabel('Search by name or code').fill('Leb');
    await page.getByRole('checkbox', { name: /Lebanon \(LB\)/ }).check();
    await page.getByLabel('Search by name or code').fill('TR');
    await page.getByRole('checkbox', { name: /\(TR\)/ }).check();
    await page.getByRole('checkbox', { name: 'Middle East and North Africa' }).check();
    await page.getByRole('button', { name: 'Create the plan' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Plan ${PLAN} created` })
      .waitFor();
    await page.getByRole('link', { name: `Open plan ${PLAN}` }).click();
    await page.getByRole('heading', { level: 1, name: `Plan ${PLAN}` }).waitFor();
    await expectNoAxeViolations(page);

    // Open pledging with a deadline; the step's button is reachable by keyboard.
    await expectKeyboardReachable(page, 'Open pledging…', { role: 'button' });
    await page.getByLabel('Deadline date (optional)').fill('2027-03-31');
    await confirmStep(
      'Open pledging…',
      /^Open pledging for 2028-2029 with deadline 31 March 2027/,
      'Open pledging',
      'Pledging opened',
      true,
    );

    // Two ministries pledge through the API.
    await pledge(
      running,
      'DE',
      [
        { admissionType: 'resettlement', hostCountry: 'TR', persons: 600 },
        { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 200 },
      ],
      { 'If-None-Match': '*' },
    );
    await pledge(
      running,
      'FR',
      [
        { admissionType: 'resettlement', hostCountry: 'LB', persons: 300 },
        { admissionType: 'emergency_admission', persons: 50, emergencyBasis: 'resettlement' },
      ],
      { 'If-None-Match': '*' },
    );
    await page.reload();
    await page.getByRole('table', { name: "Member States' pledges" }).waitFor();
    expect(await rowCells("Member States' pledges", 'Active pledges')).toEqual(
      expect.arrayContaining(['900', '200', '50', '1,150']),
    );

    // Close, propose, adopt with one figure edited.
    await confirmStep(
      'Close pledging…',
      /^Close pledging for 2028-2029/,
      'Close pledging',
      'Pledging closed',
    );
    await page.getByLabel('Reference').fill('COM(2027) 500');
    await page.getByLabel('Date of the proposal').fill('2027-05-03');
    await confirmStep(
      'Record the proposal…',
      /^Record proposal COM\(2027\) 500/,
      'Record the proposal',
      'Proposal recorded',
    );
    const germanResettlement = page.getByRole('textbox', { name: 'DE, line 1: persons' });
    expect(await germanResettlement.inputValue()).toBe('600');
    await germanResettlement.fill('550');
    // The Council's act includes Italy, which had not pledged: added with one line, which takes
    // the focus.
    await page.getByRole('combobox', { name: 'Member State to add' }).selectOption('IT');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const italianType = page.getByRole('combobox', { name: 'IT, line 1: admission type' });
    await italianType.waitFor();
    expect(await italianType.evaluate((element) => element === document.activeElement)).toBe(true);
    const italianHost = page.getByRole('combobox', { name: 'IT, line 1: host country' });
    await italianHost.click();
    await italianHost.fill('Leb');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'IT, line 1: persons' }).fill('100');
    await page.getByRole('table', { name: 'IT: 100 persons (added)' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Act reference').fill('Council Implementing Decision (EU) 2027/900');
    await page.getByLabel('Date of adoption').fill('2027-06-15');
    await confirmStep(
      'Record the adoption…',
      /^Record the adoption of 2028-2029/,
      'Record the adoption',
      'Adoption recorded',
    );

    // Germany revises after adoption: the change waits for an amendment.
    const current = await fetch(`${running.tracker.baseUrl}/api/v1/plans/${PLAN}/pledges/DE`, {
      headers: { Authorization: `Bearer ${ministryToken(running, 'DE')}` },
    });
    const revised = await pledge(
      running,
      'DE',
      [
        { admissionType: 'resettlement', hostCountry: 'TR', persons: 650 },
        { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 200 },
      ],
      { 'If-Match': current.headers.get('ETag') ?? '' },
      'More places after the Council decision',
    );
    expect(revised['pendingAmendment']).toBe(true);

    // The amendment adopts it by naming Germany.
    await page.reload();
    await page.getByRole('heading', { name: 'Record an amendment' }).waitFor();
    await page.getByLabel('Act reference').fill('Council Implementing Decision (EU) 2027/1500');
    await page.getByLabel('Date of the amendment').fill('2027-09-01');
    await page.getByLabel('Reason', { exact: true }).fill('Germany raised its resettlement places');
    await page.getByRole('checkbox', { name: /^DE: now 850 persons, adopted 750/ }).check();
    await confirmStep(
      'Record the amendment…',
      /^Record amendment Council Implementing Decision \(EU\) 2027\/1500/,
      'Record the amendment',
      'Amendment recorded',
    );
    await page.getByRole('table', { name: 'Amendments recorded' }).waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'commission-lifecycle', 'The Commission: a plan’s lifecycle');

    // The figures: the adopted plan with the amendment, in tables and charts.
    await page.getByRole('link', { name: 'Figures' }).click();
    await page.getByRole('heading', { level: 1, name: `Figures of plan ${PLAN}` }).waitFor();
    const matrix = `Member State × admission type, plan ${PLAN}`;
    await page.getByRole('table', { name: matrix }).waitFor();
    expect(await rowCells(matrix, 'Total')).toEqual(['1,050', '200', '50', '1,300']);
    expect(await rowCells(matrix, 'Germany (DE)')).toEqual(['650', '200', '0', '850']);
    expect(await rowCells(matrix, 'Italy (IT)')).toEqual(['100', '0', '0', '100']);
    expect(
      await rowCells(
        `Proposal COM(2027) 500 against Council Implementing Decision (EU) 2027/900`,
        'Germany (DE)',
      ),
    ).toEqual(['800', '750', '850', '+50']);
    expect(
      await rowCells(
        `Proposal COM(2027) 500 against Council Implementing Decision (EU) 2027/900`,
        'Italy (IT)',
      ),
    ).toEqual(['0', '100', '100', '+100']);
    // Charts render once the figures are read: wait for the fourth.
    await page.locator('.chart__drawing svg.chart__svg').nth(3).waitFor();
    expect(await page.locator('.chart__drawing svg.chart__svg').count()).toBeGreaterThanOrEqual(4);
    expect(
      await page.locator('.chart__drawing[role="img"][aria-label]').count(),
    ).toBeGreaterThanOrEqual(4);
    // A chart's table is built when it is unfolded, by keyboard as by mouse.
    const timelineTable = page.getByRole('table', {
      name: 'Data of the chart: pledged total over time',
    });
    expect(await timelineTable.count()).toBe(0);
    await page.locator('.chart__table summary').last().focus();
    await page.keyboard.press('Enter');
    await timelineTable.waitFor();
    await expectNoAxeViolations(page);
    await page.keyboard.press('Enter');
    await saveScreenshot(page, 'commission-figures', 'The Commission: a plan’s figures');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: `Download CSV of contributions-${PLAN}-adopted.csv` })
        .click(),
    ]);
    expect(download.suggestedFilename()).toBe(`contributions-${PLAN}-adopted.csv`);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'Member State,Resettlement,Humanitarian admission,Emergency admission,Total',
      'DE,650,200,0,850',
      'FR,300,0,50,350',
      'IT,100,0,0,100',
      '',
    ]);

    // The annex, on screen and as printed.
    await page.getByRole('link', { name: 'Annex' }).click();
    await page
      .getByRole('heading', {
        level: 1,
        name: `Annex: Union Resettlement and Humanitarian Admission Plan ${PLAN}`,
      })
      .waitFor();
    await page
      .getByRole('table', { name: 'Contributions by Member State and admission type' })
      .waitFor();
    await expectNoAxeViolations(page);
    await page.getByText('Annex to Council Implementing Decision (EU) 2027/900').waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(
      await page
        .getByRole('table', { name: 'Contributions by Member State and admission type' })
        .isVisible(),
    ).toBe(true);
    await saveScreenshot(page, 'commission-annex', 'The Commission: the plan’s annex, as printed');
    await page.emulateMedia({ media: 'screen' });
  } catch (error) {
    const log = running.tracker.output().split('\n').slice(-30).join('\n');
    throw new Error(`${String(error)}\n--- tracker output (last lines) ---\n${log}`);
  }
});
