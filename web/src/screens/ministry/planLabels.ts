import type { StatusTone } from '../../components/StatusBadge';
import { formatDate } from '../../lib/format';
import type { PlanView } from './pledgeApi';

type PlanStatus = PlanView['status'];

export { PLAN_STATUS_LABELS } from '../../lib/labels';

export const PLAN_STATUS_TONES: Readonly<Record<PlanStatus, StatusTone>> = {
  draft: 'neutral',
  pledging_open: 'info',
  pledging_closed: 'warning',
  proposed: 'info',
  adopted: 'success',
};

/** "1 January 2026 to 31 December 2027". */
export function periodText(plan: Pick<PlanView, 'periodStart' | 'periodEnd'>): string {
  return `${formatDate(plan.periodStart)} to ${formatDate(plan.periodEnd)}`;
}

export const EVENT_TYPE_LABELS: Readonly<Record<string, string>> = {
  PledgeSubmitted: 'Submitted',
  PledgeRevised: 'Revised',
  PledgeWithdrawn: 'Withdrawn',
};
