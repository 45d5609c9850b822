import type { Actor } from '../domain/shared/messages';
import { totalPersons, type Contribution, type PledgeLine } from '../domain/shared/pledgeLine';
import { monthsBetween, startOfMonth } from '../domain/shared/dates';
import type {
  AdmissionLine,
  ProcedureCounts,
} from '../domain/implementation/implementationReportEvents';
import type { Tracker, RequestContext } from '../application/tracker';

/**
 * ILLUSTRATIVE data for a first run. The headline figures are the published ones for 2026-2027
 * (Commission proposal of 11 Nov 2025: 15,230 places from nine Member States; Council Implementing
 * Decision (EU) 2025/2628 of 18 Dec 2025: 10,430 places). The split by Member State, admission
 * type and host country is INVENTED: the per-Member-State annex is not in our sources.
 *
 * The monthly implementation reports for 2026 are INVENTED too (no admissions under the plan are
 * public): every adopted Member State reports every month of 2026 that has begun by the tracker's
 * clock, so the plan shows in progress on whatever day the data is loaded. Admissions ramp up over
 * the first months (selection missions before flights); some Member States stay below pace (BE,
 * IT, PT) and one runs ahead (NL); three reports are corrected later with a reason; one line comes
 * from outside the plan's third countries; a few cases stay open past 7 and 10 months (Art. 9(9)).
 * Each report's first line and each correction's reason say that the figures are illustrative.
 */
export const ILLUSTRATIVE_PLAN_ID = '2026-2027';
export const ILLUSTRATIVE_NOTE =
  'Illustrative data: headline figures as published, per-Member-State split invented';

/** The plan's own region (Art. 8(3)(c)): the 2026-2027 proposal reportedly named Latin America. */
export const LATIN_AMERICA = {
  id: 'latin_america',
  name: 'Latin America',
  countries: ['AR', 'BO', 'BR', 'CL', 'CO', 'CR', 'EC', 'GT', 'HN', 'MX', 'PA', 'PE', 'SV'],
};

/** A host: one country code, several (one figure, never split), or `region:<id>` of the plan. */
type Host = string | readonly string[];

type LineSpec =
  | readonly ['R' | 'H', Host, number]
  | readonly ['E', null, number, 'resettlement' | 'humanitarian_admission'];

function toHost(host: Host): Pick<PledgeLine, 'hostCountry' | 'hostCountries' | 'planRegion'> {
  if (typeof host !== 'string') return { hostCountries: [...host] };
  return host.startsWith('region:') ? { planRegion: host.slice(7) } : { hostCountry: host };
}

function toLines(specs: readonly LineSpec[]): PledgeLine[] {
  return specs.map((spec) => {
    if (spec[0] === 'E') {
      return { admissionType: 'emergency_admission', persons: spec[2], emergencyBasis: spec[3] };
    }
    return {
      admissionType: spec[0] === 'R' ? 'resettlement' : 'humanitarian_admission',
      ...toHost(spec[1]),
      persons: spec[2],
    };
  });
}

/** Pledges as they stood when the round closed: 15,230 places in all. */
export const ILLUSTRATIVE_PLEDGES: readonly Contribution[] = [
  {
    memberState: 'BE',
    lines: toLines([
      ['R', 'TR', 200],
      ['R', 'LB', 150],
      ['H', 'TR', 100],
      ['E', null, 50, 'humanitarian_admission'],
    ]),
  },
  {
    memberState: 'DE',
    lines: toLines([
      ['R', 'TR', 2000],
      ['R', 'LB', 800],
      ['R', 'JO', 500],
      ['H', 'TR', 1000],
      ['H', 'EG', 400],
      ['E', null, 300, 'resettlement'],
    ]),
  },
  {
    memberState: 'ES',
    lines: toLines([
      ['R', 'CO', 400],
      ['R', 'CR', 200],
      ['R', 'TR', 250],
      ['H', 'region:latin_america', 200],
      ['E', null, 150, 'humanitarian_admission'],
    ]),
  },
  {
    memberState: 'FI',
    lines: toLines([
      ['R', 'TR', 400],
      ['R', 'LB', 250],
      ['R', 'NE', 150],
      ['H', 'JO', 100],
      ['E', null, 100, 'resettlement'],
    ]),
  },
  {
    memberState: 'FR',
    lines: toLines([
      ['R', 'TR', 900],
      ['R', 'LB', 600],
      ['R', 'TD', 400],
      ['R', 'NE', 300],
      ['H', 'EG', 500],
      ['E', null, 300, 'humanitarian_admission'],
    ]),
  },
  {
    memberState: 'IT',
    lines: toLines([
      ['R', 'NE', 300],
      ['R', 'LY', 200],
      ['R', 'TD', 200],
      ['H', 'LB', 250],
      ['E', null, 150, 'resettlement'],
    ]),
  },
  {
    memberState: 'NL',
    lines: toLines([
      ['R', 'LB', 500],
      ['R', 'JO', 300],
      // Sudanese refugees from Egypt and/or Chad: one figure for the two countries.
      ['R', ['EG', 'TD'], 200],
      ['H', 'TR', 300],
      ['E', null, 200, 'resettlement'],
    ]),
  },
  {
    memberState: 'PT',
    lines: toLines([
      ['R', 'TR', 300],
      ['R', 'EG', 150],
      ['H', 'JO', 180],
      ['E', null, 100, 'resettlement'],
    ]),
  },
  {
    memberState: 'SE',
    lines: toLines([
      ['R', 'TR', 400],
      ['R', 'ET', 300],
      ['R', 'SD', 200],
      ['H', 'EG', 150],
      ['E', null, 150, 'resettlement'],
    ]),
  },
];

/**
 * The adopted contributions: 10,430 places. As in 2025, the Member States cut their indications
 * between the proposal and the adoption, and the Council adopted the indications as they then
 * stood. The pledged lines from outside the plan's countries (ET, LY) were dropped in those cuts.
 */
export const ILLUSTRATIVE_ADOPTED: readonly Contribution[] = [
  {
    memberState: 'BE',
    lines: toLines([
      ['R', 'TR', 120],
      ['R', 'LB', 100],
      ['H', 'TR', 50],
      ['E', null, 30, 'humanitarian_admission'],
    ]),
  },
  {
    memberState: 'DE',
    lines: toLines([
      ['R', 'TR', 1300],
      ['R', 'LB', 500],
      ['R', 'JO', 300],
      ['H', 'TR', 600],
      ['E', null, 300, 'resettlement'],
    ]),
  },
  {
    memberState: 'ES',
    lines: toLines([
      ['R', 'CO', 300],
      ['R', 'CR', 150],
      ['R', 'TR', 200],
      ['H', 'region:latin_america', 150],
      ['E', null, 100, 'humanitarian_admission'],
    ]),
  },
  {
    memberState: 'FI',
    lines: toLines([
      ['R', 'TR', 350],
      ['R', 'LB', 200],
      ['R', 'NE', 150],
      ['H', 'JO', 100],
      ['E', null, 50, 'resettlement'],
    ]),
  },
  {
    memberState: 'FR',
    lines: toLines([
      ['R', 'TR', 800],
      ['R', 'LB', 500],
      ['R', 'TD', 300],
      ['R', 'NE', 200],
      ['H', 'EG', 400],
      ['E', null, 200, 'humanitarian_admission'],
    ]),
  },
  {
    memberState: 'IT',
    lines: toLines([
      ['R', 'NE', 250],
      ['R', 'TD', 200],
      ['H', 'LB', 200],
      ['E', null, 50, 'resettlement'],
    ]),
  },
  {
    memberState: 'NL',
    lines: toLines([
      ['R', 'LB', 350],
      ['R', 'JO', 200],
      ['R', ['EG', 'TD'], 150],
      ['H', 'TR', 200],
      ['E', null, 100, 'resettlement'],
    ]),
  },
  {
    memberState: 'PT',
    lines: toLines([
      ['R', 'TR', 150],
      ['R', 'EG', 80],
      ['H', 'JO', 100],
      ['E', null, 50, 'resettlement'],
    ]),
  },
  {
    memberState: 'SE',
    lines: toLines([
      ['R', 'TR', 400],
      ['R', 'SD', 300],
      ['H', 'EG', 100],
      ['E', null, 100, 'resettlement'],
    ]),
  },
];

/**
 * The illustrative plan's authors: every one of its events is recorded by an actor whose id begins
 * with this, since release 1. It is the demo data's mark (a real token may not take such a name),
 * so a store that holds the plan is recognised whichever release loaded it.
 */
export const DEMO_ACTOR_PREFIX = 'demo-seed-';

const commission: Actor = { id: `${DEMO_ACTOR_PREFIX}commission`, role: 'commission' };
const ministry = (memberState: string): Actor => ({
  id: `${DEMO_ACTOR_PREFIX}${memberState.toLowerCase()}`,
  role: 'member_state',
  memberState,
});

// ---- Implementation in 2026: INVENTED monthly reports ----

/** Marks the illustrative reports: on each report's first line, and in every correction's reason. */
export const ILLUSTRATIVE_REPORT_NOTE = 'Illustrative data: invented monthly figures';

const PERIOD_MONTHS = 24;

/**
 * How fast each Member State admits once its operations run, against an even pace over the 24
 * months of the period (1 = on pace). Below 0.8 the fulfilment view shows it behind pace.
 */
const PACE: Readonly<Record<string, number>> = {
  BE: 0.65,
  DE: 1,
  ES: 0.85,
  FI: 1.05,
  FR: 0.9,
  IT: 0.5,
  NL: 1.2,
  PT: 0.6,
  SE: 0.95,
};

/** Operations start slowly (selection missions, then flights): the share of the pace, January to December 2026. */
const RAMP = [0.2, 0.4, 0.6, 0.8, 0.95, 1.05, 1.15, 1.2, 1.25, 1.25, 1.3, 1.3] as const;

/** Charter flights make a line's monthly figure swing around its pace. */
const SWING = [1.3, 0.7, 1.1, 0.9, 1.2, 0.8] as const;

/** Their first flights arrive in February: January is reported with nothing admitted. */
const FIRST_ADMISSIONS_IN_FEBRUARY: ReadonlySet<string> = new Set(['IT', 'PT']);
/** They count the Art. 19(3) groups and the family members (Art. 19(5)) on each line. */
const COUNT_GROUPS: ReadonlySet<string> = new Set(['BE', 'DE', 'ES', 'FI', 'FR', 'NL', 'SE']);
/** They add the AMIF Annex VIII breakdowns by sex and age band. */
const GIVE_BREAKDOWNS: ReadonlySet<string> = new Set(['DE', 'FI', 'NL', 'SE']);

/**
 * Cases still open past 7 and past 10 months of their registration at the month's end (Art. 9(9));
 * none can be before August, since the procedures began in January.
 */
const OPEN_BEYOND: Readonly<Record<string, Readonly<Record<string, readonly [number, number]>>>> = {
  BE: { '2026-10': [1, 0], '2026-11': [1, 0] },
  IT: {
    '2026-08': [4, 0],
    '2026-09': [6, 0],
    '2026-10': [7, 0],
    '2026-11': [5, 2],
    '2026-12': [3, 1],
  },
  PT: {
    '2026-08': [2, 0],
    '2026-09': [3, 0],
    '2026-10': [3, 0],
    '2026-11': [2, 0],
    '2026-12': [1, 0],
  },
};

/** Persons referred from outside the plan's third countries, so the fulfilment check has a case. */
const OUTSIDE_PLAN_COUNTRIES = {
  memberState: 'SE',
  month: '2026-05',
  hostCountry: 'ET',
  persons: 6,
};

/** One Member State's report of one month, as first submitted. */
export interface IllustrativeReport {
  readonly memberState: string;
  readonly month: string;
  readonly admissions: readonly AdmissionLine[];
  readonly procedure: ProcedureCounts;
  /** Recorded by the Commission on the Member State's behalf. */
  readonly onBehalf: boolean;
}

/** A report corrected later, with its reason. */
export interface IllustrativeCorrection {
  readonly memberState: string;
  readonly month: string;
  /** The correction is made once this month has begun. */
  readonly correctedIn: string;
  readonly reason: string;
  readonly correct: (
    report: IllustrativeReport,
  ) => Pick<IllustrativeReport, 'admissions' | 'procedure'>;
}

/** The months of 2026 that have begun at `now`, in order: those the illustrative data reports. */
export function illustrativeReportMonths(now: Date): string[] {
  return monthsBetween('2026-01-01', '2026-12-31').filter(
    (month) => startOfMonth(month) <= now.getTime(),
  );
}

/** An admissions line of `persons`, with the counts this Member State gives, all from `persons`. */
function admissionOf(
  memberState: string,
  line: PledgeLine | AdmissionLine,
  persons: number,
): AdmissionLine {
  const kind: AdmissionLine = {
    admissionType: line.admissionType,
    ...(line.hostCountry !== undefined && { hostCountry: line.hostCountry }),
    ...(line.hostCountries !== undefined && { hostCountries: line.hostCountries }),
    ...(line.planRegion !== undefined && { planRegion: line.planRegion }),
    ...(line.emergencyBasis !== undefined && { emergencyBasis: line.emergencyBasis }),
    persons,
  };
  const humanitarian =
    line.admissionType === 'humanitarian_admission' ||
    line.emergencyBasis === 'humanitarian_admission';
  const female = Math.round(persons * 0.52);
  const under18 = Math.round(persons * 0.45);
  const over60 = Math.floor(persons * 0.05);
  return {
    ...kind,
    ...(COUNT_GROUPS.has(memberState) && {
      vulnerablePersons: Math.floor(persons * (humanitarian ? 0.4 : 0.3)),
      familyMembers: Math.floor(persons * (humanitarian ? 0.25 : 0.1)),
    }),
    ...(GIVE_BREAKDOWNS.has(memberState) && {
      bySex: { female, male: persons - female, nonBinary: 0 },
      byAgeBand: { under18, from18To60: persons - under18 - over60, over60 },
    }),
  };
}

function rampAt(monthIndex: number): number {
  return RAMP[Math.min(Math.max(monthIndex, 0), RAMP.length - 1)] ?? 1;
}

/** Every adopted Member State's report of a month of 2026, as first submitted. */
export function illustrativeReports(month: string): IllustrativeReport[] {
  const monthIndex = Number(month.slice(5, 7)) - 1;
  return ILLUSTRATIVE_ADOPTED.map(({ memberState, lines }, stateIndex) => {
    const pace = PACE[memberState] ?? 1;
    const admissions: AdmissionLine[] = [];
    const started = monthIndex > 0 || !FIRST_ADMISSIONS_IN_FEBRUARY.has(memberState);
    lines.forEach((line, lineIndex) => {
      const emergency = line.admissionType === 'emergency_admission';
      // Emergencies come as they arise: one month in three, three months' worth at once.
      if (!started || (emergency && (monthIndex + stateIndex) % 3 !== 0)) return;
      const swing = SWING[(stateIndex * 7 + lineIndex * 3 + monthIndex) % SWING.length] ?? 1;
      const persons = Math.round(
        (line.persons / PERIOD_MONTHS) * pace * rampAt(monthIndex) * swing * (emergency ? 3 : 1),
      );
      if (persons >= 1) admissions.push(admissionOf(memberState, line, persons));
    });
    const outside = OUTSIDE_PLAN_COUNTRIES;
    if (outside.memberState === memberState && outside.month === month) {
      admissions.push({
        admissionType: 'resettlement',
        hostCountry: outside.hostCountry,
        persons: outside.persons,
        note: `${ILLUSTRATIVE_REPORT_NOTE}; referred from outside the plan's third countries`,
      });
    }
    const [first, ...rest] = admissions;
    const labelled =
      first === undefined || first.note !== undefined
        ? admissions
        : [{ ...first, note: ILLUSTRATIVE_REPORT_NOTE }, ...rest];
    // Registrations run two months ahead of arrivals; last month's are concluded this month.
    const monthlyPace = (totalPersons(lines) / PERIOD_MONTHS) * pace;
    const registered = Math.round(monthlyPace * rampAt(monthIndex + 2) * 1.3);
    const concluding =
      monthIndex === 0 ? 0 : Math.round(monthlyPace * rampAt(monthIndex + 1) * 1.3);
    const [openBeyond7Months, openBeyond10Months] = OPEN_BEYOND[memberState]?.[month] ?? [0, 0];
    return {
      memberState,
      month,
      admissions: labelled,
      procedure: {
        registered,
        positiveConclusions: Math.round(concluding * 0.85),
        negativeConclusions: Math.round(concluding * 0.07),
        discontinued: (monthIndex + stateIndex) % 4 === 3 ? 1 : 0,
        openBeyond7Months,
        openBeyond10Months,
        emergencyConcludedBeyond1Month: memberState === 'FR' && month === '2026-06' ? 1 : 0,
      },
      // Portugal's ministry had no access yet in January: the Commission recorded its report.
      onBehalf: memberState === 'PT' && month === '2026-01',
    };
  });
}

const because = (why: string) => `${why} (${ILLUSTRATIVE_REPORT_NOTE})`;

/** The reports corrected later, each with the month it is corrected in and its reason. */
export const ILLUSTRATIVE_CORRECTIONS: readonly IllustrativeCorrection[] = [
  {
    memberState: 'DE',
    month: '2026-02',
    correctedIn: '2026-03',
    reason: because(
      'Two arrivals on the last flight of the month had been counted in the next month',
    ),
    correct: ({ admissions, procedure }) => ({
      admissions: admissions.map((line, index) =>
        index === 0
          ? {
              ...admissionOf('DE', line, line.persons + 2),
              ...(line.note !== undefined && { note: line.note }),
            }
          : line,
      ),
      procedure,
    }),
  },
  {
    memberState: 'FR',
    month: '2026-04',
    correctedIn: '2026-05',
    reason: because('Positive conclusions were recorded late in the national register'),
    correct: ({ admissions, procedure }) => ({
      admissions,
      procedure: { ...procedure, positiveConclusions: (procedure.positiveConclusions ?? 0) + 3 },
    }),
  },
  {
    memberState: 'NL',
    month: '2026-06',
    correctedIn: '2026-08',
    reason: because(
      'Four persons admitted on humanitarian grounds from Türkiye were counted twice',
    ),
    correct: ({ admissions, procedure }) => ({
      admissions: admissions.map((line) =>
        line.admissionType === 'humanitarian_admission' && line.hostCountry === 'TR'
          ? {
              ...admissionOf('NL', line, line.persons - 4),
              ...(line.note !== undefined && { note: line.note }),
            }
          : line,
      ),
      procedure,
    }),
  },
];

/**
 * Plays the illustrative cycle through the ordinary use cases, so every event is a real one: the
 * pledges, the proposal, the adoption, then the reports of the months of 2026 begun by the
 * tracker's clock (none before 2026).
 */
export async function seedIllustrativePlan(tracker: Tracker, newId: () => string): Promise<void> {
  const correlationId = newId();
  const as = (actor: Actor): RequestContext => ({ actor, correlationId, requestId: newId() });
  const planId = ILLUSTRATIVE_PLAN_ID;

  await tracker.createPlan(
    {
      planId,
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      priorityCountries: ['TR', 'LB', 'JO', 'EG', 'NE', 'SD', 'TD'],
      regions: [LATIN_AMERICA],
    },
    as(commission),
  );
  await tracker.openPledging(planId, {}, as(commission));
  for (const pledge of ILLUSTRATIVE_PLEDGES) {
    if (pledge.memberState === 'DE') {
      // One revision, so the audit history has something to show.
      const [first, ...rest] = pledge.lines;
      const draft = first ? [{ ...first, persons: first.persons + 500 }, ...rest] : rest;
      await tracker.putPledge(planId, 'DE', { lines: draft, submitOnly: true }, as(ministry('DE')));
      await tracker.putPledge(
        planId,
        'DE',
        { lines: pledge.lines, reason: `Reception capacity reassessed (${ILLUSTRATIVE_NOTE})` },
        as(ministry('DE')),
      );
    } else {
      await tracker.putPledge(
        planId,
        pledge.memberState,
        { lines: pledge.lines, submitOnly: true },
        as(ministry(pledge.memberState)),
      );
    }
  }
  await tracker.closePledging(planId, as(commission));
  await tracker.recordProposal(
    planId,
    {
      reference: `Commission proposal of 11 November 2025 (${ILLUSTRATIVE_NOTE})`,
      proposedOn: '2025-11-11',
    },
    as(commission),
  );
  // Between the proposal and the adoption each Member State lowers its indication (Art. 8(3)(b)).
  for (const indication of ILLUSTRATIVE_ADOPTED) {
    await tracker.putPledge(
      planId,
      indication.memberState,
      {
        lines: indication.lines,
        reason: `Indication lowered before the Council's adoption (${ILLUSTRATIVE_NOTE})`,
      },
      as(ministry(indication.memberState)),
    );
  }
  await tracker.recordAdoption(
    planId,
    {
      actReference: `Council Implementing Decision (EU) 2025/2628 (${ILLUSTRATIVE_NOTE})`,
      adoptedOn: '2025-12-18',
      contributions: ILLUSTRATIVE_ADOPTED,
    },
    as(commission),
  );
  // Each month that has begun, in order: every Member State's report, then the corrections made
  // in that month.
  for (const month of illustrativeReportMonths(tracker.now())) {
    for (const report of illustrativeReports(month)) {
      await tracker.putImplementationReport(
        planId,
        report.memberState,
        month,
        { admissions: report.admissions, procedure: report.procedure, submitOnly: true },
        as(report.onBehalf ? commission : ministry(report.memberState)),
      );
    }
    for (const correction of ILLUSTRATIVE_CORRECTIONS) {
      if (correction.correctedIn !== month) continue;
      const submitted = illustrativeReports(correction.month).find(
        (report) => report.memberState === correction.memberState,
      );
      if (submitted === undefined) continue;
      await tracker.putImplementationReport(
        planId,
        correction.memberState,
        correction.month,
        { ...correction.correct(submitted), reason: correction.reason },
        as(ministry(correction.memberState)),
      );
    }
  }
}
