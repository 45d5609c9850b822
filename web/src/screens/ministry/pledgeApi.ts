/**
 * The ministry's calls that need more than the shared hooks give: a missing pledge read as "none
 * yet" rather than an error, and writes that report the log position the server recorded them at
 * (`X-Log-Position`) along with the body.
 */
import { infiniteQueryOptions, queryOptions, type InfiniteData } from '@tanstack/react-query';
import { api, type Schema } from '../../api/client';
import { unwrap, type ApiResult } from '../../api/hooks';
import { ApiError, toProblem } from '../../api/problems';

export type Plan = Schema<'Plan'>;
export type PlanView = Schema<'PlanView'>;
export type PlansPage = Schema<'PlanList'>;
export type Pledge = Schema<'Pledge'>;
export type PledgeWrite = Schema<'PledgeWrite'>;
export type PledgeHistoryEntry = Schema<'PledgeHistoryEntry'>;
export type PledgeLine = Schema<'PledgeLine'>;
/** Who recorded an event: a person's name when the sign-in gave one, else only an id. */
export type EventActor = Schema<'Actor'>;

export const pledgeKey = (planId: string, memberState: string) =>
  ['pledge', planId, memberState] as const;
export const pledgeHistoryKey = (planId: string, memberState: string) =>
  ['pledge-history', planId, memberState] as const;

/** An event's actor for people: their name when recorded, else their id. */
export function actorLabel(actor: EventActor): string {
  return actor.name ?? actor.id;
}

async function settle<Result extends ApiResult>(call: Promise<Result>): Promise<Result> {
  try {
    return await call;
  } catch {
    throw new ApiError(toProblem(undefined, undefined));
  }
}

/**
 * The Member State's pledge for a plan as of `asOf` (now when undefined), or null when it has
 * none (yet). `minPosition` reads at least that log position: a write just made is seen.
 */
export async function fetchOwnPledge(
  planId: string,
  memberState: string,
  asOf: string | undefined,
  minPosition?: number,
): Promise<Pledge | null> {
  const result = await settle(
    api.GET('/api/v1/plans/{planId}/pledges/{memberState}', {
      params: {
        path: { planId, memberState },
        query: asOf === undefined ? {} : { asOf },
        header: minPosition === undefined ? {} : { 'X-Min-Position': String(minPosition) },
      },
    }),
  );
  if (!result.response.ok) {
    const problem = toProblem(result.error, result.response);
    if (problem.status === 404 && problem.code === 'pledge_not_found') return null;
    throw new ApiError(problem);
  }
  return result.data as Pledge;
}

/** Every plan, a page at a time (the server's cursor), as of `asOf`: their status then. */
export const ministryPlansQuery = (asOf: string | undefined) =>
  infiniteQueryOptions<
    PlansPage,
    ApiError,
    InfiniteData<PlansPage, string | undefined>,
    readonly unknown[],
    string | undefined
  >({
    queryKey: ['plans', { asOf: asOf ?? null }],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/plans', {
          params: {
            query: {
              ...(pageParam !== undefined && { after: pageParam }),
              ...(asOf !== undefined && { asOf }),
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextAfter ?? undefined,
  });

/**
 * Our pledge for the plan as of `asOf`, or null when there is none (yet); `minPosition` (a ref's
 * current value at each read) makes a read after our own write wait for it.
 */
export const ownPledgeQuery = (
  planId: string,
  memberState: string,
  asOf: string | undefined,
  minPosition?: () => number | undefined,
) =>
  queryOptions<Pledge | null, ApiError>({
    queryKey: [...pledgeKey(planId, memberState), { asOf: asOf ?? null }],
    queryFn: () => fetchOwnPledge(planId, memberState, asOf, minPosition?.()),
  });

/** One page of the pledge's versions, oldest first, after version `after`. */
export function fetchPledgeHistoryPage(
  planId: string,
  memberState: string,
  asOf: string | undefined,
  after: number | undefined,
  limit?: number,
) {
  return unwrap(
    api.GET('/api/v1/plans/{planId}/pledges/{memberState}/history', {
      params: {
        path: { planId, memberState },
        query: {
          ...(asOf !== undefined && { asOf }),
          ...(after !== undefined && { after: String(after) }),
          ...(limit !== undefined && { limit: String(limit) }),
        },
      },
    }),
  );
}

type HistoryPage = Awaited<ReturnType<typeof fetchPledgeHistoryPage>>;

/** Every version of our pledge as of `asOf`, oldest first, a page at a time. */
export const pledgeHistoryQuery = (planId: string, memberState: string, asOf: string | undefined) =>
  infiniteQueryOptions<
    HistoryPage,
    ApiError,
    InfiniteData<HistoryPage, number | undefined>,
    readonly unknown[],
    number | undefined
  >({
    queryKey: [...pledgeHistoryKey(planId, memberState), { asOf: asOf ?? null }],
    queryFn: ({ pageParam }) => fetchPledgeHistoryPage(planId, memberState, asOf, pageParam),
    initialPageParam: undefined,
    getNextPageParam: (page) => page.nextAfterVersion ?? undefined,
  });

/** The entry that made `version`: who changed the pledge last, when and why. */
export async function fetchVersionEntry(
  planId: string,
  memberState: string,
  version: number,
): Promise<PledgeHistoryEntry | undefined> {
  const page = await fetchPledgeHistoryPage(planId, memberState, undefined, version - 1, 1);
  return page.versions.find((entry) => entry.version === version);
}

/** What a write recorded: the server's answer and where in the log. */
export interface WriteOutcome {
  readonly write: PledgeWrite;
  readonly logPosition: number | undefined;
}

async function recorded(
  call: Promise<{ data?: PledgeWrite; error?: unknown; response: Response }>,
): Promise<WriteOutcome> {
  const result = await settle(call);
  if (!result.response.ok || result.data === undefined) {
    throw new ApiError(toProblem(result.error, result.response));
  }
  const header = result.response.headers.get('X-Log-Position');
  const logPosition = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
  return { write: result.data, logPosition };
}

export interface PledgeTarget {
  readonly planId: string;
  readonly memberState: string;
}

/** A first submission, or one after a withdrawal: refused (412) when a pledge exists already. */
export function submitPledge(
  target: PledgeTarget & { readonly lines: PledgeLine[] },
): Promise<WriteOutcome> {
  return recorded(
    api.PUT('/api/v1/plans/{planId}/pledges/{memberState}', {
      params: {
        path: { planId: target.planId, memberState: target.memberState },
        header: { 'If-None-Match': '*' },
      },
      body: { lines: target.lines },
    }),
  );
}

/** A revision of the version the person started from: refused (412) when it moved on meanwhile. */
export function revisePledge(
  target: PledgeTarget & {
    readonly version: number;
    readonly lines: PledgeLine[];
    readonly reason: string;
  },
): Promise<WriteOutcome> {
  return recorded(
    api.PUT('/api/v1/plans/{planId}/pledges/{memberState}', {
      params: {
        path: { planId: target.planId, memberState: target.memberState },
        header: { 'If-Match': `"${target.version}"` },
      },
      body: { lines: target.lines, reason: target.reason },
    }),
  );
}

export function withdrawPledge(
  target: PledgeTarget & { readonly version: number; readonly reason: string },
): Promise<WriteOutcome> {
  return recorded(
    api.POST('/api/v1/plans/{planId}/pledges/{memberState}/withdrawal', {
      params: {
        path: { planId: target.planId, memberState: target.memberState },
        header: { 'If-Match': `"${target.version}"` },
      },
      body: { reason: target.reason },
    }),
  );
}

/** The refusals that mean "someone else changed it since you loaded it". */
export function isConflict(error: ApiError): boolean {
  return (
    error.status === 412 &&
    (error.code === 'version_conflict' || error.code === 'pledge_already_submitted')
  );
}
