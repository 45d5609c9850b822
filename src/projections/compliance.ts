/**
 * Consistency of a view of the plan with the plan's own parameters and the Framework's rules.
 * Participation is voluntary (Art. 1(3)-(4)): a check reports a gap, never a legal breach.
 */
import { findHostCountry, lumpSumForLine } from '../domain/reference';
import {
  totalPersons,
  type AdmissionType,
  type Contribution,
  type PledgeLine,
} from '../domain/shared/pledgeLine';
import {
  contributionsForView,
  currentLines,
  findPlan,
  isPendingAmendment,
  type ContributionView,
  type PlanReadModelState,
  type PlanRecord,
  type PledgeRecord,
} from './planReadModel';
import { computeTotals, UNKNOWN_REGION, type RegionBucket, type TotalsFigures } from './totals';
import { sumValues, totalsByMemberState } from './contributionFigures';

/** Art. 8(3)(a) asks for "not less than approximately 60 %": a share this close below the floor warns rather than fails. */
export const APPROXIMATELY_BAND_PERCENTAGE_POINTS = 5;

export type CheckStatus = 'pass' | 'warn' | 'fail';

interface CheckBase {
  readonly status: CheckStatus;
  readonly message: string;
}

export interface ResettlementShareCheck extends CheckBase {
  readonly id: 'resettlement_share';
  readonly resettlement: number;
  readonly total: number;
  readonly sharePercent: number | null;
  readonly floorPercent: number;
  readonly bandPercentagePoints: number;
  /** Informative: emergency places whose basis is resettlement. */
  readonly emergencyOnResettlementBasis: number;
  readonly shareIncludingEmergencyOnResettlementBasisPercent: number | null;
}

export interface OutsidePriorityLine {
  readonly memberState: string;
  readonly hostCountry: string;
  readonly region: RegionBucket;
  readonly admissionType: AdmissionType;
  readonly persons: number;
}

export interface PriorityHostCountriesCheck extends CheckBase {
  readonly id: 'priority_host_countries';
  readonly priorityCountries: readonly string[];
  readonly priorityRegions: readonly string[];
  readonly outsidePersons: number;
  readonly outside: OutsidePriorityLine[];
}

export interface TotalsReconcileCheck extends CheckBase {
  readonly id: 'totals_reconcile';
  readonly total: number;
  readonly linesSum: number;
  readonly byMemberStateSum: number;
  readonly byAdmissionTypeSum: number;
  readonly byRegionSum: number;
  readonly byCountrySum: number;
}

export interface PendingRevision {
  readonly memberState: string;
  readonly adopted: number;
  readonly pledged: number;
  readonly delta: number;
}

export interface PendingRevisionsCheck extends CheckBase {
  readonly id: 'pending_revisions';
  readonly pending: PendingRevision[];
}

export interface ProposalToAdoptionRow {
  readonly memberState: string;
  readonly proposed: number;
  readonly adopted: number;
  readonly delta: number;
}

export interface ProposalToAdoptionCheck extends CheckBase {
  readonly id: 'proposal_to_adoption';
  readonly proposedTotal: number | null;
  /** As the Council adopted the plan, before amendments. */
  readonly adoptedTotal: number | null;
  readonly delta: number | null;
  readonly adoptedAfterAmendmentsTotal: number | null;
  readonly byMemberState: ProposalToAdoptionRow[];
  readonly aboveProposal: string[];
}

export interface LumpSumRow {
  readonly memberState: string;
  readonly persons: number;
  readonly eur: number;
}

export interface AmifLumpSumsCheck extends CheckBase {
  readonly id: 'amif_lump_sums';
  readonly totalEur: number;
  readonly byMemberState: LumpSumRow[];
}

export type ComplianceCheck =
  | ResettlementShareCheck
  | PriorityHostCountriesCheck
  | TotalsReconcileCheck
  | PendingRevisionsCheck
  | ProposalToAdoptionCheck
  | AmifLumpSumsCheck;

export interface Compliance {
  readonly planId: string;
  readonly view: ContributionView;
  readonly total: number;
  /** Exact share rounded to 2 decimals; null when there are no places. */
  readonly resettlementSharePercent: number | null;
  readonly resettlementFloorPercent: number;
  readonly checks: ComplianceCheck[];
}

const VIEW_LABEL: Record<ContributionView, string> = {
  pledges: 'the pledges',
  proposal: 'the proposal',
  adopted: 'the adopted plan',
};

function formatCount(value: number): string {
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatSigned(value: number): string {
  return value > 0 ? `+${formatCount(value)}` : formatCount(value);
}

function roundedPercent(part: number, total: number): number | null {
  return total === 0 ? null : Math.round(((part * 100) / total) * 100) / 100;
}

function checkResettlementShare(
  plan: PlanRecord,
  view: ContributionView,
  totals: TotalsFigures,
): ResettlementShareCheck {
  const { total } = totals;
  const resettlement = totals.byAdmissionType.resettlement;
  const floor = plan.resettlementFloorPercent;
  const emergencyOnResettlementBasis = totals.emergencyByBasis.resettlement;
  const sharePercent = roundedPercent(resettlement, total);
  const figures = {
    id: 'resettlement_share' as const,
    resettlement,
    total,
    sharePercent,
    floorPercent: floor,
    bandPercentagePoints: APPROXIMATELY_BAND_PERCENTAGE_POINTS,
    emergencyOnResettlementBasis,
    shareIncludingEmergencyOnResettlementBasisPercent: roundedPercent(
      resettlement + emergencyOnResettlementBasis,
      total,
    ),
  };
  const label = VIEW_LABEL[view];
  if (total === 0) {
    return {
      ...figures,
      status: 'warn',
      message: `No places in ${label} yet: no share to report.`,
    };
  }
  const share = `Resettlement is ${sharePercent} % of the ${formatCount(total)} places in ${label}`;
  // Cross-multiplied so that a share of exactly the floor is not lost to floating point.
  if (resettlement * 100 >= floor * total) {
    return {
      ...figures,
      status: 'pass',
      message: `${share}, at or above the plan's floor of ${floor} %.`,
    };
  }
  if (resettlement * 100 >= (floor - APPROXIMATELY_BAND_PERCENTAGE_POINTS) * total) {
    return {
      ...figures,
      status: 'warn',
      message: `${share}, below the plan's floor of ${floor} % but within ${APPROXIMATELY_BAND_PERCENTAGE_POINTS} percentage points of it ("approximately").`,
    };
  }
  return {
    ...figures,
    status: 'fail',
    message: `${share}, below the plan's floor of ${floor} % by more than ${APPROXIMATELY_BAND_PERCENTAGE_POINTS} percentage points.`,
  };
}

function checkPriorityHostCountries(
  plan: PlanRecord,
  view: ContributionView,
  contributions: readonly Contribution[],
): PriorityHostCountriesCheck {
  const { priorityCountries, priorityRegions } = plan;
  const figures = {
    id: 'priority_host_countries' as const,
    priorityCountries: [...priorityCountries],
    priorityRegions: [...priorityRegions],
  };
  if (priorityCountries.length === 0 && priorityRegions.length === 0) {
    return {
      ...figures,
      outsidePersons: 0,
      outside: [],
      status: 'pass',
      message:
        'The plan names no priority countries or regions, so every host country is within them.',
    };
  }
  const countries = new Set(priorityCountries);
  const regions = new Set<string>(priorityRegions);
  const outside: OutsidePriorityLine[] = [];
  let outsidePersons = 0;
  for (const { memberState, lines } of contributions) {
    for (const line of lines) {
      // Art. 8(5): emergency admission is not tied to the plan's regions.
      if (line.admissionType === 'emergency_admission' || line.hostCountry === undefined) continue;
      if (countries.has(line.hostCountry)) continue;
      const region = findHostCountry(line.hostCountry)?.unhcrRegion ?? UNKNOWN_REGION;
      if (regions.has(region)) continue;
      outside.push({
        memberState,
        hostCountry: line.hostCountry,
        region,
        admissionType: line.admissionType,
        persons: line.persons,
      });
      outsidePersons += line.persons;
    }
  }
  if (outside.length === 0) {
    return {
      ...figures,
      outsidePersons,
      outside,
      status: 'pass',
      message: `Every resettlement and humanitarian admission place in ${VIEW_LABEL[view]} comes from the plan's priority countries or regions.`,
    };
  }
  return {
    ...figures,
    outsidePersons,
    outside,
    status: view === 'adopted' ? 'fail' : 'warn',
    message: `${formatCount(outsidePersons)} places in ${VIEW_LABEL[view]} (${outside.length} lines) come from host countries outside the plan's priorities.`,
  };
}

function checkTotalsReconcile(
  contributions: readonly Contribution[],
  totals: TotalsFigures,
): TotalsReconcileCheck {
  let linesSum = 0;
  for (const contribution of contributions) linesSum += totalPersons(contribution.lines);
  const byMemberStateSum = totals.byMemberState.reduce((sum, row) => sum + row.total, 0);
  const byAdmissionTypeSum = Object.values(totals.byAdmissionType).reduce((sum, n) => sum + n, 0);
  const byRegionSum =
    totals.regions.reduce((sum, region) => sum + region.total, 0) + totals.notRegionBound.total;
  const byCountrySum =
    totals.regions.reduce(
      (sum, region) => sum + region.countries.reduce((inner, country) => inner + country.total, 0),
      0,
    ) + totals.notRegionBound.total;
  const figures = {
    id: 'totals_reconcile' as const,
    total: totals.total,
    linesSum,
    byMemberStateSum,
    byAdmissionTypeSum,
    byRegionSum,
    byCountrySum,
  };
  const sums = [linesSum, byMemberStateSum, byAdmissionTypeSum, byRegionSum, byCountrySum];
  if (sums.every((sum) => sum === totals.total)) {
    return {
      ...figures,
      status: 'pass',
      message: `The breakdowns by Member State, admission type and region all add up to ${formatCount(totals.total)}.`,
    };
  }
  return {
    ...figures,
    status: 'fail',
    message: `The breakdowns do not add up to the total of ${formatCount(totals.total)}: lines ${linesSum}, Member States ${byMemberStateSum}, admission types ${byAdmissionTypeSum}, regions ${byRegionSum}, countries ${byCountrySum}.`,
  };
}

function checkPendingRevisions(state: PlanReadModelState, plan: PlanRecord): PendingRevisionsCheck {
  const id = 'pending_revisions' as const;
  if (plan.adoption === undefined) {
    return {
      id,
      pending: [],
      status: 'pass',
      message: 'The plan is not adopted yet: pledges may still change without an amendment.',
    };
  }
  const pledges: ReadonlyMap<string, PledgeRecord> =
    state.plans.get(plan.planId)?.pledges ?? new Map<string, PledgeRecord>();
  const pending: PendingRevision[] = [];
  for (const pledge of [...pledges.values()].sort((a, b) =>
    a.memberState.localeCompare(b.memberState),
  )) {
    if (!isPendingAmendment(plan, pledge)) continue;
    const adopted = totalPersons(plan.adoptedContributions.get(pledge.memberState) ?? []);
    const pledged = totalPersons(currentLines(pledge));
    pending.push({ memberState: pledge.memberState, adopted, pledged, delta: pledged - adopted });
  }
  if (pending.length === 0) {
    return {
      id,
      pending,
      status: 'pass',
      message:
        'No Member State has changed its pledge since adoption without an amendment following.',
    };
  }
  return {
    id,
    pending,
    status: 'warn',
    message: `${pending.length} Member State(s) changed their pledge after adoption (${pending.map((row) => row.memberState).join(', ')}); only a Council amendment changes the plan.`,
  };
}

function checkProposalToAdoption(plan: PlanRecord): ProposalToAdoptionCheck {
  const id = 'proposal_to_adoption' as const;
  if (plan.adoption === undefined) {
    return {
      id,
      proposedTotal: null,
      adoptedTotal: null,
      delta: null,
      adoptedAfterAmendmentsTotal: null,
      byMemberState: [],
      aboveProposal: [],
      status: 'pass',
      message: 'The plan is not adopted yet: nothing to compare with the proposal.',
    };
  }
  const proposed = totalsByMemberState(plan.proposal?.contributions ?? []);
  const adopted = totalsByMemberState(plan.adoption.contributions);
  const memberStates = [...new Set([...proposed.keys(), ...adopted.keys()])].sort();
  const byMemberState = memberStates.map((memberState) => {
    const proposedPersons = proposed.get(memberState) ?? 0;
    const adoptedPersons = adopted.get(memberState) ?? 0;
    return {
      memberState,
      proposed: proposedPersons,
      adopted: adoptedPersons,
      delta: adoptedPersons - proposedPersons,
    };
  });
  const proposedTotal = sumValues(proposed);
  const adoptedTotal = sumValues(adopted);
  let adoptedAfterAmendmentsTotal = 0;
  for (const lines of plan.adoptedContributions.values()) {
    adoptedAfterAmendmentsTotal += totalPersons(lines);
  }
  const aboveProposal = byMemberState.filter((row) => row.delta > 0).map((row) => row.memberState);
  const figures = {
    id,
    proposedTotal,
    adoptedTotal,
    delta: adoptedTotal - proposedTotal,
    adoptedAfterAmendmentsTotal,
    byMemberState,
    aboveProposal,
  };
  const summary = `From proposal to adoption: ${formatCount(proposedTotal)} → ${formatCount(adoptedTotal)} places (${formatSigned(adoptedTotal - proposedTotal)})`;
  if (aboveProposal.length > 0) {
    return {
      ...figures,
      status: 'warn',
      message: `${summary}; the adopted contribution of ${aboveProposal.join(', ')} exceeds what was proposed from its voluntary indication.`,
    };
  }
  return {
    ...figures,
    status: 'pass',
    message: `${summary}; no Member State's adopted contribution exceeds what was proposed.`,
  };
}

function lumpSum(lines: readonly PledgeLine[]): number {
  let eur = 0;
  for (const line of lines) eur += lumpSumForLine(line);
  return eur;
}

function checkAmifLumpSums(
  view: ContributionView,
  contributions: readonly Contribution[],
): AmifLumpSumsCheck {
  const rows = new Map<string, { persons: number; eur: number }>();
  for (const { memberState, lines } of contributions) {
    const row = rows.get(memberState) ?? { persons: 0, eur: 0 };
    row.persons += totalPersons(lines);
    row.eur += lumpSum(lines);
    rows.set(memberState, row);
  }
  const byMemberState = [...rows]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([memberState, row]) => ({ memberState, ...row }));
  const totalEur = byMemberState.reduce((sum, row) => sum + row.eur, 0);
  return {
    id: 'amif_lump_sums',
    totalEur,
    byMemberState,
    status: 'pass',
    message: `AMIF lump sums for ${VIEW_LABEL[view]} would come to EUR ${formatCount(totalEur)}, paid per person only after actual admission (AMIF Art. 19).`,
  };
}

/** Undefined when the plan or the view (no proposal yet, not adopted yet) does not exist. */
export function getCompliance(
  state: PlanReadModelState,
  planId: string,
  view: ContributionView,
): Compliance | undefined {
  const plan = findPlan(state, planId);
  const contributions = contributionsForView(state, planId, view);
  if (plan === undefined || contributions === undefined) return undefined;
  const totals = computeTotals(contributions);
  const resettlementShare = checkResettlementShare(plan, view, totals);
  return {
    planId,
    view,
    total: totals.total,
    resettlementSharePercent: resettlementShare.sharePercent,
    resettlementFloorPercent: plan.resettlementFloorPercent,
    checks: [
      resettlementShare,
      checkPriorityHostCountries(plan, view, contributions),
      checkTotalsReconcile(contributions, totals),
      checkPendingRevisions(state, plan),
      checkProposalToAdoption(plan),
      checkAmifLumpSums(view, contributions),
    ],
  };
}
