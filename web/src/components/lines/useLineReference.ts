import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { hostCountriesQuery, regionsQuery, targetGroupsQuery } from '../../api/reference';
import { useAsOf } from '../../asOf/AsOfProvider';
import type { ApiError } from '../../api/problems';
import { periodYears, type LineReference, type PlanRegion } from './lineModel';

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
  const { asOf } = useAsOf();
  const hostCountries = useQuery(hostCountriesQuery(asOf));
  const regions = useQuery(regionsQuery(asOf));
  const targetGroups = useQuery(targetGroupsQuery(asOf));
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
