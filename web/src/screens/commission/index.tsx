import { Suspense } from 'react';
import { Route, Routes, useParams } from 'react-router';
import { Loading } from '../../components/Loading';
import { AnnexPage } from './AnnexPage';
import { preloadableLazy } from '../../lib/preloadableLazy';
import { PlanFulfilment, PlanReport, preloadFulfilmentPageFor } from './fulfilment/routes';
import { PlanPage } from './PlanPage';
import { PlansPage } from './PlansPage';
import { PlanTabs } from './PlanTabs';
import './commission.css';

export { PlanFulfilment, PlanReport };
export { prefetchCommissionScreen } from './prefetch';

/*
 * The figures page is a chunk of its own, loaded on first visit, so the plans list and the
 * lifecycle (and the auditor's log) never download the charts.
 */
const figuresPage = preloadableLazy(() =>
  import('./figures/PlanFiguresPage').then((module) => module.PlanFiguresPage),
);
const PlanFiguresPage = figuresPage.Component;

/**
 * Loads the chunk of a page with one of its own (figures, fulfilment, a report) when `pathname`,
 * a path under `/commission`, opens it: the app does so before its first render.
 */
export function preloadPageFor(pathname: string): Promise<void> {
  if (/^\/commission\/plans\/[^/]+\/figures\/?$/.test(pathname)) return figuresPage.preload();
  return preloadFulfilmentPageFor(pathname);
}

/**
 * The plan's figures; the auditor's `/audit/plans/:planId/figures` shows it read-only. The plan
 * comes from `planId` or, without it, from the route.
 */
export function PlanFigures({
  planId,
  readOnly = false,
}: {
  readonly planId?: string;
  readonly readOnly?: boolean;
}) {
  const params = useParams();
  const id = planId ?? params.planId ?? '';
  return (
    <Suspense fallback={<Loading label="Loading the figures page" />}>
      <PlanFiguresPage planId={id} readOnly={readOnly} />
    </Suspense>
  );
}

const COMMISSION = {
  root: '/commission',
  tabs: (planId: string) => <PlanTabs planId={planId} />,
} as const;

/** Everything under `/commission/*`. */
export function CommissionRoutes() {
  return (
    <Routes>
      <Route index element={<PlansPage />} />
      <Route path="plans/:planId" element={<PlanPage />} />
      <Route path="plans/:planId/figures" element={<PlanFigures />} />
      <Route path="plans/:planId/annex" element={<AnnexPage />} />
      <Route path="plans/:planId/fulfilment" element={<PlanFulfilment {...COMMISSION} />} />
      <Route
        path="plans/:planId/reports/:memberState/:month"
        element={<PlanReport {...COMMISSION} />}
      />
    </Routes>
  );
}
