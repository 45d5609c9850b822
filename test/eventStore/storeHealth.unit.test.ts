import { assertContiguous } from '../../src/eventStore/adapterRules';
import {
  ConcurrencyConflictError,
  StoreUnavailableError,
  StreamIntegrityError,
  type StoreProblem,
} from '../../src/eventStore/port';
import { StoreHealthMonitor } from '../../src/eventStore/storeHealth';

const START = Date.parse('2026-05-04T10:00:00.000Z');

function aMonitor() {
  let now = START;
  const reported: StoreProblem[] = [];
  const monitor = new StoreHealthMonitor({
    now: () => now,
    onProblem: (problem) => reported.push(problem),
  });
  return {
    monitor,
    reported,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

const diskFull = () =>
  new StoreUnavailableError('full', 'SQLITE_FULL', 'SQLite store x.db: append failed');
const corrupted = () =>
  new StoreUnavailableError('corrupted', 'SQLITE_CORRUPT', 'database disk image is malformed');

describe('StoreHealthMonitor', () => {
  it('is healthy while the store answers and no failure was seen', () => {
    const { monitor } = aMonitor();

    expect(monitor.health(true)).toEqual({ ok: true, answering: true });
    expect(monitor.health(false)).toEqual({ ok: false, answering: false });
  });

  it('reports a new failure once, however often it recurs while it lasts', () => {
    const { monitor, reported, advance } = aMonitor();

    monitor.noteFailure(diskFull());
    advance(10);
    monitor.noteFailure(diskFull());

    expect(reported).toEqual([
      {
        kind: 'full',
        code: 'SQLITE_FULL',
        message: 'SQLite store x.db: append failed',
        firstSeenAt: '2026-05-04T10:00:00.000Z',
        lastSeenAt: '2026-05-04T10:00:00.000Z',
        occurrences: 1,
        active: true,
      },
    ]);
    expect(monitor.health(true)).toEqual({
      ok: false,
      answering: true,
      problem: expect.objectContaining({
        code: 'SQLITE_FULL',
        lastSeenAt: '2026-05-04T10:00:10.000Z',
        occurrences: 2,
        active: true,
      }),
    });
  });

  it('reports a failure of another code as new', () => {
    const { monitor, reported } = aMonitor();

    monitor.noteFailure(diskFull());
    monitor.noteFailure(corrupted());

    expect(reported.map((problem) => problem.code)).toEqual(['SQLITE_FULL', 'SQLITE_CORRUPT']);
    expect(monitor.health(true).problem?.kind).toBe('corrupted');
  });

  it('lets a passing failure end its retry time after it was last seen, keeping it on record', () => {
    const { monitor, reported, advance } = aMonitor();
    monitor.noteFailure(diskFull());

    advance(59);
    expect(monitor.health(true).ok).toBe(false);
    advance(1);
    expect(monitor.health(true)).toEqual({
      ok: true,
      answering: true,
      problem: expect.objectContaining({ code: 'SQLITE_FULL', active: false }),
    });

    monitor.noteFailure(diskFull());
    expect(reported).toHaveLength(2);
    expect(monitor.health(true).ok).toBe(false);
  });

  it('ends a passing failure when an append succeeds', () => {
    const { monitor } = aMonitor();
    monitor.noteFailure(new StoreUnavailableError('busy', 'SQLITE_BUSY', 'database is locked'));

    monitor.noteAppendSucceeded();

    expect(monitor.health(true)).toMatchObject({ ok: true, problem: { active: false } });
  });

  it('keeps corruption and broken streams active until the store is reopened', () => {
    const { monitor, advance } = aMonitor();
    monitor.noteFailure(corrupted());
    monitor.noteAppendSucceeded();
    advance(24 * 3600);
    expect(monitor.health(true)).toMatchObject({ ok: false, problem: { active: true } });

    const broken = aMonitor();
    broken.monitor.noteFailure(new StreamIntegrityError('pledge-1', 3, 4));
    broken.advance(24 * 3600);
    expect(broken.monitor.health(true)).toMatchObject({
      ok: false,
      problem: {
        kind: 'integrity',
        code: 'STREAM_VERSION_GAP',
        message: expect.stringContaining('pledge-1') as unknown,
        active: true,
      },
    });
  });

  it('ignores errors that are not the store’s', () => {
    const { monitor, reported } = aMonitor();

    monitor.noteFailure(new ConcurrencyConflictError('pledge-1', 1, 2));
    monitor.noteFailure(new RangeError('fromVersion must be a non-negative integer'));

    expect(reported).toEqual([]);
    expect(monitor.health(true)).toEqual({ ok: true, answering: true });
  });
});

describe('assertContiguous', () => {
  const versions = (...numbers: number[]) => numbers.map((streamVersion) => ({ streamVersion }));

  it('accepts the versions right after fromVersion, in order, and an empty read', () => {
    expect(() => assertContiguous('pledge-1', 0, versions(1, 2, 3))).not.toThrow();
    expect(() => assertContiguous('pledge-1', 2, versions(3, 4))).not.toThrow();
    expect(() => assertContiguous('pledge-1', 5, [])).not.toThrow();
  });

  it('refuses a gap, naming the stream and the versions', () => {
    const read = () => assertContiguous('pledge-1', 0, versions(1, 2, 4));

    expect(read).toThrow(StreamIntegrityError);
    expect(read).toThrow(
      'Stream pledge-1 is not contiguous: expected version 3, found 4 (a version is missing)',
    );
    expect(() => assertContiguous('pledge-1', 2, versions(4))).toThrow(/expected version 3/);
  });

  it('refuses a repeated version', () => {
    let error: unknown;
    try {
      assertContiguous('pledge-1', 0, versions(1, 2, 2));
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(StreamIntegrityError);
    expect(error).toMatchObject({
      streamId: 'pledge-1',
      expectedVersion: 3,
      foundVersion: 2,
      code: 'STREAM_VERSION_REPEATED',
    });
  });
});
