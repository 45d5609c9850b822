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
  planListQuery,
  historyQuery,
  openPledgingBody,
  planParams,
  proposalBody,
  viewQuery,
} from '../schemas';
import type { PlanResult, RequestContext } from '../../application/tracker';
import {
  planReadModel,
  findPlan,
  getCompliance,
  getPlan,
  getTotals,
  listPlans,
  toPlanView,
} from '../../projections/planReadModel';
import { DEFAULT_PAGE_LIMIT, planHistoryPage } from '../../projections/auditHistory';
import { ALL_PARTICIPANTS } from '../../projections/readScope';
import { pledgeTimeline } from '../../projections/pledgeTimeline';
import { readCut, readState, sendView, setNextLink } from './readSide';
import { authorize } from '../../application/accessPolicy';

/** Plan lifecycle (Commission) and plan-wide reads (every authenticated role). */
export function planRoutes(deps: AppDeps): Router {
  const router = Router();
  const { tracker, projector } = deps;

  /**
   * A write answers with the plan as of the version it wrote, in the plan's one shape; like a read,
   * it names the log position the answer reflects (`asOfPosition`).
   */
  const sendPlanResult = async (response: Response, result: PlanResult, created = false) => {
    const planId = planIdOf(result);
    const record = await tracker.readPlanRecord(planId, result.version);
    if (record === undefined) throw new Error(`Plan ${planId} has no record after a write`);
    response.setHeader('ETag', etag(result.version));
    response.setHeader('X-Log-Position', String(result.position));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    if (created) response.setHeader('Location', `/api/v1/plans/${encodeURIComponent(planId)}`);
    response
      .status(created ? 201 : 200)
      .json({ ...toPlanView(record, ALL_PARTICIPANTS), asOfPosition: result.position });
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
    authorize(actorOf(response), 'plan.lifecycle');
    next();
  };

  router.post('/', commissionOnly, async (request, response) => {
    parse(emptyQuery, request.query, 'query');
    const body = parse(createPlanBody, request.body, 'body');
    const result = await tracker.createPlan(body, planContext(request, response));
    await sendPlanResult(response, result, true);
  });

  router.get('/', async (request, response) => {
    const scope = authorize(actorOf(response), 'plan.read');
    const {
      after,
      limit = DEFAULT_PAGE_LIMIT,
      asOf,
    } = parse(planListQuery, request.query, 'query');
    const { state, position } = await readState(projector, planReadModel, asOf, response);
    // Plans in id order (one per two-year period), paged like every list.
    const plans = listPlans(state, scope).filter(
      (plan) => after === undefined || plan.planId > after,
    );
    const page = plans.slice(0, limit);
    const nextAfter = plans.length > limit ? (page[page.length - 1]?.planId ?? null) : null;
    setNextLink(request, response, nextAfter);
    response.json({ plans: page, nextAfter, asOfPosition: position });
  });

  router.get('/:planId', async (request, response) => {
    const scope = authorize(actorOf(response), 'plan.read');
    const { planId } = parse(planParams, request.params, 'path');
    const { asOf } = parse(asOfQuery, request.query, 'query');
    const { state, position } = await readState(projector, planReadModel, asOf, response, planId);
    const plan = getPlan(state, planId, scope);
    if (!plan)
      throw new HttpProblem(404, 'plan_not_found', `There is no plan ${planId}`, { planId });
    response.setHeader('ETag', etag(plan.version));
    response.json({ ...plan, asOfPosition: position });
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
      await sendPlanResult(response, await record(planId, body, planContext(request, response)));
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
    const scope = authorize(actorOf(response), 'plan.history');
    const { planId } = parse(planParams, request.params, 'path');
    const { asOf, after, limit } = parse(historyQuery, request.query, 'query');
    const upToPosition = await readCut(projector, asOf, response);
    const page = await planHistoryPage(projector.source, planId, scope, {
      upToPosition,
      ...(after !== undefined && { after }),
      ...(limit !== undefined && { limit }),
    });
    if (!page)
      throw new HttpProblem(404, 'plan_not_found', `There is no plan ${planId}`, { planId });
    setNextLink(request, response, page.nextAfterVersion);
    response.json({ planId, ...page });
  });

  router.get('/:planId/totals', async (request, response) => {
    const scope = authorize(actorOf(response), 'figures.read');
    const { planId } = parse(planParams, request.params, 'path');
    const { view, asOf } = parse(viewQuery, request.query, 'query');
    await sendView(projector, response, {
      projection: planReadModel,
      planId,
      name: `totals?view=${view}`,
      scope,
      asOf,
      compute: (state) => {
        const totals = getTotals(state, planId, view, scope);
        if (!totals) throw viewMissing(planId, view, findPlan(state, planId) !== undefined);
        return totals;
      },
    });
  });

  router.get('/:planId/compliance', async (request, response) => {
    const scope = authorize(actorOf(response), 'figures.read');
    const { planId } = parse(planParams, request.params, 'path');
    const { view, asOf } = parse(viewQuery, request.query, 'query');
    await sendView(projector, response, {
      projection: planReadModel,
      planId,
      name: `compliance?view=${view}`,
      scope,
      asOf,
      compute: (state) => {
        const compliance = getCompliance(state, planId, view, scope);
        if (!compliance) throw viewMissing(planId, view, findPlan(state, planId) !== undefined);
        return compliance;
      },
    });
  });

  router.get('/:planId/timeline', async (request, response) => {
    const scope = authorize(actorOf(response), 'figures.read');
    const { planId } = parse(planParams, request.params, 'path');
    const { asOf } = parse(asOfQuery, request.query, 'query');
    // Never past what the read models have seen, as every other read.
    const upToPosition = Math.min(await readCut(projector, asOf, response), projector.checkpoint);
    // The live read model knows every pledger up to now; the cut drops those who came later.
    const pledgers = projector.state(planReadModel).plans.get(planId)?.pledges.keys() ?? [];
    const timeline = await pledgeTimeline(projector.source, planId, pledgers, scope, upToPosition);
    if (!timeline)
      throw new HttpProblem(404, 'plan_not_found', `There is no plan ${planId}`, { planId });
    response.json({ ...timeline, asOfPosition: upToPosition });
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
      ? `Plan ${planId} has no Commission proposal recorded`
      : `Plan ${planId} has not been adopted`,
    { planId, view },
  );
}
