import { loadConfig } from '../../src/config/config';
import { openEventStore, withoutCredentials } from '../../src/eventStore/openEventStore';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import { EventStoreDbEventStore } from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import {
  eventStoreDbConnectionString,
  TRACKER_STREAM_CATEGORIES,
} from '../../src/eventStore/eventStoreDbSettings';
import { streamCategory } from '../../src/eventStore/eventstoredb/recordedEvent';
import { pledgeStreamId } from '../../src/domain/pledge/pledgeEvents';
import { unionPlanStreamId } from '../../src/domain/unionPlan/unionPlanEvents';
import { implementationReportStreamId } from '../../src/domain/implementation/implementationReportEvents';

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

  it('opens a secure cluster with the user given apart from the connection string', async () => {
    const opened = openEventStore(
      loadConfig({
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://node1:2113,node2:2113?tls=true',
        EVENTSTORE_USERNAME: 'tracker',
        EVENTSTORE_PASSWORD: 'p:@%/?#&',
      }),
    );
    expect(opened.store).toBeInstanceOf(EventStoreDbEventStore);
    expect(opened.location).toBe('esdb://node1:2113,node2:2113?tls=true');
    await opened.store.close();
  });

  it('never puts credentials in the location it reports', () => {
    expect(withoutCredentials('esdb+discover://ops:s3cr3t@cluster.local:2113?tls=true')).toBe(
      'esdb+discover://cluster.local:2113?tls=true',
    );
    expect(withoutCredentials('esdb://node1:2113,node2:2113')).toBe('esdb://node1:2113,node2:2113');
  });
});

describe('what the tracker tells the EventStoreDB adapter', () => {
  it('names the category of every stream the tracker writes', () => {
    const streams = [
      pledgeStreamId('2026-2027', 'DE'),
      unionPlanStreamId('2026-2027'),
      implementationReportStreamId('2026-2027', 'DE', '2026-03'),
    ];
    expect(streams.map(streamCategory)).toEqual(TRACKER_STREAM_CATEGORIES);
  });

  it('encodes a password of any characters into the connection string, as the client decodes it', () => {
    const password = 'p: @ % / ? # & +=x';
    const connectionString = eventStoreDbConnectionString({
      EVENTSTORE_CONNECTION_STRING: 'esdb://node1:2113,node2:2113?tls=true&tlsCAFile=/certs/ca.crt',
      EVENTSTORE_USERNAME: 'tracker',
      EVENTSTORE_PASSWORD: password,
    });

    const parsed = parseConnectionString(connectionString);

    expect(parsed.defaultCredentials).toEqual({ username: 'tracker', password });
    expect(parsed.hosts).toEqual([
      { address: 'node1', port: 2113 },
      { address: 'node2', port: 2113 },
    ]);
    expect(parsed.tlsCAFile).toBe('/certs/ca.crt');
    expect(withoutCredentials(connectionString)).toBe(
      'esdb://node1:2113,node2:2113?tls=true&tlsCAFile=/certs/ca.crt',
    );
  });

  it('refuses a user given twice, or half of one', () => {
    const base = {
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://admin:changeit@node1:2113',
    };
    expect(() =>
      loadConfig({ ...base, EVENTSTORE_USERNAME: 'admin', EVENTSTORE_PASSWORD: 'x' }),
    ).toThrow(/give them once/);
    expect(() => loadConfig({ ...base, EVENTSTORE_PASSWORD: 'x' })).toThrow(/go together/);
  });
});
