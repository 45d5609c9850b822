import { useEffect, useRef } from 'react';
import { StatusBadge } from '../../components/StatusBadge';
import { ProblemAlert } from '../../components/ProblemAlert';
import type { ApiError } from '../../api/problems';
import { formatDateTime } from '../../lib/format';
import { PLAN_STATUS_LABELS, PLAN_STATUS_TONES, type Plan } from './labels';

/**
 * What the server answered to the last write of a form: what it recorded (the plan's new status,
 * version and log position), or the problem with every message linked to its field.
 */
export function WriteAnswer({
  recorded,
  error,
  what,
  labels,
}: {
  readonly recorded: Plan | undefined;
  readonly error: ApiError | null;
  /** "Pledging opened", said before the figures. */
  readonly what: string;
  readonly labels?: Readonly<Record<string, string>>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (recorded) ref.current?.focus();
  }, [recorded]);
  if (error) return <ProblemAlert problem={error.problem} labels={labels} />;
  if (!recorded) return null;
  return (
    <div className="write-answer" role="status" tabIndex={-1} ref={ref}>
      <p>
        <strong>{what}.</strong> The plan is now{' '}
        <StatusBadge
          label={PLAN_STATUS_LABELS[recorded.status]}
          tone={PLAN_STATUS_TONES[recorded.status]}
        />
        , version {recorded.version}, recorded at log position {recorded.position} on{' '}
        <time dateTime={recorded.updatedAt}>{formatDateTime(recorded.updatedAt)}</time>.
      </p>
    </div>
  );
}
