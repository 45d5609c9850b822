import { pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import type { PledgeLine } from '../../src/domain/shared/pledgeLine';
import { unionPlanStreamId } from '../../src/domain/unionPlan/unionPlanEvents';
import {
  ALL_PARTICIPANTS,
  auditHistory,
  diffLines,
  getPlanHistory,
  getPledgeHistory,
  getStreamHistory,
  MAX_FEED_LIMIT,
  ownScope,
  queryAuditFeed,
} from '../../src/projections';
import {
  aPlanRegion,
  COMMISSION_ACTOR,
  contribution,
  createEventLog,
  decodeAll,
  emergency,
  fold,
  fromCountries,
  humanitarian,
  memberStateActor,
  PLAN_ID,
  resettlement,
} from './builders';

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

  it('records every version with who, when, why and the lines added, removed and changed', () => {
    const log = pledgeLog();
    const history = getPledgeHistory(fold(auditHistory, log.events), PLAN_ID, 'DE');

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

  it('keeps the decoded event’s line arrays by reference', () => {
    const decoded = decodeAll(pledgeLog().events);
    const state = decoded.reduce(
      (folded, event) => auditHistory.apply(folded, event),
      auditHistory.initialState(),
    );
    const [firstIndex] = state.streams.get(pledgeStreamId(PLAN_ID, 'DE'))?.feedIndexes ?? [];
    expect(firstIndex).toBe(2);
    const submitted = decoded[2];
    if (submitted?.type !== 'PledgeSubmitted') throw new Error('expected the submission');
    expect(state.feed[2]?.change).toBe(submitted.data.lines);
  });

  it('shares a revision’s unchanged lines with the version before it', () => {
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
    const state = fold(auditHistory, log.events);
    const [submitted, revised] = [state.feed[2]?.change, state.feed[3]?.change] as PledgeLine[][];

    expect(revised?.[1]).toBe(submitted?.[1]);
    expect(revised?.[0]).not.toBe(submitted?.[0]);
    expect(getPledgeHistory(state, PLAN_ID, 'DE')?.[1]?.diff).toMatchObject({
      added: [],
      removed: [],
      changed: [{ key: 'resettlement|TR|-|-' }],
      personsDelta: 20,
    });
  });

  it('returns undefined for a stream never seen', () => {
    expect(getStreamHistory(fold(auditHistory, pledgeLog().events), 'pledge-x-DE')).toBeUndefined();
  });
});

describe('auditHistory: plan stream', () => {
  it('records status changes, contribution totals per Member State and priorities added', () => {
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
    const history = getPlanHistory(fold(auditHistory, log.events), PLAN_ID);

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

  it('records the plan regions a creation and an amendment add', () => {
    const log = adoptedWithRegions();
    log.planAdopted([
      contribution('DE', resettlement('TR', 800)),
      contribution('FR', resettlement('TR', 400)),
    ]);
    log.planAmended({
      reason: 'Displacement in Latin America',
      addRegions: [aPlanRegion('latin_america', 'Latin America', 'CO', 'EC')],
    });
    const history = getPlanHistory(fold(auditHistory, log.events), PLAN_ID, ALL_PARTICIPANTS);

    expect(history?.[0]?.diff).toMatchObject({ planRegionsAdded: ['central_mediterranean'] });
    expect(history?.[history.length - 1]?.diff).toMatchObject({
      planRegionsAdded: ['latin_america'],
      contributions: [],
      totalDelta: 0,
    });
  });

  it('shows a Member State its own row of the proposal and no totals before adoption', () => {
    const state = fold(auditHistory, adoptedWithRegions().events);
    const proposal = getPlanHistory(state, PLAN_ID, ownScope('FR'))?.find(
      (entry) => entry.type === 'PlanProposed',
    );

    expect(proposal?.diff).toEqual({
      statusBefore: 'pledging_closed',
      statusAfter: 'proposed',
      contributions: [{ memberState: 'FR', before: 0, after: 400, delta: 400 }],
    });
    expect(
      getPlanHistory(state, PLAN_ID, ALL_PARTICIPANTS)?.find(
        (entry) => entry.type === 'PlanProposed',
      )?.diff,
    ).toMatchObject({ totalAfter: 1400 });
  });

  it('shows a Member State its own rows of proposal and adoption, the adopted total, the amendments whole', () => {
    const log = adoptedWithRegions();
    log.planAdopted([
      contribution('DE', resettlement('TR', 800)),
      contribution('FR', resettlement('TR', 400)),
    ]);
    log.planAmended({ contributions: [contribution('DE', resettlement('TR', 900))] });
    const history = getPlanHistory(fold(auditHistory, log.events), PLAN_ID, ownScope('FR'));
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

  it('lists compact entries in position order', () => {
    const log = busyLog();
    const page = queryAuditFeed(fold(auditHistory, log.events));

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
    });
  });

  it('filters by plan, Member State, actor and type', () => {
    const state = fold(auditHistory, busyLog().events);
    const positions = (filter: Parameters<typeof queryAuditFeed>[1]) =>
      queryAuditFeed(state, filter).entries.map((entry) => entry.position);

    expect(positions({ planId: OTHER_PLAN_ID })).toEqual([8]);
    expect(positions({ memberState: 'DE' })).toEqual([3, 5, 7]);
    expect(positions({ planId: PLAN_ID, memberState: 'FR' })).toEqual([4, 6]);
    expect(positions({ actorId: 'de-deputy' })).toEqual([7]);
    expect(positions({ types: ['PledgeRevised', 'PledgeWithdrawn'] })).toEqual([5, 6, 7]);
    expect(positions({ memberState: 'DE', types: ['PledgeRevised'] })).toEqual([5, 7]);
  });

  it('filters by time, comparing instants', () => {
    const log = busyLog();
    const state = fold(auditHistory, log.events);
    const at = (index: number) => String(log.events[index]?.metadata['recordedAt']);
    const positions = (filter: Parameters<typeof queryAuditFeed>[1]) =>
      queryAuditFeed(state, filter).entries.map((entry) => entry.position);

    expect(positions({ from: at(2), to: at(4) })).toEqual([3, 4, 5]);
    expect(at(2)).toBe('2025-09-01T08:03:00.000Z');
    expect(positions({ to: '2025-09-01T09:03:00+01:00' })).toEqual([1, 2, 3]);
    expect(() => queryAuditFeed(state, { from: 'yesterday' })).toThrow(RangeError);
  });

  it('pages with afterPosition and nextAfterPosition', () => {
    const state = fold(auditHistory, busyLog().events);

    const first = queryAuditFeed(state, { limit: 3 });
    expect(first.entries.map((entry) => entry.position)).toEqual([1, 2, 3]);
    expect(first.nextAfterPosition).toBe(3);
    const second = queryAuditFeed(state, { limit: 3, afterPosition: 3 });
    expect(second.entries.map((entry) => entry.position)).toEqual([4, 5, 6]);
    const third = queryAuditFeed(state, { limit: 3, afterPosition: 6 });
    expect(third.entries.map((entry) => entry.position)).toEqual([7, 8]);
    expect(third.nextAfterPosition).toBeNull();

    const filtered = queryAuditFeed(state, { memberState: 'DE', limit: 2 });
    expect(filtered.entries.map((entry) => entry.position)).toEqual([3, 5]);
    expect(filtered.nextAfterPosition).toBe(5);
    // exactly a full page with nothing after it has no next page
    expect(queryAuditFeed(state, { memberState: 'DE', limit: 3 }).nextAfterPosition).toBeNull();
  });

  it('defaults to 100 entries and caps the limit at 1000', () => {
    const log = createEventLog();
    log.planCreated();
    log.pledgingOpened();
    for (let index = 0; index < 1200; index++) {
      log.pledgeRevised('DE', [resettlement('TR', index + 1)], `Revision ${index}`);
    }
    const state = fold(auditHistory, log.events);

    expect(queryAuditFeed(state).entries).toHaveLength(100);
    expect(queryAuditFeed(state, { limit: 5000 }).entries).toHaveLength(MAX_FEED_LIMIT);
    expect(queryAuditFeed(state, { limit: 0 }).entries).toHaveLength(1);
  });

  it('ignores events already folded', () => {
    const log = busyLog();
    const state = fold(auditHistory, [...log.events, ...log.events]);

    expect(state.feed).toHaveLength(8);
    expect(state.position).toBe(8);
  });
});
