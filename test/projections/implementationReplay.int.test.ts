/**
 * The replay check and the read-model snapshots cover the monthly implementation reports: on a log
 * written through the tracker (a plan adopted and amended, reports submitted and corrected, one on a
 * Member State's behalf), the live state's digest equals a replay's, a report changed behind the
 * log's back is found, and a restart from a snapshot, or a read as of any position, gives the same
 * reports as a fold from the first event. On both event stores.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTracker, type RequestContext } from '../../src/application/tracker';
import type { Actor } from '../../src/domain/shared/messages';
import type { AdmissionLine } from '../../src/domain/implementation/implementationReport';
import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import type { EventStore } from '../../src/eventStore/port';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import {
  ALL_PARTICIPANTS,
  ALL_PROJECTIONS,
  planReadModel,
  Projector,
  type PlanReadModelState,
} from '../../src/projections';
import { getReport, listReports } from '../../src/projections/implementation';
import { InMemorySnapshotStore, type SnapshotStore } from '../../src/snapshots/snapshotStore';
import { SqliteSnapshotStore } from '../../src/snapshots/sqliteSnapshotStore';

const PLAN_ID = '2026-2027';
const EVERY = 4;

const commission: Actor = { id: 'dg-home', role: 'commission' };
const ministry = (memberState: string): Actor => ({
  id: `${memberState.toLowerCase()}-ministry`,
  role: 'member_state',
  memberState,
});

const resettled = (hostCountry: string, persons: number, extra: Partial<AdmissionLine> = {}) =>
  ({ admissionType: 'resettlement', hostCountry, persons, ...extra }) as const;

/** Writes through the tracker, its clock moved to each instant given. */
function writer(store: EventStore) {
  let now = Date.parse('2025-09-01T08:00:00.000Z');
  const tracker = createTracker({ store, clock: () => new Date(now), newId: randomUUID });
  const as = (actor: Actor): RequestContext => ({
    actor,
    correlationId: randomUUID(),
    requestId: randomUUID(),
  });
  const on = (instant: string) => {
    now = Date.parse(instant);
    return tracker;
  };
  return { tracker, as, on };
}

/** A plan adopted in December 2025, then four months of reports, corrections and an amendment. */
async function writeImplementedPlan(store: EventStore): Promise<void> {
  const { as, on } = writer(store);
  await on('2025-09-01T08:00:00Z').createPlan(
    {
      planId: PLAN_ID,
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      priorityCountries: ['EG', 'LB', 'TR'],
      regions: [{ id: 'latin_america', name: 'Latin America', countries: ['CO', 'CR'] }],
    },
    as(commission),
  );
  await on('2025-09-02T08:00:00Z').openPledging(PLAN_ID, {}, as(commission));
  const pledges = {
    DE: [
      resettled('TR', 600),
      { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 200 },
    ],
    FR: [
      resettled('LB', 300),
      { admissionType: 'emergency_admission', emergencyBasis: 'resettlement', persons: 40 },
    ],
    NO: [resettled('TR', 120)],
  } as const;
  for (const [code, lines] of Object.entries(pledges)) {
    await on('2025-09-20T08:00:00Z').putPledge(
      PLAN_ID,
      code,
      { lines, submitOnly: true },
      as(ministry(code)),
    );
  }
  await on('2025-11-01T08:00:00Z').closePledging(PLAN_ID, as(commission));
  await on('2025-11-11T08:00:00Z').recordProposal(
    PLAN_ID,
    { reference: 'COM(2025) 650', proposedOn: '2025-11-11' },
    as(commission),
  );
  await on('2025-12-18T08:00:00Z').recordAdoption(
    PLAN_ID,
    { actReference: 'Council Implementing Decision (EU) 2025/2628', adoptedOn: '2025-12-18' },
    as(commission),
  );
  const report = (
    code: string,
    month: string,
    admissions: readonly AdmissionLine[],
    reason?: string,
  ) =>
    on(`${month}-28T10:00:00Z`).putImplementationReport(
      PLAN_ID,
      code,
      month,
      {
        admissions,
        procedure: {
          registered: 30,
          positiveConclusions: admissions.length * 7,
          openBeyond7Months: 0,
        },
        ...(reason === undefined ? { submitOnly: true } : { reason }),
      },
      as(ministry(code)),
    );
  for (const month of ['2026-01', '2026-02', '2026-03', '2026-04']) {
    const index = Number(month.slice(5));
    await report('DE', month, [
      resettled('TR', 20 * index, { vulnerablePersons: 5, familyMembers: 2 }),
      {
        admissionType: 'humanitarian_admission',
        hostCountry: 'LB',
        persons: 8,
        vulnerablePersons: 3,
        bySex: { female: 5, male: 3, nonBinary: 0 },
      },
    ]);
    // France admits nothing in January: an empty report is a report.
    await report('FR', month, index === 1 ? [] : [resettled('LB', 10 + index)]);
    await report('NO', month, [resettled('TR', 4)]);
  }
  await report('DE', '2026-02', [resettled('TR', 42)], 'Humanitarian arrivals belong to March');
  await on('2026-03-10T09:00:00Z').recordAmendment(
    PLAN_ID,
    {
      actReference: 'Council Implementing Decision (EU) 2026/400',
      adoptedOn: '2026-03-10',
      reason: 'Unforeseen crisis: Sudan added',
      addPriorityCountries: ['SD'],
      contributions: [{ memberState: 'FR', lines: [resettled('LB', 250), resettled('SD', 50)] }],
    },
    as(commission),
  );
  // The Commission corrects France's March report on its behalf, with an emergency admission.
  await on('2026-04-15T09:00:00Z').putImplementationReport(
    PLAN_ID,
    'FR',
    '2026-03',
    {
      admissions: [
        resettled('LB', 13),
        { admissionType: 'emergency_admission', emergencyBasis: 'resettlement', persons: 2 },
      ],
      reason: 'Medical evacuation added',
    },
    as(commission),
  );
}

/** What an auditor compares: every report of the plan as its views show them. */
const reportsIn = (state: PlanReadModelState) => listReports(state, PLAN_ID, ALL_PARTICIPANTS);

describe.each([
  [
    'in memory, snapshots in memory',
    () => ({ store: new InMemoryEventStore(), snapshots: new InMemorySnapshotStore() }),
  ],
  [
    'in SQLite, snapshots in SQLite',
    (directory: string) => ({
      store: openSqliteEventStore(join(directory, 'events.db')),
      snapshots: SqliteSnapshotStore.open(join(directory, 'snapshots.db')),
    }),
  ],
] as const)('implementation reports %s', (_label, open) => {
  let directory: string;
  let store: EventStore;
  let snapshots: SnapshotStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'implementation-replay-'));
    ({ store, snapshots } = open(directory));
    await writeImplementedPlan(store);
  });
  afterEach(async () => {
    snapshots.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const caughtUp = async () => {
    const projector = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: EVERY });
    await projector.catchUp();
    return projector;
  };

  const fromEmpty = async () => {
    const projector = new Projector(store, ALL_PROJECTIONS);
    await projector.catchUp();
    return projector.state(planReadModel);
  };

  it('passes the replay check: the live digest, reports included, is the replay’s, every snapshot intact', async () => {
    const projector = await caughtUp();
    const head = await store.headPosition();

    const check = await projector.replayCheck();

    expect(check).toMatchObject({ ok: true, position: head, eventCount: head });
    for (const projection of check.projections) {
      expect([projection.name, projection.equal]).toEqual([projection.name, true]);
      expect(projection.liveDigest).toBe(projection.rebuiltDigest);
    }
    expect(check.snapshots.length).toBe(Math.floor(head / EVERY));
    expect(check.snapshots.every((s) => s.payloadIntact && s.matchesLog)).toBe(true);
    // the check did see reports: 12 of them, two corrected
    const reports = reportsIn(projector.state(planReadModel));
    expect(reports?.reports.map((r) => `${r.memberState} ${r.month} v${r.version}`)).toEqual([
      'DE 2026-01 v1',
      'DE 2026-02 v2',
      'DE 2026-03 v1',
      'DE 2026-04 v1',
      'FR 2026-01 v1',
      'FR 2026-02 v1',
      'FR 2026-03 v2',
      'FR 2026-04 v1',
    ]);
    expect(reports?.associatedStates.map((r) => r.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
    ]);
  });

  it('fails the replay check when a report in the live state no longer follows from the log', async () => {
    const projector = await caughtUp();
    const report = projector
      .state(planReadModel)
      .plans.get(PLAN_ID)
      ?.reports.get('DE')
      ?.get('2026-03');
    if (report === undefined) throw new Error('missing report');
    report.admissions = [resettled('TR', 61)];

    const check = await projector.replayCheck();

    expect(check.ok).toBe(false);
    expect(check.projections.map((p) => [p.name, p.equal])).toEqual([
      ['planReadModel', false],
      ['storageUsage', true],
    ]);
  });

  it('restarts from the latest snapshot with the same reports, and catches up on corrections made since', async () => {
    const first = await caughtUp();
    const head = await store.headPosition();
    const latestSnapshot = Math.floor(head / EVERY) * EVERY;
    // written after the first process stopped
    const { as, on } = writer(store);
    await on('2026-05-02T09:00:00Z').putImplementationReport(
      PLAN_ID,
      'NO',
      '2026-04',
      { admissions: [resettled('TR', 5)], reason: 'One more arrival' },
      as(ministry('NO')),
    );
    await on('2026-05-03T09:00:00Z').putImplementationReport(
      PLAN_ID,
      'DE',
      '2026-05',
      { admissions: [resettled('TR', 90)], submitOnly: true },
      as(ministry('DE')),
    );

    const restarted = new Projector(store, ALL_PROJECTIONS, { snapshots, snapshotEvery: EVERY });
    expect(await restarted.restoreFromSnapshot()).toBe(latestSnapshot);
    const reference = new Projector(store, ALL_PROJECTIONS);
    expect(reportsIn(restarted.state(planReadModel))).toEqual(
      reportsIn((await reference.stateAsOf(planReadModel, { position: latestSnapshot })).state),
    );

    expect(await restarted.catchUp()).toBe(head + 2);
    const folded = await fromEmpty();
    expect(restarted.state(planReadModel)).toEqual(folded);
    expect(reportsIn(restarted.state(planReadModel))).toEqual(reportsIn(folded));
    expect(getReport(restarted.state(planReadModel), PLAN_ID, 'NO', '2026-04')).toMatchObject({
      version: 2,
      admitted: 5,
      lastReason: 'One more arrival',
    });
    expect(getReport(restarted.state(planReadModel), PLAN_ID, 'FR', '2026-03')).toMatchObject({
      version: 2,
      admitted: 15,
      onBehalf: true,
      lastReason: 'Medical evacuation added',
    });
    // the first process's state, caught up too, is the same
    await first.catchUp();
    expect(reportsIn(first.state(planReadModel))).toEqual(reportsIn(folded));
    expect((await restarted.replayCheck()).ok).toBe(true);
  });

  it('reads the reports as of every position as a fold from the first event does', async () => {
    const projector = await caughtUp();
    const reference = new Projector(store, ALL_PROJECTIONS);
    const head = await store.headPosition();
    for (let position = 0; position <= head; position++) {
      const asOf = await projector.stateAsOf(planReadModel, { position });
      const expected = await reference.stateAsOf(planReadModel, { position });
      expect([position, reportsIn(asOf.state)]).toEqual([position, reportsIn(expected.state)]);
    }
  });
});
