import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap, useApiQuery } from '../../api/hooks';
import { planKey, usePlan } from '../../api/plans';
import { useAsOf } from '../../asOf';
import type { FiguresView } from './labels';

export { planKey, usePlan };

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
export function usePlanPages() {
  const { asOf } = useAsOf();
  return useInfiniteQuery({
    // Under `PLANS_KEY`, so a write's invalidation of the plans reaches every cut.
    queryKey: [...PLANS_KEY, { asOf: asOf ?? null }],
    queryFn: ({ pageParam }: { pageParam: string | undefined }) => readPlansPage(pageParam, asOf),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextAfter ?? undefined,
  });
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

export function usePledges(planId: string) {
  return useApiQuery([...planKey(planId), 'pledges'], (asOf) =>
    api.GET('/api/v1/plans/{planId}/pledges', { params: { path: { planId }, query: { asOf } } }),
  );
}

export function useTotals(planId: string, view: FiguresView) {
  return useApiQuery([...planKey(planId), 'totals', view], (asOf) =>
    api.GET('/api/v1/plans/{planId}/totals', {
      params: { path: { planId }, query: { view, asOf } },
    }),
  );
}

export function useCompliance(planId: string, view: FiguresView) {
  return useApiQuery([...planKey(planId), 'compliance', view], (asOf) =>
    api.GET('/api/v1/plans/{planId}/compliance', {
      params: { path: { planId }, query: { view, asOf } },
    }),
  );
}

export interface ReadOptions {
  /** Starts the read without re-rendering the caller when it lands (for a page starting it early). */
  readonly quiet?: boolean;
}

function quietly(options: ReadOptions | undefined): { notifyOnChangeProps?: [] } {
  return options?.quiet === true ? { notifyOnChangeProps: [] } : {};
}

export function useTimeline(planId: string, options?: ReadOptions) {
  return useApiQuery(
    [...planKey(planId), 'timeline'],
    (asOf) =>
      api.GET('/api/v1/plans/{planId}/timeline', { params: { path: { planId }, query: { asOf } } }),
    quietly(options),
  );
}

/* Reference data changes with a release, not with the log: cached for the session. */
const REFERENCE = { staleTime: Infinity } as const;

export function useHostCountries() {
  return useApiQuery(
    ['reference', 'host-countries'],
    () => api.GET('/api/v1/reference/host-countries'),
    REFERENCE,
  );
}

export function useUnhcrRegions(options?: ReadOptions) {
  return useApiQuery(['reference', 'regions'], () => api.GET('/api/v1/reference/regions'), {
    ...REFERENCE,
    ...quietly(options),
  });
}

export function useMemberStates(options?: ReadOptions) {
  return useApiQuery(
    ['reference', 'member-states'],
    () => api.GET('/api/v1/reference/member-states'),
    { ...REFERENCE, ...quietly(options) },
  );
}

/** A plan write's If-Match: the plan's stream version, which is its ETag (`"3"`). */
export function ifMatch(version: number): { 'If-Match': string } {
  return { 'If-Match': `"${version}"` };
}
