import {
  mergedDrafts,
  mergeLines,
  toDraft,
  toPledgeLines,
  type PledgeLine,
} from '../../../web/src/components/lines';

const TR: PledgeLine = { admissionType: 'resettlement', hostCountry: 'TR', persons: 50 };
const LB: PledgeLine = { admissionType: 'humanitarian_admission', hostCountry: 'LB', persons: 20 };
const KE: PledgeLine = { admissionType: 'resettlement', hostCountry: 'KE', persons: 10 };
const EG: PledgeLine = { admissionType: 'resettlement', hostCountry: 'EG', persons: 5 };

const merged = (base: PledgeLine[], theirs: PledgeLine[], mine: PledgeLine[]) => {
  const merge = mergeLines(base, theirs, mine.map(toDraft));
  const drafts = mergedDrafts(merge, {});
  return { conflicts: merge.conflicts, lines: drafts && toPledgeLines(drafts) };
};

describe('merging my lines onto theirs', () => {
  it('keeps their additions and changes, and adds mine', () => {
    const result = merged(
      [TR, LB],
      [{ ...TR, persons: 70 }, LB, KE],
      [TR, { ...LB, persons: 35 }, EG],
    );
    expect(result.conflicts).toEqual([]);
    expect(result.lines).toEqual([{ ...TR, persons: 70 }, { ...LB, persons: 35 }, KE, EG]);
  });

  it('applies removals made on one side only', () => {
    expect(merged([TR, LB], [TR], [TR, { ...LB, note: 'x' }]).conflicts).toHaveLength(1);
    expect(merged([TR, LB], [TR, LB], [LB]).lines).toEqual([LB]);
    expect(merged([TR, LB], [LB], [TR, LB]).lines).toEqual([LB]);
  });

  it('takes the same change made by both as one line', () => {
    const raised = { ...TR, persons: 70 };
    expect(merged([TR], [raised], [raised])).toEqual({ conflicts: [], lines: [raised] });
  });

  it('leaves a line both changed differently undecided until chosen', () => {
    const merge = mergeLines([TR], [{ ...TR, persons: 70 }], [toDraft({ ...TR, persons: 60 })]);
    expect(merge.conflicts).toHaveLength(1);
    expect(mergedDrafts(merge, {})).toBeUndefined();
    const key = merge.conflicts[0]?.key ?? '';
    expect(toPledgeLines(mergedDrafts(merge, { [key]: 'mine' }) ?? [])).toEqual([
      { ...TR, persons: 60 },
    ]);
    expect(toPledgeLines(mergedDrafts(merge, { [key]: 'theirs' }) ?? [])).toEqual([
      { ...TR, persons: 70 },
    ]);
  });

  it('treats two first submissions of the same line as a conflict when they differ', () => {
    expect(merged([], [TR], [{ ...TR, persons: 60 }]).conflicts).toHaveLength(1);
    expect(merged([], [TR], [LB]).lines).toEqual([TR, LB]);
  });
});
