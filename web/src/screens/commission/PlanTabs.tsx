import { Tabs } from '../../components/Tabs';

/** The plan's three sections, each its own URL. */
export function PlanTabs({ planId }: { readonly planId: string }) {
  const base = `/commission/plans/${encodeURIComponent(planId)}`;
  return (
    <Tabs
      label={`Plan ${planId}`}
      items={[
        { to: base, label: 'Lifecycle and pledges', end: true },
        { to: `${base}/figures`, label: 'Figures' },
        { to: `${base}/annex`, label: 'Annex' },
      ]}
    />
  );
}
