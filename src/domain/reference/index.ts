/**
 * Reference data as typed tables. Public (served without authentication) and pure.
 * Implementations live in the sibling modules; this file is the one import point.
 */
export * from './unhcrRegions';
export * from './participants';
export * from './hostCountries';
export * from './amifLumpSums';
export * from './targetGroups';
