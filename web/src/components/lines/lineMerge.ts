/**
 * A three-way merge of lines: my edits since the version I started from, applied onto the version
 * someone else saved meanwhile. Lines are matched by their key (admission type, host, year,
 * emergency basis), as the server's history diff matches them. What only one side changed is
 * taken from that side; a line both sides changed differently is left for the person to decide,
 * so nothing is lost without them seeing it.
 *
 * The merge is the same for every kind of line (a pledge's, a monthly report's with its counts):
 * a `LineShape` says how to key, compare and convert that kind.
 */
import {
  changedFields,
  lineKey,
  toDraft,
  toPledgeLine,
  type LineDraft,
  type PledgeLine,
} from './lineModel';

/** How one kind of line is merged: saved lines (`Line`) against the editor's rows (`Draft`). */
export interface LineShape<Line, Draft> {
  /** The line's identity across versions. */
  readonly keyOf: (line: Line) => string;
  /** Same key and the same values. */
  readonly same: (a: Line, b: Line) => boolean;
  /** A row as the API would take it, to compare with saved lines. */
  readonly toLine: (draft: Draft) => Line;
  /** A saved line as a fresh row. */
  readonly toDraft: (line: Line) => Draft;
}

/** A line both sides touched, differently. `undefined` on a side means that side removed it. */
export interface LineMergeConflict<Line = PledgeLine, Draft = LineDraft> {
  /** The line's key; names the decision. */
  readonly key: string;
  /** The line in the version the edits started from; undefined when both sides added it. */
  readonly base: Line | undefined;
  readonly theirs: Line | undefined;
  readonly mine: Draft | undefined;
}

/** Where a line of the merged result comes from. */
type MergedEntry<Line, Draft> =
  | { readonly kind: 'line'; readonly draft: Draft }
  | { readonly kind: 'conflict'; readonly conflict: LineMergeConflict<Line, Draft> };

export interface LinesMerge<Line = PledgeLine, Draft = LineDraft> {
  /** Their lines first, in their order, then the lines only I have, in mine. */
  readonly entries: readonly MergedEntry<Line, Draft>[];
  readonly conflicts: readonly LineMergeConflict<Line, Draft>[];
}

/** Which side's line to keep for a conflict: keeping a side that removed it removes it. */
export type MergeChoice = 'theirs' | 'mine';

/** Same key and the same values (persons, target groups, note). */
export function sameLine(a: PledgeLine, b: PledgeLine): boolean {
  return lineKey(a) === lineKey(b) && changedFields({ before: a, after: b }).length === 0;
}

/** A pledge's lines: the line editor's rows against the API's lines. */
export const PLEDGE_LINES: LineShape<PledgeLine, LineDraft> = {
  keyOf: lineKey,
  same: sameLine,
  toLine: toPledgeLine,
  toDraft,
};

/** The lines by key, the first of each key; the rest are returned apart. */
function byKey<Item>(
  items: readonly Item[],
  keyOf: (item: Item) => string,
): { readonly first: Map<string, Item>; readonly repeated: Item[] } {
  const first = new Map<string, Item>();
  const repeated: Item[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (first.has(key)) repeated.push(item);
    else first.set(key, item);
  }
  return { first, repeated };
}

/**
 * Merges `mine` (the editor's rows) onto `theirs`, both descended from `base`. My rows keep their
 * identity and what was typed in them; their lines become fresh rows.
 */
export function mergeRows<Line, Draft>(
  shape: LineShape<Line, Draft>,
  base: readonly Line[],
  theirs: readonly Line[],
  mine: readonly Draft[],
): LinesMerge<Line, Draft> {
  const draftKey = (draft: Draft) => shape.keyOf(shape.toLine(draft));
  const sameOrBothAbsent = (a: Line | undefined, b: Line | undefined) =>
    a === undefined || b === undefined ? a === b : shape.same(a, b);
  const baseByKey = byKey(base, shape.keyOf).first;
  const theirsByKey = byKey(theirs, shape.keyOf);
  const mineByKey = byKey(mine, draftKey);
  const entries: MergedEntry<Line, Draft>[] = [];
  const conflicts: LineMergeConflict<Line, Draft>[] = [];

  /** The outcome for one key present on at least one side; undefined drops the line. */
  const resolve = (key: string): MergedEntry<Line, Draft> | undefined => {
    const before = baseByKey.get(key);
    const their = theirsByKey.first.get(key);
    const myDraft = mineByKey.first.get(key);
    const my = myDraft === undefined ? undefined : shape.toLine(myDraft);
    const iChanged = !sameOrBothAbsent(before, my);
    const theyChanged = !sameOrBothAbsent(before, their);
    // Untouched by me: their line (or its removal) stands.
    if (!iChanged) {
      return their === undefined ? undefined : { kind: 'line', draft: shape.toDraft(their) };
    }
    // Untouched by them, or both made the same change: mine stands.
    if (!theyChanged || sameOrBothAbsent(their, my)) {
      return myDraft === undefined ? undefined : { kind: 'line', draft: myDraft };
    }
    const conflict: LineMergeConflict<Line, Draft> = {
      key,
      base: before,
      theirs: their,
      mine: myDraft,
    };
    conflicts.push(conflict);
    return { kind: 'conflict', conflict };
  };

  const seen = new Set<string>();
  for (const line of theirs) {
    const key = shape.keyOf(line);
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = resolve(key);
    if (entry !== undefined) entries.push(entry);
  }
  // A second line with a key they already have is theirs to keep (the server will say why not).
  for (const line of theirsByKey.repeated) {
    entries.push({ kind: 'line', draft: shape.toDraft(line) });
  }
  for (const draft of mine) {
    const key = draftKey(draft);
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
export function mergedRows<Line, Draft>(
  shape: Pick<LineShape<Line, Draft>, 'toDraft'>,
  merge: LinesMerge<Line, Draft>,
  choices: Readonly<Record<string, MergeChoice>>,
): Draft[] | undefined {
  const drafts: Draft[] = [];
  for (const entry of merge.entries) {
    if (entry.kind === 'line') {
      drafts.push(entry.draft);
      continue;
    }
    const { conflict } = entry;
    const choice = choices[conflict.key];
    if (choice === undefined) return undefined;
    if (choice === 'mine' && conflict.mine !== undefined) drafts.push(conflict.mine);
    if (choice === 'theirs' && conflict.theirs !== undefined) {
      drafts.push(shape.toDraft(conflict.theirs));
    }
  }
  return drafts;
}

/** A pledge's lines merged: `mergeRows` over `PLEDGE_LINES`. */
export function mergeLines(
  base: readonly PledgeLine[],
  theirs: readonly PledgeLine[],
  mine: readonly LineDraft[],
): LinesMerge {
  return mergeRows(PLEDGE_LINES, base, theirs, mine);
}

/** A pledge's merged rows: `mergedRows` over `PLEDGE_LINES`. */
export function mergedDrafts(
  merge: LinesMerge,
  choices: Readonly<Record<string, MergeChoice>>,
): LineDraft[] | undefined {
  return mergedRows(PLEDGE_LINES, merge, choices);
}
