/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fieldErrors } from '../../../web/src/api/problems';
import {
  countProblems,
  emptyAdmission,
  problemForReport,
  toAdmissionLine,
  toProcedureCounts,
  toProcedureDraft,
  type AdmissionDraft,
} from '../../../web/src/screens/ministry/implementation/reportModel';
import { ReportPage } from '../../../web/src/screens/ministry/implementation/ReportPage';
import { MARCH, PLAN_ROUTES, reportWith } from './implementationFixtures';
import { problem } from './lineEditorFixtures';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { renderScreen } from './support/render';

// Each test clicks and types through a whole screen: a busy machine needs more than 5 s.
jest.setTimeout(20_000);

const REPORT_PATH = '/api/v1/plans/p1/implementation/DE/2026-03';

function draft(patch: Partial<AdmissionDraft>): AdmissionDraft {
  return { ...emptyAdmission(), hostCountries: ['TR'], persons: '12', ...patch };
}

describe('the monthly report form’s model', () => {
  it('sends a line with its counts and breakdowns, and no year: the month says it', () => {
    const line = toAdmissionLine(
      draft({
        admissionType: 'humanitarian_admission',
        year: '2026',
        vulnerablePersons: '5',
        familyMembers: ' 2 ',
        bySex: { female: '7', male: '', nonBinary: '' },
        note: '  via Ankara  ',
      }),
    );
    expect(line).toEqual({
      admissionType: 'humanitarian_admission',
      hostCountry: 'TR',
      persons: 12,
      vulnerablePersons: 5,
      familyMembers: 2,
      // One figure typed sends the breakdown, the others as 0: the server says it does not add up.
      bySex: { female: 7, male: 0, nonBinary: 0 },
      note: 'via Ankara',
    });
    expect(toAdmissionLine(draft({}))).toEqual({
      admissionType: 'resettlement',
      hostCountry: 'TR',
      persons: 12,
    });
  });

  it('sends only the procedure counts typed, and none when none was', () => {
    const typed = { ...toProcedureDraft(undefined), registered: '40', openBeyond7Months: '0' };
    expect(toProcedureCounts(typed)).toEqual({ registered: 40, openBeyond7Months: 0 });
    expect(toProcedureCounts(toProcedureDraft(undefined))).toBeUndefined();
    expect(toProcedureDraft({ discontinued: 3 }).discontinued).toBe('3');
  });

  it('finds every count that is not a whole number before sending, at its input', () => {
    const found = countProblems(
      [
        draft({ familyMembers: '2.5' }),
        draft({ byAgeBand: { under18: '-1', from18To60: '3', over60: '' } }),
      ],
      { ...toProcedureDraft(undefined), negativeConclusions: 'many' },
    );
    expect(Object.keys(fieldErrors(found))).toEqual([
      'admissions.0.familyMembers',
      'admissions.1.byAgeBand.under18',
      'procedure.negativeConclusions',
    ]);
    expect(countProblems([draft({ vulnerablePersons: '0' })], toProcedureDraft(undefined))).toBe(
      undefined,
    );
  });

  it("places the server's paths at the form's inputs, numbering lines for people", () => {
    const placed = problemForReport(
      problem(422, 'group_count_exceeds_persons', [
        {
          path: 'admissions.1.hostCountries.0',
          message: 'Line 1: XX is not a known host country',
        },
        {
          path: 'admissions.0.familyMembers',
          message: 'Line 0: familyMembers (9) is more than the 4 persons of the line',
        },
        {
          path: 'admissions.0.bySex',
          message: "Line 0: bySex adds up to 3, not to the line's 4 persons",
        },
        { path: 'admissions.2.byAgeBand.over60', message: 'Too small: expected >= 0' },
        { path: 'procedure.openBeyond10Months', message: 'Cases open past 10 months …' },
        { path: 'reason', message: 'reason looks like it holds a date' },
      ]),
    );
    expect(fieldErrors(placed)).toEqual({
      'admissions.1.host': ['XX is not a known host country'],
      // The API's field names as the form's labels say them.
      'admissions.0.familyMembers': ['Family members (9) is more than the 4 persons of the line'],
      'admissions.0.bySex': ["The breakdown by sex adds up to 3, not to the line's 4 persons"],
      'admissions.2.byAgeBand.over60': ['Too small: expected >= 0'],
      'procedure.openBeyond10Months': ['Cases open past 10 months …'],
      reason: ['Reason looks like it holds a date'],
    });
  });
});

describe('the monthly report page', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  const open = () =>
    renderScreen(<ReportPage />, {
      url: '/ministry/plans/p1/implementation/2026-03',
      path: '/ministry/plans/:planId/implementation/:month',
    });

  it('submits a first report with If-None-Match and shows what the server recorded', async () => {
    let recorded = false;
    server = stubFetch({
      ...PLAN_ROUTES,
      [`GET ${REPORT_PATH}`]: () =>
        recorded ? { body: MARCH } : { status: 404, body: problem(404, 'report_not_found') },
      [`PUT ${REPORT_PATH}`]: () => {
        recorded = true;
        return {
          status: 201,
          headers: { 'X-Log-Position': '1234', ETag: '"1"', Location: REPORT_PATH },
          body: {
            planId: 'p1',
            memberState: 'DE',
            month: '2026-03',
            version: 1,
            position: 1234,
            admissions: [
              {
                admissionType: 'resettlement',
                hostCountry: 'TR',
                persons: 40,
                vulnerablePersons: 12,
              },
            ],
            admitted: 40,
            procedure: { registered: 70 },
            onBehalf: false,
          },
        };
      },
    });
    const user = userEvent.setup({ delay: null });
    open();
    await screen.findByRole('heading', { name: 'Report the admissions of March 2026' });
    expect(screen.getByRole('note', { name: 'Counts only' }).textContent).toContain(
      'no names, case numbers or dates of birth',
    );
    // The pledge's line editor, without the year a month already says.
    expect(screen.queryByRole('combobox', { name: 'Line 1: year' })).toBeNull();
    const picker = screen.getByRole('combobox', { name: 'Line 1: host country' });
    await user.click(picker);
    await user.type(picker, 'turk');
    await user.keyboard('{ArrowDown}{Enter}');
    await user.type(screen.getByRole('textbox', { name: 'Line 1: persons admitted' }), '40');
    await user.type(
      screen.getByRole('textbox', { name: 'Line 1: Of whom in the Art. 19(3) groups' }),
      '12',
    );
    await user.type(
      screen.getByRole('textbox', {
        name: 'Persons registered',
      }),
      '70',
    );
    await user.click(screen.getByRole('button', { name: 'Submit the report' }));

    const status = await screen.findByText(
      'Submitted: version 1 of the report of DE for March 2026, 40 persons admitted, recorded at log position 1,234.',
    );
    expect(status.closest('[role="status"]')).not.toBeNull();
    const put = server.requests.find((request) => request.method === 'PUT');
    expect(put?.headers.get('If-None-Match')).toBe('*');
    expect(put?.headers.get('If-Match')).toBeNull();
    expect(await put?.json()).toEqual({
      admissions: [
        { admissionType: 'resettlement', hostCountry: 'TR', persons: 40, vulnerablePersons: 12 },
      ],
      procedure: { registered: 70 },
    });
    // The form is now the correction of version 1.
    await screen.findByRole('heading', { name: 'Correct the report for March 2026' });
    // The reads after the write wait for the log position it was recorded at.
    await waitFor(() => {
      const reread = server.requests.filter(
        (request) => request.method === 'GET' && new URL(request.url).pathname === REPORT_PATH,
      );
      expect(reread.at(-1)?.headers.get('X-Min-Position')).toBe('1234');
    });
  });

  it('puts every refusal next to its field, with a summary linking to each', async () => {
    server = stubFetch({
      ...PLAN_ROUTES,
      [`GET ${REPORT_PATH}`]: { status: 404, body: problem(404, 'report_not_found') },
      [`PUT ${REPORT_PATH}`]: {
        status: 422,
        body: problem(422, 'group_count_exceeds_persons', [
          {
            path: 'admissions.0.familyMembers',
            message: 'Line 0: familyMembers (9) is more than the 4 persons of the line',
          },
          {
            path: 'admissions.0.bySex',
            message: "Line 0: bySex adds up to 3, not to the line's 4 persons",
          },
          {
            path: 'procedure.openBeyond10Months',
            message: 'Cases open past 10 months (5) cannot outnumber those open past 7 months (2)',
          },
        ]),
      },
    });
    const user = userEvent.setup({ delay: null });
    open();
    const persons = await screen.findByRole('textbox', { name: 'Line 1: persons admitted' });
    await user.type(persons, '4');
    await user.type(
      screen.getByRole('textbox', { name: 'Line 1: Of whom family members (Art. 19(5))' }),
      '9',
    );
    await user.click(screen.getByText('Breakdown by sex and age (optional)'));
    await user.type(screen.getByRole('textbox', { name: 'Line 1: female' }), '3');
    await user.click(screen.getByRole('button', { name: 'Submit the report' }));

    const alert = await screen.findByRole('alert', { name: 'The report was not saved' });
    expect(alert).toBe(document.activeElement);
    const links = within(alert)
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(links).toEqual([
      'Line 1: of whom family members (Art. 19(5)): Family members (9) is more than the 4 persons of the line',
      "Line 1: breakdown by sex: The breakdown by sex adds up to 3, not to the line's 4 persons",
      'Open past 10 months (Art. 9(9)): Cases open past 10 months (5) cannot outnumber those open past 7 months (2)',
    ]);

    const family = screen.getByRole('textbox', {
      name: 'Line 1: Of whom family members (Art. 19(5))',
    });
    expect(family.getAttribute('aria-invalid')).toBe('true');
    expect(
      document.getElementById(family.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe('Error: Family members (9) is more than the 4 persons of the line');
    // A breakdown that does not add up: its group and each of its inputs.
    const bySex = screen.getByRole('group', { name: 'Line 1: By sex' });
    expect(bySex.getAttribute('aria-invalid')).toBe('true');
    const female = within(bySex).getByRole('textbox', { name: 'Line 1: female' });
    expect(female.getAttribute('aria-invalid')).toBe('true');
    expect(
      document.getElementById(female.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toContain('The breakdown by sex adds up to 3');
    const open10 = screen.getByRole('textbox', { name: 'Open past 10 months (Art. 9(9))' });
    expect(open10.getAttribute('aria-invalid')).toBe('true');
    // The name is short; the hint says in full what is counted, and the message follows it.
    expect(open10.getAttribute('aria-describedby')?.split(' ')).toHaveLength(2);
    expect(
      open10
        .getAttribute('aria-describedby')
        ?.split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' '),
    ).toMatch(
      /^Of those, cases still open more than 10 months after registration.*Cases open past 10 months/,
    );

    // The summary's link takes the keyboard to the field.
    await user.click(within(alert).getAllByRole('link')[0] as HTMLElement);
    expect(document.activeElement).toBe(family);
  });

  it('checks the counts before sending: nothing goes out with a fraction', async () => {
    server = stubFetch({
      ...PLAN_ROUTES,
      [`GET ${REPORT_PATH}`]: { status: 404, body: problem(404, 'report_not_found') },
    });
    const user = userEvent.setup({ delay: null });
    open();
    await user.type(await screen.findByRole('textbox', { name: 'Line 1: persons admitted' }), '4');
    await user.type(
      screen.getByRole('textbox', { name: 'Line 1: Of whom in the Art. 19(3) groups' }),
      '2.5',
    );
    await user.click(screen.getByRole('button', { name: 'Submit the report' }));
    const alert = await screen.findByRole('alert', { name: 'The report was not saved' });
    expect(alert.textContent).toContain('Some counts are not whole numbers');
    expect(
      screen
        .getByRole('textbox', { name: 'Line 1: Of whom in the Art. 19(3) groups' })
        .getAttribute('aria-invalid'),
    ).toBe('true');
    expect(server.requests.some((request) => request.method === 'PUT')).toBe(false);
  });

  it('corrects the version it started from, with the reason the history keeps', async () => {
    server = stubFetch({
      ...PLAN_ROUTES,
      [`GET ${REPORT_PATH}`]: { body: MARCH },
      [`PUT ${REPORT_PATH}`]: {
        status: 200,
        headers: { 'X-Log-Position': '88', ETag: '"2"' },
        body: {
          planId: 'p1',
          memberState: 'DE',
          month: '2026-03',
          version: 2,
          position: 88,
          admissions: MARCH.admissions,
          admitted: 45,
          procedure: MARCH.procedure,
          onBehalf: false,
        },
      },
    });
    const user = userEvent.setup({ delay: null });
    open();
    await screen.findByRole('heading', { name: 'Correct the report for March 2026' });
    const summary = screen.getByRole('region', { name: 'The report as recorded' });
    expect(summary.textContent).toContain('Our ministry');
    const persons = screen.getByRole('textbox', { name: 'Line 1: persons admitted' });
    expect((persons as HTMLInputElement).value).toBe('40');
    // The saved breakdown shows: its details are open.
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Line 2: female' }).value).toBe(
      '6',
    );
    await user.clear(persons);
    await user.type(persons, '35');

    // Without a reason nothing is sent.
    await user.click(screen.getByRole('button', { name: 'Save the correction' }));
    const reason = screen.getByRole('textbox', { name: 'Reason for the correction (required)' });
    await waitFor(() => expect(reason.getAttribute('aria-invalid')).toBe('true'));
    expect(server.requests.some((request) => request.method === 'PUT')).toBe(false);

    await user.type(reason, 'Five arrivals belong to April');
    await user.click(screen.getByRole('button', { name: 'Save the correction' }));
    await screen.findByText(/Corrected: version 2 of the report of DE for March 2026/);
    const put = server.requests.find((request) => request.method === 'PUT');
    expect(put?.headers.get('If-Match')).toBe('"1"');
    expect(put?.headers.get('If-None-Match')).toBeNull();
    const body = (await put?.json()) as { admissions: { persons: number }[]; reason: string };
    expect(body.reason).toBe('Five arrivals belong to April');
    expect(body.admissions.map((line) => line.persons)).toEqual([35, 10]);
  });

  it('shows a colleague’s report recorded meanwhile and keeps my edits', async () => {
    let current: unknown = { status: 404, body: problem(404, 'report_not_found') };
    server = stubFetch({
      ...PLAN_ROUTES,
      [`GET ${REPORT_PATH}`]: () => current as { status: number; body: unknown },
      [`GET ${REPORT_PATH}/history`]: {
        body: {
          planId: 'p1',
          memberState: 'DE',
          month: '2026-03',
          versions: [
            {
              version: 1,
              position: 31,
              type: 'ImplementationReportSubmitted',
              recordedAt: '2026-04-02T09:00:00.000Z',
              actor: { id: 'eva@ec.example.eu', name: 'Eva Lindqvist', role: 'commission' },
              correlationId: 'c-1',
              onBehalf: true,
              admitted: 50,
              admissions: MARCH.admissions,
              procedure: MARCH.procedure,
              diff: {
                added: MARCH.admissions,
                removed: [],
                changed: [],
                admittedBefore: 0,
                admittedAfter: 50,
                admittedDelta: 50,
                procedure: [],
              },
            },
          ],
          nextAfterVersion: null,
        },
      },
      [`PUT ${REPORT_PATH}`]: () => {
        current = { body: reportWith('2026-03', 1, MARCH.admissions, { onBehalf: true }) };
        return { status: 412, body: problem(412, 'report_already_submitted') };
      },
    });
    const user = userEvent.setup({ delay: null });
    open();
    await user.type(await screen.findByRole('textbox', { name: 'Line 1: persons admitted' }), '7');
    await user.click(screen.getByRole('button', { name: 'Submit the report' }));
    const conflict = await screen.findByRole('region', {
      name: 'Someone else recorded this month’s report while you were editing',
    });
    await within(conflict).findByRole('heading', { name: 'Their change: no report → version 1' });
    expect(conflict.textContent).toContain('Eva Lindqvist (the Commission, on our behalf)');
    expect(conflict.textContent).toContain('Added: Resettlement, Türkiye: 40 persons');
    await user.click(
      within(conflict).getByRole('button', { name: 'Reload their version and reapply my changes' }),
    );
    await screen.findByRole('heading', { name: 'Correct the report for March 2026' });
    // Their lines, then mine: my line (no host chosen yet) is not one of theirs.
    expect(
      [1, 2, 3].map(
        (line) =>
          screen.getByRole<HTMLInputElement>('textbox', { name: `Line ${line}: persons admitted` })
            .value,
      ),
    ).toEqual(['40', '10', '7']);
  });
});
