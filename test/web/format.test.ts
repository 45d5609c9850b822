import {
  formatCount,
  formatDate,
  formatDateTime,
  formatEuros,
  formatPercent,
} from '../../web/src/lib/format';

describe('figures and dates on screen', () => {
  it('groups counts and rounds percentages to one decimal', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatPercent(42.25)).toBe('42.3%');
    expect(formatPercent(60)).toBe('60%');
  });

  it('writes euros one way on every screen', () => {
    expect(formatEuros(1136000)).toBe('EUR 1,136,000');
  });

  it('shows dates as the UTC calendar day, instants in UTC, and leaves unreadable input alone', () => {
    expect(formatDate('2026-11-30')).toBe('30 November 2026');
    expect(formatDateTime('2026-11-30T10:05:00Z')).toBe('30 Nov 2026, 10:05 UTC');
    expect(formatDate('not a date')).toBe('not a date');
  });
});
