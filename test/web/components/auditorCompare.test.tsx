/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Schema } from '../../../web/src/api/client';
import { ComparePage } from '../../../web/src/screens/auditor/ComparePage';
import { ComparisonTable } from '../../../web/src/screens/auditor/ComparisonTable';
import { compareFacts, pledgeFacts } from '../../../web/src/screens/auditor/compareModel';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { AUDITOR, renderScreen } from './support/render';

type Pledge = Schema<'Pledge'>;

const version1: Pledge = {
  planId: 'p2026',
  memberState: 'DE',
  participantKind: 'member_state',
  status: 'active',
  version: 1,
  lines: [
    { admissionType: 'resettlement', hostCountry: 'TR', persons: 100 },
    { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 50 },
  ],
  total: 150,
  byAdmissionType: { resettlement: 100, humanitarian_admission: 50, emergency_admission: 0 },
  planStatusAtLastChange: 'pledging_open',
  afterAdoption: false,
  pendingAmendment: false,
  submittedAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
  asOfPosition: 3,
};

const version2: Pledge = {
  ...version1,
  version: 2,
  lines: [
    { admissionType: 'resettlement', hostCountry: 'TR', persons: 80 },
    {
      admissionType: 'emergency_admission',
      hostCountry: 'EG',
      persons: 20,
      emergencyBasis: 'resettlement',
    },
  ],
  total: 100,
  byAdmissionType: { resettlement: 80, humanitarian_admission: 0, emergency_admission: 20 },
  lastReason: 'Fewer places',
  updatedAt: '2026-11-30T11:00:00.000Z',
  asOfPosition: 5,
};

function rowOf(label: string | RegExp): HTMLElement {
  return screen.getByRole('rowheader', { name: label }).closest('tr')!;
}

describe('the side-by-side comparison', () => {
  it('marks every line added, removed or changed in words, not colour alone', async () => {
    render(
      <ComparisonTable
        caption="Versions 1 and 2"
        labelA="Version 1 (A)"
        labelB="Version 2 (B)"
        rows={compareFacts(pledgeFacts(version1), pledgeFacts(version2))}
      />,
    );
    const changed = rowOf('Line: Resettlement, from TR');
    expect(within(changed).getByText('100 persons')).toBeTruthy();
    expect(within(changed).getByText('80 persons')).toBeTruthy();
    expect(within(changed).getByText('Changed')).toBeTruthy();

    const removed = rowOf('Line: Humanitarian admission, from LB');
    expect(within(removed).getByText('Removed')).toBeTruthy();
    expect(within(removed).getByText('not in this version')).toBeTruthy();

    const added = rowOf('Line: Emergency admission, from EG, counted as resettlement');
    expect(within(added).getByText('Added')).toBeTruthy();

    expect(within(rowOf('Total')).getByText('Changed')).toBeTruthy();
    expect(within(rowOf('Status')).getByText('Same')).toBeTruthy();
    expect(within(rowOf('Reason given')).getByText('Added')).toBeTruthy();
    // The symbols are decoration; the words are what is read out.
    for (const symbol of screen.getAllByText(/^[+−≠=]$/)) {
      expect(symbol.getAttribute('aria-hidden')).toBe('true');
    }
    expect(screen.getByText(/differences: .*changed, .*added, .*removed\./)).toBeTruthy();

    await userEvent.click(screen.getByLabelText('Show only the differences'));
    expect(screen.queryByRole('rowheader', { name: 'Status' })).toBeNull();
    expect(screen.getByRole('rowheader', { name: 'Total' })).toBeTruthy();
  });

  it('says so when two versions state the same', () => {
    render(
      <ComparisonTable
        caption="Twice version 1"
        labelA="A"
        labelB="B"
        rows={compareFacts(pledgeFacts(version1), pledgeFacts(version1))}
      />,
    );
    expect(screen.getByText('The two versions state the same.')).toBeTruthy();
    expect(screen.queryByText('Changed')).toBeNull();
  });
});

describe('the compare page', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it('reads each chosen version as of its log position', async () => {
    const actor = { id: 'dev:de-desk-officer', role: 'member_state' as const, memberState: 'DE' };
    const diff = {
      added: [],
      removed: [],
      changed: [],
      personsBefore: 0,
      personsAfter: 0,
      personsDelta: 0,
    };
    server = stubFetch({
      'GET /api/v1/plans': { body: { plans: [{ planId: 'p2026' }], nextAfter: null } },
      'GET /api/v1/reference/member-states': { body: { memberStates: [] } },
      'GET /api/v1/plans/p2026/pledges/DE/history': {
        body: {
          planId: 'p2026',
          memberState: 'DE',
          versions: [
            {
              version: 1,
              position: 3,
              type: 'PledgeSubmitted',
              recordedAt: version1.updatedAt,
              actor,
              correlationId: 'c1',
              diff,
            },
            {
              version: 2,
              position: 5,
              type: 'PledgeRevised',
              recordedAt: version2.updatedAt,
              actor,
              correlationId: 'c2',
              diff,
              reason: 'Fewer places',
            },
          ],
          nextAfterVersion: null,
        },
      },
      'GET /api/v1/plans/p2026/pledges/DE': (request) => ({
        body: new URL(request.url).searchParams.get('asOf') === '3' ? version1 : version2,
      }),
    });
    renderScreen(<ComparePage />, {
      url: '/audit/compare?subject=pledge&planId=p2026&memberState=DE',
      session: AUDITOR,
    });
    await screen.findByRole('table', { name: /Version 1 \(A\) and version 2 \(B\)/ });
    const positions = server.requests
      .filter((request) => new URL(request.url).pathname === '/api/v1/plans/p2026/pledges/DE')
      .map((request) => new URL(request.url).searchParams.get('asOf'))
      .sort();
    expect(positions).toEqual(['3', '5']);
    expect(screen.getByRole('heading', { name: 'Version A: version 1' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Version B: version 2' })).toBeTruthy();
    await waitFor(() => expect(within(rowOf('Total')).getByText('Changed')).toBeTruthy());
  });
});
