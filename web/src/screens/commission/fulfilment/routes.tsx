import { Suspense, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { Loading } from '../../../components/Loading';
import { preloadableLazy } from '../../../lib/preloadableLazy';

/*
 * The dashboard is a chunk of its own (its charts shared with the figures page), loaded on first
 * visit. The report page rides in the same chunk: it is reached from the dashboard.
 */
const fulfilmentPage = preloadableLazy(() =>
  import('./FulfilmentPage').then((module) => module.FulfilmentPage),
);
const reportPage = preloadableLazy(() =>
  import('./ReportPage').then((module) => module.ReportPage),
);
const FulfilmentPage = fulfilmentPage.Component;
const ReportPage = reportPage.Component;

/** Loads the dashboard's or the report's chunk when `pathname` (under `/commission`) opens one. */
export function preloadFulfilmentPageFor(pathname: string): Promise<void> {
  if (/^\/commission\/plans\/[^/]+\/fulfilment\/?$/.test(pathname)) return fulfilmentPage.preload();
  if (/^\/commission\/plans\/[^/]+\/reports\//.test(pathname)) return reportPage.preload();
  return Promise.resolve();
}

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
