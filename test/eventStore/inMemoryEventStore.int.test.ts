import { createInMemoryEventStore } from '../../src/eventStore/memory/inMemoryEventStore';
import { describeEventStoreContract } from './eventStoreContract';

describeEventStoreContract('InMemoryEventStore', () => {
  const store = createInMemoryEventStore();
  return Promise.resolve({ store, cleanup: () => store.close() });
});
