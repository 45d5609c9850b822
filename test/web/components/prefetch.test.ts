/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
/**
 * What the app reads into the cache before a Commission screen's first render: the screen's own
 * reads, under the keys its hooks use, and those that depend on the plan after it.
 */
import { QueryClient } from '@tanstack/react-query';
import { prefetchCommissionScreen } from '../../../web/src/screens/commission/prefetch';
import { planQuery } from '../../../web/src/api/plans';
import { stubFetch, type FetchStub } from './support/fetchStub';

let server: FetchStub | undefined;
afterEach(() => server?.restore());

function plan(status: string) {
  return { planId: 'p', status };
}

/** What the stand-in server was asked, in order of path. */
function readPaths(stub: FetchStub): string[] {
  return stub.requests
    .map((request) => {
      const url = new URL(request.url);
      return `${url.pathname}${url.search}`;
    })
    .sort();
}

describe("a Commission screen's reads before its first render", () => {
  it("reads a proposed plan's Member States for the adoption's picker", async () => {
    server = stubFetch({
      'GET /api/v1/plans/p': { body: plan('proposed') },
      'GET /api/v1/plans/p/pledges': { body: { pledges: [] } },
      'GET /api/v1/reference/member-states': { body: { memberStates: [] } },
    });
    const queryClient = new QueryClient();
    await prefetchCommissionScreen(queryClient, '/commission/plans/p', '');
    expect(readPaths(server)).toEqual([
      '/api/v1/plans/p',
      '/api/v1/plans/p/pledges',
      '/api/v1/reference/member-states',
    ]);
    expect(queryClient.getQueryData(planQuery('p', undefined).queryKey)).toEqual(plan('proposed'));
  });

  it('reads no Member States for an adopted plan, whose amendment form is folded', async () => {
    server = stubFetch({
      'GET /api/v1/plans/p': { body: plan('adopted') },
      'GET /api/v1/plans/p/pledges': { body: { pledges: [] } },
    });
    await prefetchCommissionScreen(new QueryClient(), '/commission/plans/p', '');
    expect(readPaths(server)).toEqual(['/api/v1/plans/p', '/api/v1/plans/p/pledges']);
  });

  it("reads the figures of the view the plan's status and the URL select", async () => {
    server = stubFetch({ 'GET /api/v1/plans/p': { body: plan('proposed') } });
    await prefetchCommissionScreen(
      new QueryClient(),
      '/commission/plans/p/figures',
      '?view=adopted',
    );
    expect(readPaths(server)).toEqual(
      expect.arrayContaining([
        '/api/v1/plans/p/totals?view=proposal',
        '/api/v1/plans/p/compliance?view=proposal',
      ]),
    );
  });

  it('settles without rejecting when a read is refused, leaving it for the screen', async () => {
    server = stubFetch({});
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    await expect(
      prefetchCommissionScreen(queryClient, '/commission/plans/gone/figures', ''),
    ).resolves.toBeUndefined();
    expect(queryClient.getQueryState(planQuery('gone', undefined).queryKey)?.status).toBe('error');
  });
});
