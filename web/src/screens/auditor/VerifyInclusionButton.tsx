import { useMutation } from '@tanstack/react-query';
import { CheckResultView } from './CheckResultView';
import { checkInclusion, type InclusionResult } from './logChecks';
import { useReadLatestHead } from './useLatestHead';

/**
 * A feed row's "Verify inclusion": the event's record checked in the browser against the latest
 * signed head, the verdict announced in the row (the Log integrity page explains it at length).
 */
export function VerifyInclusionButton({ position }: { readonly position: number }) {
  const readLatestHead = useReadLatestHead();
  const check = useMutation<InclusionResult, Error>({
    mutationFn: async () => checkInclusion(position, await readLatestHead()),
  });
  return (
    <div className="feed-table__verify">
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => check.mutate()}
        disabled={check.isPending}
      >
        Verify inclusion
        <span className="visually-hidden"> of the event at position {position}</span>
      </button>
      <CheckResultView
        compact
        result={
          check.data ??
          (check.error
            ? { ok: false, summary: `Not checked: ${check.error.message}`, details: [] }
            : undefined)
        }
        pending={check.isPending}
        pendingLabel="Checking against the latest signed head"
      />
    </div>
  );
}
