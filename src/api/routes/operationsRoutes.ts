import { Router } from 'express';
import type { ResolvedAppDeps } from '../app';
import { bearerActor, unauthenticated } from '../bearer';
import { HttpProblem } from '../problems';
import type { Projector } from '../../projections/projector';
import type { TrackerMetrics } from '../../observability/metrics';

/**
 * What load balancers and operators call: `/health` (the process answers), `/ready` (the store
 * answers, the projections keep up and the log matches its tree; the details for an operator token
 * only) and `/metrics`
 * (Prometheus, operator token required).
 */
export function operationsRoutes(deps: ResolvedAppDeps, metrics: TrackerMetrics): Router {
  const router = Router();

  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });

  router.get('/ready', async (request, response) => {
    const status = deps.feed
      ? await deps.feed.status()
      : await pulledStatus(deps.projector, () => deps.projector.catchUp());
    // Ready: the store answers, reports no active failure, the projections keep up with it, and
    // the log matches its Merkle tree (the last leaves and the counts; the whole at start).
    const storeHealth = await deps.storeHealth?.();
    const auditLog = await deps.auditLog.readiness();
    const ready = status.ready && storeHealth?.ok !== false && auditLog.ok;
    const verdict = ready ? 'ready' : 'not_ready';
    response.status(ready ? 200 : 503);
    // Store errors, positions and lag are for operators, not for whoever can reach the port.
    if (bearerActor(request, deps.tokens)?.role !== 'operator') {
      response.json({ status: verdict });
      return;
    }
    response.json({
      status: verdict,
      store: deps.storeName ?? 'unknown',
      ...status,
      ready,
      ...(storeHealth !== undefined && { storeHealth }),
      checks: { auditLog },
    });
  });

  router.get('/metrics', async (request, response) => {
    const actor = bearerActor(request, deps.tokens);
    if (actor === undefined) throw unauthenticated(response);
    if (actor.role !== 'operator') {
      throw new HttpProblem(403, 'forbidden', 'The metrics are open to operator tokens only');
    }
    response.type(metrics.contentType).send(await metrics.exposition());
  });

  return router;
}

/** Without a subscription, readiness is whether a catch-up with the store succeeds. */
async function pulledStatus(projector: Projector, catchUp: () => Promise<number>) {
  try {
    const position = await catchUp();
    return {
      ready: true,
      storeReachable: true,
      headPosition: position,
      checkpoint: projector.checkpoint,
      lag: 0,
    };
  } catch (error) {
    return {
      ready: false,
      storeReachable: false,
      headPosition: null,
      checkpoint: projector.checkpoint,
      lag: null,
      lastError: error instanceof Error ? error.message : String(error),
    };
  }
}
