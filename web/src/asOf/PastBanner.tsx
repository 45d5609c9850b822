import { describeAsOf } from './asOf';
import { useAsOf } from './AsOfProvider';

/**
 * Impossible to miss while `asOf` is set: what the page shows, and that changes are off. The live
 * region stays in the page whether or not the banner shows, so a screen reader announces the
 * banner when time travel starts or moves (a region inserted already filled is often not read).
 */
export function PastBanner() {
  const { value, setAsOf } = useAsOf();
  return (
    <div role="status" className="past-banner-region">
      {value !== undefined && (
        <div className="past-banner">
          <p>
            <strong>You are looking at the past: the log as of {describeAsOf(value)}.</strong>{' '}
            Changes are disabled until you go back to now.
          </p>
          <button
            type="button"
            className="button button--on-dark no-print"
            onClick={() => setAsOf(undefined)}
          >
            Back to now
          </button>
        </div>
      )}
    </div>
  );
}
