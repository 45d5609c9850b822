/** A report's versions in words: what each one added, removed or changed. */
import { describeHost, type LineReference } from '../../../components/lines';
import { formatCount } from '../../../lib/format';
import {
  ADMISSION_TYPE_LABELS,
  EMERGENCY_BASIS_LABELS,
  PROCEDURE_COUNT_LABELS,
} from '../../../lib/labels';
import type { AdmissionLine, ReportHistoryEntry } from './fulfilmentApi';

export type ReportDiff = ReportHistoryEntry['diff'];
export type LineReader = Pick<LineReference, 'hostCountries' | 'planRegions'>;

/**
 * A report line in words, without its counts: "Emergency admission (resettlement basis), Niger".
 * The year shows only where the line names one: a report's month already says when.
 */
export function describeAdmissionLine(line: AdmissionLine, reader: LineReader): string {
  const admission =
    line.admissionType === 'emergency_admission' && line.emergencyBasis !== undefined
      ? `${ADMISSION_TYPE_LABELS[line.admissionType]} (${EMERGENCY_BASIS_LABELS[
          line.emergencyBasis
        ].toLowerCase()} basis)`
      : ADMISSION_TYPE_LABELS[line.admissionType];
  return [
    admission,
    describeHost(line, reader),
    line.year === undefined ? undefined : String(line.year),
  ]
    .filter((part) => part !== undefined)
    .join(', ');
}

const persons = (count: number) => `${formatCount(count)} ${count === 1 ? 'person' : 'persons'}`;
const maybe = (count: number | null) => (count === null ? 'not reported' : formatCount(count));

/**
 * Each change of one version, a sentence each: lines added and removed with their persons, lines
 * changed with the counts that moved (persons, Art. 19(3) groups, family members), and the
 * procedure counts given, changed or withdrawn.
 */
export function describeReportDiff(diff: ReportDiff, reader: LineReader): string[] {
  const changes: string[] = [
    ...diff.added.map(
      (line) => `Added: ${describeAdmissionLine(line, reader)}, ${persons(line.persons)}`,
    ),
    ...diff.removed.map(
      (line) => `Removed: ${describeAdmissionLine(line, reader)}, ${persons(line.persons)}`,
    ),
    ...diff.changed.map((change) => {
      const moved = (
        [
          ['persons', change.persons],
          ['in Art. 19(3) groups', change.vulnerablePersons],
          ['family members', change.familyMembers],
        ] as const
      )
        .filter(([, count]) => count.delta !== 0)
        .map(
          ([label, count]) => `${label} ${formatCount(count.before)} → ${formatCount(count.after)}`,
        );
      const what = moved.length > 0 ? moved.join(', ') : 'breakdown, groups or note';
      return `Changed: ${describeAdmissionLine(change.after, reader)}: ${what}`;
    }),
    ...diff.procedure.map((change) =>
      change.before === null
        ? `${PROCEDURE_COUNT_LABELS[change.field]}: ${maybe(change.after)}`
        : `${PROCEDURE_COUNT_LABELS[change.field]}: ${maybe(change.before)} → ${maybe(change.after)}`,
    ),
  ];
  return changes;
}
