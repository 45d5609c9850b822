import { v4 as uuidv4 } from 'uuid';
import { ForbiddenError } from '../../src/application/accessPolicy';
import { createTracker, type RequestContext, type Tracker } from '../../src/application/tracker';
import { DomainError } from '../../src/domain/shared/domainError';
import type { Actor } from '../../src/domain/shared/messages';
import type { PledgeLine } from '../../src/domain/shared/pledgeLine';
import { pledgeStreamId } from '../../src/domain/pledge/pledge';
import { unionPlanStreamId } from '../../src/domain/unionPlan/unionPlan';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import {
  ConcurrencyConflictError,
  IdempotencyKeyReusedError,
  type RecordedEvent,
} from '../../src/eventStore/port';
import { currentSchemaVersion } from '../../src/domain/events';
import { DEADLINE, NOW, PLAN_ID, aLine } from '../domain/builders';

const commission: Actor = { id: 'dg-home', role: 'commission' };
const auditor: Actor = { id: 'court-of-auditors', role: 'auditor' };
const memberState = (code: string): Actor => ({
  id: `${code.toLowerCase()}-ministry`,
  role: 'member_state',
  memberState: code,
});
const germany = memberState('DE');
const france = memberState('FR');

const PLAN_STREAM = unionPlanStreamId(PLAN_ID);
const DE_STREAM = pledgeStreamId(PLAN_ID, 'DE');

interface Harness {
  readonly store: InMemoryEventStore;
  readonly tracker: Tracker;
  readonly ids: string[];
}

/** A tracker over a fresh in-memory store, a fixed clock and recorded event ids. */
function aTracker(): Harness {
  const store = new InMemoryEventStore();
  const ids: string[] = [];
  const tracker = createTracker({
    store,
    clock: () => new Date(NOW),
    newId: () => {
      const id = uuidv4();
      ids.push(id);
      return id;
    },
  });
  return { store, tracker, ids };
}

function as(actor: Actor, overrides: Partial<RequestContext> = {}): RequestContext {
  return { actor, correlationId: uuidv4(), requestId: uuidv4(), ...overrides };
}

async function givenOpenPlan({ tracker }: Harness): Promise<void> {
  await tracker.createPlan(
    { planId: PLAN_ID, periodStart: '2026-01-01', periodEnd: '2027-12-31' },
    as(commission),
  );
  await tracker.openPledging(PLAN_ID, { deadline: DEADLINE }, as(commission));
}

async function givenGermanPledge(harness: Harness, lines: readonly PledgeLine[] = [aLine()]) {
  await givenOpenPlan(harness);
  return harness.tracker.putPledge(PLAN_ID, 'DE', { lines }, as(germany));
}

/** Runs an action that must fail, and checks the log did not move. */
async function expectNothingAppended(
  store: InMemoryEventStore,
  action: () => Promise<unknown>,
): Promise<unknown> {
  const before = await store.headPosition();
  const error = await action().then(
    () => {
      throw new Error('expected the command to be rejected');
    },
    (rejection: unknown) => rejection,
  );
  expect(await store.headPosition()).toBe(before);
  return error;
}

async function eventsOf(store: InMemoryEventStore, streamId: string) {
  return (await store.readStream(streamId)).events;
}

describe('Tracker: the generic handler records who, when, why and under which request', () => {
  it('appends the event with the full metadata and the injected id', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    const context = as(germany, {
      idempotency: { key: 'de-ministry:withdraw-1', fingerprint: 'sha256:withdraw' },
    });

    const result = await harness.tracker.withdrawPledge(
      PLAN_ID,
      'DE',
      'Reception capacity exhausted',
      context,
    );

    expect(result).toMatchObject({ streamId: DE_STREAM, version: 2, replayed: false });
    expect(result.eventTypes).toEqual(['PledgeWithdrawn']);
    const last = (await eventsOf(harness.store, DE_STREAM)).at(-1);
    expect(last).toStrictEqual<RecordedEvent>({
      id: harness.ids.at(-1) ?? '',
      streamId: DE_STREAM,
      streamVersion: 2,
      globalPosition: result.position,
      type: 'PledgeWithdrawn',
      data: {
        planId: PLAN_ID,
        memberState: 'DE',
        reason: 'Reception capacity exhausted',
        planStatus: 'pledging_open',
      },
      metadata: {
        actor: germany,
        recordedAt: NOW,
        reason: 'Reception capacity exhausted',
        correlationId: context.correlationId,
        causationId: context.requestId,
        idempotencyKey: 'de-ministry:withdraw-1',
        schemaVersion: currentSchemaVersion('PledgeWithdrawn'),
      },
    });
  });

  it('leaves out reason and idempotency key when the request has none', async () => {
    const harness = aTracker();
    const context = as(commission);
    await harness.tracker.createPlan(
      { planId: PLAN_ID, periodStart: '2026-01-01', periodEnd: '2027-12-31' },
      context,
    );
    const [created] = await eventsOf(harness.store, PLAN_STREAM);
    expect(created?.metadata).toStrictEqual({
      actor: commission,
      recordedAt: NOW,
      correlationId: context.correlationId,
      causationId: context.requestId,
      schemaVersion: currentSchemaVersion('UnionPlanCreated'),
    });
  });

  it('hands the clock’s time to the domain: the deadline is checked against it', async () => {
    const harness = aTracker();
    await harness.tracker.createPlan(
      { planId: PLAN_ID, periodStart: '2026-01-01', periodEnd: '2027-12-31' },
      as(commission),
    );
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.openPledging(PLAN_ID, { deadline: '2025-09-14' }, as(commission)),
    );
    expect(error).toMatchObject({ code: 'invalid_deadline', facts: { now: NOW } });
  });
});

describe('Tracker: authorisation', () => {
  it('refuses a Member State acting for another one, and appends nothing', async () => {
    const harness = aTracker();
    await givenOpenPlan(harness);
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(PLAN_ID, 'FR', { lines: [aLine()] }, as(germany)),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(await eventsOf(harness.store, pledgeStreamId(PLAN_ID, 'FR'))).toEqual([]);
  });

  it('refuses a Member State withdrawing another one’s pledge', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.withdrawPledge(PLAN_ID, 'DE', 'Not mine to withdraw', as(france)),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('refuses Greece’s pledge under its alias GR from another Member State', async () => {
    const harness = aTracker();
    await givenOpenPlan(harness);
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(PLAN_ID, 'GR', { lines: [aLine()] }, as(germany)),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('lets Greece pledge under GR, stored under its canonical code EL', async () => {
    const harness = aTracker();
    await givenOpenPlan(harness);
    const result = await harness.tracker.putPledge(
      PLAN_ID,
      'GR',
      { lines: [aLine()] },
      as(memberState('EL')),
    );
    expect(result).toMatchObject({ memberState: 'EL', streamId: pledgeStreamId(PLAN_ID, 'EL') });
  });

  it('refuses every write by an auditor, and appends nothing', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    const writes: readonly (() => Promise<unknown>)[] = [
      () =>
        harness.tracker.createPlan(
          { planId: '2028-2029', periodStart: '2028-01-01', periodEnd: '2029-12-31' },
          as(auditor),
        ),
      () => harness.tracker.closePledging(PLAN_ID, as(auditor)),
      () => harness.tracker.putPledge(PLAN_ID, 'DE', { lines: [aLine()] }, as(auditor)),
      () => harness.tracker.withdrawPledge(PLAN_ID, 'DE', 'Audit', as(auditor)),
    ];
    for (const write of writes) {
      expect(await expectNothingAppended(harness.store, write)).toBeInstanceOf(ForbiddenError);
    }
  });

  it('refuses a Member State creating or running a plan (the promise rejects)', async () => {
    const harness = aTracker();
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.createPlan(
        { planId: PLAN_ID, periodStart: '2026-01-01', periodEnd: '2027-12-31' },
        as(germany),
      ),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    await expect(harness.tracker.openPledging(PLAN_ID, {}, as(germany))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('refuses the Commission writing a Member State’s pledge', async () => {
    const harness = aTracker();
    await givenOpenPlan(harness);
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(PLAN_ID, 'DE', { lines: [aLine()] }, as(commission)),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('lets Ireland pledge: it is bound by the Framework', async () => {
    const harness = aTracker();
    await givenOpenPlan(harness);
    const result = await harness.tracker.putPledge(
      PLAN_ID,
      'IE',
      { lines: [aLine()] },
      as(memberState('IE')),
    );
    expect(result).toMatchObject({ memberState: 'IE', version: 1 });
  });

  it('refuses Denmark, not bound by the Framework', async () => {
    const harness = aTracker();
    await givenOpenPlan(harness);
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(PLAN_ID, 'DK', { lines: [aLine()] }, as(memberState('DK'))),
    );
    expect(error).toMatchObject({ code: 'participant_not_bound' });
  });
});

describe('Tracker: idempotency and concurrency', () => {
  it('replays a repeated idempotency key: same version, nothing appended', async () => {
    const harness = aTracker();
    await givenOpenPlan(harness);
    const idempotency = { key: 'de-ministry:pledge-1', fingerprint: 'sha256:pledge' };
    const first = await harness.tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine()] },
      as(germany, { idempotency }),
    );
    const head = await harness.store.headPosition();

    const again = await harness.tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine()] },
      as(germany, { idempotency }),
    );

    expect(again).toMatchObject({
      streamId: DE_STREAM,
      version: first.version,
      position: first.position,
      replayed: true,
      eventTypes: [],
    });
    expect(again.state).toStrictEqual(first.state);
    expect(await harness.store.headPosition()).toBe(head);
    expect(await eventsOf(harness.store, DE_STREAM)).toHaveLength(1);
  });

  it('refuses a key reused for a different request, appending nothing', async () => {
    const harness = aTracker();
    await givenOpenPlan(harness);
    const key = 'de-ministry:pledge-1';
    await harness.tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine()] },
      as(germany, { idempotency: { key, fingerprint: 'sha256:first' } }),
    );
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 5 })], reason: 'Other request' },
        as(germany, { idempotency: { key, fingerprint: 'sha256:second' } }),
      ),
    );
    expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('refuses a stale expected version with a conflict, appending nothing', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    await harness.tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine({ persons: 200 })], reason: 'More places' },
      as(germany),
    );

    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 300 })], reason: 'Seen version 1 only' },
        as(germany, { expectedVersion: 1 }),
      ),
    );

    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(error).toMatchObject({ streamId: DE_STREAM, expected: 1, actual: 2 });
  });

  it('accepts the current expected version', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    const result = await harness.tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine({ persons: 200 })], reason: 'More places' },
      as(germany, { expectedVersion: 1 }),
    );
    expect(result).toMatchObject({ version: 2, eventTypes: ['PledgeRevised'] });
  });

  it('retries a lost race without an expected version: two concurrent revisions both land', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    const [first, second] = await Promise.all(
      [1, 2].map((index) =>
        harness.tracker.putPledge(
          PLAN_ID,
          'DE',
          { lines: [aLine({ persons: 1000 + index })], reason: `Revision ${index}` },
          as(germany),
        ),
      ),
    );
    expect([first?.version, second?.version].sort()).toEqual([2, 3]);
    const events = await eventsOf(harness.store, DE_STREAM);
    expect(events.map((event) => event.type)).toEqual([
      'PledgeSubmitted',
      'PledgeRevised',
      'PledgeRevised',
    ]);
  });

  it('keeps the stream consistent under many concurrent revisions: no lost update', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    const revisions = Array.from({ length: 12 }, (_, index) => index + 1);

    const outcomes = await Promise.allSettled(
      revisions.map((index) =>
        harness.tracker.putPledge(
          PLAN_ID,
          'DE',
          { lines: [aLine({ persons: 1000 + index })], reason: `Revision ${index}` },
          as(germany),
        ),
      ),
    );

    const landed = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    for (const reason of failed) expect(reason).toBeInstanceOf(ConcurrencyConflictError);
    // More than one landed: a lost race is retried on fresh state.
    expect(landed.length).toBeGreaterThan(1);
    expect(landed.length + failed.length).toBe(revisions.length);

    const events = await eventsOf(harness.store, DE_STREAM);
    // Versions are contiguous, and exactly the landed revisions follow the submission.
    expect(events.map((event) => event.streamVersion)).toEqual(
      events.map((_event, index) => index + 1),
    );
    expect(events.map((event) => event.type)).toEqual([
      'PledgeSubmitted',
      ...landed.map(() => 'PledgeRevised'),
    ]);
    // Each landed revision owns its own version, and that event holds its lines.
    expect(new Set(landed.map((result) => result.version)).size).toBe(landed.length);
    for (const result of landed) {
      const event = events[result.version - 1];
      expect(result.state.status === 'active' && result.state.lines).toStrictEqual(
        (event?.data as { lines: unknown }).lines,
      );
    }
    // The folded state is the last event's lines.
    const { state, version } = await harness.tracker.readPledge(PLAN_ID, 'DE');
    expect(version).toBe(events.length);
    expect(state).toStrictEqual({
      status: 'active',
      lines: (events.at(-1)?.data as { lines: unknown }).lines,
    });
  });
});

describe('Tracker: proposal and rejected commands', () => {
  it('compiles the active pledges into the proposal (Ireland among them); withdrawn ones are left out', async () => {
    const harness = aTracker();
    const { tracker } = harness;
    await givenOpenPlan(harness);
    await tracker.putPledge(PLAN_ID, 'FR', { lines: [aLine({ persons: 300 })] }, as(france));
    await tracker.putPledge(PLAN_ID, 'DE', { lines: [aLine({ persons: 500 })] }, as(germany));
    await tracker.putPledge(
      PLAN_ID,
      'IT',
      { lines: [aLine({ hostCountry: 'ly', persons: 100 })] },
      as(memberState('IT')),
    );
    await tracker.putPledge(
      PLAN_ID,
      'IT',
      { lines: [aLine({ hostCountry: 'LY', persons: 150 })], reason: 'Corridor extended' },
      as(memberState('IT')),
    );
    await tracker.putPledge(PLAN_ID, 'NL', { lines: [aLine()] }, as(memberState('NL')));
    await tracker.withdrawPledge(PLAN_ID, 'NL', 'Reception crisis', as(memberState('NL')));
    await tracker.putPledge(
      PLAN_ID,
      'GR',
      { lines: [aLine({ persons: 50 })] },
      as(memberState('EL')),
    );
    await tracker.putPledge(
      PLAN_ID,
      'IE',
      { lines: [aLine({ persons: 40 })] },
      as(memberState('IE')),
    );
    await tracker.putPledge(
      PLAN_ID,
      'NO',
      { lines: [aLine({ persons: 70 })] },
      as(memberState('NO')),
    );
    await tracker.closePledging(PLAN_ID, as(commission));

    const result = await tracker.recordProposal(
      PLAN_ID,
      { reference: 'COM(2025) Union Plan 2026-2027', proposedOn: '2025-11-11' },
      as(commission),
    );

    const proposed = (await eventsOf(harness.store, PLAN_STREAM)).at(-1);
    expect(proposed?.type).toBe('PlanProposed');
    expect(proposed?.data).toStrictEqual({
      planId: PLAN_ID,
      reference: 'COM(2025) Union Plan 2026-2027',
      proposedOn: '2025-11-11',
      contributions: [
        { memberState: 'DE', lines: [aLine({ persons: 500 })] },
        { memberState: 'EL', lines: [aLine({ persons: 50 })] },
        { memberState: 'FR', lines: [aLine({ persons: 300 })] },
        { memberState: 'IE', lines: [aLine({ persons: 40 })] },
        { memberState: 'IT', lines: [aLine({ hostCountry: 'LY', persons: 150 })] },
      ],
      // Norway associates itself with the implementation (Art. 12): beside the plan, not in it.
      associatedStates: [{ memberState: 'NO', lines: [aLine({ persons: 70 })] }],
    });
    expect(result.state.status).toBe('proposed');
  });

  it('leaves out of the proposal a pledge that landed after the round closed', async () => {
    const harness = aTracker();
    const { tracker, store } = harness;
    await givenOpenPlan(harness);
    await tracker.putPledge(PLAN_ID, 'DE', { lines: [aLine({ persons: 500 })] }, as(germany));
    await tracker.closePledging(PLAN_ID, as(commission));
    // A revision decided while the plan was still open, written just after the closing.
    await store.append(
      pledgeStreamId(PLAN_ID, 'DE'),
      [
        {
          id: uuidv4(),
          type: 'PledgeRevised',
          data: {
            planId: PLAN_ID,
            memberState: 'DE',
            lines: [aLine({ persons: 900 })],
            reason: 'Late',
            planStatus: 'pledging_open',
          },
          metadata: {
            actor: germany,
            recordedAt: NOW,
            correlationId: 'c',
            causationId: 'c',
            schemaVersion: currentSchemaVersion('PledgeRevised'),
          },
        },
      ],
      { expectedVersion: 1 },
    );

    await tracker.recordProposal(
      PLAN_ID,
      { reference: 'COM(2025) Union Plan 2026-2027', proposedOn: '2025-11-11' },
      as(commission),
    );

    const proposed = (await eventsOf(store, PLAN_STREAM)).at(-1);
    expect(proposed?.data).toMatchObject({
      contributions: [{ memberState: 'DE', lines: [aLine({ persons: 500 })] }],
    });
  });

  it('refuses a proposal when nobody has an active pledge, appending nothing', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    await harness.tracker.withdrawPledge(PLAN_ID, 'DE', 'No capacity', as(germany));
    await harness.tracker.closePledging(PLAN_ID, as(commission));
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.recordProposal(
        PLAN_ID,
        { reference: 'COM(2025)', proposedOn: '2025-11-11' },
        as(commission),
      ),
    );
    expect(error).toMatchObject({ code: 'proposal_without_contributions' });
  });

  it('counts in the proposal what a Member State lowered or withdrew after the round closed', async () => {
    const harness = aTracker();
    const { tracker, store } = harness;
    await givenGermanPledge(harness, [aLine({ persons: 500 })]);
    await tracker.putPledge(PLAN_ID, 'FR', { lines: [aLine({ persons: 300 })] }, as(france));
    await tracker.closePledging(PLAN_ID, as(commission));
    await tracker.putPledge(
      PLAN_ID,
      'DE',
      { lines: [aLine({ persons: 350 })], reason: 'Reception capacity cut' },
      as(germany),
    );
    await tracker.withdrawPledge(PLAN_ID, 'FR', 'No capacity left', as(france));

    await tracker.recordProposal(
      PLAN_ID,
      { reference: 'COM(2025) Union Plan 2026-2027', proposedOn: '2025-11-11' },
      as(commission),
    );

    const lowered = (await eventsOf(store, DE_STREAM)).at(-1);
    expect(lowered).toMatchObject({
      type: 'PledgeRevised',
      data: { planStatus: 'pledging_closed' },
    });
    const proposed = (await eventsOf(store, PLAN_STREAM)).at(-1);
    expect(proposed?.data).toMatchObject({
      contributions: [{ memberState: 'DE', lines: [aLine({ persons: 350 })] }],
      associatedStates: [],
    });
  });

  it('appends nothing for a command the domain rejects', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    await harness.tracker.closePledging(PLAN_ID, as(commission));

    const raised = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 1000 })], reason: 'Late rise' },
        as(germany),
      ),
    );
    expect(raised).toBeInstanceOf(DomainError);
    expect(raised).toMatchObject({ code: 'indication_raised_after_closing' });

    const late = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(PLAN_ID, 'FR', { lines: [aLine()] }, as(france)),
    );
    expect(late).toMatchObject({ code: 'pledging_closed' });

    const transition = await expectNothingAppended(harness.store, () =>
      harness.tracker.closePledging(PLAN_ID, as(commission)),
    );
    expect(transition).toMatchObject({ code: 'invalid_transition' });
  });

  it('refuses a second submission when the caller asks for a new pledge only', async () => {
    const harness = aTracker();
    await givenGermanPledge(harness);
    const error = await expectNothingAppended(harness.store, () =>
      harness.tracker.putPledge(
        PLAN_ID,
        'DE',
        { lines: [aLine({ persons: 10 })], submitOnly: true },
        as(germany),
      ),
    );
    expect(error).toMatchObject({ code: 'pledge_already_submitted' });
  });

  it('runs a whole cycle to an amended plan', async () => {
    const harness = aTracker();
    const { tracker } = harness;
    await givenGermanPledge(harness, [aLine({ persons: 500 })]);
    await tracker.closePledging(PLAN_ID, as(commission));
    await tracker.recordProposal(
      PLAN_ID,
      { reference: 'COM(2025) Union Plan', proposedOn: '2025-11-11' },
      as(commission),
    );
    await tracker.recordAdoption(
      PLAN_ID,
      { actReference: 'Council Implementing Decision (EU) 2025/2628', adoptedOn: '2025-12-18' },
      as(commission),
    );
    const amended = await tracker.recordAmendment(
      PLAN_ID,
      {
        actReference: 'Amending decision',
        adoptedOn: '2026-06-15',
        reason: 'Add Ethiopia',
        addPriorityCountries: ['ET'],
      },
      as(commission),
    );
    expect(amended.version).toBe(6);
    expect(amended.state).toMatchObject({
      status: 'adopted',
      plan: { priorityCountries: ['ET'] },
      lastActOn: '2026-06-15',
    });
    const [amendment] = (await eventsOf(harness.store, PLAN_STREAM)).slice(-1);
    expect(amendment?.metadata).toMatchObject({ reason: 'Add Ethiopia' });
  });
});
