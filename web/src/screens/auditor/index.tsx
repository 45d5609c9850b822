import { Route, Routes, useParams } from 'react-router';
import { PlanFigures, PlanFulfilment, PlanReport } from '../commission';
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
