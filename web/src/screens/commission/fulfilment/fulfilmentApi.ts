/**
 * The reads behind the Commission's and the auditor's fulfilment screens, through the generated
 * client. Every read takes the global `asOf`, so the auditor's time travel applies to the view, the
 * reports, their histories and the exports alike. Types come from the routes' own answers.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { unwrap, useApiQuery, type ApiData } from '../../../api/hooks';
import { planKey } from '../../../api/plans';
import type { ApiError } from '../../../api/problems';
import { useAsOf } from '../../../asOf';
import { downloadBlob } from '../../../lib/download';

function readFulfilment(planId: string, asOf: string | undefined) {
  return api.GET('/api/v1/plans/{planId}/fulfilment', {
    params: { path: { planId }, query: { asOf } },
  });
}

function readReports(planId: string, asOf: string | undefined) {
  return api.GET('/api/v1/plans/{planId}/implementation', {
    params: { path: { planId }, query: { asOf } },
  });
}

function readReport(planId: string, memberState: string, month: string, asOf: string | undefined) {
  return api.GET('/api/v1/plans/{planId}/implementation/{memberState}/{month}', {
    params: { path: { planId, memberState, month }, query: { asOf } },
  });
}

/** One page of a report's versions, oldest first; `after` is the last version already read. */
export function fetchReportHistoryPage(
  planId: string,
  memberState: string,
  month: string,
  asOf: string | undefined,
  after: number | undefined,
) {
  return unwrap(
    api.GET('/api/v1/plans/{planId}/implementation/{memberState}/{month}/history', {
      params: {
        path: { planId, memberState, month },
        query: {
          ...(asOf !== undefined && { asOf }),
          ...(after !== undefined && { after: String(after) }),
        },
      },
    }),
  );
}

export type Fulfilment = ApiData<typeof readFulfilment>;
export type MemberStateFulfilment = Fulfilment['memberStates'][number];
export type Progress = Fulfilment['notRegionBound'];
export type PacedProgress = Fulfilment['total'];
export type RegionFulfilment = Fulfilment['regions'][number];
export type FulfilmentCheck = Fulfilment['checks'][number];
export type AmifEarnedRow = Fulfilment['amif']['byMemberStateAndYear'][number];
export type PaceMonth = Fulfilment['byMonth'][number];
export type ProcedureCounts = Fulfilment['procedure'];
export type ReportList = ApiData<typeof readReports>;
export type ReportView = ApiData<typeof readReport>;
export type ReportHistoryPage = Awaited<ReturnType<typeof fetchReportHistoryPage>>;
export type ReportHistoryEntry = ReportHistoryPage['versions'][number];
export type AdmissionLine = ReportView['admissions'][number];

/* Under `['plan', planId]`: a write about the plan refetches everything read about it. */
const fulfilmentKey = (planId: string) => [...planKey(planId), 'fulfilment'] as const;
const reportsKey = (planId: string) => [...planKey(planId), 'implementation'] as const;

export function useFulfilment(planId: string) {
  return useApiQuery(fulfilmentKey(planId), (asOf) => readFulfilment(planId, asOf));
}

export function useReports(planId: string) {
  return useApiQuery(reportsKey(planId), (asOf) => readReports(planId, asOf));
}

export function useReport(planId: string, memberState: string, month: string) {
  return useApiQuery([...reportsKey(planId), memberState, month], (asOf) =>
    readReport(planId, memberState, month, asOf),
  );
}

/** Every version of one report, a page at a time, as of the global `asOf`. */
export function useReportHistory(planId: string, memberState: string, month: string) {
  const { asOf } = useAsOf();
  return useInfiniteQuery<
    ReportHistoryPage,
    ApiError,
    { pages: ReportHistoryPage[] },
    readonly unknown[],
    number | undefined
  >({
    queryKey: [...reportsKey(planId), memberState, month, 'history', { asOf: asOf ?? null }],
    queryFn: ({ pageParam }) => fetchReportHistoryPage(planId, memberState, month, asOf, pageParam),
    initialPageParam: undefined,
    getNextPageParam: (page) => page.nextAfterVersion ?? undefined,
  });
}

export type ExportFormat = 'csv' | 'json';
export type FrameworkTable = 'admissions' | 'procedure';

export type ExportRequest =
  | { readonly kind: 'amif-annual'; readonly year: number; readonly format: ExportFormat }
  | {
      readonly kind: 'framework-report';
      readonly table: FrameworkTable;
      readonly format: ExportFormat;
    };

/** The name the server gives the file (`Content-Disposition`), else one of our own. */
export function attachmentFileName(header: string | null, fallback: string): string {
  if (header === null) return fallback;
  const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header)?.[1];
  if (encoded !== undefined) {
    try {
      return decodeURIComponent(encoded.trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header)?.[1]?.trim();
  return plain !== undefined && plain !== '' ? plain : fallback;
}

/** What the file is called when the server names none. */
export function exportFileName(planId: string, request: ExportRequest): string {
  const name =
    request.kind === 'amif-annual'
      ? `amif-annual-${planId}-${request.year}`
      : `framework-report-${planId}${request.format === 'csv' ? `-${request.table}` : ''}`;
  return `${name}.${request.format}`;
}

function requestExport(planId: string, request: ExportRequest, asOf: string | undefined) {
  // The session cookie and X-Requested-With go with every call of the client; the body is a file.
  const accept = { Accept: request.format === 'csv' ? 'text/csv' : 'application/json' };
  if (request.kind === 'amif-annual') {
    return api.GET('/api/v1/plans/{planId}/exports/amif-annual', {
      params: {
        path: { planId },
        query: { year: String(request.year), format: request.format, asOf },
      },
      headers: accept,
      parseAs: 'blob',
    });
  }
  return api.GET('/api/v1/plans/{planId}/exports/framework-report', {
    params: {
      path: { planId },
      query: { format: request.format, table: request.table, asOf },
    },
    headers: accept,
    parseAs: 'blob',
  });
}

/**
 * Asks the API for an export, as of `asOf`, and hands the browser the file it answers. A refusal
 * is thrown as an `ApiError` with the server's problem.
 */
export async function downloadExport(
  planId: string,
  request: ExportRequest,
  asOf: string | undefined,
): Promise<string> {
  const call = requestExport(planId, request, asOf);
  const blob: Blob = await unwrap(call);
  const { response } = await call;
  const fileName = attachmentFileName(
    response.headers.get('Content-Disposition'),
    exportFileName(planId, request),
  );
  downloadBlob(fileName, blob);
  return fileName;
}
