import { Route, Routes, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

/* Placeholder routes; helper "ministry" replaces this folder's pages. */

function MinistryHome() {
  return <PageHeader title="Our pledges" />;
}

function MinistryPlan() {
  const { planId = '' } = useParams();
  return <PageHeader title={`Pledge for plan ${planId}`} />;
}

function MinistryPlanHistory() {
  const { planId = '' } = useParams();
  return <PageHeader title={`History of our pledge for plan ${planId}`} />;
}

/** Everything under `/ministry/*`. */
export function MinistryRoutes() {
  return (
    <Routes>
      <Route index element={<MinistryHome />} />
      <Route path="plans/:planId" element={<MinistryPlan />} />
      <Route path="plans/:planId/history" element={<MinistryPlanHistory />} />
    </Routes>
  );
}
