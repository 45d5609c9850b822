/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AdmissionLine, ReportView } from '../../../web/src/api/implementation';
import { ReportPage } from '../../../web/src/screens/ministry/implementation/ReportPage';
import { MARCH, PLAN_ROUTES, reportWith } from './implementationFixtures';
import { problem } from './lineEditorFixtures';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { renderScreen } from './support/render';

// Each test clicks and types through a whole screen: a busy machine needs more than 5 s.
jest.setTimeout(20_000);

const REPORT_PATH = '/api/v1/plans/p1/implementation/DE/2026-03';

const [TURKEY, LEBANON] = MARCH.admissions as [AdmissionLine, AdmissionLine];
const KENYA: AdmissionLine = { admissionType: 'resettlement', hostCountry: 'KE', persons: 5 };

/**
 * Meanwhile, the Commission corrected version 1 on our behalf: Türkiye 40 → 45, a Kenya line
 * added, 70 → 75 persons registered.
 */
const VERSION_2: ReportView = reportWith(
  '2026-03',
  2,
  [{ ...TURKEY, persons: 45 }, LEBANON, KENYA],
  {
    onBehalf: true,
    procedure: { registered: 75, positiveConclusions: 50 },
  },
);

const EVA_ENTRY = {
  version: 2,
  position: 37,
  type: 'ImplementationReportCorrected',
  recordedAt: '2026-04-09T14:30:00.000Z',
  actor: { id: 'eva@ec.example.eu', name: 'Eva Lindqvist', role: 'commission' },
  reason: 'Kenya arrivals were missing',
  correlationId: 'c-2',
  onBehalf: true,
  admitted: 100,
  admissions: VERSION_2.admissions,
  procedure: VERSION_2.procedure,
  diff: {
    added: [KENYA],
    removed: [],
    changed: [],
    admittedBefore: 50,
    admittedAfter: 55,
    admittedDelta: 5,
    procedure: [],
  },
};

/** The tracker as the page sees it: version 1 when the page opens, version 2 once I save. */
function stubTracker(onPut: (attempt: number) => { status: number; body: unknown }) {
  let current = MARCH;
  let attempts = 0;
  return stubFetch({
    ...PLAN_ROUTES,
    [`GET ${REPORT_PATH}`]: () => ({ body: current }),
    [`GET ${REPORT_PATH}/history`]: {
      body: {
        planId: 'p1',
        memberState: 'DE',
        month: '2026-03',
        versions: [EVA_ENTRY],
        nextAfterVersion: null,
      },
    },
    [`PUT ${REPORT_PATH}`]: () => {
      attempts += 1;
      current = VERSION_2;
      return onPut(attempts);
    },
  });
}

type User = ReturnType<typeof userEvent.setup>;

async function replace(user: User, input: HTMLElement, value: string) {
  await user.clear(input);
  await user.type(input, value);
}

/** Opens version 1, sets Lebanon to 12 and positive conclusions to 55 (and `moreEdits`), saves. */
async function openAndEdit(moreEdits?: (user: User) => Promise<void>) {
  const user = userEvent.setup({ delay: null });
  renderScreen(<ReportPage />, {
    url: '/ministry/plans/p1/implementation/2026-03',
    path: '/ministry/plans/:planId/implementation/:month',
  });
  await replace(
    user,
    await screen.findByRole('textbox', { name: 'Line 2: persons admitted' }),
    '12',
  );
  await replace(user, screen.getByRole('textbox', { name: 'Positive conclusions' }), '55');
  await moreEdits?.(user);
  await user.type(
    screen.getByRole('textbox', { name: 'Reason for the correction (required)' }),
    'Two late arrivals in Lebanon',
  );
  await user.click(screen.getByRole('button', { name: 'Save the correction' }));
  return user;
}

const value = (name: string) => screen.getByRole<HTMLInputElement>('textbox', { name }).value;
const puts = (server: FetchStub) => server.requests.filter((request) => request.method === 'PUT');
const conflictRegion = () =>
  screen.findByRole('region', {
    name: 'Someone else recorded this month’s report while you were editing',
  });
const reapplyButton = (conflict: HTMLElement) =>
  within(conflict).getByRole('button', { name: 'Reload their version and reapply my changes' });

describe('the report’s conflict view', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it('reapplies my changes onto their version: their added and changed lines and counts stay, mine go on top', async () => {
    server = stubTracker((attempt) =>
      attempt === 1
        ? { status: 412, body: problem(412, 'version_conflict') }
        : { status: 412, body: problem(412, 'version_conflict') },
    );
    const user = await openAndEdit();
    const conflict = await conflictRegion();
    await within(conflict).findByRole('heading', { name: 'Their change: version 1 → version 2' });
    expect(
      within(conflict).getByText(/Reapplying puts your changes on top of their version/),
    ).toBeTruthy();
    await user.click(reapplyButton(conflict));

    expect(screen.queryByRole('region', { name: /Someone else recorded/ })).toBeNull();
    expect(puts(server)).toHaveLength(1);
    // Their 45 for Türkiye (I did not touch it), my 12 for Lebanon, their new Kenya line.
    expect([
      value('Line 1: persons admitted'),
      value('Line 2: persons admitted'),
      value('Line 3: persons admitted'),
    ]).toEqual(['45', '12', '5']);
    // Their 75 registered (I did not touch it), my 55 positive conclusions.
    expect(value('Persons registered')).toBe('75');
    expect(value('Positive conclusions')).toBe('55');
    expect(screen.getByRole('table', { name: /starting from version 2/ })).toBeTruthy();
    expect(value('Reason for the correction (required)')).toBe('Two late arrivals in Lebanon');

    await user.click(screen.getByRole('button', { name: 'Save the correction' }));
    await waitFor(() => expect(puts(server)).toHaveLength(2));
    const second = puts(server)[1];
    expect(second?.headers.get('If-Match')).toBe('"2"');
    expect(await second?.json()).toEqual({
      admissions: [{ ...TURKEY, persons: 45 }, { ...LEBANON, persons: 12 }, KENYA],
      procedure: { registered: 75, positiveConclusions: 55 },
      reason: 'Two late arrivals in Lebanon',
    });
  });

  it('asks which to keep for a line and a count we both changed, and keeps each choice', async () => {
    server = stubTracker(() => ({ status: 412, body: problem(412, 'version_conflict') }));
    // Besides my other edits, I lowered Türkiye to 38 and registered to 72.
    const user = await openAndEdit(async (typing) => {
      await replace(
        typing,
        screen.getByRole('textbox', { name: 'Line 1: persons admitted' }),
        '38',
      );
      await replace(typing, screen.getByRole('textbox', { name: 'Persons registered' }), '72');
    });
    const conflict = await conflictRegion();
    const turkey = await within(conflict).findByRole('group', { name: 'Resettlement, Türkiye' });
    const registered = within(conflict).getByRole('group', { name: 'Persons registered' });
    expect(turkey.textContent).toContain(
      'In the version you started from: 40 persons, of whom 12 in the Art. 19(3) groups.',
    );
    const theirTurkey = within(turkey).getByRole<HTMLInputElement>('radio', {
      name: 'Theirs: 45 persons, of whom 12 in the Art. 19(3) groups',
    });
    within(turkey).getByRole('radio', {
      name: 'Mine: 38 persons, of whom 12 in the Art. 19(3) groups',
    });
    const myRegistered = within(registered).getByRole<HTMLInputElement>('radio', {
      name: 'Mine: 72',
    });
    within(registered).getByRole('radio', { name: 'Theirs: 75' });

    // Reapplying before choosing keeps the view open and says what is missing, at the line.
    await user.click(reapplyButton(conflict));
    expect(screen.getByRole('region', { name: /Someone else recorded/ })).toBe(conflict);
    expect(document.activeElement).toBe(theirTurkey);
    expect(theirTurkey.getAttribute('aria-invalid')).toBe('true');

    await user.click(theirTurkey);
    await user.click(myRegistered);
    await user.click(reapplyButton(conflict));
    expect(screen.queryByRole('region', { name: /Someone else recorded/ })).toBeNull();
    expect([
      value('Line 1: persons admitted'),
      value('Line 2: persons admitted'),
      value('Line 3: persons admitted'),
    ]).toEqual(['45', '12', '5']);
    expect(value('Persons registered')).toBe('72');
    expect(value('Positive conclusions')).toBe('55');
  });
});
