/**
 * Benchmark 5: the web app's first load, as a person opening a screen meets it. The app is built
 * (Vite, production mode) into a temp folder and served by the real server (a child process, as
 * `npm start` runs it: development mode with the demo plan 2026-2027 and the development sign-in,
 * a temp SQLite store). Chromium (playwright-core, `/usr/bin/chromium`) opens each screen in a
 * fresh browser context, so nothing is cached: signed out for `/signin`, else signed in first
 * through the development sign-in (not timed).
 *
 * Time: from navigation start to the first animation frame where the screen is ready: its URL is
 * the one opened (no redirect to the sign-in), an h1 is visible, no loading line (`.loading`) or
 * `aria-busy="true"` is left, and every chart (`.chart__drawing`) holds its drawing. A script
 * added before the page's own watches for that each frame, so the figure is the page's clock
 * (performance.now(), zero at navigation start), not the driver's round trips. The driver stays
 * out of the page's way while it loads: it waits on one promise the watch resolves (no polling),
 * and reads and compresses the scripts it counts only once the screen is ready (fetching their
 * bodies and gzipping them during the load took CPU from the page: 0.3 s of a 1 s load here,
 * on two cores, and none from the script-free baseline). Each screen is
 * loaded once unmeasured (the server compresses and caches, the store warms), then `runs` times,
 * every screen and the baseline taking turns so that other load on the machine falls on all alike.
 *
 * Beside the time, each row says how much CPU the page's main thread spent (Chromium's own count,
 * read when the screen is ready, so slightly after) and how many API requests it made: figures that
 * hold when the machine is busy with other work, where the wall-clock time does not.
 *
 * Baseline: the same cold load of a static page without any script (an h1 and a paragraph) from
 * the same server and static route: what the browser, the server and the network cost before the
 * app's own work. JavaScript: every script the screen loaded, compressed with gzip level 9 (the
 * figure the goal is set in) and as sent (the server's brotli or gzip).
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { startServer, stopServer } from './apiBench';
import { formatNumber, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface WebBenchOptions {
  /** Measured cold loads of each screen and of the baseline. */
  readonly runs: number;
}

export interface WebBenchOutcome {
  readonly rows: ResultRow[];
  /** Why the benchmark did not run (no Chromium), printed instead of its rows. */
  readonly skipped?: string;
}

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];
const PROJECT_ROOT = resolve(__dirname, '../..');
const GOAL_MS = 1_000;
const GOAL_SCRIPT_BYTES = 300_000;
const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 20;
const BUILD_TIMEOUT_MS = 180_000;
const PLAN = '2026-2027';
const STATIC_PAGE = '/bench-static.html';

interface Screen {
  readonly path: string;
  /** The development identity signed in before the load; none for a signed-out screen. */
  readonly identity?: string;
}

const SCREENS: readonly Screen[] = [
  { path: '/signin' },
  { path: '/ministry', identity: 'de-desk-officer' },
  { path: `/ministry/plans/${PLAN}`, identity: 'de-desk-officer' },
  { path: '/commission', identity: 'commission-official' },
  { path: `/commission/plans/${PLAN}`, identity: 'commission-official' },
  { path: `/commission/plans/${PLAN}/figures`, identity: 'commission-official' },
  { path: '/audit', identity: 'auditor' },
  { path: '/audit/replay', identity: 'auditor' },
];

const BASELINE: Screen = { path: STATIC_PAGE };

/*
 * Runs in the page before its own scripts (an init script, so the app's CSP does not apply): checks
 * each animation frame whether the screen is ready and keeps the page's clock at the first such
 * frame. Plain JavaScript, in a string: the bench is compiled without the DOM's types.
 */
const READINESS_WATCH = `(() => {
  const expected = EXPECTED_PATH;
  const ready = () => {
    if (location.pathname !== expected) return false;
    const heading = document.querySelector('h1');
    if (heading === null || !heading.checkVisibility()) return false;
    if (document.querySelector('.loading, [aria-busy="true"]') !== null) return false;
    for (const drawing of document.querySelectorAll('.chart__drawing')) {
      if (drawing.querySelector('svg') === null) return false;
    }
    return true;
  };
  let settle;
  window.__pledgeBenchReady = new Promise((resolve) => { settle = resolve; });
  const watch = () => {
    if (ready()) {
      settle({
        ms: performance.now(),
        heading: document.querySelector('h1').textContent,
        charts: document.querySelectorAll('.chart__drawing svg').length,
      });
    } else {
      requestAnimationFrame(watch);
    }
  };
  requestAnimationFrame(watch);
})();`;

interface Readiness {
  readonly ms: number;
  readonly heading: string;
  readonly charts: number;
}

interface ScriptLoad {
  readonly url: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly sentBytes: number;
  readonly coding: string;
}

interface Load extends Readiness {
  readonly scripts: readonly ScriptLoad[];
  /**
   * CPU time of the page's main thread (Chromium's `ThreadTime`) until the screen was ready: the
   * app's own work (parse, compile, run, style, layout), which other load on the machine inflates
   * far less than the wall-clock time.
   */
  readonly mainThreadMs: number;
  /** Requests to the API (`/api/`, `/auth/`) before the screen was ready. */
  readonly apiRequests: number;
}

export async function runWebBench(
  temp: TempDir,
  options: WebBenchOptions,
): Promise<WebBenchOutcome> {
  if (!existsSync(CHROMIUM_PATH)) {
    const skipped = `5: web app first load skipped: no Chromium at ${CHROMIUM_PATH}`;
    progress(skipped);
    return { rows: [], skipped };
  }
  const webDir = temp.file('web');
  progress('5: building the web app (vite build)');
  await buildWebApp(webDir);
  writeFileSync(
    join(webDir, STATIC_PAGE.slice(1)),
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Static page</title></head>' +
      '<body><main><h1>A static page</h1><p>No script, no style: the baseline.</p></main></body></html>\n',
  );

  const port = await freePort();
  const dbFile = temp.file('web.db');
  const server = await startServer({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PLEDGES_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PLEDGES_DB_FILE: dbFile,
    PLEDGES_DEMO_DATA: 'true',
    PLEDGES_DEV_SIGN_IN: 'true',
    PLEDGES_WEB_DIR: webDir,
    PLEDGES_LOG_LEVEL: 'warn',
  });
  let browser: Browser | undefined;
  try {
    const baseUrl = `http://127.0.0.1:${server.port}`;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    } catch (error: unknown) {
      const skipped = `5: web app first load skipped: Chromium did not start (${firstLine(error)})`;
      progress(skipped);
      return { rows: [], skipped };
    }
    const targets = [BASELINE, ...SCREENS];
    progress(`5: ${targets.length} pages, one warm-up load each`);
    for (const target of targets) await coldLoad(browser, baseUrl, target);

    const loads = new Map<Screen, Load[]>(targets.map((target) => [target, []]));
    for (let run = 1; run <= options.runs; run++) {
      progress(`5: cold loads, round ${run} of ${options.runs}`);
      for (const target of targets)
        loads.get(target)?.push(await coldLoad(browser, baseUrl, target));
    }
    return { rows: rowsOf(loads, options.runs) };
  } finally {
    await browser?.close();
    await stopServer(server.child);
    temp.removeDatabase(dbFile);
  }
}

function rowsOf(loads: ReadonlyMap<Screen, readonly Load[]>, runs: number): ResultRow[] {
  const baseline = (loads.get(BASELINE) ?? []).map((load) => load.ms);
  const baselineMedian = median(baseline);
  const baselineThread = median((loads.get(BASELINE) ?? []).map((load) => load.mainThreadMs));
  const rows: ResultRow[] = [
    {
      id: '5',
      what: 'static page, no script (the baseline of each screen)',
      unit: 'ms',
      tracker: baselineMedian,
      baseline: undefined,
      notes:
        `median of ${runs} cold loads, worst ${formatNumber(Math.max(...baseline))} ms; ` +
        `main thread ${formatNumber(baselineThread)} ms CPU; same server, same static route`,
    },
  ];
  for (const screen of SCREENS) {
    const measured = loads.get(screen) ?? [];
    const times = measured.map((load) => load.ms);
    const worst = Math.max(...times);
    const mainThread = median(measured.map((load) => load.mainThreadMs));
    const first = measured[0];
    const who = screen.identity === undefined ? 'signed out' : screen.identity;
    const charts =
      first !== undefined && first.charts > 0 ? `; ${first.charts} chart(s) drawn` : '';
    rows.push({
      id: '5',
      what: `first load ${screen.path} (${who})`,
      unit: 'ms',
      tracker: median(times),
      baseline: baselineMedian,
      notes:
        `median of ${runs} cold loads, worst ${formatNumber(worst)} ms; goal < ${formatNumber(GOAL_MS)} ms: ` +
        `${worst < GOAL_MS ? 'pass' : 'over'}; main thread ${formatNumber(mainThread)} ms CPU; ` +
        `${first?.apiRequests ?? '?'} API request(s); h1 "${first?.heading ?? '?'}"${charts}`,
    });
    const scripts = first?.scripts ?? [];
    const gzipBytes = sum(scripts.map((script) => script.gzipBytes));
    const codings = [...new Set(scripts.map((script) => script.coding))].join('/');
    rows.push({
      id: '5',
      what: `  JavaScript of ${screen.path}, gzip -9`,
      unit: 'kB',
      tracker: gzipBytes / 1000,
      baseline: undefined,
      digits: 1,
      notes:
        `${scripts.length} script${scripts.length === 1 ? '' : 's'}; sent ${formatNumber(sum(scripts.map((script) => script.sentBytes)) / 1000, 1)} kB (${codings || '-'}), ` +
        `${formatNumber(sum(scripts.map((script) => script.bytes)) / 1000, 1)} kB raw; goal < ${formatNumber(GOAL_SCRIPT_BYTES / 1000)} kB: ` +
        `${gzipBytes < GOAL_SCRIPT_BYTES ? 'pass' : 'over'}`,
    });
  }
  return rows;
}

/** One load in a fresh browser context (empty cache, no cookies but the session's). */
async function coldLoad(browser: Browser, baseUrl: string, screen: Screen): Promise<Load> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1280, height: 800 },
  });
  try {
    if (screen.identity !== undefined) {
      const signedIn = await context.request.post('/auth/development', {
        headers: { 'X-Requested-With': 'pledge-tracker' },
        data: { identity: screen.identity },
      });
      if (!signedIn.ok()) {
        throw new Error(`signing in as ${screen.identity} answered ${signedIn.status()}`);
      }
    }
    await context.addInitScript({
      content: READINESS_WATCH.replace('EXPECTED_PATH', JSON.stringify(screen.path)),
    });
    const page = await context.newPage();
    const devTools = await context.newCDPSession(page);
    await devTools.send('Performance.enable');
    // Measured once the screen is ready, not as they arrive: see the header.
    const scriptResponses: Response[] = [];
    let apiRequests = 0;
    page.on('response', (response) => {
      if (isScript(response)) scriptResponses.push(response);
    });
    page.on('request', (request) => {
      if (/^\/(api|auth)\//.test(new URL(request.url()).pathname)) apiRequests++;
    });
    await page.goto(screen.path, { waitUntil: 'commit' });
    const readiness = await readinessOf(page, screen.path);
    const { metrics } = await devTools.send('Performance.getMetrics');
    const threadSeconds = metrics.find((metric) => metric.name === 'ThreadTime')?.value ?? NaN;
    return {
      ...readiness,
      scripts: await Promise.all(scriptResponses.map(measureScript)),
      mainThreadMs: threadSeconds * 1000,
      apiRequests,
    };
  } finally {
    await context.close();
  }
}

/**
 * Waits for the readiness watch's promise. Through the driver's evaluate, which the app's CSP
 * leaves alone (waitForFunction evaluates a string, which `script-src 'self'` forbids). One call
 * that settles when the screen is ready, so the driver sends the page nothing while it loads; it
 * is asked again only when the call fails (a navigation replaced the document) or finds no
 * watch yet.
 */
async function readinessOf(page: Page, path: string): Promise<Readiness> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const timeout = new AbortController();
    const readiness = await Promise.race([
      page.evaluate<Readiness | undefined>('window.__pledgeBenchReady').catch(() => undefined),
      delay(deadline - performance.now(), undefined, { signal: timeout.signal }).then(
        () => undefined,
        () => undefined,
      ),
    ]);
    timeout.abort();
    if (readiness !== undefined) return readiness;
    await delay(READY_POLL_MS);
  }
  const heading = await page
    .locator('h1')
    .first()
    .textContent({ timeout: 1_000 })
    .catch(() => null);
  throw new Error(
    `${path} was not ready within ${READY_TIMEOUT_MS / 1000} s (at ${new URL(page.url()).pathname}, h1 ${JSON.stringify(heading)})`,
  );
}

function isScript(response: Response): boolean {
  return (
    response.request().resourceType() === 'script' ||
    /javascript/i.test(response.headers()['content-type'] ?? '')
  );
}

async function measureScript(response: Response): Promise<ScriptLoad> {
  const body = await response.body();
  const sizes = await response.request().sizes();
  return {
    url: response.url(),
    bytes: body.length,
    gzipBytes: gzipSync(body, { level: 9 }).length,
    sentBytes: sizes.responseBodySize,
    coding: response.headers()['content-encoding'] ?? 'identity',
  };
}

/** `vite build` of web/ into `outDir`, as `npm run build:web` does into dist/web. */
function buildWebApp(outDir: string): Promise<void> {
  const vite = join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      'web/vite.config.mts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return new Promise((resolveBuild, reject) => {
    const timer = setTimeout(() => child.kill(), BUILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveBuild();
      else reject(new Error(`vite build failed (${signal ?? `exit code ${String(code)}`})`));
    });
  });
}

/** A port nothing listens on now, so the public URL can name it before the server starts. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

function median(sample: readonly number[]): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
