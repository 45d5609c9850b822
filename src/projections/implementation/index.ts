/** The implementation read side: monthly reports, fulfilment of the adopted plan, exports. */
export * from './fulfilmentTypes';
export * from './reportViews';
export * from './fulfilment';
export * from './exports';
