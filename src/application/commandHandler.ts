import type { Actor, Decider } from '../domain/shared/messages';
import {
  ConcurrencyConflictError,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type IdempotencyClaim,
  type StreamVersion,
} from '../eventStore/port';

/** Who, when, why and under which request a command runs; the domain gets none of it but `now`. */
export interface CommandEnvelope {
  readonly actor: Actor;
  /** ISO instant from the injected clock. */
  readonly now: string;
  readonly correlationId: string;
  /** Id of the request (command) that caused the events. */
  readonly causationId: string;
  readonly reason?: string;
  readonly idempotency?: IdempotencyClaim;
  /** The version the caller saw (If-Match); absent = the version read now, retried on a race. */
  readonly expectedVersion?: StreamVersion;
}

export interface CommandResult<State> {
  readonly streamId: string;
  /** The stream's state after the command (or after the first run, on an idempotent replay). */
  readonly state: State;
  readonly version: StreamVersion;
  readonly position: GlobalPosition;
  readonly replayed: boolean;
  readonly eventTypes: readonly string[];
}

interface DomainEventShape {
  readonly type: string;
  readonly data: unknown;
}

export interface CommandHandlerDeps {
  readonly store: EventStore;
  readonly newId: () => string;
}

const RACE_RETRIES = 3;

/**
 * The one generic command handler: read the stream, fold it, decide, append with the version read.
 * A race lost without a caller-given version is retried on fresh state; with one (If-Match) it is
 * the caller's conflict. A repeated idempotency key returns the first result and decides nothing.
 */
export async function handleCommand<State, Command, Event extends DomainEventShape>(
  deps: CommandHandlerDeps,
  streamId: string,
  decider: Decider<State, Command, Event>,
  toCommand: (state: State) => Command | Promise<Command>,
  envelope: CommandEnvelope,
): Promise<CommandResult<State>> {
  const { store } = deps;
  if (envelope.idempotency) {
    const earlier = await store.findIdempotentResult(envelope.idempotency);
    if (earlier)
      return replayResult(
        deps,
        earlier.streamId,
        decider,
        earlier.nextExpectedVersion,
        earlier.lastPosition,
      );
  }
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await foldStream(store, streamId, decider);
    if (envelope.expectedVersion !== undefined && envelope.expectedVersion !== version) {
      throw new ConcurrencyConflictError(streamId, envelope.expectedVersion, version);
    }
    const command = await toCommand(state);
    const events = decider.decide(command, state);
    const toAppend = events.map((event) => toEventToAppend(deps, event, envelope));
    try {
      const result = await store.append(streamId, toAppend, {
        expectedVersion: version === 0 ? 'no_stream' : version,
        ...(envelope.idempotency && { idempotency: envelope.idempotency }),
      });
      if (result.replayed) {
        return replayResult(
          deps,
          result.streamId,
          decider,
          result.nextExpectedVersion,
          result.lastPosition,
        );
      }
      return {
        streamId,
        state: events.reduce(decider.evolve, state),
        version: result.nextExpectedVersion,
        position: result.lastPosition,
        replayed: false,
        eventTypes: events.map((event) => event.type),
      };
    } catch (error) {
      const retry =
        error instanceof ConcurrencyConflictError &&
        envelope.expectedVersion === undefined &&
        attempt < RACE_RETRIES;
      if (!retry) throw error;
    }
  }
}

/** Folds a stream (optionally up to a version) with a decider's evolve. */
export async function foldStream<State, Event>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<State, unknown, Event>, 'evolve' | 'initialState'>,
  upToVersion?: StreamVersion,
): Promise<{ state: State; version: StreamVersion }> {
  const { events, version } = await store.readStream(
    streamId,
    upToVersion === undefined ? undefined : { upToVersion },
  );
  // Stored events are the domain's own facts; the stream id fixes which union they belong to.
  const state = events.reduce(
    (current, recorded) =>
      decider.evolve(current, { type: recorded.type, data: recorded.data } as Event),
    decider.initialState(),
  );
  return { state, version };
}

async function replayResult<State, Command, Event>(
  deps: CommandHandlerDeps,
  streamId: string,
  decider: Decider<State, Command, Event>,
  version: StreamVersion,
  position: GlobalPosition,
): Promise<CommandResult<State>> {
  const { state } = await foldStream(deps.store, streamId, decider, version);
  return { streamId, state, version, position, replayed: true, eventTypes: [] };
}

function toEventToAppend(
  deps: CommandHandlerDeps,
  event: DomainEventShape,
  envelope: CommandEnvelope,
): EventToAppend {
  return {
    id: deps.newId(),
    type: event.type,
    data: event.data,
    metadata: {
      actor: envelope.actor,
      recordedAt: envelope.now,
      ...(envelope.reason !== undefined && { reason: envelope.reason }),
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      ...(envelope.idempotency && { idempotencyKey: envelope.idempotency.key }),
    },
  };
}
