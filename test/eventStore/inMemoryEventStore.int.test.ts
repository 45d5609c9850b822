import { createInMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { StreamIntegrityError } from '../../src/eventStore/port';
import {
  aStreamId,
  describeEventStoreContract,
  rejectionOf,
  someEvents,
} from './eventStoreContract';

describeEventStoreContract('InMemoryEventStore', () => {
  const store = createInMemoryEventStore();
  return Promise.resolve({ store, cleanup: () => store.close() });
});

describe('InMemoryEventStore with a tampered stream', () => {
  it('refuses a stream read with a gap, and reports it', async () => {
    const store = createInMemoryEventStore();
    const streamId = aStreamId();
    await store.append(streamId, someEvents(3), { expectedVersion: 'no_stream' });
    // Only tampering with its memory can break a stream here: drop version 2.
    const internals = store as unknown as { streams: Map<string, unknown[]> };
    internals.streams.get(streamId)?.splice(1, 1);

    const error = await rejectionOf(store.readStream(streamId));

    expect(error).toBeInstanceOf(StreamIntegrityError);
    expect(error).toMatchObject({ streamId, expectedVersion: 2, foundVersion: 3 });
    expect(await store.health()).toMatchObject({
      ok: false,
      answering: true,
      problem: { kind: 'integrity', code: 'STREAM_VERSION_GAP' },
    });
    await store.close();
  });
});
