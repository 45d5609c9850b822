/**
 * The auditor checks the verifiable log in a real browser: Chromium's WebCrypto verifies the
 * head's Ed25519 signature against the published key, a saved head is found consistent with the
 * log after it grew, and an event's record is proved to be in the signed log. The pledges are
 * written through the API with the demo bearer tokens; the auditor signs in through the OpenID
 * provider.
 */
import type { Browser, Page } from 'playwright-core';
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

describe('the log integrity page in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let pledgeEtag = '';

  const call = (
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => callApi(stack.tracker, who, method, path, body, headers);

  beforeAll(async () => {
    const [webDir, launched] = await Promise.all([buildWebApp(), launchBrowser()]);
    browser = launched;
    stack = await startStack({ webDir, demoData: false });
    await call('dg-home', 'POST', '/plans', {
      planId: PLAN,
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      priorityCountries: ['TR', 'LB', 'EG'],
    });
    await call('dg-home', 'POST', `/plans/${PLAN}/pledging/open`, { deadline: '2099-12-31' });
    const pledge = await call(
      'de-ministry',
      'PUT',
      `/plans/${PLAN}/pledges/DE`,
      { lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 100 }] },
      { 'if-none-match': '*' },
    );
    pledgeEtag = pledge.etag ?? '';
    page = await newPage(browser, stack.tracker.baseUrl);
    await signInWithOidc(page, 'jan.devries');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('verifies the signed head, a saved head after the log grew, and an event, by keyboard', async () => {
    await page.waitForURL((url) => url.pathname === '/audit');
    await page.getByRole('link', { name: 'Log integrity' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log integrity' }).waitFor();
    const latest = page.getByRole('region', { name: 'Latest signed head' });
    await latest.getByText('Signed by the key published at', { exact: false }).waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'auditor-integrity',
      "Auditor: the log's latest signed head, its signature verified in the browser",
    );

    const saving = page.waitForEvent('download');
    await latest.getByRole('button', { name: 'Save this head' }).click();
    const download = await saving;
    expect(download.suggestedFilename()).toBe('tree-head-3.json');
    await page.getByText(/downloaded as tree-head-3\.json and kept in this browser/).waitFor();

    // The log grows behind the auditor's back: DE revises its pledge.
    await call(
      'de-ministry',
      'PUT',
      `/plans/${PLAN}/pledges/DE`,
      {
        lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 120 }],
        reason: 'A second reception centre opened',
      },
      { 'if-match': pledgeEtag },
    );

    // Keyboard only, from the top of the page.
    await page.locator('body').focus();
    await expectKeyboardReachable(page, 'Check consistency', { role: 'button' });
    await page.keyboard.press('Enter');
    const saved = page.getByRole('region', { name: 'Your saved head' });
    await saved
      .getByText('Verified: the log only grew since you saved the head (1 event added).')
      .waitFor();
    await saveScreenshot(
      page,
      'auditor-integrity-consistency',
      'Auditor: a saved head found consistent with the log after it grew',
    );

    const position = await expectKeyboardReachable(page, 'Log position', { role: 'textbox' });
    await position.fill('1');
    await page.keyboard.press('Enter');
    const inclusion = page.getByRole('region', { name: "Check an event's inclusion" });
    await inclusion
      .getByText('Verified: the event at log position 1 is in the signed log, exactly as shown.')
      .waitFor();
    await inclusion
      .getByText('entry 1 of the 4 events the head commits to', { exact: false })
      .waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'auditor-integrity-inclusion',
      "Auditor: an event's inclusion in the signed log verified",
    );
  });

  // DE's first pledge (the feed on screen may be the one read at sign-in, before the revision).
  it("verifies an event's inclusion from the audit log", async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('button', { name: 'Verify inclusion of the event at position 3' }).click();
    await page
      .getByRole('row', { name: /^3 / })
      .getByText('Verified: the event at log position 3 is in the signed log', { exact: false })
      .waitFor();
    await expectNoAxeViolations(page);
  });
});
