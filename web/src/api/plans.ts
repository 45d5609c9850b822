/**
 * The plan read every role's screens share, under one cache key: a write by any screen
 * invalidates `['plan', planId]` and every view of that plan reads again.
 */
import { api } from './client';
import { useApiQuery } from './hooks';

export const planKey = (planId: string) => ['plan', planId] as const;

/** The plan, as of the global `asOf`. */
export function usePlan(planId: string) {
  return useApiQuery(planKey(planId), (asOf) =>
    api.GET('/api/v1/plans/{planId}', { params: { path: { planId }, query: { asOf } } }),
  );
}
