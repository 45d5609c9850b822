import { useId, useState } from 'react';
import { countChanges, type Change, type ComparedRow } from './compareModel';

/** Words first, a symbol beside them: the difference never rests on colour alone. */
const CHANGE_MARKERS: Readonly<Record<Change, { symbol: string; text: string }>> = {
  added: { symbol: '+', text: 'Added' },
  removed: { symbol: '−', text: 'Removed' },
  changed: { symbol: '≠', text: 'Changed' },
  same: { symbol: '=', text: 'Same' },
};

function ChangeMarker({ change }: { readonly change: Change }) {
  const marker = CHANGE_MARKERS[change];
  return (
    <span className={`change-marker change-marker--${change}`}>
      <span aria-hidden="true" className="change-marker__symbol">
        {marker.symbol}
      </span>{' '}
      {marker.text}
    </span>
  );
}

function summary(rows: readonly ComparedRow[]): string {
  const counts = countChanges(rows);
  const differences = counts.added + counts.removed + counts.changed;
  if (differences === 0) return 'The two versions state the same.';
  const parts = [
    counts.changed > 0 ? `${counts.changed} changed` : undefined,
    counts.added > 0 ? `${counts.added} added` : undefined,
    counts.removed > 0 ? `${counts.removed} removed` : undefined,
  ].filter(Boolean);
  return `${differences} ${differences === 1 ? 'difference' : 'differences'}: ${parts.join(', ')}.`;
}

/**
 * Two versions side by side, one row per fact, with a "Difference" column in words (Added,
 * Removed, Changed, Same) and a tinted row for each difference. "Added" means only version B has
 * it, "Removed" only version A.
 */
export function ComparisonTable({
  caption,
  labelA,
  labelB,
  rows,
}: {
  readonly caption: string;
  readonly labelA: string;
  readonly labelB: string;
  readonly rows: readonly ComparedRow[];
}) {
  const id = useId();
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const shown = onlyDifferences ? rows.filter((row) => row.change !== 'same') : rows;
  return (
    <div className="comparison">
      <p className="comparison__summary" id={`${id}-summary`}>
        {summary(rows)}
      </p>
      <p className="comparison__filter no-print">
        <label>
          <input
            type="checkbox"
            checked={onlyDifferences}
            onChange={(event) => setOnlyDifferences(event.target.checked)}
          />{' '}
          Show only the differences
        </label>
      </p>
      <div className="data-table">
        <div
          className="data-table__scroll"
          tabIndex={0}
          role="region"
          aria-labelledby={`${id}-caption`}
        >
          <table className="comparison__table" aria-describedby={`${id}-summary`}>
            <caption id={`${id}-caption`}>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">{labelA}</th>
                <th scope="col">{labelB}</th>
                <th scope="col">Difference</th>
              </tr>
            </thead>
            <tbody>
              {shown.length === 0 ? (
                <tr>
                  <td colSpan={4} className="data-table__empty">
                    No differences.
                  </td>
                </tr>
              ) : (
                shown.map((row) => (
                  <tr
                    key={row.key}
                    className={`comparison__row comparison__row--${row.change}`}
                    data-change={row.change}
                  >
                    <th scope="row">{row.label}</th>
                    <td>{row.a ?? <span className="muted">not in this version</span>}</td>
                    <td>{row.b ?? <span className="muted">not in this version</span>}</td>
                    <td>
                      <ChangeMarker change={row.change} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
