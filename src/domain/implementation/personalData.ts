/**
 * The tracker records counts only (DOMAIN.md, "Deadlines during implementation"): registration data
 * and identities belong to the national systems and Eurodac. Free text is where one could slip in,
 * so a report's note and reason are refused when they hold what looks like a date (of birth), in
 * digits either way round or with an English month name, a case or document number (five or more
 * digits in a row, or a few letters followed by four or more digits), or an e-mail address. A
 * count, a month or a year ("12 persons", "2026-03", "March 2026", "2026") passes; so do the
 * references of the acts ("Regulation (EU) 2024/1350"). Large counts pass with a separator
 * ("10,430"): five digits in a row are taken for a number that names someone.
 */
const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY = '\\d{1,2}(?:st|nd|rd|th)?';

const PATTERNS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  // 2019-04-02, 2019/04/02, 2019.04.02
  { kind: 'a date', pattern: /\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b/ },
  // 02/04/2019, 2.4.2019, 02-04-19
  { kind: 'a date', pattern: /\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/ },
  // 2 April 2019, 2nd of Apr. 2019
  {
    kind: 'a date',
    pattern: new RegExp(`\\b${DAY}\\.?(?:\\s+of)?\\s+${MONTH}\\.?,?\\s+\\d{4}\\b`, 'i'),
  },
  // 02-Apr-2019, 2.apr.19
  { kind: 'a date', pattern: new RegExp(`\\b\\d{1,2}[./-]${MONTH}[./-]\\d{2,4}\\b`, 'i') },
  // April 2, 2019
  { kind: 'a date', pattern: new RegExp(`\\b${MONTH}\\.?\\s+${DAY},?\\s+\\d{4}\\b`, 'i') },
  { kind: 'a case or document number', pattern: /\d{5,}/ },
  { kind: 'a case or document number', pattern: /\b[A-Za-z]{1,4}[-/]?\d{4,}\b/ },
  { kind: 'an e-mail address', pattern: /[^\s@]+@[^\s@]+\.[^\s@]+/ },
];

/** What in the text looks like personal data, if anything. */
export function personalDataIn(text: string): string | undefined {
  return PATTERNS.find(({ pattern }) => pattern.test(text))?.kind;
}
