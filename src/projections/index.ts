import { auditHistory } from './auditHistory';
import { planReadModel } from './planReadModel';

export * from './projection';
export * from './projector';
export * from './stateDigest';
export * from './planReadModel';
export * from './totals';
export * from './compliance';
export * from './auditHistory';
export type { EventActor } from './eventFields';

export const ALL_PROJECTIONS = [planReadModel, auditHistory] as const;
