/**
 * A stand-in server for component tests (needs the environment
 * `<rootDir>/test/web/jsdomEnvironment.ts`, which has Node's fetch API):
 *
 *   const server = stubFetch({
 *     'GET /api/v1/plans/p1': { body: plan },
 *     'PUT /api/v1/plans/p1/pledges/DE': (request) => ({ status: 422, body: problem }),
 *   });
 *   …
 *   expect(server.requests[0]?.url).toContain('asOf=12');
 *
 * Routes match on method and path (the query is ignored); anything else answers 404 with a
 * problem, so a missing stub fails loudly rather than hanging.
 */
export interface StubResponse {
  readonly status?: number;
  readonly body?: unknown;
  /** A body sent as it is, not as JSON (a record whose exact bytes matter). */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type StubHandler = (request: Request) => StubResponse | Promise<StubResponse>;

export interface FetchStub {
  /** Every request, in order, with its body still readable via `request.clone()`. */
  readonly requests: Request[];
  restore(): void;
}

export function stubFetch(routes: Readonly<Record<string, StubResponse | StubHandler>>): FetchStub {
  const original = globalThis.fetch;
  const requests: Request[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(
      input instanceof Request ? input : new URL(String(input), 'http://localhost'),
      init,
    );
    requests.push(request.clone());
    const key = `${request.method} ${new URL(request.url).pathname}`;
    const route = routes[key];
    const answer =
      route === undefined
        ? {
            status: 404,
            body: {
              type: 'about:blank',
              title: `No stub for ${key}`,
              status: 404,
              code: 'no_stub',
            },
          }
        : typeof route === 'function'
          ? await route(request)
          : route;
    const status = answer.status ?? 200;
    const hasBody = (answer.body !== undefined || answer.text !== undefined) && status !== 204;
    const body = answer.text ?? JSON.stringify(answer.body);
    return new Response(hasBody ? body : null, {
      status,
      headers: {
        ...(hasBody && {
          'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json',
        }),
        ...answer.headers,
      },
    });
  };
  return {
    requests,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}
