import {
  AMIF_LUMP_SUM_EUR,
  earnedForAdmissionLine,
  type AdmittedLineCounts,
} from '../../src/domain/reference';

/** A reported line of admissions: resettlement of 10 persons unless overridden. */
const admitted = (overrides: Partial<AdmittedLineCounts> = {}): AdmittedLineCounts => ({
  admissionType: 'resettlement',
  persons: 10,
  ...overrides,
});

describe('AMIF lump sums earned by a reported line (AMIF Art. 19(2)-(3), (5))', () => {
  const { resettlement: R, humanitarian_admission: H } = AMIF_LUMP_SUM_EUR;
  const G = AMIF_LUMP_SUM_EUR.humanitarian_admission_vulnerable;

  it.each([
    // label, line, basis, at group rate, euros
    ['resettlement, no groups', admitted(), 'resettlement', 0, 10 * R],
    [
      'resettlement, groups reported: no uplift',
      admitted({ vulnerablePersons: 4, familyMembers: 3 }),
      'resettlement',
      0,
      10 * R,
    ],
    [
      'humanitarian, no groups',
      admitted({ admissionType: 'humanitarian_admission' }),
      'humanitarian_admission',
      0,
      10 * H,
    ],
    [
      'humanitarian, 4 in groups and 3 family members',
      admitted({ admissionType: 'humanitarian_admission', vulnerablePersons: 4, familyMembers: 3 }),
      'humanitarian_admission',
      7,
      7 * G + 3 * H,
    ],
    [
      'humanitarian, groups and family members above the persons: capped',
      admitted({ admissionType: 'humanitarian_admission', vulnerablePersons: 8, familyMembers: 6 }),
      'humanitarian_admission',
      10,
      10 * G,
    ],
    [
      'humanitarian, family members only (Art. 19(5))',
      admitted({ admissionType: 'humanitarian_admission', familyMembers: 2 }),
      'humanitarian_admission',
      2,
      2 * G + 8 * H,
    ],
    [
      'emergency on a resettlement basis',
      admitted({
        admissionType: 'emergency_admission',
        emergencyBasis: 'resettlement',
        vulnerablePersons: 10,
      }),
      'resettlement',
      0,
      10 * R,
    ],
    [
      'emergency on a humanitarian basis',
      admitted({
        admissionType: 'emergency_admission',
        emergencyBasis: 'humanitarian_admission',
        vulnerablePersons: 5,
      }),
      'humanitarian_admission',
      5,
      5 * G + 5 * H,
    ],
  ] as const)('given %s, when earned, then the basis, group-rate persons and euros', (...row) => {
    const [, line, basis, atGroupRate, eur] = row;
    expect(earnedForAdmissionLine(line)).toEqual({ basis, persons: 10, atGroupRate, eur });
  });

  it('given an emergency line without a basis (never stored), when earned, then the humanitarian amounts', () => {
    expect(
      earnedForAdmissionLine(admitted({ admissionType: 'emergency_admission', persons: 1 })),
    ).toEqual({ basis: 'humanitarian_admission', persons: 1, atGroupRate: 0, eur: H });
  });

  it('never pays more than the group rate per person, nor less than the standard rate', () => {
    for (let persons = 1; persons <= 12; persons++) {
      for (let vulnerablePersons = 0; vulnerablePersons <= persons; vulnerablePersons++) {
        for (let familyMembers = 0; familyMembers <= persons; familyMembers++) {
          const { eur, atGroupRate } = earnedForAdmissionLine({
            admissionType: 'humanitarian_admission',
            persons,
            vulnerablePersons,
            familyMembers,
          });
          expect(atGroupRate).toBeLessThanOrEqual(persons);
          expect(eur).toBeGreaterThanOrEqual(persons * H);
          expect(eur).toBeLessThanOrEqual(persons * G);
        }
      }
    }
  });
});
