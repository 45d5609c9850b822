/**
 * The performance mark the app makes when its first render stopped waiting for the screen's data
 * (`prepareFirstScreen` in `App.tsx`): that render shows loading lines by design, the data being
 * slower than the wait. The first-load browser journey reads it to tell such a load apart.
 */
export const FIRST_SCREEN_DATA_WAIT_RAN_OUT = 'pledge-tracker:first-screen-data-wait-ran-out';
