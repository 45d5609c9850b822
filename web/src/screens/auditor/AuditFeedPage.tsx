import { Fragment, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { pathWithAsOf } from '../../asOf';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatCount, formatDateTime } from '../../lib/format';
import {
  formToQuery,
  isFiltered,
  queryToForm,
  readFeedQuery,
  withFeedQuery,
  type AuditFilterForm,
  type FeedQuery,
} from './auditFilters';
import {
  actorName,
  roleLabel,
  useAuditFeed,
  useParticipants,
  usePlanIds,
  type AuditFeedEntry,
} from './auditApi';
import { eventSummary, eventTypeLabel, isImplementationEventType } from './eventTypes';
import { FeedFilterForm } from './FeedFilterForm';
import { VerifyInclusionButton } from './VerifyInclusionButton';

/** `/audit`: every recorded event, filtered, paged by log position, each with its full content. */
export function AuditFeedPage() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => readFeedQuery(params), [params]);
  const feed = useAuditFeed(query);
  const plans = usePlanIds();
  const participants = useParticipants();

  const apply = (form: AuditFilterForm) => setParams(withFeedQuery(params, formToQuery(form)));
  const goTo = (after: number | undefined) =>
    setParams(
      withFeedQuery(params, { ...query, after: after === undefined ? undefined : String(after) }),
    );

  return (
    <>
      <PageHeader
        title="Audit log"
        lead="Every event the tracker recorded, oldest first, with who did it, when and why. Time travel does not narrow this list: it is the log itself; use the period filter, or open the plan as of an event."
      />
      <FeedFilterForm
        // A new URL (Back, a shared link, Clear) refills the form with what is applied.
        key={params.toString()}
        initial={queryToForm(params)}
        planIds={plans.data ?? []}
        participants={participants.data ?? []}
        onApply={apply}
      />
      <section
        aria-labelledby="feed-results-title"
        className="feed-results"
        aria-busy={feed.isPlaceholderData || undefined}
      >
        <h2 id="feed-results-title">Events</h2>
        {/* The previous page stays in view while the next one loads, marked as such. */}
        {feed.isPlaceholderData && <Loading label="Reading the log for these filters" />}
        {feed.error && (
          <ProblemAlert problem={feed.error.problem} title="The log could not be read" />
        )}
        {feed.isPending && <Loading label="Reading the log" />}
        {feed.data && (
          <>
            <FeedSummary
              query={query}
              count={feed.data.entries.length}
              head={feed.data.headPosition}
            />
            <FeedTable entries={feed.data.entries} />
            <FeedPaging
              query={query}
              nextAfterPosition={feed.data.nextAfterPosition}
              busy={feed.isFetching}
              onNext={(after) => goTo(after)}
              onFirst={() => goTo(undefined)}
            />
          </>
        )}
      </section>
    </>
  );
}

function FeedSummary({
  query,
  count,
  head,
}: {
  readonly query: FeedQuery;
  readonly count: number;
  readonly head: number;
}) {
  const where =
    query.after === undefined ? 'from the start of the log' : `after log position ${query.after}`;
  return (
    <p className="feed-summary" aria-live="polite">
      {formatCount(count)} {count === 1 ? 'event' : 'events'} {where}
      {isFiltered(query) ? ' matching the filters' : ''}. The log holds {formatCount(head)}{' '}
      {head === 1 ? 'event' : 'events'} in all (head position {formatCount(head)}).
    </p>
  );
}

function FeedPaging({
  query,
  nextAfterPosition,
  busy,
  onNext,
  onFirst,
}: {
  readonly query: FeedQuery;
  readonly nextAfterPosition: number | null;
  readonly busy: boolean;
  readonly onNext: (after: number) => void;
  readonly onFirst: () => void;
}) {
  const onFirstPage = query.after === undefined;
  if (onFirstPage && nextAfterPosition === null) return null;
  return (
    <nav className="feed-paging no-print" aria-label="Pages of the log">
      {!onFirstPage && (
        <button
          type="button"
          className="button button--secondary"
          onClick={onFirst}
          disabled={busy}
        >
          Back to the first page
        </button>
      )}
      {nextAfterPosition !== null ? (
        <button
          type="button"
          className="button"
          onClick={() => onNext(nextAfterPosition)}
          disabled={busy}
        >
          Next page
          <span className="visually-hidden">: events after log position {nextAfterPosition}</span>
        </button>
      ) : (
        <p>This is the last page.</p>
      )}
    </nav>
  );
}

const COLUMNS = [
  'Position',
  'Recorded at',
  'Type',
  'Plan',
  'Member State',
  'Actor',
  'Reason',
  'Content',
] as const;

/** The events, one row each; a row's button opens its full content in the row below it. */
export function FeedTable({ entries }: { readonly entries: readonly AuditFeedEntry[] }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (position: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(position)) next.delete(position);
      else next.add(position);
      return next;
    });
  return (
    <div className="data-table">
      <div className="data-table__scroll" tabIndex={0} role="region" aria-labelledby="feed-caption">
        <table className="feed-table">
          <caption id="feed-caption">Recorded events, oldest first</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th
                  key={column}
                  scope="col"
                  className={column === 'Position' ? 'numeric' : undefined}
                >
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 ? (
              <tr>
                <td colSpan={COLUMNS.length} className="data-table__empty">
                  No event matches these filters on this stretch of the log.
                </td>
              </tr>
            ) : (
              entries.map((entry) => (
                <FeedRow
                  key={entry.position}
                  entry={entry}
                  open={open.has(entry.position)}
                  onToggle={() => toggle(entry.position)}
                />
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function FeedRow({
  entry,
  open,
  onToggle,
}: {
  readonly entry: AuditFeedEntry;
  readonly open: boolean;
  readonly onToggle: () => void;
}) {
  const detailsId = `event-${entry.position}-content`;
  const summary = eventSummary(entry.type, entry.data);
  // A monthly report is read against the adopted plan: its event opens the fulfilment view.
  const section = isImplementationEventType(entry.type) ? 'fulfilment' : 'figures';
  return (
    <Fragment>
      <tr className={open ? 'feed-table__row feed-table__row--open' : 'feed-table__row'}>
        <th scope="row" className="numeric">
          {entry.position}
        </th>
        <td>
          <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt)}</time>
        </td>
        <td>
          <span>{eventTypeLabel(entry.type)}</span>
          <br />
          <code className="muted">{entry.type}</code>
          {summary !== undefined && <p className="feed-table__summary">{summary}</p>}
        </td>
        <td className="feed-table__plan">{entry.planId}</td>
        <td>{entry.memberState ?? <span className="muted">—</span>}</td>
        <td>
          <span>{actorName(entry)}</span>
          <br />
          <span className="muted">{roleLabel(entry.actorRole)}</span>
        </td>
        <td className="feed-table__reason">{entry.reason ?? <span className="muted">—</span>}</td>
        <td>
          <div className="feed-table__actions">
            <button
              type="button"
              className="button button--secondary button--small"
              aria-expanded={open}
              aria-controls={open ? detailsId : undefined}
              onClick={onToggle}
            >
              {open ? 'Hide content' : 'Show content'}
              <span className="visually-hidden"> of the event at position {entry.position}</span>
            </button>
            <Link
              className="feed-table__as-of"
              to={pathWithAsOf(
                `/audit/plans/${encodeURIComponent(entry.planId)}/${section}`,
                String(entry.position),
              )}
            >
              View the plan as of this event
              <span className="visually-hidden"> (log position {entry.position})</span>
            </Link>
            <VerifyInclusionButton position={entry.position} />
          </div>
        </td>
      </tr>
      {open && (
        <tr className="feed-table__details">
          <td colSpan={COLUMNS.length} id={detailsId}>
            <EventContent entry={entry} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

/** Everything the log holds about one event. */
export function EventContent({ entry }: { readonly entry: AuditFeedEntry }) {
  const dataId = `event-${entry.position}-data`;
  return (
    <div className="event-content">
      <h3 className="event-content__title">
        {eventTypeLabel(entry.type)} at log position {entry.position}
      </h3>
      <dl className="event-content__facts">
        <div>
          <dt>Stream</dt>
          <dd>
            <code>{entry.streamId}</code>
          </dd>
        </div>
        <div>
          <dt>Stream version</dt>
          <dd>{entry.streamVersion}</dd>
        </div>
        <div>
          <dt>Schema version</dt>
          <dd>{entry.schemaVersion}</dd>
        </div>
        <div>
          <dt>Correlation id</dt>
          <dd>
            <code>{entry.correlationId}</code>
          </dd>
        </div>
        <div>
          <dt>Actor id</dt>
          <dd>
            <code>{entry.actorId}</code>
          </dd>
        </div>
      </dl>
      <p className="event-content__data-label" id={dataId}>
        Data (as today&apos;s schema of {entry.type} reads it)
      </p>
      {/* A region, focusable, so a keyboard can scroll content wider than the screen. */}
      <pre className="event-content__data" tabIndex={0} role="region" aria-labelledby={dataId}>
        {JSON.stringify(entry.data, null, 2)}
      </pre>
    </div>
  );
}
