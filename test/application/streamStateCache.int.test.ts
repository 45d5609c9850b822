import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v4 as uuidv4 } from 'uuid';
import { foldStream } from '../../src/application/commandHandler';
import { StreamStateCache } from '../../src/application/streamStateCache';
import { createTracker, type RequestContext, type Tracker } from '../../src/application/tracker';
import { pledgeDecider, pledgeStreamId } from '../../src/domain/pledge/pledge';
import type { Actor } from '../../src/domain/shared/messages';
import { unionPlanStreamId } from '../../src/domain/unionPlan/unionPlan';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type {
  AppendOptions,
  AppendResult,
  AuditTree,
  EventStore,
  EventToAppend,
  GlobalPosition,
  IdempotencyClaim,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamResult,
  RecordedEvent,
  StoreHealth,
  SubscribeOptions,
  Subscription,
} from '../../src/eventStore/port';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import { currentSchemaVersion } from '../../src/domain/events';
import { DEADLINE, NOW, PLAN_ID, aLine, aPledgeRevised } from '../domain/builders';

const commission: Actor = { id: 'dg-home', role: 'commission' };
const memberState = (code: string): Actor => ({
  id: `${code.toLowerCase()}-ministry`,
  role: 'member_state',
  memberState: code,
});
const germany = memberState('DE');
const france = memberState('FR');
const italy = memberState('IT');

const PLAN_STREAM = unionPlanStreamId(PLAN_ID);
const DE_STREAM = pledgeStreamId(PLAN_ID, 'DE');

interface StreamRead {
  readonly streamId: string;
  readonly fromVersion: number | undefined;
  /** The versions of the events the read returned. */
  readonly versions: readonly number[];
}

/** The store, recording what each `readStream` asked for and returned. */
class ReadRecordingStore implements EventStore {
  readonly reads: StreamRead[] = [];

  constructor(private readonly inner: EventStore) {}

  append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.inner.append(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    const result = await this.inner.readStream(streamId, options);
    this.reads.push({
      streamId,
      fromVersion: options?.fromVersion,
      versions: result.events.map((event) => event.streamVersion),
    });
    return result;
  }

  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  headPosition(): Promise<GlobalPosition> {
    return this.inner.headPosition();
  }

  findIdempotentResult(claim: IdempotencyClaim): Promise<AppendResult | undefined> {
    return this.inner.findIdempotentResult(claim);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  health(): Promise<StoreHealth> {
    return this.inner.health();
  }

  get auditTree(): AuditTree {
    return this.inner.auditTree;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The reads since the last call. */
  takeReads(): StreamRead[] {
    return this.reads.splice(0);
  }

  eventsRead(): number {
    return this.reads.reduce((total, read) => total + read.versions.length, 0);
  }
}

/** Deterministic ids, so two runs of the same commands record the same log. */
function aSequence(prefix: string): () => string {
  let next = 0;
  return () => {
    next += 1;
    return `${prefix}-${next}`;
  };
}

/** A replica: a tracker with its own state cache, on a store other replicas may share. */
function aReplica(
  store: EventStore,
  newId: () => string = uuidv4,
  stateCacheCapacity?: number,
): Tracker {
  return createTracker({
    store,
    clock: () => new Date(NOW),
    newId,
    ...(stateCacheCapacity !== undefined && { stateCacheCapacity }),
  });
}

/** Two replicas on one store, with event ids from one sequence, so two runs record the same log. */
function twoReplicasOn(store: EventStore, stateCacheCapacity?: number): readonly Tracker[] {
  const newId = aSequence('event');
  return [aReplica(store, newId, stateCacheCapacity), aReplica(store, newId, stateCacheCapacity)];
}

function contexts(): (actor: Actor, overrides?: Partial<RequestContext>) => RequestContext {
  const nextId = aSequence('request');
  return (actor, overrides = {}) => ({
    actor,
    correlationId: nextId(),
    requestId: nextId(),
    ...overrides,
  });
}

async function givenOpenPlan(tracker: Tracker, as: ReturnType<typeof contexts>): Promise<void> {
  await tracker.createPlan(
    { planId: PLAN_ID, periodStart: '2026-01-01', periodEnd: '2027-12-31' },
    as(commission),
  );
  await tracker.openPledging(PLAN_ID, { deadline: DEADLINE }, as(commission));
}

/** A command's result, or its error reduced to what callers see of it. */
async function outcomeOf(command: () => Promise<unknown>): Promise<unknown> {
  try {
    return { result: await command() };
  } catch (error) {
    return { error: { ...(error as object), message: (error as Error).message } };
  }
}

/**
 * A cycle on two replicas A and B, each writing after the other, with rejections, an idempotent
 * replay of an older write, stale and current If-Match, and every read the tracker offers.
 */
async function runCycle([a, b]: readonly Tracker[]): Promise<unknown[]> {
  if (a === undefined || b === undefined) throw new Error('two replicas needed');
  const as = contexts();
  const firstGermanKey = { key: 'de-ministry:put-1', fingerprint: 'sha256:put-1' };
  const steps: (() => Promise<unknown>)[] = [
    () =>
      a.createPlan(
        { planId: PLAN_ID, periodStart: '2026-01-01', periodEnd: '2027-12-31' },
        as(commission),
      ),
    () => b.openPledging(PLAN_ID, { deadline: DEADLINE }, as(commission)),
    () =>
      a.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine()] },
        as(germany, { idempotency: firstGermanKey }),
      ),
    () => a.putPledge(PLAN_ID, 'FR', { lines: [aLine({ persons: 300 })] }, as(france)),
    () =>
      b.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 200 })], reason: 'More places' },
        as(germany),
      ),
    // A must see B's revision: the same lines again are no change.
    () =>
      a.putPledge(PLAN_ID, 'DE', { lines: [aLine({ persons: 200 })], reason: 'Same' }, as(germany)),
    () =>
      a.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine()] },
        as(germany, { idempotency: firstGermanKey }),
      ),
    () =>
      a.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 250 })], reason: 'Stale' },
        as(germany, { expectedVersion: 1 }),
      ),
    () =>
      a.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 250 })], reason: 'Current' },
        as(germany, { expectedVersion: 2 }),
      ),
    () => b.withdrawPledge(PLAN_ID, 'FR', 'Reception crisis', as(france)),
    // A must see the withdrawal: a put is then a new submission.
    () => a.putPledge(PLAN_ID, 'FR', { lines: [aLine({ persons: 50 })] }, as(france)),
    () => a.putPledge(PLAN_ID, 'IT', { lines: [aLine({ hostCountry: 'LY' })] }, as(italy)),
    () => b.closePledging(PLAN_ID, as(commission)),
    // A must see the plan closed: after the closing an indication may go down, not up.
    () =>
      a.putPledge(
        PLAN_ID,
        'IT',
        { lines: [aLine({ hostCountry: 'LY', persons: 150 })], reason: 'Late' },
        as(italy),
      ),
    () =>
      a.recordProposal(
        PLAN_ID,
        { reference: 'COM(2025) Union Plan', proposedOn: '2025-11-11' },
        as(commission),
      ),
    () =>
      b.recordAdoption(
        PLAN_ID,
        { actReference: 'Council Implementing Decision (EU) 2025/2628', adoptedOn: '2025-12-18' },
        as(commission),
      ),
    () =>
      a.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 400 })], reason: 'After adoption' },
        as(germany),
      ),
    () =>
      a.recordAmendment(
        PLAN_ID,
        {
          actReference: 'Amending decision',
          adoptedOn: '2026-06-15',
          reason: 'Germany increases',
          addPriorityCountries: ['ET'],
          contributions: [{ memberState: 'DE', lines: [aLine({ persons: 400 })] }],
        },
        as(commission),
      ),
    () => a.readPlan(PLAN_ID),
    () => b.readPlan(PLAN_ID),
    () => a.readPledge(PLAN_ID, 'DE'),
    () => a.readPledge(PLAN_ID, 'FR'),
    () => b.readPledge(PLAN_ID, 'IT'),
  ];
  const outcomes: unknown[] = [];
  for (const step of steps) outcomes.push(await outcomeOf(step));
  return outcomes;
}

describe('Tracker with a stream state cache', () => {
  it('gives the same results and log as folding whole streams, over a whole cycle', async () => {
    const cachedStore = new ReadRecordingStore(new InMemoryEventStore());
    const uncachedStore = new ReadRecordingStore(new InMemoryEventStore());

    const cached = await runCycle(twoReplicasOn(cachedStore));
    const uncached = await runCycle(twoReplicasOn(uncachedStore, 0));

    expect(cached).toStrictEqual(uncached);
    expect(await cachedStore.readAll()).toStrictEqual(await uncachedStore.readAll());
    // The cycle did what it says: rejections, a replay, a resubmission, an amendment.
    expect(cached.slice(0, 18)).toMatchObject([
      {},
      {},
      { result: { version: 1, replayed: false } },
      {},
      { result: { version: 2 } },
      { error: { code: 'no_op_revision' } },
      { result: { version: 1, replayed: true } },
      { error: { name: 'ConcurrencyConflictError', expected: 1, actual: 2 } },
      { result: { version: 3 } },
      {},
      { result: { version: 3, eventTypes: ['PledgeSubmitted'] } },
      {},
      {},
      { error: { code: 'indication_raised_after_closing' } },
      { result: { state: { status: 'proposed' } } },
      {},
      { result: { version: 4 } },
      { result: { version: 6, state: { status: 'adopted' } } },
    ]);
    // And the cache did its work.
    expect(cachedStore.eventsRead()).toBeLessThan(uncachedStore.eventsRead() / 2);
  });

  it('reads only the events appended since its last command on a stream', async () => {
    const store = new ReadRecordingStore(new InMemoryEventStore());
    const tracker = aReplica(store);
    const as = contexts();
    await givenOpenPlan(tracker, as);
    await tracker.putPledge(PLAN_ID, 'DE', { lines: [aLine()] }, as(germany));
    for (let persons = 101; persons <= 110; persons += 1) {
      await tracker.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons })], reason: 'Revision' },
        as(germany),
      );
    }
    store.takeReads();

    const result = await tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine({ persons: 500 })], reason: 'Revision' },
      as(germany),
    );

    expect(result.version).toBe(12);
    // Its own stream is not read at all: the append's expected version checks the cached state.
    expect(store.takeReads()).toEqual([{ streamId: PLAN_STREAM, fromVersion: 2, versions: [] }]);

    // Events another writer appended meanwhile are the only ones read.
    const other = aReplica(store);
    await other.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine({ persons: 600 })], reason: 'Other replica' },
      as(germany),
    );
    await other.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine({ persons: 700 })], reason: 'Other replica' },
      as(germany),
    );
    store.takeReads();

    const afterOthers = await tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine({ persons: 800 })], reason: 'Revision' },
      as(germany),
    );

    // Decided on the stale cache first, refused by the append's version check, then decided
    // again on the stream read from the cached version.
    expect(store.takeReads()).toEqual([
      { streamId: PLAN_STREAM, fromVersion: 2, versions: [] },
      { streamId: DE_STREAM, fromVersion: 12, versions: [13, 14] },
      { streamId: PLAN_STREAM, fromVersion: 2, versions: [] },
    ]);
    expect(afterOthers.version).toBe(15);
  });

  it('replays an older idempotent write from the stream, not from the later cached state', async () => {
    const store = new ReadRecordingStore(new InMemoryEventStore());
    const tracker = aReplica(store);
    const as = contexts();
    await givenOpenPlan(tracker, as);
    const idempotency = { key: 'de-ministry:put-1', fingerprint: 'sha256:put-1' };
    const first = await tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine()] },
      as(germany, { idempotency }),
    );
    await tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine({ persons: 300 })], reason: 'More' },
      as(germany),
    );
    store.takeReads();

    const replay = await tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine()] },
      as(germany, { idempotency }),
    );

    expect(replay).toStrictEqual({ ...first, replayed: true, eventTypes: [] });
    // The state up to the written version, then that version's event alone, for its plan status.
    expect(store.takeReads()).toEqual([
      { streamId: DE_STREAM, fromVersion: undefined, versions: [1] },
      { streamId: DE_STREAM, fromVersion: 0, versions: [1] },
    ]);
    expect((await tracker.readPledge(PLAN_ID, 'DE')).state).toStrictEqual({
      status: 'active',
      lines: [aLine({ persons: 300 })],
    });
  });

  it('sees what a replica on another connection wrote before it decides', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'state-cache-'));
    const file = join(directory, 'events.db');
    const first = openSqliteEventStore(file);
    const second = openSqliteEventStore(file);
    try {
      const a = aReplica(first);
      const b = aReplica(second);
      const as = contexts();
      await givenOpenPlan(a, as);
      await a.putPledge(PLAN_ID, 'DE', { lines: [aLine()] }, as(germany));

      await b.withdrawPledge(PLAN_ID, 'DE', 'Reception crisis', as(germany));
      const resubmitted = await a.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 50 })] },
        as(germany),
      );

      expect(resubmitted).toMatchObject({ version: 3, eventTypes: ['PledgeSubmitted'] });

      const stale = await outcomeOf(() =>
        b.putPledge(
          PLAN_ID,
          'DE',
          { lines: [aLine({ persons: 60 })], reason: 'Seen version 2 only' },
          as(germany, { expectedVersion: 2 }),
        ),
      );
      expect(stale).toMatchObject({
        error: { name: 'ConcurrencyConflictError', expected: 2, actual: 3 },
      });

      await b.closePledging(PLAN_ID, as(commission));
      const raised = await outcomeOf(() =>
        a.putPledge(
          PLAN_ID,
          'DE',
          { lines: [aLine({ persons: 70 })], reason: 'Late' },
          as(germany),
        ),
      );
      expect(raised).toMatchObject({ error: { code: 'indication_raised_after_closing' } });
      expect((await a.readPlan(PLAN_ID)).status).toBe('pledging_closed');
    } finally {
      await first.close();
      await second.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('folds afresh a stream shorter than the state cached for it', async () => {
    const stateCache = new StreamStateCache();
    const longer = new InMemoryEventStore();
    const shorter = new InMemoryEventStore();
    const submitted = (persons: number): EventToAppend => ({
      id: `event-${persons}`,
      type: 'PledgeRevised',
      data: aPledgeRevised({ lines: [aLine({ persons })] }).data,
      metadata: {
        actor: germany,
        recordedAt: NOW,
        correlationId: 'c',
        causationId: 'c',
        schemaVersion: currentSchemaVersion('PledgeRevised'),
      },
    });
    await longer.append(DE_STREAM, [submitted(1), submitted(2), submitted(3)], {
      expectedVersion: 'no_stream',
    });
    await shorter.append(DE_STREAM, [submitted(4)], { expectedVersion: 'no_stream' });
    await foldStream({ store: longer, stateCache }, DE_STREAM, pledgeDecider);

    const folded = await foldStream({ store: shorter, stateCache }, DE_STREAM, pledgeDecider);

    expect(folded).toStrictEqual({
      version: 1,
      state: { status: 'active', lines: [aLine({ persons: 4 })] },
    });
  });
});
