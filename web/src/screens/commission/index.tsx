import { Route, Routes, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

/* Placeholder routes; helper "commission" replaces this folder's pages. */

function CommissionHome() {
  return <PageHeader title="Plans" />;
}

function CommissionPlan() {
  const { planId = '' } = useParams();
  return <PageHeader title={`Plan ${planId}`} />;
}

/** The plan's figures; the auditor's `/audit/plans/:planId/figures` shows it read-only. */
export function PlanFigures({ readOnly = false }: { readonly readOnly?: boolean }) {
  const { planId = '' } = useParams();
  return (
    <PageHeader title={`Figures of plan ${planId}`} lead={readOnly ? 'Read only.' : undefined} />
  );
}

function CommissionAnnex() {
  const { planId = '' } = useParams();
  return <PageHeader title={`Annex of plan ${planId}`} />;
}

/** Everything under `/commission/*`. */
export function CommissionRoutes() {
  return (
    <Routes>
      <Route index element={<CommissionHome />} />
      <Route path="plans/:planId" element={<CommissionPlan />} />
      <Route path="plans/:planId/figures" element={<PlanFigures />} />
      <Route path="plans/:planId/annex" element={<CommissionAnnex />} />
    </Routes>
  );
}
