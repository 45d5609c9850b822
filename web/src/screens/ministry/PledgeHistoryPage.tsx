import { useInfiniteQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { usePlan } from '../../api/plans';
import { useAsOf } from '../../asOf';
import { PageHeader } from '../../components/PageHeader';
import { LineDiffList, lineDiffText, useLineReference } from '../../components/lines';
import { formatCountChange } from '../../lib/format';
import { VersionHistory } from './editing/VersionHistory';
import { pledgeHistoryQuery, type PledgeHistoryEntry } from './pledgeApi';
import { EVENT_TYPE_LABELS } from './planLabels';
import { PledgeTabs } from './PledgePage';
import { useMemberState } from './useMemberState';

function personsChange(entry: PledgeHistoryEntry): string {
  return formatCountChange(entry.diff.personsBefore, entry.diff.personsAfter);
}

/** `/ministry/plans/:planId/history`: every version of our pledge, oldest first, with its diff. */
export function PledgeHistoryPage() {
  const { planId = '' } = useParams();
  const memberState = useMemberState();
  const { asOf } = useAsOf();
  const plan = usePlan(planId);
  const reference = useLineReference(plan.data);
  const history = useInfiniteQuery(pledgeHistoryQuery(planId, memberState, asOf));

  return (
    <>
      <PageHeader
        title={`History of our pledge for plan ${planId}`}
        lead={`Every version of the pledge of ${memberState}, oldest first: who changed it, when, why, and what changed.`}
      />
      <PledgeTabs planId={planId} adopted={plan.data?.status === 'adopted'} />
      <VersionHistory
        history={history}
        reference={reference.reference}
        problem={plan.error ?? reference.error ?? history.error}
        isPending={history.isPending || reference.isPending}
        typeLabels={EVENT_TYPE_LABELS}
        count={{ header: 'Persons', change: personsChange }}
        diff={{
          text: (entry, lineReference) => lineDiffText(entry.diff, lineReference),
          cell: (entry, lineReference) => (
            <LineDiffList
              diff={entry.diff}
              reference={lineReference}
              emptyMessage={
                entry.type === 'PledgeWithdrawn' ? 'Every line withdrawn.' : 'No line changed.'
              }
            />
          ),
        }}
        caption={`Versions of the pledge of ${memberState} for plan ${planId}`}
        csvFileName={`pledge-history-${planId}-${memberState}`}
        emptyMessage="No pledge has been recorded for this plan yet."
      />
    </>
  );
}
