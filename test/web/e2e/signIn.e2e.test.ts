/**
 * Signing in through the browser: through the OpenID provider (the person's roles and Member
 * State come from the ID token) and through the development sign-in.
 */
import type { Browser, Page } from 'playwright-core';
import {
  buildWebApp,
  E2E_TIMEOUT_MS,
  expectKeyboardReachable,
  expectNoAxeViolations,
  DEFAULT_OIDC_LABEL,
  launchBrowser,
  newPage,
  saveScreenshot,
  signInAsDevelopmentIdentity,
  signInWithOidc,
  startStack,
  type Stack,
} from '../support/harness';

jest.setTimeout(E2E_TIMEOUT_MS);

interface Session {
  actor: { id: string; name?: string; role: string; memberState?: string };
  method: string;
}

let stack: Stack | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ webDir: await buildWebApp() });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  if (browser !== undefined && stack !== undefined) {
    page = await newPage(browser, stack.tracker.baseUrl);
  }
});

afterEach(async () => {
  if (browser !== undefined) await page.context().close();
});

/** A sign-in test; a failure comes with the tracker's last log lines. */
function signInTest(name: string, body: (running: Stack) => Promise<void>): void {
  it(name, async () => {
    if (stack === undefined) throw new Error('the tracker did not start');
    try {
      await body(stack);
    } catch (error) {
      // What the tracker logged (its last lines) beside what the browser saw.
      const log = stack.tracker.output().split('\n').slice(-30).join('\n');
      throw new Error(`${String(error)}\n--- tracker output (last lines) ---\n${log}`);
    }
  });
}

async function session(): Promise<Session> {
  const response = await page.request.get('/api/v1/session');
  expect(response.status()).toBe(200);
  return (await response.json()) as Session;
}

describe('the sign-in page', () => {
  signInTest('passes axe-core and its OIDC button is reachable by keyboard', async () => {
    await page.goto('/signin');
    await expectNoAxeViolations(page);
    await expectKeyboardReachable(page, DEFAULT_OIDC_LABEL);
    await saveScreenshot(page, 'signin', 'The sign-in page');
  });
});

describe('signing in through the OpenID provider', () => {
  signInTest('takes a ministry official to the ministry screens under her name', async () => {
    await signInWithOidc(page, 'anna.schmidt');
    // The app sends each role home once it has read the session.
    await page.waitForURL((url) => /^\/ministry/.test(url.pathname));
    await page.getByText('Anna Schmidt').first().waitFor();
    expect(await session()).toMatchObject({
      method: 'oidc',
      actor: {
        id: 'anna.schmidt@bmi.example.de',
        name: 'Anna Schmidt',
        role: 'member_state',
        memberState: 'DE',
      },
    });
    await expectNoAxeViolations(page);
  });

  signInTest('takes a Commission official to the Commission screens', async () => {
    await signInWithOidc(page, 'eva.lindqvist');
    // The app sends each role home once it has read the session.
    await page.waitForURL((url) => /^\/commission/.test(url.pathname));
    await page.getByText('Eva Lindqvist').first().waitFor();
    expect((await session()).actor).toMatchObject({ role: 'commission', name: 'Eva Lindqvist' });
  });

  signInTest('sends a person without a role back to the sign-in page, saying why', async () => {
    await signInWithOidc(page, 'no.role', { expectSignedIn: false });
    const landed = new URL(page.url());
    expect(landed.pathname).toBe('/signin');
    expect(landed.searchParams.get('error')).toBe('no_role');
    await page.getByRole('alert').first().waitFor();
    expect((await page.request.get('/api/v1/session')).status()).toBe(401);
  });

  signInTest('refuses a ministry official without a Member State claim', async () => {
    await signInWithOidc(page, 'mika.nostate', { expectSignedIn: false });
    expect(new URL(page.url()).searchParams.get('error')).toBe('no_member_state');
  });
});

describe('the development sign-in', () => {
  signInTest('signs in as a demo desk officer, marked as such', async () => {
    await signInAsDevelopmentIdentity(page, 'de-desk-officer');
    // The app sends each role home once it has read the session.
    await page.waitForURL((url) => /^\/ministry/.test(url.pathname));
    await page.getByText('Desk officer, DE ministry (demo)').first().waitFor();
    expect(await session()).toMatchObject({
      method: 'development',
      actor: { id: 'dev:de-desk-officer', role: 'member_state', memberState: 'DE' },
    });
  });

  signInTest('signs in as the demo auditor', async () => {
    await signInAsDevelopmentIdentity(page, 'auditor');
    // The app sends each role home once it has read the session.
    await page.waitForURL((url) => /^\/audit/.test(url.pathname));
    expect((await session()).actor).toMatchObject({ id: 'dev:auditor', role: 'auditor' });
  });
});
