/**
 * Consistency of a view of the plan with the Framework's rules. Participation is voluntary
 * (Art. 1(3)-(4)): a check reports a gap, never a legal breach by a participant.
 */
import {
  findHostCountry,
  isAssociatedState,
  lumpSumRange,
  type EuroRange,
} from '../../domain/reference';
import {
  ADMISSION_TYPES,
  contributionChanges,
  contributionsTotal,
  countByAdmissionType,
  hostKey,
  hostOf,
  totalPersons,
  type AdmissionType,
  type Contribution,
  type PledgeLine,
} from '../../domain/shared/pledgeLine';
import { RESETTLEMENT_FLOOR_PERCENT, type PlanFacts } from '../../domain/unionPlan/unionPlan';
import { inScope, type ReadScope } from '../readScope';
import {
  adoptedLines,
  contributionsForView,
  isPendingAmendment,
  pledgesInScope,
} from './contributions';
import {
  currentLines,
  type ContributionView,
  type PlanEntry,
  type PlanReadModelState,
} from './model';
import { computeTotals, type TotalsFigures } from './totals';

/**
 * Our reading of "not less than approximately 60 %" (Art. 8(3)(a)): a share up to this many
 * percentage points below the floor warns rather than fails. The law gives no figure; this is a
 * choice, and every result says so.
 */
export const APPROXIMATELY_BAND_PERCENTAGE_POINTS = 5;

/** `info` reports a fact worth knowing that is no gap (e.g. a contribution below the indication). */
export type CheckStatus = 'pass' | 'info' | 'warn' | 'fail';

interface CheckBase {
  readonly status: CheckStatus;
  readonly message: string;
}

export interface ResettlementShareCheck extends CheckBase {
  readonly id: 'resettlement_share';
  readonly resettlement: number;
  readonly total: number;
  readonly sharePercent: number | null;
  /** The law's floor (Art. 8(3)(a)). */
  readonly floorPercent: number;
  readonly bandPercentagePoints: number;
  /** The band is ours, not the law's. */
  readonly bandIsInterpretation: true;
  /** Informative: emergency places whose basis is resettlement. */
  readonly emergencyOnResettlementBasis: number;
  readonly shareIncludingEmergencyOnResettlementBasisPercent: number | null;
}

export interface OutsidePriorityLine {
  readonly memberState: string;
  readonly host: string;
  readonly countriesOutside: readonly string[];
  readonly admissionType: AdmissionType;
  readonly persons: number;
}

export interface PriorityHostCountriesCheck extends CheckBase {
  readonly id: 'priority_host_countries';
  readonly priorityCountries: readonly string[];
  readonly priorityRegions: readonly string[];
  readonly planRegions: readonly string[];
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

export interface IndicationRow {
  readonly memberState: string;
  readonly admissionType: AdmissionType;
  readonly contribution: number;
  readonly indication: number;
  readonly delta: number;
  /** `fail`: above the indication (not "fully respecting" it); `info`: below it. */
  readonly status: 'fail' | 'info';
  /** The act that set the contribution, and so the moment the indication is taken at. */
  readonly actReference: string;
}

export interface IndicationsRespectedCheck extends CheckBase {
  readonly id: 'indications_respected';
  readonly rows: IndicationRow[];
}

export interface LumpSumRow extends EuroRange {
  readonly memberState: string;
  readonly persons: number;
}

export interface AmifLumpSumsCheck extends CheckBase, EuroRange {
  readonly id: 'amif_lump_sums';
  /** Every figure is a forecast: lump sums are payable per person only after admission (Art. 19(7)). */
  readonly forecast: true;
  readonly byMemberState: LumpSumRow[];
}

export type ComplianceCheck =
  | ResettlementShareCheck
  | PriorityHostCountriesCheck
  | TotalsReconcileCheck
  | PendingRevisionsCheck
  | ProposalToAdoptionCheck
  | IndicationsRespectedCheck
  | AmifLumpSumsCheck;

export interface AssociatedStatesSection {
  readonly total: number;
  readonly byAdmissionType: TotalsFigures['byAdmissionType'];
  readonly byParticipant: TotalsFigures['byMemberState'];
  readonly note: string;
}

export interface Compliance {
  readonly planId: string;
  readonly view: ContributionView;
  readonly scope: ReadScope;
  readonly total: number;
  /** Exact share rounded to 2 decimals; null when there are no places. */
  readonly resettlementSharePercent: number | null;
  readonly resettlementFloorPercent: number;
  readonly checks: ComplianceCheck[];
  /** Art. 12: reported beside the plan, in no check above. */
  readonly associatedStates: AssociatedStatesSection;
}

const VIEW_LABEL: Record<ContributionView, string> = {
  pledges: 'the pledges',
  proposal: 'the proposal',
  adopted: 'the adopted plan',
};

/** `12,345`: counts in messages, as a Commission official reads them. */
export function formatCount(value: number): string {
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatSigned(value: number): string {
  return value > 0 ? `+${formatCount(value)}` : formatCount(value);
}

/** part / total x 100 rounded to 2 decimals; null when the total is 0. */
export function roundedPercent(part: number, total: number): number | null {
  return total === 0 ? null : Math.round(((part * 100) / total) * 100) / 100;
}

function checkResettlementShare(
  view: ContributionView,
  totals: TotalsFigures,
): ResettlementShareCheck {
  const { total } = totals;
  const resettlement = totals.byAdmissionType.resettlement;
  const floor = RESETTLEMENT_FLOOR_PERCENT;
  const band = APPROXIMATELY_BAND_PERCENTAGE_POINTS;
  const emergencyOnResettlementBasis = totals.emergencyByBasis.resettlement;
  const sharePercent = roundedPercent(resettlement, total);
  const figures = {
    id: 'resettlement_share' as const,
    resettlement,
    total,
    sharePercent,
    floorPercent: floor,
    bandPercentagePoints: band,
    bandIsInterpretation: true as const,
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
  const law = `the floor of not less than approximately ${floor} % (Art. 8(3)(a))`;
  // Cross-multiplied so that a share of exactly the floor is not lost to floating point.
  if (resettlement * 100 >= floor * total) {
    return { ...figures, status: 'pass', message: `${share}, at or above ${law}.` };
  }
  if (resettlement * 100 >= (floor - band) * total) {
    return {
      ...figures,
      status: 'warn',
      message: `${share}, below ${law} but within ${band} percentage points of it, which this tracker reads as "approximately" (an interpretation, not the law's figure).`,
    };
  }
  return {
    ...figures,
    status: 'fail',
    message: `${share}, below ${law} by more than the ${band} percentage points this tracker reads as "approximately" (an interpretation, not the law's figure).`,
  };
}

export interface NamedCountries {
  readonly has: (code: string) => boolean;
  /** The plan names no country, region or bureau at all. */
  readonly empty: boolean;
}

/** The plan's named third countries, expanded: named countries, its regions' and the bureaux'. */
export function namedCountries(plan: PlanFacts): NamedCountries {
  const countries = new Set(plan.priorityCountries);
  for (const region of plan.regions) for (const code of region.countries) countries.add(code);
  const bureaux = new Set(plan.priorityRegions);
  return {
    has: (code) => countries.has(code) || bureaux.has(findHostCountry(code)?.unhcrRegion ?? ''),
    empty: countries.size === 0 && bureaux.size === 0,
  };
}

/**
 * The countries of a line that the plan does not name (a plan region is named by definition).
 * None for emergency admission, which Art. 8(5) does not tie to the plan's regions.
 */
export function countriesOutsidePlan(
  line: PledgeLine,
  named: Pick<NamedCountries, 'has'>,
): string[] {
  if (line.admissionType === 'emergency_admission') return [];
  const host = hostOf(line);
  switch (host.kind) {
    case 'country':
      return named.has(host.country) ? [] : [host.country];
    case 'countries':
      return host.countries.filter((code) => !named.has(code));
    case 'plan_region':
    case 'none':
      return [];
  }
}

/**
 * Art. 8(3)(c): the plan names the regions or third countries places come from. A plan naming none
 * passes no check; a line from elsewhere is a `warn`, since participation is voluntary.
 */
function checkPriorities(
  plan: PlanFacts,
  view: ContributionView,
  contributions: readonly Contribution[],
): PriorityHostCountriesCheck {
  const figures = {
    id: 'priority_host_countries' as const,
    priorityCountries: plan.priorityCountries,
    priorityRegions: plan.priorityRegions,
    planRegions: plan.regions.map((region) => region.id),
  };
  const named = namedCountries(plan);
  if (named.empty) {
    return {
      ...figures,
      outsidePersons: 0,
      outside: [],
      status: 'fail',
      message:
        'The plan names no regions or third countries, which Art. 8(3)(c) requires: no line can be checked against them.',
    };
  }
  const outside: OutsidePriorityLine[] = [];
  let outsidePersons = 0;
  for (const { memberState, lines } of contributions) {
    for (const line of lines) {
      const missing = countriesOutsidePlan(line, named);
      if (missing.length === 0) continue;
      outside.push({
        memberState,
        host: hostKey(line),
        countriesOutside: missing,
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
      message: `Every resettlement and humanitarian admission place in ${VIEW_LABEL[view]} comes from the regions or third countries the plan names.`,
    };
  }
  return {
    ...figures,
    outsidePersons,
    outside,
    status: 'warn',
    message: `${formatCount(outsidePersons)} places in ${VIEW_LABEL[view]} (${outside.length} lines) name host countries outside the plan's regions and third countries (Art. 8(3)(c)).`,
  };
}

function checkTotalsReconcile(
  contributions: readonly Contribution[],
  totals: TotalsFigures,
): TotalsReconcileCheck {
  const linesSum = contributionsTotal(contributions);
  const byMemberStateSum = totals.byMemberState.reduce((sum, row) => sum + row.total, 0);
  const byAdmissionTypeSum = Object.values(totals.byAdmissionType).reduce((sum, n) => sum + n, 0);
  const byRegionSum =
    totals.regions.reduce((sum, region) => sum + region.total, 0) + totals.notRegionBound.total;
  const byCountrySum =
    totals.regions.reduce(
      (sum, region) =>
        sum +
        region.countries.reduce((inner, country) => inner + country.total, 0) +
        region.groups.reduce((inner, group) => inner + group.total, 0),
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
      message: `The breakdowns by Member State, admission type, region and host all add up to ${formatCount(totals.total)}.`,
    };
  }
  return {
    ...figures,
    status: 'fail',
    message: `The breakdowns do not add up to the total of ${formatCount(totals.total)}: lines ${linesSum}, Member States ${byMemberStateSum}, admission types ${byAdmissionTypeSum}, regions ${byRegionSum}, hosts ${byCountrySum}.`,
  };
}

function checkPendingRevisions(entry: PlanEntry, scope: ReadScope): PendingRevisionsCheck {
  const id = 'pending_revisions' as const;
  const plan = entry.plan;
  if (plan === undefined || plan.state.status !== 'adopted') {
    return {
      id,
      pending: [],
      status: 'pass',
      message: 'The plan is not adopted yet: indications may still change without an amendment.',
    };
  }
  const pending: PendingRevision[] = [];
  for (const pledge of pledgesInScope(entry, scope)) {
    // Associated states' indications stand beside the plan (Art. 12): no check counts them.
    if (isAssociatedState(pledge.memberState) || !isPendingAmendment(plan, pledge)) continue;
    const adopted = totalPersons(adoptedLines(plan, pledge.memberState));
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
    message: `${pending.length} Member State(s) changed their pledge after adoption (${pending.map((row) => row.memberState).join(', ')}); only a Council amendment changes the plan (Art. 8(6)).`,
  };
}

function checkProposalToAdoption(entry: PlanEntry, scope: ReadScope): ProposalToAdoptionCheck {
  const id = 'proposal_to_adoption' as const;
  const plan = entry.plan;
  if (plan?.state.status !== 'adopted' || plan.adoption === undefined) {
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
  const proposed = plan.state.proposal.contributions;
  const adopted = plan.adoption.contributions;
  const byMemberState = contributionChanges(proposed, adopted)
    .filter((row) => inScope(scope, row.memberState))
    .map((row) => ({
      memberState: row.memberState,
      proposed: row.before,
      adopted: row.after,
      delta: row.delta,
    }));
  // The proposal's total reveals the others' indications: only the whole scope sees it.
  const proposedTotal = scope.kind === 'all' ? contributionsTotal(proposed) : null;
  const adoptedTotal = contributionsTotal(adopted);
  const aboveProposal = byMemberState.filter((row) => row.delta > 0).map((row) => row.memberState);
  const figures = {
    id,
    proposedTotal,
    adoptedTotal,
    delta: proposedTotal === null ? null : adoptedTotal - proposedTotal,
    adoptedAfterAmendmentsTotal: contributionsTotal(plan.state.contributions),
    byMemberState,
    aboveProposal,
  };
  const summary =
    proposedTotal === null
      ? `Adopted: ${formatCount(adoptedTotal)} places`
      : `From proposal to adoption: ${formatCount(proposedTotal)} → ${formatCount(adoptedTotal)} places (${formatSigned(adoptedTotal - proposedTotal)})`;
  if (aboveProposal.length > 0) {
    return {
      ...figures,
      status: 'warn',
      message: `${summary}; the adopted contribution of ${aboveProposal.join(', ')} exceeds what was proposed.`,
    };
  }
  return {
    ...figures,
    status: 'pass',
    message: `${summary}; no adopted contribution exceeds what was proposed.`,
  };
}

/**
 * Art. 8(3)(b), recitals 33-34: the plan fully respects each Member State's indication. Each
 * adopted or amended contribution is compared, per admission type, with the indication as it stood
 * when the act that set it was recorded: above it is a `fail`, below it an `info`.
 */
function checkIndicationsRespected(entry: PlanEntry, scope: ReadScope): IndicationsRespectedCheck {
  const id = 'indications_respected' as const;
  const plan = entry.plan;
  if (plan?.state.status !== 'adopted') {
    return {
      id,
      rows: [],
      status: 'pass',
      message: 'The plan is not adopted yet: no contribution to compare with an indication.',
    };
  }
  const rows: IndicationRow[] = [];
  const memberStates = new Set([
    ...plan.state.contributions.map((c) => c.memberState),
    ...entry.indicationsAtAct.keys(),
  ]);
  for (const memberState of [...memberStates].sort()) {
    if (!inScope(scope, memberState) || isAssociatedState(memberState)) continue;
    const indication = entry.indicationsAtAct.get(memberState);
    if (indication === undefined) continue;
    const contributed = countByAdmissionType(adoptedLines(plan, memberState));
    const indicated = countByAdmissionType(indication.lines);
    for (const admissionType of ADMISSION_TYPES) {
      const delta = contributed[admissionType] - indicated[admissionType];
      if (delta === 0) continue;
      rows.push({
        memberState,
        admissionType,
        contribution: contributed[admissionType],
        indication: indicated[admissionType],
        delta,
        status: delta > 0 ? 'fail' : 'info',
        actReference: indication.actReference,
      });
    }
  }
  const above = rows.filter((row) => row.status === 'fail');
  if (above.length > 0) {
    return {
      id,
      rows,
      status: 'fail',
      message: `The plan does not fully respect ${[...new Set(above.map((row) => row.memberState))].join(', ')}'s indication: ${above.map((row) => `${row.memberState} ${row.admissionType} ${formatCount(row.contribution)} > ${formatCount(row.indication)}`).join('; ')} (Art. 8(3)(b)).`,
    };
  }
  if (rows.length > 0) {
    return {
      id,
      rows,
      status: 'info',
      message: `Some contributions are below the indication at the time of the act (${[...new Set(rows.map((row) => row.memberState))].join(', ')}); none exceeds it.`,
    };
  }
  return {
    id,
    rows,
    status: 'pass',
    message: 'Every adopted contribution equals the indication at the time of its act.',
  };
}

function checkAmifLumpSums(
  view: ContributionView,
  contributions: readonly Contribution[],
): AmifLumpSumsCheck {
  // Contributions come sorted by Member State from every view.
  const byMemberState = contributions.map(({ memberState, lines }) => ({
    memberState,
    persons: totalPersons(lines),
    ...lumpSumRange(lines),
  }));
  const minEur = byMemberState.reduce((sum, row) => sum + row.minEur, 0);
  const maxEur = byMemberState.reduce((sum, row) => sum + row.maxEur, 0);
  const range =
    minEur === maxEur
      ? `EUR ${formatCount(minEur)}`
      : `EUR ${formatCount(minEur)} to ${formatCount(maxEur)}`;
  return {
    id: 'amif_lump_sums',
    forecast: true,
    minEur,
    maxEur,
    byMemberState,
    status: 'info',
    message: `Forecast: AMIF lump sums for ${VIEW_LABEL[view]} would come to ${range} (the higher figure if every person on a line naming an Art. 19(3) group belongs to it). Payable to Member States only, per person, after actual admission (AMIF Art. 19(7)).`,
  };
}

/** Undefined when the plan or the view (no proposal yet, not adopted yet) does not exist. */
export function getCompliance(
  state: PlanReadModelState,
  planId: string,
  view: ContributionView,
  scope: ReadScope,
): Compliance | undefined {
  const entry = state.plans.get(planId);
  const plan = entry?.plan;
  const viewed = contributionsForView(state, planId, view, scope);
  if (entry === undefined || plan === undefined || viewed === undefined) return undefined;
  const facts = plan.state.plan;
  const totals = computeTotals(viewed.contributions, facts.regions);
  const associated = computeTotals(viewed.associatedStates, facts.regions);
  const resettlementShare = checkResettlementShare(view, totals);
  return {
    planId,
    view,
    scope,
    total: totals.total,
    resettlementSharePercent: resettlementShare.sharePercent,
    resettlementFloorPercent: RESETTLEMENT_FLOOR_PERCENT,
    checks: [
      resettlementShare,
      checkPriorities(facts, view, viewed.contributions),
      checkTotalsReconcile(viewed.contributions, totals),
      checkPendingRevisions(entry, scope),
      checkProposalToAdoption(entry, scope),
      checkIndicationsRespected(entry, scope),
      checkAmifLumpSums(view, viewed.contributions),
    ],
    associatedStates: {
      total: associated.total,
      byAdmissionType: associated.byAdmissionType,
      byParticipant: associated.byMemberState,
      note: 'Associated states (Art. 12) take part in the implementation beside the plan: their figures are in no check above, no total and no AMIF figure.',
    },
  };
}
