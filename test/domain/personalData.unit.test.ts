import { personalDataIn } from '../../src/domain/implementation/personalData';

describe('personal data in a report’s note or reason: counts only, never identities', () => {
  describe('what passes', () => {
    it.each([
      ['a count', '12 persons'],
      ['counts in a sentence', '3 families (11 persons) arrived on 2 flights'],
      ['a large count with a separator', 'Of the 10,430 places, 1,250 are ours'],
      ['a large count with a space', '10 430 places in the plan'],
      ['a month', 'Arrivals of 2026-03 moved to 2026-04'],
      ['a month in words', 'Selection mission in March 2026'],
      ['counts beside month names', '12 persons in March 2026, 19 in April, May 3 flights'],
      ['a month range', 'Cohort of 03/2026 to 05/2026'],
      ['a year', 'Second cohort of 2026'],
      ['the plan period', 'Plan 2026-2027'],
      ['a quarter', 'Q1 2026 selection mission'],
      ['a percentage', '80 % of the cohort were children'],
      ['an Article', 'Persons in the Art. 19(3) groups, Art. 9(9) deadline'],
      ['the Regulation', 'Under Regulation (EU) 2024/1350'],
      ['the Council act', 'Council Implementing Decision (EU) 2025/2628'],
      ['a Commission reference', 'COM(2025) 650'],
      ['a decimal', 'An average of 3.5 persons per family'],
      ['a fraction', '2/3 of the cases concluded'],
      ['a day and month without a year', 'Flight postponed to 15 April'],
      ['an ordinary correction', 'Two arrivals were counted in the wrong month'],
      ['a host country', 'Sudanese refugees from Egypt and/or Chad'],
      ['an empty text', ''],
      ['a month and year in German', 'Auswahlmission im März 2026'],
      ['a month and year in Polish', 'Misja w kwietniu 2026, 40 osób'],
      ['counts and a year around an ordinary word', '12 decisions in 2026, 3 marches'],
      ['a count before the year', 'In 2026 may 12 persons arrive'],
      ['a count, a word and a year', '12 maisons 2026'],
      ['a Finnish month and year', 'Valintamatka huhtikuussa 2026'],
    ])('%s: %j', (_label, text) => {
      expect(personalDataIn(text)).toBeUndefined();
    });
  });

  describe('what is refused', () => {
    it.each([
      ['ISO', 'Born 2019-04-02'],
      ['day first with slashes', 'born 02/04/2019'],
      ['day first with dots', 'DOB 2.4.2019'],
      ['day first with hyphens', 'born 02-04-2019'],
      ['a two-digit year', 'born 2/4/19'],
      ['year first with slashes', 'born 2019/04/02'],
      ['year first with dots', 'born 2019.04.02'],
      ['day, month name, year', 'born 2 April 2019'],
      ['day, abbreviated month, year', 'DOB 2 Apr. 2019'],
      ['an ordinal day', 'born on the 2nd of April 2019'],
      ['month name, day, year', 'born April 2, 2019'],
      ['month name in capitals', 'BORN 2 APRIL 2019'],
      ['hyphenated with a month name', 'born 02-Apr-2019'],
      ['German', 'geboren am 2. April 2019'],
      ['German, Austrian month', 'geb. 2. Jänner 2019'],
      ['German in capitals', 'GEBOREN 2. MÄRZ 2019'],
      ['French', 'né le 2 avril 2019'],
      ['French abbreviated', 'née le 14 févr. 2018'],
      ['Italian', 'nato il 2 aprile 2019'],
      ['Spanish', 'nacido el 2 de abril de 2019'],
      ['Portuguese', 'nascido a 2 de março de 2019'],
      ['Dutch', 'geboren op 2 maart 2019'],
      ['Swedish', 'född 2 maj 2019'],
      ['Danish', 'født 2. marts 2019'],
      ['Finnish', 'syntynyt 2. huhtikuuta 2019'],
      ['Polish', 'urodzony 2 kwietnia 2019'],
      ['Czech', 'narozen 2. dubna 2019'],
      ['Slovak', 'narodený 2. apríla 2019'],
      ['Hungarian, year first', 'született 2019. április 2.'],
      ['Romanian', 'născut la 2 aprilie 2019'],
      ['Croatian', 'rođen 2. travnja 2019.'],
      ['Slovenian', 'rojen 2. aprila 2019'],
      ['Lithuanian, year first', 'gimęs 2019 m. balandžio 2 d.'],
      ['Latvian', 'dzimis 2019. gada 2. aprīlī'],
      ['Estonian', 'sündinud 2. aprill 2019'],
      ['Greek', 'γεννήθηκε 2 Απριλίου 2019'],
      ['Bulgarian', 'роден на 2 април 2019'],
      ['Irish', 'rugadh 2 Aibreán 2019'],
      ['Maltese', "twieled fit-2 ta' April 2019"],
    ])('a date of birth, %s: %j', (_label, text) => {
      expect(personalDataIn(text)).toBe('a date');
    });

    it('a date of birth in digits only, as a number that names someone', () => {
      expect(personalDataIn('DOB 02042019')).toBe('a case or document number');
    });

    it.each([
      ['a long number', 'Case 4417203 counted twice'],
      ['a UNHCR-style case number', 'Case LEB-2231907 counted twice'],
      ['letters and digits', 'File AB1234 withdrawn'],
      ['with a slash', 'Ref TR/88213'],
    ])('a case number, %s: %j', (_label, text) => {
      expect(personalDataIn(text)).toBe('a case or document number');
    });

    it.each([
      ['a plain address', 'Ask maria.rossi@interno.example for details'],
      ['an address with a subdomain', 'officer@asylum.ministry.example.eu'],
      ['an address in brackets', 'Contact <j.doe@example.org>'],
    ])('an e-mail address, %s: %j', (_label, text) => {
      expect(personalDataIn(text)).toBe('an e-mail address');
    });
  });
});
