import type { Config } from '../config/config';
import type { EventStore } from './port';
import { openSqliteEventStore } from './sqlite/sqliteEventStore';
import { openEventStoreDbEventStore } from './eventstoredb/eventStoreDbEventStore';

export interface OpenedEventStore {
  readonly store: EventStore;
  /** For logs and /ready: which engine, and where (never with credentials). */
  readonly name: 'sqlite' | 'eventstoredb';
  readonly location: string;
}

/** The one place that picks the adapter: nothing above the port knows which store it runs on. */
export function openEventStore(config: Config): OpenedEventStore {
  if (config.EVENT_STORE === 'eventstoredb') {
    const connectionString = config.EVENTSTORE_CONNECTION_STRING ?? '';
    return {
      store: openEventStoreDbEventStore(connectionString),
      name: 'eventstoredb',
      location: withoutCredentials(connectionString),
    };
  }
  return {
    store: openSqliteEventStore(config.PLEDGES_DB_FILE),
    name: 'sqlite',
    location: config.PLEDGES_DB_FILE,
  };
}

/** `esdb://admin:secret@node1:2113` → `esdb://node1:2113`: secrets never reach a log line. */
export function withoutCredentials(connectionString: string): string {
  return connectionString.replace(/^(esdb(?:\+discover)?:\/\/)[^@/]*@/, '$1');
}
