import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ApiError } from '../../api/problems';
import { readLatestHead, type CheckedHead } from './logChecks';

/*
 * The log's latest signed head, its signature checked in the browser. Like the feed, it is the log
 * as it stands now: time travel does not apply, so the key holds no `asOf`.
 */
export const LATEST_HEAD_KEY = ['audit-log', 'latest-head'] as const;

export function useLatestHead() {
  return useQuery<CheckedHead, ApiError>({ queryKey: LATEST_HEAD_KEY, queryFn: readLatestHead });
}

/**
 * Reads the latest head again (a check runs against the log as it is at that moment, not as it was
 * when the page opened) and puts it in the cache, so the page shows the head the check used.
 */
export function useReadLatestHead(): () => Promise<CheckedHead> {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      queryClient.fetchQuery({ queryKey: LATEST_HEAD_KEY, queryFn: readLatestHead, staleTime: 0 }),
    [queryClient],
  );
}
