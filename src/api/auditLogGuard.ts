import type { RequestHandler } from 'express';
import type { AuditLogService } from '../auditLog/auditLogService';
import { ROUTES } from './openapi/routes';
import type { RouteTable } from './routeTable';

/** `POST /api/v1/plans/:planId/pledging/open`: every route the contract declares a write. */
const WRITE_ROUTES: ReadonlySet<string> = new Set(
  ROUTES.filter((route) => route.effect === 'write').map(
    (route) => `${route.method.toUpperCase()} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`,
  ),
);

/**
 * The one place writes are refused while the log does not match its tree (or a head it signed):
 * every route the contract declares a write (`effect: 'write'`: the plan lifecycle, pledges,
 * reports), before its body is read. Reads, proofs and the replay check stay open, so an auditor
 * can look into what happened. The store's own refusal (`AuditTreeMismatchError`) maps to the
 * same problem.
 */
export function refuseWritesWhileMismatched(
  auditLog: AuditLogService,
  routes: RouteTable,
): RequestHandler {
  return (request, _response, next) => {
    if (auditLog.mismatch === undefined) {
      next();
      return;
    }
    const match = routes.match(request.method, request.originalUrl);
    if (match?.methodAllowed === true && WRITE_ROUTES.has(`${request.method} ${match.template}`)) {
      try {
        auditLog.assertWritable();
      } catch (error) {
        next(error);
        return;
      }
    }
    next();
  };
}
