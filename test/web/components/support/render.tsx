import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { AsOfProvider } from '../../../../web/src/asOf';
import { SessionContextProvider } from '../../../../web/src/session/SessionProvider';
import type { Session } from '../../../../web/src/session/sessionApi';

export const DESK_OFFICER_DE: Session = {
  actor: {
    id: 'dev:de-desk-officer',
    name: 'Desk officer, DE ministry (demo)',
    role: 'member_state',
    memberState: 'DE',
  },
  method: 'development',
};

export const COMMISSION_OFFICIAL: Session = {
  actor: { id: 'dev:commission-official', name: 'Commission official (demo)', role: 'commission' },
  method: 'development',
};

export const AUDITOR: Session = {
  actor: { id: 'dev:auditor', name: 'Auditor (demo)', role: 'auditor' },
  method: 'development',
};

export interface RenderScreenOptions {
  /** The URL the screen opens at, with `?asOf=` to test the past. */
  readonly url?: string;
  /** A route pattern (`/ministry/plans/:planId`) so `useParams` works; the URL must match it. */
  readonly path?: string;
  readonly session?: Session;
  readonly signOut?: () => Promise<void>;
}

/**
 * Renders a screen with what the app gives it: a fresh query cache (no retries), a router at
 * `url`, the time-travel state from that URL, and a signed-in person.
 */
export function renderScreen(
  screen: ReactElement,
  {
    url = '/',
    path,
    session = DESK_OFFICER_DE,
    signOut = () => Promise.resolve(),
  }: RenderScreenOptions = {},
): RenderResult & { readonly queryClient: QueryClient } {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[url]}>
        <AsOfProvider>
          <SessionContextProvider value={{ session, signOut }}>
            {path === undefined ? (
              screen
            ) : (
              <Routes>
                <Route path={path} element={screen} />
              </Routes>
            )}
          </SessionContextProvider>
        </AsOfProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
}
