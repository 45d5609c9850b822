import { auditHistory } from './auditHistory';
import { planReadModel } from './planReadModel';

export * from './projection';
export * from './projector';
export * from './stateDigest';
export * from './readScope';
export * from './planReadModel';
export * from './auditHistory';

export const ALL_PROJECTIONS = [planReadModel, auditHistory] as const;
