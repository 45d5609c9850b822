/**
 * The implementation reads and writes every role's screens share (Art. 9; AMIF Art. 19): monthly
 * reports, their history, and the fulfilment view. Every key starts with
 * `['implementation', planId]`, so one invalidation after a write refreshes every view of the plan's
 * implementation. Types come from the generated schema.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useAsOf } from '../asOf/AsOfProvider';
import { api, type Schema } from './client';
import type { paths } from './generated/schema';
import { apiQuery, unwrap } from './hooks';
import { ApiError, toProblem } from './problems';

const REPORT = '/api/v1/plans/{planId}/implementation/{memberState}/{month}';
const REPORT_HISTORY = '/api/v1/plans/{planId}/implementation/{memberState}/{month}/history';
const REPORTS = '/api/v1/plans/{planId}/implementation';
const FULFILMENT = '/api/v1/plans/{planId}/fulfilment';

/** A month's report as lists and screens show it; `Report` adds the log position of the read. */
export type ReportView = Schema<'ReportView'>;
export type Report = Schema<'Report'>;
export type ReportWrite = Schema<'ReportWrite'>;
export type ReportBody = NonNullable<
  paths[typeof REPORT]['put']['requestBody']
>['content']['application/json'];
export type AdmissionLine = Schema<'AdmissionLine'>;
export type ProcedureCounts = Schema<'ProcedureCounts'>;
export type ReportHistoryPage = Schema<'ReportHistory'>;
export type ReportHistoryEntry = Schema<'ReportHistoryEntry'>;
export type ReportDiff = Schema<'ReportDiff'>;
export type ReportList = Schema<'ReportList'>;
export type Fulfilment = Schema<'Fulfilment'>;
/** A Member State's (or an associated state's) row of the fulfilment view. */
export type ParticipantFulfilment = Schema<'MemberStateFulfilment'>;
export type FulfilmentCheck = Schema<'FulfilmentCheck'>;

/** Every implementation read of a plan: invalidate this after a write. */
export const implementationKey = (planId: string) => ['implementation', planId] as const;
export const reportListKey = (planId: string, memberState: string | undefined) =>
  [...implementationKey(planId), 'reports', memberState ?? 'all'] as const;
export const reportKey = (planId: string, memberState: string, month: string) =>
  [...implementationKey(planId), 'report', memberState, month] as const;
export const reportHistoryKey = (planId: string, memberState: string, month: string) =>
  [...implementationKey(planId), 'history', memberState, month] as const;
export const fulfilmentKey = (planId: string) =>
  [...implementationKey(planId), 'fulfilment'] as const;

const minPositionHeader = (minPosition: number | undefined) =>
  minPosition === undefined ? {} : { 'X-Min-Position': String(minPosition) };

/** The plan's fulfilment view as of `asOf` (404 `view_not_available` before adoption). */
export const fulfilmentQuery = (planId: string, asOf: string | undefined, minPosition?: number) =>
  apiQuery(
    fulfilmentKey(planId),
    (asOf) =>
      api.GET(FULFILMENT, {
        params: {
          path: { planId },
          query: asOf === undefined ? {} : { asOf },
          header: minPositionHeader(minPosition),
        },
      }),
    asOf,
  );

/** The plan's fulfilment view as of the global `asOf`. */
export function useFulfilment(planId: string, minPosition?: number) {
  const { asOf } = useAsOf();
  return useQuery(fulfilmentQuery(planId, asOf, minPosition));
}

/** The reports of a plan the caller may see, one participant's when `memberState` is given. */
export const reportListQuery = (
  planId: string,
  memberState: string | undefined,
  asOf: string | undefined,
  minPosition?: number,
) =>
  apiQuery(
    reportListKey(planId, memberState),
    (asOf) =>
      api.GET(REPORTS, {
        params: {
          path: { planId },
          query: {
            ...(memberState !== undefined && { memberState }),
            ...(asOf !== undefined && { asOf }),
          },
          header: minPositionHeader(minPosition),
        },
      }),
    asOf,
  );

export function useReportList(planId: string, memberState?: string, minPosition?: number) {
  const { asOf } = useAsOf();
  return useQuery(reportListQuery(planId, memberState, asOf, minPosition));
}

async function settle<Result>(call: Promise<Result>): Promise<Result> {
  try {
    return await call;
  } catch {
    throw new ApiError(toProblem(undefined, undefined));
  }
}

/**
 * One participant's report for a month as of `asOf` (now when undefined), or null when the month
 * has none (yet). `minPosition` reads at least that log position: a write just made is seen.
 */
export async function fetchReport(
  planId: string,
  memberState: string,
  month: string,
  asOf: string | undefined,
  minPosition?: number,
): Promise<Report | null> {
  const result = await settle(
    api.GET(REPORT, {
      params: {
        path: { planId, memberState, month },
        query: asOf === undefined ? {} : { asOf },
        header: minPositionHeader(minPosition),
      },
    }),
  );
  if (!result.response.ok) {
    const problem = toProblem(result.error, result.response);
    if (problem.status === 404 && problem.code === 'report_not_found') return null;
    throw new ApiError(problem);
  }
  return result.data as Report;
}

/** One page of a report's versions, oldest first, after version `after`. */
export function fetchReportHistoryPage(
  planId: string,
  memberState: string,
  month: string,
  asOf: string | undefined,
  after: number | undefined,
  limit?: number,
): Promise<ReportHistoryPage> {
  return unwrap(
    api.GET(REPORT_HISTORY, {
      params: {
        path: { planId, memberState, month },
        query: {
          ...(asOf !== undefined && { asOf }),
          ...(after !== undefined && { after: String(after) }),
          ...(limit !== undefined && { limit: String(limit) }),
        },
      },
    }),
  );
}

/**
 * One participant's report for a month as of the global `asOf`; null when the month has none.
 * `minPosition`, asked at each read, makes the read wait for the log position of a write just made.
 */
export function useReport(
  planId: string,
  memberState: string,
  month: string,
  options: { readonly minPosition?: () => number | undefined; readonly enabled?: boolean } = {},
) {
  const { asOf } = useAsOf();
  return useQuery<Report | null, ApiError>({
    queryKey: [...reportKey(planId, memberState, month), { asOf: asOf ?? null }],
    queryFn: () => fetchReport(planId, memberState, month, asOf, options.minPosition?.()),
    ...(options.enabled !== undefined && { enabled: options.enabled }),
  });
}

/** Every version of one report, a page at a time, oldest first, as of the global `asOf`. */
export function useReportHistory(planId: string, memberState: string, month: string) {
  const { asOf } = useAsOf();
  return useInfiniteQuery<
    ReportHistoryPage,
    ApiError,
    { pages: ReportHistoryPage[] },
    readonly unknown[],
    number | undefined
  >({
    queryKey: [...reportHistoryKey(planId, memberState, month), { asOf: asOf ?? null }],
    queryFn: ({ pageParam }) => fetchReportHistoryPage(planId, memberState, month, asOf, pageParam),
    initialPageParam: undefined,
    getNextPageParam: (page) => page.nextAfterVersion ?? undefined,
  });
}

/** What a report write recorded: the server's answer and where in the log. */
export interface ReportOutcome {
  readonly write: ReportWrite;
  readonly logPosition: number | undefined;
}

export interface ReportTarget {
  readonly planId: string;
  readonly memberState: string;
  readonly month: string;
}

/**
 * Submits the month's first report (`If-None-Match: *`: refused with 412 when one exists), or
 * corrects the version the edit started from (`If-Match`, with the reason the history keeps:
 * refused with 412 when the report moved on meanwhile).
 */
export async function putReport(
  target: ReportTarget &
    (
      | { readonly body: Omit<ReportBody, 'reason'>; readonly version?: undefined }
      | { readonly body: ReportBody & { readonly reason: string }; readonly version: number }
    ),
): Promise<ReportOutcome> {
  const { planId, memberState, month } = target;
  const result = await settle(
    api.PUT(REPORT, {
      params: {
        path: { planId, memberState, month },
        header:
          target.version === undefined
            ? { 'If-None-Match': '*' }
            : { 'If-Match': `"${target.version}"` },
      },
      body: target.body,
    }),
  );
  if (!result.response.ok || result.data === undefined) {
    throw new ApiError(toProblem(result.error, result.response));
  }
  const header = result.response.headers.get('X-Log-Position');
  const logPosition = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
  return { write: result.data, logPosition };
}

/** The refusals that mean "someone else recorded this month since you loaded it". */
export function isReportConflict(error: ApiError): boolean {
  return (
    error.status === 412 &&
    (error.code === 'version_conflict' || error.code === 'report_already_submitted')
  );
}
