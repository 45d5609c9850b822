import type { Actor } from '../domain/shared/messages';
import type { Contribution, PledgeLine } from '../domain/shared/pledgeLine';
import type { Tracker, RequestContext } from '../application/tracker';

/**
 * ILLUSTRATIVE data for a first run. The headline figures are the published ones for 2026-2027
 * (Commission proposal of 11 Nov 2025: 15,230 places from nine Member States; Council Implementing
 * Decision (EU) 2025/2628 of 18 Dec 2025: 10,430 places). The split by Member State, admission
 * type and host country is INVENTED: the per-Member-State annex is not in our sources.
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

/** Plays the illustrative cycle through the ordinary use cases, so every event is a real one. */
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
}
