/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { AppRoutes, createQueryClient, seedFromPage } from '../../../web/src/App';
import { BOOTSTRAP_ELEMENT_ID, readPageBootstrap } from '../../../web/src/session/bootstrap';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { DESK_OFFICER_DE } from './support/render';

const AUTH_OPTIONS = {
  oidc: { enabled: true, label: 'Sign in with EU Login' },
  development: null,
};

function pageWith(text: string | undefined): Document {
  const doc = document.implementation.createHTMLDocument('page');
  if (text !== undefined) {
    const block = doc.createElement('script');
    block.type = 'application/json';
    block.id = BOOTSTRAP_ELEMENT_ID;
    block.textContent = text;
    doc.head.append(block);
  }
  return doc;
}

describe('what the page tells the app at start', () => {
  let server: FetchStub | undefined;
  afterEach(() => server?.restore());

  it('reads the session and the ways to sign in from the page’s data block', () => {
    expect(readPageBootstrap(pageWith(JSON.stringify({ session: DESK_OFFICER_DE })))).toEqual({
      session: DESK_OFFICER_DE,
    });
    expect(readPageBootstrap(pageWith(JSON.stringify({ authOptions: AUTH_OPTIONS })))).toEqual({
      authOptions: AUTH_OPTIONS,
    });
  });

  it.each([
    ['no data block', undefined],
    ['a block that is not JSON', '{"session":'],
    ['a block of another shape', JSON.stringify({ session: 'someone', authOptions: [1] })],
  ])('takes nothing from a page with %s', (_case, text) => {
    expect(readPageBootstrap(pageWith(text))).toEqual({});
  });

  it('shows the signed-in frame without asking the server who is signed in', async () => {
    server = stubFetch({});
    render(
      <QueryClientProvider client={seedFromPage(createQueryClient(), { session: DESK_OFFICER_DE })}>
        <MemoryRouter initialEntries={['/no-such-page']}>
          <AppRoutes />
        </MemoryRouter>
      </QueryClientProvider>,
    );

    await screen.findByRole('heading', { level: 1, name: 'Page not found' });
    expect(screen.getByText(/Desk officer, DE ministry \(demo\)/)).toBeTruthy();
    expect(server.requests.map((request) => new URL(request.url).pathname)).not.toContain(
      '/api/v1/session',
    );
  });

  it('shows the ways to sign in without asking the server for them', async () => {
    server = stubFetch({});
    render(
      <QueryClientProvider
        client={seedFromPage(createQueryClient(), { authOptions: AUTH_OPTIONS })}
      >
        <MemoryRouter initialEntries={['/signin']}>
          <AppRoutes />
        </MemoryRouter>
      </QueryClientProvider>,
    );

    expect(await screen.findByRole('link', { name: 'Sign in with EU Login' })).toBeTruthy();
    expect(server.requests).toHaveLength(0);
  });
});
