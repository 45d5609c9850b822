import type { ReactNode } from 'react';
import type { ApiError } from '../../../api/problems';
import { DataTable, type DataTableColumn } from '../../../components/DataTable';
import { Loading } from '../../../components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import type { LineReference } from '../../../components/lines';
import { formatDateTime } from '../../../lib/format';
import { actorLabel, type EventActor } from '../pledgeApi';

/** What every version of a history says: which, what kind of write, who, when, why. */
export interface VersionEntry {
  readonly version: number;
  readonly type: string;
  readonly actor: EventActor;
  /** Recorded by the Commission on the Member State's behalf. */
  readonly onBehalf?: boolean;
  readonly recordedAt: string;
  readonly reason?: string | undefined;
}

/** The pages of versions read so far, and the way to the next (an infinite query's result). */
export interface VersionPages<Entry> {
  readonly data: { readonly pages: readonly { readonly versions: readonly Entry[] }[] } | undefined;
  readonly hasNextPage: boolean;
  readonly isFetchingNextPage: boolean;
  readonly fetchNextPage: () => Promise<unknown>;
}

/** "Anna Schmidt", or "Eva Lindqvist (the Commission, on our behalf)". */
function byText(entry: VersionEntry): string {
  return entry.onBehalf === true
    ? `${actorLabel(entry.actor)} (the Commission, on our behalf)`
    : actorLabel(entry.actor);
}

/**
 * Every version of a record, oldest first, one row each: who changed it, when, why, the count it
 * moved and what changed, with a CSV of the rows shown and more versions on request. Until the
 * versions are read: the problem that stopped them, or a loading note.
 */
export function VersionHistory<Entry extends VersionEntry>({
  history,
  reference,
  problem,
  isPending,
  typeLabels,
  count,
  diff,
  caption,
  csvFileName,
  emptyMessage,
}: {
  readonly history: VersionPages<Entry>;
  /** The names of hosts and target groups the diffs speak of; undefined until read. */
  readonly reference: LineReference | undefined;
  /** What stopped the history (or what it needs) from loading; null when nothing did. */
  readonly problem: ApiError | null;
  /** The history, or what it needs to be read out, is still loading. */
  readonly isPending: boolean;
  /** The kinds of write in words, by event type. */
  readonly typeLabels: Readonly<Record<string, string>>;
  /** The count each version moved: "Persons", "50 → 70 (+20)". */
  readonly count: { readonly header: string; readonly change: (entry: Entry) => string };
  /** What changed: in words on screen, as one text in the CSV. */
  readonly diff: {
    readonly cell: (entry: Entry, reference: LineReference) => ReactNode;
    readonly text: (entry: Entry, reference: LineReference) => string;
  };
  readonly caption: string;
  readonly csvFileName: string;
  readonly emptyMessage: string;
}) {
  const columns = (reference: LineReference): DataTableColumn<Entry>[] => [
    {
      key: 'version',
      header: 'Version',
      numeric: true,
      rowHeader: true,
      value: (entry) => entry.version,
    },
    { key: 'change', header: 'Change', value: (entry) => typeLabels[entry.type] ?? entry.type },
    { key: 'actor', header: 'By', value: byText },
    {
      key: 'time',
      header: 'When',
      value: (entry) => entry.recordedAt,
      cell: (entry) => <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt)}</time>,
    },
    { key: 'reason', header: 'Reason', value: (entry) => entry.reason ?? '' },
    { key: 'count', header: count.header, numeric: true, value: count.change },
    {
      key: 'diff',
      header: 'What changed',
      value: (entry) => diff.text(entry, reference),
      cell: (entry) => diff.cell(entry, reference),
    },
  ];
  const entries = history.data?.pages.flatMap((page) => page.versions) ?? [];
  return (
    <>
      {problem && (
        <ProblemAlert problem={problem.problem} title="The history could not be loaded" />
      )}
      {!problem && isPending && <Loading label="Loading the history" />}
      {!problem && !isPending && history.data && reference && (
        <>
          <DataTable
            caption={caption}
            columns={columns(reference)}
            rows={entries}
            rowKey={(entry) => String(entry.version)}
            csvFileName={csvFileName}
            emptyMessage={emptyMessage}
          />
          {history.hasNextPage && (
            <p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void history.fetchNextPage()}
                disabled={history.isFetchingNextPage}
              >
                {history.isFetchingNextPage ? 'Loading more versions…' : 'Load more'}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
