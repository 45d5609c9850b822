import { z } from 'zod';

/**
 * Who may act in the tracker. Auditors read; they never appear as the actor of an event.
 * Operators run the service (metrics, readiness details) and may use none of the API's actions.
 */
export const ROLES = ['member_state', 'commission', 'auditor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const actorSchema = z
  .object({
    /** Stable name of the principal, e.g. the token name `de-ministry`. */
    id: z.string().min(1),
    role: z.enum(ROLES),
    /** Set for `member_state` actors: the participant they act for (canonical code). */
    memberState: z.string().optional(),
    /**
     * The person's display name, when a person signed in (browser sign-in); absent for a machine
     * client's bearer token and on events recorded before people signed in.
     */
    name: z.string().min(1).max(200).optional(),
  })
  .readonly();
export type Actor = z.output<typeof actorSchema>;

/**
 * What every recorded event carries besides its data: who, when, why, its causal chain, and the
 * version of its data's schema (absent on events written by release 1, which are version 1).
 */
export const eventMetadataSchema = z
  .object({
    actor: actorSchema,
    /** ISO 8601 instant from the injected clock. */
    recordedAt: z.string().min(1),
    reason: z.string().optional(),
    correlationId: z.string(),
    causationId: z.string(),
    idempotencyKey: z.string().optional(),
    schemaVersion: z.number().int().positive().optional(),
  })
  .readonly();
export type EventMetadata = z.output<typeof eventMetadataSchema>;

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
