import { infiniteQueryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { apiQuery, unwrap } from '../../api/hooks';
import { planKey, planQuery, usePlan } from '../../api/plans';
import { hostCountriesQuery, memberStatesQuery, regionsQuery } from '../../api/reference';
import { useAsOf } from '../../asOf';
import type { FiguresView } from './labels';

export { planKey, planQuery, usePlan };

/*
 * The reads the Commission's screens share, each through the generated client and cached under a
 * key the writes invalidate: `['plan', planId]` covers the plan and everything read about it.
 */

export const PLANS_KEY = ['plans'] as const;

const PLANS_PAGE_SIZE = 25;

/**
 * The plans by id, a page at a time, as of the time-travel control (their stages then, and only
 * the plans that existed); `fetchNextPage` follows the server's cursor.
 */
export const planPagesQuery = (asOf: string | undefined) =>
  infiniteQueryOptions({
    // Under `PLANS_KEY`, so a write's invalidation of the plans reaches every cut.
    queryKey: [...PLANS_KEY, { asOf: asOf ?? null }],
    queryFn: ({ pageParam }: { pageParam: string | undefined }) => readPlansPage(pageParam, asOf),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextAfter ?? undefined,
  });

export function usePlanPages() {
  const { asOf } = useAsOf();
  return useInfiniteQuery(planPagesQuery(asOf));
}

/** One page of the plans as of `asOf` (now when undefined). */
export function readPlansPage(after: string | undefined, asOf: string | undefined) {
  return unwrap(
    api.GET('/api/v1/plans', {
      params: {
        query: {
          limit: String(PLANS_PAGE_SIZE),
          ...(after !== undefined && { after }),
          ...(asOf !== undefined && { asOf }),
        },
      },
    }),
  );
}

export const pledgesQuery = (planId: string, asOf: string | undefined) =>
  apiQuery(
    [...planKey(planId), 'pledges'],
    (asOf) =>
      api.GET('/api/v1/plans/{planId}/pledges', { params: { path: { planId }, query: { asOf } } }),
    asOf,
  );

export function usePledges(planId: string) {
  const { asOf } = useAsOf();
  return useQuery(pledgesQuery(planId, asOf));
}

export const totalsQuery = (planId: string, view: FiguresView, asOf: string | undefined) =>
  apiQuery(
    [...planKey(planId), 'totals', view],
    (asOf) =>
      api.GET('/api/v1/plans/{planId}/totals', {
        params: { path: { planId }, query: { view, asOf } },
      }),
    asOf,
  );

export function useTotals(planId: string, view: FiguresView) {
  const { asOf } = useAsOf();
  return useQuery(totalsQuery(planId, view, asOf));
}

export const complianceQuery = (planId: string, view: FiguresView, asOf: string | undefined) =>
  apiQuery(
    [...planKey(planId), 'compliance', view],
    (asOf) =>
      api.GET('/api/v1/plans/{planId}/compliance', {
        params: { path: { planId }, query: { view, asOf } },
      }),
    asOf,
  );

export function useCompliance(planId: string, view: FiguresView) {
  const { asOf } = useAsOf();
  return useQuery(complianceQuery(planId, view, asOf));
}

export interface ReadOptions {
  /** Starts the read without re-rendering the caller when it lands (for a page starting it early). */
  readonly quiet?: boolean;
}

function quietly(options: ReadOptions | undefined): { notifyOnChangeProps?: [] } {
  return options?.quiet === true ? { notifyOnChangeProps: [] } : {};
}

export const timelineQuery = (planId: string, asOf: string | undefined) =>
  apiQuery(
    [...planKey(planId), 'timeline'],
    (asOf) =>
      api.GET('/api/v1/plans/{planId}/timeline', { params: { path: { planId }, query: { asOf } } }),
    asOf,
  );

export function useTimeline(planId: string, options?: ReadOptions) {
  const { asOf } = useAsOf();
  return useQuery({ ...timelineQuery(planId, asOf), ...quietly(options) });
}

export function useHostCountries() {
  const { asOf } = useAsOf();
  return useQuery(hostCountriesQuery(asOf));
}

export function useUnhcrRegions(options?: ReadOptions) {
  const { asOf } = useAsOf();
  return useQuery({ ...regionsQuery(asOf), ...quietly(options) });
}

export function useMemberStates(options?: ReadOptions) {
  const { asOf } = useAsOf();
  return useQuery({ ...memberStatesQuery(asOf), ...quietly(options) });
}

/** A plan write's If-Match: the plan's stream version, which is its ETag (`"3"`). */
export function ifMatch(version: number): { 'If-Match': string } {
  return { 'If-Match': `"${version}"` };
}
