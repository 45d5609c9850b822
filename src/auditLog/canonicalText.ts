/**
 * A cheap, one-sided test that a line of JSON text is already in its RFC 8785 canonical form,
 * read straight from its UTF-8 bytes: no value built, no text serialised.
 *
 * `isPlainCanonicalJsonText` answers true only when the bytes, once known to be JSON (the caller
 * parses them anyway), are exactly `canonicalJson(JSON.parse(text))`: every token written as JCS
 * writes it, no whitespace between tokens, and each object's keys strictly increasing. It answers
 * false whenever it cannot tell (an escape sequence anywhere, a key that is not ASCII, a number
 * that is not a plain integer of at most 15 digits, whitespace), and the caller then runs the
 * full check (`canonicalJson` of the parsed value, compared with the text). So it never decides
 * that a line is not canonical; it only spares the serialisation for the lines that are.
 *
 * Why true is exact, token by token, for bytes that are valid UTF-8 and valid JSON:
 * - strings without a backslash hold no escape, and JCS writes every character other than `"`, `\`
 *   and the C0 controls as itself; `"` and `\` cannot appear unescaped inside a JSON string and
 *   raw C0 controls are not JSON, so JCS writes the same bytes. Valid UTF-8 holds no lone
 *   surrogate, which JCS would refuse.
 * - an integer `-?[1-9][0-9]{0,14}` or `0` is below 2^53, so it parses exactly and String(n)
 *   writes the same digits (no exponent below 10^21); `-0` is not accepted (JCS writes `0`).
 * - `true`, `false`, `null` are written as themselves.
 * - keys of ASCII bytes compare bytewise exactly as their UTF-16 code units do, which is the order
 *   of RFC 8785 §3.2.3; strictly increasing also rules out a repeated key (which JSON.parse would
 *   fold into one, so that the canonical text would be shorter).
 */

/** The byte values of a JSON text's structure and of the literals `true`, `false`, `null`. */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Longest integer written in full that is still exact as a double (2^53 has 16 digits). */
const MAX_INTEGER_DIGITS = 15;

let keyStarts = new Int32Array(32);
let keyEnds = new Int32Array(32);
/** Per depth: 1 inside an object, 0 inside an array. */
let inObject = new Uint8Array(32);

function grow(): void {
  const size = keyStarts.length * 2;
  const starts = new Int32Array(size);
  starts.set(keyStarts);
  keyStarts = starts;
  const ends = new Int32Array(size);
  ends.set(keyEnds);
  keyEnds = ends;
  const objects = new Uint8Array(size);
  objects.set(inObject);
  inObject = objects;
}

/** Whether bytes [aStart, aEnd) sort strictly before bytes [bStart, bEnd). */
function bytesBefore(
  bytes: Uint8Array,
  aStart: number,
  aEnd: number,
  bStart: number,
  bEnd: number,
): boolean {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const common = aLength < bLength ? aLength : bLength;
  for (let i = 0; i < common; i++) {
    const a = bytes[aStart + i]!;
    const b = bytes[bStart + i]!;
    if (a !== b) return a < b;
  }
  return aLength < bLength;
}

/**
 * True when `bytes[start, end)`, valid UTF-8 holding valid JSON, is certainly its own RFC 8785
 * canonical form; false when that would take the full check to tell. See the module comment.
 */
export function isPlainCanonicalJsonText(bytes: Uint8Array, start: number, end: number): boolean {
  let depth = 0;
  /** Whether the next string at this point is an object's key. */
  let expectKey = false;
  let i = start;
  while (i < end) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      const from = ++i;
      let ascii = true;
      for (;;) {
        if (i >= end) return false;
        const d = bytes[i]!;
        if (d === QUOTE) break;
        if (d === BACKSLASH) return false;
        if (d >= 0x80) ascii = false;
        i++;
      }
      if (expectKey) {
        if (!ascii) return false;
        const previous = keyStarts[depth]!;
        if (previous >= 0 && !bytesBefore(bytes, previous, keyEnds[depth]!, from, i)) return false;
        keyStarts[depth] = from;
        keyEnds[depth] = i;
        expectKey = false;
      }
      i++;
      continue;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      let j = c === MINUS ? i + 1 : i;
      const first = j;
      if (j >= end) return false;
      const lead = bytes[j]!;
      if (lead === ZERO) {
        // `0` alone; `-0` is written `0` by JCS, and `0.5`, `0e1` are not plain integers.
        if (c === MINUS) return false;
        j++;
      } else {
        if (lead < ZERO || lead > NINE) return false;
        while (j < end && bytes[j]! >= ZERO && bytes[j]! <= NINE) j++;
        if (j - first > MAX_INTEGER_DIGITS) return false;
      }
      if (j < end) {
        const next = bytes[j]!;
        // A fraction, an exponent or another digit after a leading zero: not a plain integer.
        if (next === 0x2e || next === 0x65 || next === 0x45 || (next >= ZERO && next <= NINE)) {
          return false;
        }
      }
      i = j;
      continue;
    }
    switch (c) {
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        if (++depth >= keyStarts.length) grow();
        inObject[depth] = c === OPEN_OBJECT ? 1 : 0;
        keyStarts[depth] = -1;
        expectKey = c === OPEN_OBJECT;
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        depth--;
        expectKey = false;
        break;
      case COMMA:
        expectKey = inObject[depth] === 1;
        break;
      case COLON:
        break;
      default:
        // The letters of true, false and null; anything else (whitespace above all) is not canonical.
        if (c < 0x61 || c > 0x7a) return false;
    }
    i++;
  }
  return depth === 0;
}
