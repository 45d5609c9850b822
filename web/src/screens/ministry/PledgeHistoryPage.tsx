import { useInfiniteQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { ApiError } from '../../api/problems';
import { useAsOf } from '../../asOf';
import { DataTable, type DataTableColumn } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import {
  LineDiffList,
  lineDiffText,
  useLineReference,
  type LineReference,
} from '../../components/lines';
import { formatCountChange, formatDateTime } from '../../lib/format';
import {
  actorLabel,
  fetchPledgeHistoryPage,
  pledgeHistoryKey,
  type PledgeHistoryEntry,
} from './pledgeApi';
import { EVENT_TYPE_LABELS } from './planLabels';
import { usePlan } from '../../api/plans';
import { PledgeTabs } from './PledgePage';
import { useMemberState } from './useMemberState';

type HistoryPage = Awaited<ReturnType<typeof fetchPledgeHistoryPage>>;

function personsChange(entry: PledgeHistoryEntry): string {
  return formatCountChange(entry.diff.personsBefore, entry.diff.personsAfter);
}

function historyColumns(reference: LineReference): DataTableColumn<PledgeHistoryEntry>[] {
  return [
    {
      key: 'version',
      header: 'Version',
      numeric: true,
      rowHeader: true,
      value: (entry) => entry.version,
    },
    {
      key: 'change',
      header: 'Change',
      value: (entry) => EVENT_TYPE_LABELS[entry.type] ?? entry.type,
    },
    { key: 'actor', header: 'By', value: (entry) => actorLabel(entry.actor) },
    {
      key: 'time',
      header: 'When',
      value: (entry) => entry.recordedAt,
      cell: (entry) => <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt)}</time>,
    },
    { key: 'reason', header: 'Reason', value: (entry) => entry.reason ?? '' },
    { key: 'persons', header: 'Persons', numeric: true, value: personsChange },
    {
      key: 'diff',
      header: 'What changed',
      value: (entry) => lineDiffText(entry.diff, reference),
      cell: (entry) => (
        <LineDiffList
          diff={entry.diff}
          reference={reference}
          emptyMessage={
            entry.type === 'PledgeWithdrawn' ? 'Every line withdrawn.' : 'No line changed.'
          }
        />
      ),
    },
  ];
}

/** `/ministry/plans/:planId/history`: every version of our pledge, oldest first, with its diff. */
export function PledgeHistoryPage() {
  const { planId = '' } = useParams();
  const memberState = useMemberState();
  const { asOf } = useAsOf();
  const plan = usePlan(planId);
  const reference = useLineReference(plan.data);
  const history = useInfiniteQuery<
    HistoryPage,
    ApiError,
    { pages: HistoryPage[] },
    readonly unknown[],
    number | undefined
  >({
    queryKey: [...pledgeHistoryKey(planId, memberState), { asOf: asOf ?? null }],
    queryFn: ({ pageParam }) => fetchPledgeHistoryPage(planId, memberState, asOf, pageParam),
    initialPageParam: undefined,
    getNextPageParam: (page) => page.nextAfterVersion ?? undefined,
  });
  const entries = history.data?.pages.flatMap((page) => page.versions) ?? [];
  const problem = plan.error ?? reference.error ?? history.error;

  return (
    <>
      <PageHeader
        title={`History of our pledge for plan ${planId}`}
        lead={`Every version of the pledge of ${memberState}, oldest first: who changed it, when, why, and what changed.`}
      />
      <PledgeTabs planId={planId} adopted={plan.data?.status === 'adopted'} />
      {problem && (
        <ProblemAlert problem={problem.problem} title="The history could not be loaded" />
      )}
      {!problem && (history.isPending || reference.isPending) && (
        <Loading label="Loading the history" />
      )}
      {history.data && reference.reference && (
        <>
          <DataTable
            caption={`Versions of the pledge of ${memberState} for plan ${planId}`}
            columns={historyColumns(reference.reference)}
            rows={entries}
            rowKey={(entry) => String(entry.version)}
            csvFileName={`pledge-history-${planId}-${memberState}`}
            emptyMessage="No pledge has been recorded for this plan yet."
          />
          {history.hasNextPage && (
            <p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void history.fetchNextPage()}
                disabled={history.isFetchingNextPage}
              >
                {history.isFetchingNextPage ? 'Loading more versions…' : 'Load more'}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
