/** @jest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { fieldProps, fieldErrors, type Problem } from '../../../web/src/api/problems';
import { ConfirmDialog } from '../../../web/src/components/ConfirmDialog';
import { DataTable } from '../../../web/src/components/DataTable';
import { FieldError } from '../../../web/src/components/FieldError';
import { ProblemAlert } from '../../../web/src/components/ProblemAlert';

interface PledgeRow {
  readonly memberState: string;
  readonly persons: number;
}

describe('DataTable', () => {
  it('renders a captioned table with scoped headers and grouped numbers', () => {
    render(
      <DataTable<PledgeRow>
        caption="Pledges by Member State"
        columns={[
          { key: 'ms', header: 'Member State', value: (row) => row.memberState, rowHeader: true },
          { key: 'persons', header: 'Persons', value: (row) => row.persons, numeric: true },
        ]}
        rows={[
          { memberState: 'DE', persons: 12000 },
          { memberState: 'FR', persons: 800 },
        ]}
        rowKey={(row) => row.memberState}
        csvFileName="Pledges"
      />,
    );
    const table = screen.getByRole('table', { name: 'Pledges by Member State' });
    expect(within(table).getByRole('columnheader', { name: 'Persons' })).toBeTruthy();
    expect(within(table).getByRole('rowheader', { name: 'DE' })).toBeTruthy();
    expect(within(table).getByRole('cell', { name: '12,000' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download CSV of pledges.csv' })).toBeTruthy();
  });
});

describe('ProblemAlert and FieldError', () => {
  const problem: Problem = {
    type: 'urn:pledge-tracker:problem:invalid_pledge_line',
    title: 'The pledge is not valid',
    status: 422,
    detail: 'Two lines need attention.',
    instance: '/api/v1/plans/p/pledges/DE',
    code: 'invalid_pledge_line',
    errors: [
      { code: 'too_small', path: 'lines.0.persons', message: 'At least 1 person' },
      { code: 'unknown_host_country', path: 'lines.1.hostCountry', message: 'Unknown country' },
    ],
  };

  it('lists every message, each linking to the field its path names, and focuses itself', () => {
    const errors = fieldErrors(problem);
    render(
      <>
        <ProblemAlert problem={problem} labels={{ 'lines.0.persons': 'Line 1, persons' }} />
        <label>
          Persons <input {...fieldProps('lines.0.persons', errors)} />
        </label>
        <FieldError path="lines.0.persons" errors={errors} />
      </>,
    );
    const alert = screen.getByRole('alert');
    expect(document.activeElement).toBe(alert);
    const link = within(alert).getByRole('link', { name: 'Line 1, persons: At least 1 person' });
    expect(link.getAttribute('href')).toBe('#field-lines-0-persons');
    const input = screen.getByRole('textbox', { name: 'Persons' });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('field-lines-0-persons-error');
    expect(document.getElementById('field-lines-0-persons-error')?.textContent).toContain(
      'At least 1 person',
    );
  });
});

describe('ConfirmDialog', () => {
  function Harness({ onConfirm }: { readonly onConfirm: () => void }) {
    const [open, setOpen] = useState(false);
    return (
      <>
        <button type="button" onClick={() => setOpen(true)}>
          Withdraw pledge
        </button>
        <ConfirmDialog
          open={open}
          title="Withdraw the pledge?"
          confirmLabel="Withdraw"
          destructive
          onConfirm={() => {
            onConfirm();
            setOpen(false);
          }}
          onCancel={() => setOpen(false)}
        >
          The Commission sees the withdrawal at once.
        </ConfirmDialog>
      </>
    );
  }

  it('starts on Cancel, confirms on request, and gives focus back', async () => {
    const user = userEvent.setup();
    const onConfirm = jest.fn();
    render(<Harness onConfirm={onConfirm} />);
    const opener = screen.getByRole('button', { name: 'Withdraw pledge' });
    await user.click(opener);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Withdraw' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(opener);
  });
});
