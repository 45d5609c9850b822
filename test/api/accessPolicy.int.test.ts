/**
 * Who may read or do what, walked over HTTP: every route × role (Commission, auditor, a Member
 * State on its own or another's pledge) × before and after adoption. The expected status comes from
 * the policy itself (`decideAccess` over `ACCESS_RULES`), so this table is the rule, run; the
 * README's rights table is rendered from the same rules, and the last test keeps the two equal.
 *
 * The fixture gives every participant figures of its own that occur nowhere else, so a Member
 * State's answer can be searched for another's: Germany indicates 523, France 350 then 317 (with a
 * confidential reason), Norway (an associated state) 71; the proposal totals 840. The Council
 * adopts Germany 480, France 250 and records Norway's 60 beside the plan; then each reports January
 * 2026: Germany 41 admitted, France 29, Norway 13.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response, Test } from 'supertest';
import {
  ACCESS_RULES,
  ACTIONS,
  decideAccess,
  renderAccessTable,
  type Action,
  type Grant,
} from '../../src/application/accessPolicy';
import type { Role } from '../../src/domain/shared/messages';
import type { PledgeLine } from '../../src/domain/shared/pledgeLine';
import { computeTotals } from '../../src/projections/planReadModel';
import { ALL_PARTICIPANTS, ownScope } from '../../src/projections/readScope';
import {
  PLAN_ID,
  aContribution,
  aLine,
  aPlanAdopted,
  aPlanBody,
  aPlanProposed,
  aPledgeBody,
  aPledgeRevised,
  aPledgeSubmitted,
  aPledgingClosed,
  aProposalBody,
  aReportBody,
  aReportSubmitted,
  anAdmission,
  aWithdrawalBody,
  actorOf,
  anAdoptionBody,
  anAmendmentBody,
  createTestApp,
  expectProblem,
  planStream,
  pledgeStream,
  reportStream,
  urls,
  type Client,
  type GivenStream,
  type Principal,
  type TestApp,
} from './testApp';

// ---- the fixture ----

const OWN = 'DE';
const OTHER = 'FR';
const ASSOCIATED = 'NO';

const DE_INDICATION = [aLine({ persons: 523 })];
const FR_FIRST_INDICATION = [aLine({ hostCountry: 'LB', persons: 350 })];
const FR_INDICATION = [aLine({ hostCountry: 'LB', persons: 317 })];
const NO_INDICATION = [aLine({ hostCountry: 'JO', persons: 71 })];
const FR_REASON = 'Confidential: the French reception capacity after the regional elections';

const PROPOSED = [aContribution(OWN, DE_INDICATION), aContribution(OTHER, FR_INDICATION)];
const PROPOSED_ASSOCIATED = [aContribution(ASSOCIATED, NO_INDICATION)];
const ADOPTED = [
  aContribution(OWN, [aLine({ persons: 480 })]),
  aContribution(OTHER, [aLine({ hostCountry: 'LB', persons: 250 })]),
];
const ADOPTED_ASSOCIATED = [aContribution(ASSOCIATED, [aLine({ hostCountry: 'JO', persons: 60 })])];

/** What a Member State other than France or Norway must never find in an answer. */
const OTHERS_FIGURES: readonly (readonly [string, number])[] = [
  ['France’s first indication', 350],
  ['France’s indication', 317],
  ['Norway’s indication', 71],
  ['the proposal’s total (every indication)', 840],
];

const STAGES = ['before adoption', 'after adoption'] as const;
type Stage = (typeof STAGES)[number];

/** Each participant's report for January 2026, once the plan is adopted. */
const REPORTS: readonly GivenStream[] = [
  reportStream(OWN, '2026-01', [
    aReportSubmitted({
      memberState: OWN,
      month: '2026-01',
      admissions: [anAdmission({ persons: 41 })],
    }),
  ]),
  reportStream(OTHER, '2026-01', [
    aReportSubmitted({
      memberState: OTHER,
      month: '2026-01',
      admissions: [anAdmission({ hostCountry: 'LB', persons: 29 })],
    }),
  ]),
  reportStream(ASSOCIATED, '2026-01', [
    aReportSubmitted({
      memberState: ASSOCIATED,
      month: '2026-01',
      admissions: [anAdmission({ hostCountry: 'JO', persons: 13 })],
    }),
  ]),
];

/** A month of the period that has begun: when the walk sends a report. */
const IN_MARCH_2026 = '2026-03-10T09:00:00.000Z';

/** The plan proposed (before adoption) or adopted, every participant having indicated first. */
function fixture(stage: Stage): GivenStream[] {
  const adoption: GivenStream = {
    ...planStream('adopted'),
    events: [aPlanAdopted({ contributions: ADOPTED, associatedStates: ADOPTED_ASSOCIATED })],
  };
  return [
    planStream('pledging_open'),
    pledgeStream(OWN, [aPledgeSubmitted({ lines: DE_INDICATION })]),
    pledgeStream(OTHER, [
      aPledgeSubmitted({ memberState: OTHER, lines: FR_FIRST_INDICATION }),
      aPledgeRevised({ memberState: OTHER, lines: FR_INDICATION, reason: FR_REASON }),
    ]),
    pledgeStream(ASSOCIATED, [aPledgeSubmitted({ memberState: ASSOCIATED, lines: NO_INDICATION })]),
    {
      ...planStream('proposed'),
      events: [
        aPledgingClosed(),
        aPlanProposed({ contributions: PROPOSED, associatedStates: PROPOSED_ASSOCIATED }),
      ],
    },
    ...(stage === 'after adoption' ? [adoption, ...REPORTS] : []),
  ];
}

/** Each pledge stream's version in the fixture: what If-Match names. */
const PLEDGE_VERSION: Readonly<Record<string, number>> = { [OWN]: 1, [OTHER]: 2 };

/** A lower indication for a Member State: allowed until adoption, and pending after it. */
const LOWER: Readonly<Record<string, readonly PledgeLine[]>> = {
  [OWN]: [aLine({ persons: 500 })],
  [OTHER]: [aLine({ hostCountry: 'LB', persons: 300 })],
};

// ---- the routes ----

interface WalkedRoute {
  /** As `ACCESS_RULES` names it. */
  readonly route: string;
  /** The query, where the route has variants (the views of totals and compliance). */
  readonly query?: string;
  readonly action: Action;
  /** The route names a Member State (`{ms}`): asked for the caller's own and for another's. */
  readonly namesMemberState: boolean;
  readonly write: boolean;
  readonly send: (client: Client, memberState: string) => Test;
  /** The status an allowed caller gets, by stage (the domain may still refuse the step). */
  readonly allowed: Readonly<Record<Stage, number>>;
  /**
   * After adoption the answer holds the adopted plan, a Council act every participant sees
   * whole: other Member States' adopted contributions appear, their indications still do not.
   */
  readonly showsAdoptedPlan?: boolean;
  /** The answer is about the caller itself (its quotas), not about the participants. */
  readonly aboutCaller?: boolean;
  /** The answer is about the log's tree (sizes, hashes, a signature), not about the participants. */
  readonly aboutTree?: boolean;
  /** Before adoption the answer holds no participant for anyone: no report can exist yet. */
  readonly emptyBeforeAdoption?: boolean;
  /** The clock when the request is sent, where the rule depends on it (a month must have begun). */
  readonly at?: string;
  /** What a Member State's successful read must equal, beyond holding nothing of another's. */
  readonly ownAnswer?: (body: Record<string, unknown>, stage: Stage) => void;
}

const figuresOf = (view: string) => `?view=${view}`;

/** The totals a Member State gets: its own figures only, or the adopted plan whole. */
function expectTotals(view: 'pledges' | 'proposal' | 'adopted') {
  return (body: Record<string, unknown>) => {
    const expected =
      view === 'adopted'
        ? {
            scope: ALL_PARTICIPANTS,
            ...computeTotals(ADOPTED, []),
            associatedStates: computeTotals(ADOPTED_ASSOCIATED, []),
          }
        : {
            scope: ownScope(OWN),
            ...computeTotals([aContribution(OWN, DE_INDICATION)], []),
            associatedStates: computeTotals([], []),
          };
    expect(body).toEqual({ planId: PLAN_ID, view, ...expected, asOfPosition: expect.any(Number) });
  };
}

const WALKED: readonly WalkedRoute[] = [
  {
    route: 'GET /plans',
    action: 'plan.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.plans),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
    showsAdoptedPlan: true,
  },
  {
    route: 'POST /plans',
    action: 'plan.lifecycle',
    namesMemberState: false,
    write: true,
    send: (client) =>
      client
        .post(urls.plans)
        .send(
          aPlanBody({ planId: '2028-2029', periodStart: '2028-01-01', periodEnd: '2029-12-31' }),
        ),
    allowed: { 'before adoption': 201, 'after adoption': 201 },
  },
  {
    route: 'GET /plans/{planId}',
    action: 'plan.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.plan()),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
    showsAdoptedPlan: true,
    ownAnswer: (body, stage) => {
      // The proposal: the caller's own share, never its total (which sums every indication).
      expect(body['proposal']).not.toHaveProperty('total');
      expect(body['proposal']).toMatchObject({
        contributions: [{ memberState: OWN, lines: DE_INDICATION, total: 523 }],
        associatedStates: [],
      });
      if (stage === 'after adoption') {
        expect(body).toMatchObject({ adoptedTotal: 730, adoption: { total: 730 } });
      }
    },
  },
  {
    route: 'POST /plans/{planId}/pledging/open',
    action: 'plan.lifecycle',
    namesMemberState: false,
    write: true,
    send: (client) => client.post(urls.open()).send({}),
    allowed: { 'before adoption': 409, 'after adoption': 409 },
  },
  {
    route: 'POST /plans/{planId}/pledging/close',
    action: 'plan.lifecycle',
    namesMemberState: false,
    write: true,
    send: (client) => client.post(urls.close()).send({}),
    allowed: { 'before adoption': 409, 'after adoption': 409 },
  },
  {
    route: 'POST /plans/{planId}/proposal',
    action: 'plan.lifecycle',
    namesMemberState: false,
    write: true,
    send: (client) => client.post(urls.proposal()).send(aProposalBody()),
    allowed: { 'before adoption': 409, 'after adoption': 409 },
  },
  {
    route: 'POST /plans/{planId}/adoption',
    action: 'plan.lifecycle',
    namesMemberState: false,
    write: true,
    send: (client) => client.post(urls.adoption()).send(anAdoptionBody()),
    allowed: { 'before adoption': 200, 'after adoption': 409 },
  },
  {
    route: 'POST /plans/{planId}/amendments',
    action: 'plan.lifecycle',
    namesMemberState: false,
    write: true,
    send: (client) => client.post(urls.amendments()).send(anAmendmentBody()),
    allowed: { 'before adoption': 409, 'after adoption': 200 },
  },
  {
    route: 'GET /plans/{planId}/history',
    action: 'plan.history',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.planHistory()),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  ...(['pledges', 'proposal', 'adopted'] as const).flatMap((view): WalkedRoute[] => [
    {
      route: 'GET /plans/{planId}/totals',
      query: figuresOf(view),
      action: 'figures.read',
      namesMemberState: false,
      write: false,
      send: (client) => client.get(urls.totals(figuresOf(view))),
      allowed: { 'before adoption': view === 'adopted' ? 404 : 200, 'after adoption': 200 },
      showsAdoptedPlan: view === 'adopted',
      ownAnswer: expectTotals(view),
    },
    {
      route: 'GET /plans/{planId}/compliance',
      query: figuresOf(view),
      action: 'figures.read',
      namesMemberState: false,
      write: false,
      send: (client) => client.get(urls.compliance(figuresOf(view))),
      allowed: { 'before adoption': view === 'adopted' ? 404 : 200, 'after adoption': 200 },
      showsAdoptedPlan: view === 'adopted',
      ownAnswer: (body) => {
        expect(body).toMatchObject({
          view,
          // Checks that compare with indications keep to the caller's own (scope own); the
          // adopted plan's figures are the Council's, whole.
          scope: ownScope(OWN),
          total: view === 'adopted' ? 730 : 523,
        });
      },
    },
  ]),
  {
    route: 'GET /plans/{planId}/timeline',
    action: 'figures.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.timeline()),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
    ownAnswer: (body) => {
      // The caller's own pledge alone: one point, its own submission, whatever the others did.
      expect(body).toEqual({
        planId: PLAN_ID,
        scope: ownScope(OWN),
        points: [
          {
            position: expect.any(Number),
            recordedAt: expect.any(String),
            memberState: OWN,
            type: 'PledgeSubmitted',
            total: 523,
            byAdmissionType: {
              resettlement: 523,
              humanitarian_admission: 0,
              emergency_admission: 0,
            },
          },
        ],
        asOfPosition: expect.any(Number),
      });
    },
  },
  {
    route: 'GET /plans/{planId}/pledges',
    action: 'pledges.list',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.pledges()),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
    ownAnswer: (body) => {
      expect(body).toMatchObject({
        pledges: [{ memberState: OWN, lines: DE_INDICATION, total: 523 }],
        associatedStates: [],
      });
      expect(body['pledges']).toHaveLength(1);
    },
  },
  {
    route: 'GET /plans/{planId}/pledges/{ms}',
    action: 'pledge.read',
    namesMemberState: true,
    write: false,
    send: (client, memberState) => client.get(urls.pledge(memberState)),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  {
    route: 'PUT /plans/{planId}/pledges/{ms}',
    action: 'pledge.write',
    namesMemberState: true,
    write: true,
    send: (client, memberState) =>
      client
        .put(urls.pledge(memberState))
        .set('If-Match', `"${PLEDGE_VERSION[memberState]}"`)
        .send(aPledgeBody(LOWER[memberState], { reason: 'Reception capacity cut' })),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  {
    route: 'DELETE /plans/{planId}/pledges/{ms}',
    action: 'pledge.write',
    namesMemberState: true,
    write: true,
    send: (client, memberState) =>
      client
        .delete(urls.pledge(memberState))
        .set('If-Match', `"${PLEDGE_VERSION[memberState]}"`)
        .send(aWithdrawalBody()),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  {
    route: 'POST /plans/{planId}/pledges/{ms}/withdrawal',
    action: 'pledge.write',
    namesMemberState: true,
    write: true,
    send: (client, memberState) =>
      client
        .post(urls.withdrawal(memberState))
        .set('If-Match', `"${PLEDGE_VERSION[memberState]}"`)
        .send(aWithdrawalBody()),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  {
    route: 'GET /plans/{planId}/pledges/{ms}/history',
    action: 'pledge.history',
    namesMemberState: true,
    write: false,
    send: (client, memberState) => client.get(urls.pledgeHistory(memberState)),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  {
    route: 'PUT /plans/{planId}/implementation/{ms}/{month}',
    action: 'implementation.write',
    namesMemberState: true,
    write: true,
    send: (client, memberState) =>
      client
        .put(urls.report(memberState, '2026-02'))
        .set('If-None-Match', '*')
        .send(aReportBody([anAdmission({ hostCountry: 'LB', persons: 17 })])),
    // Before adoption there is nothing to implement yet (409 plan_not_adopted).
    allowed: { 'before adoption': 409, 'after adoption': 201 },
    at: IN_MARCH_2026,
  },
  {
    route: 'GET /plans/{planId}/implementation',
    action: 'implementation.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.reports()),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
    emptyBeforeAdoption: true,
    ownAnswer: (body, stage) => {
      expect(body['reports']).toEqual(
        stage === 'after adoption'
          ? [expect.objectContaining({ memberState: OWN, admitted: 41 })]
          : [],
      );
      expect(body['associatedStates']).toEqual([]);
    },
  },
  {
    route: 'GET /plans/{planId}/implementation/{ms}/{month}',
    action: 'implementation.read',
    namesMemberState: true,
    write: false,
    send: (client, memberState) => client.get(urls.report(memberState, '2026-01')),
    allowed: { 'before adoption': 404, 'after adoption': 200 },
  },
  {
    route: 'GET /plans/{planId}/implementation/{ms}/{month}/history',
    action: 'implementation.read',
    namesMemberState: true,
    write: false,
    send: (client, memberState) => client.get(urls.reportHistory(memberState, '2026-01')),
    allowed: { 'before adoption': 404, 'after adoption': 200 },
  },
  {
    route: 'GET /plans/{planId}/fulfilment',
    action: 'fulfilment.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.fulfilment()),
    allowed: { 'before adoption': 404, 'after adoption': 200 },
  },
  {
    route: 'GET /plans/{planId}/exports/amif-annual',
    action: 'exports.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.amifExport('?year=2026')),
    allowed: { 'before adoption': 404, 'after adoption': 200 },
    ownAnswer: (body, stage) => {
      if (stage === 'after adoption') {
        expect(body['rows']).toEqual([
          expect.objectContaining({ memberState: OWN, resettled: 41 }),
        ]);
      }
    },
  },
  {
    route: 'GET /plans/{planId}/exports/framework-report',
    action: 'exports.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.frameworkExport()),
    allowed: { 'before adoption': 404, 'after adoption': 200 },
    ownAnswer: (body, stage) => {
      if (stage === 'after adoption') {
        expect(body['admissions']).toEqual([
          expect.objectContaining({ memberState: OWN, persons: 41 }),
        ]);
      }
    },
  },
  {
    route: 'GET /audit/events',
    action: 'audit.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.auditEvents()),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  {
    route: 'POST /audit/replay',
    action: 'audit.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.post(urls.replay),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  ...(
    [
      ['GET /audit/tree-head', urls.treeHead],
      ['GET /audit/proof/inclusion', urls.inclusionProof('?position=1')],
      ['GET /audit/proof/consistency', urls.consistencyProof('?from=1')],
    ] as const
  ).map(([route, url]): WalkedRoute => ({
    route,
    action: 'audit.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(url),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
    aboutTree: true,
  })),
  {
    route: 'GET /audit/records/{position}',
    action: 'audit.read',
    namesMemberState: false,
    write: false,
    // The other Member State's first pledge.
    send: (client) => client.get(urls.auditRecord(4)),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  {
    route: 'GET /audit/export',
    action: 'audit.read',
    namesMemberState: false,
    write: false,
    // NDJSON: read as text.
    send: (client) => client.get(urls.auditExport()).buffer(true),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
  },
  {
    route: 'GET /quota',
    action: 'quota.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get(urls.quota),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
    aboutCaller: true,
    ownAnswer: (body) => {
      expect(body['storedBytes']).toMatchObject({ memberState: OWN });
    },
  },
  {
    route: 'GET /session',
    action: 'session.read',
    namesMemberState: false,
    write: false,
    send: (client) => client.get('/api/v1/session'),
    allowed: { 'before adoption': 200, 'after adoption': 200 },
    aboutCaller: true,
  },
];

// ---- who asks ----

interface Caller {
  readonly label: string;
  readonly principal: Principal;
  readonly role: Role;
  /** The Member State the request names, for routes that name one. */
  readonly target: string;
}

const COMMISSION: Caller = {
  label: 'the Commission',
  principal: 'commission',
  role: 'commission',
  target: OTHER,
};
const AUDITOR: Caller = {
  label: 'an auditor',
  principal: 'auditor',
  role: 'auditor',
  target: OTHER,
};
const MEMBER_STATE: Caller = {
  label: 'a Member State',
  principal: 'de',
  role: 'member_state',
  target: OWN,
};

const OPERATOR: Caller = {
  label: 'an operator',
  principal: 'operator',
  role: 'operator',
  target: OTHER,
};

function callersFor(route: WalkedRoute): Caller[] {
  if (!route.namesMemberState) return [COMMISSION, AUDITOR, MEMBER_STATE, OPERATOR];
  return [
    COMMISSION,
    AUDITOR,
    OPERATOR,
    { ...MEMBER_STATE, label: 'a Member State on its own' },
    { ...MEMBER_STATE, label: 'a Member State on another’s', target: OTHER },
  ];
}

/** What the policy decides for this caller on this route: the expectation of every case below. */
function decisionFor(route: WalkedRoute, caller: Caller) {
  return decideAccess(
    actorOf(caller.principal),
    route.action,
    route.namesMemberState ? { memberState: caller.target } : {},
  );
}

const GRANT_WORDS: Readonly<Record<Grant, string>> = {
  all: 'all',
  own: 'own only',
  own_only: 'own only, 403 for another',
  deny: 'denied',
};

interface Case {
  readonly name: string;
  readonly route: WalkedRoute;
  readonly caller: Caller;
  readonly stage: Stage;
}

const CASES: readonly Case[] = WALKED.flatMap((route) =>
  callersFor(route).flatMap((caller) =>
    STAGES.map((stage) => {
      const grant = ACCESS_RULES[route.action].grants[caller.role];
      const decision = decisionFor(route, caller);
      const status = decision.allowed ? route.allowed[stage] : 403;
      return {
        name: `${route.route}${route.query ?? ''} by ${caller.label}, ${stage} (${route.action}: ${GRANT_WORDS[grant]}): ${status}`,
        route,
        caller,
        stage,
      };
    }),
  ),
);

// ---- what an answer may hold ----

const mentions = (json: string, figure: number) =>
  new RegExp(`(?<![\\d.])${figure}(?![\\d])`).test(json);

/** A Member State's answer holds nothing of another participant's indications. */
function expectNothingOfOthers(body: unknown, route: WalkedRoute, stage: Stage): void {
  const json = JSON.stringify(body);
  for (const [what, figure] of OTHERS_FIGURES) {
    expect({ what, found: mentions(json, figure) }).toEqual({ what, found: false });
  }
  expect(json).not.toContain(FR_REASON);
  if (stage === 'after adoption' && route.showsAdoptedPlan === true) {
    // The adopted plan is a Council act: every participant sees it whole.
    expect(json).toContain(`"memberState":"${OTHER}"`);
    expect(json).toContain(`"memberState":"${ASSOCIATED}"`);
    return;
  }
  for (const code of [OTHER, ASSOCIATED]) {
    expect({ code, found: json.includes(`"${code}"`) }).toEqual({ code, found: false });
  }
}

describe('the access policy, walked over every route', () => {
  let t: TestApp;

  beforeEach(() => {
    t = createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('walks every route the policy names, and no other', () => {
    const walked = new Set(WALKED.map((route) => `${route.action} ${route.route}`));
    const ruled = new Set(
      ACTIONS.flatMap((action) => ACCESS_RULES[action].routes.map((route) => `${action} ${route}`)),
    );

    expect([...walked].sort()).toEqual([...ruled].sort());
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, { route, caller, stage }) => {
    await t.given(...fixture(stage));
    if (route.at !== undefined) t.clock.set(route.at);
    const mark = await t.mark();
    const decision = decisionFor(route, caller);

    const response: Response = await route.send(t.as(caller.principal), caller.target);

    if (!decision.allowed) {
      expectProblem(response, 403, 'forbidden');
    } else {
      expect({ status: response.status, code: response.body?.code }).toMatchObject({
        status: route.allowed[stage],
      });
    }

    // A refused write appends nothing; an accepted one appends exactly its event.
    const appended = (await t.store.headPosition()) - mark.position;
    const accepted = route.write && response.status >= 200 && response.status < 300;
    expect({ appended }).toEqual({ appended: accepted ? 1 : 0 });

    if (!decision.allowed || response.status !== 200) return;
    if (decision.scope.kind === 'own') {
      // Reads, and a Member State's own pledge writes: nothing of another's either way.
      expectNothingOfOthers(response.body, route, stage);
      route.ownAnswer?.(response.body as Record<string, unknown>, stage);
    } else if (
      !route.write &&
      route.route !== 'POST /audit/replay' &&
      route.aboutCaller !== true &&
      route.aboutTree !== true &&
      !(route.emptyBeforeAdoption === true && stage === 'before adoption')
    ) {
      // The whole scope: every participant, so the walk above would see a leak.
      // The raw answer (the export is NDJSON, not one JSON body).
      expect(response.text).toContain(`"${OTHER}"`);
    }
  });

  it.each(STAGES)(
    '%s a Member State’s totals are its own pledge’s figures, whatever the others pledged',
    async (stage) => {
      await t.given(...fixture(stage));

      const pledges = await t.as('de').get(urls.totals(figuresOf('pledges')));
      const alone = createTestApp();
      await alone.given(
        planStream('pledging_open'),
        pledgeStream(OWN, [aPledgeSubmitted({ lines: DE_INDICATION })]),
      );
      const onlyGermany = await alone.as('commission').get(urls.totals(figuresOf('pledges')));
      await alone.close();

      const { scope: _own, asOfPosition: _at, ...figures } = pledges.body;
      const { scope: _all, asOfPosition: _then, ...germanyAlone } = onlyGermany.body;
      expect(figures).toEqual(germanyAlone);
    },
  );

  it('after adoption the adopted view shows every Member State, the same to all', async () => {
    await t.given(...fixture('after adoption'));

    const answers = await Promise.all(
      (['commission', 'auditor', 'de', 'fr', 'nl'] as const).map((who) =>
        t.as(who).get(urls.totals(figuresOf('adopted'))),
      ),
    );

    const [commission, ...others] = answers.map(
      (answer) => answer.body as { byMemberState: { memberState: string }[] },
    );
    expect(commission?.byMemberState.map((row) => row.memberState)).toEqual([OWN, OTHER]);
    for (const body of others) expect(body).toEqual(commission);
  });

  it('the README’s rights table is the one the policy renders', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const table = /<!-- access-table:start -->\n([\s\S]*?)\n<!-- access-table:end -->/.exec(readme);

    expect(table).not.toBeNull();
    expect(table?.[1]).toBe(renderAccessTable());
  });
});
