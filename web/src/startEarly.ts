/**
 * The first module the app runs (`main.tsx` imports it before anything else): the screen's first
 * reads go out now, while the browser still evaluates the UI runtime (preact/compat) and the
 * screens' code.
 */
import { startEarlyReads, unusedEarlyReads } from './api/earlyReads';
import { readPageBootstrap } from './session/bootstrap';

startEarlyReads(window.location, readPageBootstrap().session);

// For the browser journeys and the benchmark: a read started early that the screen never took
// means the list of a screen's first reads has drifted from what the screen asks for.
Object.defineProperty(window, 'pledgeTrackerEarlyReads', {
  value: Object.freeze({ unused: unusedEarlyReads }),
});
