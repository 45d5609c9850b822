import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import type { ApiError } from '../../api/problems';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import {
  diffLines,
  LineDiffList,
  toPledgeLines,
  type LineDraft,
  type LineReference,
} from '../../components/lines';
import { formatDateTime } from '../../lib/format';
import {
  actorLabel,
  fetchOwnPledge,
  fetchVersionEntry,
  type PledgeHistoryEntry,
  type PledgeLine,
  type Pledge,
} from './pledgeApi';
import { EVENT_TYPE_LABELS } from './planLabels';

/** The version an edit started from: none when it was a first submission. */
export interface EditBase {
  readonly version: number;
  readonly lines: readonly PledgeLine[];
  readonly status: Pledge['status'];
}

/** The pledge as it stands now and the entry that made it, read afresh after a refusal. */
interface CurrentState {
  readonly pledge: Pledge | null;
  readonly entry: PledgeHistoryEntry | undefined;
}

async function fetchCurrentState(planId: string, memberState: string): Promise<CurrentState> {
  const pledge = await fetchOwnPledge(planId, memberState, undefined);
  const entry =
    pledge === null ? undefined : await fetchVersionEntry(planId, memberState, pledge.version);
  return { pledge, entry };
}

/**
 * Shown when a write was refused because the pledge changed since it was loaded (412): what the
 * other change was (lines added, removed, changed; who, when, why) beside the edits not sent, and
 * the two ways on: keep my edits on top of the current version, or take the current version.
 * Nothing is sent from here.
 */
export function ConflictView({
  planId,
  memberState,
  startedFrom,
  myLines,
  reference,
  onReapply,
  onDiscard,
}: {
  readonly planId: string;
  readonly memberState: string;
  /** The version the edits started from, or null for a first submission. */
  readonly startedFrom: EditBase | null;
  readonly myLines: readonly LineDraft[];
  readonly reference: LineReference;
  /** Move the base to `current` and keep my edits. */
  readonly onReapply: (current: Pledge | null) => void;
  /** Take `current` as it is: my edits are dropped. */
  readonly onDiscard: (current: Pledge | null) => void;
}) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const current = useQuery<CurrentState, ApiError>({
    queryKey: ['pledge-conflict', planId, memberState, startedFrom?.version ?? 0],
    queryFn: () => fetchCurrentState(planId, memberState),
    staleTime: 0,
    gcTime: 0,
  });
  // The refusal interrupts the person: take them to the explanation.
  useEffect(() => headingRef.current?.focus(), []);

  const baseLines = startedFrom?.lines ?? [];
  const mine = toPledgeLines(myLines);

  return (
    <section className="conflict-view" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        Someone else changed this pledge while you were editing
      </h2>
      <p>
        Your change was not saved: it was made to{' '}
        {startedFrom === null
          ? 'a pledge that did not exist yet'
          : `version ${startedFrom.version}`}
        , and the pledge has moved on since. Nothing is lost: your edits are still in the editor.
      </p>
      {current.isPending && <Loading label="Loading the current version" />}
      {current.error && (
        <ProblemAlert
          problem={current.error.problem}
          title="The current version could not be loaded"
          focusOnShow={false}
        />
      )}
      {current.data && (
        <>
          <div className="ministry-columns">
            <div>
              <h3>
                Their change:{' '}
                {startedFrom === null ? 'no pledge' : `version ${startedFrom.version}`} →{' '}
                {current.data.pledge === null
                  ? 'no pledge'
                  : `version ${current.data.pledge.version}`}
              </h3>
              {current.data.entry !== undefined && (
                <p>
                  {EVENT_TYPE_LABELS[current.data.entry.type] ?? current.data.entry.type} by{' '}
                  <strong>{actorLabel(current.data.entry.actor)}</strong> on{' '}
                  <time dateTime={current.data.entry.recordedAt}>
                    {formatDateTime(current.data.entry.recordedAt)}
                  </time>
                  {current.data.entry.reason !== undefined && (
                    <>, giving the reason “{current.data.entry.reason}”</>
                  )}
                  .
                </p>
              )}
              {current.data.pledge?.status === 'withdrawn' && (
                <p>
                  <strong>The pledge is now withdrawn.</strong> Saving your lines submits it again.
                </p>
              )}
              <LineDiffList
                diff={diffLines(baseLines, current.data.pledge?.lines ?? [])}
                reference={reference}
                emptyMessage="The lines are the same; only the version moved on."
              />
            </div>
            <div>
              <h3>Your edits (not sent)</h3>
              <LineDiffList
                diff={diffLines(baseLines, mine)}
                reference={reference}
                emptyMessage="You have not changed any line."
              />
            </div>
          </div>
          <div className="ministry-actions">
            <button type="button" className="button" onClick={() => onReapply(current.data.pledge)}>
              Reload their version and reapply my changes
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => onDiscard(current.data.pledge)}
            >
              Discard my changes
            </button>
          </div>
        </>
      )}
    </section>
  );
}
