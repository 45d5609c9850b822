/**
 * The development sign-in's identities: one per kind of user, from the demo Member States. The
 * actor recorded is the identity prefixed `dev:`, so a development write is never taken for a
 * real person's.
 */
import type { Actor, Role } from '../../domain/shared/messages';
import { DEMO_MEMBER_STATES } from '../demoTokens';

export interface DevelopmentIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly memberState?: string;
}

export function developmentIdentities(
  memberStates: readonly string[] = DEMO_MEMBER_STATES,
): DevelopmentIdentity[] {
  return [
    { id: 'commission-official', name: 'Commission official (demo)', role: 'commission' },
    { id: 'auditor', name: 'Auditor (demo)', role: 'auditor' },
    ...memberStates.map((memberState) => ({
      id: `${memberState.toLowerCase()}-desk-officer`,
      name: `Desk officer, ${memberState} ministry (demo)`,
      role: 'member_state' as const,
      memberState,
    })),
  ];
}

export function developmentActor(identity: DevelopmentIdentity): Actor {
  return {
    id: `dev:${identity.id}`,
    role: identity.role,
    ...(identity.memberState !== undefined && { memberState: identity.memberState }),
    name: identity.name,
  };
}
