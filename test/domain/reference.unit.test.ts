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
  lumpSumForLine,
  lumpSumPerPerson,
  mayPledge,
  type Participant,
} from '../../src/domain/reference';

const EU_27_ISO =
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');
// Åland and the outermost regions: EU territory with their own ISO codes.
const EU_TERRITORY_ISO = ['AX', 'GF', 'GP', 'MF', 'MQ', 'RE', 'YT'];

const optedIn = { irelandOptedIn: true };
const notOptedIn = { irelandOptedIn: false };

function participant(code: string): Participant {
  const found = findParticipant(code);
  if (found === undefined) throw new Error(`test setup: no participant ${code}`);
  return found;
}

function aLine(overrides: Partial<PledgeLine> = {}): PledgeLine {
  return { admissionType: 'resettlement', hostCountry: 'TR', persons: 10, ...overrides };
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
    expect(associated.every((p) => mayPledge(p, notOptedIn))).toBe(true);
  });

  it('does not bind Denmark, whatever the configuration', () => {
    const denmark = participant('DK');
    expect(denmark.participation).toBe('not_bound');
    expect(mayPledge(denmark, notOptedIn)).toBe(false);
    expect(mayPledge(denmark, optedIn)).toBe(false);
  });

  it('lets Ireland pledge only once it has opted in', () => {
    const ireland = participant('IE');
    expect(ireland.participation).toBe('opt_in');
    expect(mayPledge(ireland, notOptedIn)).toBe(false);
    expect(mayPledge(ireland, optedIn)).toBe(true);
  });

  it('lets every other Member State pledge', () => {
    const others = PARTICIPANTS.filter(
      (p) => p.kind === 'member_state' && !['DK', 'IE'].includes(p.code),
    );
    expect(others).toHaveLength(25);
    expect(others.every((p) => mayPledge(p, notOptedIn))).toBe(true);
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
    ['KZ', 'europe'],
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
    ['CG', 'southern_africa'],
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

describe('AMIF lump sums', () => {
  it('pays EUR 10,000 per resettled person, with or without target groups', () => {
    expect(lumpSumPerPerson(aLine())).toBe(AMIF_LUMP_SUM_EUR.resettlement);
    expect(lumpSumPerPerson(aLine({ targetGroups: ['medical_needs'] }))).toBe(10_000);
  });

  it('pays EUR 6,000 per person for humanitarian admission', () => {
    expect(lumpSumPerPerson(aLine({ admissionType: 'humanitarian_admission' }))).toBe(6_000);
    expect(
      lumpSumPerPerson(
        aLine({
          admissionType: 'humanitarian_admission',
          targetGroups: ['persons_with_disabilities', 'family_members', 'protracted_situations'],
        }),
      ),
    ).toBe(6_000);
  });

  it.each([
    'women_and_girls_at_risk',
    'children',
    'unaccompanied_children',
    'survivors_of_violence_or_torture',
    'legal_or_physical_protection_needs',
    'medical_needs',
  ])('pays EUR 8,000 for humanitarian admission targeting %s', (group) => {
    const line = aLine({
      admissionType: 'humanitarian_admission',
      targetGroups: ['family_members', group],
    });
    expect(lumpSumPerPerson(line)).toBe(AMIF_LUMP_SUM_EUR.humanitarian_admission_vulnerable);
  });

  it('ignores unknown target group ids', () => {
    const line = aLine({ admissionType: 'humanitarian_admission', targetGroups: ['unknown'] });
    expect(lumpSumPerPerson(line)).toBe(6_000);
  });

  it('pays emergency admission by its basis', () => {
    const emergency = { admissionType: 'emergency_admission', hostCountry: undefined } as const;
    expect(lumpSumPerPerson(aLine({ ...emergency, emergencyBasis: 'resettlement' }))).toBe(10_000);
    expect(
      lumpSumPerPerson(aLine({ ...emergency, emergencyBasis: 'humanitarian_admission' })),
    ).toBe(6_000);
    expect(
      lumpSumPerPerson(
        aLine({
          ...emergency,
          emergencyBasis: 'humanitarian_admission',
          targetGroups: ['medical_needs'],
        }),
      ),
    ).toBe(8_000);
    expect(
      lumpSumPerPerson(
        aLine({ ...emergency, emergencyBasis: 'resettlement', targetGroups: ['medical_needs'] }),
      ),
    ).toBe(10_000);
  });

  it('falls back to the humanitarian amount for an emergency line without a basis', () => {
    expect(lumpSumPerPerson(aLine({ admissionType: 'emergency_admission' }))).toBe(6_000);
  });

  it('multiplies by the persons on the line', () => {
    expect(lumpSumForLine(aLine({ persons: 250 }))).toBe(2_500_000);
    expect(
      lumpSumForLine(
        aLine({
          admissionType: 'humanitarian_admission',
          persons: 3,
          targetGroups: ['women_and_girls_at_risk'],
        }),
      ),
    ).toBe(24_000);
    expect(lumpSumForLine(aLine({ admissionType: 'humanitarian_admission', persons: 0 }))).toBe(0);
  });
});
