/**
 * One participant's part of the plan's fulfilment view: its own row (a Member State's, or an
 * associated state's from their own section, Art. 12), its AMIF rows, and the checks that name it.
 */
import type {
  Fulfilment,
  FulfilmentCheck,
  ParticipantFulfilment,
} from '../../../api/implementation';

export type { FulfilmentCheck };
export type AmifRow = Fulfilment['amif']['byMemberStateAndYear'][number];

export interface OwnFulfilment {
  readonly row: ParticipantFulfilment;
  /** Associated states are in no plan total, percentage, check or AMIF figure. */
  readonly kind: 'member_state' | 'associated_state';
  readonly amif: readonly AmifRow[];
  readonly checks: readonly FulfilmentCheck[];
}

/** Whether a check's figures name the participant (its rows carry `memberState`). */
export function namesParticipant(check: FulfilmentCheck, memberState: string): boolean {
  return check.rows.some((row) => row['memberState'] === memberState);
}

/** The participant's own part, or undefined when the plan holds neither contribution nor report of it. */
export function ownFulfilment(
  fulfilment: Fulfilment,
  memberState: string,
): OwnFulfilment | undefined {
  const asMemberState = fulfilment.memberStates.find((row) => row.memberState === memberState);
  if (asMemberState !== undefined) {
    return {
      row: asMemberState,
      kind: 'member_state',
      amif: fulfilment.amif.byMemberStateAndYear.filter((row) => row.memberState === memberState),
      checks: fulfilment.checks.filter((check) => namesParticipant(check, memberState)),
    };
  }
  const asAssociated = fulfilment.associatedStates.byParticipant.find(
    (row) => row.memberState === memberState,
  );
  if (asAssociated === undefined) return undefined;
  return { row: asAssociated, kind: 'associated_state', amif: [], checks: [] };
}

/** Where the admissions stand against the pace: ahead, on it, or behind (below 80 % of it). */
export function paceState(row: {
  readonly admitted: number;
  readonly expectedByNow: number;
}): 'ahead' | 'on_pace' | 'behind' {
  // The 80 % is the tracker's own threshold, as the `behind_pace` check uses (not the Regulation's).
  if (row.admitted < 0.8 * row.expectedByNow) return 'behind';
  return row.admitted > row.expectedByNow ? 'ahead' : 'on_pace';
}
