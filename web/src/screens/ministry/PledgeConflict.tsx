import { useQuery } from '@tanstack/react-query';
import type { ApiError } from '../../api/problems';
import {
  describeLine,
  diffLines,
  LineDiffList,
  mergedDrafts,
  mergeLines,
  toPledgeLine,
  toPledgeLines,
  type LineDraft,
  type LineReference,
  type PledgeLine as EditedLine,
} from '../../components/lines';
import { formatCount } from '../../lib/format';
import { ConflictView, type ConflictContent } from './editing/ConflictView';
import {
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

/** A line's values in words: "70 persons; target groups: Children; note: …". */
function valuesText(line: EditedLine, reference: Pick<LineReference, 'targetGroups'>): string {
  const groups = (line.targetGroups ?? []).map(
    (id) => reference.targetGroups.find((group) => group.id === id)?.name ?? id,
  );
  return [
    `${formatCount(line.persons)} ${line.persons === 1 ? 'person' : 'persons'}`,
    ...(groups.length > 0 ? [`target groups: ${groups.join(', ')}`] : []),
    ...(line.note !== undefined && line.note !== '' ? [`note: ${line.note}`] : []),
  ].join('; ');
}

const personsOf = (lines: readonly EditedLine[]) =>
  lines.reduce((sum, line) => sum + line.persons, 0);

/**
 * The pledge's conflict: their lines added, removed and changed beside mine, my lines merged onto
 * theirs (see `ConflictView`).
 */
export function PledgeConflict({
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
  /** Move the base to `current`, with my edits applied onto its lines (`merged`). */
  readonly onReapply: (current: Pledge | null, merged: LineDraft[]) => void;
  /** Take `current` as it is: my edits are dropped. */
  readonly onDiscard: (current: Pledge | null) => void;
}) {
  const current = useQuery<CurrentState, ApiError>({
    queryKey: ['pledge-conflict', planId, memberState, startedFrom?.version ?? 0],
    queryFn: () => fetchCurrentState(planId, memberState),
    staleTime: 0,
    gcTime: 0,
  });
  const baseLines = startedFrom?.lines ?? [];
  const mine = toPledgeLines(myLines);

  let content: ConflictContent | undefined;
  if (current.data !== undefined) {
    const { pledge, entry } = current.data;
    const theirLines = pledge?.lines ?? [];
    const merge = mergeLines(baseLines, theirLines, myLines);
    content = {
      theirHeading: `Their change: ${
        startedFrom === null ? 'no pledge' : `version ${startedFrom.version}`
      } → ${pledge === null ? 'no pledge' : `version ${pledge.version}`}`,
      entry: entry && {
        label: EVENT_TYPE_LABELS[entry.type] ?? entry.type,
        actor: entry.actor,
        recordedAt: entry.recordedAt,
        reason: entry.reason,
      },
      theirNotes: (
        <>
          {pledge !== null && <p>{formatCount(pledge.total)} persons pledged.</p>}
          {pledge?.status === 'withdrawn' && (
            <p>
              <strong>The pledge is now withdrawn.</strong> Saving your lines submits it again.
            </p>
          )}
        </>
      ),
      theirDiff: (
        <LineDiffList
          diff={diffLines(baseLines, theirLines)}
          reference={reference}
          emptyMessage="The lines are the same; only the version moved on."
        />
      ),
      myNotes: <p>{formatCount(personsOf(mine))} persons pledged.</p>,
      myDiff: (
        <LineDiffList
          diff={diffLines(baseLines, mine)}
          reference={reference}
          emptyMessage="You have not changed any line."
        />
      ),
      theirThings: 'lines',
      items: merge.conflicts.map((conflict) => {
        const shown = conflict.mine === undefined ? conflict.theirs : toPledgeLine(conflict.mine);
        return {
          key: conflict.key,
          name: shown === undefined ? conflict.key : describeLine(shown, reference),
          noun: 'line',
          base: conflict.base && valuesText(conflict.base, reference),
          theirs:
            conflict.theirs === undefined
              ? 'the line removed'
              : valuesText(conflict.theirs, reference),
          mine:
            conflict.mine === undefined
              ? 'the line removed'
              : valuesText(toPledgeLine(conflict.mine), reference),
        };
      }),
      onReapply: (choices) => {
        const merged = mergedDrafts(merge, choices);
        if (merged !== undefined) onReapply(pledge, merged);
      },
      onDiscard: () => onDiscard(pledge),
    };
  }

  return (
    <ConflictView
      heading="Someone else changed this pledge while you were editing"
      intro={
        <>
          Your change was not saved: it was made to{' '}
          {startedFrom === null
            ? 'a pledge that did not exist yet'
            : `version ${startedFrom.version}`}
          , and the pledge has moved on since. Nothing is lost: your edits are still in the editor.
        </>
      }
      isPending={current.isPending}
      error={current.error}
      content={content}
    />
  );
}
