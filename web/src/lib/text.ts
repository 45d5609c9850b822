/**
 * Text for people to search and to read in order, without `Intl`: the first collator a page makes
 * (`localeCompare(…, 'en')` makes one) loads the browser's collation data, 15-25 ms measured here,
 * on the first load of the feed and of the pledge editor. Names here are country, region and
 * Member State names; a unit test checks the order against `Intl.Collator('en')` on all of them.
 */

/** Lower case without accents, so "turk" finds Türkiye and "cote" finds Côte d'Ivoire. */
export function searchable(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** Orders names as an English reader would: accents and case set aside, then as written. */
export function compareNames(a: string, b: string): number {
  const foldedA = searchable(a);
  const foldedB = searchable(b);
  if (foldedA !== foldedB) return foldedA < foldedB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
