import { openEventStoreDbEventStore } from '../../src/eventStore/eventstoredb/eventStoreDbEventStore';
import { describeEventStoreContract } from './eventStoreContract';

/**
 * The contract against a real EventStoreDB (22.6 or later), e.g.
 *   docker run -p 2113:2113 eventstore/eventstore:24.10 --insecure --run-projections=None
 *   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npm run test:eventstoredb
 * Every test uses fresh UUID stream ids and idempotency keys, so runs never share a stream and the
 * server may be shared; `sharedLog` relaxes the one test that assumes an empty store. The `$all`
 * assertions still assume nobody else writes to the server while a test runs.
 */
const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];

if (connectionString === undefined || connectionString === '') {
  describe.skip('EventStoreDB (skipped: set EVENTSTORE_CONNECTION_STRING to run against EventStoreDB)', () => {
    it('passes the event store contract', () => undefined);
  });
} else {
  jest.setTimeout(30_000);
  describeEventStoreContract(
    'EventStoreDB',
    () => {
      const store = openEventStoreDbEventStore(connectionString);
      return Promise.resolve({ store, cleanup: () => store.close() });
    },
    { sharedLog: true, uniqueEventIdsAcrossStreams: false, simultaneousAppendsInCallOrder: false },
  );
}
