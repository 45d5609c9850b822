/**
 * A screen's first load: the page starts the screen's first reads before the app renders
 * (`web/src/api/earlyReads.ts`), and the screen takes each of those answers instead of asking
 * again. Every screen that has early reads is opened cold, signed in; once it is up, no early read
 * is left untaken and no API URL was requested twice. A list that drifts from what its screen asks
 * for fails here, not silently in the benchmark. And the app reads the screen's data into its cache
 * before the first render (`prepareFirstScreen`): the screen never shows a loading line on the way
 * (unless that wait ran out, which the page marks; such a load is made again).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SCREEN_READS, earlyReadsFor } from '../../../web/src/api/earlyReads';
import type { components } from '../../../web/src/api/generated/schema';
import { FIRST_SCREEN_DATA_WAIT_RAN_OUT } from '../../../web/src/lib/firstScreenWait';
import {
  buildWebApp,
  E2E_TIMEOUT_MS,
  launchBrowser,
  newPage,
  startTracker,
  type RunningTracker,
} from '../support/harness';

jest.setTimeout(E2E_TIMEOUT_MS);

const PLAN = '2026-2027';

const SCREENS: readonly { readonly path: string; readonly identity: string }[] = [
  { path: '/ministry', identity: 'de-desk-officer' },
  { path: `/ministry/plans/${PLAN}`, identity: 'de-desk-officer' },
  { path: `/ministry/plans/${PLAN}/history`, identity: 'de-desk-officer' },
  { path: '/commission', identity: 'commission-official' },
  { path: `/commission/plans/${PLAN}`, identity: 'commission-official' },
  { path: `/commission/plans/${PLAN}/figures`, identity: 'commission-official' },
  { path: `/commission/plans/${PLAN}/fulfilment`, identity: 'commission-official' },
  { path: '/audit', identity: 'auditor' },
];

let tracker: RunningTracker | undefined;
let browser: Browser | undefined;
let webDir = '';

beforeAll(async () => {
  webDir = await buildWebApp();
  tracker = await startTracker({ webDir });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await tracker?.stop();
});

async function signedInPage(
  identity: string,
): Promise<{ page: Page; session: components['schemas']['Session'] }> {
  if (browser === undefined || tracker === undefined) throw new Error('the tracker did not start');
  const page = await newPage(browser, tracker.baseUrl);
  const answer = await page.request.post('/auth/development', {
    headers: { 'X-Requested-With': 'pledge-tracker' },
    data: { identity },
  });
  expect(answer.status()).toBe(200);
  return { page, session: (await answer.json()) as components['schemas']['Session'] };
}

/*
 * Runs before the page's own scripts: notes the label of every loading line the page ever shows
 * (a mutation observer sees each render's DOM before it is painted).
 */
const LOADING_WATCH = `(() => {
  const seen = [];
  window.__loadingLinesSeen = seen;
  new MutationObserver(() => {
    for (const line of document.querySelectorAll('.loading')) {
      const label = (line.textContent || '').trim();
      if (!seen.includes(label)) seen.push(label);
    }
  }).observe(document, { subtree: true, childList: true });
})();`;

interface ColdLoad {
  readonly session: components['schemas']['Session'];
  /** The API paths the page asked for, with their query strings, in order. */
  readonly requested: readonly string[];
  readonly unusedEarlyReads: readonly string[];
  /** The label of every loading line the page showed on the way. */
  readonly loadingLines: readonly string[];
  /** The first render stopped waiting for the screen's data (`prepareFirstScreen`). */
  readonly dataWaitRanOut: boolean;
}

/** Opens the screen in a new signed-in context, cold, and notes what it read and showed. */
async function loadCold(screen: (typeof SCREENS)[number]): Promise<ColdLoad> {
  const { page, session } = await signedInPage(screen.identity);
  try {
    await page.addInitScript(LOADING_WATCH);
    const requested: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) requested.push(`${url.pathname}${url.search}`);
    });
    await page.goto(screen.path);
    await screenIsUp(page);
    // The screen's later reads (a second query after the first answer) have settled too.
    await page.waitForLoadState('networkidle');
    const seen = await page.evaluate((mark) => {
      const app = window as unknown as {
        pledgeTrackerEarlyReads: { unused(): string[] };
        __loadingLinesSeen: string[];
      };
      return {
        unusedEarlyReads: app.pledgeTrackerEarlyReads.unused(),
        loadingLines: app.__loadingLinesSeen,
        dataWaitRanOut: performance.getEntriesByName(mark, 'mark').length > 0,
      };
    }, FIRST_SCREEN_DATA_WAIT_RAN_OUT);
    return { session, requested, ...seen };
  } finally {
    await page.context().close();
  }
}

/** Up: an h1 shown, no loading line or busy region left, every chart drawn. */
async function screenIsUp(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const heading = document.querySelector('h1');
    if (heading === null || !heading.checkVisibility()) return false;
    if (document.querySelector('.loading, [aria-busy="true"]') !== null) return false;
    return [...document.querySelectorAll('.chart__drawing')].every(
      (drawing) => drawing.querySelector('svg') !== null,
    );
  });
}

describe("a screen's first load", () => {
  it('lists early reads for every screen the test opens, and only those', () => {
    const listed = SCREEN_READS.map((screen) => screen.path.source);
    for (const screen of SCREEN_READS) {
      expect(SCREENS.some(({ path }) => screen.path.test(path))).toBe(true);
    }
    expect(listed.length).toBeGreaterThan(0);
  });

  it('ships on preact/compat: no script of the build carries React DOM', () => {
    const assets = join(webDir, 'assets');
    const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    // React DOM keys its fibers on the DOM nodes with this prefix, in every build it makes.
    const withReactDom = scripts.filter((name) =>
      readFileSync(join(assets, name), 'utf8').includes('__reactFiber$'),
    );
    expect(withReactDom).toEqual([]);
  });

  it.each(SCREENS)('$path takes every early read and asks nothing twice', async (screen) => {
    let load = await loadCold(screen);
    const early = earlyReadsFor(screen.path, '', load.session);
    expect(early.length).toBeGreaterThan(0);
    expect(load.unusedEarlyReads).toEqual([]);
    for (const path of early) expect(load.requested).toContain(path);
    const twice = load.requested.filter((path, index) => load.requested.indexOf(path) !== index);
    expect(twice).toEqual([]);
    // Its data was in the cache at the first render: no loading line came and went. A load whose
    // first render stopped waiting (the data took longer than the app waits, as on a machine
    // busy with the rest of the suite) shows them by design, so such a load is made again, twice
    // at most.
    for (let retry = 0; load.dataWaitRanOut && retry < 2; retry += 1) load = await loadCold(screen);
    expect(load.dataWaitRanOut).toBe(false);
    expect(load.loadingLines).toEqual([]);
  });

  it('starts no early read for a look at the past: the screen asks for it with `asOf`', async () => {
    const { page } = await signedInPage('commission-official');
    try {
      const requested: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/api/')) requested.push(`${url.pathname}${url.search}`);
      });
      await page.goto(`/commission/plans/${PLAN}?asOf=1`);
      await screenIsUp(page);
      await page.waitForLoadState('networkidle');
      const unused = await page.evaluate(() =>
        (
          window as unknown as { pledgeTrackerEarlyReads: { unused(): string[] } }
        ).pledgeTrackerEarlyReads.unused(),
      );
      expect(unused).toEqual([]);
      expect(requested).toContain(`/api/v1/plans/${PLAN}?asOf=1`);
      expect(requested).not.toContain(`/api/v1/plans/${PLAN}`);
    } finally {
      await page.context().close();
    }
  });
});
