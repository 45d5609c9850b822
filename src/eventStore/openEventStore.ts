import type { Config } from '../config/config';
import type { EventStore } from './port';
import type { StoreHealthOptions } from './storeHealth';
import { openSqliteEventStore } from './sqlite/sqliteEventStore';
import { openEventStoreDbEventStore } from './eventstoredb/eventStoreDbEventStore';
import { eventStoreDbConnectionString, TRACKER_STREAM_CATEGORIES } from './eventStoreDbSettings';

export interface OpenedEventStore {
  readonly store: EventStore;
  /** For logs and /ready: which engine, and where (never with credentials). */
  readonly name: 'sqlite' | 'eventstoredb';
  readonly location: string;
  /** Stores on a database shared with other writers: how many of their events reads skipped. */
  readonly foreignEventsSkipped?: () => number;
}

/**
 * The one place that picks the adapter: nothing above the port knows which store it runs on.
 * `health.onProblem` hears of each store failure once, when it is first seen.
 */
export function openEventStore(config: Config, health: StoreHealthOptions = {}): OpenedEventStore {
  if (config.EVENT_STORE === 'eventstoredb') {
    const connectionString = eventStoreDbConnectionString(config);
    const store = openEventStoreDbEventStore(connectionString, {
      ...health,
      ownStreamCategories: TRACKER_STREAM_CATEGORIES,
    });
    return {
      store,
      name: 'eventstoredb',
      location: withoutCredentials(connectionString),
      foreignEventsSkipped: () => store.foreignEvents().skipped,
    };
  }
  return {
    store: openSqliteEventStore(config.PLEDGES_DB_FILE, health),
    name: 'sqlite',
    location: config.PLEDGES_DB_FILE,
  };
}

/** `esdb://admin:secret@node1:2113` → `esdb://node1:2113`: secrets never reach a log line. */
export function withoutCredentials(connectionString: string): string {
  return connectionString.replace(/^(esdb(?:\+discover)?:\/\/)[^@/]*@/, '$1');
}
