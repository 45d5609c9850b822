import { HOST_COUNTRIES } from '../../src/domain/reference/hostCountries';
import { PARTICIPANTS } from '../../src/domain/reference/participants';
import { UNHCR_REGIONS } from '../../src/domain/reference/unhcrRegions';
import { compareNames, searchable } from '../../web/src/lib/text';

describe('names in order and searched', () => {
  const collator = new Intl.Collator('en');

  it.each([
    ['host countries', HOST_COUNTRIES.map((country) => country.name)],
    ['participants', PARTICIPANTS.map((participant) => participant.name)],
    ['UNHCR regions', UNHCR_REGIONS.map((region) => region.name)],
  ])('orders the %s as an English collator does', (_list, names) => {
    expect(names.length).toBeGreaterThan(2);
    const reversed = [...names].reverse();
    expect([...reversed].sort(compareNames)).toEqual([...reversed].sort(collator.compare));
  });

  it('sets accents and case aside, then orders as written', () => {
    expect(['Tuvalu', 'Türkiye', 'Tunisia'].sort(compareNames)).toEqual([
      'Tunisia',
      'Türkiye',
      'Tuvalu',
    ]);
    expect(['Costa Rica', "Côte d'Ivoire", 'Colombia'].sort(compareNames)).toEqual([
      'Colombia',
      'Costa Rica',
      "Côte d'Ivoire",
    ]);
    expect(compareNames('chad', 'Chad')).not.toBe(0);
    expect(compareNames('Chad', 'Chad')).toBe(0);
  });

  it('finds a name typed without its accents', () => {
    expect(searchable("Côte d'Ivoire")).toBe("cote d'ivoire");
    expect(searchable('Türkiye').includes('turk')).toBe(true);
  });
});
