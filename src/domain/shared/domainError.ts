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
  | 'plan_period_ended'
  // amendments adopting pending changes (Art. 8(6))
  | 'no_pending_change'
  // implementation reports (Art. 9; AMIF Art. 19)
  | 'plan_not_adopted'
  | 'invalid_report_month'
  | 'month_outside_plan_period'
  | 'month_not_begun'
  | 'invalid_admission_line'
  | 'duplicate_admission_line'
  | 'group_count_exceeds_persons'
  | 'breakdown_mismatch'
  | 'invalid_procedure_counts'
  | 'personal_data_suspected'
  | 'report_already_submitted'
  | 'report_not_found'
  | 'no_op_correction';

/** One rule broken, and where in the command's input. */
export interface Violation {
  readonly code: DomainErrorCode;
  readonly message: string;
  /** The offending field as a dotted path into the command's input, e.g. `lines.2.hostCountry`. */
  readonly path?: string;
  /** The facts behind the refusal, safe to show to the caller. */
  readonly facts: Readonly<Record<string, unknown>>;
}

/**
 * A refused command. `code`, `message` and `facts` are those of the first rule broken, so a caller
 * that looks at one error sees the same as before; `violations` holds every rule broken by the
 * command's input (one for an error raised alone), so a caller can fix them all in one go.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly violations: readonly Violation[];
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The facts behind the refusal, safe to show to the caller. */
    readonly facts: Readonly<Record<string, unknown>> = {},
    /** Where in the command's input, as a dotted path. */
    readonly path?: string,
    violations?: readonly Violation[],
  ) {
    super(message);
    this.violations = violations ?? [{ code, message, facts, ...(path !== undefined && { path }) }];
  }

  /** Several violations as one error: the first gives the code; the message names them all. */
  static of(violations: readonly [Violation, ...Violation[]]): DomainError {
    const [first] = violations;
    const message =
      violations.length === 1
        ? first.message
        : `${violations.length} problems: ${violations.map((v) => v.message).join('; ')}`;
    return new DomainError(first.code, message, first.facts, first.path, violations);
  }
}

/**
 * Gathers the violations of one command's input, so it is refused once with all of them rather
 * than once per request. A check that throws a `DomainError` is recorded; anything else propagates.
 */
export class ViolationCollector {
  private readonly found: Violation[] = [];

  get count(): number {
    return this.found.length;
  }

  add(code: DomainErrorCode, message: string, path: string, facts: Record<string, unknown> = {}) {
    this.found.push({ code, message, path, facts });
  }

  /** Runs a check; its violations are kept (re-based by `rebase`), and the result is undefined. */
  check<T>(run: () => T, rebase: (violation: Violation) => Violation = (v) => v): T | undefined {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.found.push(...error.violations.map(rebase));
      return undefined;
    }
  }

  /** Throws one `DomainError` holding every violation found, if any. */
  throwIfAny(): void {
    const [first, ...rest] = this.found;
    if (first !== undefined) throw DomainError.of([first, ...rest]);
  }
}

/** A violation moved under a parent field: `lines.0.year` of contribution 2 → `contributions.2.lines.0.year`. */
export function underPath(
  prefix: string,
  extra: { readonly messagePrefix?: string; readonly facts?: Record<string, unknown> } = {},
): (violation: Violation) => Violation {
  return (violation) => ({
    code: violation.code,
    message: `${extra.messagePrefix ?? ''}${violation.message}`,
    path: violation.path === undefined ? prefix : `${prefix}.${violation.path}`,
    facts: { ...extra.facts, ...violation.facts },
  });
}
