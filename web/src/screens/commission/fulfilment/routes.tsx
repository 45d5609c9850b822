import { lazy, Suspense, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { Loading } from '../../../components/Loading';

/*
 * The dashboard brings Recharts: a chunk of its own (shared with the figures page), loaded on
 * first visit. The report page rides in the same chunk: it is reached from the dashboard.
 */
const FulfilmentPage = lazy(() =>
  import('./FulfilmentPage').then((module) => ({ default: module.FulfilmentPage })),
);
const ReportPage = lazy(() =>
  import('./ReportPage').then((module) => ({ default: module.ReportPage })),
);

/** The plan's path in a role's screens: `/commission/plans/2026-2027`. */
function planPath(root: string, planId: string): string {
  return `${root}/plans/${encodeURIComponent(planId)}`;
}

/**
 * The fulfilment dashboard of the plan in the route, under `root` (`/commission` or `/audit`),
 * with that role's plan sections as `tabs`.
 */
export function PlanFulfilment({
  root,
  tabs,
}: {
  readonly root: string;
  readonly tabs: (planId: string) => ReactNode;
}) {
  const { planId = '' } = useParams();
  return (
    <Suspense fallback={<Loading label="Loading the fulfilment page" />}>
      <FulfilmentPage planId={planId} basePath={planPath(root, planId)} tabs={tabs(planId)} />
    </Suspense>
  );
}

/** One monthly report, read-only, with its history: `<root>/plans/:planId/reports/:ms/:month`. */
export function PlanReport({
  root,
  tabs,
}: {
  readonly root: string;
  readonly tabs: (planId: string) => ReactNode;
}) {
  const { planId = '', memberState = '', month = '' } = useParams();
  return (
    <Suspense fallback={<Loading label="Loading the report page" />}>
      <ReportPage
        planId={planId}
        memberState={memberState}
        month={month}
        basePath={planPath(root, planId)}
        tabs={tabs(planId)}
      />
    </Suspense>
  );
}
