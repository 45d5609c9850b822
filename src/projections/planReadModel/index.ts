/** The plan read model and the queries over it: plans, pledges, totals, compliance. */
export * from './model';
export * from './contributions';
export * from './planView';
export * from './pledgeViews';
export * from './totals';
export * from './compliance';
export * from './planRecordFromStream';
