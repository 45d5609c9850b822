import type { Config } from '../config/config';
import type { EventStore } from './port';
import type { StoreHealthOptions } from './storeHealth';
import { openSqliteEventStore } from './sqlite/sqliteEventStore';
import { openEventStoreDbEventStore } from './eventstoredb/eventStoreDbEventStore';

/**
 * The categories (stream name up to the first `-`) of the tracker's streams: pledges, the union
 * plan, implementation reports. On a database shared with other writers, events of any other
 * category are theirs: reads of the log skip and count them.
 */
export const TRACKER_STREAM_CATEGORIES: readonly string[] = [
  'pledge',
  'unionPlan',
  'implementation',
];

export interface OpenedEventStore {
  readonly store: EventStore;
  /** For logs and /ready: which engine, and where (never with credentials). */
  readonly name: 'sqlite' | 'eventstoredb';
  readonly location: string;
}

/**
 * The one place that picks the adapter: nothing above the port knows which store it runs on.
 * `health.onProblem` hears of each store failure once, when it is first seen.
 */
export function openEventStore(config: Config, health: StoreHealthOptions = {}): OpenedEventStore {
  if (config.EVENT_STORE === 'eventstoredb') {
    const connectionString = config.EVENTSTORE_CONNECTION_STRING ?? '';
    return {
      store: openEventStoreDbEventStore(connectionString, {
        ...health,
        ownStreamCategories: TRACKER_STREAM_CATEGORIES,
      }),
      name: 'eventstoredb',
      location: withoutCredentials(connectionString),
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
