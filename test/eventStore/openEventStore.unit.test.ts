import { loadConfig } from '../../src/config/config';
import { openEventStore, withoutCredentials } from '../../src/eventStore/openEventStore';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import { EventStoreDbEventStore } from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';

describe('choosing the event store from the configuration', () => {
  it('opens the embedded SQLite store by default', async () => {
    const opened = openEventStore(loadConfig({ PLEDGES_DB_FILE: ':memory:' }));
    expect(opened.name).toBe('sqlite');
    expect(opened.store).toBeInstanceOf(SqliteEventStore);
    await opened.store.close();
  });

  it('opens EventStoreDB lazily (no connection until the first call) and closes cleanly', async () => {
    const opened = openEventStore(
      loadConfig({
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://admin:changeit@localhost:2113?tls=false',
      }),
    );
    expect(opened.name).toBe('eventstoredb');
    expect(opened.store).toBeInstanceOf(EventStoreDbEventStore);
    expect(opened.location).toBe('esdb://localhost:2113?tls=false');
    await opened.store.close();
  });

  it('never puts credentials in the location it reports', () => {
    expect(withoutCredentials('esdb+discover://ops:s3cr3t@cluster.local:2113?tls=true')).toBe(
      'esdb+discover://cluster.local:2113?tls=true',
    );
    expect(withoutCredentials('esdb://node1:2113,node2:2113')).toBe('esdb://node1:2113,node2:2113');
  });
});
