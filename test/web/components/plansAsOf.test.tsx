/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { screen, within } from '@testing-library/react';
import { PlansPage } from '../../../web/src/screens/commission/PlansPage';
import { MinistryPlansPage } from '../../../web/src/screens/ministry/MinistryPlansPage';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { COMMISSION_OFFICIAL, renderScreen } from './support/render';
import { PLAN, pledgeWith } from './lineEditorFixtures';

jest.setTimeout(20_000);

const { asOfPosition: _position, ...PLAN_VIEW } = PLAN;

/** Now the plan is adopted; at log position 12 pledging was still open. */
function stubTracker(): FetchStub {
  return stubFetch({
    'GET /api/v1/plans': (request) => {
      const asOf = new URL(request.url).searchParams.get('asOf');
      return {
        body: {
          plans: [{ ...PLAN_VIEW, status: asOf === '12' ? 'pledging_open' : 'adopted' }],
          nextAfter: null,
          asOfPosition: asOf === '12' ? 12 : 40,
        },
      };
    },
    'GET /api/v1/plans/p1/pledges/DE': {
      body: pledgeWith(1, [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 50 }]),
    },
  });
}

const planListAsOf = (server: FetchStub) =>
  server.requests
    .filter((request) => new URL(request.url).pathname === '/api/v1/plans')
    .map((request) => new URL(request.url).searchParams.get('asOf'));

describe('the plans lists follow the time-travel control', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it("the ministry's list shows each plan's status then", async () => {
    server = stubTracker();
    renderScreen(<MinistryPlansPage />, { url: '/ministry?asOf=12', path: '/ministry' });
    const table = await screen.findByRole('table', { name: /Plans and the pledge of DE/ });
    expect(await within(table).findByText('Pledging open')).toBeTruthy();
    expect(within(table).queryByText('Adopted by the Council')).toBeNull();
    expect(within(table).getByRole('columnheader', { name: /Plan status \(then\)/ })).toBeTruthy();
    expect(planListAsOf(server)).toEqual(['12']);
  });

  it("the ministry's list reads now without asOf", async () => {
    server = stubTracker();
    renderScreen(<MinistryPlansPage />, { url: '/ministry', path: '/ministry' });
    const table = await screen.findByRole('table', { name: /Plans and the pledge of DE/ });
    expect(await within(table).findByText('Adopted by the Council')).toBeTruthy();
    expect(
      within(table).getByRole('columnheader', { name: /^Plan status/ }).textContent,
    ).not.toContain('then');
    expect(planListAsOf(server)).toEqual([null]);
  });

  it("the Commission's list shows each plan's stage then, and says so", async () => {
    server = stubTracker();
    renderScreen(<PlansPage />, {
      url: '/commission?asOf=12',
      path: '/commission',
      session: COMMISSION_OFFICIAL,
    });
    const table = await screen.findByRole('table', { name: /Plans \(1\)/ });
    expect(within(table).getByText('Pledging open')).toBeTruthy();
    expect(
      screen.getByText(/The plans and their stages as they stood at log position 12/),
    ).toBeTruthy();
    expect(planListAsOf(server)).toEqual(['12']);
  });
});
