import type { PledgeLine } from '../../src/domain/shared/pledgeLine';
import {
  AMIF_LUMP_SUM_EUR,
  HOST_COUNTRIES,
  PARTICIPANTS,
  TARGET_GROUPS,
  TARGET_GROUP_IDS,
  UNHCR_REGIONS,
  UNHCR_REGION_IDS,
  canonicalParticipantCode,
  findHostCountry,
  findParticipant,
  isTargetGroupId,
  isUnhcrRegionId,
  lumpSumRange,
  lumpSumRangeForLine,
  mayPledge,
  namesArticle19Group,
  type Participant,
} from '../../src/domain/reference';
import { aLine, anEmergencyLine } from './builders';

const EU_27_ISO =
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');
// Åland and the outermost regions: EU territory with their own ISO codes.
const EU_TERRITORY_ISO = ['AX', 'GF', 'GP', 'MF', 'MQ', 'RE', 'YT'];

function participant(code: string): Participant {
  const found = findParticipant(code);
  if (found === undefined) throw new Error(`test setup: no participant ${code}`);
  return found;
}

describe('UNHCR regions', () => {
  it('lists the seven bureaux in id order', () => {
    expect(UNHCR_REGIONS.map((region) => region.id)).toEqual([...UNHCR_REGION_IDS]);
    expect(UNHCR_REGIONS.find((region) => region.id === 'europe')?.name).toBe('Europe');
  });

  it('recognises region ids only', () => {
    expect(isUnhcrRegionId('asia_pacific')).toBe(true);
    expect(isUnhcrRegionId('Asia')).toBe(false);
    expect(isUnhcrRegionId('toString')).toBe(false);
  });
});

describe('participants', () => {
  it('holds 31 rows sorted by code: 27 Member States and 4 associated states', () => {
    const codes = PARTICIPANTS.map((p) => p.code);
    expect(PARTICIPANTS).toHaveLength(31);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(31);
    expect(PARTICIPANTS.filter((p) => p.kind === 'member_state')).toHaveLength(27);
  });

  it('flags Iceland, Liechtenstein, Norway and Switzerland as associated and bound', () => {
    const associated = PARTICIPANTS.filter((p) => p.kind === 'associated_state');
    expect(associated.map((p) => p.code)).toEqual(['CH', 'IS', 'LI', 'NO']);
    expect(associated.every((p) => p.participation === 'bound')).toBe(true);
    expect(associated.every((p) => mayPledge(p))).toBe(true);
  });

  it('does not bind Denmark (Protocol 22)', () => {
    const denmark = participant('DK');
    expect(denmark.participation).toBe('not_bound');
    expect(mayPledge(denmark)).toBe(false);
  });

  it('binds Ireland: participation confirmed on 31 July 2024', () => {
    const ireland = participant('IE');
    expect(ireland.participation).toBe('bound');
    expect(mayPledge(ireland)).toBe(true);
  });

  it('lets every Member State but Denmark pledge', () => {
    const others = PARTICIPANTS.filter((p) => p.kind === 'member_state' && p.code !== 'DK');
    expect(others).toHaveLength(26);
    expect(others.every((p) => mayPledge(p))).toBe(true);
  });

  it('leaves Denmark the only participant that is not bound', () => {
    expect(PARTICIPANTS.filter((p) => !mayPledge(p)).map((p) => p.code)).toEqual(['DK']);
  });

  it.each(['EL', 'el', 'GR', 'gr', ' Gr '])('resolves %p to Greece under EL', (code) => {
    expect(findParticipant(code)?.name).toBe('Greece');
    expect(canonicalParticipantCode(code)).toBe('EL');
  });

  it('finds codes case-insensitively and trims', () => {
    expect(canonicalParticipantCode(' de ')).toBe('DE');
    expect(findParticipant('no')?.kind).toBe('associated_state');
  });

  it.each(['', 'GB', 'UK', 'XX', 'TR'])('knows no participant %p', (code) => {
    expect(findParticipant(code)).toBeUndefined();
    expect(canonicalParticipantCode(code)).toBeUndefined();
  });
});

describe('host countries', () => {
  const codes = HOST_COUNTRIES.map((country) => country.code);

  it('covers at least 180 countries and territories', () => {
    expect(HOST_COUNTRIES.length).toBeGreaterThanOrEqual(180);
  });

  it('uses unique two-letter upper-case codes', () => {
    expect(codes.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('excludes every EU Member State and EU territory', () => {
    for (const code of [...EU_27_ISO, 'EL', ...EU_TERRITORY_ISO]) {
      expect(findHostCountry(code)).toBeUndefined();
    }
  });

  it('has no Member State under its EU code either', () => {
    const memberStateCodes = PARTICIPANTS.filter((p) => p.kind === 'member_state').flatMap((p) => [
      p.code,
      ...p.aliases,
    ]);
    expect(memberStateCodes.filter((code) => codes.includes(code))).toEqual([]);
  });

  it('maps every country to a known region, and every region has a country', () => {
    expect(HOST_COUNTRIES.every((country) => isUnhcrRegionId(country.unhcrRegion))).toBe(true);
    for (const region of UNHCR_REGION_IDS) {
      expect(HOST_COUNTRIES.some((country) => country.unhcrRegion === region)).toBe(true);
    }
  });

  it.each([
    ['TR', 'europe'],
    ['UA', 'europe'],
    ['KZ', 'asia_pacific'],
    ['AM', 'europe'],
    ['NO', 'europe'],
    ['XK', 'europe'],
    ['LB', 'middle_east_north_africa'],
    ['JO', 'middle_east_north_africa'],
    ['EG', 'middle_east_north_africa'],
    ['LY', 'middle_east_north_africa'],
    ['MR', 'middle_east_north_africa'],
    ['PS', 'middle_east_north_africa'],
    ['IR', 'asia_pacific'],
    ['PK', 'asia_pacific'],
    ['AF', 'asia_pacific'],
    ['BD', 'asia_pacific'],
    ['SD', 'east_horn_great_lakes'],
    ['ET', 'east_horn_great_lakes'],
    ['TZ', 'east_horn_great_lakes'],
    ['CD', 'southern_africa'],
    ['CG', 'west_central_africa'],
    ['ZM', 'southern_africa'],
    ['NE', 'west_central_africa'],
    ['TD', 'west_central_africa'],
    ['CF', 'west_central_africa'],
    ['CO', 'americas'],
    ['US', 'americas'],
    ['CA', 'americas'],
  ] as const)('maps %s to %s', (code, region) => {
    expect(findHostCountry(code)?.unhcrRegion).toBe(region);
  });

  it('names Türkiye as Türkiye', () => {
    expect(findHostCountry('TR')?.name).toBe('Türkiye');
  });

  it('finds codes case-insensitively and trims', () => {
    expect(findHostCountry(' lb ')?.code).toBe('LB');
    expect(findHostCountry('Tr')?.code).toBe('TR');
    expect(findHostCountry('ZZ')).toBeUndefined();
    expect(findHostCountry('')).toBeUndefined();
  });
});

describe('target groups', () => {
  it('lists the Art. 5(3) groups in id order', () => {
    expect(TARGET_GROUPS.map((group) => group.id)).toEqual([...TARGET_GROUP_IDS]);
  });

  it('marks the AMIF-vulnerable groups', () => {
    expect(TARGET_GROUPS.filter((group) => group.amifVulnerable).map((group) => group.id)).toEqual([
      'women_and_girls_at_risk',
      'children',
      'unaccompanied_children',
      'survivors_of_violence_or_torture',
      'legal_or_physical_protection_needs',
      'medical_needs',
    ]);
  });

  it('reserves family members for humanitarian admission', () => {
    expect(
      TARGET_GROUPS.filter((group) => group.humanitarianAdmissionOnly).map((group) => group.id),
    ).toEqual(['family_members']);
  });

  it('recognises target group ids only', () => {
    expect(isTargetGroupId('medical_needs')).toBe(true);
    expect(isTargetGroupId('Medical needs')).toBe(false);
    expect(isTargetGroupId('toString')).toBe(false);
  });
});

describe('AMIF lump sums (AMIF Art. 19, as amended by Art. 14 of the Framework): forecast ranges', () => {
  const humanitarian = (overrides: Partial<PledgeLine> = {}) =>
    aLine({ admissionType: 'humanitarian_admission', ...overrides });
  const ARTICLE_19_3_GROUPS = [
    'women_and_girls_at_risk',
    'children',
    'unaccompanied_children',
    'survivors_of_violence_or_torture',
    'legal_or_physical_protection_needs',
    'medical_needs',
  ] as const;
  const OTHER_GROUPS = ['persons_with_disabilities', 'protracted_situations', 'family_members'];

  it('holds the per-person amounts of Art. 19(2)-(3)', () => {
    expect(AMIF_LUMP_SUM_EUR).toEqual({
      resettlement: 10_000,
      humanitarian_admission: 6_000,
      humanitarian_admission_vulnerable: 8_000,
    });
  });

  it.each([
    ['no target group', undefined],
    ['an Art. 19(3) group', ['medical_needs']],
    ['every Art. 19(3) group', [...ARTICLE_19_3_GROUPS]],
  ])('pays resettlement a flat EUR 10,000 per person with %s', (_label, targetGroups) => {
    expect(lumpSumRangeForLine(aLine({ persons: 250, targetGroups }))).toEqual({
      minEur: 2_500_000,
      maxEur: 2_500_000,
    });
  });

  it('pays humanitarian admission EUR 6,000 per person without target groups', () => {
    expect(lumpSumRangeForLine(humanitarian({ persons: 3 }))).toEqual({
      minEur: 18_000,
      maxEur: 18_000,
    });
  });

  it.each(ARTICLE_19_3_GROUPS)(
    'ranges humanitarian admission from EUR 6,000 to 8,000 per person for a line naming %s',
    (group) => {
      const line = humanitarian({ persons: 3, targetGroups: [group] });
      expect(namesArticle19Group(line)).toBe(true);
      expect(lumpSumRangeForLine(line)).toEqual({ minEur: 18_000, maxEur: 24_000 });
    },
  );

  it.each(OTHER_GROUPS)('gives no uplift for %s alone', (group) => {
    const line = humanitarian({ persons: 3, targetGroups: [group] });
    expect(namesArticle19Group(line)).toBe(false);
    expect(lumpSumRangeForLine(line)).toEqual({ minEur: 18_000, maxEur: 18_000 });
  });

  it('gives no uplift for family members (Art. 19(5)) nor any other non-Art. 19(3) group together', () => {
    expect(lumpSumRangeForLine(humanitarian({ persons: 2, targetGroups: OTHER_GROUPS }))).toEqual({
      minEur: 12_000,
      maxEur: 12_000,
    });
  });

  it('ranges up when family members sit beside an Art. 19(3) group', () => {
    const line = humanitarian({ persons: 2, targetGroups: ['family_members', 'children'] });
    expect(lumpSumRangeForLine(line)).toEqual({ minEur: 12_000, maxEur: 16_000 });
  });

  it('ignores unknown target group ids', () => {
    expect(lumpSumRangeForLine(humanitarian({ persons: 1, targetGroups: ['unknown'] }))).toEqual({
      minEur: 6_000,
      maxEur: 6_000,
    });
  });

  it.each([
    ['resettlement', undefined, 10_000, 10_000],
    ['resettlement', ['medical_needs'], 10_000, 10_000],
    ['humanitarian_admission', undefined, 6_000, 6_000],
    ['humanitarian_admission', ['family_members'], 6_000, 6_000],
    ['humanitarian_admission', ['medical_needs'], 6_000, 8_000],
  ] as const)(
    'pays an emergency place on a %s basis with groups %j from EUR %d to %d per person',
    (emergencyBasis, targetGroups, min, max) => {
      const line = anEmergencyLine({
        emergencyBasis,
        persons: 10,
        targetGroups: targetGroups === undefined ? undefined : [...targetGroups],
      });
      expect(lumpSumRangeForLine(line)).toEqual({ minEur: min * 10, maxEur: max * 10 });
    },
  );

  it('falls back to the humanitarian amounts for an emergency line without a basis', () => {
    expect(lumpSumRangeForLine(anEmergencyLine({ emergencyBasis: undefined, persons: 1 }))).toEqual(
      { minEur: 6_000, maxEur: 6_000 },
    );
  });

  it('sums a set of lines, each end on its own', () => {
    const lines = [
      aLine({ persons: 250 }),
      humanitarian({ hostCountry: 'EG', persons: 3, targetGroups: ['women_and_girls_at_risk'] }),
      anEmergencyLine({ emergencyBasis: 'humanitarian_admission', persons: 10 }),
    ];
    expect(lumpSumRange(lines)).toEqual({
      minEur: 2_500_000 + 18_000 + 60_000,
      maxEur: 2_500_000 + 24_000 + 60_000,
    });
    expect(lumpSumRange(lines)).toEqual(
      lines.map(lumpSumRangeForLine).reduce((sum, range) => ({
        minEur: sum.minEur + range.minEur,
        maxEur: sum.maxEur + range.maxEur,
      })),
    );
  });

  it('gives nothing for no lines', () => {
    expect(lumpSumRange([])).toEqual({ minEur: 0, maxEur: 0 });
  });
});
