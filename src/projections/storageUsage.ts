import type { Projection } from './projection';
import { serializedByteLength } from './serializedSize';

/**
 * What each participant's pledge and monthly report streams hold, in bytes: the UTF-8 size of
 * every pledge and report event's serialized data, summed across plans (a report the Commission
 * records on a participant's behalf counts as that participant's, like any of its reports). The storage quota per Member State is checked against it
 * before a pledge is appended; being a fold over the log, it is the same on every replica and
 * after every rebuild, and no store needs a size query of its own.
 */
export interface StorageUsageState {
  position: number;
  /** Canonical participant code → bytes of event data its pledge and report streams hold. */
  readonly bytesByMemberState: Map<string, number>;
}

export const storageUsage: Projection<StorageUsageState> = {
  name: 'storageUsage',
  initialState: () => ({ position: 0, bytesByMemberState: new Map() }),
  apply(state, recorded) {
    if (recorded.globalPosition <= state.position) return state;
    state.position = recorded.globalPosition;
    switch (recorded.type) {
      case 'PledgeSubmitted':
      case 'PledgeRevised':
      case 'PledgeWithdrawn':
      case 'ImplementationReportSubmitted':
      case 'ImplementationReportCorrected': {
        const { memberState } = recorded.data;
        const bytes = serializedByteLength(recorded.data);
        state.bytesByMemberState.set(
          memberState,
          (state.bytesByMemberState.get(memberState) ?? 0) + bytes,
        );
        break;
      }
      default:
        // Plan events are the Commission's: they count against no Member State.
        break;
    }
    return state;
  },
};

/** The bytes a participant's pledge and report streams hold (0 before its first write). */
export function storedBytesOf(state: StorageUsageState, memberState: string): number {
  return state.bytesByMemberState.get(memberState) ?? 0;
}
