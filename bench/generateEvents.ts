/**
 * Writes a large, realistic and valid event log, many events per append, through the store's own
 * `append` or through the bulk loader (same schema, far fewer commits). Plans run one after the
 * other (one per two-year period): created, pledging opened, every bound Member State submits and
 * then revises its pledge (3 to 8 lines) many times, usually changing one or two lines, with an
 * occasional withdrawal and resubmission; pledging closes, the proposal snapshots the active
 * pledges, the Council adopts a reduced plan, later revisions are recorded with the plan status
 * `adopted` and three amendments take them in. Meanwhile every Member State of the adopted plan
 * reports each month of the period once it has ended, about one report in five corrected later
 * (up to 30 % of a plan's events; each report is an append of its own, as the API writes it, so
 * only the bulk-loaded log has them: see `GenerateOptions.reports`). Every event is today's shape,
 * and its metadata carries that schema version, as the command handler writes it. Pledge streams
 * are written round-robin in chunks of `eventsPerAppend`.
 *
 * Events are built with the domain's event types from line templates that the domain's own
 * `normaliseLines` has validated and normalised for the plan's period, so they are what the
 * deciders would record (a revision only changes persons, adds or drops a whole line).
 */
import { pledgeStreamId } from '../src/domain/pledge/pledgeEvents';
import type {
  PledgeEvent,
  PledgePlanStatus,
  PledgeRevised,
  PledgeSubmitted,
  PledgeWithdrawn,
} from '../src/domain/pledge/pledgeEvents';
import { normaliseLines, type LinePlan } from '../src/domain/shared/lineValidation';
import type { Actor } from '../src/domain/shared/messages';
import { sameLines, type Contribution, type PledgeLine } from '../src/domain/shared/pledgeLine';
import {
  unionPlanStreamId,
  type PlanAdopted,
  type PlanAmended,
  type PlanProposed,
  type PledgingClosed,
  type PledgingOpened,
  type UnionPlanCreated,
  type UnionPlanEvent,
} from '../src/domain/unionPlan/unionPlanEvents';
import {
  implementationReportStreamId,
  type AdmissionLine,
  type ImplementationReportEvent,
  type ProcedureCounts,
} from '../src/domain/implementation/implementationReportEvents';
import { monthsBetween } from '../src/domain/shared/dates';
import type { EventStore, EventToAppend } from '../src/eventStore/port';
import {
  BOUND_MEMBER_STATES,
  COMMISSION,
  ministry,
  requestMetadata,
  REVISION_REASONS,
  toEventToAppend,
} from './fixtures';

export interface GenerateOptions {
  /** Exactly this many events are written. */
  readonly totalEvents: number;
  readonly plans: number;
  /** Events per `append` call (each call is one durable transaction). */
  readonly eventsPerAppend: number;
  readonly seed: number;
  /**
   * Whether the plans' monthly implementation reports are written too. Each is an append of its
   * own, as the API writes it; through the adapter's durable append that costs a sync per report,
   * so the bulk-loaded log has them and the log written through the adapter does not.
   */
  readonly reports: boolean;
}

export interface GeneratedLog {
  readonly events: number;
  readonly appends: number;
  readonly plans: number;
  readonly pledgeStreams: number;
  readonly countsByType: ReadonlyMap<string, number>;
  readonly elapsedMs: number;
}

const PLAN_EVENTS_PER_PLAN = 8; // created, opened, closed, proposed, adopted, three amendments
const AMENDMENTS = 3;
const SHARE_BEFORE_ADOPTION = 0.7;
/** Every this many events of a stream, the Member State withdraws (and resubmits next). */
const WITHDRAW_EVERY = 40;
const MIN_LINES = 3;
const MAX_LINES = 8;
const INITIAL_PRIORITY_COUNTRIES = ['EG', 'JO', 'LB', 'TR'];
const AMENDMENT_PRIORITY_COUNTRIES = ['CO', 'ET', 'SD'];
const DAY_MS = 86_400_000;

/** Where a line may come from; at most one line per slot keeps the line keys of a set unique. */
interface LineSlot {
  readonly admissionType: PledgeLine['admissionType'];
  readonly hostCountry?: string;
  readonly emergencyBasis?: PledgeLine['emergencyBasis'];
  /** 0: the plan's first year, 1: its second, undefined: no year. */
  readonly yearOffset?: 0 | 1;
  readonly targetGroups?: readonly string[];
  readonly note?: string;
}

const LINE_SLOTS: readonly LineSlot[] = [
  {
    admissionType: 'resettlement',
    hostCountry: 'TR',
    yearOffset: 0,
    targetGroups: ['women_and_girls_at_risk', 'children'],
  },
  { admissionType: 'resettlement', hostCountry: 'TR', yearOffset: 1 },
  { admissionType: 'resettlement', hostCountry: 'LB', yearOffset: 0 },
  {
    admissionType: 'resettlement',
    hostCountry: 'JO',
    yearOffset: 1,
    targetGroups: ['medical_needs'],
  },
  { admissionType: 'resettlement', hostCountry: 'NE', yearOffset: 0 },
  { admissionType: 'resettlement', hostCountry: 'TD', yearOffset: 1 },
  {
    admissionType: 'resettlement',
    hostCountry: 'ET',
    targetGroups: ['survivors_of_violence_or_torture'],
  },
  { admissionType: 'resettlement', hostCountry: 'KE', yearOffset: 0 },
  { admissionType: 'resettlement', hostCountry: 'SD', yearOffset: 1 },
  { admissionType: 'resettlement', hostCountry: 'CO', note: 'Joint selection mission with UNHCR' },
  {
    admissionType: 'humanitarian_admission',
    hostCountry: 'TR',
    yearOffset: 0,
    targetGroups: ['family_members'],
  },
  { admissionType: 'humanitarian_admission', hostCountry: 'EG', yearOffset: 1 },
  {
    admissionType: 'humanitarian_admission',
    hostCountry: 'JO',
    note: 'Private sponsorship scheme',
  },
  { admissionType: 'humanitarian_admission', hostCountry: 'EC', yearOffset: 0 },
  { admissionType: 'emergency_admission', emergencyBasis: 'resettlement' },
  {
    admissionType: 'emergency_admission',
    emergencyBasis: 'humanitarian_admission',
    targetGroups: ['medical_needs'],
  },
];

/** mulberry32: a small seeded generator, so every run writes the same log. */
function createRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    return Math.floor(unit * below);
  };
}

function lineFrom(slot: LineSlot, persons: number, firstYear: number): PledgeLine {
  return {
    admissionType: slot.admissionType,
    ...(slot.hostCountry !== undefined && { hostCountry: slot.hostCountry }),
    persons,
    ...(slot.yearOffset !== undefined && { year: firstYear + slot.yearOffset }),
    ...(slot.emergencyBasis !== undefined && { emergencyBasis: slot.emergencyBasis }),
    ...(slot.targetGroups !== undefined && { targetGroups: [...slot.targetGroups] }),
    ...(slot.note !== undefined && { note: slot.note }),
  };
}

/** Every slot's line for one plan's period, normalised (and so validated) by the domain. */
function slotTemplates(period: LinePlan): PledgeLine[] {
  const firstYear = Number(period.periodStart.slice(0, 4));
  return normaliseLines(
    LINE_SLOTS.map((slot) => lineFrom(slot, 100, firstYear)),
    period,
    { allowEmpty: false },
  );
}

/** A line of a pledge with the slot it came from, so a revision knows which slots are free. */
interface SlotLine {
  readonly slot: number;
  readonly line: PledgeLine;
}

type Random = (below: number) => number;

const randomPersons = (random: Random): number => 10 * (5 + random(95));

function withPersons(templates: readonly PledgeLine[], slot: number, persons: number): SlotLine {
  const template = templates[slot];
  if (template === undefined) throw new RangeError(`No line slot ${slot}`);
  return { slot, line: { ...template, persons } };
}

/** A new pledge: 3 to 8 lines from distinct slots. */
function freshLines(random: Random, templates: readonly PledgeLine[]): SlotLine[] {
  const slots = templates.map((_template, slot) => slot);
  const size = MIN_LINES + random(MAX_LINES - MIN_LINES + 1);
  for (let index = 0; index < size; index++) {
    const pick = index + random(slots.length - index);
    [slots[index], slots[pick]] = [slots[pick] ?? 0, slots[index] ?? 0];
  }
  return slots
    .slice(0, size)
    .sort((a, b) => a - b)
    .map((slot) => withPersons(templates, slot, randomPersons(random)));
}

/**
 * A revision as ministries make them: usually one or two lines get other persons, sometimes a
 * line is added or dropped; the other lines stay as they were. Never a no-op.
 */
function revisedLines(
  random: Random,
  templates: readonly PledgeLine[],
  current: readonly SlotLine[],
): SlotLine[] {
  const roll = random(100);
  if (roll < 12 && current.length < MAX_LINES) {
    const used = new Set(current.map(({ slot }) => slot));
    const free = templates.map((_template, slot) => slot).filter((slot) => !used.has(slot));
    const added = withPersons(templates, free[random(free.length)] ?? 0, randomPersons(random));
    return [...current, added].sort((a, b) => a.slot - b.slot);
  }
  if (roll < 20 && current.length > MIN_LINES) {
    const dropped = random(current.length);
    return current.filter((_line, index) => index !== dropped);
  }
  const next = [...current];
  // One line, or two different ones: the same line changed twice could end where it started.
  const first = random(next.length);
  const changed =
    random(3) === 0 ? [first, (first + 1 + random(next.length - 1)) % next.length] : [first];
  for (const index of changed) {
    const previous = next[index];
    if (previous === undefined) continue;
    const step = 10 * (1 + random(10));
    const persons =
      previous.line.persons - step >= 10 && random(2) === 0
        ? previous.line.persons - step
        : previous.line.persons + step;
    next[index] = withPersons(templates, previous.slot, persons);
  }
  return next;
}

const linesOf = (slotLines: readonly SlotLine[]): PledgeLine[] => slotLines.map(({ line }) => line);

interface PledgeStream {
  readonly memberState: string;
  readonly streamId: string;
  readonly actor: Actor;
  version: number;
  status: 'none' | 'active' | 'withdrawn';
  lines: readonly SlotLine[];
  /** Counts the stream's events from a random offset; drives the withdrawals. */
  eventCount: number;
}

// ---- Monthly implementation reports (Art. 9; AMIF Art. 19) ----

/** Up to this share of a plan's events are its monthly implementation reports and corrections. */
const REPORT_SHARE = 0.3;
/** Two years of reports for every bound Member State, and a correction for one report in four. */
const MAX_REPORT_EVENTS = Math.floor(BOUND_MEMBER_STATES.length * 24 * 1.25);
/** Every this many reports, the Commission records one on the Member State's behalf. */
const ON_BEHALF_EVERY = 25;

const CORRECTION_REASONS: readonly string[] = [
  'Arrivals on the last flight of the month were counted in the next month',
  'Procedure counts completed once the national register was updated',
  'Art. 19(3) group counts added after the files were reviewed',
];

/** One report event waiting for its time: the stream's version before it, and when it is due. */
interface QueuedReport {
  readonly dueMs: number;
  readonly streamId: string;
  readonly version: number;
  readonly event: EventToAppend;
}

interface ReportStream {
  readonly memberState: string;
  readonly month: string;
  readonly streamId: string;
  version: number;
  admissions: AdmissionLine[];
  procedure: ProcedureCounts;
}

/** A month's admissions against a contribution's lines: those of the month's year or of no year. */
function monthAdmissions(
  random: Random,
  lines: readonly PledgeLine[],
  month: string,
  monthIndex: number,
): AdmissionLine[] {
  const year = Number(month.slice(0, 4));
  const admissions: AdmissionLine[] = [];
  for (const line of lines) {
    if (line.year !== undefined && line.year !== year) continue;
    const emergency = line.admissionType === 'emergency_admission';
    if (emergency && random(3) !== 0) continue;
    const persons = Math.round((line.persons / 24) * (0.4 + random(120) / 100));
    if (persons < 1) continue;
    const { note: _note, ...kept } = line;
    admissions.push({
      ...kept,
      persons,
      vulnerablePersons: Math.floor(persons * 0.3),
      familyMembers: monthIndex % 2 === 0 ? Math.floor(persons * 0.15) : 0,
    });
  }
  return admissions;
}

/**
 * A plan's reports as its Member States make them: each month, once it has ended, every Member
 * State of the adopted plan reports it; about one report in five is corrected once or twice in
 * the following weeks. Exactly `count` events: when two years of reports hold fewer, later
 * corrections (after audits) make up the rest. Sorted by the time each is due.
 */
function planReports(
  random: Random,
  planId: string,
  period: { readonly periodStart: string; readonly periodEnd: string },
  adopted: readonly Contribution[],
  count: number,
): QueuedReport[] {
  const queue: QueuedReport[] = [];
  const streams: ReportStream[] = [];
  let made = 0;
  const push = (stream: ReportStream, dueMs: number, reason?: string) => {
    made++;
    const onBehalf = made % ON_BEHALF_EVERY === 0;
    const common = {
      planId,
      memberState: stream.memberState,
      month: stream.month,
      admissions: stream.admissions,
      procedure: stream.procedure,
      onBehalf,
    };
    const event: ImplementationReportEvent =
      reason === undefined
        ? { type: 'ImplementationReportSubmitted', data: common }
        : { type: 'ImplementationReportCorrected', data: { ...common, reason } };
    const actor = onBehalf ? COMMISSION : ministry(stream.memberState);
    const recordedAt = new Date(dueMs).toISOString();
    queue.push({
      dueMs,
      streamId: stream.streamId,
      version: stream.version,
      event: toEventToAppend(event, requestMetadata(actor, recordedAt, reason, made % 2 === 0)),
    });
    stream.version++;
  };
  const correct = (stream: ReportStream, dueMs: number) => {
    const [first, ...rest] = stream.admissions;
    if (first === undefined) {
      stream.procedure = {
        ...stream.procedure,
        registered: (stream.procedure.registered ?? 0) + 1,
      };
    } else {
      stream.admissions = [{ ...first, persons: first.persons + 1 }, ...rest];
    }
    push(stream, dueMs, CORRECTION_REASONS[random(CORRECTION_REASONS.length)] ?? 'Corrected');
  };
  const months = monthsBetween(period.periodStart, period.periodEnd);
  reporting: for (const [monthIndex, month] of months.entries()) {
    const nextMonth = Date.parse(`${month}-01T09:00:00.000Z`) + 32 * DAY_MS;
    const firstOfNext = Date.parse(
      `${new Date(nextMonth).toISOString().slice(0, 7)}-01T09:00:00.000Z`,
    );
    for (const [index, { memberState, lines }] of adopted.entries()) {
      if (made >= count) break reporting;
      const stream: ReportStream = {
        memberState,
        month,
        streamId: implementationReportStreamId(planId, memberState, month),
        version: 0,
        admissions: monthAdmissions(random, lines, month, monthIndex),
        procedure: {
          registered: 20 + random(40),
          positiveConclusions: 15 + random(30),
          negativeConclusions: random(5),
          discontinued: random(4) === 0 ? 1 : 0,
          openBeyond7Months: monthIndex >= 7 ? random(4) : 0,
          openBeyond10Months: 0,
        },
      };
      streams.push(stream);
      push(stream, firstOfNext + (2 + (index % 10)) * DAY_MS);
      const roll = random(100);
      const corrections = roll < 5 ? 2 : roll < 20 ? 1 : 0;
      for (let round = 1; round <= corrections && made < count; round++) {
        correct(stream, firstOfNext + (14 + 5 * round) * DAY_MS + index * 60_000);
      }
    }
  }
  const afterPeriod = Date.parse(`${period.periodEnd}T09:00:00.000Z`) + 40 * DAY_MS;
  for (let round = 0; made < count; round++) {
    const stream = streams[round % streams.length];
    if (stream === undefined) throw new Error(`${planId}: no report to correct`);
    correct(stream, afterPeriod + round * 3_600_000);
  }
  // Stable: a stream's own events keep their order, each due after the one before it.
  return queue.sort((a, b) => a.dueMs - b.dueMs);
}

/** Where the generated events go: the store's own append, or the bulk loader of the same schema. */
export interface LogSink {
  /** Appends events after `version` of the stream; returns the stream's new version. */
  append(streamId: string, version: number, events: readonly EventToAppend[]): Promise<number>;
}

/** The port's append, stating the exact expected version every time. */
export function storeSink(store: EventStore): LogSink {
  return {
    append: async (streamId, version, events) =>
      (
        await store.append(streamId, events, {
          expectedVersion: version === 0 ? 'no_stream' : version,
        })
      ).nextExpectedVersion,
  };
}

/** Counts what goes through to the sink. */
class LogWriter {
  events = 0;
  appends = 0;
  readonly countsByType = new Map<string, number>();

  constructor(private readonly sink: LogSink) {}

  async append(
    streamId: string,
    version: number,
    events: readonly EventToAppend[],
  ): Promise<number> {
    const next = await this.sink.append(streamId, version, events);
    this.appends++;
    this.events += events.length;
    for (const event of events) {
      this.countsByType.set(event.type, (this.countsByType.get(event.type) ?? 0) + 1);
    }
    return next;
  }
}

/** Spreads recordedAt evenly over a phase of a plan. */
class PhaseClock {
  private tick = 0;

  constructor(
    private readonly startMs: number,
    private readonly stepMs: number,
  ) {}

  next(): string {
    return new Date(this.startMs + this.stepMs * this.tick++).toISOString();
  }

  /** The instant the next call to `next` gives, in epoch ms. */
  peekMs(): number {
    return this.startMs + this.stepMs * this.tick;
  }
}

export async function generateEventLog(
  sink: LogSink,
  options: GenerateOptions,
): Promise<GeneratedLog> {
  const started = performance.now();
  const memberStates = BOUND_MEMBER_STATES;
  const minimum = options.plans * (PLAN_EVENTS_PER_PLAN + 2 * memberStates.length);
  if (options.totalEvents < minimum) {
    throw new RangeError(`At least ${minimum} events are needed for ${options.plans} plans`);
  }
  const random = createRandom(options.seed);
  const writer = new LogWriter(sink);
  for (let plan = 0; plan < options.plans; plan++) {
    const budget =
      Math.floor(options.totalEvents / options.plans) +
      (plan < options.totalEvents % options.plans ? 1 : 0);
    await writePlan(writer, random, plan, budget - PLAN_EVENTS_PER_PLAN, options);
  }
  if (writer.events !== options.totalEvents) {
    throw new Error(`Generated ${writer.events} events instead of ${options.totalEvents}`);
  }
  return {
    events: writer.events,
    appends: writer.appends,
    plans: options.plans,
    pledgeStreams: options.plans * memberStates.length,
    countsByType: writer.countsByType,
    elapsedMs: performance.now() - started,
  };
}

async function writePlan(
  writer: LogWriter,
  random: (below: number) => number,
  planIndex: number,
  pledgeEvents: number,
  options: Pick<GenerateOptions, 'eventsPerAppend' | 'reports'>,
): Promise<void> {
  const { eventsPerAppend } = options;
  const firstYear = 2026 + 2 * planIndex;
  const planId = `${firstYear}-${firstYear + 1}`;
  const period = {
    periodStart: `${firstYear}-01-01`,
    periodEnd: `${firstYear + 1}-12-31`,
  };
  const templates = slotTemplates({ ...period, regions: [] });
  const planStream = unionPlanStreamId(planId);
  let planVersion = 0;
  const commission = (event: UnionPlanEvent, recordedAt: string, reason?: string) =>
    toEventToAppend(event, requestMetadata(COMMISSION, recordedAt, reason, false));
  const at = (month: number, day: number, year = firstYear - 1) =>
    new Date(Date.UTC(year, month - 1, day, 9)).toISOString();

  const created: UnionPlanCreated = {
    type: 'UnionPlanCreated',
    data: {
      planId,
      ...period,
      priorityCountries: INITIAL_PRIORITY_COUNTRIES,
      priorityRegions: ['middle_east_north_africa'],
      regions: [],
    },
  };
  const opened: PledgingOpened = {
    type: 'PledgingOpened',
    data: { planId, deadline: `${firstYear - 1}-10-31` },
  };
  planVersion = await writer.append(planStream, planVersion, [
    commission(created, at(5, 20)),
    commission(opened, at(6, 1)),
  ]);

  const streams: PledgeStream[] = BOUND_MEMBER_STATES.map((memberState) => ({
    memberState,
    streamId: pledgeStreamId(planId, memberState),
    actor: ministry(memberState),
    version: 0,
    status: 'none',
    lines: [],
    // Staggered, so the Member States do not all withdraw in the same round.
    eventCount: random(WITHDRAW_EVERY),
  }));
  // The monthly reports take their share of the plan's events; the pledges the rest (two or more
  // each, so every Member State pledges and revises).
  const reportEvents = options.reports
    ? Math.max(
        0,
        Math.min(
          Math.floor(pledgeEvents * REPORT_SHARE),
          MAX_REPORT_EVENTS,
          pledgeEvents - 2 * streams.length,
        ),
      )
    : 0;
  const pledgeOnly = pledgeEvents - reportEvents;
  const perStream = streams.map(
    (_stream, index) =>
      Math.floor(pledgeOnly / streams.length) + (index < pledgeOnly % streams.length ? 1 : 0),
  );
  const beforeAdoption = perStream.map((count) => Math.ceil(count * SHARE_BEFORE_ADOPTION));
  const afterAdoption = perStream.map((count, index) => count - (beforeAdoption[index] ?? 0));

  /** Before adoption every change falls inside the open round (before its deadline). */
  const pledgeEvent = (stream: PledgeStream, planStatus: PledgePlanStatus, recordedAt: string) => {
    const { memberState } = stream;
    let event: PledgeEvent;
    let reason: string | undefined;
    if (stream.status !== 'active') {
      stream.lines = freshLines(random, templates);
      const submitted: PledgeSubmitted = {
        type: 'PledgeSubmitted',
        data: {
          planId,
          memberState,
          lines: linesOf(stream.lines),
          planStatus,
        },
      };
      event = submitted;
      stream.status = 'active';
    } else if (stream.eventCount % WITHDRAW_EVERY === WITHDRAW_EVERY - 1) {
      reason = 'Reception capacity withdrawn after a change of government';
      const withdrawn: PledgeWithdrawn = {
        type: 'PledgeWithdrawn',
        data: { planId, memberState, reason, planStatus },
      };
      event = withdrawn;
      stream.status = 'withdrawn';
      stream.lines = [];
    } else {
      reason = REVISION_REASONS[random(REVISION_REASONS.length)] ?? 'Revised';
      stream.lines = revisedLines(random, templates, stream.lines);
      const revised: PledgeRevised = {
        type: 'PledgeRevised',
        data: {
          planId,
          memberState,
          lines: linesOf(stream.lines),
          reason,
          planStatus,
        },
      };
      event = revised;
    }
    stream.eventCount++;
    return toEventToAppend(
      event,
      requestMetadata(stream.actor, recordedAt, reason, stream.eventCount % 2 === 0),
    );
  };

  /** Round-robin over the streams, `eventsPerAppend` events per stream per round. */
  const writeRounds = async (
    counts: number[],
    planStatus: PledgePlanStatus,
    clock: PhaseClock,
    afterRound: (round: number, rounds: number) => Promise<void>,
  ): Promise<void> => {
    const rounds = Math.ceil(Math.max(...counts) / eventsPerAppend);
    for (let round = 1; round <= rounds; round++) {
      for (const [index, stream] of streams.entries()) {
        const take = Math.min(eventsPerAppend, counts[index] ?? 0);
        if (take === 0) continue;
        counts[index] = (counts[index] ?? 0) - take;
        const chunk: EventToAppend[] = [];
        for (let n = 0; n < take; n++) chunk.push(pledgeEvent(stream, planStatus, clock.next()));
        stream.version = await writer.append(stream.streamId, stream.version, chunk);
      }
      await afterRound(round, rounds);
    }
  };

  const sum = (counts: readonly number[]) => counts.reduce((total, count) => total + count, 0);
  const openMs = Date.parse(at(6, 2));
  const closeMs = Date.parse(at(10, 30));
  await writeRounds(
    beforeAdoption,
    'pledging_open',
    new PhaseClock(openMs, (closeMs - openMs) / (sum(beforeAdoption) + 1)),
    () => Promise.resolve(),
  );

  const proposed: Contribution[] = streams
    .filter((stream) => stream.status === 'active')
    .map((stream) => ({ memberState: stream.memberState, lines: linesOf(stream.lines) }));
  if (proposed.length === 0) throw new Error(`${planId}: no active pledge to propose`);
  const adopted: Contribution[] = proposed.map(({ memberState, lines }) => ({
    memberState,
    lines: lines.map((line) => ({ ...line, persons: Math.max(1, Math.round(line.persons * 0.7)) })),
  }));
  const closed: PledgingClosed = { type: 'PledgingClosed', data: { planId } };
  const proposal: PlanProposed = {
    type: 'PlanProposed',
    data: {
      planId,
      reference: `COM(${firstYear - 1}) ${600 + planIndex}`,
      proposedOn: `${firstYear - 1}-11-11`,
      contributions: proposed,
      associatedStates: [],
    },
  };
  const adoption: PlanAdopted = {
    type: 'PlanAdopted',
    data: {
      planId,
      actReference: `Council Implementing Decision (EU) ${firstYear - 1}/${2600 + planIndex}`,
      adoptedOn: `${firstYear - 1}-12-18`,
      contributions: adopted,
      associatedStates: [],
    },
  };
  planVersion = await writer.append(planStream, planVersion, [
    commission(closed, at(11, 1)),
    commission(proposal, at(11, 11)),
    commission(adoption, at(12, 18)),
  ]);

  const inPlan = new Map(
    adopted.map((contribution) => [contribution.memberState, contribution.lines]),
  );
  const adoptedMs = Date.parse(at(12, 19));
  const endMs = Date.parse(at(11, 30, firstYear));
  const afterAdoptionClock = new PhaseClock(
    adoptedMs,
    (endMs - adoptedMs - DAY_MS) / (sum(afterAdoption) + AMENDMENTS + 1),
  );
  let amendmentsDone = 0;
  const amend = async (): Promise<void> => {
    const contributions: Contribution[] = [];
    for (const stream of streams) {
      const current = stream.status === 'active' ? linesOf(stream.lines) : [];
      const previous = inPlan.get(stream.memberState) ?? [];
      if (sameLines(current, previous)) continue;
      contributions.push({ memberState: stream.memberState, lines: current });
    }
    const remaining = new Map(inPlan);
    for (const { memberState, lines } of contributions) {
      if (lines.length === 0) remaining.delete(memberState);
      else remaining.set(memberState, lines);
    }
    // An adopted plan keeps at least one contribution: if all would go, this amendment keeps them.
    const applied =
      remaining.size === 0 ? contributions.filter((c) => c.lines.length > 0) : contributions;
    for (const { memberState, lines } of applied) {
      if (lines.length === 0) inPlan.delete(memberState);
      else inPlan.set(memberState, lines);
    }
    // Recorded on the day of the act, so act dates grow with the log like the decider requires.
    const recordedAt = afterAdoptionClock.next();
    const reason = 'Member States revised their indications after the adoption (Art. 8(6))';
    const amendment: PlanAmended = {
      type: 'PlanAmended',
      data: {
        planId,
        actReference: `Council Implementing Decision (EU) ${firstYear}/${100 + amendmentsDone}`,
        adoptedOn: recordedAt.slice(0, 10),
        reason,
        addPriorityCountries: [AMENDMENT_PRIORITY_COUNTRIES[amendmentsDone] ?? 'ET'],
        addPriorityRegions: [],
        addRegions: [],
        contributions: applied,
        associatedStates: [],
      },
    };
    amendmentsDone++;
    planVersion = await writer.append(planStream, planVersion, [
      commission(amendment, recordedAt, reason),
    ]);
  };

  // Implementation: each report written once it is due, between the rounds of pledge changes.
  const reports = planReports(random, planId, period, adopted, reportEvents);
  let reportsWritten = 0;
  const writeReportsDue = async (untilMs: number): Promise<void> => {
    for (let next = reports[reportsWritten]; next !== undefined && next.dueMs <= untilMs;) {
      await writer.append(next.streamId, next.version, [next.event]);
      next = reports[++reportsWritten];
    }
  };

  await writeRounds(afterAdoption, 'adopted', afterAdoptionClock, async (round, rounds) => {
    // Spread the amendments over the rounds; the last one comes after the last round.
    while (
      amendmentsDone < AMENDMENTS &&
      round >= Math.ceil((rounds * (amendmentsDone + 1)) / AMENDMENTS)
    ) {
      await amend();
    }
    await writeReportsDue(afterAdoptionClock.peekMs());
  });
  while (amendmentsDone < AMENDMENTS) await amend();
  // The reports of the rest of the period come after: the next plan's pledging overlaps them in
  // time, as it does in reality, though its events follow them in the log.
  await writeReportsDue(Number.POSITIVE_INFINITY);
}
