import type { ErrorRequestHandler } from 'express';
import { DomainError, type DomainErrorCode } from '../domain/shared/domainError';
import { ForbiddenError } from '../application/accessPolicy';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  AuditTreeMismatchError,
  ConcurrencyConflictError,
  IdempotencyKeyReusedError,
  StoreUnavailableError,
  StreamIntegrityError,
  type StoreFailureKind,
} from '../eventStore/port';
import { UndecodableEventError } from '../events/trackerRecordedEvent';
import { AuditLogMismatchError } from '../auditLog/auditLogService';

/** An RFC 9457 problem raised at the HTTP edge (bad input, missing precondition, ...). */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/**
 * The one code-to-status table. A request the schema refuses (malformed) is 400 `invalid_request`
 * before the domain sees it; a rule about the content of a well-formed request (an unknown country,
 * region, target group or participant, a year outside the period, ...) is 422; a step the plan's
 * state does not allow is 409; a missing plan or pledge 404.
 */
export const STATUS_BY_DOMAIN_CODE: Readonly<Record<DomainErrorCode, number>> = {
  unknown_member_state: 422,
  unknown_host_country: 422,
  unknown_region: 422,
  unknown_plan_region: 422,
  invalid_plan_region: 422,
  unknown_target_group: 422,
  participant_not_bound: 422,
  plan_not_found: 404,
  plan_already_exists: 409,
  invalid_plan_period: 422,
  invalid_resettlement_floor: 422,
  invalid_transition: 409,
  invalid_deadline: 422,
  proposal_without_contributions: 422,
  duplicate_contribution: 422,
  empty_amendment: 422,
  invalid_act_date: 422,
  reference_required: 422,
  pledging_not_open: 409,
  pledging_closed: 409,
  indication_raised_after_closing: 409,
  pledge_not_found: 404,
  // If-None-Match: * against an existing pledge: the precondition failed.
  pledge_already_submitted: 412,
  pledge_withdrawn: 409,
  pledge_already_withdrawn: 409,
  empty_pledge: 422,
  invalid_pledge_line: 422,
  duplicate_pledge_line: 422,
  no_op_revision: 422,
  reason_required: 422,
  year_outside_plan_period: 422,
  pledge_deadline_passed: 409,
  plan_period_ended: 409,
  no_pending_change: 422,
  // Reports follow the plan: before adoption there is nothing to implement yet.
  plan_not_adopted: 409,
  invalid_report_month: 422,
  month_outside_plan_period: 422,
  month_not_begun: 422,
  invalid_admission_line: 422,
  duplicate_admission_line: 422,
  group_count_exceeds_persons: 422,
  breakdown_mismatch: 422,
  invalid_procedure_counts: 422,
  personal_data_suspected: 422,
  // If-None-Match: * against an existing report: the precondition failed.
  report_already_submitted: 412,
  report_not_found: 404,
  no_op_correction: 422,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

/** A store failure as the client sees it: the status, the code, and what to make of it. */
const STORE_FAILURES: Readonly<
  Record<StoreFailureKind, { status: number; code: string; detail: string }>
> = {
  corrupted: {
    status: 503,
    code: 'store_corrupted',
    detail:
      'The event store is damaged and cannot serve this request; the operators have been told.',
  },
  full: {
    status: 507,
    code: 'insufficient_storage',
    detail: 'The event store has no space left to record this request; nothing was recorded.',
  },
  unavailable: {
    status: 503,
    code: 'store_unavailable',
    detail:
      'The event store could not be reached or failed to read or write; nothing was recorded.',
  },
  busy: {
    status: 503,
    code: 'store_busy',
    detail: 'The event store is busy with other writes; nothing was recorded. Retry shortly.',
  },
};

interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Sent as `Retry-After` (seconds): the failure is expected to pass. */
  readonly retryAfterSeconds?: number;
}

export function toProblem(error: unknown, hadPrecondition = true): Problem {
  if (error instanceof HttpProblem) {
    return {
      status: error.status,
      code: error.code,
      detail: error.message,
      extensions: error.extensions,
    };
  }
  if (error instanceof DomainError) {
    // The first violation's code and facts stay at the top, as when only one was reported; `errors`
    // lists every violation of the request, each with its path into the body.
    return {
      status: STATUS_BY_DOMAIN_CODE[error.code],
      code: error.code,
      detail: error.message,
      extensions: {
        ...toExtensions(error.facts),
        errors: error.violations.map((violation) => ({
          ...toExtensions(violation.facts),
          code: violation.code,
          ...(violation.path !== undefined && { path: violation.path }),
          message: violation.message,
        })),
      },
    };
  }
  if (error instanceof ForbiddenError)
    return { status: 403, code: 'forbidden', detail: error.message };
  if (error instanceof ConcurrencyConflictError) {
    // With If-Match the caller's precondition failed (412); without, a concurrent writer won every retry (409).
    return {
      status: hadPrecondition ? 412 : 409,
      code: 'version_conflict',
      detail: `The resource changed: your version is ${String(error.expected)}, the current one is ${error.actual}. Read it again and retry with If-Match.`,
      extensions: { expectedVersion: error.expected, actualVersion: error.actual },
    };
  }
  if (error instanceof UndecodableEventError) {
    // The read side stopped on a stored event it cannot decode: an operator's matter, not the caller's.
    return {
      status: 503,
      code: 'read_model_stopped',
      detail: `The read models stopped at log position ${error.globalPosition}: a stored ${error.type} event cannot be decoded. The operators have been told.`,
      extensions: { position: error.globalPosition, eventType: error.type },
    };
  }
  if (error instanceof StoreUnavailableError) {
    return { ...STORE_FAILURES[error.kind], retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof AppendOutcomeUnknownError) {
    // Recorded once or not at all. A retry decided afresh could record the change twice; the same
    // key replays the first outcome, the same precondition fails if the first attempt was recorded.
    const retrySafeWith = [
      ...(error.keyed ? ['Idempotency-Key'] : []),
      ...(hadPrecondition ? ['If-Match'] : []),
    ];
    const retrySafe = retrySafeWith.length > 0;
    return {
      status: 503,
      code: 'append_outcome_unknown',
      detail: retrySafe
        ? `The event store did not confirm whether this request was recorded; it was recorded once or not at all. Retrying it as sent (the same ${retrySafeWith.join(' and ')}) is safe.`
        : 'The event store did not confirm whether this request was recorded; it was recorded once or not at all. Read the resource before retrying: the change may already be there. Send an Idempotency-Key to make retries safe.',
      extensions: { retrySafe, retrySafeWith },
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof AppendTooLargeError) {
    // The change itself is too large for the store: a retry would be refused the same way.
    return {
      status: 413,
      code: 'append_too_large',
      detail: `The change makes events larger than the event store records in one write (${error.limitBytes} bytes). Nothing was recorded; split it into smaller changes.`,
      extensions: { limitBytes: error.limitBytes },
    };
  }
  if (error instanceof StreamIntegrityError) {
    // The stored history itself is inconsistent: serving a state folded from it would be wrong.
    return {
      status: 503,
      code: 'store_integrity',
      detail:
        'The stored history of this resource is inconsistent (an event is missing or repeated); the operators have been told.',
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof AuditLogMismatchError || error instanceof AuditTreeMismatchError) {
    // The log was changed behind the tracker's back: recording more would build on a rewritten history.
    return {
      status: 503,
      code: 'audit_log_mismatch',
      detail: `The event log does not match its Merkle tree (${error.mismatch.message}); writes are refused until an operator repairs the store. Nothing was recorded.`,
      extensions: { mismatch: error.mismatch },
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return { status: 422, code: 'idempotency_key_reused', detail: error.message };
  }
  const bodyParserError = error as { type?: string; status?: number };
  if (bodyParserError.type === 'entity.too.large') {
    return {
      status: 413,
      code: 'body_too_large',
      detail: 'The request body is larger than the server accepts',
    };
  }
  if (bodyParserError.type === 'entity.parse.failed') {
    return { status: 400, code: 'malformed_json', detail: 'The request body is not valid JSON' };
  }
  if (
    bodyParserError.type === 'encoding.unsupported' ||
    bodyParserError.type === 'charset.unsupported'
  ) {
    return { status: 415, code: 'unsupported_encoding', detail: 'Send the body as UTF-8 JSON' };
  }
  return {
    status: 500,
    code: 'internal_error',
    detail: 'An unexpected error occurred; it has been logged',
  };
}

/**
 * The domain's facts name a plan's status `status` (invalid_transition, pledging_closed), which would
 * overwrite the problem's own `status` member: such facts leave under `planStatus`.
 */
function toExtensions(facts: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { status, ...rest } = facts;
  return status === undefined ? rest : { ...rest, planStatus: status };
}

export function problemBody(problem: Problem, instance: string) {
  // The RFC 9457 members come last, so no extension can overwrite them.
  return {
    ...problem.extensions,
    type: `urn:pledge-tracker:problem:${problem.code}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    instance,
    code: problem.code,
  };
}

/**
 * Every error leaves as application/problem+json. The request's log line (one per request) tells
 * the problem's code; a 5xx also carries the error itself, stack and all (`response.err`), while a
 * 4xx is the caller's doing and carries none.
 */
export function problemMiddleware(): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const problem = toProblem(
      error,
      request.get('if-match') !== undefined || request.get('if-none-match') !== undefined,
    );
    Object.assign(response.locals, { problemCode: problem.code });
    // A store failure is logged once by the store, not for every request it fails.
    if (problem.status >= 500 && !isStoreFailure(error)) {
      response.err = error instanceof Error ? error : new Error(String(error));
    }
    if (problem.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    }
    response
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify(problemBody(problem, request.originalUrl)));
  };
}

function isStoreFailure(error: unknown): boolean {
  return (
    error instanceof StoreUnavailableError ||
    error instanceof StreamIntegrityError ||
    error instanceof AuditLogMismatchError ||
    error instanceof AuditTreeMismatchError
  );
}
