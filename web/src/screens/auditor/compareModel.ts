import { formatCount, formatDate, formatDateTime } from '../../lib/format';
import type { Schema } from '../../api/client';
import { ADMISSION_TYPE_LABELS, PLAN_STATUS_LABELS } from '../../lib/labels';

type Plan = Schema<'Plan'>;
type Pledge = Schema<'Pledge'>;
type PledgeLine = Schema<'PledgeLine'>;

/** One thing a version states: "Total: 120", "Line Resettlement from TR: 100 persons". */
export interface Fact {
  readonly key: string;
  readonly label: string;
  readonly value: string;
}

export type Change = 'same' | 'changed' | 'added' | 'removed';

/** One row of the side-by-side view: what A says, what B says, and how they differ. */
export interface ComparedRow {
  readonly key: string;
  readonly label: string;
  readonly a: string | undefined;
  readonly b: string | undefined;
  readonly change: Change;
}

/**
 * Lines up two versions' facts by key: A's order first, then what only B has. A fact only B has is
 * "added" (in B, reading A as the earlier), one only A has "removed".
 */
export function compareFacts(a: readonly Fact[], b: readonly Fact[]): ComparedRow[] {
  const inB = new Map(b.map((fact) => [fact.key, fact]));
  const inA = new Set(a.map((fact) => fact.key));
  const rows: ComparedRow[] = a.map((fact) => {
    const other = inB.get(fact.key);
    if (other === undefined) {
      return { key: fact.key, label: fact.label, a: fact.value, b: undefined, change: 'removed' };
    }
    return {
      key: fact.key,
      label: fact.label,
      a: fact.value,
      b: other.value,
      change: other.value === fact.value ? 'same' : 'changed',
    };
  });
  for (const fact of b) {
    if (!inA.has(fact.key)) {
      rows.push({ key: fact.key, label: fact.label, a: undefined, b: fact.value, change: 'added' });
    }
  }
  return rows;
}

export function countChanges(rows: readonly ComparedRow[]): Readonly<Record<Change, number>> {
  const counts = { same: 0, changed: 0, added: 0, removed: 0 };
  for (const row of rows) counts[row.change] += 1;
  return counts;
}

const PLEDGE_STATUS = { active: 'Active', withdrawn: 'Withdrawn' } as const;

function persons(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'person' : 'persons'}`;
}

/** What identifies a line (as the server's `lineKey`): type, host, year, emergency basis. */
function lineIdentity(line: PledgeLine): { key: string; label: string } {
  const host =
    line.hostCountry ??
    line.hostCountries?.join('+') ??
    (line.planRegion === undefined ? '-' : `region:${line.planRegion}`);
  const hostLabel = line.hostCountry
    ? `from ${line.hostCountry}`
    : line.hostCountries
      ? `from ${line.hostCountries.join(', ')}`
      : line.planRegion
        ? `from plan region ${line.planRegion}`
        : 'host not specified';
  const parts = [ADMISSION_TYPE_LABELS[line.admissionType], hostLabel];
  if (line.year !== undefined) parts.push(String(line.year));
  if (line.emergencyBasis)
    parts.push(`counted as ${ADMISSION_TYPE_LABELS[line.emergencyBasis].toLowerCase()}`);
  return {
    key: ['line', line.admissionType, host, line.year ?? '-', line.emergencyBasis ?? '-'].join('|'),
    label: `Line: ${parts.join(', ')}`,
  };
}

function lineValue(line: PledgeLine): string {
  const parts = [persons(line.persons)];
  if (line.targetGroups && line.targetGroups.length > 0) {
    parts.push(`target groups: ${line.targetGroups.join(', ')}`);
  }
  if (line.note) parts.push(`note: ${line.note}`);
  return parts.join('; ');
}

/** A pledge version as facts: status and totals, then one fact per line. */
export function pledgeFacts(pledge: Pledge): Fact[] {
  const facts: Fact[] = [
    { key: 'status', label: 'Status', value: PLEDGE_STATUS[pledge.status] },
    { key: 'total', label: 'Total', value: persons(pledge.total) },
  ];
  for (const [type, label] of Object.entries(ADMISSION_TYPE_LABELS) as [
    keyof typeof ADMISSION_TYPE_LABELS,
    string,
  ][]) {
    facts.push({
      key: `by-type|${type}`,
      label: `Total, ${label.toLowerCase()}`,
      value: persons(pledge.byAdmissionType[type]),
    });
  }
  facts.push({
    key: 'pending',
    label: 'Waiting for an amendment',
    value: pledge.pendingAmendment ? 'Yes' : 'No',
  });
  const seen = new Map<string, number>();
  for (const line of pledge.lines) {
    const identity = lineIdentity(line);
    // A key twice would be refused by the server; kept apart here all the same.
    const occurrence = (seen.get(identity.key) ?? 0) + 1;
    seen.set(identity.key, occurrence);
    const key = occurrence === 1 ? identity.key : `${identity.key}#${occurrence}`;
    facts.push({ key, label: identity.label, value: lineValue(line) });
  }
  if (pledge.lastReason)
    facts.push({ key: 'reason', label: 'Reason given', value: pledge.lastReason });
  facts.push({ key: 'updated', label: 'Last changed', value: formatDateTime(pledge.updatedAt) });
  return facts;
}

function contributionFacts(
  prefix: string,
  labelPrefix: string,
  contributions: readonly Schema<'ContributionWithTotal'>[] | undefined,
): Fact[] {
  return (contributions ?? []).map((contribution) => ({
    key: `${prefix}|${contribution.memberState}`,
    label: `${labelPrefix}, ${contribution.memberState}`,
    value: persons(contribution.total),
  }));
}

/** A plan version as facts: status, deadline, proposal, adoption, amendments, contributions. */
export function planFacts(plan: Plan): Fact[] {
  const facts: Fact[] = [
    { key: 'status', label: 'Status', value: PLAN_STATUS_LABELS[plan.status] },
    {
      key: 'period',
      label: 'Period',
      value: `${formatDate(plan.periodStart)} to ${formatDate(plan.periodEnd)}`,
    },
  ];
  if (plan.pledgingDeadline) {
    facts.push({
      key: 'deadline',
      label: 'Pledging deadline',
      value: plan.pledgingDeadline.includes('T')
        ? formatDateTime(plan.pledgingDeadline)
        : formatDate(plan.pledgingDeadline),
    });
  }
  if (plan.priorityCountries.length > 0) {
    facts.push({
      key: 'priority-countries',
      label: 'Priority countries',
      value: plan.priorityCountries.join(', '),
    });
  }
  if (plan.proposal) {
    const { proposal } = plan;
    facts.push({
      key: 'proposal',
      label: 'Proposal',
      value: `${proposal.reference} of ${formatDate(proposal.proposedOn)}`,
    });
    if (proposal.total !== undefined) {
      facts.push({
        key: 'proposal-total',
        label: 'Proposed total',
        value: persons(proposal.total),
      });
    }
    facts.push(...contributionFacts('proposed', 'Proposed contribution', proposal.contributions));
  }
  if (plan.adoption) {
    const { adoption } = plan;
    facts.push({
      key: 'adoption',
      label: 'Adoption',
      value: `${adoption.actReference} of ${formatDate(adoption.adoptedOn)}`,
    });
    facts.push({
      key: 'adoption-total',
      label: 'Adopted total (as adopted)',
      value: persons(adoption.total),
    });
  }
  plan.amendments.forEach((amendment, index) => {
    facts.push({
      key: `amendment|${amendment.position}`,
      label: `Amendment ${index + 1}`,
      value: `${amendment.actReference} of ${formatDate(amendment.adoptedOn)}: ${amendment.reason}`,
    });
  });
  if (plan.adoptedTotal !== undefined) {
    facts.push({
      key: 'adopted-total',
      label: 'Adopted total (with amendments)',
      value: persons(plan.adoptedTotal),
    });
  }
  facts.push(...contributionFacts('adopted', 'Adopted contribution', plan.adoptedContributions));
  return facts;
}
