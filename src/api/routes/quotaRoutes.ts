import { Router } from 'express';
import type { AppDeps } from '../app';
import { actorOf, parse } from '../http';
import { rateStandingOf, type RequestQuotas } from '../quotas';
import { emptyQuery } from '../schemas';
import { authorize } from '../../application/accessPolicy';
import { storageUsage, storedBytesOf } from '../../projections/storageUsage';
import { readState } from './readSide';

/** The caller's own quotas: what it may still do this minute, and what its Member State stores. */
export function quotaRoutes(deps: AppDeps, quotas: RequestQuotas): Router {
  const router = Router();

  router.get('/', async (request, response) => {
    const actor = actorOf(response);
    authorize(actor, 'quota.read');
    parse(emptyQuery, request.query, 'query');
    const rates = rateStandingOf(quotas, actor);
    const memberState = actor.role === 'member_state' ? actor.memberState : undefined;
    if (memberState === undefined) {
      response.json(rates);
      return;
    }
    const { state } = await readState(deps.projector, storageUsage, undefined, response);
    response.json({
      ...rates,
      storedBytes: {
        memberState,
        used: storedBytesOf(state, memberState),
        limit: quotas.settings.storedBytesPerMemberState,
      },
    });
  });

  return router;
}
