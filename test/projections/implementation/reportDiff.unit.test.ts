import { lineKey } from '../../../src/domain/shared/pledgeLine';
import type { AdmissionLine } from '../../../src/domain/implementation/implementationReportEvents';
import { diffReport, NO_REPORT } from '../../../src/projections/implementation/reportDiff';

const line = (overrides: Partial<AdmissionLine> = {}): AdmissionLine => ({
  admissionType: 'resettlement',
  hostCountry: 'TR',
  persons: 10,
  ...overrides,
});

describe('diffReport: what one version of a monthly report changed', () => {
  it('a first version adds every line and gives every procedure count', () => {
    const first = { admissions: [line()], procedure: { registered: 4 } };

    expect(diffReport(NO_REPORT, first)).toEqual({
      added: [line()],
      removed: [],
      changed: [],
      admittedBefore: 0,
      admittedAfter: 10,
      admittedDelta: 10,
      procedure: [{ field: 'registered', before: null, after: 4 }],
    });
  });

  it('matches lines by type, host, year and basis, and names the counts that moved', () => {
    const lebanon = line({ hostCountry: 'LB', persons: 5 });
    const before = {
      admissions: [line({ vulnerablePersons: 2 }), lebanon],
      procedure: { registered: 4, discontinued: 1 },
    };
    const after = {
      admissions: [
        line({ persons: 12, vulnerablePersons: 2, familyMembers: 3 }),
        line({ hostCountry: 'JO', persons: 1 }),
      ],
      procedure: { registered: 4, negativeConclusions: 2 },
    };

    expect(diffReport(before, after)).toEqual({
      added: [line({ hostCountry: 'JO', persons: 1 })],
      removed: [lebanon],
      changed: [
        {
          key: lineKey(line()),
          before: line({ vulnerablePersons: 2 }),
          after: line({ persons: 12, vulnerablePersons: 2, familyMembers: 3 }),
          persons: { before: 10, after: 12, delta: 2 },
          vulnerablePersons: { before: 2, after: 2, delta: 0 },
          familyMembers: { before: 0, after: 3, delta: 3 },
        },
      ],
      admittedBefore: 15,
      admittedAfter: 13,
      admittedDelta: -2,
      procedure: [
        { field: 'negativeConclusions', before: null, after: 2 },
        { field: 'discontinued', before: 1, after: null },
      ],
    });
  });

  it('a line whose only change is its breakdown is changed; the same line with its fields or target groups in another order is not', () => {
    const plain = line({ targetGroups: ['children', 'women_and_girls_at_risk'] });
    const reordered: AdmissionLine = {
      persons: 10,
      targetGroups: ['women_and_girls_at_risk', 'children'],
      hostCountry: 'TR',
      admissionType: 'resettlement',
    };
    const broken = line({
      targetGroups: ['children', 'women_and_girls_at_risk'],
      bySex: { female: 6, male: 4, nonBinary: 0 },
    });

    expect(
      diffReport({ admissions: [plain], procedure: {} }, { admissions: [reordered], procedure: {} })
        .changed,
    ).toEqual([]);
    expect(
      diffReport({ admissions: [plain], procedure: {} }, { admissions: [broken], procedure: {} })
        .changed,
    ).toHaveLength(1);
  });
});
