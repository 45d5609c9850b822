import { InMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { createTracker } from '../../src/application/tracker';
import { seedIllustrativePlan } from '../../src/demo/illustrativePlan';
import {
  decideDemoData,
  DemoDataRefusedError,
  holdsIllustrativePlan,
  isIllustrativeEvent,
  loadIllustrativePlan,
  type DemoDataSettings,
} from '../../src/demo/demoStore';
import { loadConfig } from '../../src/config/config';

const newIds = () => {
  let sequence = 0;
  return () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
};

const trackerOn = (store: InMemoryEventStore) =>
  createTracker({ store, clock: () => new Date('2026-11-28T10:00:00.000Z'), newId: newIds() });

async function demoStore(): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  await seedIllustrativePlan(trackerOn(store), newIds());
  return store;
}

async function realStore(): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  await trackerOn(store).createPlan(
    { planId: '2026-2027', periodStart: '2026-01-01', periodEnd: '2027-12-31' },
    { actor: { id: 'dg-home', role: 'commission' }, correlationId: 'c', requestId: 'r' },
  );
  return store;
}

// Production needs the audit signing key named; the file itself is not read here.
const settings = (environment: NodeJS.ProcessEnv): DemoDataSettings =>
  loadConfig({ PLEDGES_AUDIT_KEY_FILE: 'audit-signing-key.pem', ...environment });
const TOKENS = { PLEDGES_TOKENS_FILE: 'tokens.json' };

describe('the illustrative plan is recognised in a store', () => {
  it('marks every one of its events by its actors', async () => {
    const events = await (await demoStore()).readAll({ maxCount: 10_000 });
    expect(events.length).toBeGreaterThan(20);
    expect(events.filter((event) => !isIllustrativeEvent(event))).toEqual([]);
  });

  it('tells a store that holds it from an empty one and from one with real data', async () => {
    expect(await holdsIllustrativePlan(await demoStore())).toBe(true);
    expect(await holdsIllustrativePlan(new InMemoryEventStore())).toBe(false);
    expect(await holdsIllustrativePlan(await realStore())).toBe(false);
  });

  it('is loaded only into an empty store', async () => {
    const store = await realStore();
    const head = await store.headPosition();
    await expect(loadIllustrativePlan(store, trackerOn(store), newIds())).rejects.toThrow(
      new DemoDataRefusedError(
        `The illustrative plan is only loaded into an empty store; this one already holds events (head position ${head})`,
      ),
    );
    expect(await store.headPosition()).toBe(head);

    const empty = new InMemoryEventStore();
    await loadIllustrativePlan(empty, trackerOn(empty), newIds());
    expect(await holdsIllustrativePlan(empty)).toBe(true);
  });
});

describe('what a start does about demo data', () => {
  it('loads it into an empty store in development with demo tokens, or when asked', async () => {
    expect(await decideDemoData(new InMemoryEventStore(), settings({}))).toBe('load');
    expect(
      await decideDemoData(
        new InMemoryEventStore(),
        settings({ ...TOKENS, PLEDGES_DEMO_DATA: 'true' }),
      ),
    ).toBe('load');
  });

  it('never loads it unasked beside a real token file, or in production', async () => {
    expect(await decideDemoData(new InMemoryEventStore(), settings(TOKENS))).toBe('none');
    expect(
      await decideDemoData(
        new InMemoryEventStore(),
        settings({ ...TOKENS, NODE_ENV: 'production' }),
      ),
    ).toBe('none');
  });

  it('leaves a development store that holds it, or real data, as it is', async () => {
    expect(await decideDemoData(await demoStore(), settings({}))).toBe('already_loaded');
    expect(await decideDemoData(await realStore(), settings({}))).toBe('store_not_empty');
    expect(await decideDemoData(await realStore(), settings(TOKENS))).toBe('none');
  });

  it('refuses to serve the demo plan with real tokens, unless asked for it', async () => {
    const refusal = new DemoDataRefusedError(
      'Refusing to start: this store holds the illustrative demo plan 2026-2027 (invented figures); use a fresh store for real data (or set PLEDGES_DEMO_DATA=true to serve the demo with these tokens)',
    );
    await expect(decideDemoData(await demoStore(), settings(TOKENS))).rejects.toThrow(refusal);
    await expect(
      decideDemoData(await demoStore(), settings({ ...TOKENS, NODE_ENV: 'production' })),
    ).rejects.toThrow(refusal);
    await expect(
      decideDemoData(await demoStore(), settings({ ...TOKENS, PLEDGES_DEMO_DATA: 'false' })),
    ).rejects.toThrow(refusal);
    expect(
      await decideDemoData(await demoStore(), settings({ ...TOKENS, PLEDGES_DEMO_DATA: 'true' })),
    ).toBe('already_loaded');
  });

  it('refuses to start when asked for demo data on a store that holds other events', async () => {
    await expect(
      decideDemoData(await realStore(), settings({ PLEDGES_DEMO_DATA: 'true' })),
    ).rejects.toThrow(
      /^Refusing to start: PLEDGES_DEMO_DATA=true, but the store already holds events/,
    );
  });
});
