/**
 * The tracker records counts only (DOMAIN.md, "Deadlines during implementation"): registration data
 * and identities belong to the national systems and Eurodac. Free text is where one could slip in,
 * so a report's note and reason are refused when they hold what looks like a date (of birth), in
 * digits either way round or with an English month name, a case or document number (five or more
 * digits in a row, or a few letters followed by four or more digits), or an e-mail address. A
 * count, a month or a year ("12 persons", "2026-03", "March 2026", "2026") passes; so do the
 * references of the acts ("Regulation (EU) 2024/1350"). Large counts pass with a separator
 * ("10,430"): five digits in a row are taken for a number that names someone.
 *
 * Month names are written out per language, with the inflected forms dates use (Polish "2
 * kwietnia 2019", Finnish "2. huhtikuuta 2019", Greek "2 Απριλίου 2019"), rather than matched by
 * stem: a stem followed by any letters would also take "12 decisions 2026" for a date.
 */
// Whole words only; compared without regard to case. A form shared by several languages is listed once.
// prettier-ignore
const MONTH_NAMES: readonly string[] = [
  // English
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september',
  'october', 'november', 'december',
  // German
  'januar', 'jänner', 'februar', 'feber', 'märz', 'maerz', 'mai', 'juni', 'juli', 'oktober',
  'dezember',
  // French
  'janvier', 'février', 'fevrier', 'mars', 'avril', 'juin', 'juillet', 'août', 'aout',
  'septembre', 'octobre', 'novembre', 'décembre', 'decembre',
  // Italian
  'gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre',
  'ottobre', 'dicembre',
  // Spanish
  'enero', 'febrero', 'abril', 'mayo', 'junio', 'julio', 'septiembre', 'setiembre', 'octubre',
  'noviembre', 'diciembre',
  // Portuguese
  'janeiro', 'fevereiro', 'março', 'maio', 'junho', 'julho', 'setembro', 'outubro', 'novembro',
  'dezembro',
  // Dutch
  'januari', 'februari', 'maart', 'mei', 'augustus',
  // Swedish and Danish
  'maj', 'augusti', 'marts',
  // Finnish, as a name and as a date has it
  'tammikuu', 'helmikuu', 'maaliskuu', 'huhtikuu', 'toukokuu', 'kesäkuu', 'heinäkuu', 'elokuu',
  'syyskuu', 'lokakuu', 'marraskuu', 'joulukuu', 'tammikuuta', 'helmikuuta', 'maaliskuuta',
  'huhtikuuta', 'toukokuuta', 'kesäkuuta', 'heinäkuuta', 'elokuuta', 'syyskuuta', 'lokakuuta',
  'marraskuuta', 'joulukuuta',
  // Polish, as a name and as a date has it
  'styczeń', 'stycznia', 'luty', 'lutego', 'marzec', 'marca', 'kwiecień', 'kwietnia', 'maja',
  'czerwiec', 'czerwca', 'lipiec', 'lipca', 'sierpień', 'sierpnia', 'wrzesień', 'września',
  'październik', 'października', 'listopad', 'listopada', 'grudzień', 'grudnia',
  // Czech
  'leden', 'ledna', 'únor', 'února', 'březen', 'března', 'duben', 'dubna', 'květen', 'května',
  'červen', 'června', 'červenec', 'července', 'srpen', 'srpna', 'září', 'říjen', 'října',
  'listopadu', 'prosinec', 'prosince',
  // Slovak
  'január', 'januára', 'február', 'februára', 'marec', 'apríl', 'apríla', 'máj', 'mája', 'jún',
  'júna', 'júl', 'júla', 'augusta', 'septembra', 'október', 'októbra', 'novembra', 'decembra',
  // Hungarian
  'március', 'április', 'május', 'június', 'július', 'augusztus', 'szeptember',
  // Romanian
  'ianuarie', 'februarie', 'martie', 'aprilie', 'iunie', 'iulie', 'septembrie', 'octombrie',
  'noiembrie', 'decembrie',
  // Croatian
  'siječanj', 'siječnja', 'veljača', 'veljače', 'ožujak', 'ožujka', 'travanj', 'travnja',
  'svibanj', 'svibnja', 'lipanj', 'lipnja', 'srpanj', 'srpnja', 'kolovoz', 'kolovoza', 'rujan',
  'rujna', 'studeni', 'studenoga', 'studenog', 'prosinac', 'prosinca',
  // Slovenian
  'aprila', 'junij', 'junija', 'julij', 'julija', 'avgust', 'avgusta', 'oktobra',
  // Lithuanian, as a date has it
  'sausio', 'vasario', 'kovo', 'balandžio', 'gegužės', 'birželio', 'liepos', 'rugpjūčio',
  'rugsėjo', 'spalio', 'lapkričio', 'gruodžio',
  // Latvian
  'janvāris', 'janvārī', 'februāris', 'februārī', 'marts', 'martā', 'aprīlis', 'aprīlī', 'maijs',
  'maijā', 'jūnijs', 'jūnijā', 'jūlijs', 'jūlijā', 'augusts', 'augustā', 'septembris',
  'septembrī', 'oktobris', 'oktobrī', 'novembris', 'novembrī', 'decembris', 'decembrī',
  // Estonian
  'jaanuar', 'veebruar', 'märts', 'aprill', 'juuni', 'juuli', 'oktoober', 'detsember',
  // Greek, as a name and as a date has it
  'ιανουάριος', 'ιανουαρίου', 'φεβρουάριος', 'φεβρουαρίου', 'μάρτιος', 'μαρτίου', 'απρίλιος',
  'απριλίου', 'μάιος', 'μαΐου', 'μαίου', 'ιούνιος', 'ιουνίου', 'ιούλιος', 'ιουλίου', 'αύγουστος',
  'αυγούστου', 'σεπτέμβριος', 'σεπτεμβρίου', 'οκτώβριος', 'οκτωβρίου', 'νοέμβριος', 'νοεμβρίου',
  'δεκέμβριος', 'δεκεμβρίου',
  // Bulgarian
  'януари', 'февруари', 'март', 'април', 'май', 'юни', 'юли', 'август', 'септември', 'октомври',
  'ноември', 'декември',
  // Irish
  'eanáir', 'feabhra', 'márta', 'aibreán', 'bealtaine', 'meitheamh', 'iúil', 'lúnasa',
  'meán fómhair', 'deireadh fómhair', 'samhain', 'nollaig',
  // Maltese
  'jannar', 'frar', 'marzu', 'mejju', 'ġunju', 'lulju', 'awwissu', 'settembru', 'ottubru',
  'novembru', 'diċembru',
];

// Abbreviations, with or without their full stop.
// prettier-ignore
const MONTH_ABBREVIATIONS: readonly string[] = [
  'jan', 'feb', 'febr', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'jän', 'mrz', 'okt', 'dez', 'janv', 'févr', 'fevr', 'avr', 'juil', 'déc', 'gen', 'magg', 'giu',
  'lug', 'ago', 'sett', 'ott', 'dic', 'ene', 'abr', 'fev', 'set', 'out', 'mrt', 'márc', 'ápr',
  'szept', 'ian', 'iun', 'iul', 'noi', 'sty', 'lut', 'kwi', 'cze', 'sie', 'wrz', 'paź', 'gru',
];

const alternatives = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replace(/ /g, '\\s+'))
    .join('|');

// `\b` knows ASCII letters only: a word's edges are wherever no letter or digit touches it.
const START = '(?<![\\p{L}\\p{N}])';
const END = '(?![\\p{L}\\p{N}])';
const MONTH = `(?:${alternatives(MONTH_NAMES)}|(?:${alternatives(MONTH_ABBREVIATIONS)})\\.?)`;
// In year-first dates (Hungarian "2019. április 2.", Lithuanian "2019 m. balandžio 2 d."), the
// English "may" would read "in 2026 may 12 persons arrive" as a date.
const MONTH_AFTER_YEAR = `(?:${alternatives(MONTH_NAMES.filter((name) => name !== 'may'))})`;
const DAY = '\\d{1,2}(?:st|nd|rd|th)?\\.?';
// "2 de abril de 2019", "2 of April 2019", "2 di aprile 2019", Maltese "2 ta' April 2019"
const OF = "(?:\\s+(?:of|de|del|di|d['’]|ta['’])|\\s*,)?";
const YEAR = '\\d{4}';

const PATTERNS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  // 2019-04-02, 2019/04/02, 2019.04.02
  { kind: 'a date', pattern: /\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b/ },
  // 02/04/2019, 2.4.2019, 02-04-19
  { kind: 'a date', pattern: /\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/ },
  // 2 April 2019, 2nd of Apr. 2019, 2. April 2019, 2 de abril de 2019, 2 kwietnia 2019
  {
    kind: 'a date',
    pattern: new RegExp(`${START}${DAY}${OF}\\s+${MONTH}${OF}\\s+${YEAR}${END}`, 'iu'),
  },
  // 02-Apr-2019, 2.apr.19
  {
    kind: 'a date',
    pattern: new RegExp(`${START}\\d{1,2}[./-]${MONTH}[./-]\\d{2,4}${END}`, 'iu'),
  },
  // April 2, 2019
  {
    kind: 'a date',
    pattern: new RegExp(`${START}${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+${YEAR}${END}`, 'iu'),
  },
  // 2019. április 2., 2019 m. balandžio 2 d.
  {
    kind: 'a date',
    pattern: new RegExp(
      `${START}${YEAR}\\.?(?:\\s+m\\.)?\\s+${MONTH_AFTER_YEAR}\\s+\\d{1,2}${END}`,
      'iu',
    ),
  },
  // Latvian: 2019. gada 2. aprīlī
  {
    kind: 'a date',
    pattern: new RegExp(
      `${START}${YEAR}\\.?\\s+gada\\s+\\d{1,2}\\.?\\s+${MONTH_AFTER_YEAR}${END}`,
      'iu',
    ),
  },
  { kind: 'a case or document number', pattern: /\d{5,}/ },
  { kind: 'a case or document number', pattern: /\b[A-Za-z]{1,4}[-/]?\d{4,}\b/ },
  { kind: 'an e-mail address', pattern: /[^\s@]+@[^\s@]+\.[^\s@]+/ },
];

/** What in the text looks like personal data, if anything. */
export function personalDataIn(text: string): string | undefined {
  return PATTERNS.find(({ pattern }) => pattern.test(text))?.kind;
}
