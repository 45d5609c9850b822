/**
 * The reference lists (host countries, UNHCR regions, target groups, Member States). They change
 * with a release, not with the log: each is read once per visit (`staleTime: Infinity`), under one
 * key for every screen that shows it.
 */
import { api } from './client';
import { apiQuery } from './hooks';

const FOR_THE_VISIT = { staleTime: Infinity } as const;

export const hostCountriesQuery = (asOf: string | undefined) =>
  apiQuery(
    ['reference', 'host-countries'],
    () => api.GET('/api/v1/reference/host-countries'),
    asOf,
    FOR_THE_VISIT,
  );

export const regionsQuery = (asOf: string | undefined) =>
  apiQuery(
    ['reference', 'regions'],
    () => api.GET('/api/v1/reference/regions'),
    asOf,
    FOR_THE_VISIT,
  );

export const targetGroupsQuery = (asOf: string | undefined) =>
  apiQuery(
    ['reference', 'target-groups'],
    () => api.GET('/api/v1/reference/target-groups'),
    asOf,
    FOR_THE_VISIT,
  );

export const memberStatesQuery = (asOf: string | undefined) =>
  apiQuery(
    ['reference', 'member-states'],
    () => api.GET('/api/v1/reference/member-states'),
    asOf,
    FOR_THE_VISIT,
  );
