/**
 * The one pass behind the fulfilment view: every adopted line and every reported line is counted
 * once, into the tallies the view is then built from (by participant and type, by host under its
 * UNHCR bureau, by month, AMIF by Member State and year, lines from outside the plan's regions).
 * Associated states (Art. 12) are tallied apart and reach no plan-wide tally.
 */
import { earnedForAdmissionLine, isAssociatedState } from '../../domain/reference';
import type { AdmissionLine } from '../../domain/implementation/implementationReport';
import {
  hostKey,
  hostOf,
  totalPersons,
  type AdmissionType,
  type Contribution,
  type PledgeLine,
} from '../../domain/shared/pledgeLine';
import type { PlanFacts, PlanRegion } from '../../domain/unionPlan/unionPlan';
import {
  countriesOutsidePlan,
  namedCountries,
  type NamedCountries,
} from '../planReadModel/compliance';
import type { PlanEntry, ReportRecord } from '../planReadModel/model';
import {
  hostGroupOf,
  regionBucketOf,
  UNKNOWN_REGION,
  type HostGroup,
  type RegionBucket,
} from '../planReadModel/totals';
import { inScope, type ReadScope } from '../readScope';
import { addProcedure, newProcedureTally, type ProcedureTally } from './procedureTally';

export interface Tally {
  adopted: number;
  admitted: number;
}

export const newTally = (): Tally => ({ adopted: 0, admitted: 0 });

export type TypeTallies = Record<AdmissionType, Tally>;

export function newTypeTallies(): TypeTallies {
  return {
    resettlement: newTally(),
    humanitarian_admission: newTally(),
    emergency_admission: newTally(),
  };
}

export interface ParticipantTally extends Tally {
  readonly memberState: string;
  readonly byType: TypeTallies;
  /** Has an adopted contribution (or, for an associated state, an indication beside the plan). */
  hasContribution: boolean;
  vulnerablePersons: number;
  familyMembers: number;
  /** The months reported, in no particular order. */
  readonly months: string[];
  readonly procedure: ProcedureTally;
  amifEur: number;
}

/** One host (a country, or a group never split between countries) under its UNHCR bureau. */
export interface HostTally extends Tally {
  /** `hostKey`: `TR`, `EG+KE`, `region:<id>`. */
  readonly key: string;
  readonly region: RegionBucket;
  /** Set for one host country. */
  readonly country: string | undefined;
  /** Set for several countries or a plan region. */
  readonly group: HostGroup | undefined;
}

export interface AmifTally {
  readonly memberState: string;
  readonly year: number;
  resettled: number;
  humanitarian: number;
  humanitarianAtGroupRate: number;
  eur: number;
}

export interface OutsideTally {
  readonly memberState: string;
  readonly host: string;
  readonly admissionType: AdmissionType;
  readonly countriesOutside: readonly string[];
  persons: number;
}

function newParticipant(memberState: string): ParticipantTally {
  return {
    memberState,
    adopted: 0,
    admitted: 0,
    byType: newTypeTallies(),
    hasContribution: false,
    vulnerablePersons: 0,
    familyMembers: 0,
    months: [],
    procedure: newProcedureTally(),
    amifEur: 0,
  };
}

/** The Member States' figures (the plan's), and the associated states' apart. */
export class FulfilmentTallies {
  readonly overall = newTally();
  readonly byType = newTypeTallies();
  readonly memberStates = new Map<string, ParticipantTally>();
  readonly associatedStates = new Map<string, ParticipantTally>();
  readonly hosts = new Map<string, HostTally>();
  /** Emergency places without a host (Art. 8(5)). */
  readonly notRegionBound = newTally();
  readonly admittedByMonth = new Map<string, number>();
  /** Keyed `memberState|year`. */
  readonly amif = new Map<string, AmifTally>();
  /** Keyed `memberState|host|admissionType`. */
  readonly outside = new Map<string, OutsideTally>();
  readonly named: NamedCountries;
  vulnerablePersons = 0;
  familyMembers = 0;
  /** The reports' lines summed on their own (the domain's `totalPersons`), to reconcile with. */
  linesSum = 0;
  private readonly regionsById: ReadonlyMap<string, PlanRegion>;

  constructor(facts: PlanFacts) {
    this.regionsById = new Map(facts.regions.map((region) => [region.id, region]));
    this.named = namedCountries(facts);
  }

  private participant(memberState: string, associated: boolean): ParticipantTally {
    const map = associated ? this.associatedStates : this.memberStates;
    let found = map.get(memberState);
    if (found === undefined) {
      found = newParticipant(memberState);
      map.set(memberState, found);
    }
    return found;
  }

  /** The tally of a line's host; undefined for an emergency place without one (Art. 8(5)). */
  private hostTallyOf(line: PledgeLine): HostTally | undefined {
    const host = hostOf(line);
    if (host.kind === 'none') return undefined;
    const key = hostKey(line);
    let found = this.hosts.get(key);
    if (found === undefined) {
      found = {
        key,
        adopted: 0,
        admitted: 0,
        region: regionBucketOf(line, this.regionsById) ?? UNKNOWN_REGION,
        country: host.kind === 'country' ? host.country : undefined,
        group: host.kind === 'country' ? undefined : hostGroupOf(line, this.regionsById),
      };
      this.hosts.set(key, found);
    }
    return found;
  }

  addContribution({ memberState, lines }: Contribution, associated: boolean): void {
    const participant = this.participant(memberState, associated);
    participant.hasContribution = lines.length > 0;
    for (const line of lines) {
      const { persons, admissionType } = line;
      participant.adopted += persons;
      participant.byType[admissionType].adopted += persons;
      if (associated) continue;
      this.overall.adopted += persons;
      this.byType[admissionType].adopted += persons;
      (this.hostTallyOf(line) ?? this.notRegionBound).adopted += persons;
    }
  }

  addReport(report: ReportRecord, associated: boolean): void {
    const { memberState, month, admissions } = report;
    const participant = this.participant(memberState, associated);
    participant.months.push(month);
    addProcedure(participant.procedure, month, report.procedure);
    if (associated) {
      for (const line of admissions) this.addToParticipant(participant, line);
      return;
    }
    const inMonth = totalPersons(admissions);
    this.linesSum += inMonth;
    this.admittedByMonth.set(month, (this.admittedByMonth.get(month) ?? 0) + inMonth);
    const amif = this.amifRow(memberState, Number(month.slice(0, 4)));
    for (const line of admissions) {
      this.addToParticipant(participant, line);
      this.addToPlan(memberState, line);
      const earned = earnedForAdmissionLine(line);
      if (earned.basis === 'resettlement') amif.resettled += line.persons;
      else amif.humanitarian += line.persons;
      amif.humanitarianAtGroupRate += earned.atGroupRate;
      amif.eur += earned.eur;
      participant.amifEur += earned.eur;
    }
  }

  private addToParticipant(participant: ParticipantTally, line: AdmissionLine): void {
    participant.admitted += line.persons;
    participant.byType[line.admissionType].admitted += line.persons;
    participant.vulnerablePersons += line.vulnerablePersons ?? 0;
    participant.familyMembers += line.familyMembers ?? 0;
  }

  private addToPlan(memberState: string, line: AdmissionLine): void {
    const { persons, admissionType } = line;
    this.overall.admitted += persons;
    this.byType[admissionType].admitted += persons;
    this.vulnerablePersons += line.vulnerablePersons ?? 0;
    this.familyMembers += line.familyMembers ?? 0;
    const host = this.hostTallyOf(line);
    if (host === undefined) {
      this.notRegionBound.admitted += persons;
      return;
    }
    host.admitted += persons;
    if (this.named.empty) return;
    const countriesOutside = countriesOutsidePlan(line, this.named);
    if (countriesOutside.length === 0) return;
    const key = `${memberState}|${host.key}|${admissionType}`;
    const row = this.outside.get(key);
    if (row === undefined) {
      this.outside.set(key, {
        memberState,
        host: host.key,
        admissionType,
        countriesOutside,
        persons,
      });
    } else {
      row.persons += persons;
    }
  }

  private amifRow(memberState: string, year: number): AmifTally {
    const key = `${memberState}|${year}`;
    let row = this.amif.get(key);
    if (row === undefined) {
      row = {
        memberState,
        year,
        resettled: 0,
        humanitarian: 0,
        humanitarianAtGroupRate: 0,
        eur: 0,
      };
      this.amif.set(key, row);
    }
    return row;
  }
}

/** The pass over an adopted plan's contributions and the reports the scope may see. */
export function tallyFulfilment(
  entry: PlanEntry,
  plan: {
    readonly plan: PlanFacts;
    readonly contributions: readonly Contribution[];
    readonly associatedStates: readonly Contribution[];
  },
  scope: ReadScope,
): FulfilmentTallies {
  const tallies = new FulfilmentTallies(plan.plan);
  for (const contribution of plan.contributions) {
    if (inScope(scope, contribution.memberState)) tallies.addContribution(contribution, false);
  }
  for (const contribution of plan.associatedStates) {
    if (inScope(scope, contribution.memberState)) tallies.addContribution(contribution, true);
  }
  for (const [memberState, byMonth] of entry.reports) {
    if (!inScope(scope, memberState)) continue;
    const associated = isAssociatedState(memberState);
    for (const report of byMonth.values()) tallies.addReport(report, associated);
  }
  return tallies;
}
