import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, type Schema } from '../../api/client';
import { unwrap } from '../../api/hooks';
import type { ApiError } from '../../api/problems';
import { ROLE_LABELS } from '../../session/RequireRole';
import { DEFAULT_PAGE_SIZE, type FeedQuery } from './auditFilters';
import { compareNames } from '../../lib/text';

export type AuditFeed = Schema<'AuditFeed'>;
export type AuditFeedEntry = Schema<'AuditFeedEntry'>;
export type ReplayCheck = Schema<'ReplayCheck'>;
export type Plan = Schema<'Plan'>;
export type Pledge = Schema<'Pledge'>;
export type PledgeHistoryEntry = Schema<'PledgeHistoryEntry'>;
export type PlanHistoryEntry = Schema<'PlanHistoryEntry'>;

/*
 * The feed is the log itself: it is not read "as of" anything, so these reads do not go through
 * `useApiQuery` (which adds the global `asOf`); their cache keys say exactly what was asked.
 */

/** The feed's read for `query`: one page of the log. */
export function auditFeedQuery(query: FeedQuery) {
  return queryOptions<AuditFeed, ApiError>({
    queryKey: ['audit-feed', query],
    // The page size the form shows is the one asked for: the server's own default is larger.
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/audit/events', {
          params: { query: { limit: DEFAULT_PAGE_SIZE, ...query } },
        }),
      ),
  });
}

export function useAuditFeed(query: FeedQuery) {
  return useQuery({ ...auditFeedQuery(query), placeholderData: (previous) => previous });
}

/** Every plan id, for the filters and pickers (the list is read now, whatever `asOf` says). */
export const planIdsQuery = queryOptions<readonly string[], ApiError>({
  queryKey: ['plan-ids'],
  queryFn: async () => {
    const list = await unwrap(api.GET('/api/v1/plans', { params: { query: { limit: '1000' } } }));
    return list.plans.map((plan) => plan.planId);
  },
});

export function usePlanIds() {
  return useQuery(planIdsQuery);
}

/** The participants who may pledge (Member States and associated states), by name. */
export const participantsQuery = queryOptions<readonly { code: string; name: string }[], ApiError>({
  queryKey: ['reference', 'member-states'],
  queryFn: async () => {
    const reference = await unwrap(api.GET('/api/v1/reference/member-states'));
    return reference.memberStates
      .filter((state) => state.mayPledge)
      .map(({ code, name }) => ({ code, name }))
      .sort((a, b) => compareNames(a.name, b.name));
  },
  staleTime: Infinity,
});

export function useParticipants() {
  return useQuery(participantsQuery);
}

/** The feed's reads, into the cache before the first render of `/audit?…` (`prefetchAuditorScreen`). */
export function prefetchAuditFeed(queryClient: QueryClient, query: FeedQuery): Promise<unknown> {
  return Promise.all([
    queryClient.prefetchQuery(auditFeedQuery(query)),
    queryClient.prefetchQuery(planIdsQuery),
    queryClient.prefetchQuery(participantsQuery),
  ]);
}

/**
 * The person who did it: their recorded name when the event has one (browser sign-ins record it),
 * else the actor id (tokens, and events written before names were recorded).
 */
export function actorName(entry: AuditFeedEntry): string {
  return entry.actorName || entry.actorId;
}

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Readonly<Record<string, string>>)[role] ?? role;
}
