import { pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import { unionPlanStreamId } from '../../src/domain/unionPlan/unionPlanEvents';
import type { RecordedEvent } from '../../src/eventStore/port';
import {
  ALL_PARTICIPANTS,
  diffLines,
  MAX_FEED_LIMIT,
  ownScope,
  planHistoryPage,
  pledgeHistoryPage,
  queryAuditFeed,
  type AuditFeedFilter,
  type ReadScope,
} from '../../src/projections';
import {
  aPlanRegion,
  COMMISSION_ACTOR,
  contribution,
  createEventLog,
  emergency,
  feedContext,
  fromCountries,
  historySource,
  humanitarian,
  memberStateActor,
  PLAN_ID,
  resettlement,
} from './builders';

/** A pledge's whole history (one page as large as it takes), as the store serves it. */
async function pledgeHistory(events: readonly RecordedEvent[], memberState: string) {
  return (await pledgeHistoryPage(historySource(events), PLAN_ID, memberState, { limit: 1000 }))
    ?.versions;
}

async function planHistory(events: readonly RecordedEvent[], scope: ReadScope = ALL_PARTICIPANTS) {
  return (await planHistoryPage(historySource(events), PLAN_ID, scope, { limit: 1000 }))?.versions;
}

const feed = (events: readonly RecordedEvent[], filter: AuditFeedFilter = {}) =>
  queryAuditFeed(historySource(events), feedContext(events), filter);

describe('auditHistory: pledge streams', () => {
  function pledgeLog() {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 100), humanitarian('LB', 50)]);
    log.pledgeRevised(
      'DE',
      [resettlement('TR', 120), emergency('resettlement', 10)],
      'Reception capacity rose',
      { meta: { correlationId: 'req-42' } },
    );
    log.pledgeWithdrawn('DE', 'Budget cut');
    log.pledgeSubmitted('DE', [humanitarian('JO', 30)]);
    return log;
  }

  it('records every version with who, when, why and the lines added, removed and changed', async () => {
    const log = pledgeLog();
    const history = await pledgeHistory(log.events, 'DE');

    expect(history?.map((entry) => [entry.version, entry.position, entry.type])).toEqual([
      [1, 3, 'PledgeSubmitted'],
      [2, 4, 'PledgeRevised'],
      [3, 5, 'PledgeWithdrawn'],
      [4, 6, 'PledgeSubmitted'],
    ]);
    expect(history?.[0]).toEqual({
      version: 1,
      position: 3,
      type: 'PledgeSubmitted',
      recordedAt: log.events[2]?.metadata['recordedAt'],
      actor: memberStateActor('DE'),
      correlationId: 'corr-3',
      diff: {
        added: [resettlement('TR', 100), humanitarian('LB', 50)],
        removed: [],
        changed: [],
        personsBefore: 0,
        personsAfter: 150,
        personsDelta: 150,
      },
    });
    expect(history?.[1]).toMatchObject({
      reason: 'Reception capacity rose',
      correlationId: 'req-42',
      diff: {
        added: [emergency('resettlement', 10)],
        removed: [humanitarian('LB', 50)],
        changed: [
          {
            key: 'resettlement|TR|-|-',
            before: resettlement('TR', 100),
            after: resettlement('TR', 120),
          },
        ],
        personsBefore: 150,
        personsAfter: 130,
        personsDelta: -20,
      },
    });
    expect(history?.[2]).toMatchObject({
      reason: 'Budget cut',
      diff: {
        added: [],
        removed: [resettlement('TR', 120), emergency('resettlement', 10)],
        changed: [],
        personsDelta: -130,
      },
    });
    expect(history?.[3]?.diff).toMatchObject({ added: [humanitarian('JO', 30)], personsBefore: 0 });
  });

  it('treats a change of target groups or note as a changed line', () => {
    const before = [resettlement('TR', 10)];
    const after = [resettlement('TR', 10, { targetGroups: ['children'], note: 'Families' })];
    expect(diffLines(before, after).changed).toHaveLength(1);
    expect(diffLines(after, [...after]).changed).toHaveLength(0);
  });

  it('reads only the page asked for and the version before it, from the pledge’s own stream', async () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 1)]);
    for (let persons = 2; persons <= 40; persons++) {
      log.pledgeRevised('DE', [resettlement('TR', persons)], `Revision ${persons}`);
    }
    log.pledgeSubmitted('FR', [resettlement('TR', 5)]);
    const source = historySource(log.events);
    const readStream = jest.spyOn(source, 'readStream');
    const readAll = jest.spyOn(source, 'readAll');

    const page = await pledgeHistoryPage(source, PLAN_ID, 'DE', { after: 20, limit: 5 });

    expect(page?.versions.map((entry) => entry.version)).toEqual([21, 22, 23, 24, 25]);
    expect(page?.nextAfterVersion).toBe(25);
    // the first version of the page is measured against version 20, read with it
    expect(page?.versions[0]?.diff).toMatchObject({ personsBefore: 20, personsAfter: 21 });
    expect(readAll).not.toHaveBeenCalled();
    const streamsRead = new Set(readStream.mock.calls.map(([streamId]) => streamId));
    expect(streamsRead).toEqual(new Set([pledgeStreamId(PLAN_ID, 'DE')]));
    for (const [, options] of readStream.mock.calls) {
      const from = options?.fromVersion ?? 0;
      const upTo = options?.upToVersion ?? Number.MAX_SAFE_INTEGER;
      expect(upTo - from).toBeLessThanOrEqual(5 + 2);
    }
  });

  it('measures a revision by the lines that changed, not by the ones it repeats', async () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [
      resettlement('TR', 100),
      humanitarian(fromCountries('EG', 'KE'), 50),
    ]);
    log.pledgeRevised(
      'DE',
      [resettlement('TR', 120), humanitarian(fromCountries('EG', 'KE'), 50)],
      'More from Türkiye',
    );
    expect((await pledgeHistory(log.events, 'DE'))?.[1]?.diff).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          key: 'resettlement|TR|-|-',
          before: resettlement('TR', 100),
          after: resettlement('TR', 120),
        },
      ],
      personsBefore: 150,
      personsAfter: 170,
      personsDelta: 20,
    });
  });

  it('returns undefined for a stream never seen, or not yet begun at the cut', async () => {
    const events = pledgeLog().events;
    const source = historySource(events);
    expect(await pledgeHistoryPage(source, 'x', 'DE')).toBeUndefined();
    expect(await pledgeHistoryPage(source, PLAN_ID, 'FR')).toBeUndefined();
    expect(await planHistoryPage(source, 'x')).toBeUndefined();
    expect(await pledgeHistoryPage(source, PLAN_ID, 'DE', { upToPosition: 2 })).toBeUndefined();
    const atThree = await pledgeHistoryPage(source, PLAN_ID, 'DE', { upToPosition: 3 });
    expect(atThree).toMatchObject({ nextAfterVersion: null, versions: [{ version: 1 }] });
  });

  it('pages a history: each version once, each diff against the version before it', async () => {
    const log = pledgeLog();
    const source = historySource(log.events);
    const whole = await pledgeHistory(log.events, 'DE');
    const pages = [];
    let after: number | null = 0;
    while (after !== null) {
      const page = await pledgeHistoryPage(source, PLAN_ID, 'DE', { after, limit: 1 });
      if (page === undefined) throw new Error('missing history');
      pages.push(page.versions);
      after = page.nextAfterVersion;
    }

    expect(pages).toHaveLength(4);
    expect(pages.flat()).toEqual(whole);
    // a full page with nothing after it has no next page
    expect(
      await pledgeHistoryPage(source, PLAN_ID, 'DE', { limit: 4 }).then(
        (page) => page?.nextAfterVersion,
      ),
    ).toBeNull();
    // past the end: an empty page, no next one
    expect(await pledgeHistoryPage(source, PLAN_ID, 'DE', { after: 4 })).toEqual({
      versions: [],
      nextAfterVersion: null,
    });
  });
});

describe('auditHistory: plan stream', () => {
  it('records status changes, contribution totals per Member State and priorities added', async () => {
    const log = createEventLog();
    log.planCreated({ priorityCountries: ['TR'] });
    log.pledgingOpened('2025-10-31');
    log.pledgingClosed();
    log.planProposed([
      contribution('DE', resettlement('TR', 1000)),
      contribution('FR', resettlement('LB', 400)),
    ]);
    log.planAdopted([
      contribution('DE', resettlement('TR', 700)),
      contribution('FR', resettlement('LB', 400)),
    ]);
    log.planAmended({
      reason: 'Sudan crisis',
      addPriorityCountries: ['SD', 'TR'],
      addPriorityRegions: ['east_horn_great_lakes'],
      contributions: [contribution('FR'), contribution('NL', resettlement('SD', 150))],
    });
    const history = await planHistory(log.events);

    expect(history?.map((entry) => entry.diff)).toEqual([
      {
        statusBefore: null,
        statusAfter: 'draft',
        priorityCountriesAdded: ['TR'],
        priorityRegionsAdded: [],
        planRegionsAdded: [],
      },
      { statusBefore: 'draft', statusAfter: 'pledging_open', deadline: '2025-10-31' },
      { statusBefore: 'pledging_open', statusAfter: 'pledging_closed' },
      {
        statusBefore: 'pledging_closed',
        statusAfter: 'proposed',
        contributions: [
          { memberState: 'DE', before: 0, after: 1000, delta: 1000 },
          { memberState: 'FR', before: 0, after: 400, delta: 400 },
        ],
        totalBefore: 0,
        totalAfter: 1400,
        totalDelta: 1400,
      },
      {
        statusBefore: 'proposed',
        statusAfter: 'adopted',
        contributions: [
          { memberState: 'DE', before: 1000, after: 700, delta: -300 },
          { memberState: 'FR', before: 400, after: 400, delta: 0 },
        ],
        totalBefore: 1400,
        totalAfter: 1100,
        totalDelta: -300,
      },
      {
        statusBefore: 'adopted',
        statusAfter: 'adopted',
        contributions: [
          { memberState: 'FR', before: 400, after: 0, delta: -400 },
          { memberState: 'NL', before: 0, after: 150, delta: 150 },
        ],
        totalBefore: 1100,
        totalAfter: 850,
        totalDelta: -250,
        priorityCountriesAdded: ['SD'],
        priorityRegionsAdded: ['east_horn_great_lakes'],
        planRegionsAdded: [],
      },
    ]);
    expect(history?.[5]).toMatchObject({
      reason: 'Sudan crisis',
      actor: COMMISSION_ACTOR,
      version: 6,
    });
  });
});

describe('auditHistory: plan stream, regions and scope', () => {
  function adoptedWithRegions() {
    const log = createEventLog();
    log.planCreated({
      priorityCountries: ['TR'],
      regions: [aPlanRegion('central_mediterranean', 'Central Mediterranean', 'LY', 'NE')],
    });
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
    log.pledgeSubmitted('FR', [resettlement('TR', 400)]);
    log.pledgingClosed();
    log.planProposed([
      contribution('DE', resettlement('TR', 1000)),
      contribution('FR', resettlement('TR', 400)),
    ]);
    return log;
  }

  it('records the plan regions a creation and an amendment add', async () => {
    const log = adoptedWithRegions();
    log.planAdopted([
      contribution('DE', resettlement('TR', 800)),
      contribution('FR', resettlement('TR', 400)),
    ]);
    log.planAmended({
      reason: 'Displacement in Latin America',
      addRegions: [aPlanRegion('latin_america', 'Latin America', 'CO', 'EC')],
    });
    const history = await planHistory(log.events, ALL_PARTICIPANTS);

    expect(history?.[0]?.diff).toMatchObject({ planRegionsAdded: ['central_mediterranean'] });
    expect(history?.[history.length - 1]?.diff).toMatchObject({
      planRegionsAdded: ['latin_america'],
      contributions: [],
      totalDelta: 0,
    });
  });

  it('shows a Member State its own row of the proposal and no totals before adoption', async () => {
    const events = adoptedWithRegions().events;
    const proposal = (await planHistory(events, ownScope('FR')))?.find(
      (entry) => entry.type === 'PlanProposed',
    );

    expect(proposal?.diff).toEqual({
      statusBefore: 'pledging_closed',
      statusAfter: 'proposed',
      contributions: [{ memberState: 'FR', before: 0, after: 400, delta: 400 }],
    });
    expect(
      (await planHistory(events, ALL_PARTICIPANTS))?.find((entry) => entry.type === 'PlanProposed')
        ?.diff,
    ).toMatchObject({ totalAfter: 1400 });
  });

  it('shows a Member State its own rows of proposal and adoption, the adopted total, the amendments whole', async () => {
    const log = adoptedWithRegions();
    log.planAdopted([
      contribution('DE', resettlement('TR', 800)),
      contribution('FR', resettlement('TR', 400)),
    ]);
    log.planAmended({ contributions: [contribution('DE', resettlement('TR', 900))] });
    const history = await planHistory(log.events, ownScope('FR'));
    const diffOf = (type: string) => history?.find((entry) => entry.type === type)?.diff;

    // the adoption is measured against the proposal, compiled from every indication
    expect(diffOf('PlanAdopted')).toEqual({
      statusBefore: 'proposed',
      statusAfter: 'adopted',
      contributions: [{ memberState: 'FR', before: 400, after: 400, delta: 0 }],
      totalAfter: 1200,
    });
    expect(diffOf('PlanProposed')).toEqual(
      expect.objectContaining({ contributions: [expect.objectContaining({ memberState: 'FR' })] }),
    );
    expect(diffOf('PlanProposed')).not.toHaveProperty('totalAfter');
    // an amendment compares two Council acts: whole
    expect(diffOf('PlanAmended')).toMatchObject({
      contributions: [{ memberState: 'DE', before: 800, after: 900, delta: 100 }],
      totalBefore: 1200,
      totalAfter: 1300,
    });
  });
});

describe('planHistoryPage', () => {
  it('pages a plan history as it reads it whole, in every scope', async () => {
    const log = createEventLog();
    log.planCreated({ priorityCountries: ['TR'] });
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 1000)]);
    log.pledgingClosed();
    log.planProposed([
      contribution('DE', resettlement('TR', 1000)),
      contribution('FR', resettlement('TR', 400)),
    ]);
    log.planAdopted([
      contribution('DE', resettlement('TR', 800)),
      contribution('FR', resettlement('TR', 400)),
    ]);
    log.planAmended({ contributions: [contribution('DE', resettlement('TR', 900))] });
    const source = historySource(log.events);

    for (const scope of [ALL_PARTICIPANTS, ownScope('FR')]) {
      const pages = [];
      let after: number | null = 0;
      while (after !== null) {
        const page = await planHistoryPage(source, PLAN_ID, scope, { after, limit: 2 });
        if (page === undefined) throw new Error('missing plan');
        pages.push(page.versions.map((entry) => entry.version));
        after = page.nextAfterVersion;
        if (after !== null) expect(page.versions).toHaveLength(2);
      }
      expect(pages).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const paged = [];
      for (const after of [0, 2, 4]) {
        paged.push(
          ...((await planHistoryPage(source, PLAN_ID, scope, { after, limit: 2 }))?.versions ?? []),
        );
      }
      expect(paged).toEqual(await planHistory(log.events, scope));
    }
  });

  it('stops at the cut, the plan as it stood then', async () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 100)]);
    log.pledgingClosed();
    const source = historySource(log.events);

    const atThree = await planHistoryPage(source, PLAN_ID, ALL_PARTICIPANTS, { upToPosition: 3 });
    expect(atThree?.versions.map((entry) => [entry.version, entry.diff])).toEqual([
      [1, expect.objectContaining({ statusAfter: 'draft' })],
      [2, { statusBefore: 'draft', statusAfter: 'pledging_open' }],
    ]);
    expect(atThree?.nextAfterVersion).toBeNull();
    expect(
      await planHistoryPage(source, PLAN_ID, ALL_PARTICIPANTS, { upToPosition: 0 }),
    ).toBeUndefined();
  });
});

const OTHER_PLAN_ID = '2028-2029';

describe('queryAuditFeed', () => {
  function busyLog() {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 100)]);
    log.pledgeSubmitted('FR', [resettlement('TR', 100)]);
    log.pledgeRevised('DE', [resettlement('TR', 90)], 'Cut');
    log.pledgeWithdrawn('FR', 'Budget');
    log.pledgeRevised('DE', [resettlement('TR', 80)], 'Cut again', {
      meta: { actor: { id: 'de-deputy', role: 'member_state', memberState: 'DE' } },
    });
    const other = createEventLog({ planId: OTHER_PLAN_ID, start: '2025-09-02T08:00:00.000Z' });
    other.planCreated();
    log.events.push(
      ...other.events.map((event, index) => ({ ...event, globalPosition: 8 + index })),
    );
    return log;
  }

  it('lists entries in position order, with the event’s content as written', async () => {
    const log = busyLog();
    const page = await feed(log.events);

    expect(page.entries.map((entry) => entry.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(page.nextAfterPosition).toBeNull();
    expect(page.entries[5]).toEqual({
      position: 6,
      streamId: pledgeStreamId(PLAN_ID, 'FR'),
      streamVersion: 2,
      type: 'PledgeWithdrawn',
      planId: PLAN_ID,
      memberState: 'FR',
      actorId: 'fr-ministry',
      actorRole: 'member_state',
      recordedAt: log.events[5]?.metadata['recordedAt'],
      reason: 'Budget',
      correlationId: 'corr-6',
      schemaVersion: 2,
      data: log.events[5]?.data,
    });
    expect(page.entries[0]).toEqual({
      position: 1,
      streamId: unionPlanStreamId(PLAN_ID),
      streamVersion: 1,
      type: 'UnionPlanCreated',
      planId: PLAN_ID,
      actorId: 'dg-home',
      actorRole: 'commission',
      recordedAt: log.events[0]?.metadata['recordedAt'],
      correlationId: 'corr-1',
      schemaVersion: 2,
      data: log.events[0]?.data,
    });
    expect(page.entries.map((entry) => entry.data)).toEqual(log.events.map((event) => event.data));
  });

  it('serves an event release 1 wrote as today’s schema reads it, naming the version it was written with', async () => {
    const log = createEventLog({ release: 1 });
    log.planCreated();
    log.pledgingOpened();
    log.pledgeSubmitted('DE', [resettlement('TR', 100)]);
    const [, , submitted] = (await feed(log.events)).entries;

    expect(log.events[2]?.data).toMatchObject({ afterAdoption: false });
    expect(submitted).toMatchObject({
      schemaVersion: 1,
      data: { planId: PLAN_ID, memberState: 'DE', planStatus: 'pledging_open' },
    });
    expect(submitted?.data).not.toHaveProperty('afterAdoption');
  });

  it('filters by plan, Member State, actor and type', async () => {
    const events = busyLog().events;
    const positions = async (filter: AuditFeedFilter) =>
      (await feed(events, filter)).entries.map((entry) => entry.position);

    expect(await positions({ planId: OTHER_PLAN_ID })).toEqual([8]);
    expect(await positions({ planId: PLAN_ID })).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await positions({ memberState: 'DE' })).toEqual([3, 5, 7]);
    expect(await positions({ planId: PLAN_ID, memberState: 'FR' })).toEqual([4, 6]);
    expect(await positions({ planId: OTHER_PLAN_ID, memberState: 'FR' })).toEqual([]);
    expect(await positions({ memberState: 'NL' })).toEqual([]);
    expect(await positions({ actorId: 'de-deputy' })).toEqual([7]);
    expect(await positions({ types: ['PledgeRevised', 'PledgeWithdrawn'] })).toEqual([5, 6, 7]);
    expect(await positions({ memberState: 'DE', types: ['PledgeRevised'] })).toEqual([5, 7]);
  });

  it('filters by time, comparing instants', async () => {
    const log = busyLog();
    const at = (index: number) => String(log.events[index]?.metadata['recordedAt']);
    const positions = async (filter: AuditFeedFilter) =>
      (await feed(log.events, filter)).entries.map((entry) => entry.position);

    expect(await positions({ from: at(2), to: at(4) })).toEqual([3, 4, 5]);
    expect(at(2)).toBe('2025-09-01T08:03:00.000Z');
    expect(await positions({ to: '2025-09-01T09:03:00+01:00' })).toEqual([1, 2, 3]);
    await expect(feed(log.events, { from: 'yesterday' })).rejects.toThrow(RangeError);
  });

  it('pages with afterPosition and nextAfterPosition', async () => {
    const events = busyLog().events;
    const positions = (page: { entries: { position: number }[] }) =>
      page.entries.map((entry) => entry.position);

    const first = await feed(events, { limit: 3 });
    expect(positions(first)).toEqual([1, 2, 3]);
    expect(first.nextAfterPosition).toBe(3);
    const second = await feed(events, { limit: 3, afterPosition: 3 });
    expect(positions(second)).toEqual([4, 5, 6]);
    const third = await feed(events, { limit: 3, afterPosition: 6 });
    expect(positions(third)).toEqual([7, 8]);
    expect(third.nextAfterPosition).toBeNull();

    const filtered = await feed(events, { memberState: 'DE', limit: 2 });
    expect(positions(filtered)).toEqual([3, 5]);
    expect(filtered.nextAfterPosition).toBe(5);
    expect(
      positions(await feed(events, { memberState: 'DE', limit: 2, afterPosition: 5 })),
    ).toEqual([7]);
    // exactly a full page with nothing after it has no next page
    expect((await feed(events, { memberState: 'DE', limit: 3 })).nextAfterPosition).toBeNull();
    expect((await feed(events, { limit: 8 })).nextAfterPosition).toBeNull();
  });

  it('never reads past the live checkpoint', async () => {
    const events = busyLog().events;
    const context = { ...feedContext(events), checkpoint: 5 };
    const page = await queryAuditFeed(historySource(events), context, {});
    const deOnly = await queryAuditFeed(historySource(events), context, { memberState: 'DE' });

    expect(page.entries.map((entry) => entry.position)).toEqual([1, 2, 3, 4, 5]);
    expect(page.nextAfterPosition).toBeNull();
    expect(deOnly.entries.map((entry) => entry.position)).toEqual([3, 5]);
  });

  it('defaults to 100 entries and caps the limit at 1000', async () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    for (let index = 0; index < 1200; index++) {
      log.pledgeRevised('DE', [resettlement('TR', index + 1)], `Revision ${index}`);
    }

    expect((await feed(log.events)).entries).toHaveLength(100);
    expect((await feed(log.events, { limit: 5000 })).entries).toHaveLength(MAX_FEED_LIMIT);
    expect((await feed(log.events, { limit: 0 })).entries).toHaveLength(1);
  });
});
