import type { PledgeState } from '../domain/pledge/pledge';
import { totalPersons } from '../domain/shared/pledgeLine';
import type { CommandResult } from '../application/commandHandler';
import type { ReportResult } from '../application/tracker';

/** What a write after adoption means for the plan, said where the writer reads it. */
export const PENDING_AMENDMENT_MESSAGE =
  'The change is recorded, but the plan is adopted: it takes effect only when the Council amends the plan (Art. 8(6)); until then the adopted contribution stands.';

/**
 * The body of a pledge write's response, built from the stream's state at the written version, so
 * a replayed idempotent request answers with exactly what the first one did.
 */
export function pledgeWriteResult(
  planId: string,
  memberState: string,
  result: CommandResult<PledgeState> & { readonly pendingAmendment: boolean },
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
    pendingAmendment: result.pendingAmendment,
    ...(result.pendingAmendment && { message: PENDING_AMENDMENT_MESSAGE }),
  };
}

/**
 * The body of a monthly report write's response, from the stream's state at the written version,
 * so a replayed idempotent request answers with exactly what the first one did.
 */
export function reportWriteResult(planId: string, result: ReportResult) {
  const { state } = result;
  const admissions = state.status === 'reported' ? state.admissions : [];
  return {
    planId,
    memberState: result.memberState,
    month: result.month,
    version: result.version,
    position: result.position,
    admissions,
    admitted: totalPersons(admissions),
    procedure: (state.status === 'reported' ? state.procedure : undefined) ?? {},
    onBehalf: result.onBehalf,
  };
}
