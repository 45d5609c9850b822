/**
 * Every rule the domain enforces has a code. The API maps codes to HTTP statuses in one table;
 * the domain never knows about HTTP.
 */
export type DomainErrorCode =
  // reference data
  | 'unknown_member_state'
  | 'unknown_host_country'
  | 'unknown_region'
  | 'unknown_plan_region'
  | 'invalid_plan_region'
  | 'unknown_target_group'
  | 'participant_not_bound'
  // plan lifecycle
  | 'plan_not_found'
  | 'plan_already_exists'
  | 'invalid_plan_period'
  | 'invalid_resettlement_floor'
  | 'invalid_transition'
  | 'invalid_deadline'
  | 'proposal_without_contributions'
  | 'duplicate_contribution'
  | 'empty_amendment'
  | 'invalid_act_date'
  | 'reference_required'
  // pledges
  | 'pledging_not_open'
  | 'pledging_closed'
  | 'indication_raised_after_closing'
  | 'pledge_not_found'
  | 'pledge_already_submitted'
  | 'pledge_withdrawn'
  | 'pledge_already_withdrawn'
  | 'empty_pledge'
  | 'invalid_pledge_line'
  | 'duplicate_pledge_line'
  | 'no_op_revision'
  | 'reason_required'
  | 'year_outside_plan_period'
  | 'pledge_deadline_passed'
  | 'plan_period_ended';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The facts behind the refusal, safe to show to the caller. */
    readonly facts: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
