/**
 * The server names a problem by its path into the request (`lines.2.hostCountries.1`); the editor
 * has one input per field of a line. These map the one onto the other, so every message lands
 * beside an input that exists, and the summary links to it.
 */
import type { Problem } from '../../api/problems';

/** The fields of a line that have an input (and an element id) in the editor. */
export type LineField =
  'admissionType' | 'emergencyBasis' | 'host' | 'persons' | 'year' | 'targetGroups' | 'note';

export const LINE_FIELD_LABELS: Readonly<Record<LineField, string>> = {
  admissionType: 'admission type',
  emergencyBasis: 'emergency basis',
  host: 'host',
  persons: 'persons',
  year: 'year',
  targetGroups: 'target groups',
  note: 'note',
};

const HOST_FIELDS = new Set(['hostCountry', 'hostCountries', 'planRegion']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `lines.0.hostCountries.1` → `lines.0.host`; `lines.0.targetGroups.2` → `lines.0.targetGroups`. */
export function editorPath(path: string, prefix = 'lines'): string {
  const match = new RegExp(`^${escapeRegExp(prefix)}\\.(\\d+)(?:\\.([A-Za-z]+))?`).exec(path);
  if (match === null) return path;
  const [, index, field] = match;
  if (field === undefined) return `${prefix}.${index}`;
  if (HOST_FIELDS.has(field)) return `${prefix}.${index}.host`;
  return `${prefix}.${index}.${field}`;
}

/**
 * The server counts lines from 0 and starts each message with it ("Line 0: persons must be …");
 * people count from 1, and beside the field the line is already known.
 */
export function readableMessage(message: string): string {
  return message
    .replace(/^Line \d+: /, '')
    .replace(/\bLines (\d+) and (\d+)\b/, (_, first: string, second: string) => {
      return `Lines ${Number(first) + 1} and ${Number(second) + 1}`;
    });
}

/** The problem with every entry's path pointing at an editor input and a message for people. */
export function problemForEditor(problem: Problem, prefix = 'lines'): Problem {
  if (problem.errors === undefined || problem.errors.length === 0) return problem;
  return {
    ...problem,
    // The server's detail strings the messages together, numbering lines from 0; the list
    // under the summary says each one, at its field, for people.
    detail: problem.title,
    errors: problem.errors.map((entry) => ({
      ...entry,
      ...(typeof entry.path === 'string' && { path: editorPath(entry.path, prefix) }),
      message: readableMessage(entry.message),
    })),
  };
}

/** "Line 2: persons" for each path of the editor, for the summary's links. */
export function lineFieldLabels(lineCount: number, prefix = 'lines'): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let index = 0; index < lineCount; index += 1) {
    labels[`${prefix}.${index}`] = `Line ${index + 1}`;
    for (const [field, label] of Object.entries(LINE_FIELD_LABELS)) {
      labels[`${prefix}.${index}.${field}`] = `Line ${index + 1}: ${label}`;
    }
  }
  return labels;
}

/**
 * Messages follow their line when lines are removed or added after the answer: the paths name
 * positions in the lines as sent (`sentKeys`), the editor shows the rows it has now
 * (`currentKeys`). A removed line's messages go with it.
 */
export function problemForRows(
  problem: Problem,
  sentKeys: readonly string[],
  currentKeys: readonly string[],
  prefix = 'lines',
): Problem {
  if (problem.errors === undefined) return problem;
  const pattern = new RegExp(`^${escapeRegExp(prefix)}\\.(\\d+)(.*)$`);
  const errors = problem.errors.flatMap((entry) => {
    const match = typeof entry.path === 'string' ? pattern.exec(entry.path) : null;
    if (match === null) return [entry];
    const [, sentIndex = '', rest = ''] = match;
    const key = sentKeys[Number(sentIndex)];
    const index = key === undefined ? -1 : currentKeys.indexOf(key);
    return index < 0 ? [] : [{ ...entry, path: `${prefix}.${index}${rest}` }];
  });
  return { ...problem, errors };
}
