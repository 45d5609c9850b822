import type { LineReference } from '../../../components/lines';
import {
  admittedText,
  describeAdmissionLine,
  lineChanges,
  procedureChangeText,
  type AdmissionsDiff,
} from './reportDiff';

/**
 * A report's change in words, one item per line added, removed or changed and per procedure count
 * that moved. Markers and words both say which, never colour.
 */
export function ReportDiffList({
  diff,
  reference,
  emptyMessage = 'Nothing changed.',
}: {
  readonly diff: AdmissionsDiff;
  readonly reference: Pick<LineReference, 'hostCountries' | 'planRegions' | 'targetGroups'>;
  readonly emptyMessage?: string;
}) {
  const procedure = diff.procedure ?? [];
  if (
    diff.added.length === 0 &&
    diff.removed.length === 0 &&
    diff.changed.length === 0 &&
    procedure.length === 0
  ) {
    return <p>{emptyMessage}</p>;
  }
  return (
    <ul className="line-diff">
      {diff.added.map((line, index) => (
        <li key={`added-${index}`} className="line-diff__added">
          <strong>Added:</strong> {describeAdmissionLine(line, reference)}: {admittedText(line)}
        </li>
      ))}
      {diff.removed.map((line, index) => (
        <li key={`removed-${index}`} className="line-diff__removed">
          <strong>Removed:</strong> {describeAdmissionLine(line, reference)}: {admittedText(line)}
        </li>
      ))}
      {diff.changed.map(({ before, after }, index) => (
        <li key={`changed-${index}`} className="line-diff__changed">
          <strong>Changed:</strong> {describeAdmissionLine(after, reference)}:{' '}
          {lineChanges(before, after, reference).join('; ')}
        </li>
      ))}
      {procedure.map((change) => (
        <li key={`procedure-${change.field}`} className="line-diff__changed">
          <strong>Procedure:</strong> {procedureChangeText(change)}
        </li>
      ))}
    </ul>
  );
}
