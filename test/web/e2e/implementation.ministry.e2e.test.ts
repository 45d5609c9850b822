/**
 * A Member State desk officer reports admissions under an adopted plan, end to end: signs in
 * through the OpenID provider, finds the plan's months (one already recorded by the Commission on
 * the ministry's behalf), reports January in the pledge's line editor with each line's counts and
 * the procedure counts, meets a group count larger than its line at its field, submits, corrects
 * the month with a reason (a reason holding a case number is refused at its field first), reads
 * the month's history and the fulfilment of the contribution; then meets the Commission's
 * correction of the month being edited as a conflict and reapplies onto it. axe-core on every
 * screen and state; the form's controls are reached by keyboard.
 *
 * The plan runs over last year and this one, so every month used has begun and ended whenever
 * the journey runs.
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

jest.setTimeout(E2E_TIMEOUT_MS * 3);

const FIRST_YEAR = new Date().getUTCFullYear() - 1;
const PLAN_ID = `${FIRST_YEAR}-${FIRST_YEAR + 1}`;
const JANUARY = `${FIRST_YEAR}-01`;
const FEBRUARY = `${FIRST_YEAR}-02`;
const TODAY = new Date().toISOString().slice(0, 10);

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

async function expectCall(
  call: Promise<{ status: number; body: unknown }>,
  status: number,
): Promise<void> {
  const result = await call;
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

/** The plan through its lifecycle to adoption, with DE's and FR's pledges as the contributions. */
async function adoptPlan(stack: Stack): Promise<void> {
  const commission = tokenFor(stack, 'commission');
  const plan = `/api/v1/plans/${PLAN_ID}`;
  await expectCall(
    callApi(stack, commission, 'POST', '/api/v1/plans', {
      planId: PLAN_ID,
      periodStart: `${FIRST_YEAR}-01-01`,
      periodEnd: `${FIRST_YEAR + 1}-12-31`,
      priorityCountries: ['TR', 'LB'],
    }),
    201,
  );
  await expectCall(callApi(stack, commission, 'POST', `${plan}/pledging/open`, {}), 200);
  const pledges: [string, unknown[]][] = [
    [
      'DE',
      [
        { admissionType: 'resettlement', hostCountry: 'TR', persons: 400 },
        { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 100 },
      ],
    ],
    ['FR', [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 300 }]],
  ];
  for (const [memberState, lines] of pledges) {
    await expectCall(
      callApi(
        stack,
        tokenFor(stack, 'member_state', memberState),
        'PUT',
        `${plan}/pledges/${memberState}`,
        { lines },
        { 'If-None-Match': '*' },
      ),
      201,
    );
  }
  await expectCall(callApi(stack, commission, 'POST', `${plan}/pledging/close`, {}), 200);
  await expectCall(
    callApi(stack, commission, 'POST', `${plan}/proposal`, {
      reference: `COM(${FIRST_YEAR - 1}) 500`,
      proposedOn: TODAY,
    }),
    200,
  );
  await expectCall(
    callApi(stack, commission, 'POST', `${plan}/adoption`, {
      actReference: `Council Implementing Decision (EU) ${FIRST_YEAR - 1}/900`,
      adoptedOn: TODAY,
    }),
    200,
  );
  // February, recorded by the Commission on DE's behalf; FR's January by its own ministry.
  await expectCall(
    callApi(
      stack,
      commission,
      'PUT',
      `${plan}/implementation/DE/${FEBRUARY}`,
      { admissions: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 20 }] },
      { 'If-None-Match': '*' },
    ),
    201,
  );
  await expectCall(
    callApi(
      stack,
      tokenFor(stack, 'member_state', 'FR'),
      'PUT',
      `${plan}/implementation/FR/${JANUARY}`,
      { admissions: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 60 }] },
      { 'If-None-Match': '*' },
    ),
    201,
  );
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

/** The text of the message an input's `aria-describedby` points to. */
async function describedBy(page: Page, name: string): Promise<string> {
  const ids = (await page.getByRole('textbox', { name }).getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    ids
      .split(' ')
      .filter(Boolean)
      .map((id) => page.locator(`#${id}`).textContent()),
  );
  return texts.join(' ');
}

describe("a Member State ministry's desk officer, reporting admissions", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const webDir = await buildWebApp();
    [stack, browser] = await Promise.all([
      startStack({ webDir, demoData: false }),
      launchBrowser(),
    ]);
    await adoptPlan(stack);
    page = await newPage(browser, stack.tracker.baseUrl);
  }, E2E_TIMEOUT_MS * 2);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('reports a month, meets an error at its field, corrects it, reads its history and the fulfilment', async () => {
    const januaryName = `January ${FIRST_YEAR}`;

    // Sign in; the plan's row leads to its monthly reports.
    await signInWithOidc(page, 'anna.schmidt');
    await page.getByRole('heading', { level: 1, name: 'Our pledges' }).waitFor();
    await page.getByRole('link', { name: `Monthly reports for plan ${PLAN_ID}` }).click();

    // Every month begun: January not reported, February recorded by the Commission for us.
    await page
      .getByRole('heading', { level: 1, name: `Monthly reports for plan ${PLAN_ID}` })
      .waitFor();
    const months = page.getByRole('table', { name: /Months of plan .* begun so far/ });
    const february = months
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: `February ${FIRST_YEAR}` }) });
    await february.getByText(/by the Commission, on our behalf/).waitFor();
    await february.getByText('Reported', { exact: true }).waitFor();
    const january = months
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: januaryName }) });
    await january.getByText('Not reported', { exact: true }).waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-implementation-months',
      'Ministry: the months of an adopted plan and where each report stands',
    );

    // January's report: the pledge's line editor with each line's counts.
    await january.getByRole('link', { name: januaryName }).click();
    await page
      .getByRole('heading', { level: 2, name: `Report the admissions of ${januaryName}` })
      .waitFor();
    await page.getByRole('note', { name: 'Counts only' }).waitFor();
    await chooseHostCountry(page, 1, 'Türk');
    await page.getByRole('textbox', { name: 'Line 1: persons admitted' }).fill('40');
    await page
      .getByRole('textbox', { name: 'Line 1: Of whom in the Art. 19(3) groups' })
      .fill('12');

    // Line 2 by keyboard alone: Tab to "Add a line", Enter, the focus lands in the new line.
    await page.getByRole('heading', { level: 1 }).click();
    const addLine = await expectKeyboardReachable(page, 'Add a line', { role: 'button' });
    await addLine.press('Enter');
    const lineTwoType = page.getByRole('combobox', { name: 'Line 2: admission type' });
    await expect(
      lineTwoType.evaluate((element) => element === document.activeElement),
    ).resolves.toBe(true);
    await lineTwoType.selectOption('humanitarian_admission');
    await chooseHostCountry(page, 2, 'Leb');
    await page.getByRole('textbox', { name: 'Line 2: persons admitted' }).fill('10');
    await page.getByRole('textbox', { name: 'Line 2: Of whom in the Art. 19(3) groups' }).fill('4');
    // More family members than the line's persons (the mistake).
    await page
      .getByRole('textbox', { name: 'Line 2: Of whom family members (Art. 19(5))' })
      .fill('12');
    await page.getByText('Line 2: Breakdown by sex and age (optional)').click();
    await page.getByRole('textbox', { name: 'Line 2: female' }).fill('6');
    await page.getByRole('textbox', { name: 'Line 2: male' }).fill('4');
    await page.getByRole('textbox', { name: 'Line 2: non-binary' }).fill('0');
    await page.getByRole('textbox', { name: 'Persons registered' }).fill('70');
    await page.getByRole('textbox', { name: 'Positive conclusions' }).fill('50');
    await page.getByRole('textbox', { name: 'Open past 7 months (Art. 9(9))' }).fill('2');
    await page.getByRole('textbox', { name: 'Open past 10 months (Art. 9(9))' }).fill('1');
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-report-form',
      "Ministry: a month's report: admission lines with their counts, and the procedure's",
    );

    // The refusal sits at its field, with a summary linking to it.
    await page.getByRole('button', { name: 'Submit the report' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The report was not saved' });
    await alert.waitFor();
    const familyField = 'Line 2: Of whom family members (Art. 19(5))';
    await alert.getByRole('link', { name: /Line 2: of whom family members/ }).waitFor();
    expect(
      await page.getByRole('textbox', { name: familyField }).getAttribute('aria-invalid'),
    ).toBe('true');
    expect(await describedBy(page, familyField)).toMatch(
      /Family members \(12\) is more than the 10 persons/,
    );
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-report-errors',
      "Ministry: a report's refusal shown at its field, with a summary",
    );

    // Fix it from the summary's link, and submit: version 1.
    await alert.getByRole('link', { name: /Line 2: of whom family members/ }).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.getByRole('button', { name: 'Submit the report' }).click();
    await expectRecorded(
      page,
      new RegExp(
        `Submitted: version 1 of the report of DE for ${januaryName}, 50 persons admitted, recorded at log position \\d+`,
      ),
    );

    // Correct it: a reason holding a case number is refused at the reason, then a plain one.
    await page
      .getByRole('heading', { level: 2, name: `Correct the report for ${januaryName}` })
      .waitFor();
    await page.getByRole('textbox', { name: 'Line 1: persons admitted' }).fill('45');
    const reason = page.getByRole('textbox', { name: 'Reason for the correction (required)' });
    await reason.fill('Case 2024123456 arrived in January');
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await alert.getByRole('link', { name: /Reason for the correction/ }).waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(page, 'Reason for the correction (required)')).toMatch(/counts only/);
    await reason.fill('Five arrivals were first counted in February');
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await expectRecorded(
      page,
      new RegExp(`Corrected: version 2 of the report of DE for ${januaryName}, 55 persons`),
    );

    // The month's history: both versions, who, why, what changed.
    await page.getByRole('link', { name: 'Report history', exact: true }).click();
    await page
      .getByRole('heading', { level: 1, name: `History of our report for ${januaryName}` })
      .waitFor();
    const history = page.getByRole('table', {
      name: `Versions of the report of DE for ${januaryName}`,
    });
    await history.getByRole('rowheader', { name: '2' }).waitFor();
    expect(await history.getByRole('row').count()).toBe(3);
    await history.getByText('Five arrivals were first counted in February').waitFor();
    await history.getByText(/Changed: Resettlement, Türkiye: persons 40 → 45/).waitFor();
    await history.getByText(/Added: Humanitarian admission, Lebanon: 10 persons/).waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-report-history',
      "Ministry: every version of a month's report with its changes",
    );

    // The fulfilment of our contribution: January and February, 75 of 500 persons.
    await page.getByRole('link', { name: 'Fulfilment', exact: true }).click();
    await page
      .getByRole('heading', { level: 1, name: `Our fulfilment of plan ${PLAN_ID}` })
      .waitFor();
    const own = page.getByRole('region', { name: 'Our contribution' });
    await own.getByText('500 persons', { exact: true }).waitFor();
    await own.getByText('75 persons (15%)').waitFor();
    const types = page.getByRole('table', { name: /By admission type/ });
    await types.getByRole('rowheader', { name: 'Resettlement' }).waitFor();
    const amif = page.getByRole('region', { name: 'AMIF lump sums earned' });
    // 65 resettled x 10,000; 10 on humanitarian grounds, 4 + 3 at 8,000 and 3 at 6,000.
    await amif.getByText('EUR 724,000', { exact: true }).first().waitFor();
    // DE's 75 and FR's 60 of the 800 adopted.
    await page
      .getByRole('region', { name: 'The whole plan' })
      .getByText('135 persons (16.9%)')
      .waitFor();
    await expectNoAxeViolations(page);
    await saveScreenshot(
      page,
      'ministry-fulfilment',
      'Ministry: its fulfilment: contribution against admissions, pace, AMIF lump sums',
    );

    // Back at the months: January now corrected.
    await page.getByRole('link', { name: 'Monthly reports', exact: true }).click();
    await months
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: januaryName }) })
      .getByText('Corrected (version 2)')
      .waitFor();
  });

  it('meets the Commission’s correction of the month being edited, and reapplies onto it', async () => {
    const februaryName = `February ${FIRST_YEAR}`;
    // February's version 1 (the Commission's, on our behalf) opens in the form.
    await page
      .getByRole('table', { name: /Months of plan .* begun so far/ })
      .getByRole('link', { name: februaryName, exact: true })
      .click();
    await page
      .getByRole('heading', { level: 2, name: `Correct the report for ${februaryName}` })
      .waitFor();
    // I add Lebanon and the registrations.
    await page.getByRole('button', { name: 'Add a line' }).click();
    await page
      .getByRole('combobox', { name: 'Line 2: admission type' })
      .selectOption('humanitarian_admission');
    await chooseHostCountry(page, 2, 'Leb');
    await page.getByRole('textbox', { name: 'Line 2: persons admitted' }).fill('5');
    await page.getByRole('textbox', { name: 'Persons registered' }).fill('30');
    await page
      .getByRole('textbox', { name: 'Reason for the correction (required)' })
      .fill('Lebanon arrivals were missing');

    // Meanwhile the Commission corrects Türkiye, on our behalf.
    await expectCall(
      callApi(
        stack,
        tokenFor(stack, 'commission'),
        'PUT',
        `/api/v1/plans/${PLAN_ID}/implementation/DE/${FEBRUARY}`,
        {
          admissions: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 25 }],
          reason: 'Five more arrivals confirmed by the resettlement agency',
        },
        { 'If-Match': '"1"' },
      ),
      200,
    );
    await page.getByRole('button', { name: 'Save the correction' }).click();
    const conflict = page.getByRole('region', {
      name: 'Someone else recorded this month’s report while you were editing',
    });
    await conflict.getByRole('heading', { name: 'Their change: version 1 → version 2' }).waitFor();
    await conflict.getByText(/Five more arrivals confirmed by the resettlement agency/).waitFor();
    await conflict.getByText(/persons 20 → 25/).waitFor();
    await conflict.getByText(/Reapplying puts your changes on top of their version/).waitFor();
    await expectNoAxeViolations(page);

    // Their 25 for Türkiye, my Lebanon line and registrations: version 3.
    await conflict
      .getByRole('button', { name: 'Reload their version and reapply my changes' })
      .click();
    expect(await page.getByRole('textbox', { name: 'Line 1: persons admitted' }).inputValue()).toBe(
      '25',
    );
    expect(await page.getByRole('textbox', { name: 'Line 2: persons admitted' }).inputValue()).toBe(
      '5',
    );
    expect(await page.getByRole('textbox', { name: 'Persons registered' }).inputValue()).toBe('30');
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await expectRecorded(
      page,
      new RegExp(`Corrected: version 3 of the report of DE for ${februaryName}, 30 persons`),
    );
  });
});
