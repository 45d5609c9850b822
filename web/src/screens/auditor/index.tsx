import type { QueryClient } from '@tanstack/react-query';
import { Route, Routes, useParams } from 'react-router';
import { PlanFigures, PlanFulfilment, PlanReport, prefetchCommissionScreen } from '../commission';
import { prefetchAuditFeed } from './auditApi';
import { readFeedQuery } from './auditFilters';
import { AuditFeedPage } from './AuditFeedPage';
import { AuditPlanPage, AuditPlanTabs } from './AuditPlanPage';
import { ComparePage } from './ComparePage';
import { LogIntegrityPage } from './LogIntegrityPage';
import { ReplayPage } from './ReplayPage';
import './auditor.css';

/** The Commission's figures, read-only, under the auditor's plan sections. */
function AuditPlanFigures() {
  const { planId = '' } = useParams();
  return (
    <>
      <AuditPlanTabs planId={planId} />
      <PlanFigures readOnly />
    </>
  );
}

/** The Commission's fulfilment dashboard and reports, read as of `asOf`, under the auditor's tabs. */
const AUDITOR = {
  root: '/audit',
  tabs: (planId: string) => <AuditPlanTabs planId={planId} />,
} as const;

/**
 * Reads the data of the auditor's screen at `pathname?search` (under `/audit`, read now) into the
 * cache, so its first render shows it instead of a loading line; settles once every read has, and
 * never rejects. A plan's figures and fulfilment are the Commission's pages, read-only.
 */
export async function prefetchAuditorScreen(
  queryClient: QueryClient,
  pathname: string,
  search: string,
): Promise<void> {
  if (/^\/audit\/?$/.test(pathname)) {
    await prefetchAuditFeed(queryClient, readFeedQuery(new URLSearchParams(search)));
    return;
  }
  if (/^\/audit\/plans\/[^/]+\/(figures|fulfilment)\/?$/.test(pathname))
    await prefetchCommissionScreen(
      queryClient,
      pathname.replace(/^\/audit/, '/commission'),
      search,
    );
}

/** Everything under `/audit/*`. */
export function AuditorRoutes() {
  return (
    <Routes>
      <Route index element={<AuditFeedPage />} />
      <Route path="compare" element={<ComparePage />} />
      <Route path="replay" element={<ReplayPage />} />
      <Route path="integrity" element={<LogIntegrityPage />} />
      <Route path="plans/:planId" element={<AuditPlanPage />} />
      <Route path="plans/:planId/figures" element={<AuditPlanFigures />} />
      <Route path="plans/:planId/fulfilment" element={<PlanFulfilment {...AUDITOR} />} />
      <Route
        path="plans/:planId/reports/:memberState/:month"
        element={<PlanReport {...AUDITOR} />}
      />
    </Routes>
  );
}
