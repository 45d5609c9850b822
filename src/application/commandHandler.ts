import type { Actor, Decider } from '../domain/shared/messages';
import {
  ConcurrencyConflictError,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type IdempotencyClaim,
  type RecordedEvent,
  type StreamVersion,
} from '../eventStore/port';
import type { FoldedState, StreamStateCache } from './streamStateCache';
import { currentSchemaVersion, decodeEvent, type TrackerEvent } from '../domain/events';
import { decodeRecordedEvent } from '../events/trackerRecordedEvent';
import { currentDataValidators } from '../events/fastValidators';

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

/** Where streams are folded from. */
export interface StreamSource {
  readonly store: EventStore;
  /** Folded states to start from, so a fold reads only newer events; without it, whole streams. */
  readonly stateCache?: StreamStateCache;
}

export interface CommandHandlerDeps extends StreamSource {
  readonly newId: () => string;
  /**
   * Ids drawn for appends that were refused (a cached state found stale), so never written: the
   * next events take them before drawing new ones, so a stale cache leaves no trace in the log.
   */
  readonly unusedIds?: string[];
}

type Folder<State, Event> = Pick<Decider<State, unknown, Event>, 'evolve' | 'initialState'>;

const RACE_RETRIES = 3;

/**
 * The one generic command handler: read the stream, fold it, decide, append with the version read.
 * A race lost without a caller-given version is retried on fresh state; with one (If-Match) it is
 * the caller's conflict. A repeated idempotency key returns the first result and decides nothing.
 */
export async function handleCommand<State, Command, Event extends TrackerEvent>(
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
  // The first attempt decides on the cached state, unread: the append's expected version checks
  // that it is still the stream's. Any surprise (a lost race, a refusal, nothing decided) is
  // decided again on the stream as read, as if the cache had not been there.
  let cached = cachedCurrentState(deps, streamId, decider, envelope.expectedVersion);
  for (let attempt = 1; ;) {
    const optimistic = cached !== undefined;
    const { state, version } = cached ?? (await foldStream(deps, streamId, decider));
    cached = undefined;
    if (envelope.expectedVersion !== undefined && envelope.expectedVersion !== version) {
      throw new ConcurrencyConflictError(streamId, envelope.expectedVersion, version);
    }
    let events: readonly Event[];
    try {
      const command = await toCommand(state);
      events = decider.decide(command, state);
    } catch (error) {
      if (optimistic) continue;
      throw error;
    }
    if (optimistic && events.length === 0) continue;
    // Each new event checked against its own schema before it is written, and read back as the
    // store will give it (JSON), so the cached state equals a later fold.
    const stored = events.map(asStored);
    const ids = stored.map(() => deps.unusedIds?.shift() ?? deps.newId());
    const toAppend = stored.map((event, index) =>
      toEventToAppend(ids[index] as string, event, envelope),
    );
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
      // Folded as the store gives the events back, so it equals a later fold (and a replay's answer).
      const newState = stored.reduce(decider.evolve, state);
      // Exactly our events follow the version read (an adapter may report otherwise on a retry).
      if (result.nextExpectedVersion === version + events.length) {
        deps.stateCache?.set(streamId, decider, {
          version: result.nextExpectedVersion,
          state: newState,
        });
      }
      return {
        streamId,
        state: newState,
        version: result.nextExpectedVersion,
        position: result.lastPosition,
        replayed: false,
        eventTypes: events.map((event) => event.type),
      };
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      // With If-Match the version was the caller's, whatever the cache held: their conflict.
      if (envelope.expectedVersion !== undefined) throw error;
      if (optimistic) {
        deps.unusedIds?.unshift(...ids);
        continue;
      }
      if (++attempt > RACE_RETRIES) throw error;
    }
  }
}

/**
 * The cached fold of the stream when a command may decide on it without reading: without If-Match,
 * or with an If-Match naming the cached version (naming another, the stream must be read to tell a
 * stale cache from the caller's conflict).
 */
function cachedCurrentState<State, Event>(
  source: StreamSource,
  streamId: string,
  decider: Folder<State, Event>,
  expectedVersion: StreamVersion | undefined,
): FoldedState<State> | undefined {
  const cached = source.stateCache?.get(streamId, decider);
  if (cached === undefined || cached.version === 0) return undefined;
  if (expectedVersion !== undefined && expectedVersion !== cached.version) return undefined;
  return cached;
}

/**
 * Folds a stream (optionally up to a version) with a decider's evolve. With a state cache it starts
 * from the cached state and reads only the events after it, then caches the result; a cached state
 * past `upToVersion` (an idempotent replay of an older write) is not used.
 */
export async function foldStream<State, Event>(
  source: StreamSource,
  streamId: string,
  decider: Folder<State, Event>,
  upToVersion?: StreamVersion,
): Promise<FoldedState<State>> {
  const { store, stateCache } = source;
  const cached = stateCache?.get(streamId, decider);
  const start =
    cached !== undefined && (upToVersion === undefined || cached.version <= upToVersion)
      ? cached
      : undefined;
  const { events, version } = await store.readStream(streamId, {
    ...(start !== undefined && { fromVersion: start.version }),
    ...(upToVersion !== undefined && { upToVersion }),
  });
  if (start !== undefined && version < start.version) {
    // The stream is shorter than the state cached for it, so not the stream that was folded.
    stateCache?.delete(streamId);
    return foldStream({ store }, streamId, decider, upToVersion);
  }
  const state = foldEvents(decider, start?.state ?? decider.initialState(), events);
  // Only a later version is worth keeping (0 is the initial state; `get` marked the stream used).
  if (version > (start?.version ?? 0)) stateCache?.set(streamId, decider, { version, state });
  return { state, version };
}

/** Folds recorded events onto a state with a decider's evolve. */
export function foldEvents<State, Event>(
  decider: Pick<Decider<State, unknown, Event>, 'evolve'>,
  initial: State,
  events: readonly RecordedEvent[],
): State {
  // Decoded (and upcast) once, where the events leave the store; the stream id fixes which
  // union they belong to.
  return events.reduce(
    (current, recorded) => decider.evolve(current, decodeRecordedEvent(recorded) as Event),
    initial,
  );
}

/**
 * An event as the store will give it back (JSON, decoded by today's schema): as a read decodes
 * it (`decodeRecordedEvent`), checked in place by the compiled validator when it is valid as it
 * stands, by zod (which names the problem) otherwise.
 */
function asStored<Event extends TrackerEvent>(event: Event): Event {
  const json: unknown = JSON.parse(JSON.stringify(event.data));
  if (currentDataValidators.get(event.type)?.validate(json) === true) {
    return { type: event.type, data: json } as Event;
  }
  return decodeEvent(event.type, currentSchemaVersion(event.type), json) as Event;
}

async function replayResult<State, Command, Event>(
  deps: CommandHandlerDeps,
  streamId: string,
  decider: Decider<State, Command, Event>,
  version: StreamVersion,
  position: GlobalPosition,
): Promise<CommandResult<State>> {
  const { state } = await foldStream(deps, streamId, decider, version);
  return { streamId, state, version, position, replayed: true, eventTypes: [] };
}

function toEventToAppend(
  id: string,
  event: TrackerEvent,
  envelope: CommandEnvelope,
): EventToAppend {
  return {
    id,
    type: event.type,
    data: event.data,
    metadata: {
      actor: envelope.actor,
      recordedAt: envelope.now,
      ...(envelope.reason !== undefined && { reason: envelope.reason }),
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      ...(envelope.idempotency && { idempotencyKey: envelope.idempotency.key }),
      schemaVersion: currentSchemaVersion(event.type),
    },
  };
}
