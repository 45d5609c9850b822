import { Router } from 'express';
import type { AppDeps } from '../app';
import { actorOf, parse } from '../http';
import { auditFeedQuery, emptyQuery } from '../schemas';
import { authorize } from '../../application/accessPolicy';
import { queryAuditFeed } from '../../projections/auditHistory';
import { planReadModel } from '../../projections/planReadModel';
import { canonicalParticipantCode } from '../../domain/reference';
import { readCut, setNextLink } from './readSide';

/** The audit trail and the replay check: auditors and the Commission. */
export function auditRoutes(deps: AppDeps): Router {
  const router = Router();
  const { projector } = deps;

  router.get('/events', async (request, response) => {
    authorize(actorOf(response), 'audit.read');
    const query = parse(auditFeedQuery, request.query, 'query');
    const position = await readCut(projector, undefined, response);
    const memberState =
      query.memberState === undefined
        ? undefined
        : (canonicalParticipantCode(query.memberState) ?? query.memberState);
    const context = {
      checkpoint: position,
      positionAt: (instant: string) => projector.positionOf({ timestamp: instant }),
      plans: projector.state(planReadModel),
    };
    const page = await queryAuditFeed(projector.source, context, {
      ...(query.planId !== undefined && { planId: query.planId }),
      ...(memberState !== undefined && { memberState }),
      ...(query.actor !== undefined && { actorId: query.actor }),
      ...(query.type !== undefined && { types: query.type.split(',').map((type) => type.trim()) }),
      ...(query.from !== undefined && { from: query.from }),
      ...(query.to !== undefined && { to: query.to }),
      ...(query.after !== undefined && { afterPosition: query.after }),
      ...(query.limit !== undefined && { limit: query.limit }),
    });
    setNextLink(request, response, page.nextAfterPosition);
    response.json({ ...page, headPosition: position });
  });

  router.post('/replay', async (request, response) => {
    authorize(actorOf(response), 'audit.read');
    parse(emptyQuery, request.query, 'query');
    await projector.catchUp();
    const report = await projector.replayCheck();
    response.json(report);
  });

  return router;
}
