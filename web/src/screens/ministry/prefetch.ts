/**
 * The reads of a ministry screen, into the cache before the app's first render, so the screen
 * renders once with its data (see `screens/commission/prefetch.ts`). The same query options as the
 * screen's hooks: the screen finds each read in the cache.
 */
import type { QueryClient } from '@tanstack/react-query';
import { planQuery } from '../../api/plans';
import { hostCountriesQuery, regionsQuery, targetGroupsQuery } from '../../api/reference';
import { pathCapture } from '../../lib/routeParams';
import { ministryPlansQuery, ownPledgeQuery, pledgeHistoryQuery } from './pledgeApi';

const NOW = undefined;

/**
 * Reads the data of the ministry screen at `pathname` (under `/ministry`, read now) for
 * `memberState` into `queryClient`: the plans and our pledge in each, or a plan with the line
 * editor's reference lists and our pledge (its history on the history page). Settles once every
 * read has, and never rejects: a failed read is left for the screen to show.
 */
export async function prefetchMinistryScreen(
  queryClient: QueryClient,
  pathname: string,
  memberState: string,
): Promise<void> {
  if (/^\/ministry\/?$/.test(pathname)) {
    const plans = ministryPlansQuery(NOW);
    await queryClient.prefetchInfiniteQuery(plans);
    const firstPage = queryClient.getQueryData(plans.queryKey)?.pages[0]?.plans ?? [];
    await Promise.all(
      firstPage.map((plan) =>
        queryClient.prefetchQuery(ownPledgeQuery(plan.planId, memberState, NOW)),
      ),
    );
    return;
  }
  const planId = pathCapture(pathname, /^\/ministry\/plans\/([^/]+)(?:\/history)?\/?$/);
  if (planId === undefined) return;
  const planAndReference = [
    queryClient.prefetchQuery(planQuery(planId, NOW)),
    queryClient.prefetchQuery(hostCountriesQuery(NOW)),
    queryClient.prefetchQuery(regionsQuery(NOW)),
    queryClient.prefetchQuery(targetGroupsQuery(NOW)),
  ];
  await Promise.all([
    ...planAndReference,
    /\/history\/?$/.test(pathname)
      ? queryClient.prefetchInfiniteQuery(pledgeHistoryQuery(planId, memberState, NOW))
      : queryClient.prefetchQuery(ownPledgeQuery(planId, memberState, NOW)),
  ]);
}
