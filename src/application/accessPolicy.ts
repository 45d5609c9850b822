/**
 * Who may read or do what: the one place that answers it. Routes and use cases ask `authorize`;
 * none re-implements a rule. The table below is also the documentation: the README's rights table
 * is rendered from it (`renderAccessTable`) and a test keeps the two equal.
 *
 * The rule (DOMAIN.md "Who uses the tracker"): before adoption a Member State sees only its own
 * pledge and its own figures, since with few pledgers any aggregate reveals another's pledge.
 * After adoption the adopted plan is a Council act every participant sees whole; a Member State
 * still never sees another's indications, pending changes, reasons or history. The Commission and
 * auditors see everything; auditors never write. Operators run the service (metrics, readiness) and
 * are refused every action here.
 */
import type { Actor, Role } from '../domain/shared/messages';
import { ALL_PARTICIPANTS, ownScope, type ReadScope } from '../projections/readScope';

/** Raised when an authenticated principal asks for something its role does not allow. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  constructor(message: string) {
    super(message);
  }
}

export const ACTIONS = [
  'plan.lifecycle',
  'pledge.write',
  'pledge.read',
  'pledge.history',
  'pledges.list',
  'plan.read',
  'plan.history',
  'figures.read',
  'implementation.write',
  'implementation.read',
  'fulfilment.read',
  'exports.read',
  'audit.read',
  'quota.read',
  'session.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * - `all`: allowed, every participant's data;
 * - `own`: allowed, the answer holds the caller's own indications only (adopted acts whole);
 * - `own_only`: allowed only on the caller's own Member State, refused on another's;
 * - `deny`: refused.
 */
export type Grant = 'all' | 'own' | 'own_only' | 'deny';

interface ActionRule {
  readonly label: string;
  readonly routes: readonly string[];
  readonly grants: Readonly<Record<Role, Grant>>;
}

export const ACCESS_RULES: Readonly<Record<Action, ActionRule>> = {
  'plan.lifecycle': {
    label: 'Create a plan; open and close pledging; record proposal, adoption, amendments',
    routes: [
      'POST /plans',
      'POST /plans/{planId}/pledging/open',
      'POST /plans/{planId}/pledging/close',
      'POST /plans/{planId}/proposal',
      'POST /plans/{planId}/adoption',
      'POST /plans/{planId}/amendments',
    ],
    grants: { commission: 'all', member_state: 'deny', auditor: 'deny', operator: 'deny' },
  },
  'pledge.write': {
    label: 'Submit, revise or withdraw a pledge',
    routes: [
      'PUT /plans/{planId}/pledges/{ms}',
      'DELETE /plans/{planId}/pledges/{ms}',
      'POST /plans/{planId}/pledges/{ms}/withdrawal',
    ],
    grants: { commission: 'deny', member_state: 'own_only', auditor: 'deny', operator: 'deny' },
  },
  'pledge.read': {
    label: 'Read one pledge (lines, status, last reason)',
    routes: ['GET /plans/{planId}/pledges/{ms}'],
    grants: { commission: 'all', member_state: 'own_only', auditor: 'all', operator: 'deny' },
  },
  'pledge.history': {
    label: "Read a pledge's history (every version, actor, reason, diff)",
    routes: ['GET /plans/{planId}/pledges/{ms}/history'],
    grants: { commission: 'all', member_state: 'own_only', auditor: 'all', operator: 'deny' },
  },
  'pledges.list': {
    label: "List a plan's pledges",
    routes: ['GET /plans/{planId}/pledges'],
    grants: { commission: 'all', member_state: 'own', auditor: 'all', operator: 'deny' },
  },
  'plan.read': {
    label: 'Read a plan (the proposal, the adoption, amendments)',
    routes: ['GET /plans', 'GET /plans/{planId}'],
    grants: { commission: 'all', member_state: 'own', auditor: 'all', operator: 'deny' },
  },
  'plan.history': {
    label: "Read a plan's history",
    routes: ['GET /plans/{planId}/history'],
    grants: { commission: 'all', member_state: 'own', auditor: 'all', operator: 'deny' },
  },
  'figures.read': {
    label: 'Totals and compliance (views pledges, proposal, adopted); the pledged total over time',
    routes: [
      'GET /plans/{planId}/totals',
      'GET /plans/{planId}/compliance',
      'GET /plans/{planId}/timeline',
    ],
    grants: { commission: 'all', member_state: 'own', auditor: 'all', operator: 'deny' },
  },
  'implementation.write': {
    label:
      "Submit or correct a monthly implementation report (the Commission on a Member State's behalf, marked as such)",
    routes: ['PUT /plans/{planId}/implementation/{ms}/{month}'],
    grants: { commission: 'all', member_state: 'own_only', auditor: 'deny', operator: 'deny' },
  },
  'implementation.read': {
    label: 'Read monthly implementation reports and their history',
    routes: [
      'GET /plans/{planId}/implementation',
      'GET /plans/{planId}/implementation/{ms}/{month}',
      'GET /plans/{planId}/implementation/{ms}/{month}/history',
    ],
    grants: { commission: 'all', member_state: 'own_only', auditor: 'all', operator: 'deny' },
  },
  'fulfilment.read': {
    label:
      'Fulfilment of the adopted plan: admitted against adopted, pace, checks, AMIF lump sums earned',
    routes: ['GET /plans/{planId}/fulfilment'],
    grants: { commission: 'all', member_state: 'all', auditor: 'all', operator: 'deny' },
  },
  'exports.read': {
    label:
      'Exports: AMIF annual performance figures, the dataset for the report on the Framework (Art. 15)',
    routes: [
      'GET /plans/{planId}/exports/amif-annual',
      'GET /plans/{planId}/exports/framework-report',
    ],
    grants: { commission: 'all', member_state: 'own', auditor: 'all', operator: 'deny' },
  },
  'audit.read': {
    label:
      'The audit feed, the replay check, and the verifiable log: signed tree heads, inclusion and consistency proofs, event records, the export',
    routes: [
      'GET /audit/events',
      'POST /audit/replay',
      'GET /audit/tree-head',
      'GET /audit/proof/inclusion',
      'GET /audit/proof/consistency',
      'GET /audit/records/{position}',
      'GET /audit/export',
    ],
    grants: { commission: 'all', member_state: 'deny', auditor: 'all', operator: 'deny' },
  },
  'quota.read': {
    label:
      "The caller's own quotas: writes and reads left this minute, its Member State's stored bytes",
    routes: ['GET /quota'],
    grants: { commission: 'all', member_state: 'own', auditor: 'all', operator: 'deny' },
  },
  'session.read': {
    label: 'Who the caller is: the signed-in person or the token, its role and Member State',
    routes: ['GET /session'],
    grants: { commission: 'all', member_state: 'all', auditor: 'all', operator: 'all' },
  },
};

/** What a request concerns: the Member State in its path, if any. */
export interface AccessSubject {
  readonly memberState?: string;
}

export type AccessDecision =
  | { readonly allowed: true; readonly scope: ReadScope }
  | { readonly allowed: false; readonly reason: string };

/** How a refusal names what a Member State tried to do for another. */
const OWN_ONLY_VERBS: Partial<Record<Action, string>> = {
  'pledge.write': 'act for',
  'pledge.read': 'see the pledge of',
  'pledge.history': 'see the pledge of',
  'implementation.write': 'report for',
  'implementation.read': 'see the reports of',
};

const ROLE_NAMES: Readonly<Record<Role, string>> = {
  commission: 'the Commission',
  member_state: 'a Member State',
  auditor: 'an auditor',
  operator: 'an operator',
};

export function decideAccess(
  actor: Actor,
  action: Action,
  subject: AccessSubject = {},
): AccessDecision {
  const rule = ACCESS_RULES[action];
  const grant = rule.grants[actor.role];
  const own = actor.memberState;
  switch (grant) {
    case 'all':
      return { allowed: true, scope: ALL_PARTICIPANTS };
    case 'deny':
      return {
        allowed: false,
        reason: `${rule.label}: not open to ${ROLE_NAMES[actor.role]}`,
      };
    case 'own':
      return own === undefined
        ? { allowed: false, reason: 'A Member State token names its Member State' }
        : { allowed: true, scope: ownScope(own) };
    case 'own_only':
      if (own === undefined || (subject.memberState !== undefined && subject.memberState !== own)) {
        return {
          allowed: false,
          reason: `A ${own ?? 'Member State'} token cannot ${OWN_ONLY_VERBS[action] ?? 'read for'} ${subject.memberState ?? 'another Member State'}: a Member State acts and reads for itself alone`,
        };
      }
      return { allowed: true, scope: ownScope(own) };
  }
}

/** The scope the actor may read with; throws `ForbiddenError` when the action is refused. */
export function authorize(actor: Actor, action: Action, subject: AccessSubject = {}): ReadScope {
  const decision = decideAccess(actor, action, subject);
  if (!decision.allowed) throw new ForbiddenError(decision.reason);
  return decision.scope;
}

const GRANT_TEXT: Readonly<Record<Grant, string>> = {
  all: 'yes, all',
  own: 'own only ¹',
  own_only: 'own only; 403 for another',
  deny: '403',
};

/** The README's rights table, rendered from the rules. */
export function renderAccessTable(): string {
  const roles: readonly Role[] = ['member_state', 'commission', 'auditor', 'operator'];
  const header = '| What | Routes | Member State | Commission | Auditor | Operator |';
  const divider = '|---|---|---|---|---|---|';
  const rows = ACTIONS.map((action) => {
    const rule = ACCESS_RULES[action];
    const cells = roles.map((role) => GRANT_TEXT[rule.grants[role]]);
    return `| ${rule.label} | ${rule.routes.map((route) => `\`${route}\``).join('<br>')} | ${cells.join(' | ')} |`;
  });
  return [
    header,
    divider,
    ...rows,
    '',
    "¹ The answer holds the caller's own indications, proposal share and history only; other Member States' figures are never computed for it. Once the plan is adopted, the adopted plan (every Member State's contribution, its totals and compliance) is shown whole: it is a Council act.",
    '',
    'An operator token opens `GET /metrics`, the details of `GET /ready` and its own `GET /session`, nothing else.',
    '',
    'The public key that signs tree heads (`GET /audit/key`) is public, like the reference tables.',
  ].join('\n');
}
