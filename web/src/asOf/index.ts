export { AsOfProvider, useAsOf, type AsOfState } from './AsOfProvider';
export { AsOfControl } from './AsOfControl';
export { AsOfLink } from './AsOfLink';
export { PastBanner } from './PastBanner';
export { describeAsOf, parseAsOf, pathWithAsOf, type AsOfValue } from './asOf';
