import { Route, Routes } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session/SessionProvider';
import {
  FulfilmentPage,
  ImplementationPage,
  ReportHistoryPage,
  ReportPage,
} from './implementation';
import { MinistryPlansPage } from './MinistryPlansPage';
import { PledgeHistoryPage } from './PledgeHistoryPage';
import { PledgePage } from './PledgePage';

export { prefetchMinistryScreen } from './prefetch';

/** A ministry account always names its Member State; without one there is nothing to show. */
function NoMemberState() {
  return (
    <>
      <PageHeader title="No Member State on your account" />
      <p>
        Your account has the Member State ministry role but names no Member State. Ask your
        administrator to add it, then sign in again.
      </p>
    </>
  );
}

/** Everything under `/ministry/*`. */
export function MinistryRoutes() {
  const { session } = useSession();
  if (session.actor.memberState === undefined) return <NoMemberState />;
  return (
    <Routes>
      <Route index element={<MinistryPlansPage />} />
      <Route path="plans/:planId" element={<PledgePage />} />
      <Route path="plans/:planId/history" element={<PledgeHistoryPage />} />
      <Route path="plans/:planId/implementation" element={<ImplementationPage />} />
      <Route path="plans/:planId/implementation/:month" element={<ReportPage />} />
      <Route path="plans/:planId/implementation/:month/history" element={<ReportHistoryPage />} />
      <Route path="plans/:planId/fulfilment" element={<FulfilmentPage />} />
    </Routes>
  );
}
