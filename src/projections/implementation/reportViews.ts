/** Monthly implementation reports as the reporting participant, the Commission and auditors see them. */
import { isAssociatedState } from '../../domain/reference';
import {
  countByAdmissionType,
  totalPersons,
  type AdmissionTypeCounts,
} from '../../domain/shared/pledgeLine';
import type {
  AdmissionLine,
  ProcedureCounts,
} from '../../domain/implementation/implementationReport';
import { inScope, type ReadScope } from '../readScope';
import type { PlanReadModelState, ReportRecord } from '../planReadModel/model';

export interface ReportView {
  readonly planId: string;
  readonly memberState: string;
  /** `member_state`, or `associated_state` (Art. 12: reported in their own section). */
  readonly participantKind: 'member_state' | 'associated_state';
  readonly month: string;
  readonly version: number;
  readonly admissions: readonly AdmissionLine[];
  /** Persons admitted in the month: the sum of the lines. */
  readonly admitted: number;
  readonly byAdmissionType: AdmissionTypeCounts;
  readonly vulnerablePersons: number;
  readonly familyMembers: number;
  /** `{}` when the report gave no procedure counts. */
  readonly procedure: ProcedureCounts;
  /** The latest version was recorded by the Commission on the participant's behalf. */
  readonly onBehalf: boolean;
  readonly lastReason?: string;
  readonly submittedAt: string;
  readonly updatedAt: string;
}

export function toReportView(report: ReportRecord): ReportView {
  let vulnerablePersons = 0;
  let familyMembers = 0;
  for (const line of report.admissions) {
    vulnerablePersons += line.vulnerablePersons ?? 0;
    familyMembers += line.familyMembers ?? 0;
  }
  return {
    planId: report.planId,
    memberState: report.memberState,
    participantKind: isAssociatedState(report.memberState) ? 'associated_state' : 'member_state',
    month: report.month,
    version: report.version,
    admissions: report.admissions,
    admitted: totalPersons(report.admissions),
    byAdmissionType: countByAdmissionType(report.admissions),
    vulnerablePersons,
    familyMembers,
    procedure: report.procedure ?? {},
    onBehalf: report.onBehalf,
    ...(report.lastReason === undefined ? {} : { lastReason: report.lastReason }),
    submittedAt: report.submittedAt,
    updatedAt: report.updatedAt,
  };
}

/** Undefined when there is no such plan or report. */
export function getReport(
  state: PlanReadModelState,
  planId: string,
  memberState: string,
  month: string,
): ReportView | undefined {
  const report = state.plans.get(planId)?.reports.get(memberState)?.get(month);
  return report === undefined ? undefined : toReportView(report);
}

export interface ReportList {
  /** Member States' reports, by Member State then month. */
  readonly reports: ReportView[];
  /** Associated states' reports, in their own section. */
  readonly associatedStates: ReportView[];
}

/** Every report of a plan the scope may see, optionally one participant's or one month's. Undefined: no such plan. */
export function listReports(
  state: PlanReadModelState,
  planId: string,
  scope: ReadScope,
  filter: { readonly memberState?: string; readonly month?: string } = {},
): ReportList | undefined {
  const entry = state.plans.get(planId);
  if (entry?.plan === undefined) return undefined;
  const views: ReportView[] = [];
  const participants = [...entry.reports.keys()].sort();
  for (const memberState of participants) {
    if (!inScope(scope, memberState)) continue;
    if (filter.memberState !== undefined && filter.memberState !== memberState) continue;
    const byMonth = entry.reports.get(memberState);
    if (byMonth === undefined) continue;
    for (const month of [...byMonth.keys()].sort()) {
      if (filter.month !== undefined && filter.month !== month) continue;
      const report = byMonth.get(month);
      if (report !== undefined) views.push(toReportView(report));
    }
  }
  return {
    reports: views.filter((view) => view.participantKind === 'member_state'),
    associatedStates: views.filter((view) => view.participantKind === 'associated_state'),
  };
}
