import {
  formatCount,
  formatDate,
  formatDateTime,
  formatInstantLong,
  formatEuros,
  formatMonth,
  formatOneDecimal,
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
    expect(formatInstantLong(new Date('2026-11-30T10:05:09.900Z'))).toBe(
      '30 November 2026, 10:05:09 UTC',
    );
    expect(formatInstantLong(new Date('2027-02-01T23:00:00+01:00'))).toBe(
      '1 February 2027, 22:00:00 UTC',
    );
    expect(formatDate('not a date')).toBe('not a date');
  });
});

/*
 * The formatters are written out instead of going through `Intl` (whose first use costs a page
 * its locale data): they must read exactly as the `Intl` formatters they replace.
 */
describe('the written-out formatters read as Intl does (en-GB, UTC)', () => {
  const count = new Intl.NumberFormat('en-GB');
  const oneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  const month = new Intl.DateTimeFormat('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

  /** A fixed pseudo-random sequence, so a failure names a value that fails again. */
  function* numbers(): Generator<number> {
    const edges = [
      0,
      -0,
      1,
      -1,
      999,
      1000,
      -1000,
      999_999,
      1_000_000,
      0.05,
      0.15,
      0.25,
      0.35,
      1.45,
      2.5,
      -2.5,
      42.25,
      59.95,
      99.95,
      0.0005,
      1.0005,
      123.4565,
      2 ** 53,
      1e20,
      9.99e20,
      Number.MAX_SAFE_INTEGER,
      -123_456.789,
    ];
    yield* edges;
    let seed = 20261130;
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const scale = 10 ** ((seed % 9) - 2);
      yield ((seed / 2 ** 31) * 2 - 0.5) * scale * 1000;
      yield Math.round((seed / 2 ** 31) * 10 ** (seed % 10));
    }
  }

  it('counts, euros and percentages', () => {
    for (const value of numbers()) {
      expect([value, formatCount(value)]).toEqual([value, count.format(value)]);
      expect([value, formatEuros(value)]).toEqual([value, `EUR ${count.format(value)}`]);
      expect([value, formatPercent(value)]).toEqual([value, `${oneDecimal.format(value)}%`]);
      expect([value, formatOneDecimal(value)]).toEqual([value, oneDecimal.format(value)]);
    }
  });

  it('dates, instants and report months, every day over decades and every minute of a day', () => {
    const day = 24 * 60 * 60 * 1000;
    const start = Date.UTC(1999, 0, 1);
    for (let at = start; at < Date.UTC(2041, 0, 1); at += day + 37 * 60 * 1000) {
      const instant = new Date(at).toISOString();
      expect(formatDate(instant)).toBe(date.format(new Date(at)));
      expect(formatDateTime(instant)).toBe(`${dateTime.format(new Date(at))} UTC`);
      const reportMonth = instant.slice(0, 7);
      expect(formatMonth(reportMonth)).toBe(month.format(new Date(`${reportMonth}-01T00:00:00Z`)));
    }
    for (let minute = 0; minute < 24 * 60; minute++) {
      const at = Date.UTC(2026, 10, 30) + minute * 60_000 + 59_999;
      expect(formatDateTime(new Date(at).toISOString())).toBe(
        `${dateTime.format(new Date(at))} UTC`,
      );
    }
    expect(formatDate('2026-03-01')).toBe('1 March 2026');
    expect(formatMonth('2026-13')).toBe('2026-13');
    expect(formatMonth('March')).toBe('March');
  });
});
