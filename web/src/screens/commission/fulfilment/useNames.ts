import { EXTRA_REGION_LABELS } from '../labels';
import { useMemberStates, useUnhcrRegions } from '../planApi';

export interface Names {
  /** `Germany (DE)`; the code alone while the reference data loads or when it has no name. */
  readonly participant: (code: string) => string;
  readonly region: (id: string) => string;
}

/** Names for the codes the fulfilment view speaks in. */
export function useNames(): Names {
  const memberStates = useMemberStates();
  const regions = useUnhcrRegions();
  return {
    participant: (code) => {
      const name = memberStates.data?.memberStates.find((ms) => ms.code === code)?.name;
      return name === undefined || name === code ? code : `${name} (${code})`;
    },
    region: (id) =>
      regions.data?.regions.find((region) => region.id === id)?.name ??
      EXTRA_REGION_LABELS[id] ??
      id,
  };
}
