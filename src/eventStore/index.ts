export * from './port';
export { InMemoryEventStore, createInMemoryEventStore } from './memory/inMemoryEventStore';
export {
  SqliteEventStore,
  openSqliteEventStore,
  type SqliteEventStoreOptions,
  type SqliteSettings,
} from './sqlite/sqliteEventStore';
