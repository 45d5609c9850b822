/**
 * The end-to-end harness: a real OpenID provider and the tracker (from `src/main.ts`, on a
 * temporary SQLite store) in child processes, the built web app, and Chromium driven by
 * playwright-core, with axe-core checks, keyboard checks and screenshots for the README.
 *
 * A journey test usually reads:
 *
 *   const stack = await startStack({ webDir: await buildWebApp() });
 *   const browser = await launchBrowser();
 *   const page = await newPage(browser, stack.tracker.baseUrl);
 *   await signInWithOidc(page, 'anna.schmidt');
 *   await expectNoAxeViolations(page);
 *   await saveScreenshot(page, 'ministry-plans', "A ministry's plans");
 *   ...
 *   await browser.close();
 *   await stack.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { spawnTypeScript } from '../../cli/typeScriptChild';
import oidcDirectory from './oidcPeople.json';
import { RUN_DIR_VARIABLE } from './runDir';

export const PROJECT_ROOT = resolve(__dirname, '../../..');
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Every test that starts a child process or a browser needs more than jest's 5 s. */
export const E2E_TIMEOUT_MS = 60_000;
/** The viewport of every page, and of the README's screenshots. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/** The people the test identity provider knows, by login (any password; the login is the `sub`). */
export type OidcLogin = keyof typeof oidcDirectory.people;
export const OIDC_PEOPLE: Readonly<Record<OidcLogin, OidcPerson>> = oidcDirectory.people;
export interface OidcPerson {
  readonly email: string;
  readonly name: string;
  readonly roles?: readonly string[];
  readonly member_state?: string;
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** A port nothing listens on right now (the OS's pick), for a URL that must be known up front. */
export function freePort(): Promise<number> {
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

/** Keeps what a child printed, for the message when it fails to start or a test fails. */
class ChildOutput {
  private text = '';

  constructor(child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      // The last 200 kB are plenty to say what went wrong.
      this.text = (this.text + chunk.toString('utf8')).slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  toString(): string {
    return this.text;
  }
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

function exitedMessage(what: string, child: ChildProcess, output: ChildOutput): string {
  return `${what} exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)}) before it was ready:\n${output.toString()}`;
}

// ---------------------------------------------------------------------------------------------
// The OpenID provider

export interface OidcProviderOptions {
  /** The tracker's `<public URL>/auth/callback` (several allowed). */
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly clientId?: string;
  /** Makes the client confidential (client_secret_basic); without it: public, PKCE alone. */
  readonly clientSecret?: string;
  /** `prompt` shows the consent screen after the login; default: consent is taken as given. */
  readonly consent?: 'skip' | 'prompt';
}

export interface RunningOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly redirectUris: readonly string[];
  /** What it printed so far (warnings, stack traces). */
  output(): string;
  stop(): Promise<void>;
}

const OIDC_SCRIPT = join(__dirname, 'oidcProvider.mjs');

/** Starts `oidcProvider.mjs` on a free port and waits for its ready line. */
export async function startOidcProvider(
  options: OidcProviderOptions = {},
): Promise<RunningOidcProvider> {
  const clientId = options.clientId ?? 'pledge-tracker';
  const redirectUris = options.redirectUris ?? ['http://127.0.0.1/auth/callback'];
  const child = spawn(process.execPath, [OIDC_SCRIPT], {
    env: {
      PATH: process.env['PATH'],
      OIDC_PORT: '0',
      OIDC_CLIENT_ID: clientId,
      OIDC_REDIRECT_URI: redirectUris.join(','),
      OIDC_POST_LOGOUT_REDIRECT_URI: (options.postLogoutRedirectUris ?? []).join(','),
      OIDC_CONSENT: options.consent ?? 'skip',
      ...(options.clientSecret !== undefined && { OIDC_CLIENT_SECRET: options.clientSecret }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new ChildOutput(child);
  const issuer = await new Promise<string>((resolveIssuer, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the OpenID provider was not ready within 15 s:\n${output.toString()}`));
    }, 15_000);
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n')) {
        if (!line.startsWith('{"ready":true')) continue;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolveIssuer((JSON.parse(line) as { issuer: string }).issuer);
        return;
      }
    };
    const onExit = () => {
      clearTimeout(timer);
      reject(new Error(exitedMessage('the OpenID provider', child, output)));
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    issuer,
    clientId,
    ...(options.clientSecret !== undefined && { clientSecret: options.clientSecret }),
    redirectUris,
    output: () => output.toString(),
    stop: () => stopChild(child),
  };
}

// ---------------------------------------------------------------------------------------------
// The tracker

export interface TrackerOptions {
  /** Default: a free port. */
  readonly port?: number;
  /** Turns on the OIDC sign-in (PLEDGES_OIDC_*); the public URL is http://127.0.0.1:<port>. */
  readonly oidc?: Pick<RunningOidcProvider, 'issuer' | 'clientId' | 'clientSecret'>;
  /** The built app (PLEDGES_WEB_DIR), e.g. from buildWebApp(). */
  readonly webDir?: string;
  /** The illustrative 2026-2027 plan in the new store (default true). */
  readonly demoData?: boolean;
  /** Default `test` (development sign-in on, demo tokens in the data directory). */
  readonly nodeEnv?: 'test' | 'development';
  /** Anything else, e.g. PLEDGES_OIDC_ROLE_MAP or PLEDGES_DEV_SIGN_IN=false. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface DemoToken {
  readonly name: string;
  readonly role: string;
  readonly memberState?: string;
  readonly token: string;
}

export interface RunningTracker {
  /** `http://127.0.0.1:<port>`, also its PLEDGES_PUBLIC_URL. */
  readonly baseUrl: string;
  readonly port: number;
  /** The temporary directory holding the store, the session key and the demo tokens. */
  readonly dataDir: string;
  /** The environment it was started with. */
  readonly env: Readonly<Record<string, string>>;
  /** The development bearer tokens (for setting data up through the API). */
  demoTokens(): readonly DemoToken[];
  /** What it logged so far. */
  output(): string;
  /** Stops it and removes its data directory. */
  stop(): Promise<void>;
}

/** What a call through the API answered (only answers under 300 get this far). */
export interface ApiAnswer {
  readonly status: number;
  readonly etag: string | null;
  /** `X-Log-Position`, NaN when the answer has none. */
  readonly position: number;
  /** The parsed body when it is JSON. */
  readonly body: unknown;
  readonly text: string;
}

/**
 * Calls the tracker's API as one of its development principals (by token name), for setting data
 * up the way another person would; an answer of 300 or more fails the test with its body.
 */
export async function callApi(
  tracker: RunningTracker,
  who: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const token = tracker.demoTokens().find((demo) => demo.name === who);
  if (token === undefined) throw new Error(`no demo token ${who}`);
  const response = await fetch(`${tracker.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token.token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  const json = response.headers.get('content-type')?.includes('json') ?? false;
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    position: Number(response.headers.get('x-log-position') ?? Number.NaN),
    body: json && text ? (JSON.parse(text) as unknown) : undefined,
    text,
  };
}

/** Starts `src/main.ts` (through swc, no build) on a new store and waits until /health answers. */
export async function startTracker(options: TrackerOptions = {}): Promise<RunningTracker> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'pledges-e2e-tracker-'));
  const env: Record<string, string> = {
    NODE_ENV: options.nodeEnv ?? 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PLEDGES_DB_FILE: join(dataDir, 'pledges.db'),
    PLEDGES_PUBLIC_URL: baseUrl,
    PLEDGES_DEMO_DATA: String(options.demoData ?? true),
    PLEDGES_SHUTDOWN_GRACE_MS: '500',
    PLEDGES_LOG_LEVEL: 'info',
  };
  if (options.webDir !== undefined) env['PLEDGES_WEB_DIR'] = options.webDir;
  if (options.oidc !== undefined) {
    env['PLEDGES_OIDC_ISSUER'] = options.oidc.issuer;
    env['PLEDGES_OIDC_CLIENT_ID'] = options.oidc.clientId;
    if (options.oidc.clientSecret !== undefined) {
      const secretFile = join(dataDir, 'oidc-client-secret');
      writeFileSync(secretFile, options.oidc.clientSecret, { mode: 0o600 });
      env['PLEDGES_OIDC_CLIENT_SECRET_FILE'] = secretFile;
    }
  }
  Object.assign(env, options.env);

  const child = spawnTypeScript('src/main', [], env);
  const output = new ChildOutput(child);
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl,
    port,
    dataDir,
    env,
    demoTokens: () => {
      const file = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as {
        tokens: DemoToken[];
      };
      return file.tokens;
    },
    output: () => output.toString(),
    stop,
  };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: ChildOutput) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(exitedMessage('the tracker', child, output));
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error(
    `the tracker did not answer ${baseUrl}/health within 30 s:\n${output.toString()}`,
  );
}

export interface Stack {
  readonly oidc: RunningOidcProvider;
  readonly tracker: RunningTracker;
  stop(): Promise<void>;
}

/**
 * The OpenID provider and a tracker that signs in through it: the tracker's port is chosen
 * first, since the provider must know the redirect URI. Registered post-logout URIs: the
 * tracker's `/`, `/signin` and `/signin?signedOut=1`.
 */
export async function startStack(
  options: Omit<TrackerOptions, 'oidc' | 'port'> & {
    readonly oidc?: Omit<OidcProviderOptions, 'redirectUris' | 'postLogoutRedirectUris'>;
  } = {},
): Promise<Stack> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const oidc = await startOidcProvider({
    ...options.oidc,
    redirectUris: [`${publicUrl}/auth/callback`],
    postLogoutRedirectUris: [
      `${publicUrl}/`,
      `${publicUrl}/signin`,
      `${publicUrl}/signin?signedOut=1`,
    ],
  });
  try {
    const tracker = await startTracker({ ...options, port, oidc });
    return {
      oidc,
      tracker,
      stop: async () => {
        await Promise.all([tracker.stop(), oidc.stop()]);
      },
    };
  } catch (error) {
    await oidc.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The web app

const VITE_CONFIG = join(PROJECT_ROOT, 'web', 'vite.config.mts');

/**
 * Builds the web app once per jest run (the first test file to ask builds it, the others wait for
 * that build) into the run's scratch directory, and returns the directory. Set PLEDGES_WEB_DIR
 * to a built app to skip the build.
 */
export async function buildWebApp(): Promise<string> {
  const prebuilt = process.env['PLEDGES_WEB_DIR'];
  if (prebuilt !== undefined && existsSync(join(prebuilt, 'index.html'))) return prebuilt;
  return buildOncePerRun(VITE_CONFIG, process.env[RUN_DIR_VARIABLE] ?? scratchDirOfThisProcess());
}

/**
 * `vite build --config <viteConfig>` into `<runDir>/web`, once: the caller that creates the lock
 * directory builds, every other caller (another jest worker) waits for its done or failed marker.
 */
export async function buildOncePerRun(viteConfig: string, runDir: string): Promise<string> {
  if (!existsSync(viteConfig)) {
    throw new Error(`buildWebApp: ${viteConfig} does not exist, so there is no web app to build`);
  }
  const outDir = join(runDir, 'web');
  const done = join(runDir, 'web.done');
  const failed = join(runDir, 'web.failed');
  let mine = false;
  try {
    mkdirSync(join(runDir, 'web.building'));
    mine = true;
  } catch {
    // Another test file builds it.
  }
  if (mine) {
    const vite = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        viteConfig,
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = new ChildOutput(vite);
    const code = await new Promise<number | null>((resolveCode) => {
      const timer = setTimeout(() => vite.kill('SIGKILL'), 180_000);
      vite.once('close', (exitCode) => {
        clearTimeout(timer);
        resolveCode(exitCode);
      });
    });
    if (code !== 0 || !existsSync(join(outDir, 'index.html'))) {
      const message = `vite build --config ${viteConfig} failed (exit ${String(code)}):\n${output.toString()}`;
      writeFileSync(failed, message);
      throw new Error(message);
    }
    writeFileSync(done, outDir);
    return outDir;
  }
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (existsSync(done)) return outDir;
    if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'));
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`buildWebApp: no build appeared in ${outDir} within 180 s`);
}

let processScratchDir: string | undefined;

/** Without the global setup (a single file run by other means): a directory for this process. */
function scratchDirOfThisProcess(): string {
  if (processScratchDir === undefined) {
    const directory = mkdtempSync(join(tmpdir(), 'pledges-e2e-run-'));
    process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
    processScratchDir = directory;
  }
  return processScratchDir;
}

// ---------------------------------------------------------------------------------------------
// The browser

/** Headless Debian Chromium (never a downloaded browser). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install chromium; .ci/run does it)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A page in a fresh context (its own cookies) at 1280x800 with `baseUrl` as the base for
 * `page.goto('/path')`. Requests beyond the loopback interface are refused, so a page that
 * reaches for a CDN or a web font fails visibly instead of waiting on the network.
 */
export async function newPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: VIEWPORT });
  await context.route(
    (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    (route) => route.abort('blockedbyclient'),
  );
  return context.newPage();
}

/** The OIDC button's default text (PLEDGES_OIDC_LABEL's default). */
export const DEFAULT_OIDC_LABEL = /Sign in with your organisation account/i;

/**
 * From the tracker's /signin page through the identity provider's development form (any
 * password) and back, then waits until the app has left /signin (or came back to it with
 * `?error=`, which fails unless `expectSignedIn` is false). Answers the consent screen when the
 * provider shows one.
 */
export async function signInWithOidc(
  page: Page,
  /** Usually an OidcLogin; any other login is unknown to the provider. */
  login: string,
  options: {
    readonly label?: RegExp | string;
    readonly password?: string;
    /** false: a refusal (back on /signin?error=…) is what the test expects. */
    readonly expectSignedIn?: boolean;
  } = {},
): Promise<void> {
  await page.goto('/signin');
  const trackerOrigin = new URL(page.url()).origin;
  const label = options.label ?? DEFAULT_OIDC_LABEL;
  await page
    .getByRole('button', { name: label })
    .or(page.getByRole('link', { name: label }))
    .first()
    .click();
  await page.waitForURL((url) => url.origin !== trackerOrigin);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(options.password ?? 'any password');
  const loginPage = page.url();
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(
    (url) => url.href !== loginPage && (url.origin === trackerOrigin || isInteraction(url)),
  );
  if (new URL(page.url()).origin !== trackerOrigin) {
    await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached' });
    await page.locator('button[type="submit"]').click();
  }
  await page.waitForURL(
    (url) => url.origin === trackerOrigin && !url.pathname.startsWith('/auth/'),
  );
  // The callback sends a refused sign-in back to /signin?error=<code>; a good one elsewhere.
  await page.waitForURL((url) => url.pathname !== '/signin' || url.searchParams.has('error'));
  const landed = new URL(page.url());
  if ((options.expectSignedIn ?? true) && landed.pathname === '/signin') {
    throw new Error(`the sign-in of ${login} was refused: ${landed.href}`);
  }
}

const isInteraction = (url: URL) => url.pathname.startsWith('/interaction/');

/**
 * After the app's sign-out sent the browser to the provider's end-session page: confirms it and
 * waits until the browser is back on the tracker.
 */
export async function confirmSignOutAtProvider(page: Page, trackerBaseUrl: string): Promise<void> {
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  const trackerOrigin = new URL(trackerBaseUrl).origin;
  await page.waitForURL((url) => url.origin === trackerOrigin);
}

interface DevelopmentIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly memberState?: string;
}

/**
 * The development sign-in on /signin: `identity` is an id (`de-desk-officer`) or a display name
 * ("Desk officer, DE ministry (demo)"). The page may offer each identity as a button or a radio
 * button (then a submit button) or a select (then a submit button), named by the display name;
 * waits until the app has left /signin.
 */
export async function signInAsDevelopmentIdentity(page: Page, identity: string): Promise<void> {
  await page.goto('/signin');
  const options = await page.request.get('/auth/options');
  if (!options.ok()) throw new Error(`GET /auth/options answered ${options.status()}`);
  const body = (await options.json()) as {
    development: { identities: DevelopmentIdentity[] } | null;
  };
  if (body.development === null) throw new Error('the development sign-in is off on this tracker');
  const chosen = body.development.identities.find(
    (candidate) => candidate.id === identity || candidate.name === identity,
  );
  if (chosen === undefined) {
    throw new Error(
      `no development identity ${identity}; there are: ${body.development.identities.map((candidate) => candidate.id).join(', ')}`,
    );
  }
  const button = page.getByRole('button', { name: chosen.name, exact: false });
  const radio = page.getByRole('radio', { name: chosen.name, exact: false });
  const select = page.getByRole('combobox', { name: /identity/i });
  // The page renders its choices once it has fetched the options itself: wait for one of them.
  await button
    .or(radio)
    .or(select)
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  if ((await button.count()) > 0) {
    await button.first().click();
  } else if ((await radio.count()) > 0) {
    await radio.first().check();
    await submitDevelopmentSignIn(page);
  } else if ((await select.count()) > 0) {
    await select.first().selectOption(chosen.id);
    await submitDevelopmentSignIn(page);
  } else {
    throw new Error(
      `the /signin page offers no button, radio button or identity select named "${chosen.name}"`,
    );
  }
  await page.waitForURL((url) => url.pathname !== '/signin');
}

async function submitDevelopmentSignIn(page: Page): Promise<void> {
  await page
    .getByRole('button', { name: /development|demo|sign in as/i })
    .first()
    .click();
}

// ---------------------------------------------------------------------------------------------
// Accessibility

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeScope {
  /** CSS selectors to check (default: the whole page). */
  readonly include?: string | readonly string[];
  readonly exclude?: string | readonly string[];
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA) and fails listing each violation and where it is. */
export async function expectNoAxeViolations(page: Page, scope: AxeScope = {}): Promise<void> {
  // Legacy mode runs axe in the page's own frames instead of opening a blank page to collect
  // the results: half the time per check, and the app has no cross-origin frames to miss.
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS).setLegacyMode(true);
  for (const selector of [scope.include ?? []].flat()) builder = builder.include(selector);
  for (const selector of [scope.exclude ?? []].flat()) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  if (violations.length === 0) return;
  const lines = violations.map((violation) => {
    const targets = violation.nodes
      .map(
        (node) =>
          `      at ${JSON.stringify(node.target)}${node.failureSummary ? `: ${node.failureSummary.replace(/\s+/g, ' ')}` : ''}`,
      )
      .join('\n');
    return `  ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n      ${violation.helpUrl}\n${targets}`;
  });
  throw new Error(
    `${violations.length} accessibility violation(s) on ${page.url()}:\n${lines.join('\n')}`,
  );
}

const FOCUSABLE_ROLES = [
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'checkbox',
  'radio',
  'switch',
  'tab',
  'menuitem',
  'option',
  'spinbutton',
  'slider',
] as const;

/**
 * Presses Tab (at most `maxTabs` times) until an element named `name` has the focus: what a
 * keyboard-only user does to reach it. Fails when the focus never gets there.
 */
export async function expectKeyboardReachable(
  page: Page,
  name: string | RegExp,
  options: { readonly role?: (typeof FOCUSABLE_ROLES)[number]; readonly maxTabs?: number } = {},
): Promise<Locator> {
  const roles = options.role === undefined ? FOCUSABLE_ROLES : [options.role];
  let target = page.getByRole(roles[0] ?? 'button', { name });
  for (const role of roles.slice(1)) target = target.or(page.getByRole(role, { name }));
  const maxTabs = options.maxTabs ?? 100;
  const visited: string[] = [];
  for (let presses = 0; presses < maxTabs; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await target.evaluateAll((elements) => {
      const active = (globalThis as unknown as { document: { activeElement: unknown } }).document
        .activeElement;
      return elements.findIndex((element) => element === active);
    });
    if (focused >= 0) return target.nth(focused);
    visited.push(await describeFocus(page));
  }
  throw new Error(
    `no element named ${String(name)} got the focus in ${maxTabs} presses of Tab; the focus went to:\n  ${visited.slice(0, 40).join('\n  ')}`,
  );
}

function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = (
      globalThis as unknown as {
        document: {
          activeElement: {
            tagName: string;
            textContent: string | null;
            getAttribute(name: string): string | null;
          } | null;
        };
      }
    ).document.activeElement;
    if (active === null) return '(nothing)';
    const label = active.getAttribute('aria-label') ?? active.textContent ?? '';
    return `<${active.tagName.toLowerCase()}> ${label.trim().slice(0, 60)}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Screenshots

export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'docs', 'screenshots');

export interface ScreenshotEntry {
  /** The file's name without `.png`. */
  readonly name: string;
  /** The README's alt text and caption. */
  readonly title: string;
}

/**
 * With PLEDGES_SCREENSHOTS=1 (`npm run screenshots`): a full-page 1280x800 PNG of the page as
 * `docs/screenshots/<name>.png`, listed in `manifest.json` under `title` (default: the page's
 * title) for the README. Otherwise does nothing.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  title?: string,
  options: { readonly directory?: string; readonly force?: boolean } = {},
): Promise<void> {
  if (process.env['PLEDGES_SCREENSHOTS'] !== '1' && options.force !== true) return;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new Error(`screenshot name ${name}: use lower-case letters, digits and dashes`);
  }
  const directory = options.directory ?? SCREENSHOT_DIR;
  mkdirSync(directory, { recursive: true });
  const size = page.viewportSize();
  if (size?.width !== VIEWPORT.width || size.height !== VIEWPORT.height) {
    await page.setViewportSize(VIEWPORT);
  }
  await page.screenshot({ path: join(directory, `${name}.png`), fullPage: true });
  const entry: ScreenshotEntry = { name, title: title ?? (await page.title()) };
  withDirectoryLock(join(directory, 'manifest.lock'), () => {
    const manifestFile = join(directory, 'manifest.json');
    const entries = existsSync(manifestFile)
      ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as ScreenshotEntry[])
      : [];
    const updated = [...entries.filter((existing) => existing.name !== name), entry].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    writeFileSync(manifestFile, `${JSON.stringify(updated, null, 2)}\n`);
  });
}

/** Several jest workers may take screenshots at once: one at a time updates the manifest. */
function withDirectoryLock(lock: string, update: () => void): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    update();
  } finally {
    rmdirSync(lock);
  }
}
