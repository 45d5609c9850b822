import type { Schema } from './client';

/** An RFC 9457 problem as the server sends it. */
export type Problem = Schema<'Problem'>;
export type ProblemEntry = NonNullable<Problem['errors']>[number];

/** Messages by the `path` they name (`lines.0.persons`); entries without a path sit under `''`. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

/** The key for messages about the request as a whole rather than one field. */
export const FORM_LEVEL = '';

/** A refused or failed API call, thrown by the hooks so react-query sees an error. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problemSummary(problem));
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.status === 'number' && typeof candidate.title === 'string';
}

/**
 * The problem behind a failed response: the body when it is one, else a problem made from the
 * status alone (a proxy's HTML error page, a dropped connection).
 */
export function toProblem(
  body: unknown,
  response: Pick<Response, 'status' | 'statusText' | 'url'> | undefined,
): Problem {
  if (isProblem(body)) {
    return {
      ...body,
      detail: typeof body.detail === 'string' ? body.detail : body.title,
      code: typeof body.code === 'string' ? body.code : 'unknown',
    };
  }
  const status = response?.status ?? 0;
  const title =
    status === 0
      ? 'The tracker could not be reached'
      : `The tracker answered ${status} ${response?.statusText ?? ''}`.trim();
  return {
    type: 'about:blank',
    title,
    status: status === 0 ? 503 : status,
    detail: status === 0 ? 'Check the network connection and try again.' : title,
    instance: response?.url ?? '',
    code: status === 0 ? 'network_error' : 'unexpected_response',
  };
}

/** Every message of a problem, grouped by the field its `path` names, all at once. */
export function fieldErrors(problem: Problem | undefined | null): FieldErrors {
  const byPath: Record<string, string[]> = {};
  for (const entry of problem?.errors ?? []) {
    const path = typeof entry.path === 'string' ? entry.path : FORM_LEVEL;
    (byPath[path] ??= []).push(entry.message);
  }
  return byPath;
}

/** One sentence for the top of a form or an alert. */
export function problemSummary(problem: Problem): string {
  const count = problem.errors?.length ?? 0;
  const detail = problem.detail && problem.detail !== problem.title ? ` ${problem.detail}` : '';
  const base = `${problem.title}.${detail}`.replace(/\.\./g, '.');
  if (count <= 1) return base;
  return `${base} ${count} problems need attention.`;
}

/** The element id of the input for a request path: `lines.0.persons` → `field-lines-0-persons`. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** The element id of the message under that input, for `aria-describedby`. */
export function fieldErrorId(path: string): string {
  return `${fieldId(path)}-error`;
}

/**
 * The attributes an input needs to be found by the summary's link and to read out its message:
 * `<input {...fieldProps('lines.0.persons', errors)} />`.
 */
export function fieldProps(
  path: string,
  errors: FieldErrors,
): { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string } {
  const hasError = (errors[path]?.length ?? 0) > 0;
  return {
    id: fieldId(path),
    ...(hasError && { 'aria-invalid': true, 'aria-describedby': fieldErrorId(path) }),
  };
}
