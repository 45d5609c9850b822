/**
 * The shapes of the implementation read side: what `GET /plans/{planId}/fulfilment` answers, and
 * the two exports. Figures are persons; `percent` is admitted / adopted x 100 rounded to 2
 * decimals, null when nothing was adopted.
 */
import type { AdmissionType, AdmissionTypeCounts } from '../../domain/shared/pledgeLine';
import type {
  ProcedureCounts,
  ProcedureField,
} from '../../domain/implementation/implementationReport';
import type { CheckStatus } from '../planReadModel/compliance';
import type { ReadScope } from '../readScope';

/** Adopted (as amended) against admitted so far. */
export interface Progress {
  readonly adopted: number;
  readonly admitted: number;
  readonly percent: number | null;
  /** adopted - admitted, never below 0. */
  readonly remaining: number;
}

/** Progress with the pace expected from the time elapsed in the period. */
export interface PacedProgress extends Progress {
  /** round(adopted x elapsed fraction of the period). */
  readonly expectedByNow: number;
  /** round(admitted / elapsed fraction): where the current pace ends; null before the period. */
  readonly projectedAtEnd: number | null;
}

export type ProgressByAdmissionType = Readonly<Record<AdmissionType, Progress>>;

export interface MemberStateFulfilment extends PacedProgress {
  readonly memberState: string;
  readonly byAdmissionType: ProgressByAdmissionType;
  /** Of the admitted, how many belong to the Art. 19(3) groups, and how many are their family members (Art. 19(5)). */
  readonly vulnerablePersons: number;
  readonly familyMembers: number;
  /** Months (YYYY-MM) with a report. */
  readonly monthsReported: readonly string[];
  /** Months of the period that have ended by the reference instant and have no report. */
  readonly monthsMissing: readonly string[];
  readonly lastReportedMonth: string | null;
  /** Procedure counts: flows summed over the months, stocks (openBeyond*) from the latest month reporting them. */
  readonly procedure: ProcedureCounts;
  /** AMIF lump sums earned by the admissions reported (Member States only; 0 for associated states). */
  readonly amifEarnedEur: number;
}

export interface HostCountryFulfilment extends Progress {
  readonly country: string;
  readonly name: string;
}

/** A line naming several countries or a plan region: never split between countries. */
export interface HostGroupFulfilment extends Progress {
  /** `EG+KE` or `region:<id>`, as `hostKey`. */
  readonly group: string;
  readonly kind: 'countries' | 'plan_region';
  readonly planRegion?: string;
  readonly name: string;
  readonly countries: readonly string[];
}

export interface RegionFulfilment extends Progress {
  /** A UNHCR bureau id, `across_several_bureaux` or `unknown`, as in the totals view. */
  readonly region: string;
  readonly countries: readonly HostCountryFulfilment[];
  readonly groups: readonly HostGroupFulfilment[];
}

export interface AmifEarnedRow {
  readonly memberState: string;
  readonly year: number;
  /** Persons admitted through resettlement (emergency admissions on a resettlement basis included). */
  readonly resettled: number;
  /** Persons admitted on humanitarian grounds (emergency admissions on that basis included). */
  readonly humanitarian: number;
  /** Of `humanitarian`, those paid at the Art. 19(3) rate: in the groups or their family members (capped at the line's persons). */
  readonly humanitarianAtGroupRate: number;
  readonly eur: number;
}

export interface AmifEarned {
  /** Exact: computed from reported admissions, payable once per person (AMIF Art. 19(7)). */
  readonly forecast: false;
  readonly rates: {
    readonly resettlementEur: number;
    readonly humanitarianAdmissionEur: number;
    readonly humanitarianAdmissionArticle19GroupsEur: number;
  };
  readonly totalEur: number;
  /** Sorted by Member State, then year. */
  readonly byMemberStateAndYear: readonly AmifEarnedRow[];
}

export type FulfilmentCheckId =
  | 'admissions_above_contribution'
  | 'behind_pace'
  | 'months_without_report'
  | 'procedure_deadlines'
  | 'admissions_outside_plan_regions'
  | 'totals_reconcile';

export interface FulfilmentCheck {
  readonly id: FulfilmentCheckId;
  readonly status: CheckStatus;
  readonly message: string;
  /** The figures behind the check: rows naming Member States, months, counts. */
  readonly rows: readonly Readonly<
    Record<string, string | number | boolean | null | readonly string[]>
  >[];
}

export interface Fulfilment {
  readonly planId: string;
  readonly scope: ReadScope;
  /** The instant pace and missing months are measured at (the asOf instant, or now). */
  readonly referenceInstant: string;
  readonly period: {
    readonly start: string;
    readonly end: string;
    readonly months: number;
    /** Whole months of the period ended by the reference instant. */
    readonly monthsEnded: number;
    /** 0..1, by time: the share of the period elapsed at the reference instant. */
    readonly elapsedFraction: number;
  };
  readonly total: PacedProgress;
  readonly byAdmissionType: ProgressByAdmissionType;
  /** Sorted by Member State: every Member State with a contribution or a report. */
  readonly memberStates: readonly MemberStateFulfilment[];
  /** UNHCR bureaux by admitted then id, with host countries and groups; emergency admissions without a host under `notRegionBound`. */
  readonly regions: readonly RegionFulfilment[];
  readonly notRegionBound: Progress;
  /** Admitted per calendar year of the period. */
  readonly byYear: readonly { readonly year: number; readonly admitted: number }[];
  /** Admitted per month of the period, plan-wide, with the cumulative total: the pace line. */
  readonly byMonth: readonly {
    readonly month: string;
    readonly admitted: number;
    readonly cumulative: number;
    readonly expectedCumulative: number;
  }[];
  readonly vulnerablePersons: number;
  readonly familyMembers: number;
  readonly procedure: ProcedureCounts;
  readonly amif: AmifEarned;
  readonly checks: readonly FulfilmentCheck[];
  /** Associated states (Art. 12): their own section, in no figure above. */
  readonly associatedStates: {
    readonly total: Progress;
    readonly byParticipant: readonly MemberStateFulfilment[];
    readonly note: string;
  };
}

/** One row of the AMIF annual performance figures: one Member State, one year. */
export interface AmifAnnualRow {
  readonly memberState: string;
  readonly year: number;
  readonly resettled: number;
  readonly humanitarian: number;
  readonly humanitarianAtGroupRate: number;
  readonly vulnerablePersons: number;
  readonly familyMembers: number;
  readonly female: number;
  readonly male: number;
  readonly nonBinary: number;
  /** Persons on lines reported without a breakdown by sex. */
  readonly sexNotReported: number;
  readonly under18: number;
  readonly from18To60: number;
  readonly over60: number;
  readonly ageNotReported: number;
  readonly lumpSumEur: number;
  /** Months of the year with a report (0: a contribution and nothing reported yet). */
  readonly monthsReported: number;
}

export interface AmifAnnualExport {
  readonly planId: string;
  readonly year: number;
  /** The AMIF annual performance report is due by 15 February of the following year (AMIF Art. 35(2)(g)). */
  readonly dueBy: string;
  readonly rows: readonly AmifAnnualRow[];
}

/** One row of admissions for the Commission's report on the Framework (Art. 15). */
export interface FrameworkAdmissionRow {
  readonly memberState: string;
  readonly year: number;
  readonly admissionType: AdmissionType;
  /** Set for emergency admission. */
  readonly emergencyBasis: string | null;
  /** `hostKey`: `TR`, `EG+KE`, `region:<id>` or `-`. */
  readonly host: string;
  readonly unhcrRegion: string;
  readonly persons: number;
  readonly vulnerablePersons: number;
  readonly familyMembers: number;
}

/** Flows summed over the year, open cases as at the latest month reporting them; 0 where never reported. */
export interface FrameworkProcedureRow extends Readonly<Record<ProcedureField, number>> {
  readonly memberState: string;
  readonly year: number;
  /** Months of the year whose report gave procedure counts (a year with none has no row). */
  readonly monthsReported: number;
}

/** Admissions and procedure counts of one group of participants. */
export interface FrameworkTables {
  readonly admissions: readonly FrameworkAdmissionRow[];
  readonly procedure: readonly FrameworkProcedureRow[];
}

/** The Member States' tables, and the associated states' (Art. 12) apart. */
export interface FrameworkReportExport extends FrameworkTables {
  readonly planId: string;
  /** The Commission's report on the Framework is due 12 June 2028 (Art. 15). */
  readonly dueBy: string;
  readonly associatedStates: FrameworkTables;
}

export type { AdmissionTypeCounts };
