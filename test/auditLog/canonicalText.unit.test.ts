import { canonicalJson } from '../../src/auditLog/canonicalJson';
import { isPlainCanonicalJsonText } from '../../src/auditLog/canonicalText';

/** The one-sided test as the verifier uses it: on the bytes of a line known to be JSON. */
const plain = (text: string): boolean => {
  const bytes = Buffer.from(text, 'utf8');
  return isPlainCanonicalJsonText(bytes, 0, bytes.length);
};

/** The full check it may spare: the text is its own canonical form. */
const canonical = (text: string): boolean => {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
};

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const KEYS = ['a', 'b', 'ab', 'B', '', '1', '10', '9', 'é', 'z\n', '__proto__', 'treeHead'];
const STRINGS = ['', 'x', 'é€😀', 'a"b', 'back\\slash', 'tab\t', '\u007f', '\u2028', 'ctl\u0001'];
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  42,
  1.5,
  -2.25,
  1e21,
  1e-7,
  123456789012345,
  1234567890123456,
  2 ** 53,
];

function randomValue(random: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const roll = random();
  if (depth > 3 || roll < 0.4) {
    return pick<unknown>([null, true, false, pick(STRINGS), pick(NUMBERS), pick(NUMBERS)]);
  }
  if (roll < 0.65) {
    return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  }
  const value: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 5); i > 0; i--) {
    // As JSON.parse does, so that __proto__ is a key like any other.
    Object.defineProperty(value, pick(KEYS), {
      value: randomValue(random, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return value;
}

/** Texts of the same value that are not canonical, and some that are, written other ways. */
function variants(value: unknown, random: () => number): string[] {
  const text = canonicalJson(value);
  const out = [text, JSON.stringify(value), JSON.stringify(value, null, 1)];
  // Swap two characters, drop one, double one, insert a space or an escape.
  for (let n = 0; n < 6 && text.length > 1; n++) {
    const at = Math.floor(random() * text.length);
    const other = Math.floor(random() * text.length);
    const chars = [...text];
    [chars[at], chars[other]] = [chars[other]!, chars[at]!];
    out.push(chars.join(''));
    out.push(text.slice(0, at) + text.slice(at + 1));
    out.push(text.slice(0, at) + text[at]! + text.slice(at));
    out.push(`${text.slice(0, at)} ${text.slice(at)}`);
    out.push(`${text.slice(0, at)}\\u0041${text.slice(at)}`);
    out.push(`${text.slice(0, at)}0${text.slice(at)}`);
    out.push(`${text.slice(0, at)}.5${text.slice(at)}`);
  }
  return out;
}

describe('isPlainCanonicalJsonText: a one-sided test of canonical form on the bytes', () => {
  it('accepts the canonical lines of plain records', () => {
    expect(plain('{"a":1,"b":[true,false,null],"c":{"d":"é€😀","e":-12}}')).toBe(true);
    expect(plain('{"1":0,"10":[],"9":{}}')).toBe(true);
    expect(plain('[]')).toBe(true);
    expect(plain('"x"')).toBe(true);
    expect(plain('123456789012345')).toBe(true);
  });

  it.each([
    ['whitespace', '{"a": 1}'],
    ['keys out of order', '{"b":1,"a":2}'],
    ['a repeated key', '{"a":1,"a":1}'],
    ['a key ordered by code point rather than UTF-16', '{"\uff61":1,"\ud83d\ude00":2}'],
    ['an escape, even a canonical one', '{"a":"\\n"}'],
    ['a fraction', '{"a":1.5}'],
    ['an exponent', '{"a":1e3}'],
    ['minus zero', '{"a":-0}'],
    ['16 digits', '1234567890123456'],
    ['a key that is not ASCII', '{"é":1}'],
  ])('leaves %s to the full check', (_, text) => {
    expect(plain(text)).toBe(false);
  });

  it('never accepts a text that is not its own canonical form (random values and mutations)', () => {
    const random = seeded(1);
    let accepted = 0;
    let checked = 0;
    for (let round = 0; round < 1000; round++) {
      for (const variant of variants(randomValue(random, 0), random)) {
        // A line as the verifier has it: bytes, and the text they decode to.
        const text = Buffer.from(variant, 'utf8').toString('utf8');
        let json = true;
        try {
          JSON.parse(text);
        } catch {
          json = false;
        }
        if (!json) continue;
        checked++;
        if (plain(text)) {
          accepted++;
          expect({ text, canonical: canonical(text) }).toEqual({ text, canonical: true });
        }
      }
    }
    // The test must have exercised both answers.
    expect(accepted).toBeGreaterThan(300);
    expect(checked - accepted).toBeGreaterThan(300);
  });
});
