import type { AdmissionLine } from '../../../web/src/api/implementation';
import {
  conflictKeys,
  mergedReport,
  mergeReport,
  type ReportContent,
} from '../../../web/src/screens/ministry/implementation/reportMerge';
import {
  toAdmissionDraft,
  toAdmissionLine,
  toProcedureDraft,
} from '../../../web/src/screens/ministry/implementation/reportModel';

const TR: AdmissionLine = {
  admissionType: 'resettlement',
  hostCountry: 'TR',
  persons: 40,
  vulnerablePersons: 12,
};
const LB: AdmissionLine = {
  admissionType: 'humanitarian_admission',
  hostCountry: 'LB',
  persons: 10,
  bySex: { female: 6, male: 4, nonBinary: 0 },
};
const KE: AdmissionLine = { admissionType: 'resettlement', hostCountry: 'KE', persons: 5 };

const BASE: ReportContent = { admissions: [TR, LB], procedure: { registered: 70 } };

/** My edits as the form holds them: lines as rows, counts as typed. */
function mine(admissions: AdmissionLine[], procedure: Record<string, string> = {}) {
  return {
    drafts: admissions.map(toAdmissionDraft),
    procedure: { ...toProcedureDraft(BASE.procedure), ...procedure },
  };
}

function settled(merge: ReturnType<typeof mergeReport>, choices = {}) {
  const result = mergedReport(merge, choices);
  return result && { admissions: result.drafts.map(toAdmissionLine), procedure: result.procedure };
}

describe('merging my report onto theirs', () => {
  it('keeps the lines and counts only they changed, and mine on top', () => {
    const theirs = { admissions: [{ ...TR, persons: 45 }, LB, KE], procedure: { registered: 75 } };
    const merge = mergeReport(
      BASE,
      theirs,
      mine([TR, { ...LB, persons: 12, bySex: { female: 8, male: 4, nonBinary: 0 } }], {
        discontinued: '2',
      }),
    );
    expect(conflictKeys(merge)).toEqual([]);
    const result = settled(merge);
    expect(result?.admissions).toEqual([
      { ...TR, persons: 45 },
      { ...LB, persons: 12, bySex: { female: 8, male: 4, nonBinary: 0 } },
      KE,
    ]);
    expect(result?.procedure.registered).toBe('75');
    expect(result?.procedure.discontinued).toBe('2');
  });

  it('a breakdown alone is a change: both changing it differently waits for a choice', () => {
    const merge = mergeReport(
      BASE,
      { ...BASE, admissions: [TR, { ...LB, bySex: { female: 5, male: 5, nonBinary: 0 } }] },
      mine([TR, { ...LB, bySex: { female: 7, male: 3, nonBinary: 0 } }]),
    );
    expect(conflictKeys(merge)).toEqual(['humanitarian_admission|LB|-|-']);
    expect(settled(merge)).toBeUndefined();
    expect(
      settled(merge, { 'humanitarian_admission|LB|-|-': 'theirs' })?.admissions[1]?.bySex,
    ).toEqual({ female: 5, male: 5, nonBinary: 0 });
  });

  it('asks for a count both changed differently; the same change is one', () => {
    const theirs = { ...BASE, procedure: { registered: 75, positiveConclusions: 9 } };
    const merge = mergeReport(
      BASE,
      theirs,
      mine([TR, LB], { registered: '72', positiveConclusions: '9' }),
    );
    expect(conflictKeys(merge)).toEqual(['procedure.registered']);
    expect(settled(merge)).toBeUndefined();
    expect(settled(merge, { 'procedure.registered': 'mine' })?.procedure).toMatchObject({
      registered: '72',
      positiveConclusions: '9',
    });
    expect(settled(merge, { 'procedure.registered': 'theirs' })?.procedure.registered).toBe('75');
  });

  it('keeps a count typed that is not a number as typed, and a count cleared by me cleared', () => {
    const merge = mergeReport(BASE, BASE, mine([TR, LB], { registered: '', discontinued: 'x' }));
    expect(conflictKeys(merge)).toEqual([]);
    expect(settled(merge)?.procedure).toMatchObject({ registered: '', discontinued: 'x' });
  });
});
