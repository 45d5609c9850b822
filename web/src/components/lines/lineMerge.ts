/**
 * A three-way merge of pledge lines: my edits since the version I started from, applied onto the
 * version someone else saved meanwhile. Lines are matched by their key (admission type, host, year,
 * emergency basis), as the server's history diff matches them. What only one side changed is
 * taken from that side; a line both sides changed differently is left for the person to decide,
 * so nothing is lost without them seeing it.
 */
import {
  changedFields,
  lineKey,
  toDraft,
  toPledgeLine,
  type LineDraft,
  type PledgeLine,
} from './lineModel';

/** A line both sides touched, differently. `undefined` on a side means that side removed it. */
export interface LineMergeConflict {
  /** The line's key; names the decision. */
  readonly key: string;
  /** The line in the version the edits started from; undefined when both sides added it. */
  readonly base: PledgeLine | undefined;
  readonly theirs: PledgeLine | undefined;
  readonly mine: LineDraft | undefined;
}

/** Where a line of the merged result comes from. */
type MergedEntry =
  | { readonly kind: 'line'; readonly draft: LineDraft }
  | { readonly kind: 'conflict'; readonly conflict: LineMergeConflict };

export interface LinesMerge {
  /** Their lines first, in their order, then the lines only I have, in mine. */
  readonly entries: readonly MergedEntry[];
  readonly conflicts: readonly LineMergeConflict[];
}

/** Which side's line to keep for a conflict: keeping a side that removed it removes it. */
export type MergeChoice = 'theirs' | 'mine';

/** Same key and the same values (persons, target groups, note). */
export function sameLine(a: PledgeLine, b: PledgeLine): boolean {
  return lineKey(a) === lineKey(b) && changedFields({ before: a, after: b }).length === 0;
}

function sameOrBothAbsent(a: PledgeLine | undefined, b: PledgeLine | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameLine(a, b);
}

/** The lines by key, the first of each key; the rest are returned apart. */
function byKey<Line>(
  lines: readonly Line[],
  asLine: (line: Line) => PledgeLine,
): { readonly first: Map<string, Line>; readonly repeated: Line[] } {
  const first = new Map<string, Line>();
  const repeated: Line[] = [];
  for (const line of lines) {
    const key = lineKey(asLine(line));
    if (first.has(key)) repeated.push(line);
    else first.set(key, line);
  }
  return { first, repeated };
}

/**
 * Merges `mine` (the editor's rows) onto `theirs`, both descended from `base`. My rows keep their
 * identity and what was typed in them; their lines become fresh rows.
 */
export function mergeLines(
  base: readonly PledgeLine[],
  theirs: readonly PledgeLine[],
  mine: readonly LineDraft[],
): LinesMerge {
  const identity = (line: PledgeLine) => line;
  const baseByKey = byKey(base, identity).first;
  const theirsByKey = byKey(theirs, identity);
  const mineByKey = byKey(mine, toPledgeLine);
  const entries: MergedEntry[] = [];
  const conflicts: LineMergeConflict[] = [];

  /** The outcome for one key present on at least one side; undefined drops the line. */
  const resolve = (key: string): MergedEntry | undefined => {
    const before = baseByKey.get(key);
    const their = theirsByKey.first.get(key);
    const myDraft = mineByKey.first.get(key);
    const my = myDraft === undefined ? undefined : toPledgeLine(myDraft);
    const iChanged = !sameOrBothAbsent(before, my);
    const theyChanged = !sameOrBothAbsent(before, their);
    // Untouched by me: their line (or its removal) stands.
    if (!iChanged) return their === undefined ? undefined : { kind: 'line', draft: toDraft(their) };
    // Untouched by them, or both made the same change: mine stands.
    if (!theyChanged || sameOrBothAbsent(their, my)) {
      return myDraft === undefined ? undefined : { kind: 'line', draft: myDraft };
    }
    const conflict: LineMergeConflict = { key, base: before, theirs: their, mine: myDraft };
    conflicts.push(conflict);
    return { kind: 'conflict', conflict };
  };

  const seen = new Set<string>();
  for (const line of theirs) {
    const key = lineKey(line);
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = resolve(key);
    if (entry !== undefined) entries.push(entry);
  }
  // A second line with a key they already have is theirs to keep (the server will say why not).
  for (const line of theirsByKey.repeated) entries.push({ kind: 'line', draft: toDraft(line) });
  for (const draft of mine) {
    const key = lineKey(toPledgeLine(draft));
    if (mineByKey.first.get(key) !== draft) {
      // A repeated key of mine: an added row (perhaps still being filled in), kept as typed.
      entries.push({ kind: 'line', draft });
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = resolve(key);
    if (entry !== undefined) entries.push(entry);
  }
  // Lines of the base neither side kept need nothing: both removed them, or one did untouched.
  return { entries, conflicts };
}

/** The merged rows with each conflict settled by `choices` (by key); undefined while one is open. */
export function mergedDrafts(
  merge: LinesMerge,
  choices: Readonly<Record<string, MergeChoice>>,
): LineDraft[] | undefined {
  const drafts: LineDraft[] = [];
  for (const entry of merge.entries) {
    if (entry.kind === 'line') {
      drafts.push(entry.draft);
      continue;
    }
    const { conflict } = entry;
    const choice = choices[conflict.key];
    if (choice === undefined) return undefined;
    if (choice === 'mine' && conflict.mine !== undefined) drafts.push(conflict.mine);
    if (choice === 'theirs' && conflict.theirs !== undefined) drafts.push(toDraft(conflict.theirs));
  }
  return drafts;
}
