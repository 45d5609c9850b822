import { auditHistory } from './auditHistory';
import { planReadModel } from './planReadModel';
import { storageUsage } from './storageUsage';

export * from './projection';
export * from './projector';
export * from './stateDigest';
export * from './readScope';
export * from './planReadModel';
export * from './auditHistory';
export * from './storageUsage';

export const ALL_PROJECTIONS = [planReadModel, auditHistory, storageUsage] as const;
