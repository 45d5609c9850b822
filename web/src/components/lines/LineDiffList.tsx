import { formatCount } from '../../lib/format';
import {
  changedFields,
  describeLine,
  isEmptyDiff,
  type LineReference,
  type LinesDiff,
} from './lineModel';

/**
 * A change between two versions of a set of lines, in words: each line added, removed or changed
 * (with the values that changed, before → after). Markers and words both say which, never colour.
 */
export function LineDiffList({
  diff,
  reference,
  emptyMessage = 'No line changed.',
}: {
  readonly diff: LinesDiff;
  readonly reference: Pick<LineReference, 'hostCountries' | 'planRegions' | 'targetGroups'>;
  readonly emptyMessage?: string;
}) {
  if (isEmptyDiff(diff)) return <p>{emptyMessage}</p>;
  const groupName = (id: string) =>
    reference.targetGroups.find((group) => group.id === id)?.name ?? id;
  return (
    <ul className="line-diff">
      {diff.added.map((line, index) => (
        <li key={`added-${index}`} className="line-diff__added">
          <strong>Added:</strong> {describeLine(line, reference)}: {formatCount(line.persons)}{' '}
          persons
        </li>
      ))}
      {diff.removed.map((line, index) => (
        <li key={`removed-${index}`} className="line-diff__removed">
          <strong>Removed:</strong> {describeLine(line, reference)}: {formatCount(line.persons)}{' '}
          persons
        </li>
      ))}
      {diff.changed.map((change, index) => (
        <li key={`changed-${index}`} className="line-diff__changed">
          <strong>Changed:</strong> {describeLine(change.after, reference)}:{' '}
          {changedFields(change, groupName)
            .map((field) =>
              field.field === 'persons'
                ? `persons ${formatCount(Number(field.before))} → ${formatCount(Number(field.after))}`
                : `${field.field} ${field.before} → ${field.after}`,
            )
            .join('; ')}
        </li>
      ))}
    </ul>
  );
}

/** The same change as one line of text, for a CSV cell. */
export function lineDiffText(
  diff: LinesDiff,
  reference: Pick<LineReference, 'hostCountries' | 'planRegions' | 'targetGroups'>,
): string {
  const groupName = (id: string) =>
    reference.targetGroups.find((group) => group.id === id)?.name ?? id;
  return [
    ...diff.added.map((line) => `added ${describeLine(line, reference)}: ${line.persons}`),
    ...diff.removed.map((line) => `removed ${describeLine(line, reference)}: ${line.persons}`),
    ...diff.changed.map(
      (change) =>
        `changed ${describeLine(change.after, reference)}: ${changedFields(change, groupName)
          .map((field) => `${field.field} ${field.before} -> ${field.after}`)
          .join(', ')}`,
    ),
  ].join('; ');
}
