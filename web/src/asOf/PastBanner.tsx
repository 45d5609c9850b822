import { describeAsOf } from './asOf';
import { useAsOf } from './AsOfProvider';

/** Impossible to miss while `asOf` is set: what the page shows, and that changes are off. */
export function PastBanner() {
  const { value, setAsOf } = useAsOf();
  if (value === undefined) return null;
  return (
    <div className="past-banner" role="status">
      <p>
        <strong>You are looking at the past: the log as of {describeAsOf(value)}.</strong> Changes
        are disabled until you go back to now.
      </p>
      <button
        type="button"
        className="button button--on-dark no-print"
        onClick={() => setAsOf(undefined)}
      >
        Back to now
      </button>
    </div>
  );
}
