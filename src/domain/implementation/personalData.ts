/**
 * The tracker records counts only (DOMAIN.md, "Deadlines during implementation"): registration data
 * and identities belong to the national systems and Eurodac. Free text is where one could slip in,
 * so a report's note and reason are refused when they hold what looks like a date (of birth), a
 * case or document number (five or more digits in a row), or an e-mail address. A count, a month or
 * a year ("12 persons", "2026-03", "2026") passes.
 */
const PATTERNS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: 'a date', pattern: /\b\d{4}-\d{1,2}-\d{1,2}\b/ },
  { kind: 'a date', pattern: /\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/ },
  { kind: 'a case or document number', pattern: /\d{5,}/ },
  { kind: 'a case or document number', pattern: /\b[A-Za-z]{1,4}[-/]?\d{4,}\b/ },
  { kind: 'an e-mail address', pattern: /[^\s@]+@[^\s@]+\.[^\s@]+/ },
];

/** What in the text looks like personal data, if anything. */
export function personalDataIn(text: string): string | undefined {
  return PATTERNS.find(({ pattern }) => pattern.test(text))?.kind;
}
