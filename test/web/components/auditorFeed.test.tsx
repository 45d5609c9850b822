/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import type { Schema } from '../../../web/src/api/client';
import { AuditFeedPage } from '../../../web/src/screens/auditor/AuditFeedPage';
import {
  DEFAULT_PAGE_SIZE,
  EMPTY_FILTERS,
  formToQuery,
  queryToForm,
  validateFilters,
} from '../../../web/src/screens/auditor/auditFilters';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { AUDITOR, renderScreen } from './support/render';

function CurrentUrl() {
  const location = useLocation();
  return <p data-testid="url">{`${location.pathname}${location.search}`}</p>;
}

function currentQuery(): URLSearchParams {
  const url = screen.getByTestId('url').textContent ?? '';
  return new URLSearchParams(url.slice(url.indexOf('?') + 1));
}

const revised: Schema<'AuditFeedEntry'> = {
  position: 7,
  streamId: 'pledge-p2026-DE',
  streamVersion: 2,
  type: 'PledgeRevised',
  planId: 'p2026',
  memberState: 'DE',
  actorId: 'dev:de-desk-officer',
  actorName: 'Desk officer, DE ministry (demo)',
  actorRole: 'member_state',
  recordedAt: '2026-11-30T10:05:00.000Z',
  reason: 'Fewer places in the spring',
  correlationId: 'corr-7',
  schemaVersion: 2,
  data: { lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 80 }] },
};

const feedPage: Schema<'AuditFeed'> = {
  entries: [revised],
  nextAfterPosition: 7,
  headPosition: 12,
};

// Typing a whole form in jsdom takes seconds on a busy machine.
jest.setTimeout(20_000);

describe('the audit feed', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  beforeEach(() => {
    server = stubFetch({
      'GET /api/v1/audit/events': { body: feedPage },
      'GET /api/v1/plans': {
        body: { plans: [{ planId: 'p2026' }, { planId: 'p2027' }], nextAfter: null },
      },
      'GET /api/v1/reference/member-states': {
        body: {
          memberStates: [
            {
              code: 'DE',
              name: 'Germany',
              kind: 'member_state',
              participation: 'bound',
              aliases: [],
              mayPledge: true,
            },
            {
              code: 'FR',
              name: 'France',
              kind: 'member_state',
              participation: 'bound',
              aliases: [],
              mayPledge: true,
            },
          ],
        },
      },
    });
  });

  it('puts the filters in the URL query, keeps asOf, and asks the API exactly that', async () => {
    renderScreen(
      <>
        <AuditFeedPage />
        <CurrentUrl />
      </>,
      { url: '/audit?asOf=40', session: AUDITOR },
    );
    await screen.findByRole('option', { name: 'p2026' });
    await screen.findByRole('option', { name: 'Germany (DE)' });
    const user = userEvent.setup({ delay: null });
    await user.selectOptions(screen.getByLabelText('Plan'), 'p2026');
    await user.selectOptions(screen.getByLabelText('Member State'), 'DE');
    await user.selectOptions(screen.getByLabelText('Event type'), 'PledgeRevised');
    await user.type(screen.getByLabelText('Actor id'), 'dev:de-desk-officer');
    await user.click(screen.getByText('Period recorded (UTC)'));
    await user.type(screen.getByLabelText('From day'), '2026-11-01');
    await user.type(screen.getByLabelText('To day'), '2026-11-30');
    await user.type(screen.getByLabelText('To time (optional)'), '10:30');
    await user.selectOptions(screen.getByLabelText('Events per page'), '20');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await waitFor(() => expect(currentQuery().get('planId')).toBe('p2026'));
    const query = currentQuery();
    expect(Object.fromEntries(query)).toEqual({
      asOf: '40',
      planId: 'p2026',
      memberState: 'DE',
      actor: 'dev:de-desk-officer',
      type: 'PledgeRevised',
      from: '2026-11-01',
      to: '2026-11-30T10:30:59.999Z',
      limit: '20',
    });
    await waitFor(() => {
      const last = new URL(
        server.requests.filter((r) => r.url.includes('/audit/events')).at(-1)!.url,
      );
      expect(last.searchParams.get('type')).toBe('PledgeRevised');
    });
    const asked = new URL(
      server.requests.filter((r) => r.url.includes('/audit/events')).at(-1)!.url,
    );
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      planId: 'p2026',
      memberState: 'DE',
      actor: 'dev:de-desk-officer',
      type: 'PledgeRevised',
      from: '2026-11-01',
      to: '2026-11-30T10:30:59.999Z',
      limit: '20',
    });
  });

  it('refills the form from a shared URL and pages by position', async () => {
    renderScreen(
      <>
        <AuditFeedPage />
        <CurrentUrl />
      </>,
      { url: '/audit?planId=p2026&type=PledgeRevised&from=2026-11-01T09:15:00Z', session: AUDITOR },
    );
    await screen.findByRole('cell', { name: 'Fewer places in the spring' });
    expect(screen.getByLabelText<HTMLSelectElement>('Event type').value).toBe('PledgeRevised');
    expect(screen.getByLabelText<HTMLInputElement>('From day').value).toBe('2026-11-01');
    expect(screen.getByLabelText<HTMLInputElement>('From time (optional)').value).toBe('09:15');

    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByRole('button', { name: /Next page/ }));
    await waitFor(() => expect(currentQuery().get('after')).toBe('7'));
    expect(currentQuery().get('type')).toBe('PledgeRevised');
    await user.click(await screen.findByRole('button', { name: 'Back to the first page' }));
    await waitFor(() => expect(currentQuery().get('after')).toBeNull());
  });

  it('asks for the page size its form shows, not the server default', async () => {
    renderScreen(<AuditFeedPage />, { url: '/audit', session: AUDITOR });
    await screen.findByRole('rowheader', { name: '7' });
    const asked = new URL(
      server.requests.filter((r) => r.url.includes('/audit/events')).at(-1)!.url,
    );
    expect(asked.searchParams.get('limit')).toBe(DEFAULT_PAGE_SIZE);
    expect(screen.getByLabelText<HTMLSelectElement>('Events per page').value).toBe(
      DEFAULT_PAGE_SIZE,
    );
  });

  it('opens an event to its full content', async () => {
    renderScreen(<AuditFeedPage />, { url: '/audit', session: AUDITOR });
    const row = (await screen.findByRole('rowheader', { name: '7' })).closest('tr')!;
    expect(within(row).getByText('Pledge revised')).toBeTruthy();
    expect(within(row).getByText('Desk officer, DE ministry (demo)')).toBeTruthy();
    expect(within(row).getByText('Member State ministry')).toBeTruthy();
    const link = within(row).getByRole('link', { name: /View the plan as of this event/ });
    expect(link.getAttribute('href')).toBe('/audit/plans/p2026/figures?asOf=7');

    const toggle = within(row).getByRole('button', {
      name: 'Show content of the event at position 7',
    });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const content = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(within(content).getByText('corr-7')).toBeTruthy();
    expect(within(content).getByText('dev:de-desk-officer')).toBeTruthy();
    expect(within(content).getByText('pledge-p2026-DE')).toBeTruthy();
    const data = within(content).getByRole('region', { name: /Data/ });
    expect(JSON.parse(data.textContent ?? '')).toEqual(revised.data);
  });
});

describe('the feed filters', () => {
  it('round-trip through the query, a day alone meaning the whole day', () => {
    const form = {
      ...EMPTY_FILTERS,
      planId: 'p1',
      fromDate: '2026-01-31',
      toDate: '2026-02-01',
      toTime: '08:00',
    };
    const query = formToQuery(form);
    expect(query).toEqual({ planId: 'p1', from: '2026-01-31', to: '2026-02-01T08:00:59.999Z' });
    expect(queryToForm(new URLSearchParams(query as Record<string, string>))).toEqual(form);
  });

  it('refuses a time without a day and a period that ends before it starts', () => {
    expect(validateFilters({ ...EMPTY_FILTERS, fromTime: '10:00' })).toEqual({
      fromDate: 'Enter the day the time belongs to.',
    });
    expect(
      validateFilters({ ...EMPTY_FILTERS, fromDate: '2026-02-01', toDate: '2026-01-31' }),
    ).toEqual({ toDate: 'The end of the period comes before its start.' });
  });
});
