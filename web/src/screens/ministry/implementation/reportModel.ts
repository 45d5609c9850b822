/**
 * A monthly implementation report as the form holds it (what people type) and as the API takes it,
 * and the mapping of the server's error paths (`admissions.2.familyMembers`, `procedure.registered`,
 * `reason`) onto the form's inputs. An admission line is a pledge line (the line editor's draft)
 * with the persons admitted and the counts the AMIF pays and reports on (Art. 19(3), 19(5)).
 */
import type { AdmissionLine, ProcedureCounts } from '../../../api/implementation';
import type { Problem, ProblemEntry } from '../../../api/problems';
import {
  emptyLine,
  lineFieldLabels,
  problemForEditor,
  toDraft,
  toPledgeLine,
  type LineDraft,
} from '../../../components/lines';
import {
  PROCEDURE_COUNT_FIELDS,
  PROCEDURE_COUNT_LABELS,
  type ProcedureCountField,
} from '../../../lib/labels';

export const ADMISSIONS_PATH = 'admissions';
export const PROCEDURE_PATH = 'procedure';
export const REASON_PATH = 'reason';
/** The month is in the address, not an input: its messages sit under the page's heading. */
export const MONTH_PATH = 'month';

export const SEX_FIELDS = ['female', 'male', 'nonBinary'] as const;
export type SexField = (typeof SEX_FIELDS)[number];
export const AGE_BAND_FIELDS = ['under18', 'from18To60', 'over60'] as const;
export type AgeBandField = (typeof AGE_BAND_FIELDS)[number];

export const SEX_LABELS: Readonly<Record<SexField, string>> = {
  female: 'female',
  male: 'male',
  nonBinary: 'non-binary',
};
export const AGE_BAND_LABELS: Readonly<Record<AgeBandField, string>> = {
  under18: 'under 18',
  from18To60: '18 to 60',
  over60: 'over 60',
};

/** The counts a line adds to a pledge line, each with its own input. */
export const GROUP_FIELDS = ['vulnerablePersons', 'familyMembers'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];
export const GROUP_LABELS: Readonly<Record<GroupField, string>> = {
  vulnerablePersons: 'of whom in the Art. 19(3) groups',
  familyMembers: 'of whom family members (Art. 19(5))',
};

/** One admission line being edited: the pledge line's draft and the counts, as typed. */
export interface AdmissionDraft extends LineDraft {
  readonly vulnerablePersons: string;
  readonly familyMembers: string;
  readonly bySex: Readonly<Record<SexField, string>>;
  readonly byAgeBand: Readonly<Record<AgeBandField, string>>;
}

export type ProcedureDraft = Readonly<Record<ProcedureCountField, string>>;

const blank = <Field extends string>(fields: readonly Field[]) =>
  Object.fromEntries(fields.map((field) => [field, ''])) as Record<Field, string>;

export function emptyAdmission(): AdmissionDraft {
  return {
    ...emptyLine(),
    vulnerablePersons: '',
    familyMembers: '',
    bySex: blank(SEX_FIELDS),
    byAgeBand: blank(AGE_BAND_FIELDS),
  };
}

const typed = (value: number | undefined) => (value === undefined ? '' : String(value));

export function toAdmissionDraft(line: AdmissionLine): AdmissionDraft {
  const { vulnerablePersons, familyMembers, bySex, byAgeBand, ...pledgeLine } = line;
  return {
    ...toDraft(pledgeLine),
    vulnerablePersons: typed(vulnerablePersons),
    familyMembers: typed(familyMembers),
    bySex: {
      female: typed(bySex?.female),
      male: typed(bySex?.male),
      nonBinary: typed(bySex?.nonBinary),
    },
    byAgeBand: {
      under18: typed(byAgeBand?.under18),
      from18To60: typed(byAgeBand?.from18To60),
      over60: typed(byAgeBand?.over60),
    },
  };
}

/**
 * The report's lines ready to edit: none when the month was reported without admissions, one empty
 * line to start from when it has no report yet.
 */
export function toAdmissionDrafts(
  report: { readonly admissions: readonly AdmissionLine[] } | null,
): AdmissionDraft[] {
  return report === null ? [emptyAdmission()] : report.admissions.map(toAdmissionDraft);
}

export function toProcedureDraft(procedure: ProcedureCounts | undefined): ProcedureDraft {
  const draft = blank(PROCEDURE_COUNT_FIELDS);
  for (const field of PROCEDURE_COUNT_FIELDS) draft[field] = typed(procedure?.[field]);
  return draft;
}

/** A count typed as a whole number of 0 or more, or undefined when the field is empty. */
function count(typedValue: string): number | undefined {
  const trimmed = typedValue.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

function breakdown<Field extends string>(
  fields: readonly Field[],
  values: Readonly<Record<Field, string>>,
): Record<Field, number> | undefined {
  // A breakdown is optional as a whole: one figure typed sends it, the empty ones as 0, so the
  // server says when it does not add up to the line's persons.
  if (fields.every((field) => values[field].trim() === '')) return undefined;
  return Object.fromEntries(fields.map((field) => [field, count(values[field]) ?? 0])) as Record<
    Field,
    number
  >;
}

/**
 * The line as the API takes it. A report line's year is its month's, so none is sent. Call only
 * after `countProblems` found nothing: every count is then empty or a whole number.
 */
export function toAdmissionLine(draft: AdmissionDraft): AdmissionLine {
  const { year: _year, ...pledgeLine } = toPledgeLine(draft);
  const vulnerablePersons = count(draft.vulnerablePersons);
  const familyMembers = count(draft.familyMembers);
  const bySex = breakdown(SEX_FIELDS, draft.bySex);
  const byAgeBand = breakdown(AGE_BAND_FIELDS, draft.byAgeBand);
  return {
    ...pledgeLine,
    ...(vulnerablePersons !== undefined && { vulnerablePersons }),
    ...(familyMembers !== undefined && { familyMembers }),
    ...(bySex !== undefined && { bySex }),
    ...(byAgeBand !== undefined && { byAgeBand }),
  };
}

/** The procedure counts typed, or undefined when none was (they are all optional). */
export function toProcedureCounts(draft: ProcedureDraft): ProcedureCounts | undefined {
  const entries = PROCEDURE_COUNT_FIELDS.flatMap((field) => {
    const value = count(draft[field]);
    return value === undefined ? [] : [[field, value] as const];
  });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** Persons admitted on the lines as typed; what is not a whole number counts as nothing. */
export function draftAdmitted(drafts: readonly AdmissionDraft[]): number {
  return drafts.reduce((sum, draft) => {
    const persons = draft.persons.trim();
    return sum + (/^\d+$/.test(persons) ? Number(persons) : 0);
  }, 0);
}

// ---------------------------------------------------------------------------------------------
// Checks before sending, and the server's paths

const WHOLE_NUMBER = /^\d+$/;
const NOT_A_COUNT = 'Enter a whole number of 0 or more, or leave it empty.';

/** Where each count of a line is typed: its request path and its value. */
function lineCounts(draft: AdmissionDraft, rowPath: string): [string, string][] {
  return [
    ...GROUP_FIELDS.map((field): [string, string] => [`${rowPath}.${field}`, draft[field]]),
    ...SEX_FIELDS.map((field): [string, string] => [
      `${rowPath}.bySex.${field}`,
      draft.bySex[field],
    ]),
    ...AGE_BAND_FIELDS.map((field): [string, string] => [
      `${rowPath}.byAgeBand.${field}`,
      draft.byAgeBand[field],
    ]),
  ];
}

/**
 * A count the form cannot send as one (`-3`, `2.5`, `many`): found before sending, every one at
 * once, each at its input. Persons go to the server as the pledge editor sends them (an odd figure
 * as 0), which names the rule a line's persons must keep.
 */
export function countProblems(
  drafts: readonly AdmissionDraft[],
  procedure: ProcedureDraft,
): Problem | undefined {
  const typedCounts = [
    ...drafts.flatMap((draft, index) => lineCounts(draft, `${ADMISSIONS_PATH}.${index}`)),
    ...PROCEDURE_COUNT_FIELDS.map((field): [string, string] => [
      `${PROCEDURE_PATH}.${field}`,
      procedure[field],
    ]),
  ];
  const errors: ProblemEntry[] = typedCounts
    .filter(([, value]) => value.trim() !== '' && !WHOLE_NUMBER.test(value.trim()))
    .map(([path]) => ({ location: 'body', path, message: NOT_A_COUNT }));
  if (errors.length === 0) return undefined;
  return {
    type: 'about:blank',
    title: 'Some counts are not whole numbers',
    status: 422,
    detail: 'Nothing was sent: the tracker records counts of persons and cases.',
    instance: '',
    code: 'invalid_count',
    errors,
  };
}

export function reasonMissing(): Problem {
  return {
    type: 'about:blank',
    title: 'A reason is needed',
    status: 422,
    detail: 'The reason is recorded with the correction for everyone who reads the history.',
    instance: '',
    code: 'reason_required',
    errors: [
      { location: 'body', path: REASON_PATH, message: 'Enter the reason for this correction.' },
    ],
  };
}

const BREAKDOWN = new RegExp(`^(${ADMISSIONS_PATH}\\.\\d+\\.(?:bySex|byAgeBand))(?:\\.(\\w+))?$`);

/** The API's field names, as the form's labels say them. */
const FIELD_WORDS: readonly (readonly [RegExp, string])[] = [
  [/\bvulnerablePersons\b/g, 'persons in the Art. 19(3) groups'],
  [/\bfamilyMembers\b/g, 'family members'],
  [/\bbySex\b/g, 'the breakdown by sex'],
  [/\bbyAgeBand\b/g, 'the breakdown by age'],
];

function inWords(message: string): string {
  const worded = FIELD_WORDS.reduce((text, [name, words]) => text.replace(name, words), message);
  return `${worded.charAt(0).toUpperCase()}${worded.slice(1)}`;
}

/**
 * The server's problem with every path at an input of the form: a line's host, type and groups as
 * the line editor places them; a breakdown's figure at its input, a breakdown as a whole (it does
 * not add up) at its group; procedure counts and the reason as they are. Messages name the fields
 * as the form does.
 */
export function problemForReport(problem: Problem): Problem {
  const edited = problemForEditor(problem, ADMISSIONS_PATH);
  if (problem.errors === undefined) return edited;
  return {
    ...edited,
    errors: (edited.errors ?? []).map((entry, index) => {
      // The line editor keeps a line's first field only; a breakdown's figure has an input.
      const original = problem.errors?.[index]?.path;
      const match = typeof original === 'string' ? BREAKDOWN.exec(original) : null;
      const worded = { ...entry, message: inWords(entry.message) };
      return match === null ? worded : { ...worded, path: match[0] };
    }),
  };
}

/** The path of the group holding a breakdown's three inputs (`admissions.0.bySex`). */
export function breakdownPath(rowPath: string, which: 'bySex' | 'byAgeBand'): string {
  return `${rowPath}.${which}`;
}

/** Names for the summary's links: "Line 2: of whom family members (Art. 19(5))", "Reason". */
export function reportFieldLabels(lineCount: number): Record<string, string> {
  const labels: Record<string, string> = {
    ...lineFieldLabels(lineCount, ADMISSIONS_PATH),
    [ADMISSIONS_PATH]: 'Admissions',
    [MONTH_PATH]: 'Month',
    [PROCEDURE_PATH]: 'Admission procedure',
    [REASON_PATH]: 'Reason for the correction',
  };
  for (let index = 0; index < lineCount; index += 1) {
    const row = `${ADMISSIONS_PATH}.${index}`;
    const line = `Line ${index + 1}`;
    labels[`${row}.persons`] = `${line}: persons admitted`;
    for (const field of GROUP_FIELDS) labels[`${row}.${field}`] = `${line}: ${GROUP_LABELS[field]}`;
    labels[`${row}.bySex`] = `${line}: breakdown by sex`;
    labels[`${row}.byAgeBand`] = `${line}: breakdown by age`;
    for (const field of SEX_FIELDS) {
      labels[`${row}.bySex.${field}`] = `${line}: ${SEX_LABELS[field]}`;
    }
    for (const field of AGE_BAND_FIELDS) {
      labels[`${row}.byAgeBand.${field}`] = `${line}: ${AGE_BAND_LABELS[field]}`;
    }
  }
  for (const field of PROCEDURE_COUNT_FIELDS) {
    labels[`${PROCEDURE_PATH}.${field}`] = PROCEDURE_COUNT_LABELS[field];
  }
  return labels;
}
