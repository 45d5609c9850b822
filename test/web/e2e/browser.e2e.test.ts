/**
 * The harness's browser side: Debian's Chromium through playwright-core, axe-core's findings
 * written out readably, the keyboard check, screenshots, and signInWithOidc through the real
 * OpenID provider (against a stand-in for the tracker's sign-in, until the real one is merged).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFakeRelyingParty } from './fakeRelyingParty';
import {
  E2E_TIMEOUT_MS,
  expectKeyboardReachable,
  expectNoAxeViolations,
  freePort,
  launchBrowser,
  newPage,
  saveScreenshot,
  signInAsDevelopmentIdentity,
  signInWithOidc,
  startOidcProvider,
} from '../support/harness';

jest.setTimeout(E2E_TIMEOUT_MS);

describe('Chromium with axe-core', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());
  beforeEach(async () => {
    page = await newPage(browser, 'http://127.0.0.1:9');
  });
  afterEach(() => page.context().close());

  const ACCESSIBLE_PAGE = `<!DOCTYPE html><html lang="en"><head><title>A small page</title></head>
<body><header><a href="#main">Skip to the content</a></header>
<main id="main"><h1>Pledges</h1>
<form><label for="persons">Persons</label><input id="persons" type="number">
<button type="submit">Save the pledge</button></form></main></body></html>`;

  it('finds no violations on an accessible page, and reaches its button by keyboard', async () => {
    await page.setContent(ACCESSIBLE_PAGE);
    await expectNoAxeViolations(page);
    const button = await expectKeyboardReachable(page, 'Save the pledge');
    expect(await button.textContent()).toBe('Save the pledge');
  });

  it('lists each violation with its rule, impact and target', async () => {
    await page.setContent(`<!DOCTYPE html><html><head><title>Faulty</title></head><body>
<main><h1>Faulty</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="chart">
<input id="unlabelled" type="text"></main></body></html>`);
    const failure = expectNoAxeViolations(page);
    await expect(failure).rejects.toThrow(/html-has-lang \(serious\)/);
    await expect(failure).rejects.toThrow(/image-alt \(critical\).*\n.*\n.*at \["#chart"\]/);
    await expect(failure).rejects.toThrow(/label \(critical\)/);
  });

  it('says where the focus went when an element cannot be reached by keyboard', async () => {
    await page.setContent(`${ACCESSIBLE_PAGE.replace('</main>', '<div>Delete</div></main>')}`);
    await expect(expectKeyboardReachable(page, 'Delete', { maxTabs: 5 })).rejects.toThrow(
      /no element named Delete got the focus in 5 presses of Tab; the focus went to:\n {2}<a> Skip to the content/,
    );
  });

  it('refuses requests beyond the loopback interface', async () => {
    const blocked: string[] = [];
    page.on('requestfailed', (request) => blocked.push(request.url()));
    await page.setContent(
      '<html lang="en"><head><title>x</title><link rel="stylesheet" href="https://fonts.example.com/font.css"></head><body></body></html>',
    );
    expect(blocked).toEqual(['https://fonts.example.com/font.css']);
  });

  it('writes a screenshot and its manifest entry only when asked', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pledges-screenshots-'));
    try {
      await page.setContent(ACCESSIBLE_PAGE);
      await saveScreenshot(page, 'small-page', undefined, { directory });
      const asked = process.env['PLEDGES_SCREENSHOTS'] === '1';
      expect(existsSync(join(directory, 'small-page.png'))).toBe(asked);
      await saveScreenshot(page, 'small-page', 'A small page', { directory, force: true });
      expect(readFileSync(join(directory, 'small-page.png')).subarray(1, 4).toString()).toBe('PNG');
      expect(JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8'))).toEqual([
        { name: 'small-page', title: 'A small page' },
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('signing in through the provider in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  async function withRelyingParty(
    consent: 'skip' | 'prompt',
    use: (page: Page, baseUrl: string) => Promise<void>,
  ): Promise<void> {
    const port = await freePort();
    const provider = await startOidcProvider({
      redirectUris: [`http://127.0.0.1:${port}/auth/callback`],
      consent,
    });
    const relyingParty = await startFakeRelyingParty(provider, port);
    const page = await newPage(browser, relyingParty.baseUrl);
    try {
      await use(page, relyingParty.baseUrl);
    } finally {
      await page.context().close();
      await relyingParty.close();
      await provider.stop();
    }
  }

  it.each(['skip', 'prompt'] as const)(
    'goes from /signin through the login form (consent: %s) and back',
    (consent) =>
      withRelyingParty(consent, async (page) => {
        await signInWithOidc(page, 'pierre.martin');
        expect(new URL(page.url()).pathname).toBe('/home');
        expect(await page.getByRole('heading').textContent()).toBe('Signed in as Pierre Martin');
      }),
  );

  it('comes back to /signin?error= when the relying party refuses the person', () =>
    withRelyingParty('skip', async (page, baseUrl) => {
      await signInWithOidc(page, 'no.role', { expectSignedIn: false });
      expect(page.url()).toBe(`${baseUrl}/signin?error=no_role`);
      await page.context().clearCookies();
      await expect(signInWithOidc(page, 'no.role')).rejects.toThrow(
        /the sign-in of no.role was refused: .*error=no_role/,
      );
    }));

  it('signs in as a development identity offered as a button, by id or by name', () =>
    withRelyingParty('skip', async (page) => {
      await signInAsDevelopmentIdentity(page, 'de-desk-officer');
      expect(await page.getByRole('heading').textContent()).toBe(
        'Signed in as Desk officer, DE ministry (demo)',
      );
      await page.context().clearCookies();
      await signInAsDevelopmentIdentity(page, 'Desk officer, DE ministry (demo)');
      expect(new URL(page.url()).pathname).toBe('/home');
      await expect(signInAsDevelopmentIdentity(page, 'fr-desk-officer')).rejects.toThrow(
        'no development identity fr-desk-officer; there are: de-desk-officer',
      );
    }));
});
