import type { RecordedEvent } from '../../src/eventStore/port';
import { storageUsage, storedBytesOf } from '../../src/projections';
import { createEventLog, fold, resettlement } from './builders';

const bytesOf = (event: RecordedEvent): number =>
  Buffer.byteLength(JSON.stringify(event.data), 'utf8');

describe('storageUsage: bytes each participant’s pledge streams hold', () => {
  it('sums the serialized data of every pledge event per participant, across plans', () => {
    const first = createEventLog();
    first.planCreated();
    first.pledgingOpened();
    const submitted = first.pledgeSubmitted('DE', [resettlement('TR', 100)]);
    const revised = first.pledgeRevised('DE', [resettlement('TR', 120)], 'Capacity rose');
    const french = first.pledgeSubmitted('FR', [resettlement('LB', 40)]);
    const withdrawn = first.pledgeWithdrawn('DE', 'Budget cut');
    // Another plan's log, numbered on from the first: the quota spans every plan.
    const second = createEventLog({ planId: '2028-2029', start: '2027-09-01T08:00:00.000Z' });
    second.planCreated({ planId: '2028-2029', periodStart: '2028-01-01', periodEnd: '2029-12-31' });
    second.pledgingOpened();
    const later = second.pledgeSubmitted('DE', [resettlement('TR', 70)]);
    const events = [
      ...first.events,
      ...second.events.map((event, index) => ({
        ...event,
        globalPosition: first.events.length + index + 1,
      })),
    ];

    const state = fold(storageUsage, events);

    expect(storedBytesOf(state, 'DE')).toBe(
      bytesOf(submitted) + bytesOf(revised) + bytesOf(withdrawn) + bytesOf(later),
    );
    expect(storedBytesOf(state, 'FR')).toBe(bytesOf(french));
    // Plan events are the Commission's, counted against no Member State.
    expect([...state.bytesByMemberState.keys()].sort()).toEqual(['DE', 'FR']);
    expect(storedBytesOf(state, 'NL')).toBe(0);
  });

  it('counts bytes, not characters: a note in Greek weighs twice its length', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    const note = 'Οικογένειες';
    const event = log.pledgeSubmitted('EL', [resettlement('TR', 10, { note })]);

    const state = fold(storageUsage, log.events);

    expect(storedBytesOf(state, 'EL')).toBe(bytesOf(event));
    expect(storedBytesOf(state, 'EL')).toBe(JSON.stringify(event.data).length + note.length);
  });

  it('applies an event at or below its position once only', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    const submitted = log.pledgeSubmitted('DE', [resettlement('TR', 100)]);

    const state = fold(storageUsage, [...log.events, submitted]);

    expect(storedBytesOf(state, 'DE')).toBe(bytesOf(submitted));
  });
});
