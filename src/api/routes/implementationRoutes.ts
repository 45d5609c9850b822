import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app';
import { actorOf, etag, parse, requestContext, writePrecondition } from '../http';
import { HttpProblem } from '../problems';
import {
  amifExportQuery,
  asOfQuery,
  frameworkExportQuery,
  historyQuery,
  planParams,
  putReportBody,
  reportListQuery,
  reportParams,
} from '../schemas';
import { assertPledgeSize, assertStorageQuota, resolveQuotaSettings } from '../quotas';
import { reportWriteResult } from '../writeResults';
import type { ReportResult } from '../../application/tracker';
import { authorize } from '../../application/accessPolicy';
import { DomainError } from '../../domain/shared/domainError';
import { knownParticipant } from '../../domain/shared/lineValidation';
import { findPlan, planReadModel } from '../../projections/planReadModel';
import type { PlanReadModelState } from '../../projections/planReadModel/model';
import type { ReadScope } from '../../projections/readScope';
import {
  amifAnnualCsv,
  frameworkReportCsv,
  getAmifAnnualExport,
  getFrameworkReportExport,
  getFulfilment,
  getReport,
  listReports,
} from '../../projections/implementation';
import { reportHistoryPage } from '../../projections/implementation/reportHistory';
import { tallyFulfilment } from '../../projections/implementation/fulfilmentTallies';
import { readCut, readState, sendView, setNextLink } from './readSide';

/** GR and EL both name Greece; every other code must be a known participant. */
const canonicalMemberState = (code: string): string => knownParticipant(code).code;

function reportNotFound(planId: string, memberState: string, month: string): HttpProblem {
  return new HttpProblem(
    404,
    'report_not_found',
    `${memberState} has no report for ${month} under plan ${planId}`,
    { planId, memberState, month },
  );
}

const planNotFound = (planId: string) =>
  new HttpProblem(404, 'plan_not_found', `There is no plan ${planId}`, { planId });

const notAdopted = (planId: string, what: string) =>
  new HttpProblem(
    404,
    'view_not_available',
    `Plan ${planId} has not been adopted: there is no ${what} before the Council adopts it`,
    { planId },
  );

/** Undefined: a read of a plan, or a view of it, the answer names as missing. */
function viewOrProblem<V>(planId: string, view: V | 'not_adopted' | undefined, what: string): V {
  if (view === undefined) throw planNotFound(planId);
  if (view === 'not_adopted') throw notAdopted(planId, what);
  return view;
}

/** A CSV download: RFC 4180 text, named for the file a browser saves. */
function sendCsv(response: Response, filename: string, csv: string): void {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  response.send(csv);
}

/** A Member State's export holds its own rows only: its code names the file it saves. */
const scopeSuffix = (scope: ReadScope): string =>
  scope.kind === 'own' ? `-${scope.memberState}` : '';

/**
 * Monthly implementation reports (Art. 9; AMIF Art. 19), the fulfilment of the adopted plan and
 * the exports built from them. A report is written by the participant's own ministry, or by the
 * Commission on its behalf (recorded as such); it is submitted and corrected like a pledge.
 */
export function implementationRoutes(deps: AppDeps): Router {
  const router = Router();
  const { tracker, projector } = deps;
  const clock = deps.clock ?? (() => new Date());
  const { maxPledgeBytes, storedBytesPerMemberState } = resolveQuotaSettings(deps.quotas);

  const sendReportResult = (response: Response, planId: string, result: ReportResult) => {
    response.setHeader('ETag', etag(result.version));
    response.setHeader('X-Log-Position', String(result.position));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    const created = result.version === 1;
    if (created) {
      response.setHeader(
        'Location',
        `/api/v1/plans/${planId}/implementation/${result.memberState}/${result.month}`,
      );
    }
    response.status(created ? 201 : 200).json(reportWriteResult(planId, result));
  };

  /** Report writes are conditional, as pledges: If-None-Match: * to submit, If-Match to correct. */
  const requiredPrecondition = (request: Request) =>
    writePrecondition(request, {
      allowCreate: true,
      missing:
        'Send If-None-Match: * to submit a month’s report, or If-Match: <ETag> with a reason to correct it',
    });

  router.put('/:planId/implementation/:memberState/:month', async (request, response) => {
    const params = parse(reportParams, request.params, 'path');
    const memberState = canonicalMemberState(params.memberState);
    // Authorization before the body and preconditions, as for pledges.
    authorize(actorOf(response), 'implementation.write', { memberState });
    // Measured before the schema walks it: an oversized report costs no validation.
    const size = assertPledgeSize(request.body, maxPledgeBytes, 'report');
    const body = parse(putReportBody, request.body, 'body');
    const precondition = requiredPrecondition(request);
    const context = requestContext(
      request,
      response,
      precondition === 'create' ? undefined : precondition,
    );
    await assertStorageQuota(projector, response, memberState, size, storedBytesPerMemberState);
    const result = await tracker.putImplementationReport(
      params.planId,
      memberState,
      params.month,
      {
        admissions: body.admissions,
        ...(body.procedure !== undefined && { procedure: body.procedure }),
        ...(body.reason !== undefined && { reason: body.reason }),
        submitOnly: precondition === 'create',
      },
      context,
    );
    sendReportResult(response, params.planId, result);
  });

  router.get('/:planId/implementation', async (request, response) => {
    const { planId } = parse(planParams, request.params, 'path');
    const query = parse(reportListQuery, request.query, 'query');
    const memberState =
      query.memberState === undefined ? undefined : canonicalMemberState(query.memberState);
    // A Member State lists its own reports; asking for another's is refused, not emptied.
    const scope = authorize(actorOf(response), 'implementation.read', {
      ...(memberState !== undefined && { memberState }),
    });
    await sendView(projector, response, {
      projection: planReadModel,
      planId,
      name: `implementation?memberState=${memberState ?? ''}&month=${query.month ?? ''}`,
      scope,
      asOf: query.asOf,
      compute: (state) => {
        const reports = listReports(state, planId, scope, {
          ...(memberState !== undefined && { memberState }),
          ...(query.month !== undefined && { month: query.month }),
        });
        if (!reports) throw planNotFound(planId);
        return { planId, ...reports };
      },
    });
  });

  router.get('/:planId/implementation/:memberState/:month', async (request, response) => {
    const params = parse(reportParams, request.params, 'path');
    const memberState = canonicalMemberState(params.memberState);
    authorize(actorOf(response), 'implementation.read', { memberState });
    const { asOf } = parse(asOfQuery, request.query, 'query');
    const { state, position } = await readState(
      projector,
      planReadModel,
      asOf,
      response,
      params.planId,
    );
    const report = getReport(state, params.planId, memberState, params.month);
    if (!report) throw reportNotFound(params.planId, memberState, params.month);
    response.setHeader('ETag', etag(report.version));
    response.json({ ...report, asOfPosition: position });
  });

  router.get('/:planId/implementation/:memberState/:month/history', async (request, response) => {
    const params = parse(reportParams, request.params, 'path');
    const memberState = canonicalMemberState(params.memberState);
    authorize(actorOf(response), 'implementation.read', { memberState });
    const { asOf, after, limit } = parse(historyQuery, request.query, 'query');
    const upToPosition = await readCut(projector, asOf, response);
    const page = await reportHistoryPage(
      projector.source,
      params.planId,
      memberState,
      params.month,
      {
        upToPosition,
        ...(after !== undefined && { after }),
        ...(limit !== undefined && { limit }),
      },
    );
    if (!page) throw reportNotFound(params.planId, memberState, params.month);
    setNextLink(request, response, page.nextAfterVersion);
    response.json({ planId: params.planId, memberState, month: params.month, ...page });
  });

  router.get('/:planId/fulfilment', async (request, response) => {
    const scope = authorize(actorOf(response), 'fulfilment.read');
    const { planId } = parse(planParams, request.params, 'path');
    const { asOf } = parse(asOfQuery, request.query, 'query');
    await sendView(projector, response, {
      projection: planReadModel,
      planId,
      name: 'fulfilment',
      scope,
      asOf,
      clock,
      // The tallies of contributions and reports do not depend on the instant: kept per position.
      compute: (state, instant, keep) =>
        viewOrProblem(
          planId,
          getFulfilment(state, planId, scope, instant ?? clock().toISOString(), (...args) =>
            keep('tallies', () => tallyFulfilment(...args)),
          ),
          'fulfilment',
        ),
    });
  });

  /** The year asked for must be one of the plan period's: AMIF reports run by calendar year. */
  const requirePeriodYear = (state: PlanReadModelState, planId: string, year: number) => {
    const plan = findPlan(state, planId);
    if (plan === undefined) throw planNotFound(planId);
    const { periodStart, periodEnd } = plan.state.plan;
    const first = Number(periodStart.slice(0, 4));
    const last = Number(periodEnd.slice(0, 4));
    if (year < first || year > last) {
      throw new DomainError(
        'year_outside_plan_period',
        `${year} is not a year of the plan period ${periodStart} to ${periodEnd}`,
        { year, periodStart, periodEnd },
        'year',
      );
    }
  };

  router.get('/:planId/exports/amif-annual', async (request, response) => {
    const scope = authorize(actorOf(response), 'exports.read');
    const { planId } = parse(planParams, request.params, 'path');
    const { year, format, asOf } = parse(amifExportQuery, request.query, 'query');
    const exportOf = (state: PlanReadModelState) => {
      requirePeriodYear(state, planId, year);
      return viewOrProblem(
        planId,
        getAmifAnnualExport(state, planId, year, scope),
        'AMIF annual export',
      );
    };
    if (format !== 'csv') {
      await sendView(projector, response, {
        projection: planReadModel,
        planId,
        name: `amif-annual?year=${year}`,
        scope,
        asOf,
        compute: exportOf,
      });
      return;
    }
    const { state } = await readState(projector, planReadModel, asOf, response, planId);
    sendCsv(
      response,
      `amif-annual-${planId}-${year}${scopeSuffix(scope)}.csv`,
      amifAnnualCsv(exportOf(state)),
    );
  });

  router.get('/:planId/exports/framework-report', async (request, response) => {
    const scope = authorize(actorOf(response), 'exports.read');
    const { planId } = parse(planParams, request.params, 'path');
    const { format, table, asOf } = parse(frameworkExportQuery, request.query, 'query');
    const exportOf = (state: PlanReadModelState) =>
      viewOrProblem(
        planId,
        getFrameworkReportExport(state, planId, scope),
        'dataset for the report on the Framework',
      );
    if (format !== 'csv') {
      // The JSON holds every table: `table` picks one for the CSV alone.
      await sendView(projector, response, {
        projection: planReadModel,
        planId,
        name: 'framework-report',
        scope,
        asOf,
        compute: exportOf,
      });
      return;
    }
    const { state } = await readState(projector, planReadModel, asOf, response, planId);
    sendCsv(
      response,
      `framework-report-${planId}-${table}${scopeSuffix(scope)}.csv`,
      frameworkReportCsv(exportOf(state), table),
    );
  });

  return router;
}
