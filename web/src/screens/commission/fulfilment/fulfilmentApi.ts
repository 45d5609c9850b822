/**
 * The reads behind the Commission's and the auditor's fulfilment screens. The view, the reports and
 * their histories are the shared implementation reads (`api/implementation`), under the keys a
 * ministry's write invalidates; the exports are the Commission's own. Every read takes the global
 * `asOf`, so the auditor's time travel applies to them all.
 */
import { api } from '../../../api/client';
import type { Fulfilment } from '../../../api/implementation';
import { unwrap } from '../../../api/hooks';
import { downloadBlob } from '../../../lib/download';

export type {
  AdmissionLine,
  Fulfilment,
  FulfilmentCheck,
  ParticipantFulfilment as MemberStateFulfilment,
  ProcedureCounts,
  Report as ReportView,
  ReportHistoryEntry,
  ReportHistoryPage,
  ReportList,
} from '../../../api/implementation';

export type Progress = Fulfilment['notRegionBound'];
export type PacedProgress = Fulfilment['total'];
export type RegionFulfilment = Fulfilment['regions'][number];
export type AmifEarnedRow = Fulfilment['amif']['byMemberStateAndYear'][number];
export type PaceMonth = Fulfilment['byMonth'][number];

export type ExportFormat = 'csv' | 'json';
export type FrameworkTable =
  'admissions' | 'procedure' | 'associated_admissions' | 'associated_procedure';

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
