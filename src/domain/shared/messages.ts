/** Who may act in the tracker. Auditors read; they never appear as the actor of an event. */
export type Role = 'member_state' | 'commission' | 'auditor';

export interface Actor {
  /** Stable name of the principal, e.g. the token name `de-ministry`. */
  readonly id: string;
  readonly role: Role;
  /** Set for `member_state` actors: the participant they act for (canonical code). */
  readonly memberState?: string;
}

/** What every recorded event carries besides its data: who, when, why, and its causal chain. */
export interface EventMetadata {
  readonly actor: Actor;
  /** ISO 8601 instant from the injected clock. */
  readonly recordedAt: string;
  readonly reason?: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly idempotencyKey?: string;
}

export interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: EventMetadata;
}

export interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * A decider in the Emmett/Dudycz shape: `decide` validates a command against the state folded
 * from the stream and returns the new events; `evolve` folds one recorded event into the state.
 */
export interface Decider<State, Cmd, Evt> {
  readonly decide: (command: Cmd, state: State) => readonly Evt[];
  readonly evolve: (state: State, event: Evt) => State;
  readonly initialState: () => State;
}
