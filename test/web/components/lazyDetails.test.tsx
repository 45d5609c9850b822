/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { LazyDetails } from '../../../web/src/components/LazyDetails';

function Field() {
  const [value, setValue] = useState('');
  return (
    <label>
      Note
      <input value={value} onChange={(event) => setValue(event.target.value)} />
    </label>
  );
}

describe('LazyDetails', () => {
  it('renders its content only once opened, then keeps it and what was typed', async () => {
    const user = userEvent.setup();
    render(
      <LazyDetails summary="Change other contributions">
        <Field />
      </LazyDetails>,
    );
    expect(screen.queryByLabelText('Note')).toBeNull();

    const summary = screen.getByText('Change other contributions');
    await user.click(summary);
    await user.type(await screen.findByLabelText('Note'), 'kept');
    await user.click(summary);
    expect(summary.closest('details')?.open).toBe(false);
    expect(screen.getByLabelText<HTMLInputElement>('Note').value).toBe('kept');
  });

  it('opens with its content rendered when told to, as for an error inside', () => {
    const { rerender } = render(
      <LazyDetails summary="Lines">
        <Field />
      </LazyDetails>,
    );
    expect(screen.queryByLabelText('Note')).toBeNull();
    rerender(
      <LazyDetails summary="Lines" open>
        <Field />
      </LazyDetails>,
    );
    expect(screen.getByLabelText('Note')).toBeTruthy();
    expect(screen.getByText('Lines').closest('details')?.open).toBe(true);
  });
});
