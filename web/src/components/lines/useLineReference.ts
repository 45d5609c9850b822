import { useMemo } from 'react';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import type { ApiError } from '../../api/problems';
import { periodYears, type LineReference, type PlanRegion } from './lineModel';

/** Reference lists change with a release, not with the log: read once per visit. */
const REFERENCE_OPTIONS = { staleTime: Infinity } as const;

export interface LineReferenceState {
  readonly reference: LineReference | undefined;
  readonly isPending: boolean;
  readonly error: ApiError | null;
}

/** The reference lists an editor needs, with the plan's own regions and period years. */
export function useLineReference(
  plan:
    | {
        readonly regions: readonly PlanRegion[];
        readonly periodStart: string;
        readonly periodEnd: string;
      }
    | undefined,
): LineReferenceState {
  const hostCountries = useApiQuery(
    ['reference', 'host-countries'],
    () => api.GET('/api/v1/reference/host-countries'),
    REFERENCE_OPTIONS,
  );
  const regions = useApiQuery(
    ['reference', 'regions'],
    () => api.GET('/api/v1/reference/regions'),
    REFERENCE_OPTIONS,
  );
  const targetGroups = useApiQuery(
    ['reference', 'target-groups'],
    () => api.GET('/api/v1/reference/target-groups'),
    REFERENCE_OPTIONS,
  );
  const error = hostCountries.error ?? regions.error ?? targetGroups.error ?? null;
  const regionsOfPlan = plan?.regions;
  const periodStart = plan?.periodStart;
  const periodEnd = plan?.periodEnd;
  // One object while nothing changes, so the pickers' filtering is not redone at every keystroke.
  const reference = useMemo<LineReference | undefined>(
    () =>
      regionsOfPlan !== undefined &&
      periodStart !== undefined &&
      periodEnd !== undefined &&
      hostCountries.data &&
      regions.data &&
      targetGroups.data
        ? {
            hostCountries: hostCountries.data.hostCountries,
            unhcrRegions: regions.data.regions,
            targetGroups: targetGroups.data.targetGroups,
            planRegions: regionsOfPlan,
            years: periodYears(periodStart, periodEnd),
          }
        : undefined,
    [regionsOfPlan, periodStart, periodEnd, hostCountries.data, regions.data, targetGroups.data],
  );
  return { reference, isPending: reference === undefined && error === null, error };
}
