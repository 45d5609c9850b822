/**
 * The reads of a Commission screen, into the cache before the app's first render: the screen then
 * renders once, with its data, instead of rendering, laying out and painting loading lines first.
 * Each read is the one the screen's hooks make (the same query options, so the same key and URL):
 * the screen finds it in the cache; the reads started early (`api/earlyReads.ts`) answer them.
 */
import type { QueryClient } from '@tanstack/react-query';
import { fulfilmentQuery, reportListQuery } from '../../api/implementation';
import { memberStatesQuery, regionsQuery } from '../../api/reference';
import { pathCapture } from '../../lib/routeParams';
import { shownView, VIEW_PARAM } from './labels';
import {
  complianceQuery,
  planPagesQuery,
  planQuery,
  pledgesQuery,
  timelineQuery,
  totalsQuery,
} from './planApi';

const NOW = undefined;

/**
 * Reads the data of the Commission screen at `pathname?search` (a path under `/commission`, read
 * now) into `queryClient`; settles once every read has, and never rejects: a failed read is left
 * for the screen to show.
 */
export async function prefetchCommissionScreen(
  queryClient: QueryClient,
  pathname: string,
  search: string,
): Promise<void> {
  if (/^\/commission\/?$/.test(pathname)) {
    await queryClient.prefetchInfiniteQuery(planPagesQuery(NOW));
    return;
  }
  let planId = pathCapture(pathname, /^\/commission\/plans\/([^/]+)\/?$/);
  if (planId !== undefined) {
    const id = planId;
    await Promise.all([
      queryClient.prefetchQuery(pledgesQuery(id, NOW)),
      (async () => {
        await queryClient.prefetchQuery(planQuery(id, NOW));
        // A proposed plan opens on the adoption's editor, whose picker lists the Member States.
        if (queryClient.getQueryData(planQuery(id, NOW).queryKey)?.status === 'proposed')
          await queryClient.prefetchQuery(memberStatesQuery(NOW));
      })(),
    ]);
    return;
  }
  planId = pathCapture(pathname, /^\/commission\/plans\/([^/]+)\/figures\/?$/);
  if (planId !== undefined) {
    const id = planId;
    const asked = new URLSearchParams(search).get(VIEW_PARAM);
    await Promise.all([
      queryClient.prefetchQuery(timelineQuery(id, NOW)),
      queryClient.prefetchQuery(memberStatesQuery(NOW)),
      queryClient.prefetchQuery(regionsQuery(NOW)),
      // The totals and checks of the view the plan's status selects: after the plan.
      (async () => {
        await queryClient.prefetchQuery(planQuery(id, NOW));
        const plan = queryClient.getQueryData(planQuery(id, NOW).queryKey);
        if (plan === undefined) return;
        const view = shownView(plan.status, asked);
        await Promise.all([
          queryClient.prefetchQuery(totalsQuery(id, view, NOW)),
          queryClient.prefetchQuery(complianceQuery(id, view, NOW)),
        ]);
      })(),
    ]);
    return;
  }
  planId = pathCapture(pathname, /^\/commission\/plans\/([^/]+)\/fulfilment\/?$/);
  if (planId !== undefined) {
    await Promise.all([
      queryClient.prefetchQuery(planQuery(planId, NOW)),
      queryClient.prefetchQuery(fulfilmentQuery(planId, NOW)),
      queryClient.prefetchQuery(reportListQuery(planId, undefined, NOW)),
      queryClient.prefetchQuery(memberStatesQuery(NOW)),
      queryClient.prefetchQuery(regionsQuery(NOW)),
    ]);
  }
}
