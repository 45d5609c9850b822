import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { clearEarlyReads } from '../api/earlyReads';
import type { ApiError } from '../api/problems';
import { Loading } from '../components/Loading';
import { ProblemAlert } from '../components/ProblemAlert';
import { fetchSession, signOut as requestSignOut, type Session } from './sessionApi';

export const SESSION_QUERY_KEY = ['session'] as const;

export interface SessionState {
  readonly session: Session;
  /** Ends the session here and at the identity provider, then shows the sign-in page. */
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** The sign-in page's address, coming back here afterwards. */
export function signInPath(returnTo: string): string {
  return `/signin?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * Loads the signed-in person (GET /api/v1/session) before rendering anything that needs them;
 * nobody signed in (401) goes to the sign-in page, coming back here afterwards.
 */
export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery<Session, ApiError>({
    queryKey: SESSION_QUERY_KEY,
    queryFn: fetchSession,
    retry: false,
    staleTime: 5 * 60_000,
  });

  const signOut = useCallback(async () => {
    const { logoutUrl } = await requestSignOut();
    queryClient.clear();
    clearEarlyReads();
    if (logoutUrl) window.location.assign(logoutUrl);
    else void navigate('/signin', { replace: true });
  }, [navigate, queryClient]);

  const state = useMemo(
    () => (query.data ? { session: query.data, signOut } : undefined),
    [query.data, signOut],
  );

  if (query.error?.status === 401) {
    const here = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={signInPath(here)} replace />;
  }
  if (query.error) {
    return (
      <main id="main" className="page">
        <h1>The tracker could not load your session</h1>
        <ProblemAlert problem={query.error.problem} />
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  if (state === undefined) {
    return (
      <main id="main" className="page">
        <Loading label="Loading your session" />
      </main>
    );
  }
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

/** The signed-in person and sign-out; only below a `SessionProvider`. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === undefined) throw new Error('useSession() needs a <SessionProvider> above it');
  return state;
}

/** For tests and stories: a fixed session without the server. */
export function SessionContextProvider({
  value,
  children,
}: {
  readonly value: SessionState;
  readonly children: ReactNode;
}) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
