import {
  HOST_COUNTRIES,
  UNHCR_REGION_IDS,
  findHostCountry,
  type UnhcrRegionId,
} from '../../src/domain/reference';

// EU-27 by ISO 3166-1 code, plus EL (the EU's own code for Greece).
const EU_MEMBER_STATE_CODES =
  'AT BE BG CY CZ DE DK EE EL ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');

// Source: UNHCR regional bureaux as in the Global Appeal / Global Report regional chapters.
const PINNED: readonly (readonly [string, UnhcrRegionId])[] = [
  // Europe
  ['TR', 'europe'],
  ['UA', 'europe'],
  ['RU', 'europe'],
  ['BY', 'europe'],
  ['MD', 'europe'],
  ['AM', 'europe'],
  ['AZ', 'europe'],
  ['GE', 'europe'],
  ['RS', 'europe'],
  ['XK', 'europe'],
  ['GB', 'europe'],
  ['NO', 'europe'],
  // Middle East and North Africa
  ['LB', 'middle_east_north_africa'],
  ['JO', 'middle_east_north_africa'],
  ['EG', 'middle_east_north_africa'],
  ['LY', 'middle_east_north_africa'],
  ['SY', 'middle_east_north_africa'],
  ['IQ', 'middle_east_north_africa'],
  ['YE', 'middle_east_north_africa'],
  ['MR', 'middle_east_north_africa'],
  ['DZ', 'middle_east_north_africa'],
  ['PS', 'middle_east_north_africa'],
  // Asia and the Pacific, including Central Asia
  ['KZ', 'asia_pacific'],
  ['KG', 'asia_pacific'],
  ['TJ', 'asia_pacific'],
  ['TM', 'asia_pacific'],
  ['UZ', 'asia_pacific'],
  ['IR', 'asia_pacific'],
  ['PK', 'asia_pacific'],
  ['BD', 'asia_pacific'],
  ['MY', 'asia_pacific'],
  ['TH', 'asia_pacific'],
  ['AF', 'asia_pacific'],
  ['ID', 'asia_pacific'],
  ['AU', 'asia_pacific'],
  // East and Horn of Africa, and the Great Lakes
  ['SD', 'east_horn_great_lakes'],
  ['ET', 'east_horn_great_lakes'],
  ['KE', 'east_horn_great_lakes'],
  ['UG', 'east_horn_great_lakes'],
  ['RW', 'east_horn_great_lakes'],
  ['BI', 'east_horn_great_lakes'],
  ['TZ', 'east_horn_great_lakes'],
  ['SS', 'east_horn_great_lakes'],
  ['DJ', 'east_horn_great_lakes'],
  // Southern Africa, including DR Congo
  ['CD', 'southern_africa'],
  ['ZM', 'southern_africa'],
  ['MW', 'southern_africa'],
  ['AO', 'southern_africa'],
  ['ZA', 'southern_africa'],
  ['MZ', 'southern_africa'],
  // West and Central Africa, including Congo-Brazzaville
  ['NE', 'west_central_africa'],
  ['TD', 'west_central_africa'],
  ['CM', 'west_central_africa'],
  ['ML', 'west_central_africa'],
  ['NG', 'west_central_africa'],
  ['CF', 'west_central_africa'],
  ['BF', 'west_central_africa'],
  ['CG', 'west_central_africa'],
  // The Americas
  ['CO', 'americas'],
  ['CR', 'americas'],
  ['MX', 'americas'],
  ['EC', 'americas'],
  ['PE', 'americas'],
  ['BR', 'americas'],
  ['US', 'americas'],
];

describe('host country UNHCR regional bureaux', () => {
  it.each(PINNED)('maps %s to %s', (code, region) => {
    expect(findHostCountry(code)?.unhcrRegion).toBe(region);
  });

  it('pins at least 45 countries and every bureau', () => {
    expect(PINNED.length).toBeGreaterThanOrEqual(45);
    expect(new Set(PINNED.map(([code]) => code)).size).toBe(PINNED.length);
    expect(new Set(PINNED.map(([, region]) => region))).toEqual(new Set(UNHCR_REGION_IDS));
  });

  it('leaves no Central Asian state under Europe', () => {
    const centralAsia = HOST_COUNTRIES.filter((c) =>
      ['KZ', 'KG', 'TJ', 'TM', 'UZ'].includes(c.code),
    );
    expect(centralAsia).toHaveLength(5);
    expect(centralAsia.every((c) => c.unhcrRegion === 'asia_pacific')).toBe(true);
  });

  it('has no EU Member State in the table', () => {
    const codes = new Set(HOST_COUNTRIES.map((country) => country.code));
    expect(EU_MEMBER_STATE_CODES.filter((code) => codes.has(code))).toEqual([]);
    for (const code of EU_MEMBER_STATE_CODES) {
      expect(findHostCountry(code)).toBeUndefined();
    }
  });
});
