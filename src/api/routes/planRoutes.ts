import type { z } from 'zod';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../app';
import { actorOf, etag, parse, parseIfMatch, requestContext } from '../http';
import { HttpProblem } from '../problems';
import {
  adoptionBody,
  amendmentBody,
  asOfQuery,
  closePledgingBody,
  createPlanBody,
  emptyQuery,
  openPledgingBody,
  planParams,
  proposalBody,
  viewQuery,
} from '../schemas';
import { planWriteResult } from '../writeResults';
import type { PlanResult, RequestContext } from '../../application/tracker';
import { planReadModel, getPlan, listPlans } from '../../projections/planReadModel';
import { auditHistory, getStreamHistory } from '../../projections/auditHistory';
import { getTotals } from '../../projections/totals';
import { getCompliance } from '../../projections/compliance';
import { unionPlanStreamId } from '../../domain/unionPlan/unionPlanEvents';
import { redactForMemberState } from '../redaction';
import { readState } from './readSide';
import { requireCommission } from '../../application/authorization';

/** Plan lifecycle (Commission) and plan-wide reads (every authenticated role). */
export function planRoutes(deps: AppDeps): Router {
  const router = Router();
  const { tracker, projector } = deps;

  const sendPlanResult = (response: Response, result: PlanResult, created = false) => {
    response.setHeader('ETag', etag(result.version));
    response.setHeader('X-Log-Position', String(result.position));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    if (created)
      response.setHeader('Location', `/api/v1/plans/${encodeURIComponent(planIdOf(result))}`);
    response.status(created ? 201 : 200).json(planWriteResult(result));
  };

  const planIdOf = (result: PlanResult): string =>
    result.state.status === 'none' ? '' : result.state.plan.planId;

  /** Plan writes take an optional If-Match: without it the current version is used. */
  const planContext = (request: Request, response: Response): RequestContext => {
    const ifMatch = parseIfMatch(request);
    return requestContext(request, response, ifMatch === 'any' ? undefined : ifMatch);
  };

  /** Authorization before any validation, so a refused role learns nothing about the request's form. */
  const commissionOnly = (_request: Request, response: Response, next: NextFunction) => {
    requireCommission(actorOf(response));
    next();
  };

  router.post('/', commissionOnly, async (request, response) => {
    parse(emptyQuery, request.query, 'query');
    const body = parse(createPlanBody, request.body, 'body');
    const result = await tracker.createPlan(body, planContext(request, response));
    sendPlanResult(response, result, true);
  });

  router.get('/', async (request, response) => {
    parse(emptyQuery, request.query, 'query');
    const { state } = await readState(projector, planReadModel, undefined, response);
    // Each plan redacted by its own status, as GET /plans/:planId does.
    const plans = listPlans(state).map((plan) =>
      redactForMemberState(plan, response, plan.status === 'adopted'),
    );
    response.json({ plans });
  });

  router.get('/:planId', async (request, response) => {
    const { planId } = parse(planParams, request.params, 'path');
    const { asOf } = parse(asOfQuery, request.query, 'query');
    const { state, position } = await readState(projector, planReadModel, asOf, response);
    const plan = getPlan(state, planId);
    if (!plan)
      throw new HttpProblem(404, 'plan_not_found', `There is no plan ${planId}`, { planId });
    response.setHeader('ETag', etag(plan.version));
    // The proposal names each Member State's contribution: redacted like the totals until adoption.
    response.json(
      redactForMemberState(
        { ...plan, asOfPosition: position },
        response,
        plan.status === 'adopted',
      ),
    );
  });

  /** One lifecycle step: the Commission posts a body, the tracker records the step. */
  const lifecycleStep = <S extends z.ZodType>(
    path: string,
    bodySchema: S,
    record: (planId: string, body: z.output<S>, context: RequestContext) => Promise<PlanResult>,
  ) => {
    router.post(`/:planId${path}`, commissionOnly, async (request, response) => {
      const { planId } = parse(planParams, request.params, 'path');
      const body = parse(bodySchema, request.body, 'body');
      sendPlanResult(response, await record(planId, body, planContext(request, response)));
    });
  };

  lifecycleStep('/pledging/open', openPledgingBody, (planId, body, context) =>
    tracker.openPledging(planId, body, context),
  );
  lifecycleStep('/pledging/close', closePledgingBody, (planId, _body, context) =>
    tracker.closePledging(planId, context),
  );
  lifecycleStep('/proposal', proposalBody, (planId, body, context) =>
    tracker.recordProposal(planId, body, context),
  );
  lifecycleStep('/adoption', adoptionBody, (planId, body, context) =>
    tracker.recordAdoption(planId, body, context),
  );
  lifecycleStep('/amendments', amendmentBody, (planId, body, context) =>
    tracker.recordAmendment(planId, body, context),
  );

  router.get('/:planId/history', async (request, response) => {
    const { planId } = parse(planParams, request.params, 'path');
    const { asOf } = parse(asOfQuery, request.query, 'query');
    const { state } = await readState(projector, auditHistory, asOf, response);
    const history = getStreamHistory(state, unionPlanStreamId(planId));
    if (!history)
      throw new HttpProblem(404, 'plan_not_found', `There is no plan ${planId}`, { planId });
    // The proposal's diff names each Member State's figures: redacted until the plan is adopted.
    const adopted = history.some((version) => version.type === 'PlanAdopted');
    response.json(redactForMemberState({ planId, versions: history }, response, adopted));
  });

  router.get('/:planId/totals', async (request, response) => {
    const { planId } = parse(planParams, request.params, 'path');
    const { view, asOf } = parse(viewQuery, request.query, 'query');
    const { state, position } = await readState(projector, planReadModel, asOf, response);
    const totals = getTotals(state, planId, view);
    if (!totals) throw viewMissing(planId, view, getPlan(state, planId) !== undefined);
    const body = { ...totals, asOfPosition: position };
    response.json(
      redactForMemberState(body, response, getPlan(state, planId)?.status === 'adopted'),
    );
  });

  router.get('/:planId/compliance', async (request, response) => {
    const { planId } = parse(planParams, request.params, 'path');
    const { view, asOf } = parse(viewQuery, request.query, 'query');
    const { state, position } = await readState(projector, planReadModel, asOf, response);
    const compliance = getCompliance(state, planId, view);
    if (!compliance) throw viewMissing(planId, view, getPlan(state, planId) !== undefined);
    const body = { ...compliance, asOfPosition: position };
    response.json(
      redactForMemberState(body, response, getPlan(state, planId)?.status === 'adopted'),
    );
  });

  return router;
}

function viewMissing(planId: string, view: string, planExists: boolean): HttpProblem {
  if (!planExists)
    return new HttpProblem(404, 'plan_not_found', `There is no plan ${planId}`, { planId });
  return new HttpProblem(
    404,
    'view_not_available',
    view === 'proposal'
      ? `Plan ${planId} has no Commission proposal recorded${''}`
      : `Plan ${planId} has not been adopted`,
    { planId, view },
  );
}
