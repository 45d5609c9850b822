import { usePlan } from '../../api/plans';
import { Tabs } from '../../components/Tabs';

/**
 * The plan's sections, each its own URL. Fulfilment exists once the plan is adopted (as of the
 * global `asOf`): admissions are reported against the adopted plan only.
 */
export function PlanTabs({ planId }: { readonly planId: string }) {
  const plan = usePlan(planId);
  const base = `/commission/plans/${encodeURIComponent(planId)}`;
  return (
    <Tabs
      label={`Plan ${planId}`}
      items={[
        { to: base, label: 'Lifecycle and pledges', end: true },
        { to: `${base}/figures`, label: 'Figures' },
        ...(plan.data?.status === 'adopted'
          ? [{ to: `${base}/fulfilment`, label: 'Fulfilment' }]
          : []),
        { to: `${base}/annex`, label: 'Annex' },
      ]}
    />
  );
}
