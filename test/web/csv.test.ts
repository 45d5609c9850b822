import { csvDocument, csvField, csvFileName, toCsv, UTF8_BOM } from '../../web/src/lib/csv';

describe('CSV export', () => {
  it('leaves plain fields alone and writes numbers as numbers', () => {
    expect(
      toCsv([
        ['Member State', 'Persons'],
        ['DE', 1200],
        ['FR', 0],
      ]),
    ).toBe('Member State,Persons\r\nDE,1200\r\nFR,0\r\n');
  });

  it('quotes fields holding a comma, a quote or a line break, doubling the quotes (RFC 4180)', () => {
    expect(csvField('Syria, Lebanon')).toBe('"Syria, Lebanon"');
    expect(csvField('the "central" route')).toBe('"the ""central"" route"');
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('carriage\rreturn')).toBe('"carriage\rreturn"');
  });

  it('writes nothing for a missing value, and nothing for a number that is not finite', () => {
    expect(toCsv([[null, undefined, Number.NaN, 'x']])).toBe(',,,x\r\n');
  });

  it('keeps text that looks like a formula from running in a spreadsheet', () => {
    expect(csvField('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('+1, -1')).toBe('"\'+1, -1"');
    expect(csvField(-5)).toBe('-5');
  });

  it('starts the file with a UTF-8 byte order mark so Excel reads accents right', () => {
    const file = csvDocument([['Région'], ['Île-de-France']]);
    expect(file.startsWith(UTF8_BOM)).toBe(true);
    expect(file.slice(1)).toBe('Région\r\nÎle-de-France\r\n');
  });

  it('makes file names safe everywhere', () => {
    expect(csvFileName('Annex II — Plan 2026/27')).toBe('annex-ii-plan-2026-27.csv');
    expect(csvFileName('Écarts.csv')).toBe('ecarts.csv');
    expect(csvFileName('—')).toBe('table.csv');
  });
});
