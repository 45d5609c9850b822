/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { render } from '@testing-library/react';
import type { Schema } from '../../../web/src/api/client';
import { AdmissionTypeMatrix } from '../../../web/src/screens/commission/AdmissionTypeMatrix';
import { CreatePlanForm } from '../../../web/src/screens/commission/CreatePlanForm';
import { AdoptionForm, AmendmentForm } from '../../../web/src/screens/commission/LifecycleForms';
import { PlanPage } from '../../../web/src/screens/commission/PlanPage';
import { stubFetch, type FetchStub } from './support/fetchStub';
import { COMMISSION_OFFICIAL, renderScreen } from './support/render';
import { HOST_COUNTRIES, TARGET_GROUPS, UNHCR_REGIONS } from './lineEditorFixtures';

/** The reference lists the line editor offers. */
const REFERENCE_ROUTES = {
  'GET /api/v1/reference/host-countries': { body: HOST_COUNTRIES },
  'GET /api/v1/reference/regions': { body: UNHCR_REGIONS },
  'GET /api/v1/reference/target-groups': { body: TARGET_GROUPS },
};

/** Participants as the reference lists them: bound and not, Member States and an associated state. */
const MEMBER_STATES_ROUTE = {
  'GET /api/v1/reference/member-states': {
    body: {
      memberStates: [
        participant('DE', 'Germany'),
        participant('DK', 'Denmark', { participation: 'not_bound', mayPledge: false }),
        participant('FR', 'France'),
        participant('IT', 'Italy'),
        participant('NO', 'Norway', { kind: 'associated_state' }),
        participant('PT', 'Portugal'),
        participant('SE', 'Sweden'),
      ],
    },
  },
};

function participant(
  code: string,
  name: string,
  overrides: Partial<Schema<'MemberStates'>['memberStates'][number]> = {},
): Schema<'MemberStates'>['memberStates'][number] {
  return {
    code,
    name,
    kind: 'member_state',
    participation: 'bound',
    aliases: [],
    mayPledge: true,
    ...overrides,
  };
}

// Typing without a pause between keys; a loaded machine still gets time for the longer journeys.
/** The server's 422 refusal of an adoption, naming `errors` by request path. */
function invalidAdoption(
  errors: readonly { readonly code: string; readonly path: string; readonly message: string }[],
) {
  return {
    status: 422,
    body: {
      type: 'urn:pledge-tracker:problem:invalid_request',
      title: 'The request is not valid',
      status: 422,
      detail: `${errors.length} problems.`,
      instance: '/api/v1/plans/2028-2029/adoption',
      code: 'invalid_request',
      errors,
    },
  };
}

const user = userEvent.setup({ delay: null });
jest.setTimeout(20_000);

type Plan = Schema<'Plan'>;
type PledgeLine = Schema<'PledgeLine'>;

function contribution(memberState: string, lines: PledgeLine[]) {
  return { memberState, lines, total: lines.reduce((sum, line) => sum + line.persons, 0) };
}

/** Plan 2028-2029 as proposed: DE, FR and SE, 1,150 persons. */
function proposedPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    planId: '2028-2029',
    status: 'proposed',
    periodStart: '2028-01-01',
    periodEnd: '2029-12-31',
    resettlementFloorPercent: 60,
    priorityCountries: ['EG', 'LB', 'TR'],
    priorityRegions: ['middle_east_north_africa'],
    regions: [],
    pledgingDeadline: '2027-03-31',
    proposal: {
      reference: 'COM(2027) 512',
      proposedOn: '2027-06-01',
      total: 1150,
      contributions: [
        contribution('DE', [
          { admissionType: 'resettlement', hostCountry: 'TR', persons: 500 },
          { admissionType: 'humanitarian_admission', hostCountry: 'EG', persons: 200 },
        ]),
        contribution('FR', [{ admissionType: 'resettlement', hostCountry: 'LB', persons: 350 }]),
        contribution('SE', [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 100 }]),
      ],
      associatedStates: [],
      position: 40,
      recordedAt: '2027-06-01T10:00:00.000Z',
    },
    amendments: [],
    version: 7,
    position: 40,
    createdAt: '2027-01-10T09:00:00.000Z',
    updatedAt: '2027-06-01T10:00:00.000Z',
    asOfPosition: 44,
    ...overrides,
  };
}

describe('the Member State × admission type table', () => {
  it('sums every row and column and gives each type its share of the total', () => {
    render(
      <AdmissionTypeMatrix
        caption="Contributions"
        rows={[
          {
            memberState: 'DE',
            total: 750,
            byAdmissionType: {
              resettlement: 500,
              humanitarian_admission: 200,
              emergency_admission: 50,
            },
          },
          {
            memberState: 'FR',
            total: 1300,
            byAdmissionType: {
              resettlement: 1300,
              humanitarian_admission: 0,
              emergency_admission: 0,
            },
          },
        ]}
        nameOf={(code) => (code === 'DE' ? 'Germany' : code)}
        csvFileName="contributions"
      />,
    );
    const table = screen.getByRole('table', { name: 'Contributions' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((header) => header.textContent);
    expect(headers).toEqual([
      'Member State',
      'Resettlement',
      'Humanitarian admission',
      'Emergency admission',
      'Total',
    ]);
    const totalRow = within(table).getByRole('rowheader', { name: 'Total' }).closest('tr');
    expect(
      within(totalRow as HTMLElement)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['1,800', '200', '50', '2,050']);
    const shareRow = within(table)
      .getByRole('rowheader', { name: 'Share of the total' })
      .closest('tr');
    expect(
      within(shareRow as HTMLElement)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['87.8%', '9.8%', '2.4%', '100%']);
    expect(within(table).getByRole('rowheader', { name: 'Germany (DE)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download CSV of contributions.csv' })).toBeTruthy();
  });
});

describe('the adoption editor', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  function adoptedAnswer(request: Request): Promise<{ body: Plan }> {
    return request.json().then(() => ({
      body: proposedPlan({ status: 'adopted', version: 8, position: 45 }),
    }));
  }

  it('starts from the proposal, sends the edited figures, the added line and the removed Member State, with If-Match', async () => {
    const bodies: unknown[] = [];
    server = stubFetch({
      ...REFERENCE_ROUTES,
      'POST /api/v1/plans/2028-2029/adoption': async (request) => {
        bodies.push(await request.clone().json());
        return adoptedAnswer(request);
      },
    });
    const recorded = jest.fn();
    renderScreen(<AdoptionForm plan={proposedPlan()} onRecorded={recorded} />, {
      session: COMMISSION_OFFICIAL,
    });

    const germanResettlement = await screen.findByRole<HTMLInputElement>('textbox', {
      name: 'DE, line 1: persons',
    });
    expect(germanResettlement.value).toBe('500');
    expect(
      screen.getByRole<HTMLInputElement>('textbox', { name: 'FR, line 1: persons' }).value,
    ).toBe('350');
    expect(screen.getByText(/1,150 persons/, { selector: 'strong' })).toBeTruthy();

    await user.clear(germanResettlement);
    await user.type(germanResettlement, '450');
    await user.click(screen.getByRole('button', { name: 'Remove SE from the plan' }));
    expect(screen.getByText(/SE/, { selector: 'strong' }).closest('p')?.textContent).toContain(
      'out of the plan',
    );
    expect(screen.getByText(/1,000 persons/, { selector: 'strong' })).toBeTruthy();

    // The Council added places in Egypt to France's contribution: a new line, as ministries add.
    await user.click(screen.getByRole('button', { name: 'Add a line to FR' }));
    expect(document.activeElement).toBe(
      screen.getByRole('combobox', { name: 'FR, line 2: admission type' }),
    );
    const host = screen.getByRole('combobox', { name: 'FR, line 2: host country' });
    await user.click(host);
    await user.type(host, 'egy');
    await user.keyboard('{ArrowDown}{Enter}');
    await user.type(screen.getByRole('textbox', { name: 'FR, line 2: persons' }), '40');
    expect(screen.getByRole('table', { name: 'FR: 390 persons (was 350)' })).toBeTruthy();
    expect(screen.getByText(/1,040 persons/, { selector: 'strong' })).toBeTruthy();

    await user.type(
      screen.getByLabelText(/Act reference/),
      'Council Implementing Decision (EU) 2027/99',
    );
    await user.type(screen.getByLabelText('Date of adoption'), '2027-12-10');
    await user.click(screen.getByRole('button', { name: 'Record the adoption…' }));

    const dialog = screen.getByRole('dialog', { name: 'Record the adoption of 2028-2029?' });
    expect(dialog.textContent).toContain(
      'adopts 1,040 persons from 2 Member States (proposal: 1,150)',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Record the adoption' }));

    await waitFor(() =>
      expect(recorded).toHaveBeenCalledWith('Adoption recorded', expect.anything()),
    );
    expect(bodies).toEqual([
      {
        actReference: 'Council Implementing Decision (EU) 2027/99',
        adoptedOn: '2027-12-10',
        contributions: [
          {
            memberState: 'DE',
            lines: [
              { admissionType: 'resettlement', hostCountry: 'TR', persons: 450 },
              { admissionType: 'humanitarian_admission', hostCountry: 'EG', persons: 200 },
            ],
          },
          {
            memberState: 'FR',
            lines: [
              { admissionType: 'resettlement', hostCountry: 'LB', persons: 350 },
              { admissionType: 'resettlement', hostCountry: 'EG', persons: 40 },
            ],
          },
        ],
      },
    ]);
    expect(
      server.requests.find((request) => request.method === 'POST')?.headers.get('If-Match'),
    ).toBe('"7"');
  });

  it('adds a Member State the proposal did not include, with one line, its first field focused', async () => {
    const bodies: unknown[] = [];
    server = stubFetch({
      ...REFERENCE_ROUTES,
      ...MEMBER_STATES_ROUTE,
      'POST /api/v1/plans/2028-2029/adoption': async (request) => {
        bodies.push(await request.clone().json());
        return adoptedAnswer(request);
      },
    });
    renderScreen(<AdoptionForm plan={proposedPlan()} onRecorded={jest.fn()} />, {
      session: COMMISSION_OFFICIAL,
    });

    // Offered: the bound Member States not yet listed; not Denmark, not an associated state.
    const picker = await screen.findByRole<HTMLSelectElement>('combobox', {
      name: 'Member State to add',
    });
    expect(Array.from(picker.options, (option) => option.textContent)).toEqual([
      'Italy (IT)',
      'Portugal (PT)',
    ]);
    await user.selectOptions(picker, 'PT');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(document.activeElement).toBe(
      screen.getByRole('combobox', { name: 'PT, line 1: admission type' }),
    );
    expect(Array.from(picker.options, (option) => option.value)).toEqual(['IT']);

    const host = screen.getByRole('combobox', { name: 'PT, line 1: host country' });
    await user.click(host);
    await user.type(host, 'egy');
    await user.keyboard('{ArrowDown}{Enter}');
    await user.type(screen.getByRole('textbox', { name: 'PT, line 1: persons' }), '80');
    expect(screen.getByRole('table', { name: 'PT: 80 persons (added)' })).toBeTruthy();
    expect(screen.getByText(/1,230 persons/, { selector: 'strong' })).toBeTruthy();

    await user.type(screen.getByLabelText(/Act reference/), 'Decision 2');
    await user.type(screen.getByLabelText('Date of adoption'), '2027-12-10');
    await user.click(screen.getByRole('button', { name: 'Record the adoption…' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('adopts 1,230 persons from 4 Member States');
    await user.click(within(dialog).getByRole('button', { name: 'Record the adoption' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({
      actReference: 'Decision 2',
      adoptedOn: '2027-12-10',
      contributions: [
        ...(proposedPlan().proposal?.contributions ?? []).map(({ memberState, lines }) => ({
          memberState,
          lines,
        })),
        {
          memberState: 'PT',
          lines: [{ admissionType: 'resettlement', hostCountry: 'EG', persons: 80 }],
        },
      ],
    });
  });

  it('drops an added Member State again, back to the picker, and shows a refusal at it', async () => {
    server = stubFetch({
      ...REFERENCE_ROUTES,
      ...MEMBER_STATES_ROUTE,
      'POST /api/v1/plans/2028-2029/adoption': invalidAdoption([
        {
          code: 'not_participating',
          path: 'contributions.3.memberState',
          message: 'IT does not take part',
        },
        { code: 'too_small', path: 'contributions.3.lines.0.persons', message: 'At least 1' },
      ]),
    });
    renderScreen(<AdoptionForm plan={proposedPlan()} onRecorded={jest.fn()} />, {
      session: COMMISSION_OFFICIAL,
    });
    const picker = await screen.findByRole<HTMLSelectElement>('combobox', {
      name: 'Member State to add',
    });
    await user.click(screen.getByRole('button', { name: 'Add' }));
    await user.click(screen.getByRole('button', { name: 'Remove IT from the plan' }));
    expect(screen.queryByRole('table', { name: /^IT:/ })).toBeNull();
    expect(screen.queryByText(/IT/, { selector: 'strong' })).toBeNull();
    expect(document.activeElement).toBe(picker);
    expect(picker.value).toBe('IT');

    await user.click(screen.getByRole('button', { name: 'Add' }));
    await user.click(screen.getByRole('button', { name: 'Record the adoption…' }));
    await user.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Record the adoption' }),
    );
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('link', { name: 'IT: IT does not take part' })).toBeTruthy();
    const persons = screen.getByRole('textbox', { name: 'IT, line 1: persons' });
    expect(persons.getAttribute('aria-invalid')).toBe('true');
    expect(
      screen
        .getByRole('table', { name: 'IT: 0 persons (added)' })
        .closest('.contributions-editor__member-state')?.textContent,
    ).toContain('IT does not take part');
  });

  it('names no contributions when the Council adopted the proposal unchanged', async () => {
    const bodies: unknown[] = [];
    server = stubFetch({
      ...REFERENCE_ROUTES,
      'POST /api/v1/plans/2028-2029/adoption': async (request) => {
        bodies.push(await request.clone().json());
        return adoptedAnswer(request);
      },
    });
    renderScreen(<AdoptionForm plan={proposedPlan()} onRecorded={jest.fn()} />, {
      session: COMMISSION_OFFICIAL,
    });
    await screen.findByRole('textbox', { name: 'DE, line 1: persons' });
    await user.type(screen.getByLabelText(/Act reference/), 'Decision 1');
    await user.type(screen.getByLabelText('Date of adoption'), '2027-12-10');
    await user.click(screen.getByRole('button', { name: 'Record the adoption…' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('as proposed');
    await user.click(within(dialog).getByRole('button', { name: 'Record the adoption' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ actReference: 'Decision 1', adoptedOn: '2027-12-10' });
  });

  it("puts the server's refusal beside the persons it names", async () => {
    server = stubFetch({
      ...REFERENCE_ROUTES,
      'POST /api/v1/plans/2028-2029/adoption': invalidAdoption([
        {
          code: 'too_small',
          path: 'contributions.1.lines.0.persons',
          message: 'At least 1 person',
        },
        { code: 'invalid_date', path: 'adoptedOn', message: 'Not a date' },
      ]),
    });
    renderScreen(<AdoptionForm plan={proposedPlan()} onRecorded={jest.fn()} />, {
      session: COMMISSION_OFFICIAL,
    });
    await user.click(screen.getByRole('button', { name: 'Record the adoption…' }));
    await user.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Record the adoption' }),
    );
    const alert = await screen.findByRole('alert');
    expect(
      within(alert).getByRole('link', { name: 'FR, line 1: persons: At least 1 person' }),
    ).toBeTruthy();
    expect(within(alert).getByRole('link', { name: 'Date of adoption: Not a date' })).toBeTruthy();
    const french = screen.getByRole('textbox', { name: 'FR, line 1: persons' });
    expect(french.getAttribute('aria-invalid')).toBe('true');
    expect(
      document.getElementById(french.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toContain('At least 1 person');
    expect(screen.getByLabelText('Date of adoption').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('the amendment editor', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  /** The plan as adopted: the proposal's DE, FR and SE unchanged. */
  function adoptedPlan(): Plan {
    const proposal = proposedPlan().proposal;
    const contributions = proposal?.contributions ?? [];
    return proposedPlan({
      status: 'adopted',
      adoption: {
        actReference: 'Decision 1',
        adoptedOn: '2027-12-10',
        total: 1150,
        contributions,
        associatedStates: [],
        position: 45,
        recordedAt: '2027-12-10T10:00:00.000Z',
      },
      adoptedContributions: contributions,
      adoptedTotal: 1150,
      version: 8,
    });
  }

  it('sends a Member State the adopted plan did not have as a changed contribution', async () => {
    const bodies: unknown[] = [];
    server = stubFetch({
      ...REFERENCE_ROUTES,
      ...MEMBER_STATES_ROUTE,
      'POST /api/v1/plans/2028-2029/amendments': async (request) => {
        bodies.push(await request.clone().json());
        return { body: adoptedPlan() };
      },
    });
    renderScreen(<AmendmentForm plan={adoptedPlan()} onRecorded={jest.fn()} pledges={[]} />, {
      session: COMMISSION_OFFICIAL,
    });
    await user.click(screen.getByText('Change other contributions (optional)'));
    const picker = await screen.findByRole('combobox', { name: 'Member State to add' });
    await user.selectOptions(picker, 'IT');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(document.activeElement).toBe(
      screen.getByRole('combobox', { name: 'IT, line 1: admission type' }),
    );
    const host = screen.getByRole('combobox', { name: 'IT, line 1: host country' });
    await user.click(host);
    await user.type(host, 'leb');
    await user.keyboard('{ArrowDown}{Enter}');
    await user.type(screen.getByRole('textbox', { name: 'IT, line 1: persons' }), '60');

    await user.type(screen.getByLabelText('Act reference'), 'Decision 3');
    await user.type(screen.getByLabelText('Date of the amendment'), '2028-03-01');
    await user.type(screen.getByLabelText(/^Reason/), 'Italy joins the plan');
    await user.click(screen.getByRole('button', { name: 'Record the amendment…' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('changes the contributions of IT');
    await user.click(within(dialog).getByRole('button', { name: 'Record the amendment' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({
      actReference: 'Decision 3',
      adoptedOn: '2028-03-01',
      reason: 'Italy joins the plan',
      contributions: [
        {
          memberState: 'IT',
          lines: [{ admissionType: 'resettlement', hostCountry: 'LB', persons: 60 }],
        },
      ],
    });
  });
});

describe('the plan lifecycle page', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it('shows the stage, asks before closing pledging, and shows what the server recorded', async () => {
    let plan = proposedPlan({
      status: 'pledging_open',
      proposal: undefined,
      version: 3,
      position: 20,
    });
    server = stubFetch({
      'GET /api/v1/plans/2028-2029': () => ({ body: plan }),
      'GET /api/v1/plans/2028-2029/pledges': {
        body: {
          planId: '2028-2029',
          asOfPosition: 20,
          pledges: [
            {
              planId: '2028-2029',
              memberState: 'DE',
              participantKind: 'member_state',
              status: 'active',
              version: 1,
              lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 500 }],
              total: 500,
              byAdmissionType: {
                resettlement: 500,
                humanitarian_admission: 0,
                emergency_admission: 0,
              },
              planStatusAtLastChange: 'pledging_open',
              afterAdoption: false,
              pendingAmendment: false,
              submittedAt: '2027-02-01T10:00:00.000Z',
              updatedAt: '2027-02-01T10:00:00.000Z',
            },
          ],
          associatedStates: [],
        },
      },
      'POST /api/v1/plans/2028-2029/pledging/close': () => {
        plan = { ...plan, status: 'pledging_closed', version: 4, position: 23 };
        return { body: plan };
      },
    });
    renderScreen(<PlanPage />, {
      session: COMMISSION_OFFICIAL,
      url: '/commission/plans/2028-2029',
      path: '/commission/plans/:planId',
    });

    await screen.findByRole('heading', { level: 1, name: 'Plan 2028-2029' });
    const stepper = await screen.findByRole('list', { name: 'Stages of the plan' });
    const current = within(stepper)
      .getAllByRole('listitem')
      .find((item) => item.getAttribute('aria-current') === 'step');
    expect(current?.textContent).toContain('Pledging open');
    expect(await screen.findByRole('table', { name: "Member States' pledges" })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Close pledging…' }));
    const dialog = screen.getByRole('dialog', { name: 'Close pledging for 2028-2029?' });
    await user.click(within(dialog).getByRole('button', { name: 'Close pledging' }));

    const answer = await screen.findByText(/Pledging closed\./);
    expect(answer.closest('[role="status"]')?.textContent).toMatch(
      /version 4, recorded at log position 23/,
    );
    expect(server.requests.find((r) => r.method === 'POST')?.headers.get('If-Match')).toBe('"3"');
    expect(
      await screen.findByRole('heading', { name: "Record the Commission's proposal" }),
    ).toBeTruthy();
  });
});

describe('creating a plan', () => {
  let server: FetchStub;
  afterEach(() => server.restore());

  it('shows every 422 message at its field, the list entries at their list', async () => {
    server = stubFetch({
      'GET /api/v1/reference/host-countries': {
        body: {
          hostCountries: [
            { code: 'TR', name: 'Türkiye', unhcrRegion: 'europe' },
            { code: 'LB', name: 'Lebanon', unhcrRegion: 'middle_east_north_africa' },
          ],
        },
      },
      'GET /api/v1/reference/regions': {
        body: {
          regions: [
            { id: 'europe', name: 'Europe' },
            { id: 'middle_east_north_africa', name: 'Middle East and North Africa' },
          ],
        },
      },
      'POST /api/v1/plans': {
        status: 422,
        body: {
          type: 'urn:pledge-tracker:problem:invalid_plan_period',
          title: 'The plan is not valid',
          status: 422,
          detail: 'Two problems.',
          instance: '/api/v1/plans',
          code: 'invalid_plan_period',
          errors: [
            {
              code: 'invalid_plan_period',
              path: 'periodEnd',
              message: 'The period ends before it starts',
            },
            {
              code: 'unknown_host_country',
              path: 'priorityCountries.1',
              message: 'XX is not a known host country',
            },
          ],
        },
      },
    });
    renderScreen(<CreatePlanForm />, { session: COMMISSION_OFFICIAL });
    await user.type(screen.getByLabelText('Plan id'), '2028-2029');
    await user.type(screen.getByLabelText('Search by name or code'), 'leb');
    await user.click(await screen.findByRole('checkbox', { name: /Lebanon \(LB\)/ }));
    await user.click(screen.getByRole('checkbox', { name: 'Middle East and North Africa' }));
    await user.click(screen.getByRole('button', { name: 'Create the plan' }));

    const alert = await screen.findByRole('alert');
    expect(
      within(alert).getByRole('link', { name: 'Period end: The period ends before it starts' }),
    ).toBeTruthy();
    expect(
      within(alert).getByRole('link', {
        name: 'Priority host countries: XX is not a known host country',
      }),
    ).toBeTruthy();
    expect(screen.getByLabelText('Period end').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Search by name or code').getAttribute('aria-invalid')).toBe(
      'true',
    );
    const sent: unknown = await server.requests.find((r) => r.method === 'POST')?.json();
    expect(sent).toMatchObject({
      planId: '2028-2029',
      resettlementFloorPercent: 60,
      priorityCountries: ['LB'],
      priorityRegions: ['middle_east_north_africa'],
      regions: [],
    });
  });
});
