import type { Schema } from '../../api/client';
import { ADMISSION_TYPES, ADMISSION_TYPE_LABELS, PLAN_STATUS_LABELS } from '../../lib/labels';
import type { StatusTone } from '../../components/StatusBadge';

export type Plan = Schema<'Plan'>;
export type PlanView = Schema<'PlanView'>;
export type PlanStatus = Plan['status'];
export type PledgeLine = Schema<'PledgeLine'>;
export type Contribution = Schema<'Contribution'>;
export type AdmissionType = PledgeLine['admissionType'];
export type AdmissionTypeCounts = Schema<'AdmissionTypeCounts'>;
export type Totals = Schema<'Totals'>;
export type Compliance = Schema<'Compliance'>;
export type ComplianceCheck = Schema<'ComplianceCheck'>;
export type FiguresView = Totals['view'];

export { ADMISSION_TYPES, ADMISSION_TYPE_LABELS, PLAN_STATUS_LABELS };

export const PLAN_STATUS_TONES: Readonly<Record<PlanStatus, StatusTone>> = {
  draft: 'neutral',
  pledging_open: 'info',
  pledging_closed: 'warning',
  proposed: 'info',
  adopted: 'success',
};

export const VIEW_LABELS: Readonly<Record<FiguresView, string>> = {
  pledges: 'Pledges (the latest indications)',
  proposal: "The Commission's proposal",
  adopted: 'The adopted plan, with amendments',
};

/** The figures a plan has: the proposal and adoption views exist only once recorded. */
export function availableViews(status: PlanStatus): readonly FiguresView[] {
  if (status === 'adopted') return ['pledges', 'proposal', 'adopted'];
  if (status === 'proposed') return ['pledges', 'proposal'];
  return ['pledges'];
}

/** What a page shows first: the furthest stage the plan has reached. */
export function defaultView(status: PlanStatus): FiguresView {
  const views = availableViews(status);
  return views[views.length - 1] ?? 'pledges';
}

/** The figures page's URL parameter naming the view shown (`?view=adopted`). */
export const VIEW_PARAM = 'view';

function isView(value: string | null): value is FiguresView {
  return value === 'pledges' || value === 'proposal' || value === 'adopted';
}

/** The view the figures page shows: the one `asked` for when the plan has it, else the default. */
export function shownView(status: PlanStatus, asked: string | null): FiguresView {
  return isView(asked) && availableViews(status).includes(asked) ? asked : defaultView(status);
}

/** Bureaux the reference list does not name: places with no known host, or spread over several. */
export const EXTRA_REGION_LABELS: Readonly<Record<string, string>> = {
  unknown: 'Host not known',
  across_several_bureaux: 'Across several bureaux',
};

/** The sum of the three types. */
export function countsTotal(counts: AdmissionTypeCounts): number {
  return ADMISSION_TYPES.reduce((sum, type) => sum + counts[type], 0);
}

/** A line's persons by type, so a contribution reads as the Art. 8(3) row it becomes. */
export function countsOfLines(lines: readonly PledgeLine[]): AdmissionTypeCounts {
  const counts = { resettlement: 0, humanitarian_admission: 0, emergency_admission: 0 };
  for (const line of lines) counts[line.admissionType] += line.persons;
  return counts;
}

/** Where a line's persons come from, in words: a country, several, or a plan region. */
export function describeHost(line: PledgeLine): string {
  if (line.hostCountry !== undefined) return line.hostCountry;
  if (line.hostCountries !== undefined && line.hostCountries.length > 0)
    return line.hostCountries.join(' or ');
  if (line.planRegion !== undefined) return `Plan region ${line.planRegion}`;
  if (line.admissionType === 'emergency_admission') return 'Not tied to a region (Art. 8(5))';
  return 'Not stated';
}
