/**
 * The auditor's journey through the browser: the audit log filtered and paged, an event's full
 * content, time travel to a past log position (the plan's numbers as the API gives them for that
 * position), two pledge versions side by side, and the replay check. Other people's data is set
 * up through the API with the demo bearer tokens; the auditor signs in through the OpenID provider.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import {
  E2E_TIMEOUT_MS,
  buildWebApp,
  callApi,
  expectKeyboardReachable,
  expectNoAxeViolations,
  launchBrowser,
  newPage,
  saveScreenshot,
  signInWithOidc,
  startStack,
  type ApiAnswer,
  type Stack,
} from '../support/harness';

jest.setTimeout(E2E_TIMEOUT_MS);

const PLAN = '2026-2027';
const OTHER_PLAN = '2028-2029';

describe("the auditor's journey", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  /** The log position right after DE's first pledge: the past the auditor travels to. */
  let firstPledgePosition: number;

  const call = (
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => callApi(stack.tracker, who, method, path, body, headers);

  const totalAsOf = async (asOf: number | undefined): Promise<number> => {
    const query = asOf === undefined ? '' : `&asOf=${asOf}`;
    const answer = await call('eca-auditor', 'GET', `/plans/${PLAN}/totals?view=pledges${query}`);
    return (answer.body as { total: number }).total;
  };

  beforeAll(async () => {
    const [webDir, launched] = await Promise.all([buildWebApp(), launchBrowser()]);
    browser = launched;
    stack = await startStack({ webDir, demoData: false });

    for (const planId of [PLAN, OTHER_PLAN]) {
      await call('dg-home', 'POST', '/plans', {
        planId,
        periodStart: `${planId.slice(0, 4)}-01-01`,
        periodEnd: `${planId.slice(5)}-12-31`,
        priorityCountries: ['TR', 'LB', 'EG'],
      });
      await call('dg-home', 'POST', `/plans/${planId}/pledging/open`, { deadline: '2099-12-31' });
    }
    const submit = (ms: string, planId: string, lines: unknown[]) =>
      call(
        `${ms.toLowerCase()}-ministry`,
        'PUT',
        `/plans/${planId}/pledges/${ms}`,
        { lines },
        {
          'if-none-match': '*',
        },
      );
    const de = await submit('DE', PLAN, [
      { admissionType: 'resettlement', hostCountry: 'TR', persons: 100 },
      { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 50 },
    ]);
    firstPledgePosition = de.position;
    await submit('FR', PLAN, [{ admissionType: 'resettlement', hostCountry: 'EG', persons: 60 }]);
    await submit('FR', OTHER_PLAN, [
      { admissionType: 'resettlement', hostCountry: 'EG', persons: 10 },
    ]);
    const revised = await call(
      'de-ministry',
      'PUT',
      `/plans/${PLAN}/pledges/DE`,
      {
        lines: [
          { admissionType: 'resettlement', hostCountry: 'TR', persons: 80 },
          {
            admissionType: 'emergency_admission',
            hostCountry: 'EG',
            persons: 20,
            emergencyBasis: 'resettlement',
          },
        ],
        reason: 'Reception capacity reassessed',
      },
      { 'if-match': de.etag ?? '' },
    );
    await call(
      'de-ministry',
      'PUT',
      `/plans/${PLAN}/pledges/DE`,
      {
        lines: [
          { admissionType: 'resettlement', hostCountry: 'TR', persons: 120 },
          {
            admissionType: 'emergency_admission',
            hostCountry: 'EG',
            persons: 20,
            emergencyBasis: 'resettlement',
          },
        ],
        reason: 'A second reception centre opened',
      },
      { 'if-match': revised.etag ?? '' },
    );

    page = await newPage(browser, stack.tracker.baseUrl);
    await signInWithOidc(page, 'jan.devries');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('filters the audit log, opens an event and pages, by mouse and by keyboard', async () => {
    await page.waitForURL((url) => url.pathname === '/audit');
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('rowheader', { name: String(firstPledgePosition) }).waitFor();
    await expectNoAxeViolations(page);

    // Keyboard only: from the top of the page into the filters, choosing with the arrow keys.
    await page.locator('body').focus();
    const plan = await expectKeyboardReachable(page, 'Plan', { role: 'combobox' });
    await plan.selectOption(PLAN);
    await page.keyboard.press('Tab');
    await expect(isFocused(page, 'Member State')).resolves.toBe(true);
    await page.getByLabel('Member State', { exact: true }).selectOption('DE');
    const type = await expectKeyboardReachable(page, 'Event type', { role: 'combobox' });
    await type.selectOption('PledgeRevised');
    await expectKeyboardReachable(page, 'Apply filters', { role: 'button' });
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('type') === 'PledgeRevised');
    const url = new URL(page.url());
    expect(url.searchParams.get('planId')).toBe(PLAN);
    expect(url.searchParams.get('memberState')).toBe('DE');

    const rows = page.locator('table.feed-table tbody tr');
    await waitForCount(rows, 2);
    await page.getByText('Reception capacity reassessed').waitFor();
    await expect(rows.getByText('Pledge revised', { exact: true }).count()).resolves.toBe(2);
    await saveScreenshot(page, 'auditor-feed', 'Auditor: the audit log, filtered');

    const toggle = page
      .getByRole('button', { name: /Show content of the event at position/ })
      .first();
    await toggle.click();
    // The same button, renamed now that it hides the content.
    const hide = page.getByRole('button', { name: /Hide content of the event at position/ });
    await expect(hide.getAttribute('aria-expanded')).resolves.toBe('true');
    const data = page.getByRole('region', { name: /^Data/ });
    await data.waitFor();
    const content = JSON.parse((await data.textContent()) ?? '') as { lines: unknown[] };
    expect(content.lines).toHaveLength(2);
    await page.getByText('Correlation id', { exact: true }).waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'auditor-event', "Auditor: an event's full content");

    // Paging: one event a page over the whole plan.
    await page.goto(`/audit?planId=${PLAN}&limit=1`);
    await page.getByRole('button', { name: /Next page/ }).click();
    await page.waitForURL((next) => next.searchParams.has('after'));
    await page.getByRole('button', { name: 'Back to the first page' }).click();
    await page.waitForURL((next) => !next.searchParams.has('after'));
    await waitForCount(rows, 1);
  });

  it('travels to a past log position and shows the numbers the API gives for it', async () => {
    await page.goto(`/audit?planId=${PLAN}&memberState=DE&type=PledgeSubmitted`);
    const link = page.getByRole('link', { name: /View the plan as of this event/ }).first();
    await link.click();
    await page.waitForURL(
      (url) =>
        url.pathname === `/audit/plans/${PLAN}/figures` &&
        url.searchParams.get('asOf') === String(firstPledgePosition),
    );
    const banner = page.getByRole('status').filter({ hasText: 'You are looking at the past' });
    await expect(banner.textContent()).resolves.toContain(`log position ${firstPledgePosition}`);
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Plan and pledges' }).click();
    await page.waitForURL((url) => url.pathname === `/audit/plans/${PLAN}`);
    expect(new URL(page.url()).searchParams.get('asOf')).toBe(String(firstPledgePosition));
    const pastTotal = await totalAsOf(firstPledgePosition);
    expect(pastTotal).toBe(150);
    await shows(page.getByTestId('pledged-total'), String(pastTotal));
    await shows(page.getByTestId('as-of-position'), String(firstPledgePosition));
    // Only DE had pledged then.
    await page.getByRole('rowheader', { name: 'FR' }).waitFor({ state: 'detached' });
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'auditor-time-travel',
      'Auditor: the plan as of a past log position',
    );

    // Time travel by the control: a position typed in.
    await page.getByLabel('Log position', { exact: true }).fill(String(firstPledgePosition + 1));
    await page.getByRole('button', { name: 'View at this position' }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('asOf') === String(firstPledgePosition + 1),
    );
    await page.getByRole('rowheader', { name: 'FR' }).waitFor();
    await shows(
      page.getByTestId('pledged-total'),
      String(await totalAsOf(firstPledgePosition + 1)),
    );

    await page.getByRole('button', { name: 'Back to now' }).first().click();
    await page.waitForURL((url) => !url.searchParams.has('asOf'));
    // The URL changes before React re-renders without the banner: wait for it to go.
    await page.getByText('You are looking at the past').waitFor({ state: 'detached' });
    const nowTotal = await totalAsOf(undefined);
    expect(nowTotal).toBe(200);
    await shows(page.getByTestId('pledged-total'), '200');
  });

  it('compares two versions of a pledge side by side', async () => {
    await page.goto('/audit/compare');
    await page.getByRole('heading', { level: 1, name: 'Compare versions' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Plan', { exact: true }).selectOption(PLAN);
    await page.getByLabel('Member State', { exact: true }).selectOption('DE');
    await page.getByRole('button', { name: 'Show the versions' }).click();
    await page.getByLabel('Version A', { exact: true }).selectOption('1');
    await page.getByLabel('Version B', { exact: true }).selectOption('3');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('a') === '1' && url.searchParams.get('b') === '3',
    );
    const table = page.getByRole('table', { name: /Version 1 \(A\) and version 3 \(B\)/ });
    await table.waitFor();
    const row = (label: string) =>
      table
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
    await expect(row('Line: Resettlement, from TR').textContent()).resolves.toMatch(
      /100 persons.*120 persons.*Changed/,
    );
    await expect(row('Line: Humanitarian admission, from LB').textContent()).resolves.toContain(
      'Removed',
    );
    await expect(
      row('Line: Emergency admission, from EG, counted as resettlement').textContent(),
    ).resolves.toContain('Added');
    await expect(row('Total').textContent()).resolves.toMatch(/150 persons.*140 persons.*Changed/);
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'auditor-compare', 'Auditor: two versions of a pledge side by side');
  });

  it('runs the replay check and sees it pass', async () => {
    await page.getByRole('link', { name: 'Replay check' }).click();
    await page.getByRole('heading', { level: 1, name: 'Replay check' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Run the replay check' }).click();
    await page.getByRole('heading', { name: /Result: Passed/ }).waitFor();
    await page.getByRole('table', { name: /live digest against rebuilt digest/ }).waitFor();
    await expect(page.getByText('No, different').count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'auditor-replay', 'Auditor: the replay check passed');
  });
});

/** Waits until `locator` matches exactly `count` elements (a new page of results has arrived). */
async function waitForCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen = await locator.count();
  while (seen !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} elements, still ${seen}`);
    await new Promise((wait) => setTimeout(wait, 50));
    seen = await locator.count();
  }
}

/** Waits until the element's whole text is `text` (its data has loaded). */
function shows(locator: Locator, text: string): Promise<void> {
  return locator.filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
}

function isFocused(page: Page, label: string): Promise<boolean> {
  return page
    .getByLabel(label)
    .evaluate((element) => element === element.ownerDocument.activeElement);
}
