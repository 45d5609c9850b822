import type { z } from 'zod';
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app';
import { actorOf, etag, parse, requestContext, writePrecondition } from '../http';
import { HttpProblem } from '../problems';
import {
  asOfQuery,
  historyQuery,
  planParams,
  pledgeParams,
  putPledgeBody,
  withdrawPledgeBody,
} from '../schemas';
import { assertPledgeSize, assertStorageQuota, resolveQuotaSettings } from '../quotas';
import { pledgeWriteResult } from '../writeResults';
import type { PledgeResult } from '../../application/tracker';
import { authorize } from '../../application/accessPolicy';
import { knownParticipant } from '../../domain/shared/lineValidation';
import { planReadModel, getPledge, listPledges } from '../../projections/planReadModel';
import { pledgeHistoryPage } from '../../projections/auditHistory';
import { readCut, readState, setNextLink } from './readSide';

/** GR and EL both name Greece; every other code must be a known participant. */
const canonicalMemberState = (code: string): string => knownParticipant(code).code;

function pledgeNotFound(planId: string, memberState: string): HttpProblem {
  return new HttpProblem(
    404,
    'pledge_not_found',
    `${memberState} has no pledge for plan ${planId}`,
    {
      planId,
      memberState,
    },
  );
}

/** Member State pledges: written by their own ministry only, read as the negotiation rules allow. */
export function pledgeRoutes(deps: AppDeps): Router {
  const router = Router();
  const { tracker, projector } = deps;
  const { maxPledgeBytes, storedBytesPerMemberState } = resolveQuotaSettings(deps.quotas);

  const sendPledgeResult = (response: Response, planId: string, result: PledgeResult) => {
    response.setHeader('ETag', etag(result.version));
    response.setHeader('X-Log-Position', String(result.position));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    const created = result.version === 1;
    if (created) {
      response.setHeader('Location', `/api/v1/plans/${planId}/pledges/${result.memberState}`);
    }
    response
      .status(created ? 201 : 200)
      .json(pledgeWriteResult(planId, result.memberState, result));
  };

  /** Pledge writes are conditional: If-None-Match: * to submit, If-Match: <etag> otherwise. */
  const requiredPrecondition = (request: Request, allowCreate: boolean) =>
    writePrecondition(request, {
      allowCreate,
      missing: allowCreate
        ? 'Send If-None-Match: * to submit a new pledge, or If-Match: <ETag> to revise one'
        : 'Send If-Match: <ETag> of the pledge you are changing',
    });

  /** What both pledge writes read from a request, in order: path, who, body, precondition. */
  const pledgeWrite = <S extends z.ZodType>(
    request: Request,
    response: Response,
    bodySchema: S,
    allowCreate: boolean,
  ) => {
    const { planId, memberState: code } = parse(pledgeParams, request.params, 'path');
    const memberState = canonicalMemberState(code);
    // Authorization before the body and preconditions, as for the plan lifecycle.
    authorize(actorOf(response), 'pledge.write', { memberState });
    // Measured before the schema walks it: an oversized pledge costs no validation.
    const size = assertPledgeSize(request.body, maxPledgeBytes);
    const body = parse(bodySchema, request.body, 'body');
    const precondition = requiredPrecondition(request, allowCreate);
    const context = requestContext(
      request,
      response,
      precondition === 'create' ? undefined : precondition,
    );
    return { planId, memberState, body, size, create: precondition === 'create', context };
  };

  router.put('/:planId/pledges/:memberState', async (request, response) => {
    const write = pledgeWrite(request, response, putPledgeBody, true);
    await assertStorageQuota(
      projector,
      response,
      write.memberState,
      write.size,
      storedBytesPerMemberState,
    );
    const result = await tracker.putPledge(
      write.planId,
      write.memberState,
      { ...write.body, submitOnly: write.create },
      write.context,
    );
    sendPledgeResult(response, write.planId, result);
  });

  /**
   * Withdrawal: DELETE with a body, or, for clients and intermediaries that drop a DELETE's body,
   * POST to the pledge's `withdrawal`: the same reason, precondition and answer. No storage quota:
   * a Member State can always withdraw, and since only an active pledge can be withdrawn,
   * withdrawals add no more than one small event per submission.
   */
  const withdraw = async (request: Request, response: Response) => {
    const write = pledgeWrite(request, response, withdrawPledgeBody, false);
    const result = await tracker.withdrawPledge(
      write.planId,
      write.memberState,
      write.body.reason,
      write.context,
    );
    sendPledgeResult(response, write.planId, result);
  };
  router.delete('/:planId/pledges/:memberState', withdraw);
  router.post('/:planId/pledges/:memberState/withdrawal', withdraw);

  router.get('/:planId/pledges', async (request, response) => {
    const scope = authorize(actorOf(response), 'pledges.list');
    const { planId } = parse(planParams, request.params, 'path');
    const { asOf } = parse(asOfQuery, request.query, 'query');
    const { state, position } = await readState(projector, planReadModel, asOf, response, planId);
    const pledges = listPledges(state, planId, scope);
    if (!pledges)
      throw new HttpProblem(404, 'plan_not_found', `There is no plan ${planId}`, { planId });
    response.json({ planId, asOfPosition: position, ...pledges });
  });

  router.get('/:planId/pledges/:memberState', async (request, response) => {
    const params = parse(pledgeParams, request.params, 'path');
    const memberState = canonicalMemberState(params.memberState);
    authorize(actorOf(response), 'pledge.read', { memberState });
    const { asOf } = parse(asOfQuery, request.query, 'query');
    const { state, position } = await readState(
      projector,
      planReadModel,
      asOf,
      response,
      params.planId,
    );
    const pledge = getPledge(state, params.planId, memberState);
    if (!pledge) {
      throw pledgeNotFound(params.planId, memberState);
    }
    response.setHeader('ETag', etag(pledge.version));
    response.json({ ...pledge, asOfPosition: position });
  });

  router.get('/:planId/pledges/:memberState/history', async (request, response) => {
    const params = parse(pledgeParams, request.params, 'path');
    const memberState = canonicalMemberState(params.memberState);
    // A Member State sees its own negotiating history, never another's, even after adoption.
    authorize(actorOf(response), 'pledge.history', { memberState });
    const { asOf, after, limit } = parse(historyQuery, request.query, 'query');
    const upToPosition = await readCut(projector, asOf, response);
    const page = await pledgeHistoryPage(projector.source, params.planId, memberState, {
      upToPosition,
      ...(after !== undefined && { after }),
      ...(limit !== undefined && { limit }),
    });
    if (!page) {
      throw pledgeNotFound(params.planId, memberState);
    }
    setNextLink(request, response, page.nextAfterVersion);
    response.json({ planId: params.planId, memberState, ...page });
  });

  return router;
}
