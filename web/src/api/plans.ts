/**
 * The plan read every role's screens share, under one cache key: a write by any screen
 * invalidates `['plan', planId]` and every view of that plan reads again.
 */
import { useQuery } from '@tanstack/react-query';
import { useAsOf } from '../asOf/AsOfProvider';
import { api } from './client';
import { apiQuery } from './hooks';

export const planKey = (planId: string) => ['plan', planId] as const;

/** The plan as of `asOf` (now when undefined). */
export const planQuery = (planId: string, asOf: string | undefined) =>
  apiQuery(
    planKey(planId),
    (asOf) => api.GET('/api/v1/plans/{planId}', { params: { path: { planId }, query: { asOf } } }),
    asOf,
  );

/** The plan, as of the global `asOf`. */
export function usePlan(planId: string) {
  const { asOf } = useAsOf();
  return useQuery(planQuery(planId, asOf));
}
