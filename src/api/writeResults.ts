import type { PledgeState } from '../domain/pledge/pledge';
import { totalPersons } from '../domain/shared/pledgeLine';
import type { CommandResult } from '../application/commandHandler';

/**
 * The body of a pledge write's response, built from the stream's state at the written version, so
 * a replayed idempotent request answers with exactly what the first one did.
 */
export function pledgeWriteResult(
  planId: string,
  memberState: string,
  result: CommandResult<PledgeState>,
) {
  const { state } = result;
  const lines = state.status === 'active' ? state.lines : [];
  return {
    planId,
    memberState,
    status: state.status,
    version: result.version,
    position: result.position,
    lines,
    total: totalPersons(lines),
  };
}
