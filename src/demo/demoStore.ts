/**
 * Keeps the illustrative plan's invented figures away from real data: it is loaded only when asked
 * for, only into an empty store, and a store that holds it is not served with real tokens.
 */
import type { Tracker } from '../application/tracker';
import type { Config } from '../config/config';
import type { EventStore, RecordedEvent } from '../eventStore/port';
import { DEMO_ACTOR_PREFIX, ILLUSTRATIVE_PLAN_ID, seedIllustrativePlan } from './illustrativePlan';

/** Demo data asked for where it cannot go, or a store of demo data offered for real use. */
export class DemoDataRefusedError extends Error {
  override readonly name = 'DemoDataRefusedError';
}

/** An event of the illustrative plan: recorded by one of its own actors. */
export function isIllustrativeEvent(event: RecordedEvent): boolean {
  const actor = event.metadata['actor'];
  const id =
    typeof actor === 'object' && actor !== null ? (actor as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.startsWith(DEMO_ACTOR_PREFIX);
}

/**
 * Whether the store holds the illustrative plan. It is only ever loaded into an empty store (by
 * every release), so when a store holds it, it begins the log: one event read answers.
 */
export async function holdsIllustrativePlan(store: Pick<EventStore, 'readAll'>): Promise<boolean> {
  const [first] = await store.readAll({ maxCount: 1 });
  return first !== undefined && isIllustrativeEvent(first);
}

/** Plays the illustrative plan into the store; refused unless the store is empty. */
export async function loadIllustrativePlan(
  store: Pick<EventStore, 'headPosition'>,
  tracker: Tracker,
  newId: () => string,
): Promise<void> {
  const head = await store.headPosition();
  if (head !== 0) {
    throw new DemoDataRefusedError(
      `The illustrative plan is only loaded into an empty store; this one already holds events (head position ${head})`,
    );
  }
  await seedIllustrativePlan(tracker, newId);
}

export type DemoDataSettings = Pick<
  Config,
  'demoData' | 'PLEDGES_DEMO_DATA' | 'PLEDGES_TOKENS_FILE' | 'NODE_ENV'
>;

/**
 * What to do about demo data on this store at start: `load` it (empty store, demo data wanted),
 * nothing (`none`, `already_loaded`), or nothing because the store already holds other events
 * and nobody asked explicitly (`store_not_empty`, worth a warning). Throws
 * `DemoDataRefusedError` when starting would mix demo and real data.
 */
export async function decideDemoData(
  store: Pick<EventStore, 'readAll' | 'headPosition'>,
  settings: DemoDataSettings,
): Promise<'load' | 'none' | 'already_loaded' | 'store_not_empty'> {
  const askedFor = settings.PLEDGES_DEMO_DATA === true;
  const holdsDemo = await holdsIllustrativePlan(store);
  const realTokens =
    settings.PLEDGES_TOKENS_FILE !== undefined || settings.NODE_ENV === 'production';
  if (holdsDemo && realTokens && !askedFor) {
    throw new DemoDataRefusedError(
      `Refusing to start: this store holds the illustrative demo plan ${ILLUSTRATIVE_PLAN_ID} (invented figures); use a fresh store for real data (or set PLEDGES_DEMO_DATA=true to serve the demo with these tokens)`,
    );
  }
  if (!settings.demoData) return 'none';
  if (holdsDemo) return 'already_loaded';
  if ((await store.headPosition()) === 0) return 'load';
  if (askedFor) {
    throw new DemoDataRefusedError(
      'Refusing to start: PLEDGES_DEMO_DATA=true, but the store already holds events that are not the illustrative plan; it is only loaded into an empty store (give the demo its own PLEDGES_DB_FILE)',
    );
  }
  return 'store_not_empty';
}
