import { useSession } from '../../session/SessionProvider';

/**
 * The Member State the signed-in desk officer acts for. The sign-in refuses a ministry account
 * without one, so its absence is a server fault, not a state to design for.
 */
export function useMemberState(): string {
  const { session } = useSession();
  const memberState = session.actor.memberState;
  if (memberState === undefined) {
    throw new Error('The session of a Member State ministry names no Member State');
  }
  return memberState;
}
