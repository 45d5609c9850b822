/** The exports built from the reports: AMIF annual performance figures, the Art. 15 dataset. */
import type { PlanReadModelState } from '../planReadModel/model';
import type { ReadScope } from '../readScope';
import type { AmifAnnualExport, FrameworkReportExport } from './fulfilmentTypes';

/** Undefined: no such plan; `'not_adopted'`: nothing to report yet. */
export function getAmifAnnualExport(
  state: PlanReadModelState,
  planId: string,
  year: number,
  scope: ReadScope,
): AmifAnnualExport | 'not_adopted' | undefined {
  void [state, planId, year, scope];
  throw new Error('getAmifAnnualExport: being written');
}

export function getFrameworkReportExport(
  state: PlanReadModelState,
  planId: string,
  scope: ReadScope,
): FrameworkReportExport | 'not_adopted' | undefined {
  void [state, planId, scope];
  throw new Error('getFrameworkReportExport: being written');
}

/** CSV (RFC 4180, CRLF, header row) of the AMIF annual rows. */
export function amifAnnualCsv(exported: AmifAnnualExport): string {
  void exported;
  throw new Error('amifAnnualCsv: being written');
}

/** CSV of the Art. 15 dataset: `table` picks the admissions or the procedure rows. */
export function frameworkReportCsv(
  exported: FrameworkReportExport,
  table: 'admissions' | 'procedure',
): string {
  void [exported, table];
  throw new Error('frameworkReportCsv: being written');
}
