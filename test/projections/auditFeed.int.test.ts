/**
 * The audit feed read from a real store: every filter, chained page by page with `after`, gives
 * each matching event exactly once and in log order, the same as filtering the whole log by hand,
 * even when the matches lie further apart than one page may scan.
 */
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type { EventStore, RecordedEvent } from '../../src/eventStore/port';
import { decodeRecordedEvent } from '../../src/events/trackerRecordedEvent';
import {
  ALL_PROJECTIONS,
  FEED_SCAN_BUDGET,
  planReadModel,
  Projector,
  queryAuditFeed,
  type AuditFeedEntry,
  type AuditFeedFilter,
  type FeedContext,
} from '../../src/projections';
import { createEventLog, PLAN_ID, resettlement, type EventLog } from './builders';

const OTHER_PLAN_ID = '2028-2029';
const DEPUTY = { id: 'de-deputy', role: 'member_state', memberState: 'DE' } as const;

/** The filter applied by hand to every event of the log, as the feed should apply it. */
function bruteForce(events: readonly RecordedEvent[], filter: AuditFeedFilter): number[] {
  const from = filter.from === undefined ? undefined : Date.parse(filter.from);
  const to = filter.to === undefined ? undefined : Date.parse(filter.to);
  return events
    .map(decodeRecordedEvent)
    .filter((event) => {
      const memberState = 'memberState' in event.data ? event.data.memberState : undefined;
      const instant = Date.parse(event.metadata.recordedAt);
      return (
        (filter.planId === undefined || event.data.planId === filter.planId) &&
        (filter.memberState === undefined || memberState === filter.memberState) &&
        (filter.actorId === undefined || event.metadata.actor.id === filter.actorId) &&
        (filter.types === undefined || filter.types.includes(event.type)) &&
        (from === undefined || instant >= from) &&
        (to === undefined || instant <= to)
      );
    })
    .map((event) => event.globalPosition);
}

interface ChainedPages {
  readonly entries: AuditFeedEntry[];
  readonly pageSizes: number[];
  /** Each page's `nextAfterPosition`, the last one null. */
  readonly nextAfters: (number | null)[];
}

/** Follows `nextAfterPosition` from the start until it is null. */
async function everyPage(
  store: EventStore,
  context: FeedContext,
  filter: AuditFeedFilter,
): Promise<ChainedPages> {
  const entries: AuditFeedEntry[] = [];
  const pageSizes: number[] = [];
  const nextAfters: (number | null)[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page = await queryAuditFeed(store, context, { ...filter, afterPosition: after });
    entries.push(...page.entries);
    pageSizes.push(page.entries.length);
    nextAfters.push(page.nextAfterPosition);
    if (page.nextAfterPosition !== null) expect(page.nextAfterPosition).toBeGreaterThan(after);
    after = page.nextAfterPosition;
    if (pageSizes.length > 10_000) throw new Error('runaway paging');
  }
  return { entries, pageSizes, nextAfters };
}

function contextOf(projector: Projector): FeedContext {
  return {
    checkpoint: projector.checkpoint,
    positionAt: (instant) => projector.positionOf({ timestamp: instant }),
    plans: projector.state(planReadModel),
  };
}

async function caughtUp(events: readonly RecordedEvent[]) {
  const store = new InMemoryEventStore();
  // In log order, a run of events of one stream in one append: the store numbers them 1, 2, 3, …
  // as the log did.
  let run: RecordedEvent[] = [];
  const appendRun = async () => {
    const [first] = run;
    if (first === undefined) return;
    await store.append(
      first.streamId,
      run.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
      { expectedVersion: 'any' },
    );
    run = [];
  };
  for (const event of events) {
    if (run[0] !== undefined && run[0].streamId !== event.streamId) await appendRun();
    run.push(event);
  }
  await appendRun();
  expect(await store.headPosition()).toBe(events.at(-1)?.globalPosition ?? 0);
  const projector = new Projector(store, ALL_PROJECTIONS);
  await projector.catchUp();
  return { store, projector, context: contextOf(projector) };
}

/** NL revises its pledge `count` times: events no filter below but plan and type matches. */
function nlRevisions(log: EventLog, count: number): void {
  for (let index = 0; index < count; index++) {
    log.recordedEvent('PledgeRevised', {
      planId: PLAN_ID,
      memberState: 'NL',
      lines: [resettlement('TR', index + 1)],
      reason: `NL revision ${index}`,
      planStatus: 'pledging_open',
    });
  }
}

describe('the audit feed over a store', () => {
  /** Two plans; DE, FR and NL pledging; a deputy and withdrawals here and there. */
  function mixedLog(): EventLog {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    const other = createEventLog({ planId: OTHER_PLAN_ID, start: '2025-09-01T08:00:30.000Z' });
    for (let round = 0; round < 30; round++) {
      if (round === 0) {
        log.pledgeSubmitted('DE', [resettlement('TR', 100)]);
        log.pledgeSubmitted('FR', [resettlement('LB', 50)]);
        log.pledgeSubmitted('NL', [resettlement('JO', 20)]);
        continue;
      }
      const actor = round % 4 === 0 ? { actor: DEPUTY } : {};
      log.pledgeRevised('DE', [resettlement('TR', 100 + round)], `DE round ${round}`, {
        meta: actor,
      });
      if (round % 5 === 0) log.pledgeWithdrawn('FR', `FR round ${round}`);
      else if (round % 5 === 1 && round > 1) log.pledgeSubmitted('FR', [resettlement('LB', round)]);
      nlRevisions(log, round % 3);
      if (round === 10) {
        // another plan's events, in the same log
        other.planCreated();
        other.pledgingOpened();
        other.pledgeSubmitted('DE', [resettlement('SD', 10)]);
        for (const event of other.events) {
          log.recordedEvent(event.type, event.data as Record<string, unknown>);
        }
      }
    }
    return log;
  }

  const FILTERS: [string, AuditFeedFilter][] = [
    ['no filter', {}],
    ['a plan', { planId: PLAN_ID }],
    ['the other plan', { planId: OTHER_PLAN_ID }],
    ['a Member State', { memberState: 'DE' }],
    ['a Member State in one plan', { planId: PLAN_ID, memberState: 'FR' }],
    ['a Member State in the other plan', { planId: OTHER_PLAN_ID, memberState: 'DE' }],
    ['a Member State with no pledge', { memberState: 'SE' }],
    ['an actor', { actorId: DEPUTY.id }],
    ['the Commission', { actorId: 'dg-home' }],
    ['a type', { types: ['PledgeWithdrawn'] }],
    ['two types', { types: ['PledgeWithdrawn', 'PledgeSubmitted'] }],
    ['a Member State and a type', { memberState: 'DE', types: ['PledgeSubmitted'] }],
    ['a plan and an actor', { planId: PLAN_ID, actorId: 'fr-ministry' }],
  ];

  it.each(FILTERS)(
    'filtered by %s, pages chained by after give every match once, in order',
    async (_label, filter) => {
      const log = mixedLog();
      const { store, context } = await caughtUp(log.events);
      const expected = bruteForce(log.events, filter);

      for (const limit of [1, 4, 1000]) {
        const { entries, pageSizes } = await everyPage(store, context, { ...filter, limit });
        expect(entries.map((entry) => entry.position)).toEqual(expected);
        expect(Math.max(0, ...pageSizes)).toBeLessThanOrEqual(limit);
      }
    },
  );

  it('filters by time with the time index, alone and with other filters', async () => {
    const log = mixedLog();
    const { store, context } = await caughtUp(log.events);
    const at = (index: number) => String(log.events[index]?.metadata['recordedAt']);

    for (const filter of [
      { from: at(10), to: at(40) },
      { from: at(25) },
      { to: at(5) },
      { from: at(10), to: at(40), memberState: 'DE' },
      { from: at(10), to: at(60), types: ['PledgeWithdrawn'] },
    ] satisfies AuditFeedFilter[]) {
      const { entries } = await everyPage(store, context, { ...filter, limit: 3 });
      expect(entries.map((entry) => entry.position)).toEqual(bruteForce(log.events, filter));
      expect(entries.length).toBeGreaterThan(0);
    }
  });

  it('serves each event’s content as it was written', async () => {
    const log = mixedLog();
    const { store, context } = await caughtUp(log.events);
    const { entries } = await everyPage(store, context, { limit: 7 });

    expect(entries).toHaveLength(log.events.length);
    entries.forEach((entry, index) => {
      const event = log.events[index];
      expect(entry).toMatchObject({
        position: event?.globalPosition,
        streamId: event?.streamId,
        streamVersion: event?.streamVersion,
        type: event?.type,
        correlationId: event?.metadata['correlationId'],
        schemaVersion: event?.metadata['schemaVersion'] ?? 1,
        data: event?.data,
      });
    });
  });

  describe('with matches further apart than one page may scan', () => {
    /**
     * More than twice the scan budget of NL revisions, with a deputy's revision and a withdrawal
     * near the start, between and at the end: each is found by following `nextAfterPosition`.
     */
    async function sparseLog() {
      const log = createEventLog();
      log.planCreated();
      log.pledgingOpened();
      log.pledgeSubmitted('DE', [resettlement('TR', 100)]);
      const rare = () => {
        log.pledgeRevised('DE', [resettlement('TR', log.events.length)], 'Rare', {
          meta: { actor: DEPUTY },
        });
        log.pledgeWithdrawn('FR', 'Rare');
      };
      rare();
      nlRevisions(log, FEED_SCAN_BUDGET + 500);
      rare();
      nlRevisions(log, FEED_SCAN_BUDGET + 10);
      rare();
      return { log, ...(await caughtUp(log.events)) };
    }

    let sparse: Awaited<ReturnType<typeof sparseLog>>;
    // Tens of thousands of events, each stored as JSON and decoded when read: a ceiling, not a measure.
    const SLOW = 60_000;
    beforeAll(async () => {
      sparse = await sparseLog();
    }, SLOW);

    it.each([
      ['an actor', { actorId: DEPUTY.id }],
      ['a type', { types: ['PledgeWithdrawn'] }],
      ['an actor and a type', { actorId: DEPUTY.id, types: ['PledgeRevised'] }],
    ] satisfies [string, AuditFeedFilter][])(
      'filtered by %s, following nextAfterPosition finds every match',
      async (_label, filter) => {
        const { log, store, context } = sparse;
        const expected = bruteForce(log.events, filter);
        expect(expected).toHaveLength(3);

        const { entries, pageSizes, nextAfters } = await everyPage(store, context, {
          ...filter,
          limit: 2,
        });

        expect(entries.map((entry) => entry.position)).toEqual(expected);
        // a page scans a bounded stretch of the log: a page short of the limit names a next page
        expect(pageSizes.length).toBeGreaterThanOrEqual(3);
        expect(pageSizes.slice(0, -1).every((size) => size < 2)).toBe(true);
        expect(nextAfters.slice(0, -1).every((next) => next !== null)).toBe(true);
      },
      SLOW,
    );

    it(
      'reads at most the scan budget, and a chunk, for one page',
      async () => {
        const { store, context } = sparse;
        const readAll = jest.spyOn(store, 'readAll');

        const page = await queryAuditFeed(store, context, { actorId: 'nobody', limit: 10 });

        const reads: Promise<readonly RecordedEvent[]>[] = readAll.mock.results.map(
          (result) => result.value as Promise<readonly RecordedEvent[]>,
        );
        const eventsRead = (await Promise.all(reads)).reduce(
          (sum, events) => sum + events.length,
          0,
        );
        expect(page.entries).toEqual([]);
        // the next page starts after the last event looked at
        expect(page.nextAfterPosition).toBe(FEED_SCAN_BUDGET);
        expect(eventsRead).toBeLessThanOrEqual(FEED_SCAN_BUDGET + 500);
        readAll.mockRestore();
      },
      SLOW,
    );

    it(
      'filtered by a Member State, reads only its streams and finds every match at once',
      async () => {
        const { log, store, context } = sparse;
        const readAll = jest.spyOn(store, 'readAll');

        const page = await queryAuditFeed(store, context, { memberState: 'FR', limit: 1000 });

        expect(page.entries.map((entry) => entry.position)).toEqual(
          bruteForce(log.events, { memberState: 'FR' }),
        );
        expect(page.nextAfterPosition).toBeNull();
        expect(readAll).not.toHaveBeenCalled();
        readAll.mockRestore();
      },
      SLOW,
    );
  });
});
