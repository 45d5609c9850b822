import { Route, Routes, useParams } from 'react-router';
import { PlanFigures } from '../commission';
import { AuditFeedPage } from './AuditFeedPage';
import { AuditPlanPage, AuditPlanTabs } from './AuditPlanPage';
import { ComparePage } from './ComparePage';
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

/** Everything under `/audit/*`. */
export function AuditorRoutes() {
  return (
    <Routes>
      <Route index element={<AuditFeedPage />} />
      <Route path="compare" element={<ComparePage />} />
      <Route path="replay" element={<ReplayPage />} />
      <Route path="plans/:planId" element={<AuditPlanPage />} />
      <Route path="plans/:planId/figures" element={<AuditPlanFigures />} />
    </Routes>
  );
}
