import type { Actor } from '../domain/shared/messages';
import type { Contribution, PledgeLine } from '../domain/shared/pledgeLine';
import { participatingCode } from '../domain/shared/lineValidation';
import { PARTICIPANTS, findParticipant, mayPledge } from '../domain/reference';
import { underPath, ViolationCollector } from '../domain/shared/domainError';
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
  isAfterAdoption,
} from '../domain/pledge/pledge';
import { awaitsAmendment } from '../domain/pledge/pendingAmendment';
import {
  implementationReportDecider,
  implementationReportStreamId,
  type AdmissionLine,
  type ImplementationReportCommand,
  type ImplementationReportState,
  type ProcedureCounts,
  type ReportingContext,
} from '../domain/implementation/implementationReport';
import type { EventStore, IdempotencyClaim, StreamVersion } from '../eventStore/port';
import { decodeRecordedEvent } from '../events/trackerRecordedEvent';
import {
  foldEvents,
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
export type PledgeResult = CommandResult<PledgeState> & {
  readonly memberState: string;
  /**
   * The change was recorded after adoption and differs from the adopted contribution: it takes
   * effect only when the Council amends the plan (Art. 8(6)). The read model's pledge view says the
   * same (`pendingAmendment`), by the same rule.
   */
  readonly pendingAmendment: boolean;
};

export type ReportResult = CommandResult<ImplementationReportState> & {
  readonly memberState: string;
  readonly month: string;
  /** Recorded by the Commission on the participant's behalf. */
  readonly onBehalf: boolean;
};

export interface ReportWriteInput {
  readonly admissions: readonly AdmissionLine[];
  readonly procedure?: ProcedureCounts;
  readonly reason?: string;
  /** If-None-Match: * — only a first submission is wanted. */
  readonly submitOnly?: boolean;
}

export type CreatePlanInput = CreateUnionPlan['data'];

/** What the edge supplies; the plan id comes from the path. */
type FromEdge<C extends { readonly data: object }> = Omit<C['data'], 'planId'>;
export type AdoptionInput = FromEdge<RecordAdoption>;
export type AmendmentInput = FromEdge<RecordAmendment> & {
  /**
   * Participants whose change pending since adoption the amendment adopts as it stands: their
   * current pledge becomes their contribution, as a proposal compiles it (its lines; none once
   * withdrawn), and the event records it like any other contribution.
   */
  readonly adoptPendingFrom?: readonly string[];
};

export type Tracker = ReturnType<typeof createTracker>;

/** A pledge's lines as they stand: none once withdrawn. */
function linesOf(state: PledgeState): readonly PledgeLine[] {
  return state.status === 'active' ? state.lines : [];
}

/** The write side: every use case of the tracker, each one command on one stream. */
export function createTracker(deps: TrackerDeps) {
  const handlerDeps: CommandHandlerDeps = {
    store: deps.store,
    newId: deps.newId,
    unusedIds: [],
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
    let planDecidedOn: UnionPlanState | undefined;
    const result = await handleCommand(
      handlerDeps,
      pledgeStreamId(planId, memberState),
      pledgeDecider,
      // Read on every attempt, so a retried race also sees the plan's latest status.
      async (state) => {
        planDecidedOn = await readPlan(planId);
        return toCommand({ plan: planDecidedOn, memberState, now: env.now }, state);
      },
      env,
    );
    // A new change was decided against `planDecidedOn`, its event stamped with that plan's status;
    // a replayed one is judged as it stood when first written, so the answer repeats the first.
    const pendingAmendment =
      !result.replayed && planDecidedOn !== undefined
        ? awaitsAmendment(
            planDecidedOn,
            memberState,
            linesOf(result.state),
            planDecidedOn.status === 'adopted',
          )
        : await pendingAsWritten(planId, memberState, result);
    return { ...result, memberState, pendingAmendment };
  };

  /** A pledge's current lines and whether its last change came after adoption. */
  const readPledgeChange = async (planId: string, memberState: string) => {
    const { events } = await deps.store.readStream(pledgeStreamId(planId, memberState));
    let state = pledgeDecider.initialState();
    let changedAfterAdoption = false;
    for (const recorded of events) {
      const event = decodeRecordedEvent(recorded) as PledgeEvent;
      state = pledgeDecider.evolve(state, event);
      changedAfterAdoption = isAfterAdoption(event.data.planStatus);
    }
    return { lines: linesOf(state), changedAfterAdoption };
  };

  /**
   * Whether a pledge write awaited an amendment when it was written: its event's plan status, and
   * the plan as of the write's position (a later amendment does not change the first answer).
   */
  const pendingAsWritten = async (
    planId: string,
    memberState: string,
    result: CommandResult<PledgeState>,
  ): Promise<boolean> => {
    const { events } = await deps.store.readStream(pledgeStreamId(planId, memberState), {
      fromVersion: result.version - 1,
      upToVersion: result.version,
    });
    const written = events[events.length - 1];
    if (written === undefined) return false;
    const event = decodeRecordedEvent(written) as PledgeEvent;
    if (!isAfterAdoption(event.data.planStatus)) return false;
    const planEvents = (await deps.store.readStream(unionPlanStreamId(planId))).events;
    const plan = foldEvents(
      unionPlanDecider,
      unionPlanDecider.initialState(),
      planEvents.filter((planEvent) => planEvent.globalPosition <= result.position),
    );
    return awaitsAmendment(plan, memberState, linesOf(result.state), true);
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

  /**
   * The contributions an amendment adopts from the participants it names (`adoptPendingFrom`):
   * each one's pledge as it stands, provided it awaits an amendment by the rule the pledge view
   * shows. Refused, naming every offender: a participant with no pending change, one also given
   * in `contributions`, one named twice, or one that cannot take part.
   */
  const pendingContributions = async (
    planId: string,
    plan: UnionPlanState,
    names: readonly string[],
    given: readonly Contribution[],
  ): Promise<Contribution[]> => {
    // Before adoption there is nothing to amend: the domain refuses the transition itself.
    if (plan.status !== 'adopted') return [];
    const inContributions = new Set(
      given.map(({ memberState }) => findParticipant(memberState)?.code ?? memberState),
    );
    const violations = new ViolationCollector();
    const seen = new Set<string>();
    const adopted: Contribution[] = [];
    for (const [index, name] of names.entries()) {
      const path = `adoptPendingFrom.${index}`;
      const memberState = violations.check(() => participatingCode(name), underPath(path));
      if (memberState === undefined) continue;
      if (inContributions.has(memberState) || seen.has(memberState)) {
        violations.add(
          'duplicate_contribution',
          inContributions.has(memberState)
            ? `${memberState} is named both in contributions and in adoptPendingFrom: name it once`
            : `${memberState} appears twice in adoptPendingFrom`,
          path,
          { memberState },
        );
        continue;
      }
      seen.add(memberState);
      const pledge = await readPledgeChange(planId, memberState);
      if (!awaitsAmendment(plan, memberState, pledge.lines, pledge.changedAfterAdoption)) {
        violations.add(
          'no_pending_change',
          `${memberState} has no change pending an amendment: its pledge was last changed before adoption or matches the adopted plan`,
          path,
          { memberState },
        );
        continue;
      }
      adopted.push({ memberState, lines: pledge.lines });
    }
    violations.throwIfAny();
    return adopted;
  };

  /** The plan's record as of a version of its stream, for the write's response. */
  const readPlanRecord = async (planId: string, version: number) =>
    planRecordFromStream(
      (await deps.store.readStream(unionPlanStreamId(planId), { upToVersion: version })).events,
    );

  /**
   * A monthly implementation report: the participant's own ministry, or the Commission on its
   * behalf (marked as such in the event). An associated state reports like a Member State; its
   * figures stay in their own section of every view.
   */
  const onReport = async (
    planId: string,
    memberStateCode: string,
    month: string,
    context: RequestContext,
    toCommand: (
      reportingContext: ReportingContext,
      state: ImplementationReportState,
    ) => ImplementationReportCommand,
    reason?: string,
  ): Promise<ReportResult> => {
    const memberState = participatingCode(memberStateCode);
    authorize(context.actor, 'implementation.write', { memberState });
    const onBehalf = context.actor.role === 'commission';
    const env = envelope(context, reason);
    const result = await handleCommand(
      handlerDeps,
      implementationReportStreamId(planId, memberState, month),
      implementationReportDecider,
      async (state) =>
        toCommand(
          { plan: await readPlan(planId), memberState, month, now: env.now, onBehalf },
          state,
        ),
      env,
    );
    return { ...result, memberState, month, onBehalf };
  };

  return {
    /** The clock every decision reads: what "now" is for this tracker. */
    now: (): Date => deps.clock(),
    readPlan,
    readPledge,
    readPlanRecord,

    /**
     * PUT semantics: no report yet → submit; one already → correct (reason required). The
     * caller's If-Match / If-None-Match arrive as `context.expectedVersion` and `submitOnly`.
     */
    putImplementationReport: (
      planId: string,
      memberState: string,
      month: string,
      input: ReportWriteInput,
      context: RequestContext,
    ) =>
      onReport(
        planId,
        memberState,
        month,
        context,
        (reportingContext, state) => {
          const report = {
            admissions: input.admissions,
            ...(input.procedure !== undefined && { procedure: input.procedure }),
          };
          return state.status === 'reported' && input.submitOnly !== true
            ? {
                type: 'CorrectImplementationReport',
                data: { ...report, reason: input.reason ?? '', context: reportingContext },
              }
            : {
                type: 'SubmitImplementationReport',
                data: { ...report, context: reportingContext },
              };
        },
        input.reason,
      ),

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
        async (state) => {
          const { adoptPendingFrom, ...amendment } = input;
          if (adoptPendingFrom === undefined) {
            return { type: 'RecordAmendment', data: { planId, ...amendment } };
          }
          const given = amendment.contributions ?? [];
          const adopted = await pendingContributions(planId, state, adoptPendingFrom, given);
          return {
            type: 'RecordAmendment',
            data: { planId, ...amendment, contributions: [...given, ...adopted] },
          };
        },
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
