/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { screen, within } from '@testing-library/react';
import { FulfilmentPage } from '../../../web/src/screens/ministry/implementation/FulfilmentPage';
import { ImplementationPage } from '../../../web/src/screens/ministry/implementation/ImplementationPage';
import { ReportHistoryPage } from '../../../web/src/screens/ministry/implementation/ReportHistoryPage';
import {
  FULFILMENT,
  MARCH,
  MARCH_HISTORY,
  PLAN_ROUTES,
  reportWith,
} from './implementationFixtures';
import { PLAN, problem } from './lineEditorFixtures';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { renderScreen } from './support/render';

jest.setTimeout(20_000);

/** The cells of a row, found by its row header, as text. */
function rowTexts(table: HTMLElement, header: string): string[] {
  const row = within(table).getByRole('rowheader', { name: header }).closest('tr');
  if (row === null) throw new Error(`no row ${header}`);
  return [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '');
}

describe("the ministry's implementation screens", () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it('lists every month begun, newest first, with where our report stands', async () => {
    server = stubFetch({
      ...PLAN_ROUTES,
      'GET /api/v1/plans/p1/implementation': {
        body: {
          planId: 'p1',
          reports: [
            reportWith('2026-01', 1, [
              { admissionType: 'resettlement', hostCountry: 'TR', persons: 100 },
            ]),
            { ...MARCH, version: 2, onBehalf: true },
          ],
          associatedStates: [],
          asOfPosition: 60,
        },
      },
      'GET /api/v1/plans/p1/fulfilment': { body: FULFILMENT },
    });
    renderScreen(<ImplementationPage />, {
      url: '/ministry/plans/p1/implementation',
      path: '/ministry/plans/:planId/implementation',
    });
    const table = await screen.findByRole('table', { name: /Months of plan p1 begun so far/ });
    // Measured on 15 May 2026 (the server's reference instant): January to May have begun.
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent),
    ).toEqual(['May 2026', 'April 2026', 'March 2026', 'February 2026', 'January 2026']);
    expect(rowTexts(table, 'May 2026')[0]).toBe('Month in progress');
    expect(rowTexts(table, 'April 2026')[0]).toBe('Not reported');
    expect(rowTexts(table, 'March 2026')).toEqual([
      'Corrected (version 2)',
      '50',
      '16',
      '28 Mar 2026, 09:00 UTCby the Commission, on our behalf',
      '2 versions of the report for March 2026',
    ]);
    expect(rowTexts(table, 'January 2026').slice(0, 4)).toEqual([
      'Reported',
      '100',
      '0',
      '28 Jan 2026, 09:00 UTCby our ministry',
    ]);
    expect(within(table).getByRole('link', { name: 'March 2026' }).getAttribute('href')).toBe(
      '/ministry/plans/p1/implementation/2026-03',
    );
    const summary = screen.getByRole('region', { name: 'So far' });
    expect(summary.textContent).toContain(
      '150 of the 2,000 persons of our adopted contribution (7.5%)',
    );
    expect(summary.textContent).toContain('February 2026, April 2026');
    // Only our own reports are asked for.
    const list = server.requests.find((request) =>
      request.url.includes('/api/v1/plans/p1/implementation'),
    );
    expect(new URL(list?.url ?? '').searchParams.get('memberState')).toBe('DE');
  });

  it('says a plan not adopted yet has nothing to report', async () => {
    server = stubFetch({
      ...PLAN_ROUTES,
      'GET /api/v1/plans/p1': { body: PLAN },
      'GET /api/v1/plans/p1/implementation': {
        status: 409,
        body: problem(409, 'plan_not_adopted'),
      },
      'GET /api/v1/plans/p1/fulfilment': { status: 404, body: problem(404, 'view_not_available') },
    });
    renderScreen(<ImplementationPage />, {
      url: '/ministry/plans/p1/implementation',
      path: '/ministry/plans/:planId/implementation',
    });
    await screen.findByText(/Plan p1 is not adopted yet/);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows our fulfilment: contribution against admissions, pace, types, months, AMIF, and the plan', async () => {
    server = stubFetch({
      ...PLAN_ROUTES,
      'GET /api/v1/plans/p1/fulfilment': { body: FULFILMENT },
    });
    renderScreen(<FulfilmentPage />, {
      url: '/ministry/plans/p1/fulfilment',
      path: '/ministry/plans/:planId/fulfilment',
    });
    const own = await screen.findByRole('region', { name: 'Our contribution' });
    const text = own.textContent ?? '';
    expect(text).toContain('Adopted contribution (as amended)2,000 persons');
    expect(text).toContain('Admitted so far150 persons (7.5%)');
    expect(text).toContain('Remaining1,850 persons');
    expect(text).toContain('Expected by now373 persons');
    expect(text).toContain('Projected at the end of the period803 persons');
    expect(text).toContain('Behind the pace of the period');
    expect(
      within(own)
        .getAllByRole('link')
        .map((link) => link.getAttribute('href')),
    ).toEqual([
      '/ministry/plans/p1/implementation/2026-02',
      '/ministry/plans/p1/implementation/2026-04',
    ]);

    const types = screen.getByRole('table', { name: /By admission type/ });
    expect(rowTexts(types, 'Resettlement')).toEqual(['1,400', '120', '8.6%', '1,280']);

    const checks = screen.getByRole('region', { name: 'Checks that name DE' });
    expect(checks.textContent).toContain('Warning');
    expect(checks.textContent).not.toContain('Every total reconciles');

    const amif = screen.getByRole('region', { name: 'AMIF lump sums earned' });
    expect(amif.textContent).toContain('EUR 1,416,000');
    const amifTable = within(amif).getByRole('table');
    expect(rowTexts(amifTable, '2026')).toEqual(['120', '30', '12', 'EUR 1,416,000']);
    expect(within(amifTable).queryByText('EUR 4,000,000')).toBeNull();

    const procedure = screen.getByRole('table', { name: /The admission procedure of DE/ });
    expect(rowTexts(procedure, 'Persons registered')).toEqual(['140']);
    expect(rowTexts(procedure, 'Procedures discontinued (Art. 9(11))')).toEqual(['Not reported']);

    const plan = screen.getByRole('region', { name: 'The whole plan' });
    expect(plan.textContent).toContain('Admitted so far1,500 persons (15%)');
  });

  it("reads a month's history: who, when, why, on whose behalf, and what changed", async () => {
    server = stubFetch({
      ...PLAN_ROUTES,
      'GET /api/v1/plans/p1/implementation/DE/2026-03/history': {
        body: {
          planId: 'p1',
          memberState: 'DE',
          month: '2026-03',
          versions: MARCH_HISTORY,
          nextAfterVersion: null,
        },
      },
    });
    renderScreen(<ReportHistoryPage />, {
      url: '/ministry/plans/p1/implementation/2026-03/history',
      path: '/ministry/plans/:planId/implementation/:month/history',
    });
    const table = await screen.findByRole('table', {
      name: 'Versions of the report of DE for March 2026',
    });
    const first = rowTexts(table, '1');
    expect(first.slice(0, 5)).toEqual([
      'Submitted',
      'Anna Schmidt',
      '2 Apr 2026, 09:00 UTC',
      '',
      '0 → 45',
    ]);
    expect(first[5]).toContain(
      'Added: Resettlement, Türkiye: 35 persons, of whom 12 in the Art. 19(3) groups',
    );
    expect(first[5]).toContain('Procedure: Persons registered: not given → 70');
    const second = rowTexts(table, '2');
    expect(second.slice(0, 5)).toEqual([
      'Corrected',
      'Eva Lindqvist (the Commission, on our behalf)',
      '9 Apr 2026, 14:30 UTC',
      'Five arrivals were counted in April by mistake',
      '45 → 50',
    ]);
    expect(second[5]).toContain('Changed: Resettlement, Türkiye: persons 35 → 40');
  });
});
