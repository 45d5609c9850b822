/**
 * A Member State desk officer's journey, end to end: signs in through the OpenID provider, opens
 * a plan the Commission opened for pledging, submits a pledge with two mistakes and sees both at
 * their fields, fixes them, revises with a reason, meets a colleague's concurrent revision as a
 * conflict and reapplies, reads the history with its diffs, and withdraws behind a confirmation.
 * axe-core runs on every screen and state; one pass adds a line by keyboard alone.
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

jest.setTimeout(E2E_TIMEOUT_MS * 2);

const PLAN_ID = '2028-2029';

/** A call to the tracker's API as a machine client, with a demo bearer token. */
async function callApi(
  stack: Stack,
  token: DemoToken,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.tracker.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token.token}`,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function expectStatus(result: { status: number; body: unknown }, status: number): void {
  if (result.status !== status) {
    throw new Error(`expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  }
}

function tokenFor(stack: Stack, role: string, memberState?: string): DemoToken {
  const token = stack.tracker
    .demoTokens()
    .find((candidate) => candidate.role === role && candidate.memberState === memberState);
  if (token === undefined) throw new Error(`no demo token for ${role} ${memberState ?? ''}`);
  return token;
}

/** The status line after a write: what the server recorded. */
async function expectRecorded(page: Page, text: RegExp): Promise<void> {
  await page.locator('.ministry-result').filter({ hasText: text }).waitFor();
}

/** Chooses a host country in a line's picker by keyboard: type, arrow down, Enter. */
async function chooseHostCountry(page: Page, line: number, search: string): Promise<void> {
  const picker = page.getByRole('combobox', { name: `Line ${line}: host country` });
  await picker.click();
  await picker.fill(search);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

describe("a Member State ministry's desk officer", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const webDir = await buildWebApp();
    [stack, browser] = await Promise.all([startStack({ webDir }), launchBrowser()]);
    const commission = tokenFor(stack, 'commission');
    const created = await callApi(stack, commission, 'POST', '/api/v1/plans', {
      planId: PLAN_ID,
      periodStart: '2028-01-01',
      periodEnd: '2029-12-31',
      regions: [
        { id: 'central_med', name: 'Central Mediterranean', countries: ['LY', 'TN', 'NE'] },
      ],
    });
    expectStatus(created, 201);
    const opened = await callApi(
      stack,
      commission,
      'POST',
      `/api/v1/plans/${PLAN_ID}/pledging/open`,
      {},
    );
    expectStatus(opened, 200);
    page = await newPage(browser, stack.tracker.baseUrl);
  }, E2E_TIMEOUT_MS * 2);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('pledges, fixes mistakes, revises, resolves a conflict, reads the history and withdraws', async () => {
    // Sign in through the organisation's identity provider: the app opens on our plans.
    await signInWithOidc(page, 'anna.schmidt');
    await page.getByRole('heading', { level: 1, name: 'Our pledges' }).waitFor();
    const planLink = page.getByRole('link', { name: PLAN_ID });
    await planLink.waitFor();
    await page.getByText('Not pledged yet').first().waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'ministry-plans', 'Ministry: its plans, and its pledge in each');

    // The plan: an empty line to start from.
    await planLink.click();
    await page.getByRole('heading', { level: 1, name: `Pledge for plan ${PLAN_ID}` }).waitFor();
    await page.getByRole('textbox', { name: 'Line 1: persons' }).waitFor();

    // Line 1: an emergency line whose basis is forgotten (mistake one).
    await page
      .getByRole('combobox', { name: 'Line 1: admission type' })
      .selectOption('emergency_admission');
    await page.getByRole('radio', { name: /No host/ }).check();
    await page.getByRole('textbox', { name: 'Line 1: persons' }).fill('30');

    // Line 2, added by keyboard alone: Tab to "Add a line", Enter, the focus lands in the new line.
    await page.getByRole('heading', { level: 1 }).click();
    const addLine = await expectKeyboardReachable(page, 'Add a line', { role: 'button' });
    await addLine.press('Enter');
    const lineTwoType = page.getByRole('combobox', { name: 'Line 2: admission type' });
    await expect(
      lineTwoType.evaluate((element) => element === document.activeElement),
    ).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    // Resettlement from Türkiye, for a group only humanitarian admission may name (mistake two).
    await chooseHostCountry(page, 2, 'Türk');
    await page.getByRole('textbox', { name: 'Line 2: persons' }).fill('40');
    await page.getByText('Line 2: Target groups: none').click();
    await page
      .getByRole('checkbox', { name: /Family members/ })
      .nth(0)
      .check();
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-pledge-editor',
      'Ministry: the pledge editor: lines, host picker and totals',
    );

    await page.getByRole('button', { name: 'Submit the pledge' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The pledge was not saved' });
    await alert.waitFor();
    await alert.getByRole('link', { name: /Line 1: emergency basis/ }).waitFor();
    await alert.getByRole('link', { name: /Line 2: target groups/ }).waitFor();
    const basis = page.getByRole('combobox', { name: 'Line 1: Emergency basis' });
    expect(await basis.getAttribute('aria-invalid')).toBe('true');
    const basisMessage = await basis.getAttribute('aria-describedby');
    expect(await page.locator(`#${basisMessage ?? ''}`).textContent()).toContain('basis');
    expect(
      await page.getByRole('group', { name: 'Line 2: target groups' }).getAttribute('aria-invalid'),
    ).toBe('true');
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-errors',
      'Ministry: every refusal shown at its field, with a summary',
    );

    // Fix both, submit: version 1.
    await alert.getByRole('link', { name: /Line 1: emergency basis/ }).click();
    await basis.selectOption('resettlement');
    await page
      .getByRole('checkbox', { name: /Family members/ })
      .nth(0)
      .uncheck();
    await page.getByRole('button', { name: 'Submit the pledge' }).click();
    await expectRecorded(
      page,
      /Submitted: version 1 of the pledge of DE, 70 persons, recorded at log position \d+/,
    );

    // Revise with a reason: version 2.
    await page.getByRole('textbox', { name: 'Line 2: persons' }).fill('60');
    await page
      .getByRole('textbox', { name: 'Reason for the change (required)' })
      .fill('Two more municipalities joined');
    await page.getByRole('button', { name: 'Save the revision' }).click();
    await expectRecorded(page, /Revised: version 2 of the pledge of DE, 90 persons/);

    // A colleague revises through the API meanwhile; our next save meets their version 3.
    await page.getByRole('textbox', { name: 'Line 1: persons' }).fill('35');
    await page
      .getByRole('textbox', { name: 'Reason for the change (required)' })
      .fill('Emergency places raised');
    const colleague = await callApi(
      stack,
      tokenFor(stack, 'member_state', 'DE'),
      'PUT',
      `/api/v1/plans/${PLAN_ID}/pledges/DE`,
      {
        lines: [
          { admissionType: 'emergency_admission', emergencyBasis: 'resettlement', persons: 30 },
          { admissionType: 'resettlement', hostCountry: 'TR', persons: 60 },
          { admissionType: 'resettlement', hostCountry: 'KE', persons: 15 },
        ],
        reason: 'Kenya added after the ministry meeting',
      },
      { 'If-Match': '"2"' },
    );
    expectStatus(colleague, 200);
    await page.getByRole('button', { name: 'Save the revision' }).click();
    const conflict = page.getByRole('region', {
      name: 'Someone else changed this pledge while you were editing',
    });
    await conflict.getByRole('heading', { name: 'Their change: version 2 → version 3' }).waitFor();
    await conflict.getByText(/Added: Resettlement, Kenya, any year: 15 persons/).waitFor();
    await conflict.getByText(/Kenya added after the ministry meeting/).waitFor();
    await conflict.getByText(/persons 30 → 35/).waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-conflict',
      "Ministry: a colleague's change beside mine (a conflict)",
    );

    await conflict
      .getByRole('button', { name: 'Reload their version and reapply my changes' })
      .click();
    await expectRecorded(page, /Your edits are kept on top of version 3/);
    // My emergency places on top of their version: their Kenya line stays.
    expect(await page.getByRole('textbox', { name: 'Line 1: persons' }).inputValue()).toBe('35');
    expect(await page.getByRole('textbox', { name: 'Line 3: persons' }).inputValue()).toBe('15');
    await page.getByRole('button', { name: 'Save the revision' }).click();
    await expectRecorded(page, /Revised: version 4 of the pledge of DE, 110 persons/);

    // The history: every version, who, why, and what changed.
    await page.getByRole('link', { name: 'History' }).click();
    await page
      .getByRole('heading', { level: 1, name: `History of our pledge for plan ${PLAN_ID}` })
      .waitFor();
    const history = page.getByRole('table', { name: /Versions of the pledge of DE/ });
    await history.getByRole('rowheader', { name: '4' }).waitFor();
    expect(await history.getByRole('row').count()).toBe(5);
    await history.getByText('Two more municipalities joined').waitFor();
    await history.getByText(/Changed: Resettlement, Türkiye, any year: persons 40 → 60/).waitFor();
    await history.getByText(/Added: Resettlement, Kenya, any year: 15 persons/).waitFor();
    await history
      .getByText(
        /Changed: Emergency admission \(resettlement basis\), No host, any year: persons 30 → 35/,
      )
      .waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-history',
      'Ministry: every version of the pledge with its changes',
    );

    // Withdraw, behind a confirmation.
    await page.getByRole('link', { name: 'Pledge', exact: true }).click();
    await page
      .getByRole('textbox', { name: 'Reason for withdrawing (required)' })
      .fill('Places moved to the next plan');
    await page.getByRole('button', { name: 'Withdraw the pledge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Withdraw the pledge?' });
    await dialog.waitFor();
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Withdraw the pledge' }).click();
    await expectRecorded(page, /Withdrawn: version 5 of the pledge of DE/);
    await page.getByRole('heading', { name: 'Submit our pledge again' }).waitFor();
  });
});
