import { AsOfLink, useAsOf } from '../../../asOf';
import { Tabs } from '../../../components/Tabs';
import { formatMonth } from '../../../lib/format';

/** Where the ministry's implementation screens of a plan live. */
export function implementationPath(planId: string, month?: string): string {
  const base = `/ministry/plans/${encodeURIComponent(planId)}/implementation`;
  return month === undefined ? base : `${base}/${encodeURIComponent(month)}`;
}

export function fulfilmentPath(planId: string): string {
  return `/ministry/plans/${encodeURIComponent(planId)}/fulfilment`;
}

/**
 * The instant "now" means on these screens: the `asOf` instant when looking back to one, else the
 * clock. A log position names no instant; the server's answer then says which it measured at.
 */
export function useReferenceInstant(serverInstant?: string): number {
  const { value } = useAsOf();
  if (value?.kind === 'instant') return value.instant.getTime();
  if (serverInstant !== undefined) {
    const parsed = Date.parse(serverInstant);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return Date.now();
}

/**
 * Counts only (Art. 9; DOMAIN "Deadlines during implementation"): identities stay in the national
 * systems and Eurodac. Said where reports are made, so nobody types one in a note or a reason.
 */
export function CountsOnlyNotice() {
  return (
    <div className="ministry-notice counts-only" role="note" aria-label="Counts only">
      <p>
        <strong>Counts only.</strong> The tracker records how many persons were admitted, never who:
        no names, case numbers or dates of birth, not even in a note or a reason. Those stay in the
        national systems and Eurodac; the tracker refuses text that looks like them.
      </p>
    </div>
  );
}

/** A month's two pages: the report, and its history. */
export function ReportTabs({ planId, month }: { readonly planId: string; readonly month: string }) {
  const base = implementationPath(planId, month);
  return (
    <>
      <p className="no-print">
        <AsOfLink to={implementationPath(planId)}>Back to every month of the plan</AsOfLink>
      </p>
      <Tabs
        label={`The report for ${formatMonth(month)}`}
        items={[
          { to: base, label: 'Report', end: true },
          { to: `${base}/history`, label: 'Report history' },
        ]}
      />
    </>
  );
}
