/**
 * Benchmark 6: the fulfilment view over a whole implemented plan. A two-year data set is written
 * through the real tracker into a SQLite store: a 2026-2027 plan pledged, proposed, adopted and
 * amended once, then every participant (the bound Member States and the associated states: 30)
 * reports each of the 24 months, and many reports are corrected once or more, as ministries do.
 * Measured on the rebuilt read model, in the same run and interleaved:
 *   a. `getFulfilment` (admitted against adopted, pace, checks, AMIF) against `getTotals` of the
 *      adopted plan, the view the tracker had before implementation, over the same state;
 *   b. `GET /plans/{id}/fulfilment` against `GET /plans/{id}/totals?view=adopted` from the real
 *      server (child process), when this build has the route.
 * The figures are checked to reconcile with what was written before anything is timed.
 */
import { randomUUID } from 'node:crypto';
import { createTracker, type RequestContext } from '../src/application/tracker';
import type {
  AdmissionLine,
  ProcedureCounts,
} from '../src/domain/implementation/implementationReportEvents';
import { monthsBetween } from '../src/domain/shared/dates';
import { PARTICIPANTS, isAssociatedState, mayPledge } from '../src/domain/reference';
import type { Actor } from '../src/domain/shared/messages';
import { totalPersons, type PledgeLine } from '../src/domain/shared/pledgeLine';
import { openSqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore';
import {
  ALL_PARTICIPANTS,
  ALL_PROJECTIONS,
  getTotals,
  planReadModel,
  Projector,
  type PlanReadModelState,
} from '../src/projections';
import { getFulfilment } from '../src/projections/implementation/fulfilment';
import {
  principal,
  startServer,
  stopServer,
  writeAuditSigningKey,
  writeTokenFile,
  type Principal,
} from './apiBench';
import { BENCH_PERIOD, BENCH_PLAN_ID, COMMISSION, ministry } from './fixtures';
import { formatMs, formatNumber, percentile, progress, type ResultRow } from './report';
import type { TempDir } from './tempFiles';

export interface FulfilmentBenchOptions {
  /** Reporting participants, Member States first (at most the 30 that may take part). */
  readonly participants: number;
  /** Timed calls of each view, interleaved. */
  readonly reads: number;
  /** Timed HTTP requests of each route, interleaved. */
  readonly httpReads: number;
}

export interface FulfilmentBenchResult {
  readonly rows: ResultRow[];
  /** Why a part could not run here. */
  readonly skipped: string[];
}

/** The lines every participant pledges; the Council adopts 80 % of them. */
const PLEDGE: readonly PledgeLine[] = [
  { admissionType: 'resettlement', hostCountry: 'TR', persons: 300 },
  { admissionType: 'resettlement', hostCountry: 'LB', persons: 200 },
  { admissionType: 'resettlement', hostCountries: ['EG', 'TD'], persons: 120 },
  { admissionType: 'resettlement', planRegion: 'latin_america', persons: 100 },
  { admissionType: 'humanitarian_admission', hostCountry: 'JO', persons: 150 },
  { admissionType: 'emergency_admission', emergencyBasis: 'resettlement', persons: 40 },
];

const CORRECTION_REASONS = [
  'Arrivals on the last flight of the month were counted in the next month',
  'Procedure counts completed once the national register was updated',
  'Family members counted again after the files were reviewed',
  'A charter flight was recorded under the wrong host country',
] as const;

/** How many times each report is corrected: 0 to 3, about 1.4 on average. */
const CORRECTIONS = [0, 1, 1, 2, 3] as const;

const MONTHS = monthsBetween(BENCH_PERIOD.periodStart, BENCH_PERIOD.periodEnd);
/** When pace is measured: after the period, once every month is reported. */
const REFERENCE_INSTANT = '2028-01-31T00:00:00.000Z';

function participantsTakingPart(count: number): string[] {
  const taking = PARTICIPANTS.filter(mayPledge);
  const ordered = [
    ...taking.filter((participant) => !isAssociatedState(participant.code)),
    ...taking.filter((participant) => isAssociatedState(participant.code)),
  ].map((participant) => participant.code);
  if (ordered.length < count) {
    throw new RangeError(`Only ${ordered.length} participants may take part, not ${count}`);
  }
  return ordered.slice(0, count);
}

/** A participant's admissions in a month: a share of each pledged line, lumpy like flights. */
function admissionsOf(participant: number, month: number, correction: number): AdmissionLine[] {
  const lines: AdmissionLine[] = [];
  PLEDGE.forEach((line, index) => {
    const emergency = line.admissionType === 'emergency_admission';
    if (emergency && (participant + month) % 4 !== 0) return;
    const swing = 0.4 + ((participant * 7 + index * 5 + month * 3) % 10) / 8;
    const persons = Math.round((line.persons / MONTHS.length) * swing) + correction;
    if (persons < 1) return;
    lines.push({
      ...line,
      persons,
      vulnerablePersons: Math.floor(persons * 0.35),
      familyMembers: Math.floor(persons * (line.admissionType === 'resettlement' ? 0.1 : 0.25)),
      ...(participant % 3 === 0 && {
        bySex: { female: Math.ceil(persons / 2), male: Math.floor(persons / 2), nonBinary: 0 },
      }),
    });
  });
  return lines;
}

function procedureOf(participant: number, month: number, correction: number): ProcedureCounts {
  const open = month >= 7 && participant % 5 === 0 ? 1 + (month % 3) : 0;
  return {
    registered: 30 + ((participant + month) % 11),
    positiveConclusions: 24 + ((participant * 3 + month) % 7) + correction,
    negativeConclusions: 2 + (month % 3),
    discontinued: month % 6 === 5 ? 1 : 0,
    openBeyond7Months: open,
    openBeyond10Months: month >= 10 ? Math.min(open, 1) : 0,
  };
}

interface WrittenDataSet {
  readonly events: number;
  readonly reports: number;
  readonly corrections: number;
  /** Σ persons of every report's latest version: what the view must show admitted. */
  readonly admitted: number;
  readonly writeMs: number;
}

/** The plan's whole cycle and two years of reports, through the tracker's own use cases. */
async function writeDataSet(file: string, codes: readonly string[]): Promise<WrittenDataSet> {
  const store = openSqliteEventStore(file);
  let clock = Date.parse('2025-09-01T08:00:00.000Z');
  const tracker = createTracker({ store, clock: () => new Date(clock), newId: randomUUID });
  const as = (actor: Actor): RequestContext => ({
    actor,
    correlationId: randomUUID(),
    requestId: randomUUID(),
  });
  const at = (instant: string) => {
    clock = Math.max(clock + 1, Date.parse(instant));
  };
  const started = performance.now();
  try {
    await tracker.createPlan(
      {
        planId: BENCH_PLAN_ID,
        ...BENCH_PERIOD,
        priorityCountries: ['EG', 'JO', 'LB', 'TD', 'TR'],
        regions: [{ id: 'latin_america', name: 'Latin America', countries: ['CO', 'CR', 'EC'] }],
      },
      as(COMMISSION),
    );
    await tracker.openPledging(BENCH_PLAN_ID, {}, as(COMMISSION));
    for (const code of codes) {
      at('2025-09-15T09:00:00.000Z');
      await tracker.putPledge(
        BENCH_PLAN_ID,
        code,
        { lines: PLEDGE, submitOnly: true },
        as(ministry(code)),
      );
    }
    at('2025-11-01T09:00:00.000Z');
    await tracker.closePledging(BENCH_PLAN_ID, as(COMMISSION));
    at('2025-11-11T09:00:00.000Z');
    await tracker.recordProposal(
      BENCH_PLAN_ID,
      { reference: 'COM(2025) 650', proposedOn: '2025-11-11' },
      as(COMMISSION),
    );
    at('2025-12-18T09:00:00.000Z');
    const adoptedLines = PLEDGE.map((line) => ({
      ...line,
      persons: Math.round(line.persons * 0.8),
    }));
    await tracker.recordAdoption(
      BENCH_PLAN_ID,
      {
        actReference: 'Council Implementing Decision (EU) 2025/2628',
        adoptedOn: '2025-12-18',
        contributions: codes.map((memberState) => ({ memberState, lines: adoptedLines })),
      },
      as(COMMISSION),
    );

    let reports = 0;
    let corrections = 0;
    const latest = new Map<string, AdmissionLine[]>();
    for (const [month, name] of MONTHS.entries()) {
      if (name === '2026-07') {
        // One amendment in the period: Ethiopia added, the first participant's contribution raised.
        at('2026-07-06T09:00:00.000Z');
        const [first] = codes;
        await tracker.recordAmendment(
          BENCH_PLAN_ID,
          {
            actReference: 'Council Implementing Decision (EU) 2026/1400',
            adoptedOn: '2026-07-06',
            reason: 'Unforeseen crisis: Ethiopia added (Art. 8(6))',
            addPriorityCountries: ['ET'],
            contributions:
              first === undefined
                ? []
                : [
                    {
                      memberState: first,
                      lines: adoptedLines.map((l) => ({ ...l, persons: l.persons + 20 })),
                    },
                  ],
          },
          as(COMMISSION),
        );
      }
      const next = new Date(Date.parse(`${name}-01T00:00:00.000Z`));
      next.setUTCMonth(next.getUTCMonth() + 1);
      const reportDay = (day: number) =>
        new Date(next.getTime() + (day - 1) * 86_400_000 + 9 * 3_600_000).toISOString();
      for (const [participant, code] of codes.entries()) {
        at(reportDay(5));
        const admissions = admissionsOf(participant, month, 0);
        await tracker.putImplementationReport(
          BENCH_PLAN_ID,
          code,
          name,
          { admissions, procedure: procedureOf(participant, month, 0), submitOnly: true },
          as(ministry(code)),
        );
        latest.set(`${code} ${name}`, admissions);
        reports++;
      }
      const rounds = CORRECTIONS.length;
      for (let round = 1; round < rounds; round++) {
        for (const [participant, code] of codes.entries()) {
          const due = CORRECTIONS[(participant * 7 + month * 3) % CORRECTIONS.length] ?? 0;
          if (round > due) continue;
          at(reportDay(5 + 5 * round));
          const admissions = admissionsOf(participant, month, round);
          await tracker.putImplementationReport(
            BENCH_PLAN_ID,
            code,
            name,
            {
              admissions,
              procedure: procedureOf(participant, month, round),
              reason:
                CORRECTION_REASONS[(participant + round) % CORRECTION_REASONS.length] ??
                'Corrected',
            },
            // Now and then the Commission records a correction on a participant's behalf.
            as((participant + month + round) % 17 === 0 ? COMMISSION : ministry(code)),
          );
          latest.set(`${code} ${name}`, admissions);
          corrections++;
        }
      }
    }
    let admitted = 0;
    for (const lines of latest.values()) admitted += totalPersons(lines);
    return {
      events: await store.headPosition(),
      reports,
      corrections,
      admitted,
      writeMs: performance.now() - started,
    };
  } finally {
    await store.close();
  }
}

/** The read models folded from the whole data set, and how long that took. */
async function rebuild(file: string): Promise<{ state: PlanReadModelState; rebuildMs: number }> {
  const store = openSqliteEventStore(file);
  try {
    const projector = new Projector(store, ALL_PROJECTIONS);
    const started = performance.now();
    await projector.catchUp();
    return { state: projector.state(planReadModel), rebuildMs: performance.now() - started };
  } finally {
    await store.close();
  }
}

/** Interleaved timings of two calls, `reads` each, after a short warm-up of both. */
function timeInterleaved(
  reads: number,
  measured: () => unknown,
  baseline: () => unknown,
): { measured: number[]; baseline: number[] } {
  for (let warm = 0; warm < Math.min(20, reads); warm++) {
    measured();
    baseline();
  }
  const times = { measured: [] as number[], baseline: [] as number[] };
  for (let read = 0; read < reads; read++) {
    for (const [side, work] of [
      ['measured', measured],
      ['baseline', baseline],
    ] as const) {
      const started = performance.now();
      work();
      times[side].push(performance.now() - started);
    }
  }
  return times;
}

async function timedGet(
  base: string,
  who: Principal,
  path: string,
): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${who.token}` },
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

export async function runFulfilmentBench(
  temp: TempDir,
  options: FulfilmentBenchOptions,
): Promise<FulfilmentBenchResult> {
  const codes = participantsTakingPart(options.participants);
  const file = temp.file('fulfilment.db');
  const rows: ResultRow[] = [];
  const skipped: string[] = [];
  const scale = `${codes.length} participants x ${MONTHS.length} months`;
  try {
    progress(`6: writing the data set through the tracker (${scale}, with corrections)`);
    const written = await writeDataSet(file, codes);
    const dataSet =
      `${formatNumber(written.reports)} reports, ${formatNumber(written.corrections)} corrections, ` +
      `${formatNumber(written.events)} events`;

    const { state, rebuildMs } = await rebuild(file);
    rows.push({
      id: '6',
      what: `  fulfilment data set: written through the tracker, then rebuilt`,
      unit: 'ms',
      tracker: rebuildMs,
      baseline: undefined,
      notes: `${dataSet}; written in ${formatNumber(written.writeMs / 1000, 1)} s; rebuild of ALL_PROJECTIONS`,
      digits: 1,
    });

    const fulfilment = () =>
      getFulfilment(state, BENCH_PLAN_ID, ALL_PARTICIPANTS, REFERENCE_INSTANT);
    let view: ReturnType<typeof fulfilment> | undefined;
    try {
      view = fulfilment();
    } catch (error) {
      skipped.push(
        `6a: getFulfilment could not run in this build (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (view !== undefined) {
      if (typeof view !== 'object') throw new Error(`getFulfilment answered ${String(view)}`);
      const admitted = view.total.admitted + view.associatedStates.total.admitted;
      if (admitted !== written.admitted) {
        throw new Error(
          `Fulfilment shows ${admitted} admitted; the reports hold ${written.admitted}`,
        );
      }
      progress(`6a: getFulfilment against getTotals, ${formatNumber(options.reads)} calls each`);
      const times = timeInterleaved(options.reads, fulfilment, () =>
        getTotals(state, BENCH_PLAN_ID, 'adopted', ALL_PARTICIPANTS),
      );
      const p50 = percentile(times.measured, 50);
      const p99 = percentile(times.measured, 99);
      const baseP50 = percentile(times.baseline, 50);
      const baseP99 = percentile(times.baseline, 99);
      rows.push(
        {
          id: '6a',
          what: `fulfilment view (getFulfilment), ${scale}, p50`,
          unit: 'ms',
          tracker: p50,
          baseline: baseP50,
          notes:
            `${formatNumber(admitted)} admitted; baseline: getTotals of the adopted plan over the same state ` +
            `(p99 ${formatMs(baseP99)}); ${formatNumber(options.reads)} calls each, interleaved`,
          digits: 3,
        },
        {
          id: '6a',
          what: `  p99`,
          unit: 'ms',
          tracker: p99,
          baseline: baseP99,
          notes: `max ${formatMs(Math.max(...times.measured))}`,
          digits: 3,
        },
      );
    }

    rows.push(...(await httpRows(temp, file, options, skipped)));
    return { rows, skipped };
  } finally {
    temp.removeDatabase(file);
  }
}

/** `GET fulfilment` against `GET totals?view=adopted` from the real server on the same store. */
async function httpRows(
  temp: TempDir,
  file: string,
  options: FulfilmentBenchOptions,
  skipped: string[],
): Promise<ResultRow[]> {
  const auditor = principal('bench-auditor', 'auditor');
  const tokenFile = temp.file('tokens-6.json');
  writeTokenFile(tokenFile, [auditor]);
  const keyFile = temp.file('audit-signing-key-6.pem');
  writeAuditSigningKey(keyFile);
  progress('6b: starting the server on the data set');
  const server = await startServer({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    PLEDGES_DB_FILE: file,
    PLEDGES_TOKENS_FILE: tokenFile,
    PLEDGES_AUDIT_KEY_FILE: keyFile,
    PLEDGES_DEMO_DATA: 'false',
    PLEDGES_LOG_LEVEL: 'warn',
    PLEDGES_READS_PER_MINUTE: '1000000',
  });
  try {
    const base = `http://127.0.0.1:${server.port}/api/v1`;
    const fulfilmentPath = `/plans/${BENCH_PLAN_ID}/fulfilment`;
    const totalsPath = `/plans/${BENCH_PLAN_ID}/totals?view=adopted`;
    const probe = await timedGet(base, auditor, fulfilmentPath);
    if (probe.status !== 200) {
      skipped.push(
        `6b: GET ${fulfilmentPath} answered ${probe.status} in this build: not measured`,
      );
      return [];
    }
    progress(
      `6b: GET fulfilment against GET totals, ${formatNumber(options.httpReads)} requests each`,
    );
    for (let warm = 0; warm < Math.min(10, options.httpReads); warm++) {
      await timedGet(base, auditor, fulfilmentPath);
      await timedGet(base, auditor, totalsPath);
    }
    const fulfilment: number[] = [];
    const totals: number[] = [];
    for (let read = 0; read < options.httpReads; read++) {
      const one = await timedGet(base, auditor, fulfilmentPath);
      const other = await timedGet(base, auditor, totalsPath);
      if (one.status !== 200 || other.status !== 200) {
        throw new Error(`GET answered ${one.status} and ${other.status}`);
      }
      fulfilment.push(one.ms);
      totals.push(other.ms);
    }
    return [
      {
        id: '6b',
        what: `GET /plans/{id}/fulfilment, ${options.httpReads} sequential requests, p50`,
        unit: 'ms',
        tracker: percentile(fulfilment, 50),
        baseline: percentile(totals, 50),
        notes: `baseline: GET totals?view=adopted, interleaved (p99 ${formatMs(percentile(totals, 99))})`,
        digits: 2,
      },
      {
        id: '6b',
        what: `  p99`,
        unit: 'ms',
        tracker: percentile(fulfilment, 99),
        baseline: percentile(totals, 99),
        notes: `max ${formatMs(Math.max(...fulfilment))}`,
        digits: 2,
      },
    ];
  } finally {
    await stopServer(server.child);
  }
}
