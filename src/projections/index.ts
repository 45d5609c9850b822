import { planReadModel } from './planReadModel';
import { storageUsage } from './storageUsage';

export * from './projection';
export * from './projector';
export * from './stateDigest';
export * from './readScope';
export * from './planReadModel';
export * from './auditHistory';
export * from './timeIndex';
export * from './storageUsage';

/**
 * Every read model kept live in memory and in snapshots. Each is bounded by the number of streams,
 * not of events: histories and the audit feed are read from the store, page by page.
 */
export const ALL_PROJECTIONS = [planReadModel, storageUsage] as const;
