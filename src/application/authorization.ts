import type { Actor } from '../domain/shared/messages';

/** Raised when an authenticated principal asks for something its role does not allow. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  constructor(message: string) {
    super(message);
  }
}

export function requireCommission(actor: Actor): void {
  if (actor.role !== 'commission') {
    throw new ForbiddenError('Only the Commission runs the plan lifecycle');
  }
}

/** A Member State acts for itself alone; nobody else writes a Member State's pledge. */
export function requireOwnPledge(actor: Actor, memberState: string): void {
  if (actor.role !== 'member_state') {
    throw new ForbiddenError(
      'Only a Member State ministry submits, revises or withdraws its pledge',
    );
  }
  if (actor.memberState !== memberState) {
    throw new ForbiddenError(
      `A ${actor.memberState ?? 'Member State'} token cannot act for ${memberState}`,
    );
  }
}

/**
 * Before adoption a Member State sees only its own pledge (the negotiation is confidential between
 * each Member State and the Commission); once the plan is adopted its contents are public.
 */
export function mayReadPledge(actor: Actor, memberState: string, planAdopted: boolean): boolean {
  if (actor.role === 'commission' || actor.role === 'auditor') return true;
  return planAdopted || actor.memberState === memberState;
}

export function requireAuditReader(actor: Actor): void {
  if (actor.role !== 'auditor' && actor.role !== 'commission') {
    throw new ForbiddenError('The audit trail is open to auditors and the Commission');
  }
}
