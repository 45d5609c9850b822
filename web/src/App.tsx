import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/problems';
import { AppShell } from './AppShell';
import { AsOfProvider, useAsOf } from './asOf';
import { NotFoundPage } from './screens/NotFoundPage';
import { Loading } from './components/Loading';
import { FIRST_SCREEN_DATA_WAIT_RAN_OUT } from './lib/firstScreenWait';
import { OperatorPage } from './screens/operator/OperatorPage';
import { SignInPage } from './screens/signin/SignInPage';
import { preloadableLazy } from './lib/preloadableLazy';
import { RequireRole, ROLE_HOME } from './session/RequireRole';
import { readPageBootstrap, type PageBootstrap } from './session/bootstrap';
import { SESSION_QUERY_KEY, SessionProvider, useSession } from './session/SessionProvider';
import { AUTH_OPTIONS_QUERY_KEY, type Session } from './session/sessionApi';

/**
 * One cache for the app. A read refused with 401 means the session ended: refetching the session
 * lets the SessionProvider send the person to the sign-in page. Refusals are not retried.
 */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'session') {
          void queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
        }
      },
    }),
    defaultOptions: {
      queries: {
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status < 500),
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
    },
  });
  return queryClient;
}

/*
 * Each role's screens are a chunk of their own, loaded on first visit: a desk officer never
 * downloads the Commission's charts, and the first screen stays small. The chunk of the screen the
 * page opens is loaded before the first render (`preloadScreensFor`), so it renders at once.
 */
const ministryScreens = preloadableLazy(() =>
  import('./screens/ministry').then((module) => module.MinistryRoutes),
);
const commissionScreens = preloadableLazy(() =>
  import('./screens/commission').then((module) => module.CommissionRoutes),
);
const auditorScreens = preloadableLazy(() =>
  import('./screens/auditor').then((module) => module.AuditorRoutes),
);
const MinistryRoutes = ministryScreens.Component;
const CommissionRoutes = commissionScreens.Component;
const AuditorRoutes = auditorScreens.Component;

/**
 * Loads the chunks the screen at `pathname` renders (its role's, and a page of its own such as the
 * figures), so that the first render has them. A path of no role's loads nothing.
 */
export async function preloadScreensFor(pathname: string): Promise<void> {
  if (/^\/ministry(\/|$)/.test(pathname)) return ministryScreens.preload();
  if (/^\/commission(\/|$)/.test(pathname)) {
    const screens = import('./screens/commission');
    await Promise.all([commissionScreens.preload(), (await screens).preloadPageFor(pathname)]);
    return;
  }
  if (/^\/audit(\/|$)/.test(pathname)) {
    const commission = import('./screens/commission');
    await Promise.all([
      auditorScreens.preload(),
      (await commission).preloadPageFor(pathname.replace(/^\/audit/, '/commission')),
    ]);
  }
}

/**
 * Readies the screen the page opens: its chunks, then its data in `queryClient` (the reads started
 * early answer them), so that the first render is the screen with its data, not loading lines
 * rendered, laid out and painted only to be replaced. The data is waited for `dataWaitMs` at most:
 * a slow server gets the screen with its reads loading rather than a blank page. A read that fails
 * is left in the cache for the screen to show; a chunk that fails to load rejects, and the
 * screen's render shows that.
 */
export async function prepareFirstScreen(
  location: Pick<Location, 'pathname' | 'search'>,
  queryClient: QueryClient,
  session: Session | undefined,
  dataWaitMs: number,
): Promise<void> {
  await preloadScreensFor(location.pathname);
  let waitTimer: ReturnType<typeof setTimeout> | undefined;
  const waitRanOut = new Promise<void>((resolve) => {
    waitTimer = setTimeout(() => {
      // Tells a test (or a person reading the page's timings) that this first render came with
      // loading lines by design: the data was slower than the wait.
      performance.mark(FIRST_SCREEN_DATA_WAIT_RAN_OUT);
      resolve();
    }, dataWaitMs);
  });
  await Promise.race([
    // Settled either way, the data no longer keeps the render waiting: no mark after that.
    prefetchScreenData(location, queryClient, session).finally(() => clearTimeout(waitTimer)),
    waitRanOut,
  ]);
}

/** The screen's data into `queryClient`, for the person signed in; settles, never rejects. */
async function prefetchScreenData(
  location: Pick<Location, 'pathname' | 'search'>,
  queryClient: QueryClient,
  session: Session | undefined,
): Promise<void> {
  // Signed out, the screen sends the person to sign in; a past view's reads carry its `asOf`,
  // and the screen reads them itself.
  if (session === undefined || new URLSearchParams(location.search).has('asOf')) return;
  const { pathname, search } = location;
  const { role, memberState } = session.actor;
  if (/^\/ministry(\/|$)/.test(pathname) && role === 'member_state' && memberState !== undefined) {
    const ministry = await import('./screens/ministry');
    await ministry.prefetchMinistryScreen(queryClient, pathname, memberState);
  } else if (/^\/commission(\/|$)/.test(pathname) && role === 'commission') {
    const commission = await import('./screens/commission');
    await commission.prefetchCommissionScreen(queryClient, pathname, search);
  } else if (/^\/audit(\/|$)/.test(pathname) && (role === 'auditor' || role === 'commission')) {
    const auditor = await import('./screens/auditor');
    await auditor.prefetchAuditorScreen(queryClient, pathname, search);
  }
}

function LoadScreens({ children }: { readonly children: ReactNode }) {
  return <Suspense fallback={<Loading label="Loading the page" />}>{children}</Suspense>;
}

/** `/` sends each role to its start page, keeping `asOf`. */
function RoleHome() {
  const { session } = useSession();
  const { withAsOf } = useAsOf();
  return <Navigate to={withAsOf(ROLE_HOME[session.actor.role])} replace />;
}

/** Every client route; rendered inside a router (BrowserRouter in the app, MemoryRouter in tests). */
export function AppRoutes() {
  return (
    <AsOfProvider>
      <Routes>
        <Route path="/signin" element={<SignInPage />} />
        <Route
          element={
            <SessionProvider>
              <AppShell />
            </SessionProvider>
          }
        >
          <Route index element={<RoleHome />} />
          <Route
            path="ministry/*"
            element={
              <RequireRole roles={['member_state']}>
                <LoadScreens>
                  <MinistryRoutes />
                </LoadScreens>
              </RequireRole>
            }
          />
          <Route
            path="commission/*"
            element={
              <RequireRole roles={['commission']}>
                <LoadScreens>
                  <CommissionRoutes />
                </LoadScreens>
              </RequireRole>
            }
          />
          <Route
            path="audit/*"
            element={
              <RequireRole roles={['auditor', 'commission']}>
                <LoadScreens>
                  <AuditorRoutes />
                </LoadScreens>
              </RequireRole>
            }
          />
          <Route
            path="operator"
            element={
              <RequireRole roles={['operator']}>
                <OperatorPage />
              </RequireRole>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AsOfProvider>
  );
}

/**
 * Puts what the page carried into the cache, as if just read: the first screen renders signed in
 * (or with the ways to sign in) at once. Seeded, not `initialData`: after a sign-out clears the
 * cache, the session is asked for again, never taken from the page.
 */
export function seedFromPage(queryClient: QueryClient, bootstrap: PageBootstrap): QueryClient {
  if (bootstrap.session) queryClient.setQueryData(SESSION_QUERY_KEY, bootstrap.session);
  if (bootstrap.authOptions)
    queryClient.setQueryData(AUTH_OPTIONS_QUERY_KEY, bootstrap.authOptions);
  return queryClient;
}

/** The app; `queryClient` is the one `main.tsx` readied the first screen in, if any. */
export function App({ queryClient: given }: { readonly queryClient?: QueryClient } = {}) {
  const [queryClient] = useState(
    () => given ?? seedFromPage(createQueryClient(), readPageBootstrap()),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
