/**
 * Reading the log ahead of the fold in a worker thread, on its own connection to a real SQLite
 * file: the events it yields are the ones the store's `readAll` returns, and a projector reading
 * through it folds exactly the read models a projector reading the store page by page folds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../src/eventStore/port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/eventStore/sqlite/sqliteEventStore';
import {
  ALL_PROJECTIONS,
  planReadModel,
  Projector,
  stateDigest,
  type Projection,
  type ProjectorOptions,
} from '../../src/projections';
import { sqliteLogReadAhead } from '../../src/workers/logReadAhead';
import {
  appendAll,
  contribution,
  createEventLog,
  humanitarian,
  resettlement,
} from '../projections/builders';

/** A worker compiles the TypeScript sources it runs: a ceiling for that, not a measure. */
const WORKER_TIMEOUT = 60_000;

/** Two plans written side by side, the first by release 1 then 2 (upcast on reading). */
function twoPlans(): RecordedEvent[] {
  const first = createEventLog({ release: 1 });
  first.planCreated({ priorityCountries: ['TR'] });
  first.pledgingOpened('2025-10-31');
  first.pledgeSubmitted('DE', [resettlement('TR', 1000), humanitarian('LB', 200)]);
  first.writeAsRelease(2);
  first.pledgeSubmitted('FR', [resettlement('TR', 400)]);
  for (let round = 1; round <= 40; round++) {
    first.pledgeRevised('DE', [resettlement('TR', 1000 + round)], `Round ${round}`);
    if (round % 10 === 0) first.pledgeWithdrawn('FR', `Pause ${round}`);
    if (round % 10 === 0) first.pledgeSubmitted('FR', [resettlement('LB', 300 + round)]);
  }
  first.pledgingClosed();
  first.planProposed([
    contribution('DE', resettlement('TR', 1040)),
    contribution('FR', resettlement('LB', 340)),
  ]);
  first.planAdopted([contribution('DE', resettlement('TR', 900))]);
  const second = createEventLog({ planId: '2028-2029', start: '2027-09-01T08:00:00.000Z' });
  second.planCreated({ planId: '2028-2029', periodStart: '2028-01-01', periodEnd: '2029-12-31' });
  second.pledgingOpened();
  for (let round = 1; round <= 30; round++) {
    second.pledgeSubmitted(round % 2 === 0 ? 'NL' : 'EL', [
      resettlement('TR', round, { note: `Οικογένειες ${round}` }),
    ]);
  }
  // Interleaved, as writes to two plans reach one log.
  const events: RecordedEvent[] = [];
  for (let index = 0; index < Math.max(first.events.length, second.events.length); index++) {
    const one = first.events[index];
    const other = second.events[index];
    if (one !== undefined) events.push(one);
    if (other !== undefined) events.push(other);
  }
  return events;
}

describe('sqliteLogReadAhead', () => {
  let directory: string;
  let file: string;
  let store: SqliteEventStore;
  let head: number;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'read-ahead-'));
    file = join(directory, 'pledges.db');
    store = openSqliteEventStore(file, { quickCheck: 'skip' });
    await appendAll(store, twoPlans());
    head = await store.headPosition();
  });

  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Small pages and no minimum, so a short log crosses many pages through the worker. */
  const readAhead = () => sqliteLogReadAhead(file, { minEvents: 1, batchSize: 7, window: 2 });

  async function collect(after: number, until: number): Promise<RecordedEvent[][]> {
    const pages: RecordedEvent[][] = [];
    for await (const page of readAhead().batches(after, until)) pages.push([...page]);
    return pages;
  }

  it(
    "yields the store's own events for any stretch of the log, a page at a time",
    async () => {
      expect(head).toBeGreaterThan(80);
      for (const [after, until] of [
        [0, head],
        [5, head - 3],
        [head - 1, head],
        [0, 1],
      ] as const) {
        const pages = await collect(after, until);
        const expected = await store.readAll({ fromPosition: after, maxCount: until - after });
        expect(pages.flat()).toEqual(expected);
        expect(pages.every((page) => page.length > 0 && page.length <= 7)).toBe(true);
      }
      expect(await collect(head, head)).toEqual([]);
    },
    WORKER_TIMEOUT,
  );

  it(
    'stops its worker when the reader stops early',
    async () => {
      const pages = readAhead().batches(0, head);
      for await (const page of pages) {
        expect(page[0]?.globalPosition).toBe(1);
        break;
      }
      // A second read still works: the first left nothing behind that holds the file.
      expect((await collect(0, head)).flat()).toHaveLength(head);
    },
    WORKER_TIMEOUT,
  );

  /** Every read model of a projector, and where it stands. */
  const summary = (projector: Projector) => ({
    position: projector.checkpoint,
    eventsFolded: projector.eventsFolded,
    digests: ALL_PROJECTIONS.map((projection: Projection<unknown>) =>
      stateDigest(projector.state(projection)),
    ),
  });
  const projectorWith = (options: ProjectorOptions = {}) =>
    new Projector(store, ALL_PROJECTIONS, { batchSize: 5, ...options });

  it(
    "folds the read models a projector reading the store's pages folds",
    async () => {
      const sequential = projectorWith();
      await sequential.catchUp();
      const ahead = projectorWith({ readAhead: readAhead() });
      await ahead.catchUp();

      expect(summary(ahead)).toEqual(summary(sequential));
      expect(summary(ahead).position).toBe(head);
      expect(ahead.state(planReadModel).plans.size).toBe(2);

      const rebuilt = await ahead.rebuildAll();
      const rebuiltSequentially = await sequential.rebuildAll();
      expect(rebuilt.eventCount).toBe(head);
      expect([...rebuilt.states].map(([name, state]) => [name, stateDigest(state)])).toEqual(
        [...rebuiltSequentially.states].map(([name, state]) => [name, stateDigest(state)]),
      );

      const check = await ahead.replayCheck();
      expect(check).toMatchObject({ ok: true, position: head, eventCount: head });

      for (const position of [1, 17, Math.floor(head / 2), head]) {
        const asOf = await ahead.stateAsOf(planReadModel, { position });
        const asOfSequentially = await sequential.stateAsOf(planReadModel, { position });
        expect(stateDigest(asOf.state)).toBe(stateDigest(asOfSequentially.state));
        expect(asOf.position).toBe(position);
      }
    },
    WORKER_TIMEOUT,
  );

  it(
    'leaves the reading to the store when it cannot open the file',
    async () => {
      const sequential = projectorWith();
      await sequential.catchUp();
      const missing = sqliteLogReadAhead(join(directory, 'missing.db'), { minEvents: 1 });
      const ahead = projectorWith({ readAhead: missing });
      await ahead.catchUp();

      expect(summary(ahead)).toEqual(summary(sequential));
    },
    WORKER_TIMEOUT,
  );
});
