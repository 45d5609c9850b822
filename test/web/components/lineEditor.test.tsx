/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { fieldErrors } from '../../../web/src/api/problems';
import {
  emptyLine,
  LineEditor,
  problemForEditor,
  toPledgeLines,
  type LineDraft,
} from '../../../web/src/components/lines';
import { problem, REFERENCE } from './lineEditorFixtures';

// Each test clicks and types through a whole screen: a busy machine needs more than 5 s.
jest.setTimeout(20_000);

/** The editor with its lines in state, as a screen holds them; the latest lines are exposed. */
function renderEditor(initial: LineDraft[] = [emptyLine()], errors = {}) {
  const latest: { lines: LineDraft[] } = { lines: initial };
  function Harness() {
    const [lines, setLines] = useState(initial);
    latest.lines = lines;
    return <LineEditor lines={lines} onChange={setLines} errors={errors} reference={REFERENCE} />;
  }
  render(<Harness />);
  return latest;
}

describe('the line editor', () => {
  it('adds and removes lines, each labelled with its line, the focus following', async () => {
    const user = userEvent.setup({ delay: null });
    const latest = renderEditor();
    await user.type(screen.getByRole('textbox', { name: 'Line 1: persons' }), '40');

    await user.click(screen.getByRole('button', { name: 'Add a line' }));
    expect(screen.getByRole('combobox', { name: 'Line 2: admission type' })).toBe(
      document.activeElement,
    );
    await user.type(screen.getByRole('textbox', { name: 'Line 2: persons' }), '25');
    expect(latest.lines).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Remove line 1' }));
    expect(latest.lines).toHaveLength(1);
    expect(screen.queryByRole('textbox', { name: 'Line 2: persons' })).toBeNull();
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Line 1: persons' }).value).toBe(
      '25',
    );
    expect(screen.getByRole('button', { name: 'Remove line 1' })).toBe(document.activeElement);

    await user.click(screen.getByRole('button', { name: 'Remove line 1' }));
    expect(screen.getByText('No lines yet. Add a line to start.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add a line' })).toBe(document.activeElement);
  });

  it('adds a line by keyboard alone', async () => {
    const user = userEvent.setup({ delay: null });
    const latest = renderEditor();
    screen.getByRole('button', { name: 'Add a line' }).focus();
    await user.keyboard('{Enter}');
    expect(latest.lines).toHaveLength(2);
    // Focus is in the new line: choose its type, then tab on to its host.
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Line 2: admission type' }),
      'humanitarian_admission',
    );
    expect(latest.lines[1]?.admissionType).toBe('humanitarian_admission');
  });

  it('switches the host between one country, several, a plan region, and none for emergencies', async () => {
    const user = userEvent.setup({ delay: null });
    const latest = renderEditor();
    expect(screen.getByRole('combobox', { name: 'Line 1: host country' })).toBeTruthy();
    expect(screen.queryByRole('radio', { name: /No host/ })).toBeNull();

    await user.click(screen.getByRole('radio', { name: 'Several countries' }));
    expect(screen.getByRole('combobox', { name: 'Line 1: host countries' })).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: 'A plan region' }));
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Line 1: plan region' }),
      'central_med',
    );
    expect(toPledgeLines(latest.lines)[0]).toMatchObject({ planRegion: 'central_med' });

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Line 1: admission type' }),
      'emergency_admission',
    );
    await user.click(screen.getByRole('radio', { name: /No host/ }));
    expect(screen.getByText(/Emergency places need no host/)).toBeTruthy();
    const [line] = toPledgeLines(latest.lines);
    expect(line?.planRegion).toBeUndefined();
    expect(line?.hostCountry).toBeUndefined();

    // Back to resettlement: a host is needed again.
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Line 1: admission type' }),
      'resettlement',
    );
    expect(screen.queryByRole('radio', { name: /No host/ })).toBeNull();
    expect(screen.getByRole<HTMLInputElement>('radio', { name: 'One country' }).checked).toBe(true);
  });

  it('asks an emergency line for its basis', async () => {
    const user = userEvent.setup({ delay: null });
    const latest = renderEditor();
    expect(screen.queryByRole('combobox', { name: 'Line 1: Emergency basis' })).toBeNull();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Line 1: admission type' }),
      'emergency_admission',
    );
    const basis = screen.getByRole('combobox', { name: 'Line 1: Emergency basis' });
    await user.selectOptions(basis, 'humanitarian_admission');
    expect(toPledgeLines(latest.lines)[0]).toMatchObject({
      admissionType: 'emergency_admission',
      emergencyBasis: 'humanitarian_admission',
    });
  });

  it('finds host countries by typing, grouped by UNHCR region, and chooses by keyboard', async () => {
    const user = userEvent.setup({ delay: null });
    const latest = renderEditor();
    const picker = screen.getByRole('combobox', { name: 'Line 1: host country' });
    await user.click(picker);
    const list = screen.getByRole('listbox', { name: 'Line 1: host country: countries' });
    expect(within(list).getAllByRole('group')).toHaveLength(4);
    expect(within(list).getByRole('group', { name: 'Middle East and North Africa' })).toBeTruthy();

    // Accents do not matter: "turk" finds Türkiye.
    await user.type(picker, 'turk');
    expect(
      within(list)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Türkiye (TR)']);
    await user.keyboard('{ArrowDown}');
    expect(picker.getAttribute('aria-activedescendant')).toBe(within(list).getByRole('option').id);
    await user.keyboard('{Enter}');
    expect(toPledgeLines(latest.lines)[0]).toMatchObject({ hostCountry: 'TR' });
    expect(picker.getAttribute('aria-expanded')).toBe('false');
    expect(
      within(screen.getByRole('list', { name: 'Line 1: host country: chosen' })).getByText(
        'Türkiye',
      ),
    ).toBeTruthy();

    // Several countries: Enter adds each, the list stays open; Escape closes it.
    await user.click(screen.getByRole('radio', { name: 'Several countries' }));
    const several = screen.getByRole('combobox', { name: 'Line 1: host countries' });
    await user.click(several);
    await user.type(several, 'ken');
    await user.keyboard('{ArrowDown}{Enter}');
    expect(several.getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{Escape}');
    expect(several.getAttribute('aria-expanded')).toBe('false');
    expect(toPledgeLines(latest.lines)[0]).toMatchObject({ hostCountries: ['TR', 'KE'] });

    await user.click(
      screen.getByRole('button', { name: 'Remove Türkiye from Line 1: host countries' }),
    );
    expect(toPledgeLines(latest.lines)[0]).toMatchObject({ hostCountries: ['KE'] });
  });

  it('shows every message at its field, invalid and described by it', () => {
    const refusal = problemForEditor(
      problem(422, 'invalid_pledge_line', [
        {
          path: 'lines.0.persons',
          message: 'Line 0: persons must be a whole number from 1 to 1000000',
        },
        { path: 'lines.1.hostCountries.0', message: 'Line 1: XX is not a known host country' },
        {
          path: 'lines.1',
          message: 'Lines 0 and 1 have the same admission type, host, year and basis; merge them',
        },
      ]),
    );
    renderEditor([emptyLine(), { ...emptyLine(), hostMode: 'countries' }], fieldErrors(refusal));

    const persons = screen.getByRole('textbox', { name: 'Line 1: persons' });
    expect(persons.getAttribute('aria-invalid')).toBe('true');
    const personsMessage = document.getElementById(persons.getAttribute('aria-describedby') ?? '');
    expect(personsMessage?.textContent).toBe(
      'Error: persons must be a whole number from 1 to 1000000',
    );

    const host = screen.getByRole('combobox', { name: 'Line 2: host countries' });
    expect(host.getAttribute('aria-invalid')).toBe('true');
    const hostMessages = (host.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '');
    expect(hostMessages).toContain('Error: XX is not a known host country');

    expect(screen.getByText(/Lines 1 and 2 have the same admission type/)).toBeTruthy();
    expect(
      screen.getByRole('textbox', { name: 'Line 2: persons' }).getAttribute('aria-invalid'),
    ).toBeNull();
  });
});
