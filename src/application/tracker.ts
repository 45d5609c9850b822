import type { Actor } from '../domain/shared/messages';
import type { Contribution, PledgeLine } from '../domain/shared/pledgeLine';
import { participatingCode } from '../domain/shared/lineValidation';
import { PARTICIPANTS, mayPledge } from '../domain/reference';
import {
  unionPlanDecider,
  unionPlanStreamId,
  type CreateUnionPlan,
  type RecordAdoption,
  type RecordAmendment,
  type UnionPlanCommand,
  type UnionPlanState,
} from '../domain/unionPlan/unionPlan';
import {
  pledgeDecider,
  pledgeStreamId,
  type PledgeCommand,
  type PledgeEvent,
  type PledgeState,
  type PledgingContext,
} from '../domain/pledge/pledge';
import type { EventStore, IdempotencyClaim, StreamVersion } from '../eventStore/port';
import { decodeRecordedEvent } from '../events/trackerRecordedEvent';
import {
  foldStream,
  handleCommand,
  type CommandEnvelope,
  type CommandHandlerDeps,
  type CommandResult,
} from './commandHandler';
import { authorize } from './accessPolicy';
import { planRecordFromStream } from '../projections/planReadModel/planRecordFromStream';
import { StreamStateCache } from './streamStateCache';

export interface TrackerDeps {
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly newId: () => string;
  /**
   * How many streams' folded states to keep between commands, so a write reads only the events
   * appended since (default `STREAM_STATE_CACHE_CAPACITY`; 0 = none: every fold reads it all).
   */
  readonly stateCacheCapacity?: number;
}

/** What the edge (HTTP, CLI, seeding) knows about a request. */
export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly requestId: string;
  readonly idempotency?: IdempotencyClaim;
  readonly expectedVersion?: StreamVersion;
}

export type PlanResult = CommandResult<UnionPlanState>;
export type PledgeResult = CommandResult<PledgeState> & { readonly memberState: string };

export type CreatePlanInput = CreateUnionPlan['data'];

/** What the edge supplies; the plan id comes from the path. */
type FromEdge<C extends { readonly data: object }> = Omit<C['data'], 'planId'>;
export type AdoptionInput = FromEdge<RecordAdoption>;
export type AmendmentInput = FromEdge<RecordAmendment>;

export type Tracker = ReturnType<typeof createTracker>;

/** The write side: every use case of the tracker, each one command on one stream. */
export function createTracker(deps: TrackerDeps) {
  const handlerDeps: CommandHandlerDeps = {
    store: deps.store,
    newId: deps.newId,
    stateCache: new StreamStateCache(deps.stateCacheCapacity),
  };

  const envelope = (context: RequestContext, reason?: string): CommandEnvelope => ({
    actor: context.actor,
    now: deps.clock().toISOString(),
    correlationId: context.correlationId,
    causationId: context.requestId,
    ...(reason !== undefined && reason.trim().length > 0 && { reason: reason.trim() }),
    ...(context.idempotency && { idempotency: context.idempotency }),
    ...(context.expectedVersion !== undefined && { expectedVersion: context.expectedVersion }),
  });

  const readPlan = async (planId: string): Promise<UnionPlanState> =>
    (await foldStream(handlerDeps, unionPlanStreamId(planId), unionPlanDecider)).state;

  const readPledge = async (planId: string, memberState: string) =>
    foldStream(handlerDeps, pledgeStreamId(planId, memberState), pledgeDecider);

  // async, so a refused actor rejects the promise like every other failure instead of throwing.
  const onPlan = async (
    planId: string,
    context: RequestContext,
    toCommand: (state: UnionPlanState, now: string) => UnionPlanCommand | Promise<UnionPlanCommand>,
    reason?: string,
  ): Promise<PlanResult> => {
    authorize(context.actor, 'plan.lifecycle');
    const env = envelope(context, reason);
    return handleCommand(
      handlerDeps,
      unionPlanStreamId(planId),
      unionPlanDecider,
      (state) => toCommand(state, env.now),
      env,
    );
  };

  const onPledge = async (
    planId: string,
    memberStateCode: string,
    context: RequestContext,
    toCommand: (pledgeContext: PledgingContext, state: PledgeState) => PledgeCommand,
    reason?: string,
  ): Promise<PledgeResult> => {
    const memberState = participatingCode(memberStateCode);
    authorize(context.actor, 'pledge.write', { memberState });
    const env = envelope(context, reason);
    const result = await handleCommand(
      handlerDeps,
      pledgeStreamId(planId, memberState),
      pledgeDecider,
      // Read on every attempt, so a retried race also sees the plan's latest status.
      async (state) =>
        toCommand({ plan: await readPlan(planId), memberState, now: env.now }, state),
      env,
    );
    return { ...result, memberState };
  };

  /**
   * Every participant's current indication, read from the streams themselves (not a projection).
   * A pledge decided against an open round can still land just after the closing (the two streams
   * are written separately): such a late write stays out of the proposal, while the log keeps it.
   * Changes decided after the closing (indications lowered or withdrawn) count.
   */
  const compileContributions = async (planId: string): Promise<Contribution[]> => {
    const planEvents = (await deps.store.readStream(unionPlanStreamId(planId))).events;
    const closing = [...planEvents].reverse().find((event) => event.type === 'PledgingClosed');
    const closedAt = closing?.globalPosition ?? Number.POSITIVE_INFINITY;
    const candidates = PARTICIPANTS.filter((participant) => mayPledge(participant));
    const pledges = await Promise.all(
      candidates.map(async ({ code }) => {
        const { events } = await deps.store.readStream(pledgeStreamId(planId, code));
        const counted = events
          .map(decodeRecordedEvent)
          .filter(
            (recorded) =>
              recorded.globalPosition < closedAt ||
              !('planStatus' in recorded.data) ||
              recorded.data.planStatus !== 'pledging_open',
          );
        const state = counted.reduce(
          (current, recorded) => pledgeDecider.evolve(current, recorded as PledgeEvent),
          pledgeDecider.initialState(),
        );
        return { memberState: code, state };
      }),
    );
    return pledges.flatMap(({ memberState, state }) =>
      state.status === 'active' ? [{ memberState, lines: state.lines }] : [],
    );
  };

  /** The plan's record as of a version of its stream, for the write's response. */
  const readPlanRecord = async (planId: string, version: number) =>
    planRecordFromStream(
      (await deps.store.readStream(unionPlanStreamId(planId), { upToVersion: version })).events,
    );

  return {
    readPlan,
    readPledge,
    readPlanRecord,

    createPlan: (input: CreatePlanInput, context: RequestContext) =>
      onPlan(input.planId, context, () => ({ type: 'CreateUnionPlan', data: input })),

    openPledging: (
      planId: string,
      input: { readonly deadline?: string },
      context: RequestContext,
    ) =>
      onPlan(planId, context, (_state, now) => ({
        type: 'OpenPledging',
        data: { planId, now, ...(input.deadline !== undefined && { deadline: input.deadline }) },
      })),

    closePledging: (planId: string, context: RequestContext) =>
      onPlan(planId, context, () => ({ type: 'ClosePledging', data: { planId } })),

    recordProposal: (
      planId: string,
      input: { readonly reference: string; readonly proposedOn: string },
      context: RequestContext,
    ) =>
      onPlan(planId, context, async () => ({
        type: 'RecordProposal',
        data: {
          planId,
          ...input,
          contributions: await compileContributions(planId),
        },
      })),

    recordAdoption: (planId: string, input: AdoptionInput, context: RequestContext) =>
      onPlan(planId, context, () => ({
        type: 'RecordAdoption',
        data: { planId, ...input },
      })),

    recordAmendment: (planId: string, input: AmendmentInput, context: RequestContext) =>
      onPlan(
        planId,
        context,
        () => ({ type: 'RecordAmendment', data: { planId, ...input } }),
        input.reason,
      ),

    /**
     * PUT semantics: no current pledge (none, or withdrawn) → submit; an active one → revise.
     * The caller's If-Match / If-None-Match arrive as `context.expectedVersion`.
     */
    putPledge: (
      planId: string,
      memberState: string,
      input: {
        readonly lines: readonly PledgeLine[];
        readonly reason?: string;
        /** If-None-Match: * — only a new submission (or a resubmission after withdrawal) is wanted. */
        readonly submitOnly?: boolean;
      },
      context: RequestContext,
    ) =>
      onPledge(
        planId,
        memberState,
        context,
        (pledgeContext, state) =>
          state.status === 'active' && input.submitOnly !== true
            ? {
                type: 'RevisePledge',
                data: { lines: input.lines, reason: input.reason ?? '', context: pledgeContext },
              }
            : { type: 'SubmitPledge', data: { lines: input.lines, context: pledgeContext } },
        input.reason,
      ),

    withdrawPledge: (
      planId: string,
      memberState: string,
      reason: string,
      context: RequestContext,
    ) =>
      onPledge(
        planId,
        memberState,
        context,
        (pledgeContext) => ({ type: 'WithdrawPledge', data: { reason, context: pledgeContext } }),
        reason,
      ),
  };
}
