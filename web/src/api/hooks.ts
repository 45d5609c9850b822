import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseMutationOptions,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import { useAsOf } from '../asOf/AsOfProvider';
import { ApiError, toProblem } from './problems';

/** What every openapi-fetch call resolves to: data on success, error (the body) otherwise. */
export interface ApiResult {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/** The success body of a call, without the `undefined` of its failure branch. */
export type ApiData<Call extends (...args: never) => Promise<ApiResult>> = Exclude<
  Awaited<ReturnType<Call>>['data'],
  undefined
>;

/** The data of a call, or an `ApiError` thrown with its problem. */
export async function unwrap<Result extends ApiResult>(
  call: Promise<Result>,
): Promise<Exclude<Result['data'], undefined>> {
  let result: Result;
  try {
    result = await call;
  } catch {
    throw new ApiError(toProblem(undefined, undefined));
  }
  if (!result.response.ok) throw new ApiError(toProblem(result.error, result.response));
  return result.data as Exclude<Result['data'], undefined>;
}

/**
 * A read through the generated client, cached by react-query under `key` plus `asOf`: the options
 * `useApiQuery` renders with, and that a first screen's data is read into the cache with before its
 * first render (`prefetchQuery`), so both meet under the same key.
 */
export function apiQuery<Read extends (asOf: string | undefined) => Promise<ApiResult>>(
  key: QueryKey,
  read: Read,
  asOf: string | undefined,
  options?: Omit<UseQueryOptions<ApiData<Read>, ApiError>, 'queryKey' | 'queryFn'>,
) {
  return queryOptions<ApiData<Read>, ApiError>({
    queryKey: [...key, { asOf: asOf ?? null }],
    queryFn: () => unwrap(read(asOf)) as Promise<ApiData<Read>>,
    ...options,
  });
}

/**
 * A read through the generated client, cached by react-query under `key` plus the global `asOf`.
 * The read gets `asOf` and passes it on when its endpoint accepts one:
 *
 *   useApiQuery(['plan', planId], (asOf) =>
 *     api.GET('/api/v1/plans/{planId}', { params: { path: { planId }, query: { asOf } } }))
 *
 * A failure is an `ApiError` (`query.error.problem`).
 */
export function useApiQuery<Read extends (asOf: string | undefined) => Promise<ApiResult>>(
  key: QueryKey,
  read: Read,
  options?: Omit<UseQueryOptions<ApiData<Read>, ApiError>, 'queryKey' | 'queryFn'>,
): UseQueryResult<ApiData<Read>, ApiError> {
  const { asOf } = useAsOf();
  return useQuery(apiQuery(key, read, asOf, options));
}

export interface ApiMutationOptions<Variables, Data> extends Omit<
  UseMutationOptions<Data, ApiError, Variables>,
  'mutationFn'
> {
  /** Query keys (prefixes) to refetch after a success, e.g. `[['plan', planId]]`. */
  readonly invalidates?: readonly QueryKey[];
}

/**
 * A write through the generated client. A refusal becomes an `ApiError` carrying the problem, so
 * `fieldErrors(mutation.error?.problem)` puts every message beside its field. Refuses to send
 * anything while the app looks at the past.
 *
 *   const save = useApiMutation((line: PledgeBody) =>
 *     api.PUT('/api/v1/plans/{planId}/pledges/{memberState}', { params: …, body: line }),
 *     { invalidates: [['pledge', planId]] });
 */
export function useApiMutation<Write extends (variables: never) => Promise<ApiResult>>(
  write: Write,
  options: ApiMutationOptions<Parameters<Write>[0], ApiData<Write>> = {},
): UseMutationResult<ApiData<Write>, ApiError, Parameters<Write>[0]> {
  type Variables = Parameters<Write>[0];
  const { isPast } = useAsOf();
  const queryClient = useQueryClient();
  const { invalidates = [], onSuccess, ...rest } = options;
  return useMutation<ApiData<Write>, ApiError, Variables>({
    ...rest,
    mutationFn: async (variables) => {
      if (isPast) throw new ApiError(PAST_WRITE_PROBLEM);
      return (await unwrap(write(variables))) as ApiData<Write>;
    },
    onSuccess: async (data, variables, onMutateResult, context) => {
      await Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      await onSuccess?.(data, variables, onMutateResult, context);
    },
  });
}

const PAST_WRITE_PROBLEM = {
  type: 'about:blank',
  title: 'Changes are disabled while looking at the past',
  status: 409,
  detail: 'Go back to now to make changes.',
  instance: '',
  code: 'viewing_the_past',
} as const;
