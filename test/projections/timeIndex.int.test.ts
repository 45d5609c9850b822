/**
 * From an instant to a log position: the longest prefix of the log in which no event was recorded
 * after the instant, even when writers' clocks disagree, found through a sampled time index that
 * survives a restart from a snapshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type { RecordedEvent } from '../../src/eventStore/port';
import { ALL_PROJECTIONS, Projector, TIME_INDEX_EVERY } from '../../src/projections';
import { SqliteSnapshotStore } from '../../src/snapshots/sqliteSnapshotStore';
import { appendAll, createEventLog, resettlement, type EventLog } from './builders';

const T0 = Date.parse('2025-09-01T08:00:00.000Z');
const SECOND = 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Instants around a spread of events: every 23rd and those on either side of each sample of the
 * index, each a millisecond before, at and after the event's time.
 */
function instantsAround(times: readonly number[]): number[] {
  const picked = times.filter((_, index) => {
    const offset = (index + 1) % TIME_INDEX_EVERY;
    return index % 23 === 0 || offset <= 2 || offset >= TIME_INDEX_EVERY - 2;
  });
  return picked.flatMap((time) => [time - 1, time, time + 1]);
}

/** The cut by brute force: the longest prefix whose latest `recordedAt` is at or before `instant`. */
function prefixAsOf(events: readonly RecordedEvent[], instant: number): number {
  let position = 0;
  for (const event of events) {
    if (Date.parse(String(event.metadata['recordedAt'])) > instant) break;
    position = event.globalPosition;
  }
  return position;
}

async function caughtUp(events: readonly RecordedEvent[]) {
  const store = new InMemoryEventStore();
  await appendAll(store, events);
  const projector = new Projector(store, ALL_PROJECTIONS);
  await projector.catchUp();
  return { store, projector };
}

/** DE revising its pledge once per `recordedAt` given, in that order. */
function logRecordedAt(times: readonly number[]): EventLog {
  const log = createEventLog();
  log.planCreated({}, { recordedAt: iso((times[0] ?? T0) - 60 * SECOND) });
  times.forEach((time, index) =>
    log.pledgeRevised('DE', [resettlement('TR', index + 1)], `Revision ${index + 1}`, {
      meta: { recordedAt: iso(time) },
    }),
  );
  return log;
}

describe('Projector.positionOf', () => {
  it('cuts at the longest prefix with no event recorded after the instant, clocks out of order', async () => {
    const log = createEventLog();
    log.planCreated({}, { recordedAt: iso(T0) });
    log.pledgingOpened(undefined, { recordedAt: iso(T0 + 2 * SECOND) });
    // this writer's clock lagged: recorded after position 2, stamped before it
    log.pledgeSubmitted('DE', [resettlement('TR', 10)], { meta: { recordedAt: iso(T0 + SECOND) } });
    log.pledgeSubmitted('FR', [resettlement('TR', 20)], {
      meta: { recordedAt: iso(T0 + 3 * SECOND) },
    });
    const { projector } = await caughtUp(log.events);
    const at = (ms: number) => projector.positionOf({ timestamp: iso(ms) });

    expect(await at(T0 - 1)).toBe(0);
    expect(await at(T0)).toBe(1);
    // position 3 was stamped T0+1s, but position 2 (T0+2s) lies before it: neither is in the cut
    expect(await at(T0 + SECOND)).toBe(1);
    expect(await at(T0 + 1.5 * SECOND)).toBe(1);
    expect(await at(T0 + 2 * SECOND - 1)).toBe(1);
    expect(await at(T0 + 2 * SECOND)).toBe(3);
    expect(await at(T0 + 3 * SECOND - 1)).toBe(3);
    expect(await at(T0 + 3 * SECOND)).toBe(4);
    expect(await at(T0 + 3600 * SECOND)).toBe(projector.checkpoint);
    // the same instant with an offset
    expect(await projector.positionOf({ timestamp: '2025-09-01T10:00:02.000+02:00' })).toBe(3);
    expect(await projector.positionOf({ position: 2 })).toBe(2);
    await expect(projector.positionOf({ timestamp: 'yesterday' })).rejects.toThrow(RangeError);
  });

  it('agrees with the prefix by brute force over a long log, through the sampled index', async () => {
    // 1,500 events a second apart, every seventh stamped 90 seconds early by a lagging clock
    const count = 1500;
    const times = Array.from(
      { length: count },
      (_, index) => T0 + index * SECOND - (index % 7 === 3 ? 90 * SECOND : 0),
    );
    const { events } = logRecordedAt(times);
    const { store, projector } = await caughtUp(events);
    expect(events.length).toBeGreaterThan(4 * TIME_INDEX_EVERY);
    const readAll = jest.spyOn(store, 'readAll');

    const instants = [
      T0 - 61 * SECOND,
      T0 - 60 * SECOND,
      ...instantsAround(times),
      T0 + count * SECOND * 2,
    ];
    for (const instant of instants) {
      readAll.mockClear();
      const position = await projector.positionOf({ timestamp: iso(instant) });
      expect([instant, position]).toEqual([instant, prefixAsOf(events, instant)]);
      // one read of at most one sampling interval, wherever the cut lies
      expect(readAll.mock.calls.length).toBeLessThanOrEqual(1);
      for (const [options] of readAll.mock.calls) {
        expect(options?.maxCount).toBeLessThanOrEqual(TIME_INDEX_EVERY);
      }
    }
  });

  it('never names a position past the live checkpoint', async () => {
    const log = logRecordedAt([T0, T0 + SECOND, T0 + 2 * SECOND]);
    const { store, projector } = await caughtUp(log.events);
    await appendAll(store, [
      log.pledgeRevised('DE', [resettlement('TR', 99)], 'Not yet seen', {
        meta: { recordedAt: iso(T0 + 3 * SECOND) },
      }),
    ]);

    expect(await projector.positionOf({ timestamp: iso(T0 + 10 * SECOND) })).toBe(4);
    await projector.catchUp();
    expect(await projector.positionOf({ timestamp: iso(T0 + 10 * SECOND) })).toBe(5);
  });

  describe('after a restart from a snapshot', () => {
    let directory: string;
    beforeAll(() => {
      directory = mkdtempSync(join(tmpdir(), 'time-index-'));
    });
    afterAll(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it('names the same positions, its samples restored with the read models', async () => {
      const count = 1200;
      const times = Array.from(
        { length: count },
        (_, index) => T0 + index * SECOND - (index % 11 === 5 ? 30 * SECOND : 0),
      );
      const log = logRecordedAt(times);
      const store = new InMemoryEventStore();
      await appendAll(store, log.events);
      const file = join(directory, 'snapshots.db');
      const first = SqliteSnapshotStore.open(file);
      await new Projector(store, ALL_PROJECTIONS, {
        snapshots: first,
        snapshotEvery: 100,
      }).catchUp();
      first.close();

      const snapshots = SqliteSnapshotStore.open(file);
      try {
        const restarted = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: 100 });
        expect(await restarted.restoreFromSnapshot()).toBe(1200);
        // the one event after the last snapshot
        expect(await restarted.catchUp()).toBe(1201);
        for (const instant of instantsAround(times)) {
          const position = await restarted.positionOf({ timestamp: iso(instant) });
          expect([instant, position]).toEqual([instant, prefixAsOf(log.events, instant)]);
        }
      } finally {
        snapshots.close();
      }
    });
  });
});
