import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/format';
import { eventTypeLabel } from './eventTypes';
import type { CheckResult, InclusionResult } from './logChecks';

/**
 * The verdict of a check in a live region that is always in the page, so a screen reader hears
 * "Checking…" and then the verdict without anyone moving focus.
 */
export function CheckResultView({
  result,
  pending,
  pendingLabel,
  compact = false,
}: {
  readonly result: CheckResult | InclusionResult | undefined;
  readonly pending: boolean;
  readonly pendingLabel: string;
  /** The verdict alone (a table row); the page shows what was checked and what it means. */
  readonly compact?: boolean;
}) {
  return (
    <div className="check-result" role="status" aria-live="polite" aria-atomic="true">
      {pending ? (
        <p className="check-result__pending">{pendingLabel}…</p>
      ) : (
        result && (
          <div className={result.ok ? 'check-result__ok' : 'check-result__failed'}>
            <p className="check-result__summary">
              <StatusBadge
                tone={result.ok ? 'success' : 'danger'}
                label={result.ok ? 'Verified' : 'Not verified'}
              />{' '}
              {result.summary}
            </p>
            {!compact && result.details.map((detail) => <p key={detail}>{detail}</p>)}
            {!compact && 'record' in result && result.record && (
              <RecordFactsList record={result.record} />
            )}
          </div>
        )
      )}
    </div>
  );
}

function RecordFactsList({ record }: { readonly record: NonNullable<InclusionResult['record']> }) {
  return (
    <dl className="facts" aria-label="The record that was checked">
      <div>
        <dt>Log position</dt>
        <dd>{record.position}</dd>
      </div>
      <div>
        <dt>Stream</dt>
        <dd>
          <code>{record.stream}</code>
        </dd>
      </div>
      <div>
        <dt>Stream version</dt>
        <dd>{record.version}</dd>
      </div>
      <div>
        <dt>Type</dt>
        <dd>
          {eventTypeLabel(record.type)} (<code>{record.type}</code>)
        </dd>
      </div>
      {record.recordedAt !== null && (
        <div>
          <dt>Recorded at</dt>
          <dd>
            <time dateTime={record.recordedAt}>{formatDateTime(record.recordedAt)}</time>
          </dd>
        </div>
      )}
    </dl>
  );
}
