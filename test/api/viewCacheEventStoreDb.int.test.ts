/**
 * EventStoreDB mode reads through the same view cache: it sits above the store port, so an
 * EventStoreDB replica computes a view once per plan, audience and log position too, catches up
 * on a read with one head read when nothing is new, and still reads its own writes. Run on the
 * simulated client (no server runs here).
 */
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { registryFromDemoTokens } from '../../src/api/auth';
import { viewCacheOf } from '../../src/api/viewCache';
import { createTracker, type RequestContext } from '../../src/application/tracker';
import { EventStoreDbEventStore } from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';
import { ALL_PROJECTIONS } from '../../src/projections';
import { Projector } from '../../src/projections/projector';
import { SimulatedEventStoreDbClient } from '../eventStore/simulatedEventStoreDbClient';
import {
  ALL_PRINCIPALS,
  PRINCIPALS,
  PLAN_ID,
  actorOf,
  aLine,
  bearer,
  tokenOf,
  urls,
  type Principal,
} from './testApp';

describe('the view cache in EventStoreDB mode (simulated client)', () => {
  const clock = () => new Date('2025-09-15T09:30:00.000Z');
  let ids = 0;
  const store = new EventStoreDbEventStore(new SimulatedEventStoreDbClient().asClient());
  const tracker = createTracker({ store, clock, newId: () => `event-${++ids}` });
  const projector = new Projector(store, ALL_PROJECTIONS);
  const app = createApp({
    tracker,
    projector,
    clock,
    tokens: registryFromDemoTokens(
      ALL_PRINCIPALS.map((principal) => ({ ...PRINCIPALS[principal], token: tokenOf(principal) })),
    ),
    newId: () => `request-${++ids}`,
  });
  const as = (principal: Principal): RequestContext => ({
    actor: actorOf(principal),
    requestId: `request-${++ids}`,
    correlationId: `correlation-${ids}`,
  });
  const totals = (principal: Principal) =>
    request(app).get(urls.totals()).set('Authorization', bearer(principal));

  beforeAll(async () => {
    await tracker.createPlan(
      { planId: PLAN_ID, periodStart: '2026-01-01', periodEnd: '2027-12-31' },
      as('commission'),
    );
    await tracker.openPledging(PLAN_ID, { deadline: '2025-10-31' }, as('commission'));
    await tracker.putPledge(PLAN_ID, 'DE', { lines: [aLine({ persons: 700 })] }, as('de'));
  });
  afterAll(() => store.close());

  it('computes a view once per position and serves it from the cache after one head read', async () => {
    const first = await totals('commission');
    const headPosition = jest.spyOn(store, 'headPosition');
    const readAll = jest.spyOn(store, 'readAll');
    const before = viewCacheOf(projector).stats;

    const second = await totals('commission');

    expect(first.status).toBe(200);
    expect(first.body.total).toBe(700);
    expect(second.text).toBe(first.text);
    expect(viewCacheOf(projector).stats.hits).toBe(before.hits + 1);
    expect(headPosition).toHaveBeenCalledTimes(1);
    expect(readAll).not.toHaveBeenCalled();
    headPosition.mockRestore();
    readAll.mockRestore();
  });

  it("keeps each audience's view apart and reads a write made since", async () => {
    const germany = await totals('de');
    const written = await tracker.putPledge(
      PLAN_ID,
      'FR',
      { lines: [aLine({ hostCountry: 'LB', persons: 300 })] },
      as('fr'),
    );

    const commission = await totals('commission');
    const france = await totals('fr');

    expect(germany.body.total).toBe(700);
    expect(commission.body).toMatchObject({ total: 1000, asOfPosition: written.position });
    expect(france.body.total).toBe(300);
    expect((await totals('de')).text).toBe(germany.text.replace(/\d+}$/, `${written.position}}`));
  });
});
