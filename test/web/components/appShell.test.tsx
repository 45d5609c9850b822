/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { AppRoutes, createQueryClient } from '../../../web/src/App';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { DESK_OFFICER_DE } from './support/render';

function CurrentUrl() {
  const location = useLocation();
  return <p data-testid="url">{`${location.pathname}${location.search}`}</p>;
}

function renderApp(url: string) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter initialEntries={[url]}>
        <AppRoutes />
        <CurrentUrl />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const unauthenticated = {
  status: 401,
  body: {
    type: 'x',
    title: 'Sign in',
    status: 401,
    detail: '',
    instance: '',
    code: 'unauthenticated',
  },
};

describe('the app shell', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it('sends a visitor to sign in, then back where they were, with the development sign-in', async () => {
    let signedIn = false;
    server = stubFetch({
      'GET /api/v1/session': () => (signedIn ? { body: DESK_OFFICER_DE } : unauthenticated),
      'GET /auth/options': {
        body: {
          oidc: { enabled: true, label: 'Sign in with EU Login' },
          development: {
            identities: [
              {
                id: 'de-desk-officer',
                name: 'Desk officer, DE ministry (demo)',
                role: 'member_state',
                memberState: 'DE',
              },
            ],
          },
        },
      },
      'POST /auth/development': () => {
        signedIn = true;
        return { body: DESK_OFFICER_DE };
      },
    });
    renderApp('/ministry/plans/p1?asOf=12');

    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(screen.getByTestId('url').textContent).toBe(
      `/signin?returnTo=${encodeURIComponent('/ministry/plans/p1?asOf=12')}`,
    );
    const oidc = await screen.findByRole('link', { name: 'Sign in with EU Login' });
    expect(oidc.getAttribute('href')).toBe(
      `/auth/login?returnTo=${encodeURIComponent('/ministry/plans/p1?asOf=12')}`,
    );
    expect(
      screen.getByRole('heading', { name: 'Development sign-in — not for real data' }),
    ).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Desk officer, DE ministry (demo)' }));

    await screen.findByRole('heading', { level: 1, name: 'Pledge for plan p1' });
    expect(screen.getByText(/Desk officer, DE ministry \(demo\)/)).toBeTruthy();
    // The past banner is one of the page's status regions (the plan page has its own loading one).
    expect(
      screen
        .getAllByRole('status')
        .some((region) =>
          region.textContent?.includes(
            'You are looking at the past: the log as of log position 12',
          ),
        ),
    ).toBe(true);
    expect(document.title).toBe('Pledge for plan p1 — Resettlement pledge tracker');
    const development = server.requests.find((request) => request.method === 'POST');
    expect(development?.headers.get('X-Requested-With')).toBe('pledge-tracker');
    expect(await development?.json()).toEqual({ identity: 'de-desk-officer' });
  });

  it('sends each role from / to its start page, keeping asOf', async () => {
    server = stubFetch({ 'GET /api/v1/session': { body: DESK_OFFICER_DE } });
    renderApp('/?asOf=2026-01-01');
    await screen.findByRole('heading', { level: 1, name: 'Our pledges' });
    await waitFor(() =>
      expect(screen.getByTestId('url').textContent).toBe('/ministry?asOf=2026-01-01'),
    );
  });

  it('shows why a callback failed', async () => {
    server = stubFetch({
      'GET /auth/options': {
        body: { oidc: { enabled: true, label: 'Sign in' }, development: null },
      },
    });
    renderApp('/signin?error=no_role');
    expect((await screen.findByRole('alert')).textContent).toContain('has no role');
  });
});
