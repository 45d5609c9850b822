import { Route, Routes } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { PlanFigures } from '../commission';

/* Placeholder routes; helper "auditor" replaces this folder's pages. */

function AuditLog() {
  return <PageHeader title="Audit log" />;
}

function AuditCompare() {
  return <PageHeader title="Compare" />;
}

function AuditReplay() {
  return <PageHeader title="Replay check" />;
}

/** Everything under `/audit/*`. */
export function AuditorRoutes() {
  return (
    <Routes>
      <Route index element={<AuditLog />} />
      <Route path="compare" element={<AuditCompare />} />
      <Route path="replay" element={<AuditReplay />} />
      <Route path="plans/:planId/figures" element={<PlanFigures readOnly />} />
    </Routes>
  );
}
