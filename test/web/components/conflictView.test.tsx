/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PledgePage } from '../../../web/src/screens/ministry/PledgePage';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { renderScreen } from './support/render';
import {
  HOST_COUNTRIES,
  PLAN,
  pledgeWith,
  problem,
  TARGET_GROUPS,
  UNHCR_REGIONS,
} from './lineEditorFixtures';

// Each test clicks and types through a whole screen: a busy machine needs more than 5 s.
jest.setTimeout(20_000);

const PLEDGE_PATH = 'PUT /api/v1/plans/p1/pledges/DE';

const VERSION_1 = pledgeWith(1, [
  { admissionType: 'resettlement', hostCountry: 'TR', persons: 50, year: 2026 },
  { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 20 },
]);

/** Meanwhile, a colleague raised Türkiye to 70 and added Kenya. */
const VERSION_2 = pledgeWith(2, [
  { admissionType: 'resettlement', hostCountry: 'TR', persons: 70, year: 2026 },
  { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 20 },
  { admissionType: 'resettlement', hostCountry: 'KE', persons: 10 },
]);

const COLLEAGUE_ENTRY = {
  version: 2,
  position: 31,
  type: 'PledgeRevised',
  recordedAt: '2026-11-04T10:15:00.000Z',
  actor: {
    id: 'anna@bmi.example.de',
    name: 'Anna Schmidt',
    role: 'member_state',
    memberState: 'DE',
  },
  reason: 'Kenya added after the ministry meeting',
  correlationId: 'c-2',
  diff: {
    added: [{ admissionType: 'resettlement', hostCountry: 'KE', persons: 10 }],
    removed: [],
    changed: [],
    personsBefore: 70,
    personsAfter: 100,
    personsDelta: 30,
  },
};

/** The tracker as the page sees it: version 1 when the page opens, version 2 afterwards. */
function stubTracker(
  onPut: (
    request: Request,
    attempt: number,
  ) => { status: number; body: unknown; headers?: Record<string, string> },
) {
  let current = VERSION_1;
  let attempts = 0;
  const server = stubFetch({
    'GET /api/v1/plans/p1': { body: PLAN },
    'GET /api/v1/reference/host-countries': { body: HOST_COUNTRIES },
    'GET /api/v1/reference/regions': { body: UNHCR_REGIONS },
    'GET /api/v1/reference/target-groups': { body: TARGET_GROUPS },
    'GET /api/v1/plans/p1/pledges/DE': () => ({ body: current }),
    'GET /api/v1/plans/p1/pledges/DE/history': {
      body: {
        planId: 'p1',
        memberState: 'DE',
        versions: [COLLEAGUE_ENTRY],
        nextAfterVersion: null,
      },
    },
    [PLEDGE_PATH]: (request) => {
      attempts += 1;
      // The colleague's revision lands between loading the page and saving.
      current = VERSION_2;
      return onPut(request, attempts);
    },
  });
  return server;
}

type User = ReturnType<typeof userEvent.setup>;

/** Opens version 1, sets Lebanon to 35 (and makes `moreEdits`), and saves with a reason. */
async function openAndEdit(moreEdits?: (user: User) => Promise<void>) {
  const user = userEvent.setup({ delay: null });
  renderScreen(<PledgePage />, { url: '/ministry/plans/p1', path: '/ministry/plans/:planId' });
  const persons = await screen.findByRole('textbox', { name: 'Line 2: persons' });
  await user.clear(persons);
  await user.type(persons, '35');
  await moreEdits?.(user);
  await user.type(
    screen.getByRole('textbox', { name: 'Reason for the change (required)' }),
    'More places in Lebanon',
  );
  await user.click(screen.getByRole('button', { name: 'Save the revision' }));
  return user;
}

const puts = (server: FetchStub) => server.requests.filter((request) => request.method === 'PUT');

describe('the conflict view', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it("shows the other person's change beside mine when the version moved on", async () => {
    server = stubTracker(() => ({ status: 412, body: problem(412, 'version_conflict') }));
    await openAndEdit();

    const conflict = await screen.findByRole('region', {
      name: 'Someone else changed this pledge while you were editing',
    });
    expect(puts(server)[0]?.headers.get('If-Match')).toBe('"1"');
    await within(conflict).findByRole('heading', { name: 'Their change: version 1 → version 2' });
    expect(conflict.textContent).toContain('Revised by Anna Schmidt');
    expect(conflict.textContent).toContain('Kenya added after the ministry meeting');
    expect(within(conflict).getByText('4 Nov 2026, 10:15 UTC').getAttribute('datetime')).toBe(
      '2026-11-04T10:15:00.000Z',
    );
    const theirs = within(conflict).getAllByRole('list')[0];
    expect(theirs?.textContent).toContain('Added: Resettlement, Kenya, any year: 10 persons');
    expect(theirs?.textContent).toContain('Changed: Resettlement, Türkiye, 2026: persons 50 → 70');
    const mine = within(conflict).getAllByRole('list')[1];
    expect(mine?.textContent).toContain(
      'Changed: Humanitarian admission, Lebanon, any year: persons 20 → 35',
    );
    // Saving waits until the person chooses.
    expect(
      screen.getByRole<HTMLButtonElement>('button', { name: 'Save the revision' }).disabled,
    ).toBe(true);
  });

  it('reapplies my changes onto their version: their added and changed lines stay, mine go on top, nothing is sent until I save', async () => {
    server = stubTracker((_request, attempt) =>
      attempt === 1
        ? { status: 412, body: problem(412, 'version_conflict') }
        : {
            status: 200,
            headers: { 'X-Log-Position': '42', ETag: '"3"' },
            body: {
              planId: 'p1',
              memberState: 'DE',
              status: 'active',
              version: 3,
              position: 42,
              lines: VERSION_2.lines,
              total: 115,
              pendingAmendment: false,
            },
          },
    );
    const user = await openAndEdit();
    const conflict = await screen.findByRole('region', { name: /Someone else changed/ });
    expect(
      await within(conflict).findByText(/Reapplying puts your changes on top of their version/),
    ).toBeTruthy();
    await user.click(
      within(conflict).getByRole('button', { name: 'Reload their version and reapply my changes' }),
    );

    expect(screen.queryByRole('region', { name: /Someone else changed/ })).toBeNull();
    expect(
      screen
        .getAllByRole('status')
        .map((status) => status.textContent)
        .join(' '),
    ).toContain('Your edits are kept on top of version 2, with the lines they added or changed');
    expect(puts(server)).toHaveLength(1);
    const persons = (line: number) =>
      screen.getByRole<HTMLInputElement>('textbox', { name: `Line ${line}: persons` }).value;
    // Their 70 for Türkiye (I did not touch it), my 35 for Lebanon, their new Kenya line.
    expect([persons(1), persons(2), persons(3)]).toEqual(['70', '35', '10']);
    expect(screen.getByRole('table', { name: /starting from version 2/ })).toBeTruthy();

    // The reason is kept with the edits.
    await user.click(screen.getByRole('button', { name: 'Save the revision' }));
    await waitFor(() => expect(puts(server)).toHaveLength(2));
    const second = puts(server)[1];
    expect(second?.headers.get('If-Match')).toBe('"2"');
    expect(await second?.json()).toEqual({
      lines: [
        { admissionType: 'resettlement', hostCountry: 'TR', persons: 70, year: 2026 },
        { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 35 },
        { admissionType: 'resettlement', hostCountry: 'KE', persons: 10 },
      ],
      reason: 'More places in Lebanon',
    });
    expect(
      await screen.findByText(
        'Revised: version 3 of the pledge of DE, 115 persons, recorded at log position 42.',
      ),
    ).toBeTruthy();
  });

  it('asks which to keep when we both changed the same line, and keeps my choice', async () => {
    server = stubTracker(() => ({ status: 412, body: problem(412, 'version_conflict') }));
    // Besides Lebanon, I lowered Türkiye to 60 while my colleague raised it to 70.
    const user = await openAndEdit(async (typing) => {
      const turkey = screen.getByRole('textbox', { name: 'Line 1: persons' });
      await typing.clear(turkey);
      await typing.type(turkey, '60');
    });
    const conflict = await screen.findByRole('region', { name: /Someone else changed/ });
    const turkey = await within(conflict).findByRole('group', {
      name: 'Resettlement, Türkiye, 2026',
    });
    expect(
      within(conflict).getByRole('heading', {
        name: 'One line was changed by both of you: choose which to keep',
      }),
    ).toBeTruthy();
    expect(turkey.textContent).toContain('In the version you started from: 50 persons.');
    const theirs = within(turkey).getByRole<HTMLInputElement>('radio', {
      name: 'Theirs: 70 persons',
    });
    const mine = within(turkey).getByRole<HTMLInputElement>('radio', { name: 'Mine: 60 persons' });
    // Nothing is chosen for the person.
    expect(theirs.checked || mine.checked).toBe(false);

    // Reapplying before choosing keeps the view open and says what is missing, at the line.
    const reapply = within(conflict).getByRole('button', {
      name: 'Reload their version and reapply my changes',
    });
    await user.click(reapply);
    expect(screen.getByRole('region', { name: /Someone else changed/ })).toBe(conflict);
    expect(turkey.textContent).toContain('Choose which version of this line to keep.');
    expect(document.activeElement).toBe(theirs);
    expect(theirs.getAttribute('aria-invalid')).toBe('true');

    await user.click(mine);
    await user.click(reapply);
    expect(screen.queryByRole('region', { name: /Someone else changed/ })).toBeNull();
    const persons = (line: number) =>
      screen.getByRole<HTMLInputElement>('textbox', { name: `Line ${line}: persons` }).value;
    expect([persons(1), persons(2), persons(3)]).toEqual(['60', '35', '10']);
    expect(screen.queryByRole('textbox', { name: 'Line 4: persons' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Save the revision' }));
    await waitFor(() => expect(puts(server)).toHaveLength(2));
    expect(await puts(server)[1]?.json()).toEqual({
      lines: [
        { admissionType: 'resettlement', hostCountry: 'TR', persons: 60, year: 2026 },
        { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 35 },
        { admissionType: 'resettlement', hostCountry: 'KE', persons: 10 },
      ],
      reason: 'More places in Lebanon',
    });
  });

  it('asks too when I removed a line they changed; keeping theirs brings it back', async () => {
    server = stubTracker(() => ({ status: 412, body: problem(412, 'version_conflict') }));
    const user = await openAndEdit(async (typing) => {
      await typing.click(screen.getByRole('button', { name: 'Remove line 1' }));
    });
    const conflict = await screen.findByRole('region', { name: /Someone else changed/ });
    const turkey = await within(conflict).findByRole('group', {
      name: 'Resettlement, Türkiye, 2026',
    });
    expect(within(turkey).getByRole('radio', { name: 'Mine: the line removed' })).toBeTruthy();
    await user.click(within(turkey).getByRole('radio', { name: 'Theirs: 70 persons' }));
    await user.click(
      within(conflict).getByRole('button', { name: 'Reload their version and reapply my changes' }),
    );
    const persons = (line: number) =>
      screen.getByRole<HTMLInputElement>('textbox', { name: `Line ${line}: persons` }).value;
    expect([persons(1), persons(2), persons(3)]).toEqual(['70', '35', '10']);
  });

  it('discards my changes: the editor shows their version', async () => {
    server = stubTracker(() => ({ status: 412, body: problem(412, 'version_conflict') }));
    const user = await openAndEdit();
    await user.click(await screen.findByRole('button', { name: 'Discard my changes' }));

    expect(screen.queryByRole('region', { name: /Someone else changed/ })).toBeNull();
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Line 1: persons' }).value).toBe(
      '70',
    );
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Line 2: persons' }).value).toBe(
      '20',
    );
    expect(screen.getByRole('textbox', { name: 'Line 3: persons' })).toBeTruthy();
    expect(screen.getByRole('table', { name: /starting from version 2/ })).toBeTruthy();
    expect(puts(server)).toHaveLength(1);
  });
});
