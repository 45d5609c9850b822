/** Who may take part in the Union Plan: the EU-27 and the four states that may associate. */

export type ParticipantKind = 'member_state' | 'associated_state';

/**
 * `bound`: takes part under the Framework, or may associate itself with the plan's implementation
 * (Art. 12); `not_bound`: Denmark (Protocol 22).
 */
export type Participation = 'bound' | 'not_bound';

export interface Participant {
  readonly code: string;
  readonly name: string;
  readonly kind: ParticipantKind;
  readonly participation: Participation;
  readonly aliases: readonly string[];
}

// Source: Reg. (EU) 2024/1350 recitals on DK and IE, Art. 12 (associated states); EU country codes (EL for
// Greece). Ireland notified its wish to take part on 27 June 2024; the Commission confirmed it on 31 July 2024.
export const PARTICIPANTS: readonly Participant[] = [
  { code: 'AT', name: 'Austria', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'BE', name: 'Belgium', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'BG', name: 'Bulgaria', kind: 'member_state', participation: 'bound', aliases: [] },
  {
    code: 'CH',
    name: 'Switzerland',
    kind: 'associated_state',
    participation: 'bound',
    aliases: [],
  },
  { code: 'CY', name: 'Cyprus', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'CZ', name: 'Czechia', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'DE', name: 'Germany', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'DK', name: 'Denmark', kind: 'member_state', participation: 'not_bound', aliases: [] },
  { code: 'EE', name: 'Estonia', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'EL', name: 'Greece', kind: 'member_state', participation: 'bound', aliases: ['GR'] },
  { code: 'ES', name: 'Spain', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'FI', name: 'Finland', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'FR', name: 'France', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'HR', name: 'Croatia', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'HU', name: 'Hungary', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'IE', name: 'Ireland', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'IS', name: 'Iceland', kind: 'associated_state', participation: 'bound', aliases: [] },
  { code: 'IT', name: 'Italy', kind: 'member_state', participation: 'bound', aliases: [] },
  {
    code: 'LI',
    name: 'Liechtenstein',
    kind: 'associated_state',
    participation: 'bound',
    aliases: [],
  },
  { code: 'LT', name: 'Lithuania', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'LU', name: 'Luxembourg', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'LV', name: 'Latvia', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'MT', name: 'Malta', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'NL', name: 'Netherlands', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'NO', name: 'Norway', kind: 'associated_state', participation: 'bound', aliases: [] },
  { code: 'PL', name: 'Poland', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'PT', name: 'Portugal', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'RO', name: 'Romania', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'SE', name: 'Sweden', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'SI', name: 'Slovenia', kind: 'member_state', participation: 'bound', aliases: [] },
  { code: 'SK', name: 'Slovakia', kind: 'member_state', participation: 'bound', aliases: [] },
] as const satisfies readonly Participant[];

const PARTICIPANTS_BY_CODE: ReadonlyMap<string, Participant> = new Map(
  PARTICIPANTS.flatMap((participant) =>
    [participant.code, ...participant.aliases].map((code) => [code, participant] as const),
  ),
);

/** Case-insensitive, ignores surrounding spaces, and accepts aliases (`GR` finds Greece, `EL`). */
export function findParticipant(code: string): Participant | undefined {
  return PARTICIPANTS_BY_CODE.get(code.trim().toUpperCase());
}

export function canonicalParticipantCode(code: string): string | undefined {
  return findParticipant(code)?.code;
}

export function mayPledge(participant: Participant): boolean {
  return participant.participation === 'bound';
}

/**
 * Iceland, Liechtenstein, Norway and Switzerland (Art. 12): their indications are recorded but
 * stand outside the plan's total, its shares, the Member States' contributions and the AMIF figures.
 */
export function isAssociatedState(code: string): boolean {
  return findParticipant(code)?.kind === 'associated_state';
}
