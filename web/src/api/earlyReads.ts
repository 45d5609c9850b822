/**
 * The first reads of the screen the page opens, started as the app's code starts instead of after
 * its first renders: without them a screen asks for its data only once React has rendered the
 * shell, loaded the role's chunk and rendered the screen, and a read that needs another's answer
 * (the plan, then the reference lists) waits for it. Here every read the path alone determines goes
 * out at once, and the API client takes its answer the first time the screen asks for that URL.
 *
 * Only reads the path and the signed-in person determine are listed (never one that depends on
 * another answer, such as the view the plan's status selects), and none when the page looks at the
 * past (`asOf`): an early read is always the exact request the screen would make, with the same
 * headers, so taking its answer changes nothing but when it arrived. Each answer is taken once, and
 * only within `EARLY_READ_TTL_MS` of the page's start: later asks go to the server as before.
 */
// A module without imports: the feed's page size rides in the main bundle at no cost.
import { DEFAULT_PAGE_SIZE } from '../screens/auditor/auditFilters';
import type { components } from './generated/schema';

type Session = components['schemas']['Session'];

/** How long after start an early answer may stand in for a read: the first screen's render. */
export const EARLY_READ_TTL_MS = 10_000;

/** The headers every call of the API client sends (`CLIENT_OPTIONS`), so the requests are alike. */
export const API_READ_HEADERS: Readonly<Record<string, string>> = {
  'X-Requested-With': 'pledge-tracker',
  Accept: 'application/json',
};

const REFERENCE = '/api/v1/reference';
const LINE_REFERENCE = [
  `${REFERENCE}/host-countries`,
  `${REFERENCE}/regions`,
  `${REFERENCE}/target-groups`,
];

interface ScreenReads {
  readonly path: RegExp;
  readonly role: Session['actor']['role'];
  /** The API paths the screen reads first, from the path's captures and the signed-in person. */
  readonly reads: (captures: readonly string[], session: Session) => readonly string[];
}

const plan = (planId: string): string => `/api/v1/plans/${encodeURIComponent(planId)}`;

/*
 * The screens' first reads, as their components ask for them (the query strings included). A
 * screen that stops asking for one leaves it unused: `unusedEarlyReads()` tells, and the browser
 * journeys check that none is left once each screen is up.
 */
export const SCREEN_READS: readonly ScreenReads[] = [
  { path: /^\/ministry\/?$/, role: 'member_state', reads: () => ['/api/v1/plans'] },
  {
    path: /^\/ministry\/plans\/([^/]+)\/?$/,
    role: 'member_state',
    reads: ([planId = ''], session) => [
      plan(planId),
      `${plan(planId)}/pledges/${session.actor.memberState ?? ''}`,
      ...LINE_REFERENCE,
    ],
  },
  {
    path: /^\/ministry\/plans\/([^/]+)\/history\/?$/,
    role: 'member_state',
    reads: ([planId = ''], session) => [
      plan(planId),
      ...LINE_REFERENCE,
      `${plan(planId)}/pledges/${session.actor.memberState ?? ''}/history`,
    ],
  },
  {
    path: /^\/commission\/?$/,
    role: 'commission',
    reads: () => ['/api/v1/plans?limit=25'],
  },
  {
    path: /^\/commission\/plans\/([^/]+)\/?$/,
    role: 'commission',
    reads: ([planId = '']) => [plan(planId), `${plan(planId)}/pledges`],
  },
  {
    path: /^\/commission\/plans\/([^/]+)\/figures\/?$/,
    role: 'commission',
    reads: ([planId = '']) => [
      plan(planId),
      `${plan(planId)}/timeline`,
      `${REFERENCE}/member-states`,
      `${REFERENCE}/regions`,
    ],
  },
  {
    path: /^\/commission\/plans\/([^/]+)\/fulfilment\/?$/,
    role: 'commission',
    reads: ([planId = '']) => [
      plan(planId),
      `${plan(planId)}/fulfilment`,
      `${plan(planId)}/implementation`,
      `${REFERENCE}/member-states`,
      `${REFERENCE}/regions`,
    ],
  },
  {
    path: /^\/audit\/?$/,
    role: 'auditor',
    reads: () => [
      `/api/v1/audit/events?limit=${DEFAULT_PAGE_SIZE}`,
      '/api/v1/plans?limit=1000',
      `${REFERENCE}/member-states`,
    ],
  },
];

/** The API paths the screen at `pathname?search` reads first, for this person; none if unknown. */
export function earlyReadsFor(
  pathname: string,
  search: string,
  session: Session | undefined,
): readonly string[] {
  if (session === undefined || new URLSearchParams(search).has('asOf')) return [];
  for (const screen of SCREEN_READS) {
    const match = screen.path.exec(pathname);
    if (match === null) continue;
    if (screen.role !== session.actor.role) return [];
    if (screen.role === 'member_state' && session.actor.memberState === undefined) return [];
    let captures: string[];
    try {
      captures = match.slice(1).map((capture) => decodeURIComponent(capture));
    } catch {
      return [];
    }
    return screen.reads(captures, session);
  }
  return [];
}

interface EarlyRead {
  readonly response: Promise<Response>;
  readonly startedAt: number;
}

/** Started reads by absolute URL, each taken at most once. */
const started = new Map<string, EarlyRead>();

/**
 * Starts the early reads of the page at `location` for `session`. `fetchImpl` is looked up at the
 * call so tests can stub it.
 */
export function startEarlyReads(
  location: Pick<Location, 'origin' | 'pathname' | 'search'>,
  session: Session | undefined,
  now: () => number = () => performance.now(),
  fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
): void {
  for (const path of earlyReadsFor(location.pathname, location.search, session)) {
    const url = new URL(path, location.origin).href;
    if (started.has(url)) continue;
    const response = fetchImpl(url, {
      method: 'GET',
      credentials: 'same-origin',
      headers: API_READ_HEADERS,
    });
    // Nobody may ever take it: a failure here must not surface as an unhandled rejection.
    response.catch(() => undefined);
    started.set(url, { response, startedAt: now() });
  }
}

/**
 * The early answer for `request`, taken (never given twice), or undefined: not a GET, never
 * started, already taken, or too old to stand in for a read made now.
 */
export function takeEarlyRead(
  request: Request,
  now: () => number = () => performance.now(),
): Promise<Response> | undefined {
  if (request.method !== 'GET') return undefined;
  const early = started.get(request.url);
  if (early === undefined) return undefined;
  started.delete(request.url);
  if (now() - early.startedAt > EARLY_READ_TTL_MS) return undefined;
  return early.response;
}

/** The URLs started and not taken: a screen that no longer asks for one of them. */
export function unusedEarlyReads(): string[] {
  return [...started.keys()];
}

/** Forgets every early read (a sign-out, and between tests). */
export function clearEarlyReads(): void {
  started.clear();
}
